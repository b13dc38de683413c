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
