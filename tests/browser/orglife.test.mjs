// 组织生活 through the console. The 支部书记 records a 支委会 from the menu: with half of the
// committee present the server refuses the submission on the quorum (支部工作条例 第十二条) and the
// editor shows its message on the attendance; with more than half it is submitted and the record's
// read view says so, with its life cycle. A 支部党员大会 whose vote carries a majority of those
// present but not more than half of the voting members expected is shown as failed with the
// "two halves" explanation (第十一条), in the editor and on the record, exactly as the server
// computes it. The calendar shows the records of the month and the duties' lights. On a phone
// (390×844) a 党员 whose account is linked to a member opens the QR code's address, signs in (the
// first password change included) and lands back on the check-in page, checks in once; a second
// check-in is refused and the page says 已签到; the editor's QR panel and attendance show the
// check-in. Before a later meeting the same member asks for leave with a reason.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  BRANCH_SECRETARY,
  ORG_ADMIN,
  PHONE,
  apiDo,
  apiGet,
  apiSend,
  firstAdministratorLogIn,
  formItem,
  freshPassword,
  logIn,
  newPage,
  pickOption,
  settle,
  screenshot,
  shanghaiDate,
  withServer,
} from './harness.mjs'

const ROUTES = ['/api/v1/meetings', '/api/v1/meetings/vocabulary', '/api/v1/meetings/{id}', '/api/v1/meetings/{id}/submit']

/** Types a time into an Element Plus date-time picker (`YYYY-MM-DD HH:mm`) and closes its panel. */
async function fillTime(page, picker, value) {
  const input = (await picker.evaluate((e) => e.tagName)) === 'INPUT' ? picker : picker.locator('input').first()
  await input.click()
  await input.fill(value)
  await input.press('Enter')
  await page.keyboard.press('Escape')
}

/** Chooses a person in a host/recorder picker by typing their name (a name outside the registry
 *  is taken as typed). */
async function pickPerson(page, picker, name) {
  await picker.click()
  await picker.locator('input').fill(name)
  await page.keyboard.press('Enter')
  await page.keyboard.press('Escape')
}

/** Marks one attendee in the editor. */
async function mark(page, memberId, status) {
  const label = { present: '出席', leave: '请假', absent: '缺席' }[status]
  const row = page.locator(`[data-attendee="${memberId}"]`)
  await row.locator('.el-radio-button', { hasText: label }).click()
  assert.equal(await row.getAttribute('data-status'), status)
}

test('a 支委会 is refused without more than half of its committee, then submitted', (t) =>
  withServer(t, ROUTES, async ({ server, browser }) => {
    const page = await newPage(browser)
    await logIn(page, server.base, server.login(BRANCH_SECRETARY))
    const branch = (await apiGet(page, 'api/v1/orgs/roots')).items[0]
    const committee = (await apiGet(page, `api/v1/orgs/${branch.id}`)).committee
    assert.ok(committee?.positions.length >= 3, `${branch.name} has a committee of three or more`)

    // 组织生活 → 记录 → 新建记录, from the menu.
    await page.locator('[data-test="nav-orglife"]').hover()
    await page.locator('.top-nav-popper .el-menu-item', { hasText: '记录' }).click()
    await page.waitForURL((url) => url.hash.startsWith('#/orglife/records'))
    await page.locator('[data-test="new-meeting"]').click()
    await page.waitForURL((url) => url.hash.startsWith('#/orglife/records/new'))
    const form = page.locator('[data-test="meeting-form"]')
    await form.locator('[data-test="meeting-org"]').locator('text=' + branch.name).waitFor()

    // A 支委会 held yesterday afternoon.
    const day = shanghaiDate(-1)
    await pickOption(page, form.locator('[data-test="meeting-kind"]'), '支委会')
    await form.locator('[data-test="meeting-topic"]').fill('研究发展党员工作（浏览器测试）')
    await fillTime(page, formItem(form, '计划开始'), `${day} 15:00`)
    await fillTime(page, formItem(form, '计划结束'), `${day} 16:30`)
    await fillTime(page, formItem(form, '实际开始'), `${day} 15:05`)
    await fillTime(page, formItem(form, '实际结束'), `${day} 16:20`)
    await form.locator('[data-test="meeting-place"]').fill('村党群服务中心会议室')
    await pickPerson(page, formItem(form, '主持人').locator('.el-select'), committee.positions[0].member_name)
    await pickPerson(page, formItem(form, '记录人').locator('.el-select'), committee.positions[1].member_name)
    await form.locator('[data-test="meeting-minutes"]').fill('会议研究了本季度发展党员工作，确定了入党积极分子的培养联系人。')
    const [created] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('api/v1/meetings') && r.request().method() === 'POST'),
      page.locator('[data-test="save-meeting"]').click(),
    ])
    assert.equal(created.status(), 201, 'the draft is created')
    const record = await created.json()
    await page.waitForURL((url) => url.hash === `#/orglife/records/${record.id}/edit`)

    // The committee on that day is expected; all start absent.
    const expected = record.attendance.items.filter((a) => a.role === 'expected')
    assert.equal(expected.length, committee.positions.length, 'the committee members are expected')
    await page.locator('[data-attendee]').first().waitFor()
    assert.equal(await page.locator('[data-attendee]').count(), record.attendance.items.length)
    const half = Math.floor(expected.length / 2)
    for (const a of expected.slice(0, half)) await mark(page, a.member_id ?? a.name, 'present')
    await page.locator('[data-test="quorum"]', { hasText: '未超过半数' }).waitFor()

    // 提交审核: saved, then refused on the quorum; the message is on the attendance.
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`api/v1/meetings/${record.id}/submit`)),
      page.locator('[data-test="submit-meeting"]').click(),
    ])
    assert.equal(refused.status(), 422)
    const refusal = (await refused.json()).error
    assert.equal(refusal.code, 'orglife.quorum')
    const shown = page.locator('[data-test="attendance-error"]')
    await shown.waitFor()
    assert.equal((await shown.textContent()).trim(), refusal.message, 'the server’s message is shown on the attendance')
    assert.match(refusal.message, /第十二条/)
    assert.equal((await apiGet(page, `api/v1/meetings/${record.id}`)).status, 'draft', 'nothing was submitted')
    assert.equal((await apiGet(page, `api/v1/meetings/${record.id}`)).attendance.counts.present, half, 'the marks were saved')

    // One more present: more than half, submitted; the read view says so.
    await mark(page, expected[half].member_id ?? expected[half].name, 'present')
    await page.locator('[data-test="quorum"]', { hasText: '超过半数，会议可以进行' }).waitFor()
    const [submitted] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`api/v1/meetings/${record.id}/submit`)),
      page.locator('[data-test="submit-meeting"]').click(),
    ])
    assert.equal(submitted.status(), 200)
    await page.waitForURL((url) => url.hash === `#/orglife/records/${record.id}`)
    await page.locator('[data-test="meeting-status"]', { hasText: '已提交待审核' }).waitFor()
    const saved = await apiGet(page, `api/v1/meetings/${record.id}`)
    assert.equal(saved.status, 'submitted')
    assert.equal(saved.attendance.counts.present, half + 1)
    assert.ok(saved.quorum.met)
    const history = await page.locator('[data-test="history-title"]').allTextContents()
    assert.deepEqual(history.map((h) => h.trim()), ['新建草稿', '提交上级党组织审核'])
    assert.equal(await page.locator('[data-test="meeting-edit"]').count(), 0, 'a submitted record is not edited')

    // The calendar of that month shows it on its day.
    await page.goto(`${server.base}#/orglife/calendar?org=${branch.id}&month=${day.slice(0, 7)}`)
    await settle(page)
    await page.locator(`[data-date="${day}"] [data-meeting="${record.id}"]`).waitFor()
    assert.ok((await page.locator('[data-duty="committee_meeting"]').count()) >= 1, 'the 支委会 duty is listed')
    assert.deepEqual(page.errors, [], 'no uncaught errors in the page')
  }),
)

test('a 党员大会 vote carried only by those present is failed, with the two halves explained', (t) =>
  withServer(t, ROUTES, async ({ server, browser }) => {
    const page = await newPage(browser)
    await logIn(page, server.base, server.login(BRANCH_SECRETARY))
    const branch = (await apiGet(page, 'api/v1/orgs/roots')).items[0]

    // The draft through the API (its form is the 支委会's); the attendance and the vote in the console.
    const day = shanghaiDate(-2)
    const draft = await apiDo(page, 'POST', 'api/v1/meetings', {
      org_id: branch.id,
      kind: 'branch_general_meeting',
      topic: '讨论接收预备党员（浏览器测试）',
      planned_start: `${day}T09:00`,
      planned_end: `${day}T11:00`,
      actual_start: `${day}T09:00`,
      actual_end: `${day}T11:00`,
      place: '村党群服务中心',
      host_name: '支部书记',
      recorder_name: '组织委员',
      minutes: '会议讨论了接收预备党员的事项并进行表决。',
    })
    // Those with a vote who count among the expected whatever they do (no 年老体弱 exemption).
    const voters = draft.attendance.items.filter((a) => a.role === 'expected' && a.voting && !a.hardship && a.member_id)
    const V = voters.length
    const P = Math.floor(V / 2) + 1 // more than half present: a quorum
    const Y = Math.floor(P / 2) + 1 // more than half of those present…
    assert.ok(V >= 4 && Y * 2 <= V, `…but not more than half of the ${V} expected (P=${P}, Y=${Y})`)

    await page.goto(`${server.base}#/orglife/records/${draft.id}/edit`)
    await page.locator('[data-attendee]').first().waitFor()
    await page.getByRole('button', { name: '全部缺席' }).click()
    for (const a of voters.slice(0, P)) await mark(page, a.member_id, 'present')
    await page.locator('[data-test="quorum"]', { hasText: `到会 ${P} 名，超过半数` }).waitFor()

    await page.locator('[data-test="add-vote"]').click()
    const vote = page.locator('[data-test="vote"]').first()
    await vote.locator('[data-test="vote-resolution-0"]').fill('接收某某同志为中共预备党员')
    for (const [i, a] of voters.slice(0, P).entries()) {
      await vote.locator(`[data-test="ballot-0-${a.member_id}"] .el-radio-button`, { hasText: i < Y ? '赞成' : '反对' }).click()
    }
    await vote.locator('[data-test="vote-pending"]').waitFor()
    const [saved] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`api/v1/meetings/${draft.id}`) && r.request().method() === 'PATCH'),
      page.locator('[data-test="save-meeting"]').click(),
    ])
    assert.equal(saved.status(), 200)
    const result = (await saved.json()).votes[0].result
    assert.equal(result.result, 'failed')
    assert.equal(result.passes_against_present, true)
    assert.deepEqual([result.voting_expected, result.voting_present, result.yes], [V, P, Y])

    // The editor shows the server's result: failed, the explanation, the two halves.
    const shown = page.locator('[data-test="vote-result"]').first()
    await shown.waitFor()
    assert.equal(await shown.getAttribute('data-result'), 'failed')
    assert.equal((await shown.locator('[data-test="vote-outcome"]').textContent()).trim(), '未通过')
    assert.equal((await shown.locator('[data-test="vote-explanation"]').textContent()).trim(), result.explanation)
    assert.match(result.explanation, /按到会人数计算虽过半/)
    await shown.locator('[data-test="two-halves"]').waitFor()

    // The record's read view says the same.
    await page.goto(`${server.base}#/orglife/records/${draft.id}`)
    const onRecord = page.locator('[data-test="votes-card"] [data-test="vote-result"]').first()
    await onRecord.waitFor()
    assert.equal(await onRecord.getAttribute('data-result'), 'failed')
    assert.equal((await onRecord.locator('[data-test="vote-explanation"]').textContent()).trim(), result.explanation)
    assert.deepEqual(page.errors, [], 'no uncaught errors in the page')
  }),
)

/** The current minute in Asia/Shanghai shifted by `minutes`, as the API takes it. */
function shanghaiMinute(minutes = 0) {
  const at = new Date(Date.now() + minutes * 60_000)
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]))
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`
}

const CHECKIN_ROUTES = ['/api/v1/meetings/{id}/checkin', '/api/v1/meetings/{id}/checkin-qr', '/api/v1/checkin', '/api/v1/meetings/{id}/leave', '/api/v1/accounts/{id}/member']

test('a 党员 checks in on a phone once; a second check-in is refused and shown as 已签到', (t) =>
  withServer(t, CHECKIN_ROUTES, async ({ server, browser }) => {
    // The 支部书记's branch and a member of it, expected at its meetings.
    const secretary = await newPage(browser)
    await logIn(secretary, server.base, server.login(BRANCH_SECRETARY))
    const branch = (await apiGet(secretary, 'api/v1/orgs/roots')).items[0]

    // The member's own account: created by the 系统管理员, the role 党员 granted on the branch by the
    // 安全管理员, linked to the member by the 组织部管理员 (三员分立: three people).
    const sysadmin = await newPage(browser)
    await firstAdministratorLogIn(sysadmin, server.base, server.login(/system_admin|系统管理员/))
    const created = await apiDo(sysadmin, 'POST', 'api/v1/accounts', { username: 'dangyuan1', display_name: '测试党员' })
    const secadmin = await newPage(browser)
    await firstAdministratorLogIn(secadmin, server.base, server.login(/security_admin|安全管理员/))
    await apiDo(secadmin, 'POST', `api/v1/accounts/${created.account.id}/grants`, { role: 'party_member', organisation_id: branch.id })
    const orgAdmin = await newPage(browser)
    await logIn(orgAdmin, server.base, server.login(ORG_ADMIN))
    // A full member of the branch in contact whom no other account acts as (the demo's own 党员
    // account is linked to one already: 409 account.member_taken).
    let member = null
    for (const m of (await apiGet(secretary, `api/v1/members?org=${branch.id}&status=full&page_size=50`)).items) {
      const detail = await apiGet(secretary, `api/v1/members/${m.id}`)
      if (detail.mobile || detail.lost_contact_since) continue
      const linked = await apiSend(orgAdmin, 'PUT', `api/v1/accounts/${created.account.id}/member`, { member_id: m.id })
      if (linked.status === 200) {
        assert.equal(linked.body.member.id, m.id)
        member = m
        break
      }
      assert.equal(linked.body.error.code, 'account.member_taken', JSON.stringify(linked.body))
    }
    assert.ok(member, `${branch.name} has a member to link`)

    // A 主题党日 starting now (check-in open) and one in three hours (leave still open).
    const meeting = await apiDo(secretary, 'POST', 'api/v1/meetings', {
      org_id: branch.id,
      kind: 'theme_day',
      topic: '主题党日：重温入党誓词（浏览器测试）',
      planned_start: shanghaiMinute(0),
      planned_end: shanghaiMinute(90),
      place: '村党群服务中心',
    })
    const later = await apiDo(secretary, 'POST', 'api/v1/meetings', {
      org_id: branch.id,
      kind: 'party_lecture',
      topic: '党课：学习新修订的纪律处分条例（浏览器测试）',
      planned_start: shanghaiMinute(180),
      planned_end: shanghaiMinute(240),
      place: '村党群服务中心',
    })
    assert.ok(meeting.attendance.items.some((a) => a.member_id === member.id), 'the member is expected')

    // The editor shows the QR code and the window; the QR code is the server's SVG.
    await secretary.goto(`${server.base}#/orglife/records/${meeting.id}/edit`)
    const panel = secretary.locator('[data-test="checkin-panel"]')
    await panel.locator('[data-test="checkin-qr"]').waitFor()
    const overview = await apiGet(secretary, `api/v1/meetings/${meeting.id}/checkin`)
    assert.ok(overview.open, 'check-in is open around the start')
    assert.equal(await panel.locator('[data-test="checkin-url"]').inputValue(), overview.token_url)
    const qr = await secretary.evaluate(async (src) => {
      const r = await fetch(src, { credentials: 'same-origin' })
      return { type: r.headers.get('content-type'), text: await r.text() }
    }, await panel.locator('[data-test="checkin-qr"]').getAttribute('src'))
    assert.match(qr.type, /image\/svg\+xml/)
    assert.match(qr.text, /<svg/)
    assert.equal((await panel.locator('[data-test="checked-in"]').textContent()).trim(), '0')

    // On the phone: the QR code's address, the login (first password change) and back.
    const phone = await newPage(browser, PHONE)
    await phone.goto(overview.token_url.replace(/^https?:\/\/[^/]+\//, server.base))
    await phone.waitForURL((url) => url.hash.startsWith('#/login'))
    const initial = created.initial_password
    await phone.locator('input[name="username"]').fill('dangyuan1')
    await phone.locator('input[name="password"]').fill(initial)
    await phone.locator('[data-test="login-submit"]').click()
    await phone.waitForURL((url) => url.hash.startsWith('#/password'))
    const chosen = freshPassword()
    await phone.locator('input[name="current_password"]').fill(initial)
    await phone.locator('input[name="new_password"]').fill(chosen)
    await phone.locator('input[name="new_password_again"]').fill(chosen)
    await phone.locator('[data-test="password-submit"]').click()
    await phone.waitForURL((url) => url.hash.startsWith('#/m/checkin'))
    await phone.locator('[data-test="checkin-meeting"]', { hasText: meeting.topic }).waitFor()

    // A second tab of the same phone, open before the check-in.
    const again = await phone.context().newPage()
    again.errors = []
    again.on('pageerror', (e) => again.errors.push(String(e?.stack ?? e)))
    await again.goto(phone.url())
    await again.locator('[data-test="checkin-button"]').waitFor()

    // Once: 签到 → 已签到.
    const [first] = await Promise.all([
      phone.waitForResponse((r) => r.url().endsWith('api/v1/checkin') && r.request().method() === 'POST'),
      phone.locator('[data-test="checkin-button"]').click(),
    ])
    assert.equal(first.status(), 200)
    await phone.locator('[data-test="checkin-done"]', { hasText: '已签到' }).waitFor()
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    assert.ok(overflow <= 1, `the check-in page fits the phone (overflow ${overflow}px)`)

    // A second time: refused by the server (409), and the page says 已签到.
    const [second] = await Promise.all([
      again.waitForResponse((r) => r.url().endsWith('api/v1/checkin') && r.request().method() === 'POST'),
      again.locator('[data-test="checkin-button"]').click(),
    ])
    assert.equal(second.status(), 409)
    assert.equal((await second.json()).error.code, 'orglife.already_checked_in')
    await again.locator('[data-test="checkin-done"]', { hasText: '已签到' }).waitFor()
    assert.equal(await again.locator('[data-test="checkin-button"]').count(), 0, 'no second 签到 button')
    const direct = await apiSend(phone, 'POST', 'api/v1/checkin', { token: new URL(overview.token_url).searchParams.get('t') })
    assert.equal(direct.status, 409, 'the API refuses it too')
    await phone.reload()
    await phone.locator('[data-test="checkin-done"]').waitFor()

    // The record: the member present with the check-in time; the panel counts one.
    const record = await apiGet(secretary, `api/v1/meetings/${meeting.id}`)
    const line = record.attendance.items.find((a) => a.member_id === member.id)
    assert.equal(line.status, 'present')
    assert.ok(line.checked_in_at, 'the check-in time is kept')
    await secretary.reload()
    await secretary.locator('[data-test="checked-in"]', { hasText: '1' }).waitFor()
    await secretary.locator(`[data-attendee="${member.id}"][data-status="present"]`, { hasText: '扫码签到' }).waitFor()

    // Before the later meeting: check-in not open yet, leave with a reason.
    const laterToken = new URL((await apiGet(secretary, `api/v1/meetings/${later.id}/checkin`)).token_url).searchParams.get('t')
    await phone.goto(`${server.base}#/m/checkin?t=${laterToken}`)
    await phone.locator('[data-test="checkin-not-open"]').waitFor()
    assert.equal(await phone.locator('[data-test="checkin-button"]').isDisabled(), true)
    await phone.locator('[data-test="leave-open"]').click()
    await phone.locator('[data-test="leave-submit"]').click()
    await phone.locator('.el-form-item__error', { hasText: '请填写请假事由' }).waitFor()
    await phone.locator('[data-test="leave-reason"]').fill('在外地务工，不能按时参加')
    await phone.locator('[data-test="leave-submit"]').click()
    await phone.locator('[data-test="leave-done"]', { hasText: '在外地务工' }).waitFor()
    const laterLine = (await apiGet(secretary, `api/v1/meetings/${later.id}`)).attendance.items.find((a) => a.member_id === member.id)
    assert.deepEqual([laterLine.status, laterLine.leave_reason], ['leave', '在外地务工，不能按时参加'])

    // The member's own home lists both: checked in at one, on leave from the other.
    await phone.locator('[data-test="m-home"]').click()
    const desk = phone.locator('[data-test="home-member"]')
    await desk.locator(`[data-meeting="${meeting.id}"] [data-test="my-checked-in"]`).waitFor()
    await desk.locator(`[data-meeting="${later.id}"] [data-test="my-leave"]`, { hasText: '在外地务工' }).waitFor()

    for (const p of [secretary, phone, again]) assert.deepEqual(p.errors, [], 'no uncaught errors in the page')
  }),
)

const REVIEW_ROUTES = ['/api/v1/meetings/review-queue', '/api/v1/meetings/checklist', '/api/v1/meetings/problems/stats', '/api/v1/meetings/board']

test('the 组织部管理员 returns a record with checklist problems and accepts another; statistics and the board agree with the server', (t) =>
  withServer(t, REVIEW_ROUTES, async ({ server, browser }) => {
    // Two records of the secretary's branch, submitted by the secretary.
    const secretary = await newPage(browser)
    await logIn(secretary, server.base, server.login(BRANCH_SECRETARY))
    const branch = (await apiGet(secretary, 'api/v1/orgs/roots')).items[0]
    const day = shanghaiDate(-1)
    const submit = async (kind, topic) => {
      const m = await apiDo(secretary, 'POST', 'api/v1/meetings', {
        org_id: branch.id,
        kind,
        topic,
        planned_start: `${day}T14:00`,
        planned_end: `${day}T16:00`,
        actual_start: `${day}T14:00`,
        actual_end: `${day}T16:00`,
        place: '村党群服务中心',
        host_name: '支部书记',
        recorder_name: '组织委员',
        minutes: '会议按议程进行。',
      })
      await apiDo(secretary, 'PATCH', `api/v1/meetings/${m.id}`, { attendance: m.attendance.items.filter((a) => a.member_id).map((a) => ({ member_id: a.member_id, status: 'present' })) })
      return apiDo(secretary, 'POST', `api/v1/meetings/${m.id}/submit`, {})
    }
    const toReturn = await submit('theme_day', '主题党日：志愿服务（浏览器测试，退回）')
    const toAccept = await submit('party_lecture', '党课：学习党章（浏览器测试，通过）')

    // 组织生活 → 审核, limited to the branch: both wait there.
    const page = await newPage(browser)
    await logIn(page, server.base, server.login(ORG_ADMIN))
    await page.locator('[data-test="nav-orglife"]').hover()
    await page.locator('.top-nav-popper .el-menu-item', { hasText: '审核' }).click()
    await page.waitForURL((url) => url.hash.startsWith('#/orglife/review'))
    await page.goto(`${server.base}#/orglife/review?org=${branch.id}`)
    await settle(page)
    const queue = await apiGet(page, `api/v1/meetings/review-queue?org=${branch.id}&page_size=20`)
    assert.ok(queue.items.some((r) => r.id === toReturn.id) && queue.items.some((r) => r.id === toAccept.id), 'both are in the queue')
    await page.locator(`.queue-${toReturn.id}`).waitFor()
    assert.deepEqual(
      await page.locator('[data-test="review-queue"] .queue-row').evaluateAll((rows) => rows.map((r) => Number([...r.classList].find((c) => /^queue-\d+$/.test(c)).slice(6)))),
      queue.items.map((r) => r.id),
      'the queue is the server’s, oldest submission first',
    )

    // 退回 with two items of the checklist, one with a note; refused first without any.
    const checklist = (await apiGet(page, 'api/v1/meetings/checklist')).classes.flatMap((c) => c.items.filter((i) => !i.retired))
    assert.ok(checklist.length >= 2, 'the checklist has items')
    const [first, second] = checklist
    await page.locator(`.queue-${toReturn.id} [data-test="queue-review"]`).click()
    const dialog = page.locator('.review-dialog')
    await dialog.locator(`[data-test="problem-${first.id}"]`).waitFor()
    await dialog.locator('[data-test="review-decision"] .el-radio-button', { hasText: '退回修改' }).click()
    await dialog.locator('[data-test="review-submit"]').click()
    await dialog.locator('.el-form-item__error', { hasText: '退回须' }).waitFor()
    await dialog.locator(`[data-test="problem-${first.id}"]`).click()
    await dialog.locator(`[data-test="problem-note-${first.id}"]`).fill('未在每月10日开展')
    await dialog.locator(`[data-test="problem-${second.id}"]`).click()
    const [returned] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`api/v1/meetings/${toReturn.id}/review`)),
      dialog.locator('[data-test="review-submit"]').click(),
    ])
    assert.equal(returned.status(), 200)
    await page.locator(`.queue-${toReturn.id}`).waitFor({ state: 'detached' })
    const after = await apiGet(page, `api/v1/meetings/${toReturn.id}`)
    assert.equal(after.status, 'returned')
    const reasons = after.reviews[after.reviews.length - 1].reasons
    assert.deepEqual(
      reasons.map((r) => [r.item_id, r.note]).sort((a, b) => a[0] - b[0]),
      [
        [first.id, '未在每月10日开展'],
        [second.id, ''],
      ].sort((a, b) => a[0] - b[0]),
      'the problems are the items chosen, with the note',
    )

    // 通过 for the other.
    await page.locator(`.queue-${toAccept.id} [data-test="queue-review"]`).click()
    await dialog.locator('[data-test="review-submit"]').click()
    await page.locator(`.queue-${toAccept.id}`).waitFor({ state: 'detached' })
    assert.equal((await apiGet(page, `api/v1/meetings/${toAccept.id}`)).status, 'accepted')

    // The secretary sees the returned record with its problems.
    await secretary.goto(`${server.base}#/orglife/records/${toReturn.id}`)
    await secretary.locator('[data-test="returned-banner"]', { hasText: '未在每月10日开展' }).waitFor()

    // 问题统计 of the branch: the server's numbers, by item and by branch.
    await page.getByRole('tab', { name: '问题统计' }).click()
    await page.waitForURL((url) => url.hash.includes('tab=stats'))
    const stats = await apiGet(page, `api/v1/meetings/problems/stats?org=${branch.id}`)
    await page.locator('[data-test="problem-total"]', { hasText: String(stats.total) }).waitFor()
    assert.ok(stats.total >= 2)
    for (const item of [first, second]) {
      const counted = stats.classes.flatMap((c) => c.items).find((i) => i.id === item.id).count
      assert.ok(counted >= 1)
      assert.equal((await page.locator(`[data-test="problems-by-item"] [data-item="${item.id}"] .num`).textContent()).trim(), String(counted))
    }
    const row = stats.by_branch.find((b) => b.org_id === branch.id)
    assert.equal((await page.locator(`[data-test="problems-by-branch"] [data-org="${branch.id}"] td.num b`).textContent()).trim(), String(row.count))

    // 合规看板 of the county for this quarter: the tiles are the server's; a red cell drills down
    // to that branch's records of that duty.
    await page.goto(`${server.base}#/orglife/board`)
    await page.locator('[data-test="board-period-kind"] .el-radio-button', { hasText: '季度' }).click()
    await page.waitForURL((url) => /period=\d{4}-Q[1-4]/.test(url.hash))
    await settle(page)
    const period = new URL(page.url().replace('#/', '')).searchParams.get('period')
    const board = await apiGet(page, `api/v1/meetings/board?period=${period}&page_size=50`)
    for (const light of ['red', 'yellow', 'green', 'none']) {
      assert.equal((await page.locator(`[data-test="board-tile-${light}"] .tile-value`).textContent()).trim(), String(board.rows[light]), `${light} rows`)
    }
    const redRow = board.items.find((r) => Object.values(r.cells).some((c) => c.light === 'red'))
    assert.ok(redRow, 'the demo county has a red cell this quarter')
    const [duty] = Object.entries(redRow.cells).find(([, c]) => c.light === 'red')
    const cell = page.locator(`[data-test="board-rows"] tr[data-org="${redRow.org_id}"] button[data-duty="${duty}"]`)
    assert.equal(await cell.getAttribute('data-light'), 'red')
    await cell.click()
    const detail = page.locator('[data-test="cell-detail"]')
    await detail.waitFor()
    const records = await apiGet(page, `api/v1/meetings?org=${redRow.org_id}&kind=${duty}&from=${board.period.first_day}&to=${board.period.as_of}&page_size=50`)
    await settle(page)
    assert.deepEqual(
      await detail.locator('[data-test="cell-records"] [data-meeting]').evaluateAll((rows) => rows.map((r) => Number(r.dataset.meeting))),
      records.items.map((r) => r.id),
      'the drill-down lists that branch’s records of that duty in the period',
    )
    if (redRow.cells[duty].message) assert.equal((await detail.locator('[data-test="cell-message"]').textContent()).trim(), redRow.cells[duty].message)

    // Last month's calendar of a branch with a red 主题党日 then (the demo's deliberate gap): its
    // findings were not kept, the board judges the month; every duty's light is the board's.
    const lastMonth = shanghaiDate(-(Number(shanghaiDate(0).slice(8, 10)))).slice(0, 7)
    const missed = await apiGet(page, `api/v1/meetings/board?period=${lastMonth}&duty=theme_day&light=red&page_size=1`)
    assert.ok(missed.items.length, `a branch without a 主题党日 in ${lastMonth}`)
    const gap = missed.items[0]
    await page.goto(`${server.base}#/orglife/calendar?org=${gap.org_id}&month=${lastMonth}`)
    // The branch's duties panel (the page may still hold the previous view for a moment).
    await page.locator(`[data-duty="theme_day"][data-org="${gap.org_id}"][data-light="red"]`).first().waitFor()
    await settle(page)
    assert.equal((await page.locator(`[data-duty="theme_day"][data-org="${gap.org_id}"] [data-test="duty-message"]`).first().textContent()).trim(), gap.cells.theme_day.message)
    for (const [kind, c] of Object.entries(gap.cells)) {
      if (kind === 'group_meeting' || (c.light !== 'red' && c.light !== 'yellow')) continue
      assert.equal(await page.locator(`[data-duty="${kind}"][data-org="${gap.org_id}"]`).first().getAttribute('data-light'), c.light, `${kind} as on the board`)
    }
    await screenshot(page, 'orglife-calendar-last-month')
    assert.deepEqual(page.errors, [], 'no uncaught errors in the page')
  }),
)
