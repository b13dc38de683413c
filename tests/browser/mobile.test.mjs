// 流动党员, 失联 and corrections on the member page: a member goes away to a place where another
// branch of the deployment takes them in (that branch's 流入党员 tab lists them; six months away
// raises the "应转移组织关系" warning), loses contact and is found again (six months raise the
// 停止党籍 warning, never an action), has their phone corrected after the server refused a bad one
// on its form item, and comes back home.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  BRANCH_KINDS,
  ORG_ADMIN,
  apiGet,
  fillDate,
  findOrg,
  formItem,
  logIn,
  newPage,
  pickOrg,
  plainMember,
  settle,
  shanghaiDate,
  withServer,
} from './harness.mjs'

const ROUTES = [
  '/api/v1/members/{id}/mobility',
  '/api/v1/members/{id}/mobility/end',
  '/api/v1/members/{id}/lost-contact',
  '/api/v1/members/{id}/lost-contact/end',
  '/api/v1/orgs/{id}/attached-members',
]

/** Opens the member page's change dialog with `button` and answers it. */
async function openDialog(page, button, title) {
  await page.locator(`[data-test="${button}"]`).click()
  const dialog = page.locator('.el-dialog').filter({ hasText: title })
  await dialog.waitFor()
  return dialog
}

async function submit(dialog) {
  await dialog.locator('[data-test="submit-change"]').click()
  await dialog.waitFor({ state: 'hidden' })
}

test('a mobile member attached to another branch, lost contact, a corrected phone', (t) =>
  withServer(t, ROUTES, async ({ server, browser }) => {
    const page = await newPage(browser)
    await logIn(page, server.base, server.login(ORG_ADMIN))

    const home = await findOrg(page, async (o) => BRANCH_KINDS.includes(o.kind) && o.member_count >= 3)
    assert.ok(home, 'the demo has a branch with members')
    const member = await plainMember(page, home)
    assert.ok(member, `${home.name} has a full member in contact and at home`)
    const host = await findOrg(page, async (o) => BRANCH_KINDS.includes(o.kind) && o.id !== home.id)
    assert.ok(host, 'the demo has a second branch')

    // 登记外出流动, eight months ago, attached to the host branch.
    await page.goto(`${server.base}#/members/${member.id}`)
    await page.locator('[data-test="member-events"]').waitFor()
    let dialog = await openDialog(page, 'register-mobility', '登记外出流动')
    await fillDate(formItem(dialog, '外出日期'), shanghaiDate(-240))
    await dialog.locator('[data-test="destination"]').fill('广东省深圳市南山区（浏览器测试）')
    await pickOrg(page, formItem(dialog, '流入地党支部').locator('.org-picker'), host.id)
    await submit(dialog)

    const card = page.locator('[data-test="mobility-card"]')
    await card.waitFor()
    assert.equal((await card.locator('[data-test="attached-org"]').textContent()).trim(), host.name)
    await card.locator('[data-test="transfer-due"]').getByText('外出满6个月，应转移组织关系').waitFor()
    await page.locator('[data-test="member-events"] b').getByText('外出流动', { exact: true }).waitFor()
    const mobile = (await apiGet(page, `api/v1/members/${member.id}`)).mobile
    assert.equal(mobile.attached_org_id, host.id)
    assert.equal(mobile.transfer_due, true)

    // The host branch's 流入党员 tab lists them.
    await page.goto(`${server.base}#/orgs/${host.id}`)
    await page.locator('[data-test="org-name"]').getByText(host.name).waitFor()
    await page.getByRole('tab', { name: '流入党员' }).click()
    await settle(page)
    const attached = page.locator('[data-test="attached-members"]')
    await attached.getByText(member.name, { exact: true }).waitFor()
    await attached.getByText(home.name).first().waitFor()

    // 失联 seven months ago: the reason is required; then the 停止党籍 warning, and no action.
    await page.goto(`${server.base}#/members/${member.id}`)
    await page.locator('[data-test="member-events"]').waitFor()
    dialog = await openDialog(page, 'register-lost', '登记失去联系')
    await fillDate(formItem(dialog, '失联日期'), shanghaiDate(-215))
    await dialog.locator('[data-test="submit-change"]').click()
    await formItem(dialog, '失联情况').locator('.el-form-item__error').waitFor()
    await dialog.locator('[data-test="lost-reason"]').fill('电话停机，走访原住址无人（浏览器测试）')
    await submit(dialog)
    const lost = page.locator('[data-test="lost-card"]')
    await lost.locator('[data-test="suspension-due"]').getByText('失联满6个月，可按规定停止党籍').waitFor()
    assert.equal((await apiGet(page, `api/v1/members/${member.id}`)).status, 'full', 'never suspended automatically')

    dialog = await openDialog(page, 'end-lost', '恢复联系')
    await submit(dialog)
    await lost.waitFor({ state: 'detached' })
    await page.locator('[data-test="member-events"] b').getByText('恢复联系', { exact: true }).waitFor()

    // 修改信息: a bad phone number is refused on its item; corrected, it is saved.
    dialog = await openDialog(page, 'edit-member', '修改党员信息')
    await dialog.locator('[data-test="edit-phone"]').fill('12345')
    await dialog.locator('[data-test="submit-change"]').click()
    const phoneError = formItem(dialog, '手机号').locator('.el-form-item__error')
    await phoneError.waitFor()
    assert.match(await phoneError.textContent(), /手机号/)
    await dialog.locator('[data-test="edit-phone"]').fill('13912345678')
    await dialog.locator('[data-test="edit-work-unit"]').fill('深圳市某某科技有限公司')
    await submit(dialog)
    await page.locator('[data-test="phone"]').getByText('139****5678').waitFor()
    await page.getByText('深圳市某某科技有限公司').first().waitFor()
    await page.locator('[data-test="member-events"] b').getByText('信息变更', { exact: true }).waitFor()

    // 流动返回: the card goes, and the host branch no longer lists them.
    dialog = await openDialog(page, 'end-mobility', '流动返回')
    await submit(dialog)
    await card.waitFor({ state: 'detached' })
    const still = (await apiGet(page, `api/v1/orgs/${host.id}/attached-members`)).items.filter((m) => m.id === member.id)
    assert.equal(still.length, 0, 'back home, no longer attached')

    assert.deepEqual(page.errors, [], 'no uncaught errors in the page')
  }),
)
