// 组织关系转接 through the console: a member of one branch is transferred to a sibling branch
// (request → approve → receive) and then appears in the new branch; until receipt they stay in
// the old one. A member transferred out of the deployment (request → approve → 登记回执) is shown
// as 已转出 and leaves the branch's list. A member arriving from outside is registered with the
// 登记系统外转入 dialog, a bad field first (shown on its form item), then corrected. The 支部书记
// sees the 基层党委's steps as waiting, and the server's refusal reads well.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  BRANCH_KINDS,
  BRANCH_SECRETARY,
  ORG_ADMIN,
  apiDo,
  apiGet,
  apiSend,
  fillDate,
  findOrg,
  formItem,
  idNumber,
  logIn,
  newPage,
  pickOption,
  pickOrg,
  plainMember,
  settle,
  withServer,
} from './harness.mjs'

/** Confirms a transfer step in its dialog (审批, 接收, 登记回执 …), with an optional note. */
async function confirmStep(page, title, note) {
  const dialog = page.locator('.el-dialog').filter({ hasText: title })
  await dialog.waitFor()
  if (note) await dialog.locator('[data-test="step-note"]').fill(note)
  await dialog.locator('[data-test="submit-step"]').click()
  await dialog.waitFor({ state: 'hidden' })
}

const ROUTES = [
  '/api/v1/transfers',
  '/api/v1/transfers/{id}',
  '/api/v1/transfers/{id}/letter',
  '/api/v1/transfers/{id}/approve',
  '/api/v1/transfers/{id}/receive',
]

test('transfer a member between two branches: request, approve, receive', (t) =>
  withServer(t, ROUTES, async ({ server, browser }) => {
    const page = await newPage(browser)
    await logIn(page, server.base, server.login(ORG_ADMIN))

    // Two active sibling branches, the first with members.
    let from = null
    let to = null
    await findOrg(page, async (parent) => {
      if (parent.child_count < 2) return false
      const kids = (await apiGet(page, `api/v1/orgs/${parent.id}/children`)).items.filter(
        (o) => o.status === 'active' && BRANCH_KINDS.includes(o.kind),
      )
      const withMembers = kids.find((o) => o.member_count >= 2)
      const other = kids.find((o) => o !== withMembers)
      if (!withMembers || !other) return false
      from = withMembers
      to = other
      return true
    })
    assert.ok(from && to, 'the demo has two sibling branches')
    const member = (await apiGet(page, `api/v1/members?org=${from.id}&status=full&page_size=20`)).items[0]
    assert.ok(member, `${from.name} has a full member`)

    // From the member's page: 发起转接 opens the dialog with the member filled in.
    await page.goto(`${server.base}#/members/${member.id}`)
    await page.locator('[data-test="start-transfer"]').click()
    await page.waitForURL((url) => url.hash.startsWith('#/transfers'))
    const dialog = page.locator('.el-dialog').filter({ hasText: '发起组织关系转接' })
    await dialog.waitFor()

    // The destination: open the tree picker and walk down the ancestors to the branch.
    await pickOrg(page, dialog.locator('.org-picker'), to.id)
    await dialog.locator('textarea').fill('工作调动（浏览器测试）')
    await dialog.locator('[data-test="submit-transfer"]').click()
    await dialog.waitFor({ state: 'hidden' })

    // The new transfer, as the server has it.
    const transfers = (await apiGet(page, 'api/v1/transfers')).items.filter((t) => t.member_id === member.id && t.to_org_id === to.id)
    assert.equal(transfers.length, 1, 'one transfer was created')
    const transfer = transfers[0]
    assert.equal(transfer.status, 'requested')
    const row = page.locator(`[data-test="transfer-table"] tr.transfer-${transfer.id}`)
    await row.waitFor()

    // Until receipt the member stays in the sending branch.
    assert.equal((await apiGet(page, `api/v1/members/${member.id}`)).org_id, from.id)

    await row.locator('[data-test="transfer-approve"]').click()
    await confirmStep(page, '审批')
    await row.locator('[data-test="transfer-receive"]').waitFor()
    assert.equal((await apiGet(page, `api/v1/transfers/${transfer.id}`)).status, 'approved')

    // The printable letter (介绍信) is linked from the row.
    const href = await row.locator('[data-test="letter-link"]').getAttribute('href')
    const letter = await page.evaluate(async (h) => (await fetch(h, { credentials: 'same-origin' })).text(), href)
    assert.ok(letter.includes(member.name), 'the letter names the member')

    await row.locator('[data-test="transfer-receive"]').click()
    await confirmStep(page, '接收')
    await page.waitForFunction(
      (id) => !document.querySelector(`tr.transfer-${id} [data-test="transfer-receive"]`),
      transfer.id,
    )
    assert.equal((await apiGet(page, `api/v1/transfers/${transfer.id}`)).status, 'received')

    // The member is now listed in the receiving branch (its 党员 tab).
    await page.goto(`${server.base}#/orgs/${to.id}`)
    await page.locator('[data-test="org-name"]').getByText(to.name).waitFor()
    await page.getByRole('tab', { name: '党员', exact: true }).click()
    await settle(page)
    await page.locator('[data-test="member-table"]').getByRole('link', { name: member.name, exact: true }).first().waitFor()
    assert.equal((await apiGet(page, `api/v1/members/${member.id}`)).org_id, to.id)

    assert.deepEqual(page.errors, [], 'no uncaught errors in the page')
  }),
)

const OUTGOING_ROUTES = [...ROUTES, '/api/v1/orgs/{id}/attached-members']

test('transfer a member out of the deployment: request, approve, 登记回执; then 已转出', (t) =>
  withServer(t, OUTGOING_ROUTES, async ({ server, browser }) => {
    const page = await newPage(browser)
    await logIn(page, server.base, server.login(ORG_ADMIN))

    const branch = await findOrg(page, async (o) => BRANCH_KINDS.includes(o.kind) && o.member_count >= 3)
    assert.ok(branch, 'the demo has a branch with members')
    const member = await plainMember(page, branch)
    assert.ok(member, `${branch.name} has a full member without an open transfer`)
    const outside = '中共重庆市渝中区解放碑街道工作委员会（浏览器测试）'

    await page.goto(`${server.base}#/members/${member.id}`)
    await page.locator('[data-test="start-transfer"]').click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '发起组织关系转接' })
    await dialog.waitFor()
    await dialog.getByText('系统外的党组织').click()
    await dialog.locator('[data-test="external-org"]').fill(outside)
    await dialog.locator('textarea').fill('随配偶迁居（浏览器测试）')
    await dialog.locator('[data-test="submit-transfer"]').click()
    await dialog.waitFor({ state: 'hidden' })

    const transfer = (await apiGet(page, `api/v1/transfers?member=${member.id}`)).items[0]
    assert.equal(transfer.direction, 'outgoing')
    assert.equal(transfer.external_org, outside)
    const row = page.locator(`[data-test="transfer-table"] tr.transfer-${transfer.id}`)
    await row.getByText('转出本系统').waitFor()
    // Before approval there is no letter to print.
    assert.equal(await row.locator('[data-test="letter-link"]').count(), 0, 'no letter link before approval')

    await row.locator('[data-test="transfer-approve"]').click()
    await confirmStep(page, '审批')
    const receipt = row.locator('[data-test="transfer-receive"]')
    await receipt.waitFor()
    assert.equal((await receipt.textContent()).trim(), '登记回执', 'an outgoing transfer is received by recording its 回执')
    const letter = await row.locator('[data-test="letter-link"]').textContent()
    assert.match(letter, /^组转〔\d{4}〕\d{4}号$/, `the letter is numbered (${letter})`)

    await receipt.click()
    await confirmStep(page, '登记回执', '回执已于今日收到')
    await row.getByText('已接收').waitFor()
    const after = await apiGet(page, `api/v1/members/${member.id}`)
    assert.ok(after.departed_on, 'the member has departed')
    assert.equal(after.departed_to, outside)

    // The member page says so prominently and offers no changes any more.
    await page.goto(`${server.base}#/members/${member.id}`)
    const banner = page.locator('[data-test="departed-banner"]')
    await banner.waitFor()
    assert.ok((await banner.textContent()).includes('组织关系已转出'))
    assert.ok((await banner.textContent()).includes(outside))
    await page.locator('[data-test="departed-tag"]').waitFor()
    assert.equal(await page.locator('[data-test="member-actions"]').count(), 0, 'no change actions for a departed member')
    await page.locator('[data-test="member-events"]').getByText('转出组织关系').waitFor()

    // Gone from the branch's list; found with the 已转出 filter.
    await page.goto(`${server.base}#/members?org=${branch.id}`)
    await settle(page)
    await page.locator('[data-test="member-table"] .el-table__row').first().waitFor()
    assert.equal(await page.locator('[data-test="member-table"]').getByRole('link', { name: member.name, exact: true }).count(), 0, 'not listed among the branch members')
    await pickOption(page, page.locator('[data-test="member-status"]'), '已转出')
    await settle(page)
    const departedRow = page.locator('[data-test="member-table"] .el-table__row').filter({ has: page.getByRole('link', { name: member.name, exact: true }) })
    await departedRow.getByText('已转出').waitFor()
    assert.equal((await apiGet(page, `api/v1/orgs/${branch.id}`)).member_count, branch.member_count - 1, 'the branch counts one member less')
    const fullNow = (await apiGet(page, `api/v1/members?org=${branch.id}&status=full&page_size=100`)).items
    assert.ok(!fullNow.some((m) => m.id === member.id), 'nor listed among the branch’s 正式党员')

    assert.deepEqual(page.errors, [], 'no uncaught errors in the page')
  }),
)

test('register a member arriving from outside: a bad ID number on its item, then corrected', (t) =>
  withServer(t, ROUTES, async ({ server, browser }) => {
    const page = await newPage(browser)
    await logIn(page, server.base, server.login(ORG_ADMIN))
    const branch = await findOrg(page, async (o) => BRANCH_KINDS.includes(o.kind))
    assert.ok(branch, 'the demo has a branch')

    await page.goto(`${server.base}#/transfers`)
    await page.locator('[data-test="new-incoming"]').click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '登记从系统外转入' })
    await dialog.waitFor()
    await pickOrg(page, dialog.locator('[data-test="incoming-branch"]'), branch.id)
    await dialog.locator('[data-test="incoming-external-org"]').fill('中共贵州省遵义市某某镇委员会')
    await dialog.locator('[data-test="incoming-letter-number"]').fill('遵组转〔2026〕17号')
    await dialog.locator('[data-test="incoming-reason"]').fill('回原籍居住（浏览器测试）')
    const name = '韩立新'
    const good = idNumber('19820314')
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0') // a wrong check digit
    await dialog.locator('[data-test="incoming-name"]').fill(name)
    await dialog.locator('[data-test="incoming-id-number"]').fill(bad)
    await dialog.locator('[data-test="incoming-phone"]').fill('13900001234')
    await pickOption(page, dialog.locator('[data-test="incoming-education"]'), '大学本科')
    await pickOption(page, dialog.locator('[data-test="incoming-category"]'), '农村')
    await fillDate(formItem(dialog, '入党日期'), '2008-07-01')
    await fillDate(formItem(dialog, '转正日期'), '2009-07-01')

    await dialog.locator('[data-test="submit-incoming"]').click()
    const idItem = formItem(dialog, '身份证号')
    await idItem.locator('.el-form-item__error').waitFor()
    const message = (await idItem.locator('.el-form-item__error').textContent()).trim()
    assert.ok(/身份证|校验/.test(message), `the ID number's item shows the server's message (${message})`)
    assert.equal((await apiGet(page, 'api/v1/transfers?direction=incoming')).items.length, 0, 'nothing was created')

    await dialog.locator('[data-test="incoming-id-number"]').fill(good)
    await dialog.locator('[data-test="submit-incoming"]').click()
    await dialog.waitFor({ state: 'hidden' })

    const incoming = (await apiGet(page, 'api/v1/transfers?direction=incoming')).items
    assert.equal(incoming.length, 1, 'one incoming transfer')
    assert.equal(incoming[0].member_name, name)
    assert.equal(incoming[0].status, 'received')
    assert.equal(incoming[0].to_org_id, branch.id)
    const row = page.locator(`[data-test="transfer-table"] tr.transfer-${incoming[0].id}`)
    await row.getByText('从系统外转入').waitFor()
    await row.getByText('遵组转〔2026〕17号').waitFor()
    assert.equal(await row.locator('[data-test="letter-link"]').count(), 0, 'an outside letter is not printed here')

    const created = await apiGet(page, `api/v1/members/${incoming[0].member_id}`)
    assert.equal(created.org_id, branch.id)
    assert.equal(created.status, 'full')
    await row.getByRole('link', { name }).click()
    await page.locator('[data-test="member-events"]').getByText('转入组织关系').waitFor()

    assert.deepEqual(page.errors, [], 'no uncaught errors in the page')
  }),
)

test('the 支部书记 waits for the 基层党委 and is told why when trying its step', (t) =>
  withServer(t, ROUTES, async ({ server, browser }) => {
    const page = await newPage(browser)
    await logIn(page, server.base, server.login(BRANCH_SECRETARY))
    const branch = (await apiGet(page, 'api/v1/orgs/roots')).items[0]
    const member = await plainMember(page, branch)
    assert.ok(member, `${branch.name} has a full member`)
    const transfer = await apiDo(page, 'POST', 'api/v1/transfers', { member_id: member.id, external_org: '中共某某县委组织部', reason: '工作调动（浏览器测试）' })

    await page.goto(`${server.base}#/transfers`)
    const row = page.locator(`[data-test="transfer-table"] tr.transfer-${transfer.id}`)
    await row.locator('[data-test="transfer-cancel"]').waitFor()
    assert.equal(await row.locator('[data-test="transfer-approve"]').count(), 0, 'no 审批 for a 支部书记')
    assert.equal((await row.locator('[data-test="transfer-waiting"]').textContent()).trim(), '待转出方党委审批')

    // Had they tried, the server's answer names who may.
    const refused = await apiSend(page, 'POST', `api/v1/transfers/${transfer.id}/approve`, {})
    assert.equal(refused.status, 403)
    assert.equal(refused.body.error.code, 'transfer.wrong_side')
    assert.match(refused.body.error.message, /基层党委/)

    // The sender may withdraw it, with or without a reason.
    await row.locator('[data-test="transfer-cancel"]').click()
    await confirmStep(page, '撤回')
    await row.getByText('已撤销').waitFor()
    assert.equal((await apiGet(page, `api/v1/transfers/${transfer.id}`)).status, 'cancelled')

    assert.deepEqual(page.errors, [], 'no uncaught errors in the page')
  }),
)
