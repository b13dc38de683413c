// 连续六个月不交纳党费的处置 through the console (党章 第九条). The 组织部管理员 opens the arrears
// board, where a member flagged six months unpaid offers 启动处置; the case page shows the five
// steps of the server's table. The branch's verification (无正当理由), the talk with its 限期改正,
// then the 支部大会: a vote with exactly half of the voters present is refused on its field (the
// two halves), half + 1 passes; the higher organisation's approval ends the case, and the member is
// then 出党 (自行脱党除名) in the registry, as the case page and the server say. Every figure checked
// is the real server's, read through its API with the same session.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  ORG_ADMIN,
  PHONE,
  apiGet,
  fillDate,
  logIn,
  newPage,
  openStep,
  pickOption,
  screenshot,
  settle,
  shanghaiDate,
  sidewaysOverflow,
  tallScreenshot,
  withServer,
} from './harness.mjs'

const ROUTES = ['/api/v1/dues/arrears', '/api/v1/dues/lapse/steps', '/api/v1/dues/lapse/cases', '/api/v1/dues/lapse/cases/{id}/steps']

/** The form item of a step field (StepDialog marks each with data-field). */
const item = (dialog, name) => dialog.locator(`.el-form-item[data-field="${name}"]`)

/** Fills a step's form from `values` (by field name) through its widgets, by the field's type. */
async function fillStep(page, dialog, spec, values) {
  const fields = [{ name: 'done_on', type: 'date' }, ...spec.fields]
  for (const field of fields) {
    if (!(field.name in values)) continue
    const value = values[field.name]
    const it = item(dialog, field.name)
    switch (field.type) {
      case 'date':
        await fillDate(it.locator('input').first(), value)
        // Close the calendar (a click on the dialog's title) so that it covers no other field.
        await dialog.locator('.el-dialog__title').click()
        await page.locator('.el-picker__popper:visible').first().waitFor({ state: 'hidden' }).catch(() => {})
        break
      case 'integer': {
        const input = it.locator('input').first()
        await input.fill(String(value))
        await input.press('Tab')
        break
      }
      case 'choice':
        await pickOption(page, it.locator('.el-select'), field.choices.find((c) => c.id === value).title)
        break
      default:
        await it.locator('textarea, input').first().fill(String(value))
    }
  }
}

/** Submits a step's form and waits until the timeline shows it done. */
async function submitStep(page, dialog, n) {
  await dialog.locator('[data-test="submit-step"]').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.locator(`.step-item[data-step="${n}"][data-state="done"]`).waitFor()
}

test('处置: from the arrears board through the 支部大会 to the approval; the member leaves the Party', (t) =>
  withServer(t, ROUTES, async ({ server, browser }) => {
    const pages = []
    const page = await newPage(browser)
    pages.push(page)
    await logIn(page, server.base, server.login(ORG_ADMIN))
    const table = await apiGet(page, 'api/v1/dues/lapse/steps')
    const spec = (n) => table.steps.find((s) => s.number === n)
    assert.ok(spec(5), 'the table has five steps')

    // ---- The arrears board: a flagged member offers 启动处置 -----------------------------------
    await page.goto(server.base + '#/dues/arrears')
    await settle(page)
    const start = page.locator('[data-test="arrears-list"] .six-months [data-test="start-lapse"]').first()
    await start.waitFor()
    const row = page.locator('[data-test="arrears-list"] .six-months').filter({ has: page.locator('[data-test="start-lapse"]') }).first()
    const memberId = Number(/member-(\d+)/.exec(await row.getAttribute('class'))[1])
    const before = await apiGet(page, `api/v1/members/${memberId}`)
    assert.equal(before.status, 'full')
    await screenshot(page, 'lapse-arrears-board')
    await start.click()
    const box = page.locator('.el-message-box:visible')
    await box.waitFor()
    assert.match(await box.textContent(), /支部大会决定、上级党组织批准/)
    await box.locator('.el-message-box__btns .el-button--primary').click()
    await page.waitForURL((url) => /#\/dues\/lapse\/\d+/.test(url.hash))
    await settle(page)
    const caseId = Number(/lapse\/(\d+)/.exec(page.url())[1])
    let record = await apiGet(page, `api/v1/dues/lapse/cases/${caseId}`)
    assert.equal(record.member_id, memberId)
    assert.equal((await page.locator('[data-test="lapse-member"]').textContent()).trim(), record.member_name)
    assert.match(await page.locator('[data-test="lapse-run"]').textContent(), new RegExp(`连续 ${record.unpaid_months} 个月`))
    assert.equal(await page.locator('.step-item').count(), 5)
    assert.equal(await page.locator('.step-item[data-step="1"]').getAttribute('data-state'), 'next')

    // ---- 1 支部核实, 2 谈话、限期改正 -----------------------------------------------------------
    let dialog = await openStep(page, 1)
    await fillStep(page, dialog, spec(1), { done_on: shanghaiDate(-20), finding: 'no_proper_reason', findings: '经核实，外出务工期间未交纳党费，未说明理由' })
    await submitStep(page, dialog, 1)
    dialog = await openStep(page, 2)
    await fillStep(page, dialog, spec(2), { done_on: shanghaiDate(-19), interviewer: '李书记', summary: '谈话提醒，批评教育', deadline_on: shanghaiDate(-10) })
    await submitStep(page, dialog, 2)
    await tallScreenshot(page, 'lapse-case-after-talk')
    assert.equal((await page.locator('[data-test="lapse-deadline"]').textContent()).trim(), shanghaiDate(-10))

    // ---- The member's page shows the open case on the 党费卡 and leads back to it -------------
    await page.goto(server.base + `#/members/${memberId}`)
    await settle(page)
    const open = page.locator('[data-test="dues-card-lapse"]')
    await open.waitFor()
    assert.match(await open.textContent(), /已办第2步/)
    await screenshot(page, 'lapse-member-dues-card')
    await open.locator('[data-test="dues-card-lapse-link"]').click()
    await page.waitForURL((url) => url.hash.endsWith(`/dues/lapse/${caseId}`))
    await settle(page)
    await page.locator('.step-item[data-step="2"][data-state="done"]').waitFor()
    // After the talk: 已改正 or the 支部大会.
    assert.equal(await page.locator('.step-item[data-step="3"]').getAttribute('data-state'), 'next')
    assert.equal(await page.locator('.step-item[data-step="4"]').getAttribute('data-state'), 'next')
    assert.equal(await page.locator('[data-test="lapse-ledger"]').getAttribute('data-cleared'), 'false')

    // ---- 4 支部大会: exactly half present is refused on its field; half + 1 passes -------------
    record = await apiGet(page, `api/v1/dues/lapse/cases/${caseId}`)
    const voters = record.eligible_voters
    assert.ok(voters >= 2, `the branch has ${voters} voters`)
    const expected = voters % 2 === 0 ? voters : voters - 1
    dialog = await openStep(page, 4)
    const half = { done_on: shanghaiDate(0), attending_voters: expected / 2, votes_for: expected / 2 }
    if (expected !== voters) Object.assign(half, { expected_voters: expected, exclusion_note: '1名长期卧床，经镇党委同意不计入' })
    await fillStep(page, dialog, spec(4), half)
    await dialog.locator('[data-test="submit-step"]').click()
    const refusal = item(dialog, 'attending_voters').locator('.el-form-item__error')
    await refusal.waitFor()
    assert.match(await refusal.textContent(), /超过应到会有表决权人数的半数/)
    await tallScreenshot(page, 'lapse-quorum-refused')
    assert.equal((await apiGet(page, `api/v1/dues/lapse/cases/${caseId}`)).steps.length, 2, 'nothing recorded')
    await fillStep(page, dialog, spec(4), { attending_voters: expected / 2 + 1, votes_for: expected / 2 + 1 })
    await submitStep(page, dialog, 4)

    // ---- 5 上级党组织批准: the member leaves the Party ------------------------------------------
    dialog = await openStep(page, 5)
    await fillStep(page, dialog, spec(5), { done_on: shanghaiDate(0), decision: 'approved', approved_by: '中共城关镇委员会', document_number: '城党组〔2026〕9号' })
    await submitStep(page, dialog, 5)
    const status = page.locator('[data-test="lapse-status"]')
    await page.waitForFunction(() => document.querySelector('[data-test="lapse-status"]')?.getAttribute('data-outcome') === 'removed')
    assert.match(await status.textContent(), /已除名/)
    assert.equal(await page.locator('[data-test="lapse-member-status"]').getAttribute('data-status'), 'exited')
    assert.match(await page.locator('[data-test="lapse-closed"]').textContent(), /已除名（自行脱党）/)
    await tallScreenshot(page, 'lapse-case-removed')
    const after = await apiGet(page, `api/v1/members/${memberId}`)
    assert.equal(after.status, 'exited')
    assert.equal(after.exit_kind, 'self_lapsed')
    const events = (await apiGet(page, `api/v1/members/${memberId}/events`)).items
    assert.equal(events.at(-1).kind, 'exit')
    assert.equal(events.at(-1).date, shanghaiDate(0))

    // The list of closed cases holds it.
    await page.goto(server.base + '#/dues/lapse')
    await settle(page)
    await page.locator('[data-test="lapse-status-filter"] label', { hasText: '已结案' }).click()
    const listed = page.locator(`[data-test="lapse-list"] .case-${caseId}`)
    await listed.waitFor()
    await settle(page)
    assert.match(await listed.textContent(), /已除名（自行脱党）/)
    // The tags and the filter fade in: the picture once they have.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'))
    await screenshot(page, 'lapse-list-closed')

    // ---- On a phone: the case page (facts, the five steps) and the list, never sideways ----------
    const phone = await newPage(browser, PHONE, page)
    await phone.goto(`${server.base}#/dues/lapse/${caseId}`)
    await phone.locator('[data-test="lapse-status"][data-outcome="removed"]').waitFor()
    await settle(phone)
    assert.ok((await sidewaysOverflow(phone)) <= 0, 'the case page does not scroll sideways on a phone')
    await tallScreenshot(phone, 'lapse-case-phone')
    await phone.goto(`${server.base}#/dues/lapse`)
    await phone.locator('[data-test="lapse-list"]').waitFor()
    await settle(phone)
    assert.ok((await sidewaysOverflow(phone)) <= 0, 'the list of cases does not scroll sideways on a phone')
    const tableOverflow = await phone.evaluate(() => {
      const wrap = document.querySelector('[data-test="lapse-list"] .el-scrollbar__wrap')
      return wrap ? wrap.scrollWidth - wrap.clientWidth : 0
    })
    assert.ok(tableOverflow <= 0, 'the table of cases fits the phone without scrolling inside it')
    await phone.locator('[data-test="lapse-status-filter"] label', { hasText: '全部' }).click()
    const phoneRow = phone.locator(`[data-test="lapse-list"] .case-${caseId}`)
    await phoneRow.waitFor()
    assert.match(await phoneRow.textContent(), /已除名（自行脱党）/)
    assert.match(await phoneRow.textContent(), /连续/, 'the unpaid run under the status')
    await settle(phone)
    await tallScreenshot(phone, 'lapse-list-phone')
    assert.deepEqual(phone.errors, [], 'no uncaught errors on the phone')
  }),
)
