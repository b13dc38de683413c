// 发展党员 through the console. The 组织部管理员 opens 发展党员 → 工作进度: the five stage cards, the
// counts by step and by child organisation equal the server's pipeline; a card opens the 发展对象名册
// filtered by its stage. Then one new person walks the 25 steps from application to full member
// through the console only, in a branch with a committee and 党小组, with dates in the past that
// satisfy every limit of 《中国共产党发展党员工作细则》(2014): applied 2023-01-05 (born 1995, an ID
// number with its GB 11643 check digit), activist 2023-07-10 (the application six months old, the
// default local setting), development target 2024-07-10 — one day earlier is refused by the server
// and its message shown under the form's date (细则 第十三条: one year of cultivation), nothing
// recorded — two full members as 培养联系人 and as 入党介绍人, the political review passed, three
// days of training, the 支部大会 of 2024-10-15 with everyone expected present and voting yes, the
// approval within three months, placement in a 党小组, the conversion meeting of 2025-10-20 (the
// probation ended 2025-10-15) with the outcome 按期转正, its approval and the archive. The case ends
// completed, its key dates are the server's, and the member page shows a full member whose 党龄
// starts at the end of the probation. Every fact the scenario needs (a branch, its members, its
// committee, its voters on a date) is read from the real server with the browser's session.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  BRANCH_KINDS,
  ORG_ADMIN,
  PHONE,
  apiGet,
  fillDate,
  findOrg,
  formItem,
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

const ROUTES = [
  '/api/v1/development/steps',
  '/api/v1/development/cases',
  '/api/v1/development/cases/{id}',
  '/api/v1/development/cases/{id}/steps',
  '/api/v1/development/pipeline',
]

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** GB 11643-1999: the check character of the first 17 digits, ISO 7064 MOD 11-2. */
function checkCharacter(body) {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * (2 ** (17 - i) % 11)
  return '10X98765432'[sum % 11]
}
/** A citizen ID number born on `birth` (YYYYMMDD) in 罗田县 (421123), with a random sequence (odd
 *  for a man, even for a woman). */
function idNumberBorn(birth, sex = 'male') {
  const sequence = String(Math.floor(Math.random() * 500) * 2 + (sex === 'male' ? 1 : 0)).padStart(3, '0')
  const body = `421123${birth}${sequence}`
  return body + checkCharacter(body)
}

/** Polls `read` until `accept` holds (the page or the server catches up), then answers the value. */
async function until(read, accept, message) {
  let value
  for (let i = 0; i < 75; i++) {
    value = await read()
    if (accept(value)) return value
    await sleep(200)
  }
  assert.fail(`${message}: last value ${JSON.stringify(value)}`)
}

/** A branch with a current committee, at least one 党小组 and enough members to vote. */
async function chooseBranch(page) {
  return findOrg(page, async (org) => {
    if (!BRANCH_KINDS.includes(org.kind) || org.child_count === 0 || org.member_count < 12) return false
    const children = (await apiGet(page, `api/v1/orgs/${org.id}/children`)).items
    return children.some((c) => c.kind === 'group' && c.status === 'active')
  })
}

/**
 * Two full members of `branch` who have been in it (and full) since before 2023, with names unique
 * in the branch: the 培养联系人 and 入党介绍人 (the server checks their status on each date).
 */
async function twoSteadyMembers(page, branch) {
  const members = (await apiGet(page, `api/v1/members?org=${branch.id}&status=full&page_size=200`)).items
  const count = (name) => members.filter((m) => m.name === name).length
  const chosen = []
  for (const m of members) {
    if (chosen.length === 2) break
    if (count(m.name) !== 1 || !m.confirmed_on || m.confirmed_on > '2015-12-31' || m.org_id !== branch.id) continue
    const events = (await apiGet(page, `api/v1/members/${m.id}/events`)).items
    if (events.some((e) => e.date > '2015-12-31')) continue
    chosen.push(m)
  }
  assert.equal(chosen.length, 2, `two steady full members in ${branch.name}`)
  return chosen
}

/** Full members of the branch on a date (the server's statistics as of that day). */
async function fullMembersOn(page, branch, date) {
  return (await apiGet(page, `api/v1/orgs/${branch.id}/stats?as_of=${date}`)).members.by_status.full ?? 0
}

/** 登记入党申请 through its dialog (the organisation prefilled by the page). Answers the new case's id. */
async function apply(page, person) {
  await page.locator('[data-test="new-application"]').click()
  const dialog = page.locator('.el-dialog:visible').filter({ has: page.locator('[data-test="application-form"]') })
  await dialog.waitFor()
  await until(() => formItem(dialog, '接收党组织').locator('.el-select').first().textContent(), (v) => v.includes(person.branch.name), 'the branch prefilled')
  await dialog.locator('[data-test="application-name"]').fill(person.name)
  await dialog.locator('[data-test="application-id-number"]').fill(person.idNumber)
  await dialog.locator('[data-test="application-phone"]').fill(person.phone)
  await pickOption(page, dialog.locator('[data-test="application-education"]'), person.education)
  await dialog.locator('[data-test="application-occupation"]').fill(person.occupation)
  await dialog.locator('[data-test="application-work-unit"]').fill(person.workUnit)
  await fillDate(formItem(dialog, '递交申请日期').locator('input'), person.appliedOn)
  if (person.screenshot) await tallScreenshot(page, person.screenshot)
  await dialog.locator('[data-test="submit-application"]').click()
  await page.waitForURL((url) => /#\/development\/cases\/\d+/.test(url.hash))
  await settle(page)
  assert.equal((await page.locator('[data-test="case-name"]').textContent()).trim(), person.name)
  return Number(/cases\/(\d+)/.exec(page.url())[1])
}

/** The form item of a step field (StepDialog marks each with data-field). */
const item = (dialog, name) => dialog.locator(`.el-form-item[data-field="${name}"]`)

/** Chooses members in a multiple member picker by typing each name and clicking its option. */
async function pickMembers(page, select, names) {
  for (const name of names) {
    await select.click()
    const input = select.locator('input').first()
    await input.fill(name)
    const popper = page.locator('.el-select__popper:visible').last()
    await popper.locator('.el-select-dropdown__item', { hasText: name }).first().click()
  }
  await page.keyboard.press('Escape')
}

/**
 * Fills a step's form from `values` (by field name) through its widgets, by the field's type in
 * the server's step table.
 */
async function fillStep(page, dialog, spec, values) {
  for (const field of spec.fields) {
    if (!(field.name in values)) continue
    const value = values[field.name]
    const it = item(dialog, field.name)
    switch (field.type) {
      case 'date':
        await fillDate(it.locator('input').first(), value)
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
      case 'member':
      case 'members':
        await pickMembers(page, it.locator('.el-select'), value)
        break
      case 'group':
        await pickOption(page, it.locator('.el-select'), value)
        break
      default:
        await it.locator('textarea, input').first().fill(String(value))
    }
  }
}

test('发展党员: the pipeline and the list, one person from application to full member, a refusal on its field', (t) =>
  withServer(t, ROUTES, async ({ server, browser }) => {
    const pages = []
    const page = await newPage(browser)
    pages.push(page)
    await logIn(page, server.base, server.login(ORG_ADMIN))
    const table = await apiGet(page, 'api/v1/development/steps')
    assert.equal(table.steps.length, 25)
    const spec = (n) => table.steps.find((s) => s.number === n)

    // ---- 工作进度: the county's pipeline, as the server counts it ------------------------------
    await page.locator('[data-test="nav-development"]').hover()
    await page.locator('.top-nav-popper .el-menu-item', { hasText: '工作进度' }).click()
    await page.waitForURL((url) => url.hash.startsWith('#/development/pipeline'))
    await settle(page)
    const pipeline = await apiGet(page, 'api/v1/development/pipeline')
    for (const stage of pipeline.stages) {
      const card = page.locator(`.stage-card[data-stage="${stage.id}"]`)
      await until(async () => (await card.locator('[data-test="stage-count"]').textContent()).trim(), (v) => v === String(stage.count), `${stage.id} count`)
      assert.equal((await card.locator('[data-test="stage-overdue"]').textContent()).trim(), `已逾期 ${stage.overdue}`)
      assert.equal((await card.locator('[data-test="stage-due-soon"]').textContent()).trim(), `即将到期 ${stage.due_soon}`)
    }
    assert.equal(await page.locator('[data-test="pipeline-steps"] .step-row').count(), pipeline.steps.length)
    // Every child organisation but the 党小组 (a case stays with its branch).
    assert.equal(await page.locator('[data-test="pipeline-children"] .child-link').count(), pipeline.children.filter((c) => c.kind !== 'group').length)
    assert.equal((await page.locator('[data-test="open-cases"]').textContent()).trim(), String(pipeline.open_cases))
    await tallScreenshot(page, 'development-pipeline')

    // A stage card opens the list of that stage in the same organisation.
    const busiest = [...pipeline.stages].sort((a, b) => b.count - a.count)[0]
    await page.locator(`.stage-card[data-stage="${busiest.id}"]`).click()
    await page.waitForURL((url) => url.hash.startsWith('#/development/cases') && url.hash.includes(`stage=${busiest.id}`))
    await settle(page)
    const listed = await apiGet(page, `api/v1/development/cases?org=${pipeline.org.id}&stage=${busiest.id}&page_size=20`)
    assert.equal(listed.total, busiest.count, 'the list holds the cases the card counts')
    await until(() => page.locator('[data-test="case-list"] .case-row').count(), (n) => n === listed.items.length, 'the list rows')
    if (listed.items.length) {
      const firstStage = await page.locator('[data-test="case-list"] .case-row [data-test="case-stage"]').first().textContent()
      assert.equal(firstStage.trim(), listed.items[0].stage_title)
    }
    await tallScreenshot(page, 'development-cases')

    // ---- One person, 25 steps ----------------------------------------------------------------
    const branch = await chooseBranch(page)
    assert.ok(branch, 'a branch with a committee and a 党小组')
    const committees = (await apiGet(page, `api/v1/orgs/${branch.id}/committees`)).items
    const group = (await apiGet(page, `api/v1/orgs/${branch.id}/children`)).items.find((c) => c.kind === 'group' && c.status === 'active')
    const [contact, sponsor] = await twoSteadyMembers(page, branch)
    const name = '陈晓东'
    assert.equal(checkCharacter('11010519491231002'), 'X', 'the check character of GB 11643’s own example')
    const idNumber = idNumberBorn('19950312')

    await page.goto(`${server.base}#/development/cases?org=${branch.id}`)
    await settle(page)
    const caseId = await apply(page, {
      branch,
      name,
      idNumber,
      phone: '13900001234',
      education: '大学本科',
      occupation: '农民',
      workUnit: '罗田县白鹤村种植专业合作社',
      appliedOn: '2023-01-05',
    })

    const activistBy = committees.some((c) => c.elected_on <= '2023-07-10') ? 'branch_committee' : 'general_meeting'
    const voters15 = await fullMembersOn(page, branch, '2024-10-15')
    const voters23 = await fullMembersOn(page, branch, '2025-10-20')
    assert.ok(voters15 >= 3 && voters23 >= 3, `the branch has voters (${voters15}, ${voters23})`)

    // The steps in order, each with the dates and facts that satisfy its gates and limits.
    const plan = [
      [2, { done_on: '2023-01-20', interviewer: `${contact.name}（支部组织委员）`, summary: '了解入党动机，讲解党的基本知识' }],
      [3, { done_on: '2023-07-10', decided_by: activistBy, recommended_by: 'party_members' }],
      [4, { done_on: '2023-07-12', filed_with: '中共白鹤镇委员会' }],
      [5, { done_on: '2023-07-15', contact_ids: [contact.name, sponsor.name] }],
      [6, { done_on: '2024-01-08', assessment: '学习认真，带头发展特色种植，群众评价好' }],
      // First refused one day before the first anniversary of the activist date (see below).
      [7, { done_on: '2024-07-10', opinions: '党小组、培养联系人、党员和群众意见一致同意' }],
      [8, { done_on: '2024-07-15' }],
      [9, { done_on: '2024-07-20', sponsor_ids: [contact.name, sponsor.name] }],
      [10, { done_on: '2024-08-20', result: 'passed', conclusion: '政治立场坚定，本人及直系亲属政治历史清楚，遵纪守法，政审合格' }],
      [11, { done_on: '2024-09-12', started_on: '2024-09-10', days: 3, hours: 24, organiser: '县委组织部' }],
      [12, { done_on: '2024-09-20', opinion: '同意提交上级党委预审' }],
      [13, { done_on: '2024-09-25', opinion: '预审合格' }],
      [14, { done_on: '2024-10-08', form_number: 'RD2024-0137' }],
      [15, { done_on: '2024-10-15', attending_voters: voters15, votes_for: voters15, votes_against: 0, abstentions: 0 }],
      [16, { done_on: '2024-11-01', interviewer: '镇党委组织委员', opinion: '入党动机端正，同意接收' }],
      [17, { done_on: '2024-12-20', approved_by: '中共白鹤镇委员会', document_number: '白鹤委〔2024〕88号' }],
      [18, { done_on: '2024-12-25' }],
      [19, { done_on: '2025-01-05', group_id: group.name }],
      [20, { done_on: '2025-01-10' }],
      [21, { done_on: '2025-04-10', assessment: '按期参加组织生活，发挥作用好' }],
      [22, { done_on: '2025-09-20' }],
      [23, { done_on: '2025-10-20', outcome: 'on_time', attending_voters: voters23, votes_for: voters23 }],
      [24, { done_on: '2025-12-10', approved_by: '中共白鹤镇委员会', document_number: '白鹤委〔2025〕102号' }],
      [25, { done_on: '2026-01-05', archive_place: 'personnel_file' }],
    ]

    const recorded = async () => (await apiGet(page, `api/v1/development/cases/${caseId}`)).steps.map((s) => s.number)
    for (const [n, values] of plan) {
      const dialog = await openStep(page, n)
      await fillStep(page, dialog, spec(n), values)
      if (n === 7) {
        // 确定发展对象 one day before the first anniversary of 2023-07-10: the form names the first
        // day allowed; the server refuses the day before on the date, and nothing is recorded.
        await dialog.locator('[data-test="step-rules"]').getByText('最早 2024-07-10').waitFor()
        await fillDate(item(dialog, 'done_on').locator('input').first(), '2024-07-09')
        await dialog.locator('[data-test="submit-step"]').click()
        const error = item(dialog, 'done_on').locator('.el-form-item__error')
        await error.waitFor()
        const message = (await error.textContent()).trim()
        assert.match(message, /2024-07-10/, 'the refusal names the first day allowed')
        assert.match(message, /第十三条/, 'and the article it rests on')
        await screenshot(page, 'development-step-refused', { fullPage: false })
        assert.equal((await recorded()).at(-1), 6, 'nothing recorded')
        await fillDate(item(dialog, 'done_on').locator('input').first(), values.done_on)
      }
      if (n === 15) {
        await dialog.locator('[data-test="voters-hint"] [data-test="voters-full"]').getByText(String(voters15), { exact: true }).waitFor()
        await tallScreenshot(page, 'development-step-form')
      }
      await dialog.locator('[data-test="submit-step"]').click()
      await dialog.waitFor({ state: 'hidden' })
      await until(recorded, (steps) => steps.at(-1) === n, `step ${n} recorded`)
      await page.locator(`.step-item[data-step="${n}"][data-state="done"], .step-item[data-step="${n}"][data-state="next"]`).first().waitFor()
    }

    // ---- The end: completed, the key dates, a full member --------------------------------------
    const done = await apiGet(page, `api/v1/development/cases/${caseId}`)
    assert.equal(done.status, 'completed')
    assert.deepEqual(done.steps.map((s) => s.number), Array.from({ length: 25 }, (_, i) => i + 1))
    assert.equal(done.admitted_on, '2024-10-15')
    assert.equal(done.probation_ends_on, '2025-10-15')
    assert.equal(done.confirmed_on, '2025-10-15')
    assert.ok(done.member_id, 'the member record exists')
    await page.locator('[data-test="case-status"][data-status="completed"]').waitFor()
    const shownDates = Object.fromEntries(
      await page.locator('[data-test="key-dates"] .date-tile').evaluateAll((tiles) =>
        tiles.map((t) => [t.getAttribute('data-key'), t.querySelector('[data-test="key-date"]').textContent.trim()]),
      ),
    )
    assert.deepEqual(shownDates, {
      applied_on: '2023-01-05',
      activist_on: '2023-07-10',
      target_on: '2024-07-10',
      admitted_on: '2024-10-15',
      probation_ends_on: '2025-10-15',
      confirmed_on: '2025-10-15',
    })
    assert.equal(await page.locator('.step-item[data-state="done"]').count(), 25)
    assert.equal(await page.locator('[data-test="documents"] [data-test="document-link"]').count(), done.documents.length)
    // Each link is the server's Word document.
    for (const href of await page.locator('[data-test="documents"] [data-test="document-link"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')))) {
      const got = await page.evaluate(async (h) => {
        const r = await fetch(h, { credentials: 'same-origin' })
        return { status: r.status, type: r.headers.get('content-type'), size: (await r.arrayBuffer()).byteLength }
      }, href)
      assert.equal(got.status, 200, href)
      assert.match(got.type, /officedocument\.wordprocessingml/, href)
      assert.ok(got.size > 1000, href)
    }
    // The sponsors are shown by name on the timeline.
    assert.match(await page.locator('.step-item[data-step="9"]').textContent(), new RegExp(`${contact.name}.*${sponsor.name}`))
    await tallScreenshot(page, 'development-timeline')

    await page.locator('[data-test="member-link"]').click()
    await page.waitForURL((url) => url.hash === `#/members/${done.member_id}`)
    await settle(page)
    assert.equal((await page.locator('[data-test="member-name"]').textContent()).trim(), name)
    const member = await apiGet(page, `api/v1/members/${done.member_id}`)
    assert.equal(member.status, 'full')
    assert.equal(member.joined_on, '2024-10-15')
    assert.equal(member.confirmed_on, '2025-10-15')
    assert.equal(member.org_id, branch.id)
    const profile = await page.locator('.profile').textContent()
    assert.match(profile, /入党日期\s*2024-10-15/)
    assert.match(profile, /转正日期\s*2025-10-15/)
    await page.getByText('正式党员', { exact: true }).first().waitFor()

    // ---- A talk not held within a month: red on the case, the pipeline and the list ------------
    await page.goto(`${server.base}#/development/pipeline?org=${branch.id}`)
    await settle(page)
    const lateId = await apply(page, {
      branch,
      name: '王晓梅',
      idNumber: idNumberBorn('19900508', 'female'),
      phone: '13900005678',
      education: '高中',
      occupation: '个体工商户',
      workUnit: '白鹤村便民超市',
      appliedOn: shanghaiDate(-40),
      screenshot: 'development-application',
    })
    const late = await apiGet(page, `api/v1/development/cases/${lateId}`)
    const talk = late.deadlines.find((d) => d.step === 2)
    assert.equal(talk?.state, 'overdue', 'the talk was due within a month of the application (细则 第七条)')
    await page.locator('[data-test="urgent-banner"]').getByText(`应于 ${talk.due_on} 前办理，已逾期`).waitFor()
    assert.match(await page.locator('.step-item[data-step="2"] [data-test="step-deadline"]').getAttribute('class'), /el-tag--danger/)
    await page.goto(`${server.base}#/development/pipeline?org=${branch.id}`)
    await settle(page)
    const branchPipeline = await apiGet(page, `api/v1/development/pipeline?org=${branch.id}`)
    const applicants = branchPipeline.stages.find((x) => x.id === 'application')
    assert.ok(applicants.overdue >= 1)
    const overdueBadge = page.locator('.stage-card[data-stage="application"] [data-test="stage-overdue"]')
    await until(async () => (await overdueBadge.textContent()).trim(), (v) => v === `已逾期 ${applicants.overdue}`, 'the overdue badge')
    assert.match(await overdueBadge.getAttribute('class'), /el-tag--danger/)
    await overdueBadge.click()
    await page.waitForURL((url) => url.hash.includes('due=overdue') && url.hash.includes('stage=application'))
    await settle(page)
    const lateRow = page.locator(`[data-test="case-list"] .case-${lateId}`)
    await lateRow.waitFor()
    assert.match(await lateRow.locator('[data-test="case-due"]').getAttribute('class'), /el-tag--danger/)
    assert.match(await lateRow.locator('[data-test="case-due"]').textContent(), new RegExp(`${talk.due_on}\\s*已逾期`))
    const overdueList = await apiGet(page, `api/v1/development/cases?org=${branch.id}&stage=application&due=overdue`)
    assert.equal(await page.locator('[data-test="case-list"] .case-row').count(), overdueList.items.length)
    await tallScreenshot(page, 'development-cases-overdue')

    // The applicant withdraws: 终止 needs a note; the case is closed and stays on record.
    await lateRow.locator('[data-test="case-name"]').click()
    await page.waitForURL((url) => url.hash === `#/development/cases/${lateId}`)
    await page.locator('[data-test="close-case"]').click()
    const closeDialog = page.locator('.el-dialog:visible').filter({ has: page.locator('[data-test="close-form"]') })
    await closeDialog.locator('[data-test="submit-close"]').click()
    await formItem(closeDialog, '说明').locator('.el-form-item__error', { hasText: '请填写说明' }).waitFor()
    await closeDialog.locator('[data-test="close-reason"]').fill('本人书面申请撤回入党申请')
    await closeDialog.locator('[data-test="submit-close"]').click()
    await closeDialog.waitFor({ state: 'hidden' })
    await page.locator('[data-test="closed-banner"]').getByText('本人撤回申请').waitFor()
    const closed = await apiGet(page, `api/v1/development/cases/${lateId}`)
    assert.equal(closed.status, 'closed')
    assert.equal(closed.close_outcome, 'withdrawn')
    assert.equal(await page.locator('[data-test="next-step"]').count(), 0, 'nothing more to do on a closed case')
    await screenshot(page, 'development-case-closed', { fullPage: false })

    // ---- On a phone: the timeline and the pipeline, never sideways -------------------------------
    const phone = await newPage(browser, PHONE, page)
    pages.push(phone)
    await phone.goto(`${server.base}#/development/cases/${caseId}`)
    await phone.locator('[data-test="case-status"][data-status="completed"]').waitFor()
    await settle(phone)
    assert.ok((await sidewaysOverflow(phone)) <= 0, 'the case page does not scroll sideways on a phone')
    await tallScreenshot(phone, 'development-timeline-phone')
    await phone.goto(`${server.base}#/development/pipeline?org=${branch.id}`)
    await phone.locator('.stage-card[data-stage="application"]').waitFor()
    await settle(phone)
    assert.ok((await sidewaysOverflow(phone)) <= 0, 'the pipeline does not scroll sideways on a phone')
    await tallScreenshot(phone, 'development-pipeline-phone')

    for (const p of pages) assert.deepEqual(p.errors, [], 'no uncaught errors in the page')
  }),
)
