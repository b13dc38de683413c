// Visits every page of the console at desktop (1366×768) and phone (390×844) sizes and saves a
// screenshot of each to build/screenshots/ (the CI artefact folder), failing on any uncaught
// error in the page.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  AUDITOR,
  BRANCH_KINDS,
  BRANCH_SECRETARY,
  DESKTOP,
  ORG_ADMIN,
  PHONE,
  SCREENSHOTS,
  apiDo,
  apiGet,
  findOrg,
  firstAdministratorLogIn,
  idNumber,
  freshPassword,
  launchBrowser,
  logIn,
  newPage,
  pickOption,
  screenshot,
  settle,
  shanghaiDate,
  startServer,
} from './harness.mjs'

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function visit(page, url, ready) {
  await page.goto(url)
  await settle(page)
  if (ready) await ready()
  await sleep(300)
}

/** Full members of `org` at home, in contact and without transfers, their details loaded. */
async function plainMembers(page, org) {
  const out = []
  for (const m of (await apiGet(page, `api/v1/members?org=${org.id}&status=full&page_size=30`)).items) {
    const d = await apiGet(page, `api/v1/members/${m.id}`)
    if (!d.mobile && !d.lost_contact_since) out.push(d)
  }
  return out
}

/**
 * Transfers in every state, a mobile member who also lost contact (attached to `branch`) and a
 * departed one, set up through the API so that the pages have something to show.
 */
async function changeFacts(page, branch) {
  const parentId = (await apiGet(page, `api/v1/orgs/${branch.id}`)).parent_id
  const other = (await apiGet(page, `api/v1/orgs/${parentId}/children`)).items.find(
    (o) => o.status === 'active' && BRANCH_KINDS.includes(o.kind) && o.id !== branch.id && o.member_count >= 2,
  )
  assert.ok(other, `${branch.name} has a sibling branch with members`)
  const [member, m1, m2, m3, m4, m5] = await plainMembers(page, branch)
  assert.ok(m5, `${branch.name} has six plain members`)
  const day = (n) => shanghaiDate(n)
  const transfer = (body) => apiDo(page, 'POST', 'api/v1/transfers', body)
  const step = (t, action, body = {}) => apiDo(page, 'POST', `api/v1/transfers/${t.id}/${action}`, body)

  const requested = await transfer({ member_id: m1.id, to_org_id: other.id, date: day(-3), reason: '工作调动' })
  const expired = await transfer({ member_id: m2.id, to_org_id: other.id, date: day(-120), reason: '工作调动' })
  await step(expired, 'approve', { date: day(-100) })
  const outgoing = await transfer({ member_id: m3.id, external_org: '中共重庆市渝中区解放碑街道工作委员会', date: day(-2), reason: '随配偶迁居' })
  await step(outgoing, 'approve', { date: day(-1) })
  const departing = await transfer({ member_id: m4.id, external_org: '中共四川省成都市锦江区委组织部', date: day(-40), reason: '考录公务员' })
  await step(departing, 'approve', { date: day(-38) })
  await step(departing, 'receive', { date: day(-20), note: '回执已寄回' })
  const rejected = await transfer({ member_id: m5.id, to_org_id: other.id, date: day(-30), reason: '工作调动' })
  await step(rejected, 'reject', { date: day(-29), note: '经核实，该同志工作单位未变动，不予办理' })
  await transfer({
    direction: 'incoming',
    to_org_id: branch.id,
    external_org: '中共贵州省遵义市某某镇委员会',
    letter_number: '遵组转〔2026〕17号',
    date: day(-5),
    reason: '回原籍居住',
    member: { name: '韩立新', id_number: idNumber('19820314'), phone: '13900001234', ethnicity: '汉族', education: 'bachelor', category: 'rural', joined_on: '2008-07-01', confirmed_on: '2009-07-01' },
  })

  const [away] = await plainMembers(page, other)
  assert.ok(away, `${other.name} has a plain member`)
  await apiDo(page, 'POST', `api/v1/members/${away.id}/mobility`, { away_since: day(-240), destination: '广东省深圳市南山区', attached_org_id: branch.id, reason: '外出务工' })
  await apiDo(page, 'POST', `api/v1/members/${away.id}/lost-contact`, { since: day(-215), reason: '电话停机，走访原住址无人' })
  // The 预警 of this month now, not when the server's own rescan of changed subtrees comes round.
  const root = (await apiGet(page, 'api/v1/orgs/roots')).items[0]
  await apiDo(page, 'POST', 'api/v1/findings/scan', { org_id: root.id })
  return { member, requested, mobileMember: away, departed: m4, town: parentId }
}

/**
 * The demo's 党费 town (the only one whose branches all have a base): a branch there, a member who
 * owes this month (for the payment dialog), a member with a year of payments and some arrears
 * (for the card), and the month seven months back (a 补交 the server refuses, 第十二条).
 */
async function duesFacts(page, root) {
  const month = shanghaiDate().slice(0, 7)
  const county = await apiGet(page, `api/v1/dues/totals?org=${root.id}&month=${month}`)
  const branches = county.branches.filter((b) => b.without_base === 0 && b.members >= 10 && b.owed !== '0.00')
  assert.ok(branches.length > 0, 'the demo town has branches with dues')
  const branch = branches[0]
  const town = Number(branch.path.slice(`/${root.id}/`.length).split('/')[0])
  const ledger = await apiGet(page, `api/v1/dues/ledger?org=${branch.org_id}&month=${month}`)
  const owing = ledger.items.find((l) => l.due !== null && l.owed !== '0.00')
  assert.ok(owing, `${branch.name} has a member owing this month`)
  const arrears = await apiGet(page, `api/v1/dues/arrears?org=${town}&page_size=50`)
  assert.ok(arrears.items.some((a) => a.six_months), 'the demo town has a six-month case')
  const card = arrears.items.find((a) => !a.six_months && a.org_id === branch.org_id) ?? owing
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5)) - 1 - 7
  const tooOld = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
  return { branch: { id: branch.org_id, name: branch.name }, town, owing, card, tooOld }
}

/** The pages of the console, in the order a person would meet them. */
async function tour(page, base, size, facts) {
  const shots = []
  const shoot = async (name) => shots.push(await screenshot(page, `${size}-${name}`))

  await visit(page, `${base}#/`, () => page.locator('.stat-value').first().waitFor())
  await shoot('03-home')

  if (size === 'phone') {
    await page.locator('[data-test="menu-button"]').click()
    await page.locator('.el-drawer [data-test="org-tree"] .el-tree-node').first().waitFor()
    await sleep(400)
    await shoot('03b-drawer')
    await page.keyboard.press('Escape')
    await sleep(400)
  }

  await visit(page, `${base}#/orgs/${facts.root.id}`, () => page.locator('[data-test="org-name"]').waitFor())
  await shoot('04-org-root')
  await page.getByRole('tab', { name: /下级组织/ }).click()
  await sleep(300)
  await shoot('04b-org-root-children')

  await visit(page, `${base}#/orgs/${facts.branch.id}`, () => page.locator('[data-test="org-name"]').waitFor())
  await page.getByRole('tab', { name: '班子' }).click()
  await sleep(300)
  await shoot('05-org-branch-committee')
  await page.getByRole('tab', { name: '党员', exact: true }).click()
  await settle(page)
  await shoot('05b-org-branch-members')
  await page.getByRole('tab', { name: '沿革' }).click()
  await settle(page)
  await shoot('05c-org-branch-history')
  await page.getByRole('tab', { name: '流入党员' }).click()
  await settle(page)
  await page.locator('[data-test="attached-members"] .el-table__row').first().waitFor()
  await shoot('05e-org-branch-attached')
  if (size === 'desktop') {
    await page.getByRole('tab', { name: '概况' }).click()
    await page.getByRole('button', { name: '调整隶属关系' }).click()
    await page.locator('.el-dialog').waitFor()
    await sleep(400)
    await shoot('05d-org-move-dialog')
    await page.keyboard.press('Escape')
  }

  await visit(page, `${base}#/members`, () => page.locator('[data-test="member-table"] .el-table__row').first().waitFor())
  await shoot('06-members')

  await visit(page, `${base}#/members/${facts.member.id}`, () => page.locator('[data-test="member-events"]').waitFor())
  await shoot('07-member')
  const dialogShot = async (button, name) => {
    await page.locator(`[data-test="${button}"]`).click()
    await page.locator('.el-dialog').waitFor()
    await sleep(400)
    await shoot(name)
    await page.keyboard.press('Escape')
    await page.locator('.el-dialog').waitFor({ state: 'hidden' })
  }
  await dialogShot('edit-member', '07b-member-edit-dialog')
  await dialogShot('register-mobility', '07c-member-mobility-dialog')
  await dialogShot('register-lost', '07d-member-lost-dialog')

  await visit(page, `${base}#/members/${facts.mobileMember.id}`, () => page.locator('[data-test="lost-card"]').waitFor())
  // The page scrolls inside the layout: bring the 流动党员 card into the picture.
  await page.locator('[data-test="mobility-card"]').evaluate((e) => e.scrollIntoView({ block: 'start' }))
  await sleep(200)
  await shoot('07e-member-mobile-lost')
  await visit(page, `${base}#/members/${facts.departed.id}`, () => page.locator('[data-test="departed-banner"]').waitFor())
  await shoot('07f-member-departed')

  await visit(page, `${base}#/transfers`, () => page.locator('[data-test="letter-expired"]').waitFor())
  await shoot('08-transfers')
  await page.locator('[data-test="new-transfer"]').click()
  await page.locator('.el-dialog').waitFor()
  await sleep(400)
  await shoot('08b-transfer-dialog')
  await page.keyboard.press('Escape')
  await page.locator('.el-dialog').waitFor({ state: 'hidden' })
  await page.locator(`.transfer-${facts.requested.id} [data-test="transfer-approve"]`).click()
  await page.locator('.el-dialog').waitFor()
  await sleep(400)
  await shoot('08c-transfer-approve-dialog')
  await page.keyboard.press('Escape')
  await page.locator('.el-dialog').waitFor({ state: 'hidden' })
  await page.locator('[data-test="new-incoming"]').click()
  await page.locator('.el-dialog').waitFor()
  await sleep(400)
  await shoot('08d-transfer-incoming-dialog')
  await page.keyboard.press('Escape')
  await page.locator('.el-dialog').waitFor({ state: 'hidden' })

  await visit(page, `${base}#/imports`)
  await shoot('09-imports')

  await visit(page, `${base}#/stats?org=${facts.root.id}`, () => page.locator('.chart-card canvas').first().waitFor({ timeout: 30_000 }))
  await sleep(1200) // chart animations
  await shoot('10-stats')
  if (size === 'desktop') {
    // The as-of date picker: the same subtree on 2000-01-01 has fewer members.
    const today = await page.locator('.figure .value').nth(1).textContent()
    const input = page.locator('.date input')
    await input.fill('2000-01-01')
    await Promise.all([page.waitForResponse((r) => r.url().includes('as_of=2000-01-01') && r.ok()), input.press('Enter')])
    await page.getByText('截至 2000年1月1日').waitFor()
    const then = await page.locator('.figure .value').nth(1).textContent()
    assert.ok(Number(then) < Number(today), `fewer members on 2000-01-01 (${then}) than today (${today})`)
    await sleep(1200)
    await shoot('10b-stats-2000')
  }

  // 预警: the county's board, its list, a finding's facts, the 确认 dialog, a town's board, the rules.
  const boardShown = () => page.locator('[data-test="rule-counts"] .el-table__row').first().waitFor()
  await visit(page, `${base}#/alerts?org=${facts.root.id}`, boardShown)
  await shoot('13-alerts')
  await page.locator('[data-test="findings-card"]').evaluate((e) => e.scrollIntoView({ block: 'start' }))
  await sleep(300)
  await shoot('13a-alerts-list')
  await page.locator('[data-test="finding-open"]').first().click()
  await page.locator('[data-test="finding-detail"]').waitFor()
  await sleep(500)
  shots.push(await screenshot(page, `${size}-13b-alerts-finding`, { fullPage: false }))
  await page.keyboard.press('Escape')
  await page.locator('[data-test="finding-detail"]').waitFor({ state: 'hidden' })
  await page.locator('[data-test="finding-acknowledge"]').first().click()
  await page.locator('.el-dialog').waitFor()
  await page.locator('[data-test="submit-ack"]').click()
  await page.locator('.el-dialog .el-form-item__error').waitFor()
  await sleep(300)
  await shoot('13c-alerts-acknowledge-dialog')
  await page.keyboard.press('Escape')
  await page.locator('.el-dialog').waitFor({ state: 'hidden' })
  await visit(page, `${base}#/alerts?org=${facts.town}`, boardShown)
  await shoot('13d-alerts-town')
  await visit(page, `${base}#/alerts?org=${facts.root.id}&tab=rules`, () => page.locator('[data-test="rule-catalogue"] [data-rule-id]').first().waitFor())
  await shoot('13e-alerts-rules')

  // 党费: the demo town's branch ledger and its dialogs, a member's card (months, bases, receipts)
  // and its dialogs, the arrears board, the county's and the town's totals, the printable pages.
  // Dialogs are opened and closed; the one refusal shown is the server's (nothing is recorded).
  const d = facts.dues
  const ledgerShown = () => page.locator('[data-test="ledger-table"] [data-member], [data-test="ledger-table"] .ledger-row').first().waitFor()
  await visit(page, `${base}#/dues/ledger?org=${d.branch.id}`, ledgerShown)
  await shoot('14-dues-ledger')
  await page.locator(`[data-test="ledger-table"] .member-${d.owing.member_id} [data-test="ledger-pay"]`).first().click()
  const payDialog = page.locator('.el-dialog').filter({ hasText: '登记交纳' })
  await payDialog.locator('[data-test="payment-total"]').waitFor()
  await payDialog.locator('[data-test="payment-months"]').click()
  for (const chosen of await page.locator('.el-select__popper:visible .el-select-dropdown__item.is-selected').all()) await chosen.click()
  await page.locator(`.el-select__popper:visible .el-select-dropdown__item[data-month="${d.tooOld}"]`).click()
  await payDialog.locator('.el-dialog__title').click()
  await payDialog.locator('[data-test="submit-payment"]').click()
  await payDialog.locator('.el-form-item__error').first().waitFor()
  await sleep(300)
  await shoot('14b-dues-payment-refused')
  await page.keyboard.press('Escape')
  await payDialog.waitFor({ state: 'hidden' })
  await page.locator('[data-test="select-owing"]').click()
  await page.locator('[data-test="open-bulk"]').click()
  await page.locator('.el-dialog').filter({ hasText: '批量登记' }).waitFor()
  await sleep(400)
  await shoot('14c-dues-bulk-dialog')
  await page.keyboard.press('Escape')
  await page.locator('.el-dialog').filter({ hasText: '批量登记' }).waitFor({ state: 'hidden' })

  await visit(page, `${base}#/dues/members/${d.card.member_id}`, () => page.locator('[data-test="dues-months"]').waitFor())
  await shoot('15-dues-card')
  await page.locator('[data-receipt]').first().click()
  await page.locator('[data-test="receipt"]').waitFor()
  await sleep(400)
  await shoot('15b-dues-receipt')
  await page.locator('[data-test="close-receipt"]').click()
  await page.locator('[data-test="receipt"]').waitFor({ state: 'detached' })
  await page.locator('[data-test="open-base"]').click()
  const baseDialog = page.locator('.el-dialog').filter({ hasText: '核定党费基数' })
  await pickOption(page, baseDialog.locator('[data-test="base-category"]'), '在职（按月领取工资）')
  await baseDialog.locator('[data-test="base-input"]').fill('5000.01')
  await baseDialog.locator('[data-test="quote-amount"]', { hasText: '75.00' }).waitFor()
  await sleep(300)
  await shoot('15c-dues-base-dialog')
  await page.keyboard.press('Escape')
  await baseDialog.waitFor({ state: 'hidden' })
  await page.locator('[data-test="open-reduction"]').click()
  const reductionDialog = page.locator('.el-dialog').filter({ hasText: '登记少交、免交' })
  await reductionDialog.locator('[data-test="submit-reduction"]').click()
  await reductionDialog.locator('.el-form-item__error').first().waitFor()
  await sleep(300)
  await shoot('15d-dues-reduction-dialog')
  await page.keyboard.press('Escape')
  await reductionDialog.waitFor({ state: 'hidden' })

  await visit(page, `${base}#/dues/arrears?org=${d.town}`, () => page.locator('[data-test="six-months-tag"]').first().waitFor())
  await shoot('16-dues-arrears')
  const totalsShown = () => page.locator('[data-test="subtree-totals"]').waitFor()
  await visit(page, `${base}#/dues/reports?org=${facts.root.id}`, totalsShown)
  await shoot('17-dues-totals-county')
  await visit(page, `${base}#/dues/reports?org=${d.town}`, totalsShown)
  await page.locator('[data-test="remittance"]').waitFor()
  await shoot('17b-dues-totals-town')
  await visit(page, `${base}#/print/dues/remittance?org=${d.town}`, () => page.locator('[data-test="print-remit-total"]').waitFor())
  await shoot('17c-dues-remittance-print')
  await visit(page, `${base}#/print/dues/notice?org=${d.branch.id}`, () => page.locator('[data-test="notice-total"]').waitFor())
  await shoot('17d-dues-notice-print')

  await visit(page, `${base}#/settings`, () => page.locator('[data-test="setting-current"]').first().waitFor())
  await shoot('12-settings')
  await page.locator('[data-test="edit-setting"]').first().click()
  await page.locator('.el-input-number input').fill('400')
  await page.locator('[data-test="save-setting"]').click()
  await page.locator('.setting .el-form-item__error').waitFor()
  await shoot('12b-settings-edit-error')

  return shots
}

test('every page at desktop and phone size, with screenshots', async () => {
  const server = await startServer()
  const browser = await launchBrowser()
  const pages = []
  try {
    const admin = server.login(ORG_ADMIN)

    // Desktop: the login page, the forced password change, then every page.
    const desktop = await newPage(browser, DESKTOP)
    pages.push(desktop)
    await desktop.goto(`${server.base}#/login`)
    await desktop.locator('input[name="username"]').waitFor()
    await screenshot(desktop, 'desktop-01-login')
    await desktop.locator('input[name="username"]').fill(admin.username)
    await desktop.locator('input[name="password"]').fill(admin.password)
    await desktop.locator('[data-test="login-submit"]').click()
    await desktop.waitForURL((url) => url.hash.startsWith('#/password'))
    await desktop.locator('input[name="current_password"]').waitFor()
    await screenshot(desktop, 'desktop-02-password-change')
    const password = freshPassword()
    await desktop.locator('input[name="current_password"]').fill(admin.password)
    await desktop.locator('input[name="new_password"]').fill(password)
    await desktop.locator('input[name="new_password_again"]').fill(password)
    await desktop.locator('[data-test="password-submit"]').click()
    await desktop.locator('[data-test="user-menu"]').waitFor()

    const root = (await apiGet(desktop, 'api/v1/orgs/roots')).items[0]
    const branch = await findOrg(desktop, async (o) => BRANCH_KINDS.includes(o.kind) && o.member_count >= 15)
    assert.ok(root && branch, 'the demo has a root and a branch')
    const facts = { root, branch, ...(await changeFacts(desktop, branch)), dues: await duesFacts(desktop, root) }
    const desktopShots = await tour(desktop, server.base, 'desktop', facts)

    // Phone: the login page, then the same tour with the tree in a drawer.
    const phone = await newPage(browser, PHONE)
    pages.push(phone)
    await phone.goto(`${server.base}#/login`)
    await phone.locator('input[name="username"]').waitFor()
    await screenshot(phone, 'phone-01-login')
    await logIn(phone, server.base, { username: admin.username, password })
    const phoneShots = await tour(phone, server.base, 'phone', facts)

    // On a phone the page never scrolls sideways.
    for (const url of [
      '#/',
      '#/members',
      '#/transfers',
      '#/imports',
      '#/stats',
      '#/settings',
      '#/alerts',
      `#/alerts?org=${facts.town}`,
      `#/alerts?org=${facts.branch.id}`,
      '#/alerts?tab=rules',
      `#/members/${facts.mobileMember.id}`,
      `#/members/${facts.departed.id}`,
      `#/orgs/${facts.branch.id}`,
      `#/dues/ledger?org=${facts.dues.branch.id}`,
      `#/dues/members/${facts.dues.card.member_id}`,
      `#/dues/arrears?org=${facts.dues.town}`,
      `#/dues/reports?org=${facts.root.id}`,
      `#/dues/reports?org=${facts.dues.town}`,
      `#/print/dues/remittance?org=${facts.dues.town}`,
      `#/print/dues/notice?org=${facts.dues.branch.id}`,
    ]) {
      await visit(phone, server.base + url)
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      assert.ok(overflow <= 1, `${url} fits the phone's width (overflow ${overflow}px)`)
    }

    // The 支部书记 sees only their own branch: the tree has that one root.
    const secretary = await newPage(browser, DESKTOP)
    pages.push(secretary)
    await logIn(secretary, server.base, server.login(BRANCH_SECRETARY))
    await secretary.locator('[data-test="org-tree"] .el-tree-node').first().waitFor()
    const scopeRoots = (await apiGet(secretary, 'api/v1/orgs/roots')).items
    assert.equal(scopeRoots.length, 1, 'the 支部书记 has one organisation in scope')
    assert.ok(BRANCH_KINDS.includes(scopeRoots[0].kind), 'and it is a branch')
    const treeRoots = await secretary.locator('[data-test="org-tree"] .el-tree > .el-tree-node > .el-tree-node__content').allTextContents()
    assert.equal(treeRoots.length, 1, `the tree shows one root: ${treeRoots.join(' | ')}`)
    assert.ok(treeRoots[0].includes(scopeRoots[0].name), `the tree's root is ${scopeRoots[0].name}`)
    // Transfers on both sides of the secretary's branch for their home page: one they requested
    // (waiting for the 基层党委), one coming to them approved (theirs to receive).
    const theirs = scopeRoots[0]
    const neighbour = (await apiGet(desktop, `api/v1/orgs/${theirs.parent_id}/children`)).items.find(
      (o) => o.status === 'active' && BRANCH_KINDS.includes(o.kind) && o.id !== theirs.id && o.member_count >= 2,
    )
    assert.ok(neighbour, `${theirs.name} has a sibling branch with members`)
    const [leaving] = await plainMembers(secretary, theirs)
    await apiDo(secretary, 'POST', 'api/v1/transfers', { member_id: leaving.id, to_org_id: neighbour.id, date: shanghaiDate(-2), reason: '工作调动' })
    const [arriving] = await plainMembers(desktop, neighbour)
    const coming = await apiDo(desktop, 'POST', 'api/v1/transfers', { member_id: arriving.id, to_org_id: theirs.id, date: shanghaiDate(-4), reason: '随配偶迁居' })
    await apiDo(desktop, 'POST', `api/v1/transfers/${coming.id}/approve`, { date: shanghaiDate(-3) })
    await secretary.reload() // the home page was shown at login, before the transfers
    await visit(secretary, `${server.base}#/`, () => secretary.locator('[data-test="home-transfers"]').waitFor())
    await screenshot(secretary, 'desktop-11-branch-secretary-home')
    const secretaryPhone = await newPage(browser, PHONE)
    pages.push(secretaryPhone)
    await secretaryPhone.context().addCookies(await secretary.context().cookies())
    await visit(secretaryPhone, `${server.base}#/`, () => secretaryPhone.locator('.stat-value').first().waitFor())
    await screenshot(secretaryPhone, 'phone-11-branch-secretary-home')
    const secretaryOverflow = await secretaryPhone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    assert.ok(secretaryOverflow <= 1, `the 支部书记's home fits the phone's width (overflow ${secretaryOverflow}px)`)
    await visit(secretary, `${server.base}#/settings`, () => secretary.locator('[data-test="settings-readonly"]').waitFor())
    await screenshot(secretary, 'desktop-11b-branch-secretary-settings')

    // The 审计管理员 (after the authenticator enrolment): the audit page, a verified chain and one
    // record's detail; the same session on a phone.
    const auditor = await newPage(browser, DESKTOP)
    pages.push(auditor)
    await firstAdministratorLogIn(auditor, server.base, server.login(AUDITOR))
    const auditShots = []
    const auditTour = async (page, size) => {
      await visit(page, `${server.base}#/audit`, () => page.locator('[data-test="audit-table"] tr.audit-row').first().waitFor())
      await page.locator('[data-test="audit-verify"]').click()
      await page.locator('[data-test="audit-verdict"]').waitFor()
      await sleep(300)
      auditShots.push(await screenshot(page, `${size}-12-audit`))
      await visit(page, `${server.base}#/audit?action=grant.`, () => page.locator('[data-test="audit-table"] tr.audit-row').first().waitFor())
      await page.locator('[data-test="audit-table"] tr.audit-row').first().click()
      await page.locator('[data-test="audit-after"]').waitFor()
      await sleep(500)
      auditShots.push(await screenshot(page, `${size}-12b-audit-detail`, { fullPage: false }))
      await page.keyboard.press('Escape')
    }
    await auditTour(auditor, 'desktop')
    const auditorPhone = await newPage(browser, PHONE)
    pages.push(auditorPhone)
    await auditorPhone.context().addCookies(await auditor.context().cookies())
    await auditTour(auditorPhone, 'phone')
    await visit(auditorPhone, `${server.base}#/audit`)
    const auditOverflow = await auditorPhone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    assert.ok(auditOverflow <= 1, `#/audit fits the phone's width (overflow ${auditOverflow}px)`)

    console.log(`screenshots: ${desktopShots.length + phoneShots.length + 6 + auditShots.length} in ${SCREENSHOTS}`)
    for (const p of pages) assert.deepEqual(p.errors, [], 'no uncaught errors in the page')
  } finally {
    await browser.close()
    const result = await server.stop()
    assert.equal(result.code, 0, `zhibu serve exits 0 on SIGTERM (${JSON.stringify(result)})`)
  }
})
