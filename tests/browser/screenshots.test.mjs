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
  formItem,
  idNumber,
  freshPassword,
  launchBrowser,
  logIn,
  newPage,
  pickOption,
  screenshot,
  settle,
  shanghaiDate,
  sidewaysOverflow,
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

/** The current minute in Asia/Shanghai shifted by `minutes`, as the API takes it. */
function shanghaiMinute(minutes = 0) {
  const at = new Date(Date.now() + minutes * 60_000)
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]))
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`
}

/**
 * 组织生活 records of `branch` for the pages to show: a 党员大会 draft whose vote carries only those
 * present (failed, the two halves explained), a 主题党日 starting now (its QR code open), and one of
 * the branch's submitted records returned by the 组织部管理员 with reasons.
 */
async function orglifeFacts(page, branch) {
  const yesterday = shanghaiDate(-1)
  const general = await apiDo(page, 'POST', 'api/v1/meetings', {
    org_id: branch.id,
    kind: 'branch_general_meeting',
    topic: '讨论接收预备党员',
    planned_start: `${yesterday}T09:00`,
    planned_end: `${yesterday}T11:00`,
    actual_start: `${yesterday}T09:00`,
    actual_end: `${yesterday}T11:10`,
    place: '村党群服务中心会议室',
    host_name: '支部书记',
    recorder_name: '组织委员',
    agenda: '一、听取入党介绍人的介绍；二、讨论；三、表决',
    minutes: '会议由支部书记主持，听取了入党介绍人对发展对象的介绍，与会党员进行了讨论，并以举手方式表决。',
  })
  const voters = general.attendance.items.filter((a) => a.role === 'expected' && a.voting && !a.hardship && a.member_id)
  const present = voters.slice(0, Math.floor(voters.length / 2) + 1)
  const yes = Math.floor(present.length / 2) + 1
  const presentIds = new Set(present.map((a) => a.member_id))
  await apiDo(page, 'PATCH', `api/v1/meetings/${general.id}`, {
    attendance: general.attendance.items
      .filter((a) => a.member_id)
      .map((a, i) => (presentIds.has(a.member_id) ? { member_id: a.member_id, status: 'present' } : i % 5 === 0 ? { member_id: a.member_id, status: 'leave', leave_reason: '外出务工' } : { member_id: a.member_id, status: 'absent' })),
    guests: [{ name: '陈明', unit: '镇党委组织委员' }],
    votes: [{ resolution: '接收某某同志为中共预备党员', method: 'open', ballots: present.map((a, i) => ({ member_id: a.member_id, choice: i < yes ? 'yes' : 'no' })) }],
  })
  const themeDay = await apiDo(page, 'POST', 'api/v1/meetings', {
    org_id: branch.id,
    kind: 'theme_day',
    topic: '主题党日：重温入党誓词',
    planned_start: shanghaiMinute(0),
    planned_end: shanghaiMinute(90),
    place: '村党群服务中心',
  })
  await apiGet(page, `api/v1/meetings/${themeDay.id}/checkin`) // issues the QR code's token
  const submitted = (await apiGet(page, `api/v1/meetings?org=${branch.id}&status=submitted&page_size=1`)).items[0]
  assert.ok(submitted, `${branch.name} has a submitted record`)
  await apiDo(page, 'POST', `api/v1/meetings/${submitted.id}/review`, { decision: 'return', reasons: ['会议记录过于简略，未写明讨论情况', '请假人员未注明事由'] })
  return { general, themeDay, returned: submitted }
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

/** The 组织生活 pages: calendars, records, a returned record, the editor with its attendance, vote
 *  and QR code, a new record refused by the server, the review queue, its dialog and statistics,
 *  the compliance board and a cell's drill-down. */
async function orglifeTour(page, base, size, facts) {
  const shots = []
  const shoot = async (name) => shots.push(await screenshot(page, `${size}-${name}`))

  // 组织生活: the branch's calendar and the county's, the records, a returned record, the editor with
  // its attendance and failed vote, the QR code of a meeting starting now.
  const o = facts.orglife
  await visit(page, `${base}#/orglife/calendar?org=${facts.branch.id}`, () => page.locator('[data-test="duties"] [data-duty]').first().waitFor())
  await shoot('20-orglife-calendar')
  if (size === 'phone') {
    await page.locator('[data-test="calendar-grid"]').evaluate((e) => e.scrollIntoView({ block: 'start' }))
    await sleep(300)
    await shoot('20a-orglife-calendar-grid')
  }
  await visit(page, `${base}#/orglife/calendar?org=${facts.root.id}`, () => page.locator('[data-test="duties"]').waitFor())
  await shoot('20b-orglife-calendar-county')
  await visit(page, `${base}#/orglife/records?org=${facts.branch.id}`, () => page.locator('[data-test="meeting-list"] [data-test="meeting-status"]').first().waitFor())
  await shoot('21-orglife-records')
  await visit(page, `${base}#/orglife/records/${o.returned.id}`, () => page.locator('[data-test="returned-banner"]').waitFor())
  await shoot('22-orglife-record-returned')
  await page.locator('[data-test="meeting-history"]').evaluate((e) => e.scrollIntoView({ block: 'start' }))
  await sleep(300)
  await shoot('22b-orglife-record-history')
  await visit(page, `${base}#/orglife/records/${o.general.id}/edit`, () => page.locator('[data-test="vote-result"]').waitFor())
  await shoot('23-orglife-editor')
  await page.locator('[data-test="attendance-card"]').evaluate((e) => e.scrollIntoView({ block: 'start' }))
  await sleep(300)
  await shoot('23b-orglife-editor-attendance')
  await page.locator('[data-test="votes-card"]').evaluate((e) => e.scrollIntoView({ block: 'start' }))
  await sleep(300)
  await shoot('23c-orglife-editor-vote')
  await visit(page, `${base}#/orglife/records/${o.general.id}`, () => page.locator('[data-test="vote-result"]').waitFor())
  await page.locator('[data-test="votes-card"]').evaluate((e) => e.scrollIntoView({ block: 'start' }))
  await sleep(300)
  await shoot('23d-orglife-record-vote')
  await visit(page, `${base}#/orglife/records/${o.themeDay.id}/edit`, () => page.locator('[data-test="checkin-qr"]').waitFor())
  await page.locator('[data-test="checkin-panel"]').evaluate((e) => e.scrollIntoView({ block: 'start' }))
  await sleep(500)
  await shoot('24-orglife-checkin-qr')
  // 审核: the queue, the checklist dialog refusing a return without problems, the statistics; 合规看板
  // for the quarter, worst first, and a cell's drill-down.
  await visit(page, `${base}#/orglife/review`, () => page.locator('[data-test="review-queue"] [data-test="queue-review"]').first().waitFor())
  await shoot('25-orglife-review-queue')
  await page.locator('[data-test="queue-review"]').first().click()
  const review = page.locator('.review-dialog')
  await review.locator('[data-test="review-checklist"] .item').first().waitFor()
  await review.locator('[data-test="review-decision"] .el-radio-button', { hasText: '退回修改' }).click()
  await review.locator('[data-test="review-submit"]').click()
  await review.locator('.el-form-item__error').first().waitFor()
  await review.locator('[data-test="review-checklist"] .item .el-checkbox').first().click()
  await sleep(400)
  shots.push(await screenshot(page, `${size}-25b-orglife-review-dialog`, { fullPage: false }))
  await page.keyboard.press('Escape')
  await review.waitFor({ state: 'hidden' })
  await visit(page, `${base}#/orglife/review?tab=stats`, () => page.locator('[data-test="problems-by-item"] [data-item]').first().waitFor())
  await sleep(1200) // chart animation
  await shoot('25c-orglife-problem-stats')
  await page.locator('[data-test="problems-by-branch"]').evaluate((e) => e.scrollIntoView({ block: 'start' }))
  await sleep(300)
  await shoot('25d-orglife-problems-by-branch')
  const quarter = `${shanghaiDate(0).slice(0, 4)}-Q${Math.floor((Number(shanghaiDate(0).slice(5, 7)) - 1) / 3) + 1}`
  await visit(page, `${base}#/orglife/board?period=${quarter}&sort=worst`, () => page.locator('[data-test="board-rows"] [data-light="red"]').first().waitFor())
  await shoot('26-orglife-board')
  await page.locator('[data-test="board-rows"] button[data-light="red"]').first().click()
  await page.locator('[data-test="cell-detail"]').waitFor()
  await settle(page)
  await sleep(500)
  shots.push(await screenshot(page, `${size}-26b-orglife-board-cell`, { fullPage: false }))
  await page.keyboard.press('Escape')
  await visit(page, `${base}#/orglife/board?org=${facts.town}&period=${shanghaiDate(0).slice(0, 4)}`, () => page.locator('[data-test="board-rows"] [data-org]').first().waitFor())
  await shoot('26c-orglife-board-town-year')

  // A new record refused by the server on its item: the actual start lies in the future.
  await visit(page, `${base}#/orglife/records/new?org=${facts.branch.id}&kind=theme_day`, () => page.locator('[data-test="meeting-form"]').waitFor())
  await page.locator('[data-test="meeting-topic"]').fill('主题党日：学习党章')
  const actual = formItem(page.locator('[data-test="meeting-form"]'), '实际开始').locator('input')
  await actual.click()
  await actual.fill(`${shanghaiDate(1)} 09:00`)
  await actual.press('Enter')
  await page.keyboard.press('Escape')
  await page.locator('[data-test="save-meeting"]').click()
  await page.locator('.el-form-item__error', { hasText: '实际开始时间不能晚于现在' }).waitFor()
  await sleep(300)
  await shoot('24b-orglife-new-refused')
  await page.goto('about:blank') // leaves the unsaved form without the editor's question

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

test('the 组织生活 pages at desktop and phone size, with screenshots; the 党员’s check-in on a phone', async () => {
  const server = await startServer()
  const browser = await launchBrowser()
  const pages = []
  try {
    const desktop = await newPage(browser, DESKTOP)
    pages.push(desktop)
    const password = await logIn(desktop, server.base, server.login(ORG_ADMIN))
    const root = (await apiGet(desktop, 'api/v1/orgs/roots')).items[0]
    const branch = await findOrg(desktop, async (o) => BRANCH_KINDS.includes(o.kind) && o.member_count >= 15)
    assert.ok(root && branch, 'the demo has a root and a branch')
    const town = (await apiGet(desktop, `api/v1/orgs/${branch.id}`)).parent_id
    const facts = { root, branch, town, orglife: await orglifeFacts(desktop, branch) }
    const desktopShots = await orglifeTour(desktop, server.base, 'desktop', facts)

    const phone = await newPage(browser, PHONE)
    pages.push(phone)
    await logIn(phone, server.base, { username: server.login(ORG_ADMIN).username, password })
    const phoneShots = await orglifeTour(phone, server.base, 'phone', facts)

    // On a phone the pages never scroll sideways.
    for (const url of [
      `#/orglife/calendar?org=${facts.branch.id}`,
      `#/orglife/calendar?org=${facts.root.id}`,
      `#/orglife/records?org=${facts.branch.id}`,
      `#/orglife/records/${facts.orglife.returned.id}`,
      `#/orglife/records/${facts.orglife.general.id}/edit`,
      `#/orglife/records/${facts.orglife.themeDay.id}/edit`,
      `#/orglife/records/new?org=${facts.branch.id}`,
      '#/orglife/review',
      '#/orglife/review?tab=stats',
      '#/orglife/board',
      `#/orglife/board?org=${facts.town}&sort=worst`,
    ]) {
      await visit(phone, server.base + url)
      const overflow = await sidewaysOverflow(phone)
      assert.ok(overflow <= 1, `${url} fits the phone's width (overflow ${overflow}px)`)
    }

    // The secretary's branch holds the meeting the demo's 党员 checks in at.
    const secretary = await newPage(browser, DESKTOP)
    pages.push(secretary)
    await logIn(secretary, server.base, server.login(BRANCH_SECRETARY))
    const theirs = (await apiGet(secretary, 'api/v1/orgs/roots')).items[0]
    // The demo's 党员 account on a phone: the QR code of a meeting of the secretary's branch starting
    // now, the login, the check-in page before and after, the member's own home.
    const checkinMeeting = await apiDo(secretary, 'POST', 'api/v1/meetings', {
      org_id: theirs.id,
      kind: 'theme_day',
      topic: '主题党日：学习党章',
      planned_start: shanghaiMinute(0),
      planned_end: shanghaiMinute(90),
      place: '村党群服务中心',
    })
    const checkinUrl = (await apiGet(secretary, `api/v1/meetings/${checkinMeeting.id}/checkin`)).token_url
    const memberPhone = await newPage(browser, PHONE)
    pages.push(memberPhone)
    const memberLogin = server.login(/party_member/)
    await memberPhone.goto(checkinUrl.replace(/^https?:\/\/[^/]+\//, server.base))
    await memberPhone.waitForURL((url) => url.hash.startsWith('#/login'))
    await screenshot(memberPhone, 'phone-28-checkin-login')
    await memberPhone.locator('input[name="username"]').fill(memberLogin.username)
    await memberPhone.locator('input[name="password"]').fill(memberLogin.password)
    await memberPhone.locator('[data-test="login-submit"]').click()
    await memberPhone.waitForURL((url) => url.hash.startsWith('#/password'))
    const memberPassword = freshPassword()
    await memberPhone.locator('input[name="current_password"]').fill(memberLogin.password)
    await memberPhone.locator('input[name="new_password"]').fill(memberPassword)
    await memberPhone.locator('input[name="new_password_again"]').fill(memberPassword)
    await memberPhone.locator('[data-test="password-submit"]').click()
    await memberPhone.locator('[data-test="checkin-button"]').waitFor()
    await sleep(300)
    await screenshot(memberPhone, 'phone-28a-checkin')
    await memberPhone.locator('[data-test="checkin-button"]').click()
    await memberPhone.locator('[data-test="checkin-done"]').waitFor()
    await sleep(300)
    await screenshot(memberPhone, 'phone-28b-checkin-done')
    const checkinOverflow = await sidewaysOverflow(memberPhone)
    assert.ok(checkinOverflow <= 1, `the check-in page fits the phone's width (overflow ${checkinOverflow}px)`)
    await visit(memberPhone, `${server.base}#/`, () => memberPhone.locator('[data-test="home-member"] [data-meeting]').first().waitFor())
    await screenshot(memberPhone, 'phone-28c-member-home')
    const memberOverflow = await sidewaysOverflow(memberPhone)
    assert.ok(memberOverflow <= 1, `the 党员's home fits the phone's width (overflow ${memberOverflow}px)`)

    console.log(`screenshots: ${desktopShots.length + phoneShots.length + 4} in ${SCREENSHOTS}`)
    for (const p of pages) assert.deepEqual(p.errors, [], 'no uncaught errors in the page')
  } finally {
    await browser.close()
    const result = await server.stop()
    assert.equal(result.code, 0, `zhibu serve exits 0 on SIGTERM (${JSON.stringify(result)})`)
  }
})
