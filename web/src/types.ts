// The JSON shapes of docs/api-org-member.md and of the platform's auth routes
// (src/platform/auth/auth_routes.cpp). Field names follow the server exactly.

export interface ErrorEnvelope {
  error: { code: string; message: string; field?: string; request_id?: string; rule?: string }
}

export interface Grant {
  id: number
  role: string
  title: string
  organisation_id: number | null
}

export interface Me {
  id: number
  username: string
  display_name: string
  grants: Grant[]
  permissions: string[]
  csrf_token: string
  /** The member this account acts as (党员 self-service: check-in, leave), or null. */
  member_id?: number | null
  password_expired: boolean
  totp_enrollment_required: boolean
}

export interface OrgSummary {
  id: number
  code: string
  name: string
  kind: string
  kind_title: string
  domain: string
  domain_title: string
  status: string
  status_title: string
  parent_id: number | null
  child_count: number
  member_count: number
}

export interface CommitteePosition {
  position: string
  position_title: string
  member_id: number
  member_name: string
  concurrent_director?: boolean
}

export interface Committee {
  id: number
  elected_on: string
  term_years: number
  term_ends_on: string
  extended_until: string | null
  overdue: boolean
  current: boolean
  positions: CommitteePosition[]
}

export interface Org extends OrgSummary {
  founded_on: string | null
  approval_document: string
  address: string
  units: { name: string; employees?: number | null }[]
  ancestors: { id: number; name: string }[]
  committee: Committee | null
}

export interface OrgHistoryItem {
  kind: string
  kind_title: string
  date: string
  reason: string
  from_parent: string | { id: number; name: string } | null
  to_parent: string | { id: number; name: string } | null
}

export type Counts = Record<string, number>

export interface OrgStats {
  as_of: string
  organisations: { total: number; by_kind: Counts; by_domain: Counts }
  members: {
    total: number
    by_status: Counts
    by_sex: Counts
    by_ethnicity: Counts
    by_age_band: Counts
    by_education: Counts
    by_occupation: Counts
    by_standing: Counts
  }
  branches_needing_committee: number
  branches_without_required_committee: number
  non_public_coverage: { enterprises: number; with_organisation: number; share: number }
}

export interface MemberSummary {
  id: number
  name: string
  sex: string
  sex_title?: string
  birth_date: string
  id_number_masked: string
  phone_masked: string
  org_id: number
  org_name: string
  status: string
  status_title: string
  category: string
  category_title: string
  joined_on: string | null
  confirmed_on: string | null
}

export interface Member extends MemberSummary {
  ethnicity: string
  education: string
  education_title?: string
  degree: string
  occupation: string
  work_unit: string
  household: string
  address: string
  work_started_on: string | null
  exit_kind: string | null
  exit_kind_title?: string | null
  status_on?: string | null
  standing_years?: number | null
  hardship: boolean | string[] | null
  mobile: MemberMobility | null
  lost_contact_since: string | null
  /** 失联满6个月：可按规定提出停止党籍（第二十四条），从不自动办理。 */
  suspension_due?: boolean
  /** The relation left the deployment (an outgoing transfer's 回执 recorded). */
  departed_on?: string | null
  departed_to?: string | null
}

export interface MemberMobility {
  away_since: string
  destination: string
  attached_org_id: number | null
  attached_org_name: string | null
  /** 外出满6个月：应转移组织关系（第二十五条）。 */
  transfer_due?: boolean
}

/** A 流入党员 attached to a branch (GET /api/v1/orgs/{id}/attached-members). */
export interface AttachedMember {
  id: number
  name: string
  sex: string
  sex_title?: string
  status: string
  status_title?: string
  home_org_id: number
  home_org_name: string
  away_since: string | null
  destination: string
  phone_masked: string
}

/** A deployment setting (GET /api/v1/settings). */
export interface Setting {
  key: string
  title: string
  unit: string
  value: number
  default: number
  min: number
  max: number
  source: string
  updated_at: string | null
}

export interface MemberEvent {
  id: number
  kind: string
  kind_title: string
  date: string
  org_id: number | null
  org_name: string | null
  reason: string
  other_org_name?: string | null
}

export interface Page<T> {
  items: T[]
  total: number
  page: number
  page_size: number
}

export interface TransferStep {
  status: string
  date: string
  by: string
  note: string
}

export type TransferDirection = 'internal' | 'outgoing' | 'incoming'

export type TransferStatus = 'requested' | 'approved' | 'received' | 'rejected' | 'cancelled'

export interface Transfer {
  id: number
  member_id: number
  member_name: string
  from_org_id: number | null
  from_org_name: string | null
  to_org_id: number | null
  to_org_name: string | null
  external_org: string | null
  direction: TransferDirection
  direction_title?: string
  status: TransferStatus
  status_title: string
  requested_on: string
  letter_number: string | null
  letter_valid_until: string | null
  /** Approved and the letter's last valid day has passed. */
  letter_expired?: boolean
  return_slip_on: string | null
  reason: string
  steps: TransferStep[]
}

export interface ImportError {
  row: number
  column: string
  value: string
  message: string
}

export interface ImportJob {
  id: number | string
  status: 'running' | 'failed' | 'done'
  total_rows: number
  processed_rows: number
  imported: number
  errors: ImportError[]
}

export type ImportFormat = 'csv' | 'xlsx' | 'jsonl'

// 预警 (src/modules/compliance/module.cpp, engine.cpp): the rules catalogue, the stored findings
// and the alert board.

/** red: a rule broken; yellow: due soon or a soft limit; info: worth knowing. */
export type Severity = 'red' | 'yellow' | 'info'

/** A child organisation's light on the board: red when any red finding lies in its subtree. */
export type Light = 'red' | 'yellow' | 'green'

/** Resolved only by the data changing, never by a click. */
export type FindingStatus = 'open' | 'acknowledged' | 'resolved'

/** One row of GET /api/v1/rules. */
export interface Rule {
  id: string
  module: string
  title: string
  severity: Severity
  severity_title: string
  /** The regulation and article, or the local setting it follows. */
  source: string
  subject_kind: string
}

export interface Finding {
  id: number
  rule_id: string
  rule_title: string
  /** organisation | member | transfer */
  subject_kind: string
  subject_id: number
  subject_name: string
  period: string
  /** The organisation answerable (a member's branch). */
  org_id: number
  org_name: string
  severity: Severity
  message: string
  facts: Record<string, unknown>
  first_seen: string
  last_seen: string
  status: FindingStatus
  note: string
  acknowledged_at: string | null
  resolved_on: string | null
}

export interface FindingPage extends Page<Finding> {
  period: string
}

export type SeverityCounts = Record<Severity, number>

export interface BoardChild extends SeverityCounts {
  org_id: number
  org_name: string
  kind: string
  light: Light
}

/** The latest scheduled full scan (one a day, from the hour of compliance.daily_scan_hour). */
export interface DailyScan {
  run_on: string
  started_at: string
  finished_at: string | null
  found?: number
  opened?: number
  resolved?: number
  error?: string
}

/** GET /api/v1/findings/board: open and acknowledged findings of the period in the subtree. */
export interface Board {
  org_id: number
  org_name: string
  period: string
  /** null before the first daily scan; absent from servers older than the daily scan's record. */
  last_scan?: DailyScan | null
  totals: SeverityCounts
  by_status: { open: number; acknowledged: number }
  by_rule: { rule_id: string; rule_title: string; severity: Severity; count: number }[]
  /** Active children only. */
  children: BoardChild[]
}

/** POST /api/v1/findings/scan */
export interface ScanReport {
  found: number
  opened: number
  resolved: number
}

// 组织生活纪实 (docs/api-orglife.md, src/modules/orglife/): the records of 三会一课 and the rest,
// their attendance, votes, reviews and corrections.

/** draft → submitted → accepted | returned → archived; a draft or returned record may be withdrawn. */
export type MeetingStatus = 'draft' | 'submitted' | 'returned' | 'accepted' | 'archived' | 'withdrawn'

export type AttendanceStatus = 'present' | 'leave' | 'absent'

/** expected: 应到; attached: 流入党员; participant: entered for kinds without a fixed list; guest: 列席. */
export type AttendeeRole = 'expected' | 'attached' | 'participant' | 'guest'

export interface Term {
  id: string
  title: string
}

/** One kind of record (GET /api/v1/meetings/vocabulary). */
export interface MeetingKindInfo extends Term {
  /** The kinds of organisation that hold it. */
  org_kinds: string[]
  /** 支部党员大会 only: resolutions are voted on. */
  votes: boolean
}

export interface MeetingVocabulary {
  kinds: MeetingKindInfo[]
  statuses: Term[]
  attendance_statuses: Term[]
  roles: Term[]
  no_vote_reasons: Term[]
}

/** One row of GET /api/v1/meetings. */
export interface MeetingSummary {
  id: number
  org_id: number
  org_name: string
  kind: string
  kind_title: string
  topic: string
  /** The actual start's date, else the planned one's. */
  held_on: string
  planned_start: string
  actual_start: string | null
  status: MeetingStatus
  status_title: string
  expected: number
  present: number
  leave: number
  absent: number
  correction_of: number | null
  superseded_by: number | null
}

export interface Attendee {
  member_id: number | null
  name: string
  role: AttendeeRole
  role_title: string
  /** A committee position (支委会), else empty. */
  position: string
  position_title: string
  status: AttendanceStatus
  status_title: string
  leave_reason: string
  voting: boolean
  /** 年老体弱 (党员教育管理工作条例 第二十三条): counted among those expected only when present. */
  hardship: boolean
  checked_in_at: string | null
  /** Why the member has no vote here (预备党员, 留党察看, 流入党员), or null. */
  no_vote_reason: string | null
}

export interface AttendanceCounts {
  expected: number
  present: number
  leave: number
  absent: number
  voting_expected: number
  voting_present: number
  others_present: number
}

/** 支委会: more than half of the committee; 党员大会: more than half of the voting members expected. */
export interface Quorum {
  rule: 'committee' | 'two_halves'
  members: number
  present: number
  met: boolean
  source: string
}

export type VoteOutcome = 'passed' | 'failed' | 'no_quorum' | 'invalid'

/** Computed by the server on reading (支部工作条例 第十一条), never entered. */
export interface VoteResult {
  voting_expected?: number
  voting_present?: number
  yes?: number
  no?: number
  abstain?: number
  not_counted?: { member_id: number; name: string; reason: string; reason_title: string }[]
  quorum?: boolean
  passed?: boolean
  /** Whether a majority of those present would have passed it (not the rule). */
  passes_against_present?: boolean
  result: VoteOutcome
  explanation: string
  source?: string
}

export type BallotChoice = 'yes' | 'no' | 'abstain'

export interface Vote {
  seq: number
  resolution: string
  method: 'open' | 'secret'
  ballots?: { member_id: number; name: string; choice: BallotChoice }[]
  voters?: number[]
  result: VoteResult
}

export interface MeetingReview {
  /** `accepted` or `returned` (older servers wrote the request's `accept`/`return`). */
  decision: string
  reviewer: string
  reviewed_at: string
  /** A checklist item (`item_id`, its class) and a note, or a reason written (item_id null, class 其他). */
  reasons: { item_id?: number | null; class?: string; item: string; note: string }[]
}

/** GET /api/v1/meetings/{id} */
export interface Meeting {
  id: number
  org_id: number
  org_name: string
  kind: string
  kind_title: string
  topic: string
  planned_start: string
  planned_end: string
  actual_start: string | null
  actual_end: string | null
  held_on: string
  place: string
  online: boolean
  host: { member_id: number | null; name: string }
  recorder: { member_id: number | null; name: string }
  agenda: string
  minutes: string
  resolutions: string
  status: MeetingStatus
  status_title: string
  editable: boolean
  /** Counts as held (submitted, returned, accepted or archived, and not superseded). */
  counted: boolean
  correction_of: number | null
  correction_reason: string
  superseded_by: number | null
  created_at: string
  updated_at: string
  submitted_at: string | null
  reviewed_at: string | null
  archived_at: string | null
  attendance: { counts: AttendanceCounts; items: Attendee[] }
  guests: { name: string; unit: string }[]
  quorum: Quorum | null
  votes: Vote[]
  reviews: MeetingReview[]
  corrections: { id: number; status: MeetingStatus }[]
  /** Photos and scans, withdrawn ones included (servers before attachments omit it). */
  attachments?: Attachment[]
}

// The higher organisation's review (两审两备五查), its problem statistics and the compliance board
// of the frequency duties (docs/api-orglife.md "The higher organisation's review", "Compliance board").

export interface ChecklistItem {
  id: number
  seq: number
  title: string
  /** The article or local practice the item rests on. */
  source: string
  seeded: boolean
  retired: boolean
  retired_at: string | null
}

export interface ChecklistClass {
  id: number
  seq: number
  title: string
  items: ChecklistItem[]
}

/** One submitted record waiting for the caller's review (oldest submission first). */
export interface ReviewQueueItem {
  id: number
  org_id: number
  org_name: string
  org_kind: string
  org_trail: { id: number; name: string }[]
  org_path_title: string
  kind: string
  kind_title: string
  topic: string
  held_on: string
  submitted_at: string
  days_waiting: number
  correction_of: number | null
  expected: number
  present: number
}

export interface ProblemClassCount {
  /** null for 其他 (problems written in words). */
  class_id: number | null
  count: number
}

export interface ProblemStats {
  org: { id: number; name: string }
  from: string
  to: string
  total: number
  records: number
  branches: number
  classes_with_problems: number
  items_with_problems: number
  classes: { id: number | null; title: string; count: number; items: { id: number | null; title: string; retired: boolean; count: number }[] }[]
  by_branch: { org_id: number; name: string; count: number; classes: ProblemClassCount[] }[]
  by_month: { month: string; count: number; classes: ProblemClassCount[] }[]
}

export type CellLight = 'red' | 'yellow' | 'green' | 'none'

export interface BoardColumn {
  /** The kind of record (branch_general_meeting …). */
  id: string
  rule_id: string
  title: string
  cycle: 'month' | 'quarter' | 'year' | 'months'
  cycle_months: number
  due_day: number
  subjects: 'branch' | 'group'
  source: string
  totals: {
    subjects: { red: number; yellow: number; green: number }
    rows: Record<CellLight, number>
    held: number
  }
}

export interface BoardCell {
  light: CellLight
  held: number
  missed: string[]
  last_held: string | null
  due_on: string | null
  message: string | null
  finding_id: number | null
  finding_status: string | null
  /** 党小组会: the branch's groups. */
  groups?: { total: number; red: number; yellow: number; green: number }
  findings?: { org_id: number; name: string; light: CellLight; message?: string | null; finding_id?: number | null }[]
}

export interface BoardRow {
  org_id: number
  name: string
  kind: string
  parent: { id: number; name: string } | null
  light: CellLight
  counts: Record<CellLight, number>
  cells: Record<string, BoardCell>
}

/** GET /api/v1/meetings/board */
export interface DutyBoard {
  org: { id: number; name: string; code: string }
  period: { id: string; first_day: string; last_day: string; as_of: string }
  columns: BoardColumn[]
  totals: { red: number; yellow: number; green: number }
  rows: { total: number } & Record<CellLight, number>
  items: BoardRow[]
  total: number
  page: number
  page_size: number
}

// Check-in and leave (docs/api-orglife.md "Check-in and leave"), attachments ("Attachments").

/** GET /api/v1/meetings/{id}/checkin: the QR code's address and window, and the tally. */
export interface CheckinOverview {
  record_id: number
  status: MeetingStatus
  /** `<origin>/m/checkin?t=<token>`, or null for a record closed before a token was issued. */
  token_url: string | null
  /** The first and the last minute accepted (Asia/Shanghai `YYYY-MM-DDTHH:MM`). */
  opens_at: string
  closes_at: string
  open: boolean
  /** The first minute leave is refused. */
  leave_closes_at: string
  expected: number
  present: number
  leave: number
  checked_in: number
  now: string
}

export interface CheckinMeeting {
  id: number
  topic: string
  kind?: string
  kind_title?: string
  org_id?: number
  org_name: string
  planned_start: string
}

/** GET /api/v1/checkin?t=: the member's own place in the record. */
export interface CheckinPreview {
  meeting: CheckinMeeting
  opens_at: string
  closes_at: string
  open: boolean
  /** Whether the caller has a place in the record. */
  expected: boolean
  role: AttendeeRole | null
  status: AttendanceStatus | null
  checked_in: boolean
  checked_in_at: string | null
  now: string
}

export interface CheckinDone {
  meeting: CheckinMeeting
  checked_in_at: string
  role: AttendeeRole
}

export interface LeaveDone {
  meeting: CheckinMeeting
  status: 'leave'
  leave_reason: string
  leave_closes_at: string
  requested_at: string
}

export interface Attachment {
  id: number
  file_name: string
  content_type: string
  size_bytes: number
  sha256: string
  uploaded_by: string
  uploaded_at: string
  withdrawn: boolean
  withdrawn_at: string | null
  withdrawn_by: string | null
  withdraw_reason: string
}

/** GET /api/v1/meetings/mine: a coming meeting where the member has a place. */
export interface MyMeeting {
  meeting: CheckinMeeting
  role: AttendeeRole
  status: AttendanceStatus
  leave_reason: string
  checked_in_at: string | null
  opens_at: string
  closes_at: string
  /** A check-in (by the meeting's QR code) would be accepted now. */
  open: boolean
  leave_closes_at: string
  /** A leave request would be accepted now. */
  leave_open: boolean
}
