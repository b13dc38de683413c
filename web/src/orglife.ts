// The 组织生活 pages' pure helpers (unit-tested in orglife.test.ts): titles and colours of the
// record statuses, times, the calendar's month grid, the duties of an organisation and their
// lights, the editor's form ⇄ the API's input, server error fields (`attendance[2].leave_reason`)
// → the form's items, the attendance counts while editing, a record's life cycle and the pages'
// state ⇄ their address. The JSON shapes are in types.ts, the calls in api.ts (`api.meetings`).

import type { AttendanceInput, MeetingInput, MeetingQuery, VoteInput } from './api'
import { EMPTY, formatDateTime, todayShanghai } from './format'
import { BRANCH_KINDS } from './vocabulary'
import type {
  Attendee,
  AttendanceCounts,
  AttendanceStatus,
  BallotChoice,
  DutyBoard,
  Finding,
  Light,
  Meeting,
  MeetingReview,
  MeetingStatus,
  MeetingSummary,
  Severity,
  Vote,
  VoteOutcome,
} from './types'

// --- statuses ---------------------------------------------------------------------------------

/** The server's titles (vocabulary.cpp), for the filters before the vocabulary has loaded. */
export const MEETING_STATUS_TITLES: Record<MeetingStatus, string> = {
  draft: '草稿',
  submitted: '已提交待审核',
  returned: '已退回',
  accepted: '审核通过',
  archived: '已归档',
  withdrawn: '已撤回',
}

export const MEETING_STATUSES = Object.keys(MEETING_STATUS_TITLES) as MeetingStatus[]

export function meetingStatusTitle(status: string): string {
  return MEETING_STATUS_TITLES[status as MeetingStatus] ?? status
}

/** The tag type of a status (MeetingStatusTag colours a submitted one blue on top of `info`). */
export function meetingStatusTagType(status: string): 'success' | 'warning' | 'info' | 'danger' {
  switch (status) {
    case 'returned':
      return 'danger'
    case 'accepted':
    case 'archived':
      return 'success'
    case 'draft':
      return 'warning'
    default:
      return 'info'
  }
}

/** A record counts as held (for the duties and the 6-month rule) while submitted, returned,
 *  accepted or archived and not superseded by an accepted correction (docs/api-orglife.md). */
export function isCounted(record: Pick<MeetingSummary, 'status' | 'superseded_by'>): boolean {
  return ['submitted', 'returned', 'accepted', 'archived'].includes(record.status) && !record.superseded_by
}

export const ATTENDANCE_TITLES: Record<AttendanceStatus, string> = { present: '出席', leave: '请假', absent: '缺席' }

export const VOTE_OUTCOME_TITLES: Record<VoteOutcome, string> = {
  passed: '通过',
  failed: '未通过',
  no_quorum: '表决无效',
  invalid: '无法计算',
}

export function voteOutcomeTagType(outcome: string): 'success' | 'danger' | 'warning' | 'info' {
  if (outcome === 'passed') return 'success'
  if (outcome === 'failed') return 'danger'
  if (outcome === 'no_quorum') return 'warning'
  return 'info'
}

export const CHOICE_TITLES: Record<BallotChoice, string> = { yes: '赞成', no: '反对', abstain: '弃权' }

// --- times ----------------------------------------------------------------------------------------

const MINUTE_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/

/** A time as the API takes it (`YYYY-MM-DDTHH:MM`, Asia/Shanghai), or '' when there is none. */
export function meetingTime(value: string | null | undefined): string {
  const m = value ? MINUTE_RE.exec(value) : null
  return m ? `${m[1]}T${m[2]}` : ''
}

/** `2026-11-10T09:00` and `…T11:30` → `2026-11-10 09:00–11:30` (the end's date when it differs). */
export function timeRange(start: string | null | undefined, end: string | null | undefined): string {
  const a = start ? MINUTE_RE.exec(start) : null
  if (!a) return EMPTY
  const b = end ? MINUTE_RE.exec(end) : null
  if (!b) return `${a[1]} ${a[2]}`
  return b[1] === a[1] ? `${a[1]} ${a[2]}–${b[2]}` : `${a[1]} ${a[2]} – ${b[1]} ${b[2]}`
}

/** The clock time of a stamp (`09:00`), or ''. */
export function clockOf(value: string | null | undefined): string {
  const m = value ? MINUTE_RE.exec(value) : null
  return m ? m[2] : ''
}

/** The current minute in Asia/Shanghai as `YYYY-MM-DDTHH:MM`. */
export function nowMinuteShanghai(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Shanghai',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(now)
  return `${todayShanghai(now)}T${parts}`
}

/** `date` (YYYY-MM-DD) at `clock` (HH:MM). */
export function at(date: string, clock: string): string {
  return `${date}T${clock}`
}

// --- months and the calendar's grid -----------------------------------------------------------------

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/

export function isMonth(text: string): boolean {
  return MONTH_RE.test(text)
}

const pad = (n: number) => String(n).padStart(2, '0')

/** `2026-11` plus `n` months. */
export function shiftMonth(month: string, n: number): string {
  const m = MONTH_RE.exec(month)
  if (!m) return month
  const total = Number(m[1]) * 12 + Number(m[2]) - 1 + n
  return `${Math.floor(total / 12)}-${pad((total % 12) + 1)}`
}

/** The first and the last day of a month. */
export function monthBounds(month: string): { from: string; to: string } {
  const m = MONTH_RE.exec(month)
  if (!m) return { from: '', to: '' }
  const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate()
  return { from: `${month}-01`, to: `${month}-${pad(last)}` }
}

export interface CalendarDay {
  date: string
  day: number
  inMonth: boolean
  /** 0 = Monday … 6 = Sunday */
  weekday: number
}

/** The weeks (Monday first) that show `month`: whole weeks, the neighbouring months' days marked. */
export function monthGrid(month: string): CalendarDay[][] {
  const { from, to } = monthBounds(month)
  if (!from) return []
  const day = 86_400_000
  const first = new Date(`${from}T00:00:00Z`).getTime()
  const last = new Date(`${to}T00:00:00Z`).getTime()
  const start = first - ((new Date(first).getUTCDay() + 6) % 7) * day
  const end = last + (6 - ((new Date(last).getUTCDay() + 6) % 7)) * day
  const weeks: CalendarDay[][] = []
  for (let t = start; t <= end; t += day) {
    const d = new Date(t)
    const weekday = (d.getUTCDay() + 6) % 7
    if (weekday === 0) weeks.push([])
    const date = d.toISOString().slice(0, 10)
    weeks[weeks.length - 1].push({ date, day: d.getUTCDate(), inMonth: date.startsWith(month), weekday })
  }
  return weeks
}

export const WEEKDAY_TITLES = ['一', '二', '三', '四', '五', '六', '日']

/** The records of each day, those of a day in order of their start. Withdrawn ones are left out. */
export function recordsByDay<T extends Pick<MeetingSummary, 'held_on' | 'status' | 'planned_start' | 'actual_start'>>(
  records: readonly T[],
): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const r of records) {
    if (r.status === 'withdrawn') continue
    const list = out.get(r.held_on) ?? []
    list.push(r)
    out.set(r.held_on, list)
  }
  const start = (r: T) => r.actual_start ?? r.planned_start
  for (const list of out.values()) list.sort((a, b) => start(a).localeCompare(start(b)))
  return out
}

// --- duties (the frequency rules of src/modules/orglife/rules.cpp) ----------------------------------

/** A frequency duty: the kind of record, its rule and its cycle in months. */
export interface DutySpec {
  kind: string
  rule_id: string
  title: string
  /** 1, 3, 12, or the setting's number of months (党课). */
  months: number
  /** Held by branches with a committee only. */
  committee?: boolean
  /** Held by each 党小组. */
  group?: boolean
  /** Done only when the records of the cycle cover everyone (谈心谈话: every pair of 支委, every
   *  member with a 支委), which only the rule can tell: the rule judges from `judged_from` (MM-DD)
   *  of the year on, so before that a record leaves the duty open, not green. */
  coverage?: { judged_from: string }
}

/** The duties and their sources (the rule catalogue names them in full): 支部工作条例 第十一条
 *  (党员大会 each quarter), 第十二条 (支委会 each month, where a committee exists), 第十三条
 *  (党小组会 each month); 党员教育管理工作条例 第十六条 (主题党日 each month), 第十七条 (组织生活会
 *  each year), 第十八条 (民主评议党员 each year); 党课 every `orglife.party_lecture_months` (local);
 *  支部工作条例 第十九条 (谈心谈话 each year, with a committee; yellow from 1 October). */
export function dutySpecs(partyLectureMonths = 3): DutySpec[] {
  return [
    { kind: 'branch_general_meeting', rule_id: 'orglife.branch_meeting.quarterly', title: '支部党员大会', months: 3 },
    { kind: 'committee_meeting', rule_id: 'orglife.committee_meeting.monthly', title: '支委会', months: 1, committee: true },
    { kind: 'group_meeting', rule_id: 'orglife.group_meeting.monthly', title: '党小组会', months: 1, group: true },
    { kind: 'theme_day', rule_id: 'orglife.theme_day.monthly', title: '主题党日', months: 1 },
    { kind: 'party_lecture', rule_id: 'orglife.party_lecture.periodic', title: '党课', months: partyLectureMonths },
    { kind: 'org_life_meeting', rule_id: 'orglife.org_life_meeting.yearly', title: '组织生活会', months: 12 },
    { kind: 'member_appraisal', rule_id: 'orglife.member_appraisal.yearly', title: '民主评议党员', months: 12 },
    { kind: 'heart_to_heart', rule_id: 'orglife.heart_to_heart.yearly', title: '谈心谈话', months: 12, committee: true, coverage: { judged_from: '10-01' } },
  ]
}

export interface Cycle {
  id: string
  first_day: string
  last_day: string
}

/** The cycle of `months` months (counted from January) holding `date`, named as the rules name
 *  it: `2026-11`, `2026-Q4`, `2026`, `2026-01~2026-02`. */
export function cycleOf(date: string, months: number): Cycle {
  const m = Math.min(12, Math.max(1, Math.trunc(months)))
  const year = Number(date.slice(0, 4))
  const month = Number(date.slice(5, 7))
  const start = Math.floor((month - 1) / m) * m + 1
  const end = Math.min(start + m - 1, 12)
  const lastDay = new Date(Date.UTC(year, end, 0)).getUTCDate()
  let id: string
  if (m === 1) id = `${year}-${pad(start)}`
  else if (m === 3) id = `${year}-Q${(start - 1) / 3 + 1}`
  else if (m === 12) id = String(year)
  else id = `${year}-${pad(start)}~${year}-${pad(end)}`
  return { id, first_day: `${year}-${pad(start)}-01`, last_day: `${year}-${pad(end)}-${pad(lastDay)}` }
}

const QUARTERS = ['一', '二', '三', '四']

/** A cycle in words: `11月`, `第四季度`, `全年`, `1—2月`. */
export function cycleTitle(cycle: Cycle): string {
  const q = /^\d{4}-Q([1-4])$/.exec(cycle.id)
  if (q) return `第${QUARTERS[Number(q[1]) - 1]}季度`
  if (/^\d{4}$/.test(cycle.id)) return '全年'
  const from = Number(cycle.first_day.slice(5, 7))
  const to = Number(cycle.last_day.slice(5, 7))
  return from === to ? `${from}月` : `${from}—${to}月`
}

/** What a duty's light needs of a finding: a stored one (`GET /api/v1/findings`), or a cell of the
 *  board computed by the rule's own code for a month gone by (id 0: not stored). */
export type DutyFinding = Pick<Finding, 'id' | 'rule_id' | 'subject_id' | 'severity' | 'message'>

/**
 * The red and yellow cells of a board of one branch (`GET /api/v1/meetings/board?org=&period=`) as
 * findings: the month's judgement by the rules' own code on its last day, for a month whose
 * findings were not kept (the scans store the current month's). A 党小组会 cell names each group.
 */
export function boardFindings(board: Pick<DutyBoard, 'columns' | 'items'>): DutyFinding[] {
  const out: DutyFinding[] = []
  const bad = (light: string) => light === 'red' || light === 'yellow'
  for (const row of board.items) {
    for (const column of board.columns) {
      const cell = row.cells[column.id]
      if (!cell) continue
      if (cell.findings) {
        for (const g of cell.findings) {
          if (bad(g.light)) out.push({ id: g.finding_id ?? 0, rule_id: column.rule_id, subject_id: g.org_id, severity: g.light as Severity, message: g.message ?? '' })
        }
      } else if (bad(cell.light)) {
        out.push({ id: cell.finding_id ?? 0, rule_id: column.rule_id, subject_id: row.org_id, severity: cell.light as Severity, message: cell.message ?? '' })
      }
    }
  }
  return out
}

/** An organisation's light for one duty in a month: the compliance findings' red or yellow; green
 *  with a counted record in the cycle; `open` while the cycle runs without one and nothing is due
 *  yet; `none` for a cycle that ended without a record and without a finding. */
export type DutyLight = Light | 'open' | 'none'

export interface DutyLine {
  spec: DutySpec
  /** The organisation bound: the branch, or one of its 党小组. */
  org_id: number
  org_name: string
  cycle: Cycle
  light: DutyLight
  /** The finding that made it red or yellow. */
  finding: DutyFinding | null
  /** The counted records of the cycle, oldest first. */
  held: MeetingSummary[]
}

export interface DutyOrg {
  id: number
  name: string
  kind: string
  /** Whether the branch has ever had a committee (the 支委会 duty binds from its election). */
  has_committee: boolean
  /** Its 党小组 with members. */
  groups: { id: number; name: string }[]
}

/** Which duties bind an organisation: a 党支部 (incl. 联合、临时) the branch duties, the 支委会 only
 *  with a committee, one 党小组会 per group with members; a 党小组 its own meeting; others none. */
export function dutiesOf(org: DutyOrg, specs: DutySpec[]): { spec: DutySpec; org_id: number; org_name: string }[] {
  const out: { spec: DutySpec; org_id: number; org_name: string }[] = []
  if (org.kind === 'group') {
    const spec = specs.find((s) => s.group)
    if (spec) out.push({ spec, org_id: org.id, org_name: org.name })
    return out
  }
  if (!BRANCH_KINDS.includes(org.kind)) return out
  for (const spec of specs) {
    if (spec.group) {
      for (const g of org.groups) out.push({ spec, org_id: g.id, org_name: g.name })
    } else if (!spec.committee || org.has_committee) {
      out.push({ spec, org_id: org.id, org_name: org.name })
    }
  }
  return out
}

/**
 * The lights of the duties for `month`: each duty's cycle that holds the month (the month's last
 * day, or today while the month runs), its finding of the month if any (by rule and organisation),
 * and its counted records in the cycle up to that day. A cycle that ended without a record and without a finding
 * is `none`: the rule did not bind it (a branch or committee set up during the cycle), or no check
 * result of that month is kept. A coverage duty (谈心谈话) with records stays `open` until its rule
 * judges it.
 */
export function dutyLines(
  duties: { spec: DutySpec; org_id: number; org_name: string }[],
  month: string,
  findings: readonly DutyFinding[],
  records: readonly MeetingSummary[],
  today: string,
): DutyLine[] {
  const judged = judgedDay(month, today)
  return duties.map(({ spec, org_id, org_name }) => {
    const cycle = cycleOf(judged, spec.months)
    const finding = findings.find((f) => f.rule_id === spec.rule_id && f.subject_id === org_id && (f.severity === 'red' || f.severity === 'yellow')) ?? null
    const held = records
      .filter((r) => r.kind === spec.kind && r.org_id === org_id && isCounted(r) && r.held_on >= cycle.first_day && r.held_on <= cycle.last_day && r.held_on <= judged)
      .sort((a, b) => a.held_on.localeCompare(b.held_on))
    const judging = !spec.coverage || judged >= `${cycle.first_day.slice(0, 4)}-${spec.coverage.judged_from}`
    let light: DutyLight
    if (finding) light = finding.severity as Light
    else if (held.length && judging) light = 'green'
    else if (judged < cycle.last_day) light = 'open'
    else light = 'none'
    return { spec, org_id, org_name, cycle, light, finding, held }
  })
}

/** The day a month is judged on: today while it runs, its last day once over, its first before. */
export function judgedDay(month: string, today: string): string {
  const { from, to } = monthBounds(month)
  return today < to ? (today < from ? from : today) : to
}

/** The dates the records of the duties' cycles lie in (one request for all of them). */
export function dutySpan(duties: readonly { spec: DutySpec }[], month: string, today: string): { from: string; to: string } {
  const judged = judgedDay(month, today)
  const { from, to } = monthBounds(month)
  let span = { from, to }
  for (const d of duties) {
    const c = cycleOf(judged, d.spec.months)
    span = { from: c.first_day < span.from ? c.first_day : span.from, to: c.last_day > span.to ? c.last_day : span.to }
  }
  return span
}

/** The organisational-life rules of a board's counts, one row per rule with its red and yellow
 *  counts (the board counts each severity apart), the most red first. */
export function oversightRows(byRule: readonly { rule_id: string; rule_title: string; severity: string; count: number }[]): { rule_id: string; rule_title: string; red: number; yellow: number }[] {
  const rows = new Map<string, { rule_id: string; rule_title: string; red: number; yellow: number }>()
  for (const r of byRule) {
    if (!r.rule_id.startsWith('orglife.') || (r.severity !== 'red' && r.severity !== 'yellow')) continue
    const row = rows.get(r.rule_id) ?? { rule_id: r.rule_id, rule_title: r.rule_title, red: 0, yellow: 0 }
    row[r.severity] += r.count
    rows.set(r.rule_id, row)
  }
  return [...rows.values()].sort((a, b) => b.red - a.red || b.yellow - a.yellow || a.rule_title.localeCompare(b.rule_title, 'zh-CN'))
}

export const DUTY_LIGHT_TITLES: Record<DutyLight, string> = {
  red: '逾期未开展',
  yellow: '临近期限',
  green: '已完成',
  open: '本期进行中',
  none: '没有记录',
}

// --- the editor -----------------------------------------------------------------------------------

/** A host or recorder: a member of the registry (by id) or anyone named. */
export interface Person {
  member_id: number | null
  name: string
}

export interface AttendanceRow extends Attendee {
  /** The row's key in the table (the member, or a position's holder named outside the registry). */
  key: string
}

export interface VoteDraft {
  resolution: string
  method: 'open' | 'secret'
  /** open: each present member's choice ('' = did not vote). */
  choices: Record<number, BallotChoice | ''>
  /** secret: the members handed a ballot, and the counts read from the box. */
  voters: number[]
  yes: number
  no: number
  abstain: number
}

export interface MeetingForm {
  org_id: number | null
  kind: string
  topic: string
  planned_start: string
  planned_end: string
  actual_start: string
  actual_end: string
  place: string
  online: boolean
  host: Person
  recorder: Person
  agenda: string
  minutes: string
  resolutions: string
  attendance: AttendanceRow[]
  guests: { name: string; unit: string }[]
  votes: VoteDraft[]
}

export function attendeeKey(a: Pick<Attendee, 'member_id' | 'name'>): string {
  return a.member_id ? `m${a.member_id}` : `n${a.name}`
}

export function emptyMeetingForm(org: number | null = null, kind = '', date = todayShanghai()): MeetingForm {
  return {
    org_id: org,
    kind,
    topic: '',
    planned_start: at(date, '09:00'),
    planned_end: at(date, '11:00'),
    actual_start: '',
    actual_end: '',
    place: '',
    online: false,
    host: { member_id: null, name: '' },
    recorder: { member_id: null, name: '' },
    agenda: '',
    minutes: '',
    resolutions: '',
    attendance: [],
    guests: [],
    votes: [],
  }
}

export function voteDraftOf(vote: Vote): VoteDraft {
  const choices: Record<number, BallotChoice | ''> = {}
  for (const b of vote.ballots ?? []) choices[b.member_id] = b.choice
  return {
    resolution: vote.resolution,
    method: vote.method,
    choices,
    voters: [...(vote.voters ?? [])],
    yes: vote.result.yes ?? 0,
    no: vote.result.no ?? 0,
    abstain: vote.result.abstain ?? 0,
  }
}

/** The editor's form of a record. */
export function meetingFormOf(m: Meeting): MeetingForm {
  return {
    org_id: m.org_id,
    kind: m.kind,
    topic: m.topic,
    planned_start: meetingTime(m.planned_start),
    planned_end: meetingTime(m.planned_end),
    actual_start: meetingTime(m.actual_start),
    actual_end: meetingTime(m.actual_end),
    place: m.place,
    online: m.online,
    host: { member_id: m.host.member_id, name: m.host.name },
    recorder: { member_id: m.recorder.member_id, name: m.recorder.name },
    agenda: m.agenda,
    minutes: m.minutes,
    resolutions: m.resolutions,
    attendance: m.attendance.items.map((a) => ({ ...a, key: attendeeKey(a) })),
    guests: m.guests.map((g) => ({ ...g })),
    votes: m.votes.map(voteDraftOf),
  }
}

/** The attendance as PATCH takes it, one entry per row in the table's order (so that a field
 *  `attendance[i]…` of an error names row i). */
export function attendanceInputOf(rows: readonly Pick<Attendee, 'member_id' | 'name' | 'status' | 'leave_reason'>[]): AttendanceInput[] {
  return rows.map((r) => {
    const entry: AttendanceInput = r.member_id ? { member_id: r.member_id, status: r.status } : { name: r.name, status: r.status }
    if (r.status === 'leave') entry.leave_reason = r.leave_reason.trim()
    return entry
  })
}

/** A vote as the API takes it: open ballots of the present members who voted, in member order;
 *  a secret ballot's voters and counts. */
export function voteInputOf(v: VoteDraft, present: ReadonlySet<number>): VoteInput {
  if (v.method === 'secret') {
    return { resolution: v.resolution.trim(), method: 'secret', voters: v.voters.filter((id) => present.has(id)), yes: v.yes, no: v.no, abstain: v.abstain }
  }
  const ballots = Object.entries(v.choices)
    .filter(([id, choice]) => choice && present.has(Number(id)))
    .map(([id, choice]) => ({ member_id: Number(id), choice: choice as BallotChoice }))
    .sort((a, b) => a.member_id - b.member_id)
  return { resolution: v.resolution.trim(), method: 'open', ballots }
}

const person = (p: Person, field: 'host' | 'recorder'): MeetingInput =>
  p.member_id ? { [`${field}_member_id`]: p.member_id } : { [`${field}_member_id`]: 0, [`${field}_name`]: p.name.trim() }

/**
 * The request of the form: on creation the organisation, the kind and the fields (the attendance
 * does not exist yet: the server computes who is expected); on an edit everything the editor
 * shows, the attendance, guests and votes included (votes only for kinds that vote).
 */
export function meetingInputOf(form: MeetingForm, options: { create: boolean; votes: boolean }): MeetingInput {
  const input: MeetingInput = {
    topic: form.topic.trim(),
    planned_start: form.planned_start,
    planned_end: form.planned_end,
    actual_start: form.actual_start,
    actual_end: form.actual_end,
    place: form.place.trim(),
    online: form.online,
    ...person(form.host, 'host'),
    ...person(form.recorder, 'recorder'),
    agenda: form.agenda,
    minutes: form.minutes,
    resolutions: form.resolutions,
  }
  if (options.create) {
    if (form.org_id) input.org_id = form.org_id
    input.kind = form.kind
    if (!input.actual_start) delete input.actual_start
    if (!input.actual_end) delete input.actual_end
    return input
  }
  input.attendance = attendanceInputOf(form.attendance)
  input.guests = form.guests.map((g) => ({ name: g.name.trim(), unit: g.unit.trim() }))
  if (options.votes) {
    const present = new Set(form.attendance.filter((a) => a.status === 'present' && a.member_id).map((a) => a.member_id as number))
    input.votes = form.votes.map((v) => voteInputOf(v, present))
  }
  return input
}

/** The counts the server makes (votes.cpp CountAttendance), for the editor while marks change:
 *  hardship-exempt members count among those expected only when present; 流入党员 and
 *  participants present are `others_present`. */
export function countAttendance(rows: readonly Pick<Attendee, 'role' | 'status' | 'hardship' | 'voting'>[]): AttendanceCounts {
  const out: AttendanceCounts = { expected: 0, present: 0, leave: 0, absent: 0, voting_expected: 0, voting_present: 0, others_present: 0 }
  for (const a of rows) {
    const counted = a.role === 'expected' && (!a.hardship || a.status === 'present')
    if (!counted) {
      if (a.role !== 'expected' && a.role !== 'guest' && a.status === 'present') out.others_present += 1
      continue
    }
    out.expected += 1
    out[a.status] += 1
    if (a.voting) {
      out.voting_expected += 1
      if (a.status === 'present') out.voting_present += 1
    }
  }
  return out
}

/** More than half: 2 of 3, 3 of 4 (支部工作条例 第十一条、第十二条: 半数以上). */
export function moreThanHalf(part: number, whole: number): boolean {
  return part * 2 > whole
}

/** The quorum line of the editor: 支委会 against the committee, 党员大会 against the voting members. */
export function quorumText(rule: 'committee' | 'two_halves', counts: AttendanceCounts): { met: boolean; text: string } {
  if (rule === 'committee') {
    const met = moreThanHalf(counts.present, counts.expected)
    return {
      met,
      text: `应到委员 ${counts.expected} 名，到会 ${counts.present} 名，${met ? '超过半数，会议可以进行' : '未超过半数，会议不能进行（须半数以上委员到会）'}`,
    }
  }
  const met = moreThanHalf(counts.voting_present, counts.voting_expected)
  return {
    met,
    text: `应到会有表决权的党员 ${counts.voting_expected} 名，到会 ${counts.voting_present} 名，${met ? '超过半数，可以进行表决' : '未超过半数，不能进行表决'}`,
  }
}

/** A server error's field as a path: `votes[0].ballots[3].member_id` → ['votes', 0, 'ballots', 3, 'member_id']. */
export function fieldPath(field: string | null | undefined): (string | number)[] {
  if (!field) return []
  const out: (string | number)[] = []
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1])
  return out
}

/** The editor's form items (the keys of its error messages). */
export const MEETING_FORM_ITEMS = [
  'org_id',
  'kind',
  'topic',
  'planned_start',
  'planned_end',
  'actual_start',
  'actual_end',
  'place',
  'host',
  'recorder',
  'agenda',
  'minutes',
  'resolutions',
  'attendance',
  'guests',
  'votes',
] as const

/**
 * Where the editor shows a server error: a form item (`host_name` on 主持人), a row of the
 * attendance (`attendance[2].leave_reason` → row 2's reason), a guest or a vote. Answers the
 * item and, for rows, the index and the row's field.
 */
export function meetingErrorPlace(field: string | null | undefined): { item: string; index?: number; sub?: string } | null {
  const path = fieldPath(field)
  if (!path.length) return null
  const head = String(path[0])
  const aliases: Record<string, string> = {
    host_name: 'host',
    host_member_id: 'host',
    recorder_name: 'recorder',
    recorder_member_id: 'recorder',
    online: 'place',
  }
  const item = aliases[head] ?? head
  if (!(MEETING_FORM_ITEMS as readonly string[]).includes(item)) return null
  if (typeof path[1] === 'number') {
    const rest = path.slice(2).join('.').replace(/\.(\d+)/g, '[$1]')
    return { item, index: path[1], sub: rest || undefined }
  }
  return { item }
}

// --- a record's life cycle ------------------------------------------------------------------------

/** Whether a review returned the record. */
export function isReturn(review: Pick<MeetingReview, 'decision'>): boolean {
  return review.decision === 'returned' || review.decision === 'return'
}

/** A review's reason as text: the checklist item and the note, or whichever is given. */
export function reasonText(reason: { item: string; note: string }): string {
  if (reason.item && reason.note) return `${reason.item}：${reason.note}`
  return reason.item || reason.note
}

/** The latest review that returned the record, or null. */
export function lastReturn(m: Pick<Meeting, 'reviews'>): MeetingReview | null {
  return [...m.reviews].reverse().find(isReturn) ?? null
}

export interface HistoryEntry {
  at: string
  title: string
  detail?: string
  type: 'primary' | 'success' | 'warning' | 'danger' | 'info'
}

/**
 * What happened to a record: created (a correction names its original and reason), then by time
 * each review (accepted, or returned with its reasons), the latest submission, archiving,
 * withdrawal, its corrections and being superseded. The record keeps the latest submission's
 * time only; an earlier one is implied by the review that followed it.
 */
export function meetingHistory(m: Meeting): HistoryEntry[] {
  const created: HistoryEntry = {
    at: m.created_at,
    title: m.correction_of ? `新建更正记录（更正 #${m.correction_of}）` : '新建草稿',
    detail: m.correction_of && m.correction_reason ? `更正原因：${m.correction_reason}` : undefined,
    type: 'info',
  }
  const out: HistoryEntry[] = []
  for (const r of m.reviews) {
    const returned = isReturn(r)
    out.push({
      at: r.reviewed_at,
      title: returned ? `退回（${r.reviewer}）` : `审核通过（${r.reviewer}）`,
      detail: r.reasons.length ? r.reasons.map(reasonText).join('；') : undefined,
      type: returned ? 'danger' : 'success',
    })
  }
  if (m.submitted_at) out.push({ at: m.submitted_at, title: '提交上级党组织审核', type: 'primary' })
  if (m.archived_at) out.push({ at: m.archived_at, title: '归档', type: 'success' })
  if (m.status === 'withdrawn') out.push({ at: m.updated_at, title: '撤回', type: 'warning' })
  // Created first (a record entered afterwards keeps the times of its earlier steps), the rest by time.
  const sorted = [created, ...out.sort((a, b) => a.at.localeCompare(b.at))]
  for (const c of m.corrections) {
    sorted.push({ at: '', title: `更正记录 #${c.id}（${meetingStatusTitle(c.status)}）`, type: 'warning' })
  }
  if (m.superseded_by) sorted.push({ at: '', title: `已被更正记录 #${m.superseded_by} 取代，本记录不再计入`, type: 'danger' })
  return sorted
}

/** A history entry's time for display. */
export function historyTime(entry: HistoryEntry): string {
  return entry.at ? formatDateTime(entry.at) : ''
}

// --- what the user may do with a record -------------------------------------------------------------

export type MeetingAction = 'edit' | 'submit' | 'withdraw' | 'correct' | 'review' | 'archive'

/**
 * The steps the server would take from this user (docs/api-orglife.md): a draft or returned record
 * is edited, submitted or withdrawn (orglife.write); an accepted or archived one is corrected when
 * no correction is open and it is not superseded; a submitted one reviewed and an accepted one
 * archived (orglife.review, over the record's parent — the server says 403 on one's own).
 */
export function meetingActions(
  m: Pick<Meeting, 'status' | 'editable' | 'corrections' | 'superseded_by'>,
  permissions: { write: boolean; review: boolean },
): MeetingAction[] {
  const out: MeetingAction[] = []
  if (permissions.write && m.editable) out.push('edit', 'submit', 'withdraw')
  const open = m.corrections.some((c) => ['draft', 'submitted', 'returned'].includes(c.status))
  if (permissions.write && (m.status === 'accepted' || m.status === 'archived') && !open && !m.superseded_by) out.push('correct')
  if (permissions.review && m.status === 'submitted') out.push('review')
  if (permissions.review && m.status === 'accepted') out.push('archive')
  return out
}

// --- the pages' state and their address -----------------------------------------------------------

const first = (v: unknown): string => {
  const one = Array.isArray(v) ? v[0] : v
  return typeof one === 'string' ? one.trim() : ''
}
const positiveId = (v: unknown): number | null => {
  const n = Number(first(v))
  return Number.isInteger(n) && n > 0 ? n : null
}
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/

export interface CalendarState {
  org: number | null
  month: string
}

export function calendarStateFromRoute(query: Record<string, unknown>, current: string = todayShanghai().slice(0, 7)): CalendarState {
  const month = first(query.month)
  return { org: positiveId(query.org), month: isMonth(month) ? month : current }
}

export function calendarRouteQuery(state: CalendarState, current: string = todayShanghai().slice(0, 7)): Record<string, string> {
  const out: Record<string, string> = {}
  if (state.org) out.org = String(state.org)
  if (state.month !== current) out.month = state.month
  return out
}

export interface RecordListState {
  org: number | null
  kind: string
  status: MeetingStatus | ''
  from: string
  to: string
  page: number
}

export function recordListStateFromRoute(query: Record<string, unknown>): RecordListState {
  const status = first(query.status)
  const page = Number.parseInt(first(query.page), 10)
  const date = (v: unknown) => (DATE_RE.test(first(v)) ? first(v) : '')
  return {
    org: positiveId(query.org),
    kind: /^[a-z_]+$/.test(first(query.kind)) ? first(query.kind) : '',
    status: (MEETING_STATUSES as string[]).includes(status) ? (status as MeetingStatus) : '',
    from: date(query.from),
    to: date(query.to),
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  }
}

export function recordListRouteQuery(state: RecordListState): Record<string, string> {
  const out: Record<string, string> = {}
  if (state.org) out.org = String(state.org)
  if (state.kind) out.kind = state.kind
  if (state.status) out.status = state.status
  if (state.from) out.from = state.from
  if (state.to) out.to = state.to
  if (state.page > 1) out.page = String(state.page)
  return out
}

export function meetingQueryOf(state: RecordListState, pageSize: number): MeetingQuery {
  return {
    org: state.org ?? undefined,
    kind: state.kind || undefined,
    status: state.status || undefined,
    from: state.from || undefined,
    to: state.to || undefined,
    page: state.page,
    page_size: pageSize,
  }
}

// --- check-in -------------------------------------------------------------------------------------

/** Where a record's check-in stands: not yet open, open, over, or closed with the record (no longer
 *  a draft or returned: the record's `status` when known, else shut inside its window). The server
 *  says `open`; the rest is read from its own clock (`now`). */
export type CheckinPhase = 'before' | 'open' | 'after' | 'closed'

export function checkinPhase(o: { open: boolean; opens_at: string; closes_at: string; now: string; status?: MeetingStatus }): CheckinPhase {
  if (o.open) return 'open'
  if (o.status && o.status !== 'draft' && o.status !== 'returned') return 'closed'
  const minute = meetingTime(o.now)
  if (minute < meetingTime(o.opens_at)) return 'before'
  return minute <= meetingTime(o.closes_at) ? 'closed' : 'after'
}

export const CHECKIN_PHASE_TITLES: Record<CheckinPhase, string> = {
  before: '签到未开始',
  open: '签到进行中',
  after: '签到已结束',
  closed: '记录已提交，不再签到',
}

/** The check-in window in words: `11月24日 08:40 至 09:20` (the end's date when it differs). */
export function windowText(opensAt: string, closesAt: string): string {
  const a = MINUTE_RE.exec(opensAt)
  const b = MINUTE_RE.exec(closesAt)
  if (!a || !b) return EMPTY
  const day = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`
  return `${day(a[1])} ${a[2]} 至 ${b[1] === a[1] ? '' : `${day(b[1])} `}${b[2]}`
}
