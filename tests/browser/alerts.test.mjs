// 预警: the 组织部管理员 opens the alert board (立即检查 rescans the subtree for this month), whose
// tiles, counts by rule and red/yellow/green lights are the server's; drills down the tree by the
// lights to the 支部书记's branch and back by the breadcrumb, filters the list by a rule, opens a
// finding's facts and source, and acknowledges it — an empty note refused on its form item, then
// with a note: the row says 已确认 and the server answers acknowledged. The 支部书记's home page lists
// the branch's findings, that one with the note. A member of the branch lost contact seven months
// ago (set up through the API) so that the branch has a finding whatever else the demo holds.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  BRANCH_SECRETARY,
  ORG_ADMIN,
  apiDo,
  apiGet,
  logIn,
  newPage,
  plainMember,
  settle,
  shanghaiDate,
  withServer,
} from './harness.mjs'

const ROUTES = ['/api/v1/rules', '/api/v1/findings', '/api/v1/findings/board', '/api/v1/findings/{id}/acknowledge', '/api/v1/findings/scan']
const LOST_CONTACT = 'member.lost_contact.six_months'

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `read` until it equals `expected` (the page loads after the facts were read), then asserts. */
async function settlesTo(read, expected, message) {
  let actual
  for (let i = 0; i < 50; i++) {
    actual = await read()
    if (JSON.stringify(actual) === JSON.stringify(expected)) break
    await sleep(200)
  }
  assert.deepEqual(actual, expected, message)
}

/** What the board shows: the five tiles, the counts by rule, the lights of the children shown. */
async function shownBoard(page) {
  const tile = async (name) => Number((await page.locator(`[data-test="tile-${name}"] .tile-value`).textContent()).trim())
  const rules = await page
    .locator('[data-test="rule-counts"] .el-table__row')
    .evaluateAll((rows) => rows.map((r) => ({ rule: r.querySelector('[data-rule]')?.dataset.rule, count: Number(r.querySelector('[data-test="rule-count"]')?.textContent) })))
  const lights = await page
    .locator('[data-test="child-board"] [data-org]')
    .evaluateAll((tiles) => tiles.map((t) => ({ org: Number(t.dataset.org), light: t.dataset.light })))
  return {
    red: await tile('red'),
    yellow: await tile('yellow'),
    info: await tile('info'),
    open: await tile('open'),
    acknowledged: await tile('acknowledged'),
    rules,
    lights: lights.sort((a, b) => a.org - b.org),
  }
}

/** The same, from the API with the page's session (the lights of the red and yellow children). */
async function serverBoard(page, orgId) {
  const board = await apiGet(page, `api/v1/findings/board?org=${orgId}`)
  const count = async (status) => (await apiGet(page, `api/v1/findings?org=${orgId}&status=${status}&page_size=1`)).total
  return {
    board,
    shown: {
      ...board.totals,
      open: await count('open'),
      acknowledged: await count('acknowledged'),
      rules: board.by_rule.map((r) => ({ rule: r.rule_id, count: r.count })),
      // The page shows the red and yellow lights until asked for all (all when every one is green).
      lights: (board.children.some((c) => c.light !== 'green') ? board.children.filter((c) => c.light !== 'green') : board.children)
        .map((c) => ({ org: c.org_id, light: c.light }))
        .sort((a, b) => a.org - b.org),
    },
  }
}

test('the alert board: counts, drill-down, a rule filter, facts and an acknowledgement; the branch secretary’s to-do list', (t) =>
  withServer(t, ROUTES, async ({ server, browser }) => {
    // The 支部书记's branch, from their own session.
    const secretary = await newPage(browser)
    await logIn(secretary, server.base, server.login(BRANCH_SECRETARY))
    const branch = (await apiGet(secretary, 'api/v1/orgs/roots')).items[0]

    const page = await newPage(browser)
    await logIn(page, server.base, server.login(ORG_ADMIN))
    const root = (await apiGet(page, 'api/v1/orgs/roots')).items[0]
    const lost = await plainMember(page, branch)
    assert.ok(lost, `${branch.name} has a full member in contact`)
    const since = shanghaiDate(-215)
    await apiDo(page, 'POST', `api/v1/members/${lost.id}/lost-contact`, { since, reason: '电话停机，走访原住址无人（浏览器测试）' })

    // 预警 from the menu, then 立即检查: the server rescans the root's subtree for this month (it
    // also rescans changed subtrees by itself every few seconds and everything daily).
    await page.locator('.top-nav .el-menu-item', { hasText: '预警' }).click()
    await page.waitForURL((url) => url.hash.startsWith('#/alerts'))
    await page.locator('[data-test="alerts-scan"]').waitFor()
    const [scanned] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('api/v1/findings/scan') && r.request().method() === 'POST'),
      page.waitForResponse((r) => r.url().includes('api/v1/findings/board') && r.ok()),
      page.locator('[data-test="alerts-scan"]').click(),
    ])
    assert.equal(scanned.status(), 200)
    assert.ok((await scanned.json()).found > 0, 'the scan finds something in the demo county')
    await settle(page)

    // The root's board is the server's, and its counts agree with each other.
    let expected = await serverBoard(page, root.id)
    await settlesTo(() => shownBoard(page), expected.shown, `${root.name}: tiles, counts by rule and lights`)
    const { red, yellow, info } = expected.board.totals
    assert.ok(red > 0, 'at least the lost contact is red')
    assert.equal(expected.shown.open + expected.shown.acknowledged, red + yellow + info, 'open + acknowledged = every severity')
    assert.equal(
      expected.board.by_rule.reduce((a, r) => a + r.count, 0),
      red + yellow + info,
      'the counts by rule add up to the tiles',
    )
    assert.ok(expected.board.by_rule.some((r) => r.rule_id === LOST_CONTACT), 'the lost-contact rule is counted')

    // Drill down by the lights, from the root to the secretary's branch: each level's board is the
    // server's and the breadcrumb names the way.
    const path = [...(await apiGet(page, `api/v1/orgs/${branch.id}`)).ancestors.filter((a) => a.id !== root.id), { id: branch.id, name: branch.name }]
    let trail = [root.name]
    for (const step of path) {
      const light = page.locator(`[data-test="child-board"] [data-org="${step.id}"]`)
      assert.equal(await light.getAttribute('data-light'), 'red', `${step.name} is red (the lost contact lies in it)`)
      await light.click()
      await page.waitForURL((url) => url.hash.includes(`org=${step.id}`))
      trail = [...trail, step.name]
      await settlesTo(
        async () => (await page.locator('[data-test="alerts-breadcrumb"] .el-breadcrumb__inner').allTextContents()).map((s) => s.trim()),
        trail,
        'the breadcrumb names the way down',
      )
      expected = await serverBoard(page, step.id)
      await settlesTo(() => shownBoard(page), expected.shown, `${step.name}: tiles, counts by rule and lights`)
    }
    assert.equal(await page.locator('[data-test="child-board"]').count(), 0, 'a branch has no board of lights')

    // Filter by a rule: the list holds that rule's findings alone, as many as the server has.
    await Promise.all([
      page.waitForResponse((r) => r.url().includes(`rule=${LOST_CONTACT}`) && r.ok()),
      page.locator(`[data-test="rule-counts"] [data-rule="${LOST_CONTACT}"]`).click(),
    ])
    await settle(page)
    const listed = await apiGet(page, `api/v1/findings?org=${branch.id}&rule=${LOST_CONTACT}&page_size=200`)
    const rule = (await apiGet(page, 'api/v1/rules')).items.find((r) => r.id === LOST_CONTACT)
    await page.locator('[data-test="rule-filter"]').getByText(rule.title).waitFor()
    assert.equal((await page.locator('[data-test="finding-total"]').textContent()).trim(), `共 ${listed.total} 条`)
    const titles = await page.locator('[data-test="finding-list"] .el-table__row .rule-name').allTextContents()
    assert.equal(titles.length, Math.min(listed.total, 20))
    assert.ok(titles.every((s) => s.trim() === rule.title), `only ${rule.title}: ${titles}`)

    // Our finding's facts and source in the details drawer.
    const finding = listed.items.find((f) => f.subject_kind === 'member' && f.subject_id === lost.id)
    assert.ok(finding, `the lost contact of ${lost.name} is a finding`)
    assert.equal(finding.status, 'open')
    assert.equal(finding.facts.lost_contact_since, since)
    const row = page.locator('[data-test="finding-list"] .el-table__row').filter({ has: page.locator(`[data-finding="${finding.id}"]`) })
    assert.equal((await row.locator('[data-test="finding-subject"]').textContent()).trim(), lost.name)
    assert.equal(await row.locator('[data-test="finding-subject"]').getAttribute('href'), `#/members/${lost.id}`)
    await row.getByText(finding.message).waitFor()
    await row.locator('[data-test="finding-open"]').click()
    const detail = page.locator('[data-test="finding-detail"]')
    await detail.waitFor()
    assert.equal((await detail.locator('[data-fact="lost_contact_since"]').textContent()).trim(), since)
    assert.equal((await detail.locator('[data-test="finding-source"]').textContent()).trim(), rule.source)
    assert.equal((await detail.locator('[data-test="finding-message"]').textContent()).trim(), finding.message)
    await page.keyboard.press('Escape')
    await detail.waitFor({ state: 'hidden' })

    // 确认: an empty note is refused on its form item; with a note the row says 已确认.
    await row.locator('[data-test="finding-acknowledge"]').click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '确认预警' })
    await dialog.waitFor()
    await dialog.locator('[data-test="submit-ack"]').click()
    const error = dialog.locator('.el-form-item__error')
    await error.waitFor()
    assert.match(await error.textContent(), /请填写说明/)
    assert.equal((await apiGet(page, `api/v1/findings?org=${branch.id}&rule=${LOST_CONTACT}&status=open&page_size=200`)).items.some((f) => f.id === finding.id), true, 'still open')
    const note = '已安排支部书记再次走访查找（浏览器测试）'
    await dialog.locator('[data-test="ack-note"]').fill(note)
    await dialog.locator('[data-test="submit-ack"]').click()
    await dialog.waitFor({ state: 'hidden' })
    await row.locator('[data-test="finding-status"]').getByText('已确认').waitFor()
    assert.equal((await row.locator('[data-test="finding-note"]').textContent()).trim(), note)
    assert.equal(await row.locator('[data-test="finding-acknowledge"]').count(), 0, 'no second 确认')
    const acknowledged = (await apiGet(page, `api/v1/findings?org=${branch.id}&status=acknowledged&page_size=200`)).items.find((f) => f.id === finding.id)
    assert.ok(acknowledged, 'the server answers the finding acknowledged')
    assert.equal(acknowledged.note, note)
    assert.ok(acknowledged.acknowledged_at, 'with the time of the acknowledgement')
    expected = await serverBoard(page, branch.id)
    await settlesTo(() => shownBoard(page), expected.shown, 'the tiles count the acknowledgement')

    // Back up by the breadcrumb: the root's board, counting the acknowledgement too.
    await page.locator('[data-test="alerts-breadcrumb"] .el-breadcrumb__inner').first().click()
    await page.waitForURL((url) => url.hash.includes(`org=${root.id}`))
    expected = await serverBoard(page, root.id)
    await settlesTo(() => shownBoard(page), expected.shown, `back at ${root.name}`)

    // The rules catalogue, one row per rule with its source.
    await page.getByRole('tab', { name: /规则目录/ }).click()
    await page.locator('[data-test="rule-catalogue"]').waitFor()
    const catalogue = (await apiGet(page, 'api/v1/rules')).items
    const ids = await page.locator('[data-test="rule-catalogue"] [data-rule-id]').evaluateAll((cells) => cells.map((c) => c.dataset.ruleId))
    assert.deepEqual(ids, catalogue.map((r) => r.id))
    await page.locator('[data-test="rule-catalogue"]').getByText(rule.source).waitFor()

    // The 支部书记's home page: the branch's findings as a to-do list, open ones first, ours with its note.
    await secretary.reload()
    const todo = secretary.locator('[data-test="home-findings"]')
    await todo.waitFor()
    const theirs = (await apiGet(secretary, `api/v1/findings?org=${branch.id}&page_size=20`)).items
    const order = [...theirs.filter((f) => f.status === 'open'), ...theirs.filter((f) => f.status !== 'open')].map((f) => String(f.id))
    assert.deepEqual(await todo.locator('[data-finding]').evaluateAll((items) => items.map((i) => i.dataset.finding)), order)
    const item = todo.locator(`[data-finding="${finding.id}"]`)
    assert.equal((await item.locator('[data-test="finding-message"]').textContent()).trim(), finding.message)
    assert.equal(await item.locator('[data-test="finding-subject"]').getAttribute('href'), `#/members/${lost.id}`)
    await item.locator('[data-test="finding-status"]').getByText('已确认').waitFor()
    await item.getByText(note).waitFor()
    const open = (await apiGet(secretary, `api/v1/findings?org=${branch.id}&status=open&page_size=1`)).total
    assert.equal((await secretary.locator('[data-test="home-open-findings"] .stat-value').textContent()).trim(), String(open))
    await item.locator('[data-test="finding-subject"]').click()
    await secretary.waitForURL((url) => url.hash === `#/members/${lost.id}`)

    assert.deepEqual(page.errors, [], 'no uncaught errors in the page')
    assert.deepEqual(secretary.errors, [], 'no uncaught errors in the page')
  }),
)
