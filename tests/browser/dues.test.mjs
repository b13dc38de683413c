// 党费 through the console. The 支部书记 opens the 党费 menu (their branch's ledger), a member's
// 党费卡 from the ledger, and declares a base in the 核定基数 dialog: 5000.00 shows the server's live
// quote of 50.00 (1%), 5000.01 of 75.00 (1.5%, 中组发〔2008〕3号 第二条: the rate applies to the
// whole base). A quarter's payment is recorded and its receipt shown; the ledger's row is then
// paid. A 补交 of a month seven months back is refused by the server, its message on the 月份 item
// (第十二条), and nothing is recorded. Bulk entry registers two members' month, one of them paid
// meanwhile by someone else: each row shows its own result, the refusal in the server's words. A
// receipt is cancelled (作废 needs a reason). The arrears board shows a member unpaid for six
// months and more with the red 连续6个月 tag and 党章第九条 (the 支部大会 decides; nothing
// automatic). The 组织部管理员 sees the county's totals, drills to the town and to the branch's
// ledger, and prints the branch's 党费收缴情况公示 and the county's remittance report. Every figure
// checked on the page is the real server's, read through its API with the same session.
// A second scenario: the 支部书记 imports dues bases from a spreadsheet (a file with one bad row
// imports nothing and the dialog names that row; the fixed file imports and the ledger shows the new
// amounts), then prints a receipt from the member's 党费卡: the 大写 amount, 代交, 已作废 once cancelled.

import { test } from 'node:test'
import { readFileSync } from 'node:fs'
import assert from 'node:assert/strict'
import {
  BRANCH_SECRETARY,
  ORG_ADMIN,
  apiDo,
  apiGet,
  fillDate,
  formItem,
  idNumber,
  logIn,
  newPage,
  pickOption,
  screenshot,
  settle,
  shanghaiDate,
  withServer,
} from './harness.mjs'

const ROUTES = [
  '/api/v1/dues/quote',
  '/api/v1/dues/categories',
  '/api/v1/members/{id}/dues/bases',
  '/api/v1/members/{id}/dues',
  '/api/v1/dues/payments',
  '/api/v1/dues/receipts/{receipt}/cancel',
  '/api/v1/dues/ledger',
  '/api/v1/dues/totals',
  '/api/v1/dues/arrears',
  '/api/v1/dues/remittance',
]

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** `2026-11` plus n months. */
function addMonth(month, n) {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5)) - 1 + n
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}
/** `2026-05` as the month picker shows it: `2026年5月`. */
const monthText = (month) => `${Number(month.slice(0, 4))}年${Number(month.slice(5))}月`
/** An amount as the page shows it (thousands separators) back to the server's text. */
const plain = (text) => text.replace(/,/g, '').replace(/\s*元$/, '').trim()
/** Amounts added in fen (the test never adds money in floating point either). */
const fen = (text) => BigInt(text.replace('.', ''))
const yuanOf = (f) => `${f / 100n}.${String(f % 100n).padStart(2, '0')}`

/** Polls `read` until it equals `expected` (the page loads after the facts were read). */
async function settlesTo(read, expected, message) {
  let actual
  for (let i = 0; i < 50; i++) {
    actual = await read()
    if (JSON.stringify(actual) === JSON.stringify(expected)) break
    await sleep(200)
  }
  assert.deepEqual(actual, expected, message)
}

/**
 * A member who transferred into `org` on `since` (YYYY-MM-DD), admitted long before, whose dues
 * base the branch has not declared yet (the demo gives every member of its town a base and a year
 * of payments; a newcomer has none). Set up through the API like a 支部书记 would register them;
 * with `id_number` when the test needs to know it (the API masks it; the default is random).
 */
async function newcomer(page, org, name, since, birth, id_number = idNumber(birth, '500102')) {
  return apiDo(page, 'POST', 'api/v1/members', {
    org_id: org.id,
    name,
    id_number,
    ethnicity: '汉族',
    education: 'bachelor',
    category: 'government',
    joined_on: '2008-07-01',
    confirmed_on: '2009-07-01',
    event_kind: 'transfer_in',
    date: since,
    reason: '从外县转入（浏览器测试）',
  })
}

/** What a ledger row shows. */
async function ledgerRow(page, memberId) {
  const row = page.locator(`[data-test="ledger-table"] .member-${memberId}`).first()
  await row.waitFor()
  const text = async (t) => (await row.locator(`[data-test="${t}"]`).first().textContent()).trim()
  return { due: await text('ledger-due'), paid: await text('ledger-paid'), owed: await text('ledger-owed'), state: await text('ledger-state') }
}

/** What the totals tiles show, as the server's text. */
async function shownTotals(page, scope) {
  const tile = async (t) => plain(await page.locator(`[data-test="${scope}"] [data-test="${t}"]`).textContent())
  return { members: Number(await tile('total-members')), due: await tile('total-due'), paid: await tile('total-paid'), owed: await tile('total-owed') }
}

test('党费: bases with the live quote, payments and receipts, bulk entry, arrears, totals and printable reports', (t) =>
  withServer(t, ROUTES, async ({ server, browser }) => {
    const pages = []
    try {
      const today = shanghaiDate()
      const month = today.slice(0, 7)
      const year = Number(month.slice(0, 4))

      // ---- The 支部书记 ---------------------------------------------------------------------------
      const page = await newPage(browser)
      pages.push(page)
      await logIn(page, server.base, server.login(BRANCH_SECRETARY))
      const branch = (await apiGet(page, 'api/v1/orgs/roots')).items[0]
      const since = `${addMonth(month, -10)}-15`
      const member = await newcomer(page, branch, '周建国', since, '19780312')

      // The 党费 menu opens the branch's ledger for this month: the member has no base yet.
      await page.locator('.top-nav .el-menu-item', { hasText: '党费' }).click()
      await page.waitForURL((url) => url.hash.startsWith('#/dues/ledger'))
      await settle(page)
      assert.equal((await ledgerRow(page, member.id)).state, '未核定基数')
      let ledger = await apiGet(page, `api/v1/dues/ledger?org=${branch.id}&month=${month}`)
      await settlesTo(() => shownTotals(page, 'ledger-totals'), { members: ledger.totals.members, due: ledger.totals.due, paid: ledger.totals.paid, owed: ledger.totals.owed }, 'the ledger tiles are the server’s totals')

      // The member's 党费卡 from the ledger.
      await page.locator(`[data-test="ledger-table"] .member-${member.id} [data-test="ledger-name"]`).first().click()
      await page.waitForURL((url) => url.hash.startsWith(`#/dues/members/${member.id}`))
      await page.locator('[data-test="dues-card"]').waitFor()

      // 核定基数: the live quote is the server's at 5000.00 and 5000.01 (第二条, the whole base).
      await page.locator('[data-test="open-base"]').click()
      const baseDialog = page.locator('.el-dialog').filter({ hasText: '核定党费基数' })
      await baseDialog.waitFor()
      await pickOption(page, baseDialog.locator('[data-test="base-category"]'), '在职（按月领取工资）')
      for (const [base, amount, rate] of [
        ['5000.00', '50.00', '1%'],
        ['5000.01', '75.00', '1.5%'],
      ]) {
        await baseDialog.locator('[data-test="base-input"]').fill(base)
        const quote = await apiGet(page, `api/v1/dues/quote?category=employed&base=${base}`)
        assert.equal(quote.amount, amount, `the server quotes ${amount} for ${base}`)
        await baseDialog.locator('[data-test="quote-amount"]', { hasText: new RegExp(`^${amount}$`) }).waitFor()
        const explanation = (await baseDialog.locator('[data-test="quote-explanation"]').textContent()).trim()
        assert.equal(explanation, quote.explanation, 'the explanation is the server’s')
        assert.ok(explanation.startsWith(`基数 ${base} 元 × ${rate} = ${amount} 元`), explanation)
        assert.ok((await baseDialog.locator('[data-test="base-quote"]').textContent()).includes('中组发〔2008〕3号 第二条'))
      }
      // In force from six months back, so that the quarter below and arrears before it have a base.
      const baseMonth = addMonth(month, -6)
      await fillDate(formItem(baseDialog, '执行月份').locator('input'), monthText(baseMonth))
      await baseDialog.locator('[data-test="submit-base"]').click()
      await baseDialog.waitFor({ state: 'hidden' })
      await page.locator('[data-test="dues-bases"] [data-test="base-value"]', { hasText: '5,000.01' }).first().waitFor()
      let card = await apiGet(page, `api/v1/members/${member.id}/dues`)
      assert.equal(card.bases.length, 1)
      assert.deepEqual(
        { base: card.bases[0].base, amount: card.bases[0].amount, effective_month: card.bases[0].effective_month, rule: card.bases[0].rule },
        { base: '5000.01', amount: '75.00', effective_month: baseMonth, rule: '中组发〔2008〕3号 第二条' },
      )
      assert.ok((await page.locator('[data-test="dues-bases"] [data-test="base-rule"]').first().textContent()).includes('中组发〔2008〕3号 第二条'))

      // A quarter's payment (两个月补交 and this month): the receipt, then the card's months paid.
      const quarter = [addMonth(month, -2), addMonth(month, -1), month]
      await page.locator('[data-test="open-payment"]').click()
      let payDialog = page.locator('.el-dialog').filter({ hasText: '登记交纳' })
      await payDialog.waitFor()
      await payDialog.locator('[data-test="payment-months"]').click()
      // The ledger's month comes chosen when it owes; the others are added.
      for (const m of quarter) {
        const option = page.locator(`.el-select-dropdown__item[data-month="${m}"]`)
        if (!(await option.getAttribute('class')).includes('is-selected')) await option.click()
      }
      await payDialog.locator('.el-dialog__title').click()
      await payDialog.locator('[data-test="payment-total"]', { hasText: '225.00' }).waitFor()
      const [paid] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('api/v1/dues/payments') && r.request().method() === 'POST'),
        payDialog.locator('[data-test="submit-payment"]').click(),
      ])
      assert.equal(paid.status(), 201)
      const receipt = await paid.json()
      const receiptDialog = page.locator('.el-dialog').filter({ has: page.locator('[data-test="receipt"]') })
      await receiptDialog.waitFor()
      assert.match(receipt.receipt_no, /^DF\d{4}-\d{6}$/)
      assert.equal((await receiptDialog.locator('[data-test="receipt-no"]').textContent()).trim(), receipt.receipt_no)
      assert.equal(await receiptDialog.locator('[data-test="receipt-month"]').count(), 3)
      assert.equal(plain(await receiptDialog.locator('[data-test="receipt-total"]').textContent()), '225.00')
      assert.equal(receipt.total, '225.00')
      card = await apiGet(page, `api/v1/members/${member.id}/dues?year=${year}`)
      const rows = card.payments.filter((p) => p.receipt_no === receipt.receipt_no)
      assert.deepEqual(rows.map((p) => [p.month, p.amount, p.cancelled]).sort(), quarter.map((m) => [m, '75.00', false]))
      await receiptDialog.locator('[data-test="close-receipt"]').click()
      await receiptDialog.waitFor({ state: 'hidden' })
      await settlesTo(
        () => page.locator(`[data-test="dues-months"] [data-month="${month}"]`).getAttribute('data-state'),
        'paid',
        'this month is paid on the card',
      )

      // A 补交 seven months back: refused by the server (第十二条), its message on the 月份 item.
      const tooOld = addMonth(month, -7)
      await page.locator('[data-test="open-payment"]').click()
      payDialog = page.locator('.el-dialog').filter({ hasText: '登记交纳' })
      await payDialog.waitFor()
      await payDialog.locator('[data-test="payment-months"]').click()
      for (const chosen of await page.locator('.el-select__popper:visible .el-select-dropdown__item.is-selected').all()) await chosen.click()
      await page.locator(`.el-select-dropdown__item[data-month="${tooOld}"]`).click()
      await payDialog.locator('.el-dialog__title').click()
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('api/v1/dues/payments') && r.request().method() === 'POST'),
        payDialog.locator('[data-test="submit-payment"]').click(),
      ])
      assert.equal(refused.status(), 422)
      const refusal = (await refused.json()).error
      assert.equal(refusal.code, 'dues.back_payment_too_old')
      assert.equal(refusal.field, 'months[0]')
      const monthsError = formItem(payDialog, '月份').locator('.el-form-item__error')
      await monthsError.waitFor()
      const shownError = (await monthsError.textContent()).trim()
      assert.ok(shownError.startsWith(refusal.message), `the 月份 item says the server's message: ${shownError}`)
      assert.ok(shownError.includes('第十二条'), 'and the article it rests on')
      const after = await apiGet(page, `api/v1/members/${member.id}/dues?year=${year}`)
      assert.equal(after.payments.length, card.payments.length, 'nothing was recorded')
      await page.keyboard.press('Escape')
      await payDialog.waitFor({ state: 'hidden' })

      // The ledger (breadcrumb): the member's row is paid, as the server's ledger says.
      await page.locator('.el-breadcrumb__item', { hasText: '党费台账' }).click()
      await page.waitForURL((url) => url.hash.startsWith('#/dues/ledger'))
      await settle(page)
      ledger = await apiGet(page, `api/v1/dues/ledger?org=${branch.id}&month=${month}`)
      const line = ledger.items.find((l) => l.member_id === member.id)
      assert.deepEqual([line.due, line.paid, line.owed], ['75.00', '75.00', '0.00'])
      await settlesTo(() => ledgerRow(page, member.id), { due: '75.00', paid: '75.00', owed: '0.00', state: '已交清' }, 'the ledger row is paid')
      await settlesTo(() => shownTotals(page, 'ledger-totals'), { members: ledger.totals.members, due: ledger.totals.due, paid: ledger.totals.paid, owed: ledger.totals.owed }, 'the ledger tiles follow')

      // Bulk entry: two members with bases from this month; one of them is paid meanwhile (another
      // session), so the server refuses that row and records the other.
      const first = await newcomer(page, branch, '郑晓红', since, '19830527')
      const second = await newcomer(page, branch, '孙立平', since, '19750809')
      await apiDo(page, 'POST', `api/v1/members/${first.id}/dues/bases`, { category: 'employed', base: '3000.00', effective_month: month })
      await apiDo(page, 'POST', `api/v1/members/${second.id}/dues/bases`, { category: 'retired', base: '6000.00', effective_month: month })
      await page.reload()
      await settle(page)
      assert.equal((await ledgerRow(page, first.id)).owed, '15.00')
      assert.equal((await ledgerRow(page, second.id)).owed, '60.00')
      for (const m of [first, second]) await page.locator(`[data-test="ledger-table"] .member-${m.id} .el-checkbox`).first().click()
      await page.locator('[data-test="open-bulk"]').click()
      const bulk = page.locator('.el-dialog').filter({ hasText: '批量登记' })
      await bulk.waitFor()
      assert.equal(await bulk.locator('[data-test="bulk-rows"] [data-member]').count(), 2)
      const meanwhile = await apiDo(page, 'POST', 'api/v1/dues/payments', { member_id: second.id, months: [month], method: 'cash', paid_on: today })
      await bulk.locator('[data-test="submit-bulk"]').click()
      await bulk.locator('[data-test="bulk-summary"]').waitFor()
      const firstReceipt = (await bulk.locator(`[data-member="${first.id}"] [data-test="bulk-receipt"]`).textContent()).trim()
      assert.match(firstReceipt, /^DF\d{4}-\d{6}$/)
      const secondError = (await bulk.locator(`[data-member="${second.id}"] [data-test="bulk-error"]`).textContent()).trim()
      assert.ok(secondError.startsWith('months[0]：该月党费已交清'), `the refused row says the server's message: ${secondError}`)
      const firstCard = await apiGet(page, `api/v1/members/${first.id}/dues`)
      assert.deepEqual(firstCard.payments.map((p) => [p.receipt_no, p.month, p.amount]), [[firstReceipt, month, '15.00']])
      await bulk.locator('[data-test="bulk-close"]').click()
      await bulk.waitFor({ state: 'hidden' })
      await settlesTo(async () => (await ledgerRow(page, first.id)).state, '已交清', 'the bulk row is paid in the ledger')

      // 作废 the payment recorded meanwhile: a reason is required; the receipt is kept, marked.
      await page.locator(`[data-test="ledger-table"] .member-${second.id} [data-test="ledger-name"]`).first().click()
      await page.locator(`[data-receipt="${meanwhile.receipt_no}"]`).click()
      const shown = page.locator('.el-dialog').filter({ has: page.locator('[data-test="receipt"]') })
      await shown.waitFor()
      await shown.locator('[data-test="cancel-receipt"]').click()
      await shown.locator('[data-test="confirm-cancel-receipt"]').click()
      assert.equal((await formItem(shown, '作废原因').locator('.el-form-item__error').textContent()).trim(), '请填写作废原因')
      await shown.locator('[data-test="cancel-reason"]').fill('同一月份重复登记（浏览器测试）')
      await shown.locator('[data-test="confirm-cancel-receipt"]').click()
      await shown.locator('[data-test="receipt-cancelled"]').waitFor()
      const cancelled = (await apiGet(page, `api/v1/members/${second.id}/dues`)).payments.find((p) => p.receipt_no === meanwhile.receipt_no)
      assert.equal(cancelled.cancelled, true)
      assert.equal(cancelled.cancelled_reason, '同一月份重复登记（浏览器测试）')
      await shown.locator('[data-test="close-receipt"]').click()
      await page.locator(`[data-receipt="${meanwhile.receipt_no}"].cancelled`).waitFor()

      // 欠交: a member with a base from eight months back and nothing paid has the red tag.
      const unpaid = await newcomer(page, branch, '马秀英', since, '19690114')
      await apiDo(page, 'POST', `api/v1/members/${unpaid.id}/dues/bases`, { category: 'farmer', amount: '0.50', effective_month: addMonth(month, -8) })
      await page.locator('.top-nav .el-menu-item', { hasText: '党费' }).click()
      await page.waitForURL((url) => url.hash.startsWith('#/dues/ledger'))
      await page.locator('[data-test="dues-nav"] .el-tabs__item', { hasText: '欠交' }).click()
      await page.waitForURL((url) => url.hash.startsWith('#/dues/arrears'))
      await settle(page)
      const arrears = await apiGet(page, `api/v1/dues/arrears?org=${branch.id}&page_size=20`)
      const flagged = arrears.items.find((a) => a.member_id === unpaid.id)
      assert.ok(flagged?.six_months, 'the server flags six consecutive unpaid months')
      const row = page.locator(`[data-test="arrears-list"] .member-${unpaid.id}`)
      await row.locator('[data-test="six-months-tag"]').waitFor()
      assert.equal((await row.locator('[data-test="unpaid-run"]').textContent()).trim(), `${flagged.unpaid_run.length} 个月`)
      assert.equal(plain(await row.locator('[data-test="arrears-owed"]').textContent()), flagged.owed)
      const rule = await page.locator('[data-test="six-months-rule"]').textContent()
      assert.ok(rule.includes('党章第九条') && rule.includes('支部大会') && rule.includes('不会自动'), rule)
      // The quarter's member owes the months between the base and the quarter, with no run.
      const quarterLine = arrears.items.find((a) => a.member_id === member.id)
      assert.deepEqual(quarterLine.months_owed, [addMonth(month, -6), addMonth(month, -5), addMonth(month, -4), addMonth(month, -3)])
      assert.deepEqual(quarterLine.unpaid_run, [])
      // The whole list as Excel, downloaded from the page.
      const arrearsFile = await downloaded(page, '[data-test="export-arrears"]')
      assert.match(arrearsFile.name, /欠交党费名单.*\.xlsx$/)

      // ---- The 组织部管理员 -------------------------------------------------------------------------
      const admin = await newPage(browser)
      pages.push(admin)
      await logIn(admin, server.base, server.login(ORG_ADMIN))
      const root = (await apiGet(admin, 'api/v1/orgs/roots')).items[0]
      await admin.locator('.top-nav .el-menu-item', { hasText: '党费' }).click()
      await admin.waitForURL((url) => url.hash.startsWith('#/dues/ledger'))
      await admin.locator('[data-test="dues-nav"] .el-tabs__item', { hasText: '汇总与上缴' }).click()
      await admin.waitForURL((url) => url.hash.startsWith('#/dues/reports'))
      await settle(admin)
      const county = await apiGet(admin, `api/v1/dues/totals?org=${root.id}&month=${month}`)
      await settlesTo(
        () => shownTotals(admin, 'subtree-totals'),
        { members: county.totals.members, due: county.totals.due, paid: county.totals.paid, owed: county.totals.owed },
        `${root.name}: the county's totals are the server's`,
      )
      const remittance = await apiGet(admin, `api/v1/dues/remittance?org=${root.id}&year=${year}`)
      await settlesTo(async () => plain(await admin.locator('[data-test="remit-total"]').textContent()), remittance.remit_total, 'the remittance is the server’s')

      // Drill down: the town holding the branch, then the branch's ledger.
      const branchPath = county.branches.find((b) => b.org_id === branch.id).path
      const townId = Number(branchPath.slice(`/${root.id}/`.length).split('/')[0])
      await admin.locator(`[data-test="totals-table"] .org-${townId}`).first().click()
      await admin.waitForURL((url) => url.hash.includes(`org=${townId}`))
      await settle(admin)
      const town = await apiGet(admin, `api/v1/dues/totals?org=${townId}&month=${month}`)
      await settlesTo(
        () => shownTotals(admin, 'subtree-totals'),
        { members: town.totals.members, due: town.totals.due, paid: town.totals.paid, owed: town.totals.owed },
        `${town.org.name}: the town's totals`,
      )
      assert.ok((await admin.locator('[data-test="totals-breadcrumb"]').textContent()).includes(root.name), 'the breadcrumb leads back to the county')
      // The branch is either a child of the town or below one of them: open rows until its ledger.
      for (let depth = 0; depth < 4 && !admin.url().includes('#/dues/ledger'); depth++) {
        const shownOrg = Number(new URL(admin.url().replace('#/', '')).searchParams.get('org'))
        const shownPath = (await apiGet(admin, `api/v1/dues/totals?org=${shownOrg}&month=${month}`)).org.path
        const next = Number(branchPath.slice(shownPath.length).split('/')[0])
        await admin.locator(`[data-test="totals-table"] .org-${next}`).first().click()
        await admin.waitForURL((url) => url.hash.includes(`org=${next}`))
        await settle(admin)
      }
      assert.ok(admin.url().includes(`#/dues/ledger?org=${branch.id}`), `the drill-down ends at ${branch.name}'s ledger: ${admin.url()}`)
      ledger = await apiGet(admin, `api/v1/dues/ledger?org=${branch.id}&month=${month}`)
      await settlesTo(() => shownTotals(admin, 'ledger-totals'), { members: ledger.totals.members, due: ledger.totals.due, paid: ledger.totals.paid, owed: ledger.totals.owed }, 'the branch ledger under the county’s eyes')
      const branchRow = county.branches.find((b) => b.org_id === branch.id)
      assert.deepEqual([branchRow.due, branchRow.paid, branchRow.owed], [ledger.totals.due, ledger.totals.paid, ledger.totals.owed], 'the county row equals the branch ledger')
      assert.equal((await ledgerRow(admin, member.id)).paid, '75.00')
      const ledgerFile = await downloaded(admin, '[data-test="export-ledger"]')
      assert.equal(ledgerFile.name, `${branch.name}${Number(month.slice(0, 4))}年${Number(month.slice(5))}月党费收缴台账.xlsx`)
      await screenshot(admin, 'dues-ledger-export')

      // The branch's 党费收缴情况公示: each month its ledger, the year added up in fen.
      await admin.locator('[data-test="open-notice"]').click()
      await admin.waitForURL((url) => url.hash.startsWith('#/print/dues/notice'))
      await admin.locator('[data-test="notice-total"]').waitFor()
      let yearPaid = 0n
      for (let m = 1; m <= Number(month.slice(5)); m++) {
        const mm = `${year}-${String(m).padStart(2, '0')}`
        const l = await apiGet(admin, `api/v1/dues/ledger?org=${branch.id}&month=${mm}`)
        yearPaid += fen(l.totals.paid)
        assert.equal(plain(await admin.locator(`[data-test="notice-table"] [data-month="${mm}"] [data-test="notice-paid"]`).textContent()), l.totals.paid, mm)
      }
      assert.equal(plain(await admin.locator('[data-test="notice-total-paid"]').textContent()), yuanOf(yearPaid))
      assert.ok(yearPaid >= fen('225.00'), 'the quarter is in the year')

      // The county's remittance report, printable; its totals by branch as Excel.
      await admin.goto(`${server.base}#/dues/reports?org=${root.id}`)
      await settle(admin)
      const totalsFile = await downloaded(admin, '[data-test="export-totals"]')
      assert.match(totalsFile.name, new RegExp(`^${root.name}.*党费收缴汇总\\.xlsx$`))
      await admin.locator('[data-test="print-remittance"]').click()
      await admin.waitForURL((url) => url.hash.startsWith('#/print/dues/remittance'))
      await admin.locator('[data-test="print-remit-total"]').waitFor()
      assert.equal(plain(await admin.locator('[data-test="print-remit-total"]').textContent()), remittance.remit_total)
      assert.equal(plain(await admin.locator('[data-test="print-collected"]').textContent()), remittance.collected)
      await admin.emulateMedia({ media: 'print' })
      assert.equal(await admin.locator('[data-test="print"]').isVisible(), false, 'the toolbar is not printed')
      await admin.emulateMedia({ media: 'screen' })

      for (const p of pages) assert.deepEqual(p.errors, [], 'no uncaught errors in the page')
    } catch (e) {
      for (const [i, p] of pages.entries()) await screenshot(p, `dues-failure-${i}`, { fullPage: false }).catch(() => {})
      throw e
    }
  }),
)

/** Clicks a download link and answers the file the browser saved: its name and bytes (an .xlsx
 *  is a zip: it starts with PK). */
async function downloaded(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()])
  const bytes = readFileSync(await download.path())
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an .xlsx (zip) file')
  assert.ok(bytes.length > 2000, `a workbook of ${bytes.length} bytes`)
  return { name: download.suggestedFilename(), bytes }
}

test('党费基数导入 from a spreadsheet (one bad row, then the fixed file) and the printable 党费收据 with 大写金额', (t) =>
  withServer(t, [...ROUTES, '/api/v1/dues/bases/import', '/api/v1/dues/bases/template', '/api/v1/dues/receipts/{receipt}'], async ({ server, browser }) => {
    const pages = []
    try {
      const today = shanghaiDate()
      const month = today.slice(0, 7)
      const page = await newPage(browser)
      pages.push(page)
      await logIn(page, server.base, server.login(BRANCH_SECRETARY))
      const branch = (await apiGet(page, 'api/v1/orgs/roots')).items[0]
      // Two newcomers without a base, registered with ID numbers the test knows (the API masks them).
      const since = `${addMonth(month, -10)}-15`
      const people = []
      for (const [name, birth] of [
        ['钱国庆', '19791001'],
        ['吴桂兰', '19620308'],
      ]) {
        const id_number = idNumber(birth, '500102')
        const made = await newcomer(page, branch, name, since, birth, id_number)
        people.push({ ...made, id_number })
      }
      const [employed, retired] = people

      await page.goto(`${server.base}#/dues/ledger?org=${branch.id}`)
      await settle(page)
      for (const p of people) assert.equal((await ledgerRow(page, p.id)).state, '未核定基数')

      // The dialog: the template (Excel, Chinese headers) and the upload.
      await page.locator('[data-test="open-base-import"]').click()
      const dialog = page.locator('[data-test="base-import-dialog"]')
      await dialog.waitFor()
      const template = await downloaded(page, '[data-test="bases-template-xlsx"]')
      assert.match(template.name, /党费基数导入模板\.xlsx$/)
      const header = ['身份证号码', '类别', '基数（元）', '农民党员月交纳额（元）', '生效月份（YYYY-MM）', '备注']
      const csv = (rows) => Buffer.from('\uFEFF' + [header, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n', 'utf8')
      const good = [
        [employed.id_number, '在职（按月领取工资）', '5000.01', '', month, '按月工资'],
        [retired.id_number, '离退休', '4800.50', '', month, '退休金（含补贴）'],
      ]
      const bad = [good[0], [retired.id_number, '离退休', '4800.505', '', month, '退休金（含补贴）']]
      const upload = dialog.locator('[data-test="bases-upload"] input[type="file"]')
      await upload.setInputFiles({ name: '党费基数-有误.csv', mimeType: 'text/csv', buffer: csv(bad) })
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('api/v1/dues/bases/import')),
        dialog.locator('[data-test="bases-import-start"]').click(),
      ])
      assert.equal(refused.status(), 422)
      await dialog.locator('[data-test="bases-report-failed"]').waitFor()
      const errorRows = dialog.locator('[data-test="bases-import-errors"] .el-table__body-wrapper tr.el-table__row')
      await errorRows.first().waitFor()
      assert.equal(await errorRows.count(), 1, 'only the bad row is reported')
      const cells = (await errorRows.first().locator('td').allTextContents()).map((c) => c.trim())
      assert.deepEqual(cells.slice(0, 3), ['3', '基数（元）', '4800.505'], `row 3's base: ${cells.join(' | ')}`)
      assert.ok(cells[3].length > 0, 'with the reason')
      await screenshot(page, 'dues-bases-import-report')
      let card = await apiGet(page, `api/v1/members/${employed.id}/dues`)
      assert.equal(card.bases.length, 0, 'nothing was imported')

      // The fixed file imports both; the ledger shows the amounts of 第二条 and 第五条.
      await dialog.locator('.el-upload-list__item').hover()
      await dialog.locator('.el-upload-list__item .el-icon--close').click()
      await upload.setInputFiles({ name: '党费基数.csv', mimeType: 'text/csv', buffer: csv(good) })
      await dialog.locator('[data-test="bases-import-start"]').click()
      await dialog.locator('[data-test="bases-report-done"]').waitFor()
      assert.ok((await dialog.locator('[data-test="bases-report-done"]').textContent()).includes('2 名党员'))
      await dialog.locator('[data-test="bases-import-close"]').click()
      await dialog.waitFor({ state: 'hidden' })
      await settlesTo(async () => (await ledgerRow(page, employed.id)).due, '75.00', 'the employed member’s due in the ledger')
      await settlesTo(async () => (await ledgerRow(page, retired.id)).due, '24.00', 'the retired member’s due in the ledger')
      card = await apiGet(page, `api/v1/members/${retired.id}/dues`)
      assert.deepEqual(
        card.bases.map((b) => [b.base, b.amount, b.source, b.note]),
        [['4800.50', '24.00', 'imported', '退休金（含补贴）']],
      )
      await page.locator(`[data-test="ledger-table"] .member-${retired.id}`).first().scrollIntoViewIfNeeded()
      await screenshot(page, 'dues-bases-imported-ledger', { fullPage: false })

      // A payment of this month and a voluntary extra, paid by a relative: 75.00 + 925.05 = 1000.05.
      const paid = await apiDo(page, 'POST', 'api/v1/dues/payments', {
        member_id: employed.id,
        months: [month],
        extra: '925.05',
        method: 'cash',
        payer_name: '钱小红',
        paid_on: today,
      })
      assert.equal(paid.total, '1000.05')
      // From the member's 党费卡: the receipt, then its print page.
      await page.goto(`${server.base}#/dues/members/${employed.id}`)
      await page.locator(`[data-receipt="${paid.receipt_no}"]`).click()
      const shown = page.locator('.el-dialog').filter({ has: page.locator('[data-test="receipt"]') })
      await shown.waitFor()
      await shown.locator('[data-test="print-receipt"]').click()
      await page.waitForURL((url) => url.hash.startsWith(`#/print/dues/receipt/${paid.receipt_no}`))
      const printed = page.locator('[data-test="receipt-print-page"]')
      await printed.locator('[data-test="receipt-capitals"]').waitFor()
      const text = async (name) => (await printed.locator(`[data-test="${name}"]`).textContent()).trim()
      assert.equal(await text('receipt-capitals'), '人民币壹仟元零伍分')
      assert.equal(await text('receipt-no'), paid.receipt_no)
      assert.equal(await text('receipt-member'), employed.name)
      assert.equal(await text('receipt-branch'), branch.name)
      assert.equal(await text('receipt-payer'), '钱小红')
      assert.equal(plain((await text('receipt-total')).replace('¥', '')), '1000.05')
      assert.ok((await text('receipt-months')).includes(`${Number(month.slice(5))}月`), await text('receipt-months'))
      assert.ok((await text('receipt-collector')).length > 0, 'the collector is named')
      assert.equal(await printed.locator('[data-test="receipt-void"]').count(), 0)
      await page.emulateMedia({ media: 'print' })
      assert.equal(await page.locator('[data-test="print"]').isVisible(), false, 'the toolbar is not printed')
      await screenshot(page, 'dues-receipt-print')
      await page.emulateMedia({ media: 'screen' })

      // Cancelled, it prints marked 已作废.
      await apiDo(page, 'POST', `api/v1/dues/receipts/${paid.receipt_no}/cancel`, { reason: '金额登记错误（浏览器测试）' })
      await page.reload()
      await printed.locator('[data-test="receipt-void"]').waitFor()
      assert.equal(await text('receipt-void'), '已作废')
      assert.ok((await text('receipt-cancelled-reason')).includes('金额登记错误'))
      await screenshot(page, 'dues-receipt-print-cancelled')

      for (const p of pages) assert.deepEqual(p.errors, [], 'no uncaught errors in the page')
    } catch (e) {
      for (const [i, p] of pages.entries()) await screenshot(p, `dues-bases-failure-${i}`, { fullPage: false }).catch(() => {})
      throw e
    }
  }),
)
