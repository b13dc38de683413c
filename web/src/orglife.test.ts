import { describe, expect, it } from 'vitest'
import {
  attendanceInputOf,
  checkinPhase,
  windowText,
  calendarRouteQuery,
  calendarStateFromRoute,
  countAttendance,
  cycleOf,
  cycleTitle,
  dutiesOf,
  boardFindings,
  dutyLines,
  dutySpan,
  dutySpecs,
  judgedDay,
  emptyMeetingForm,
  fieldPath,
  isCounted,
  isReturn,
  lastReturn,
  reasonText,
  meetingActions,
  meetingErrorPlace,
  meetingFormOf,
  meetingHistory,
  meetingInputOf,
  meetingQueryOf,
  meetingStatusTagType,
  meetingStatusTitle,
  meetingTime,
  monthBounds,
  monthGrid,
  moreThanHalf,
  nowMinuteShanghai,
  oversightRows,
  quorumText,
  recordListRouteQuery,
  recordListStateFromRoute,
  recordsByDay,
  shiftMonth,
  timeRange,
  voteInputOf,
  type VoteDraft,
} from './orglife'
import type { Attendee, Finding, Meeting, MeetingSummary } from './types'

const summary = (over: Partial<MeetingSummary>): MeetingSummary => ({
  id: 1,
  org_id: 10,
  org_name: '第一党支部',
  kind: 'theme_day',
  kind_title: '主题党日',
  topic: '学习',
  held_on: '2026-11-10',
  planned_start: '2026-11-10T09:00',
  actual_start: null,
  status: 'submitted',
  status_title: '已提交待审核',
  expected: 10,
  present: 8,
  leave: 1,
  absent: 1,
  correction_of: null,
  superseded_by: null,
  ...over,
})

const attendee = (over: Partial<Attendee>): Attendee => ({
  member_id: 1,
  name: '张三',
  role: 'expected',
  role_title: '应到',
  position: '',
  position_title: '',
  status: 'absent',
  status_title: '缺席',
  leave_reason: '',
  voting: true,
  hardship: false,
  checked_in_at: null,
  no_vote_reason: null,
  ...over,
})

const finding = (over: Partial<Finding>): Finding => ({
  id: 1,
  rule_id: 'orglife.theme_day.monthly',
  rule_title: '每月开展1次主题党日',
  subject_kind: 'organisation',
  subject_id: 10,
  subject_name: '第一党支部',
  period: '2026-11',
  org_id: 10,
  org_name: '第一党支部',
  severity: 'red',
  message: '2026-10 未开展主题党日',
  facts: {},
  first_seen: '2026-11-01',
  last_seen: '2026-11-20',
  status: 'open',
  note: '',
  acknowledged_at: null,
  resolved_on: null,
  ...over,
})

const meeting = (over: Partial<Meeting>): Meeting => ({
  id: 7,
  org_id: 10,
  org_name: '第一党支部',
  kind: 'branch_general_meeting',
  kind_title: '支部党员大会',
  topic: '发展党员',
  planned_start: '2026-11-10T09:00',
  planned_end: '2026-11-10T11:00',
  actual_start: '2026-11-10T09:05',
  actual_end: '2026-11-10T11:10',
  held_on: '2026-11-10',
  place: '村委会',
  online: false,
  host: { member_id: 3, name: '李书记' },
  recorder: { member_id: null, name: '王会计' },
  agenda: '一、…',
  minutes: '会议记录',
  resolutions: '',
  status: 'draft',
  status_title: '草稿',
  editable: true,
  counted: false,
  correction_of: null,
  correction_reason: '',
  superseded_by: null,
  created_at: '2026-11-10T12:00:00+08:00',
  updated_at: '2026-11-10T12:00:00+08:00',
  submitted_at: null,
  reviewed_at: null,
  archived_at: null,
  attendance: { counts: { expected: 0, present: 0, leave: 0, absent: 0, voting_expected: 0, voting_present: 0, others_present: 0 }, items: [] },
  guests: [],
  quorum: null,
  votes: [],
  reviews: [],
  corrections: [],
  ...over,
})

describe('statuses', () => {
  it('names and colours the statuses, and tells which records count as held', () => {
    expect(meetingStatusTitle('returned')).toBe('已退回')
    expect(meetingStatusTitle('unknown')).toBe('unknown')
    expect(meetingStatusTagType('accepted')).toBe('success')
    expect(meetingStatusTagType('returned')).toBe('danger')
    expect(meetingStatusTagType('withdrawn')).toBe('info')
    expect(isCounted(summary({ status: 'submitted' }))).toBe(true)
    expect(isCounted(summary({ status: 'returned' }))).toBe(true)
    expect(isCounted(summary({ status: 'archived', superseded_by: 9 }))).toBe(false)
    expect(isCounted(summary({ status: 'draft' }))).toBe(false)
    expect(isCounted(summary({ status: 'withdrawn' }))).toBe(false)
  })
})

describe('times', () => {
  it('takes the minute of a stamp as the API wants it', () => {
    expect(meetingTime('2026-11-10T09:00:00+08:00')).toBe('2026-11-10T09:00')
    expect(meetingTime('2026-11-10 09:30')).toBe('2026-11-10T09:30')
    expect(meetingTime(null)).toBe('')
  })

  it('shows a range on one day or across days', () => {
    expect(timeRange('2026-11-10T09:00', '2026-11-10T11:30')).toBe('2026-11-10 09:00–11:30')
    expect(timeRange('2026-11-10T20:00', '2026-11-11T01:00')).toBe('2026-11-10 20:00 – 2026-11-11 01:00')
    expect(timeRange('2026-11-10T09:00', null)).toBe('2026-11-10 09:00')
    expect(timeRange(null, null)).toBe('—')
  })

  it('reads the current minute in Shanghai', () => {
    expect(nowMinuteShanghai(new Date('2026-11-10T16:30:00Z'))).toBe('2026-11-11T00:30')
  })
})

describe('the month grid', () => {
  it('moves by months across years and bounds them', () => {
    expect(shiftMonth('2026-11', 2)).toBe('2027-01')
    expect(shiftMonth('2026-01', -1)).toBe('2025-12')
    expect(monthBounds('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' })
    expect(monthBounds('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' })
  })

  it('lays out whole weeks from Monday, the neighbours marked', () => {
    const weeks = monthGrid('2026-11') // 1 November 2026 is a Sunday
    expect(weeks).toHaveLength(6)
    expect(weeks.every((w) => w.length === 7)).toBe(true)
    expect(weeks[0][0]).toEqual({ date: '2026-10-26', day: 26, inMonth: false, weekday: 0 })
    expect(weeks[0][6]).toEqual({ date: '2026-11-01', day: 1, inMonth: true, weekday: 6 })
    expect(weeks[5][0].date).toBe('2026-11-30')
    expect(weeks[5][6].date).toBe('2026-12-06')
    expect(weeks.flat().filter((d) => d.inMonth)).toHaveLength(30)
    expect(monthGrid('2021-02')).toHaveLength(4) // 1 Feb 2021 a Monday, 28 days
  })

  it('puts the records on their days in order of start, without the withdrawn ones', () => {
    const byDay = recordsByDay([
      summary({ id: 1, planned_start: '2026-11-10T14:00' }),
      summary({ id: 2, planned_start: '2026-11-10T15:00', actual_start: '2026-11-10T08:00' }),
      summary({ id: 3, status: 'withdrawn' }),
      summary({ id: 4, held_on: '2026-11-12', planned_start: '2026-11-12T09:00' }),
    ])
    expect(byDay.get('2026-11-10')!.map((r) => r.id)).toEqual([2, 1])
    expect(byDay.get('2026-11-12')!.map((r) => r.id)).toEqual([4])
    expect(byDay.size).toBe(2)
  })
})

describe('duties', () => {
  it('names cycles as the rules do', () => {
    expect(cycleOf('2026-11-20', 1)).toEqual({ id: '2026-11', first_day: '2026-11-01', last_day: '2026-11-30' })
    expect(cycleOf('2026-11-20', 3)).toEqual({ id: '2026-Q4', first_day: '2026-10-01', last_day: '2026-12-31' })
    expect(cycleOf('2026-02-10', 12)).toEqual({ id: '2026', first_day: '2026-01-01', last_day: '2026-12-31' })
    expect(cycleOf('2026-04-10', 2)).toEqual({ id: '2026-03~2026-04', first_day: '2026-03-01', last_day: '2026-04-30' })
    expect(cycleOf('2026-12-10', 5).last_day).toBe('2026-12-31') // the last cycle of a year stops at December
    expect(cycleTitle(cycleOf('2026-11-20', 3))).toBe('第四季度')
    expect(cycleTitle(cycleOf('2026-11-20', 1))).toBe('11月')
    expect(cycleTitle(cycleOf('2026-11-20', 12))).toBe('全年')
    expect(cycleTitle(cycleOf('2026-04-10', 2))).toBe('3—4月')
  })

  const specs = dutySpecs(3)
  const branch = { id: 10, name: '第一党支部', kind: 'branch', has_committee: true, groups: [{ id: 11, name: '第一党小组' }, { id: 12, name: '第二党小组' }] }

  it('binds a branch to its duties, the 支委会 only with a committee, one 党小组会 per group', () => {
    const kinds = dutiesOf(branch, specs).map((d) => `${d.spec.kind}@${d.org_id}`)
    expect(kinds).toEqual([
      'branch_general_meeting@10',
      'committee_meeting@10',
      'group_meeting@11',
      'group_meeting@12',
      'theme_day@10',
      'party_lecture@10',
      'org_life_meeting@10',
      'member_appraisal@10',
      'heart_to_heart@10',
    ])
    expect(dutiesOf({ ...branch, has_committee: false, groups: [] }, specs).map((d) => d.spec.kind)).not.toContain('committee_meeting')
    expect(dutiesOf({ ...branch, has_committee: false, groups: [] }, specs).map((d) => d.spec.kind)).not.toContain('heart_to_heart')
    expect(dutiesOf({ id: 11, name: '第一党小组', kind: 'group', has_committee: false, groups: [] }, specs).map((d) => d.spec.kind)).toEqual(['group_meeting'])
    expect(dutiesOf({ id: 1, name: '县委组织部', kind: 'department', has_committee: false, groups: [] }, specs)).toEqual([])
    expect(dutiesOf({ ...branch, kind: 'general_branch' }, specs)).toEqual([])
  })

  it('lights each duty: a finding red or yellow, a counted record green, else open or none', () => {
    const duties = dutiesOf({ ...branch, groups: [] }, specs)
    const records = [
      summary({ id: 1, kind: 'committee_meeting', held_on: '2026-11-05', status: 'accepted' }),
      summary({ id: 2, kind: 'branch_general_meeting', held_on: '2026-10-20', status: 'draft' }),
      summary({ id: 3, kind: 'org_life_meeting', held_on: '2026-03-01', status: 'archived', superseded_by: 4 }),
      summary({ id: 5, kind: 'party_lecture', held_on: '2026-10-15', status: 'returned' }),
    ]
    const findings = [finding({}), finding({ id: 2, rule_id: 'orglife.member_appraisal.yearly', severity: 'yellow' }), finding({ id: 3, rule_id: 'orglife.org_life_meeting.yearly', subject_id: 99 })]
    const lines = dutyLines(duties, '2026-11', findings, records, '2026-11-20')
    const light = Object.fromEntries(lines.map((l) => [l.spec.kind, l.light]))
    expect(light).toEqual({
      branch_general_meeting: 'open', // a draft does not count; the quarter runs to December
      committee_meeting: 'green',
      theme_day: 'red',
      party_lecture: 'green', // returned still counts as held
      org_life_meeting: 'open', // superseded; another organisation's finding is not this one's
      member_appraisal: 'yellow',
      heart_to_heart: 'open',
    })
    expect(lines.find((l) => l.spec.kind === 'committee_meeting')!.held.map((r) => r.id)).toEqual([1])
    expect(lines.find((l) => l.spec.kind === 'theme_day')!.finding!.id).toBe(1)
    // A month gone by: the cycles that ended without a record and without a finding are `none`.
    const past = dutyLines(duties, '2026-09', [], records, '2026-11-20')
    expect(past.find((l) => l.spec.kind === 'theme_day')!.light).toBe('none')
    expect(past.find((l) => l.spec.kind === 'branch_general_meeting')!.cycle.id).toBe('2026-Q3')
    // 谈心谈话 is done when everyone is covered, which the rule tells from 1 October on: a record in
    // September leaves it open; in November without a finding it is green, with one yellow.
    const talk = [summary({ id: 6, kind: 'heart_to_heart', held_on: '2026-09-10', status: 'submitted' })]
    const talkLight = (month: string, f: ReturnType<typeof finding>[]) =>
      dutyLines(duties, month, f, talk, '2026-11-20').find((l) => l.spec.kind === 'heart_to_heart')!.light
    expect(talkLight('2026-09', [])).toBe('open')
    expect(talkLight('2026-10', [])).toBe('green')
    expect(talkLight('2026-11', [finding({ id: 7, rule_id: 'orglife.heart_to_heart.yearly', severity: 'yellow' })])).toBe('yellow')
    expect(dutyLines(duties, '2026-09', [], [], '2026-11-20').find((l) => l.spec.kind === 'heart_to_heart')!.light).toBe('open')
    // A month gone by is judged on its last day: a record held after it does not count for it.
    const later = [summary({ id: 9, kind: 'branch_general_meeting', held_on: '2026-11-05', status: 'accepted' })]
    expect(dutyLines(duties, '2026-10', [], later, '2026-11-20').find((l) => l.spec.kind === 'branch_general_meeting')!.light).toBe('open')
    expect(dutyLines(duties, '2026-11', [], later, '2026-11-20').find((l) => l.spec.kind === 'branch_general_meeting')!.light).toBe('green')
    // A month to come: every cycle is open.
    expect(dutyLines(duties, '2027-01', [], [], '2026-11-20').every((l) => l.light === 'open')).toBe(true)
  })
})

describe('a month gone by', () => {
  it('takes the lights from the board: red and yellow cells, each group of the 党小组会 cell', () => {
    const cell = (light: string, extra: Record<string, unknown> = {}) => ({ light, held: 0, missed: [], last_held: null, due_on: null, message: `${light}!`, finding_id: null, finding_status: null, ...extra })
    const board = {
      columns: [
        { id: 'theme_day', rule_id: 'orglife.theme_day.monthly' },
        { id: 'group_meeting', rule_id: 'orglife.group_meeting.monthly' },
        { id: 'committee_meeting', rule_id: 'orglife.committee_meeting.monthly' },
      ],
      items: [
        {
          org_id: 10,
          cells: {
            theme_day: cell('red', { finding_id: 7 }),
            group_meeting: cell('red', { findings: [{ org_id: 11, name: '一组', light: 'red', message: '一组未开展' }, { org_id: 12, name: '二组', light: 'green' }] }),
            committee_meeting: cell('green'),
          },
        },
      ],
    } as unknown as Parameters<typeof boardFindings>[0]
    expect(boardFindings(board)).toEqual([
      { id: 7, rule_id: 'orglife.theme_day.monthly', subject_id: 10, severity: 'red', message: 'red!' },
      { id: 0, rule_id: 'orglife.group_meeting.monthly', subject_id: 11, severity: 'red', message: '一组未开展' },
    ])
    const branch = { id: 10, name: '支部', kind: 'branch', has_committee: true, groups: [{ id: 11, name: '一组' }, { id: 12, name: '二组' }] }
    const lines = dutyLines(dutiesOf(branch, dutySpecs(3)), '2026-09', boardFindings(board), [], '2026-11-20')
    const light = (kind: string, org = 10) => lines.find((l) => l.spec.kind === kind && l.org_id === org)!.light
    expect(light('theme_day')).toBe('red')
    expect(light('group_meeting', 11)).toBe('red')
    expect(light('group_meeting', 12)).toBe('none')
    expect(light('committee_meeting')).toBe('none')
  })
})

describe('the editor', () => {
  it('starts a form on a day', () => {
    const form = emptyMeetingForm(10, 'theme_day', '2026-11-10')
    expect(form.planned_start).toBe('2026-11-10T09:00')
    expect(form.planned_end).toBe('2026-11-10T11:00')
    expect(form.org_id).toBe(10)
  })

  it('turns a record into the form and back', () => {
    const m = meeting({
      attendance: {
        counts: { expected: 2, present: 1, leave: 1, absent: 0, voting_expected: 2, voting_present: 1, others_present: 0 },
        items: [
          attendee({ member_id: 1, status: 'present' }),
          attendee({ member_id: 2, name: '李四', status: 'leave', leave_reason: ' 出差 ' }),
          attendee({ member_id: null, name: '赵五', position: 'publicity', status: 'absent' }),
        ],
      },
      guests: [{ name: '陈镇长', unit: '镇党委' }],
      votes: [
        {
          seq: 1,
          resolution: '接收张某为预备党员',
          method: 'open',
          ballots: [{ member_id: 1, name: '张三', choice: 'yes' }],
          result: { result: 'failed', explanation: '…', yes: 1 },
        },
      ],
    })
    const form = meetingFormOf(m)
    expect(form.attendance.map((a) => a.key)).toEqual(['m1', 'm2', 'n赵五'])
    expect(form.votes[0].choices).toEqual({ 1: 'yes' })
    const input = meetingInputOf(form, { create: false, votes: true })
    expect(input.host_member_id).toBe(3)
    expect(input.host_name).toBeUndefined()
    expect(input).toMatchObject({ recorder_member_id: 0, recorder_name: '王会计' })
    expect(input.attendance).toEqual([
      { member_id: 1, status: 'present' },
      { member_id: 2, status: 'leave', leave_reason: '出差' },
      { name: '赵五', status: 'absent' },
    ])
    expect(input.guests).toEqual([{ name: '陈镇长', unit: '镇党委' }])
    expect(input.votes).toEqual([{ resolution: '接收张某为预备党员', method: 'open', ballots: [{ member_id: 1, choice: 'yes' }] }])
    expect(meetingInputOf(form, { create: false, votes: false }).votes).toBeUndefined()
  })

  it('creates with the organisation and kind but without attendance or empty actual times', () => {
    const form = emptyMeetingForm(10, 'committee_meeting', '2026-11-10')
    form.topic = ' 研究工作 '
    form.host = { member_id: null, name: '李书记' }
    const input = meetingInputOf(form, { create: true, votes: false })
    expect(input).toMatchObject({ org_id: 10, kind: 'committee_meeting', topic: '研究工作', host_member_id: 0, host_name: '李书记' })
    expect(input).not.toHaveProperty('attendance')
    expect(input).not.toHaveProperty('actual_start')
  })

  it('sends the ballots of present members only, and a secret ballot’s counts', () => {
    const open: VoteDraft = { resolution: ' 决议 ', method: 'open', choices: { 3: 'no', 1: 'yes', 2: '', 4: 'yes' }, voters: [], yes: 0, no: 0, abstain: 0 }
    expect(voteInputOf(open, new Set([1, 2, 3]))).toEqual({
      resolution: '决议',
      method: 'open',
      ballots: [
        { member_id: 1, choice: 'yes' },
        { member_id: 3, choice: 'no' },
      ],
    })
    const secret: VoteDraft = { ...open, method: 'secret', voters: [1, 2, 4], yes: 2, no: 0, abstain: 0 }
    expect(voteInputOf(secret, new Set([1, 2]))).toEqual({ resolution: '决议', method: 'secret', voters: [1, 2], yes: 2, no: 0, abstain: 0 })
  })

  it('counts the attendance as the server does', () => {
    const rows = [
      attendee({ status: 'present' }),
      attendee({ status: 'present', voting: false }), // 预备党员: expected, no vote
      attendee({ status: 'leave' }),
      attendee({ status: 'absent', hardship: true }), // 年老体弱, absent: not counted
      attendee({ status: 'present', hardship: true }), // …present: counted
      attendee({ status: 'present', role: 'attached', voting: false }),
      attendee({ status: 'absent' }),
    ]
    expect(countAttendance(rows)).toEqual({ expected: 5, present: 3, leave: 1, absent: 1, voting_expected: 4, voting_present: 2, others_present: 1 })
    expect(attendanceInputOf([attendee({ status: 'leave', leave_reason: '' })])).toEqual([{ member_id: 1, status: 'leave', leave_reason: '' }])
  })

  it('says whether a quorum is met: more than half', () => {
    expect(moreThanHalf(2, 3)).toBe(true)
    expect(moreThanHalf(2, 4)).toBe(false)
    const counts = { expected: 3, present: 1, leave: 0, absent: 2, voting_expected: 20, voting_present: 11, others_present: 0 }
    expect(quorumText('committee', counts)).toEqual({ met: false, text: '应到委员 3 名，到会 1 名，未超过半数，会议不能进行（须半数以上委员到会）' })
    expect(quorumText('two_halves', counts).met).toBe(true)
    expect(quorumText('two_halves', { ...counts, voting_present: 10 }).met).toBe(false)
  })

  it('places a server error on its item or row', () => {
    expect(fieldPath('votes[0].ballots[3].member_id')).toEqual(['votes', 0, 'ballots', 3, 'member_id'])
    expect(fieldPath('')).toEqual([])
    expect(meetingErrorPlace('attendance[2].leave_reason')).toEqual({ item: 'attendance', index: 2, sub: 'leave_reason' })
    expect(meetingErrorPlace('attendance')).toEqual({ item: 'attendance' })
    expect(meetingErrorPlace('host_name')).toEqual({ item: 'host' })
    expect(meetingErrorPlace('recorder_member_id')).toEqual({ item: 'recorder' })
    expect(meetingErrorPlace('votes[1].ballots[0].member_id')).toEqual({ item: 'votes', index: 1, sub: 'ballots[0].member_id' })
    expect(meetingErrorPlace('guests[0].name')).toEqual({ item: 'guests', index: 0, sub: 'name' })
    expect(meetingErrorPlace('status')).toBeNull()
    expect(meetingErrorPlace(undefined)).toBeNull()
  })
})

describe('a record’s life cycle and actions', () => {
  it('tells the history oldest first, with reviews, corrections and the superseding record', () => {
    const m = meeting({
      status: 'archived',
      correction_of: 3,
      correction_reason: '出席人数登记有误',
      submitted_at: '2026-11-12T10:00:00+08:00',
      archived_at: '2026-11-20T10:00:00+08:00',
      reviews: [
        { decision: 'returned', reviewer: '组织部', reviewed_at: '2026-11-11T09:00:00+08:00', reasons: [{ item: '会议记录不完整', note: '缺议程' }, { item: '', note: '未写明表决情况' }] },
        { decision: 'accepted', reviewer: '组织部', reviewed_at: '2026-11-13T09:00:00+08:00', reasons: [] },
      ],
      corrections: [{ id: 9, status: 'draft' }],
      superseded_by: 12,
    })
    const history = meetingHistory(m)
    expect(history.map((h) => h.title)).toEqual([
      '新建更正记录（更正 #3）',
      '退回（组织部）',
      '提交上级党组织审核',
      '审核通过（组织部）',
      '归档',
      '更正记录 #9（草稿）',
      '已被更正记录 #12 取代，本记录不再计入',
    ])
    expect(history[0].detail).toBe('更正原因：出席人数登记有误')
    expect(history[1].detail).toBe('会议记录不完整：缺议程；未写明表决情况')
    expect(lastReturn(m)?.reviewed_at).toBe('2026-11-11T09:00:00+08:00')
    expect(lastReturn(meeting({}))).toBeNull()
    expect(isReturn({ decision: 'return' })).toBe(true)
    expect(reasonText({ item: '会议记录不完整', note: '' })).toBe('会议记录不完整')
    expect(meetingHistory(meeting({ status: 'withdrawn', updated_at: '2026-11-11T00:00:00+08:00' })).map((h) => h.title)).toEqual(['新建草稿', '撤回'])
  })

  it('offers the steps the server takes', () => {
    const both = { write: true, review: true }
    expect(meetingActions(meeting({ status: 'draft', editable: true }), both)).toEqual(['edit', 'submit', 'withdraw'])
    expect(meetingActions(meeting({ status: 'draft', editable: true }), { write: false, review: true })).toEqual([])
    expect(meetingActions(meeting({ status: 'submitted', editable: false }), both)).toEqual(['review'])
    expect(meetingActions(meeting({ status: 'accepted', editable: false }), both)).toEqual(['correct', 'archive'])
    expect(meetingActions(meeting({ status: 'archived', editable: false, corrections: [{ id: 9, status: 'draft' }] }), both)).toEqual([])
    expect(meetingActions(meeting({ status: 'archived', editable: false, corrections: [{ id: 9, status: 'withdrawn' }] }), both)).toEqual(['correct'])
    expect(meetingActions(meeting({ status: 'archived', editable: false, superseded_by: 12 }), both)).toEqual([])
  })
})

describe('the pages’ addresses', () => {
  it('reads and writes the calendar’s state', () => {
    expect(calendarStateFromRoute({ org: '12', month: '2026-09' }, '2026-11')).toEqual({ org: 12, month: '2026-09' })
    expect(calendarStateFromRoute({ org: 'x', month: '2026-13' }, '2026-11')).toEqual({ org: null, month: '2026-11' })
    expect(calendarRouteQuery({ org: 12, month: '2026-11' }, '2026-11')).toEqual({ org: '12' })
    expect(calendarRouteQuery({ org: null, month: '2026-10' }, '2026-11')).toEqual({ month: '2026-10' })
  })

  it('reads and writes the record list’s state and request', () => {
    const state = recordListStateFromRoute({ org: '5', kind: 'theme_day', status: 'returned', from: '2026-01-01', to: 'x', page: '3' })
    expect(state).toEqual({ org: 5, kind: 'theme_day', status: 'returned', from: '2026-01-01', to: '', page: 3 })
    expect(recordListStateFromRoute({ status: 'bogus', kind: 'DROP TABLE', page: '-1' })).toEqual({ org: null, kind: '', status: '', from: '', to: '', page: 1 })
    expect(recordListRouteQuery(state)).toEqual({ org: '5', kind: 'theme_day', status: 'returned', from: '2026-01-01', page: '3' })
    expect(meetingQueryOf(state, 20)).toEqual({ org: 5, kind: 'theme_day', status: 'returned', from: '2026-01-01', to: undefined, page: 3, page_size: 20 })
  })
})

describe('the span of the duties', () => {
  it('judges a month on today while it runs and reaches the whole of the longest cycle', () => {
    const duties = dutiesOf({ id: 10, name: '支部', kind: 'branch', has_committee: true, groups: [] }, dutySpecs(3))
    expect(judgedDay('2026-11', '2026-11-20')).toBe('2026-11-20')
    expect(judgedDay('2026-10', '2026-11-20')).toBe('2026-10-31')
    expect(judgedDay('2026-12', '2026-11-20')).toBe('2026-12-01')
    expect(dutySpan(duties, '2026-11', '2026-11-20')).toEqual({ from: '2026-01-01', to: '2026-12-31' })
    expect(dutySpan([], '2026-11', '2026-11-20')).toEqual({ from: '2026-11-01', to: '2026-11-30' })
  })
})

describe('check-in', () => {
  const window = { opens_at: '2026-11-24T08:40', closes_at: '2026-11-24T09:20' }
  it('tells the phase from the server’s answer and clock', () => {
    expect(checkinPhase({ ...window, open: true, now: '2026-11-24T08:40:00+08:00' })).toBe('open')
    expect(checkinPhase({ ...window, open: false, now: '2026-11-24T08:39:59+08:00' })).toBe('before')
    expect(checkinPhase({ ...window, open: false, now: '2026-11-24T09:21:00+08:00' })).toBe('after')
    expect(checkinPhase({ ...window, open: false, now: '2026-11-24T08:50:00+08:00', status: 'submitted' })).toBe('closed')
    expect(checkinPhase({ ...window, open: false, now: '2026-11-24T08:30:00+08:00', status: 'returned' })).toBe('before')
    // Shut inside its window without a status known: the record was submitted meanwhile.
    expect(checkinPhase({ ...window, open: false, now: '2026-11-24T09:00:00+08:00' })).toBe('closed')
  })

  it('says the window in words', () => {
    expect(windowText(window.opens_at, window.closes_at)).toBe('11月24日 08:40 至 09:20')
    expect(windowText('2026-11-24T23:50', '2026-11-25T00:30')).toBe('11月24日 23:50 至 11月25日 00:30')
    expect(windowText('', '')).toBe('—')
  })
})

describe('the oversight counts', () => {
  it('puts a rule’s red and yellow counts on one row, orglife rules only, the most red first', () => {
    const rows = oversightRows([
      { rule_id: 'orglife.committee_meeting.monthly', rule_title: '支委会', severity: 'red', count: 3 },
      { rule_id: 'orglife.committee_meeting.monthly', rule_title: '支委会', severity: 'yellow', count: 5 },
      { rule_id: 'orglife.theme_day.monthly', rule_title: '主题党日', severity: 'yellow', count: 9 },
      { rule_id: 'orglife.branch_meeting.quarterly', rule_title: '党员大会', severity: 'red', count: 7 },
      { rule_id: 'member.lost_contact.six_months', rule_title: '失联', severity: 'red', count: 100 },
    ])
    expect(rows).toEqual([
      { rule_id: 'orglife.branch_meeting.quarterly', rule_title: '党员大会', red: 7, yellow: 0 },
      { rule_id: 'orglife.committee_meeting.monthly', rule_title: '支委会', red: 3, yellow: 5 },
      { rule_id: 'orglife.theme_day.monthly', rule_title: '主题党日', red: 0, yellow: 9 },
    ])
  })
})
