// 本地设置: the 组织部管理员 changes the 介绍信有效期 on the settings page (an out-of-bounds value is
// refused on the field first); a letter approved afterwards is valid for the new number of days.
// The 支部书记 sees the settings read-only.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  BRANCH_KINDS,
  BRANCH_SECRETARY,
  ORG_ADMIN,
  apiDo,
  apiGet,
  findOrg,
  logIn,
  newPage,
  plainMember,
  screenshot,
  shanghaiDate,
  withServer,
} from './harness.mjs'

const KEY = 'member.transfer_letter_validity_days'

test('change the letter validity on the settings page', (t) =>
  withServer(t, ['/api/v1/settings', '/api/v1/settings/{key}', '/api/v1/transfers/{id}/approve'], async ({ server, browser }) => {
    const page = await newPage(browser)
    await logIn(page, server.base, server.login(ORG_ADMIN))

    await page.goto(`${server.base}#/settings`)
    const card = page.locator(`[data-test="setting-${KEY}"]`)
    await card.waitFor()
    assert.equal((await card.locator('[data-test="setting-current"]').textContent()).trim(), '90 天')
    await card.getByText('使用默认值', { exact: true }).waitFor()
    await card.getByText('7–183 天').first().waitFor()

    await card.locator('[data-test="edit-setting"]').click()
    const input = card.locator('.el-input-number input')
    await input.fill('200')
    await card.locator('[data-test="save-setting"]').click()
    const error = card.locator('.el-form-item__error')
    await error.waitFor()
    assert.match(await error.textContent(), /7至183天/)
    assert.equal((await apiGet(page, 'api/v1/settings')).items.find((s) => s.key === KEY).value, 90, 'unchanged')

    await input.fill('30')
    await card.locator('[data-test="save-setting"]').click()
    await card.locator('[data-test="setting-current"]').getByText('30 天').waitFor()
    await card.getByText('已调整（默认 90 天）').waitFor()
    assert.equal((await apiGet(page, 'api/v1/settings')).items.find((s) => s.key === KEY).value, 30)

    // A letter approved now is valid for 30 days.
    let from = null
    let to = null
    await findOrg(page, async (parent) => {
      const kids = (await apiGet(page, `api/v1/orgs/${parent.id}/children`)).items.filter((o) => o.status === 'active' && BRANCH_KINDS.includes(o.kind))
      from = kids.find((o) => o.member_count >= 3)
      to = kids.find((o) => o !== from)
      return !!(from && to)
    })
    assert.ok(from && to, 'two sibling branches')
    const member = await plainMember(page, from)
    const transfer = await apiDo(page, 'POST', 'api/v1/transfers', { member_id: member.id, to_org_id: to.id, reason: '工作调动（浏览器测试）' })
    const approved = await apiDo(page, 'POST', `api/v1/transfers/${transfer.id}/approve`, {})
    assert.equal(approved.letter_valid_until, shanghaiDate(30), 'valid for the new 30 days')

    // The 支部书记 reads the settings but cannot change them.
    const secretary = await newPage(browser)
    await logIn(secretary, server.base, server.login(BRANCH_SECRETARY))
    await secretary.goto(`${server.base}#/settings`)
    await secretary.locator('[data-test="settings-readonly"]').waitFor()
    const theirs = secretary.locator(`[data-test="setting-${KEY}"]`)
    await theirs.locator('[data-test="setting-current"]').getByText('30 天').waitFor()
    assert.equal(await theirs.locator('[data-test="edit-setting"]').count(), 0, 'no 修改 for the 支部书记')

    assert.deepEqual(page.errors, [], 'no uncaught errors in the page')
    assert.deepEqual(secretary.errors, [], 'no uncaught errors in the page')
  }),
)

// 审核问题清单: the 组织部管理员 adds an item to a class and one under a new class (a duplicate is
// refused on the title), retires one with a reason — it leaves the list offered to reviewers but
// shows, struck through, with 显示已停用. The 支部书记 reads the list without the form.
test('edit the review checklist on the settings page', (t) =>
  withServer(t, ['/api/v1/meetings/checklist', '/api/v1/meetings/checklist/items', '/api/v1/meetings/checklist/items/{id}/retire'], async ({ server, browser }) => {
    const page = await newPage(browser)
    await logIn(page, server.base, server.login(ORG_ADMIN))
    await page.goto(`${server.base}#/settings`)
    const editor = page.locator('[data-test="checklist-editor"]')
    await editor.waitFor()
    const before = (await apiGet(page, 'api/v1/meetings/checklist')).classes
    const records = before.find((c) => c.title === '会议记录不规范')
    assert.ok(records, 'the seeded class 会议记录不规范')
    await editor.locator(`[data-test="checklist-class-${records.id}"]`).waitFor()

    // Pick the class and add an item.
    const add = editor.locator('[data-test="checklist-add"]')
    // Element Plus puts a field's attributes on its <input>, a select's on its wrapper.
    const field = (name) => add.locator(`input[data-test="${name}"], [data-test="${name}"] input`).first()
    await add.locator('[data-test="checklist-class"]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '会议记录不规范' }).click()
    await field('checklist-title').fill('会议记录未经主持人签字确认')
    await field('checklist-source').fill('本县组织生活纪实规范 第五条')
    await add.locator('[data-test="checklist-add-submit"]').click()
    const added = editor.locator('[data-title="会议记录未经主持人签字确认"]')
    await added.waitFor()
    await added.getByText('依据：本县组织生活纪实规范 第五条').waitFor()
    let now = (await apiGet(page, 'api/v1/meetings/checklist')).classes
    const item = now.find((c) => c.id === records.id).items.find((i) => i.title === '会议记录未经主持人签字确认')
    assert.ok(item, 'the item is in its class on the server')
    assert.equal(item.seeded, false)

    // The same title again in that class: refused under the title, nothing added.
    await field('checklist-title').fill('会议记录未经主持人签字确认')
    await add.locator('[data-test="checklist-add-submit"]').click()
    const titleError = add.locator('.add-title .el-form-item__error')
    await titleError.waitFor()
    assert.ok((await titleError.textContent()).trim().length > 0, 'the refusal is shown under 问题条目')
    now = (await apiGet(page, 'api/v1/meetings/checklist')).classes
    assert.equal(now.find((c) => c.id === records.id).items.filter((i) => i.title === '会议记录未经主持人签字确认').length, 1, 'not added twice')

    // A new class by its title.
    await field('checklist-class').fill('意识形态工作')
    await page.keyboard.press('Enter')
    await field('checklist-title').fill('学习内容未结合本单位实际')
    await field('checklist-source').fill('')
    await add.locator('[data-test="checklist-add-submit"]').click()
    await editor.locator('[data-title="学习内容未结合本单位实际"]').getByText('依据：本地做法').waitFor()
    now = (await apiGet(page, 'api/v1/meetings/checklist')).classes
    assert.equal(now.length, before.length + 1, 'one class more')
    assert.equal(now.at(-1).title, '意识形态工作', 'the new class comes last')
    await screenshot(page, 'settings-checklist')

    // Retire the item with a reason: gone from the list in use, shown struck through on request.
    await added.locator('[data-test="checklist-retire"]').click()
    const dialog = page.locator('.el-dialog:visible')
    await dialog.locator('textarea[data-test="reason-input"], [data-test="reason-input"] textarea').first().fill('并入“记录要素不全”')
    await dialog.locator('[data-test="reason-submit"]').click()
    await added.waitFor({ state: 'detached' })
    now = (await apiGet(page, 'api/v1/meetings/checklist')).classes
    assert.ok(!now.find((c) => c.id === records.id).items.some((i) => i.id === item.id), 'no longer offered')
    const all = (await apiGet(page, 'api/v1/meetings/checklist?retired=true')).classes
    assert.equal(all.find((c) => c.id === records.id).items.find((i) => i.id === item.id).retired, true)
    await editor.locator('[data-test="checklist-show-retired"]').click()
    await editor.locator(`[data-test="checklist-item-${item.id}"] [data-test="checklist-retired-tag"]`).waitFor()
    assert.equal(await editor.locator(`[data-test="checklist-item-${item.id}"] [data-test="checklist-retire"]`).count(), 0, 'a retired item cannot be retired again')

    // The 支部书记 reads the list but has no form.
    const secretary = await newPage(browser)
    await logIn(secretary, server.base, server.login(BRANCH_SECRETARY))
    await secretary.goto(`${server.base}#/settings`)
    const theirs = secretary.locator('[data-test="checklist-editor"]')
    await theirs.locator(`[data-test="checklist-class-${records.id}"]`).waitFor()
    assert.equal(await theirs.locator('[data-test="checklist-add"]').count(), 0, 'no form for the 支部书记')
    assert.equal(await theirs.locator('[data-test="checklist-retire"]').count(), 0, 'no 停用 for the 支部书记')

    assert.deepEqual(page.errors, [], 'no uncaught errors in the page')
    assert.deepEqual(secretary.errors, [], 'no uncaught errors in the page')
  }),
)
