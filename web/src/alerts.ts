// The 预警 pages' pure helpers (unit-tested in alerts.test.ts): titles and tag colours of the
// severities, statuses and lights, the period in words, the order of the board's children, the
// facts of a finding in Chinese, where a finding's subject is shown, and the page's state ⇄ its
// address. The JSON shapes are in types.ts, the calls in api.ts (`api.findings`, `api.rules`).

import type { FindingQuery } from './api'
import { formatDateTime, todayShanghai } from './format'
import { ORG_KIND_TITLES, TRANSFER_STATUS_OPTIONS } from './vocabulary'
import type { DailyScan, Finding, FindingStatus, Light, Severity, SeverityCounts } from './types'

export const SEVERITIES: Severity[] = ['red', 'yellow', 'info']

export const SEVERITY_TITLES: Record<Severity, string> = { red: '红', yellow: '黄', info: '提示' }

/** What each severity means, for the tiles' hints and the catalogue. */
export const SEVERITY_HINTS: Record<Severity, string> = {
  red: '违反规定',
  yellow: '临近期限或超过软性上限',
  info: '值得了解',
}

export function severityTitle(severity: string): string {
  return SEVERITY_TITLES[severity as Severity] ?? severity
}

export function severityTagType(severity: string): 'danger' | 'warning' | 'info' {
  if (severity === 'red') return 'danger'
  if (severity === 'yellow') return 'warning'
  return 'info'
}

export const FINDING_STATUS_TITLES: Record<FindingStatus, string> = {
  open: '待处理',
  acknowledged: '已确认',
  resolved: '已解除',
}

export const FINDING_STATUS_OPTIONS: { value: FindingStatus | 'all'; label: string }[] = [
  { value: 'open', label: '待处理' },
  { value: 'acknowledged', label: '已确认' },
  { value: 'resolved', label: '已解除（数据已变化）' },
  { value: 'all', label: '全部（含已解除）' },
]

export function findingStatusTitle(status: string): string {
  return FINDING_STATUS_TITLES[status as FindingStatus] ?? status
}

export function findingStatusTagType(status: string): 'danger' | 'success' | 'info' {
  if (status === 'open') return 'danger'
  if (status === 'resolved') return 'success'
  return 'info'
}

export const LIGHT_TITLES: Record<Light, string> = { red: '红灯', yellow: '黄灯', green: '绿灯' }

/** The light of a subtree, as the server sets it: red when any red finding, else yellow when any
 *  yellow one, else green (a finding for information only does not change the light). */
export function lightOf(counts: Pick<SeverityCounts, 'red' | 'yellow'>): Light {
  if (counts.red > 0) return 'red'
  if (counts.yellow > 0) return 'yellow'
  return 'green'
}

const LIGHT_RANK: Record<Light, number> = { red: 0, yellow: 1, green: 2 }

/** The board's children, worst first: red before yellow before green, then by the number of red,
 *  yellow and information findings, then by name. A new array; the input is left as it is. */
export function worstFirst<T extends SeverityCounts & { org_name: string }>(children: readonly T[]): T[] {
  return [...children].sort(
    (a, b) =>
      LIGHT_RANK[lightOf(a)] - LIGHT_RANK[lightOf(b)] ||
      b.red - a.red ||
      b.yellow - a.yellow ||
      b.info - a.info ||
      a.org_name.localeCompare(b.org_name, 'zh-CN'),
  )
}

/** How many children show each light. */
export function lightCounts(children: readonly Pick<SeverityCounts, 'red' | 'yellow'>[]): Record<Light, number> {
  const out: Record<Light, number> = { red: 0, yellow: 0, green: 0 }
  for (const c of children) out[lightOf(c)] += 1
  return out
}

/** The current month in Asia/Shanghai, `YYYY-MM` (the server's default period). */
export function currentPeriod(now: Date = new Date()): string {
  return todayShanghai(now).slice(0, 7)
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/

/** True for a month `YYYY-MM` (the periods the page offers). */
export function isMonth(text: string): boolean {
  return MONTH_RE.test(text)
}

const QUARTERS = ['一', '二', '三', '四']

/** `2026-11` → `2026年11月`, `2026-Q4` → `2026年第四季度`, `2026` → `2026年`; anything else as is. */
export function periodTitle(period: string): string {
  const month = MONTH_RE.exec(period)
  if (month) return `${month[1]}年${Number(month[2])}月`
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period)
  if (quarter) return `${quarter[1]}年第${QUARTERS[Number(quarter[2]) - 1]}季度`
  if (/^\d{4}$/.test(period)) return `${period}年`
  return period
}

/** What the board says of the latest daily full scan; empty when the server does not tell. */
export function lastScanText(scan: DailyScan | null | undefined): string {
  if (scan === undefined) return ''
  if (scan === null) return '尚未进行每日全面检查（数据有变动的组织已随即检查）'
  if (!scan.finished_at) {
    return scan.error
      ? `${scan.run_on} 的全面检查未完成（${scan.error}），将自动重试`
      : `全面检查进行中（${formatDateTime(scan.started_at)} 开始）`
  }
  const counts = scan.found === undefined ? '' : `，预警 ${scan.found} 条（新增 ${scan.opened ?? 0}，解除 ${scan.resolved ?? 0}）`
  return `上次全面检查 ${formatDateTime(scan.finished_at)}${counts}`
}

export const SUBJECT_KIND_TITLES: Record<string, string> = {
  organisation: '组织',
  member: '党员',
  transfer: '组织关系转接',
  development_case: '发展党员',
  meeting: '会议',
}

/** Where the console shows a finding's subject, or null when it has no page of its own. */
export function subjectRoute(finding: Pick<Finding, 'subject_kind' | 'subject_id'>): string | null {
  switch (finding.subject_kind) {
    case 'organisation':
      return `/orgs/${finding.subject_id}`
    case 'member':
      return `/members/${finding.subject_id}`
    case 'transfer':
      return '/transfers'
    case 'meeting':
      return `/orglife/records/${finding.subject_id}`
    default:
      return null
  }
}

const TRANSFER_STATUS_TITLES = Object.fromEntries(TRANSFER_STATUS_OPTIONS.map((o) => [o.value, o.label]))
const yesNo = (v: unknown) => (v ? '是' : '否')
const withUnit = (unit: string) => (v: unknown) => `${String(v)} ${unit}`

/** The facts the rules record (rules.cpp of each module), with their Chinese labels. */
const FACTS: Record<string, { label: string; format?: (value: unknown) => string }> = {
  full_members: { label: '正式党员', format: withUnit('名') },
  probationary_members: { label: '预备党员', format: withUnit('名') },
  kind: { label: '组织类别', format: (v) => ORG_KIND_TITLES[String(v)] ?? String(v) },
  has_committee: { label: '设有支部委员会', format: yesNo },
  committee_size: { label: '委员会人数', format: withUnit('人') },
  lost_contact_since: { label: '失去联系日期' },
  away_since: { label: '外出日期' },
  joined_on: { label: '接收为预备党员日期' },
  probation_ends_on: { label: '预备期满日期' },
  extended: { label: '预备期已延长', format: yesNo },
  status: { label: '转接状态', format: (v) => TRANSFER_STATUS_TITLES[String(v)] ?? String(v) },
  requested_on: { label: '申请日期' },
  letter_valid_until: { label: '介绍信有效期至' },
  open_days: { label: '已历时', format: withUnit('天') },
  units: {
    label: '单位正式党员',
    format: (v) =>
      Array.isArray(v)
        ? v.map((u: { unit?: unknown; full_members?: unknown }) => `${String(u.unit)}（${String(u.full_members)}名）`).join('、')
        : String(v),
  },
  elected_on: { label: '选举日期' },
  term_years: { label: '任期', format: withUnit('年') },
  term_ends_on: { label: '届满日期' },
  extended_until: { label: '延期至' },
}

/** A fact's value as text: a dash for none, JSON for what has no format of its own. */
function factText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—'
  if (typeof value === 'boolean') return yesNo(value)
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** A finding's facts as labelled rows, in the order the rule recorded them. Unknown keys keep
 *  their name; an empty value is a dash. */
export function factEntries(facts: Record<string, unknown> | null | undefined): { key: string; label: string; value: string }[] {
  if (!facts || typeof facts !== 'object') return []
  return Object.entries(facts).map(([key, value]) => {
    const known = FACTS[key]
    const empty = value === null || value === undefined || value === ''
    return {
      key,
      label: known?.label ?? key,
      value: !empty && known?.format ? known.format(value) : factText(value),
    }
  })
}

// --- the page's state and its address -------------------------------------------------------------

export type AlertsTab = 'board' | 'rules'

/** What the 预警 page shows: the organisation, the month, the list's filters and page, the tab. */
export interface AlertsState {
  org: number | null
  period: string
  rule: string
  severity: Severity | ''
  status: FindingStatus | 'all' | ''
  page: number
  tab: AlertsTab
}

const first = (v: unknown): string => {
  const one = Array.isArray(v) ? v[0] : v
  return typeof one === 'string' ? one.trim() : ''
}

/** The state a page address names; anything malformed (or a month to come) falls back to the
 *  default: the caller's root (null), the current month, no filters, the first page, the board. */
export function alertsStateFromRoute(query: Record<string, unknown>, current: string = currentPeriod()): AlertsState {
  const org = Number(first(query.org))
  const period = first(query.period)
  const severity = first(query.severity)
  const status = first(query.status)
  const page = Number.parseInt(first(query.page), 10)
  return {
    org: Number.isInteger(org) && org > 0 ? org : null,
    period: isMonth(period) && period <= current ? period : current,
    rule: /^[a-z0-9_.]+$/.test(first(query.rule)) ? first(query.rule) : '',
    severity: (SEVERITIES as string[]).includes(severity) ? (severity as Severity) : '',
    status: FINDING_STATUS_OPTIONS.some((o) => o.value === status) ? (status as FindingStatus | 'all') : '',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    tab: first(query.tab) === 'rules' ? 'rules' : 'board',
  }
}

/** The address of a state: only what differs from the default. */
export function alertsRouteQuery(state: AlertsState, current: string = currentPeriod()): Record<string, string> {
  const out: Record<string, string> = {}
  if (state.org) out.org = String(state.org)
  if (state.period && state.period !== current) out.period = state.period
  if (state.rule) out.rule = state.rule
  if (state.severity) out.severity = state.severity
  if (state.status) out.status = state.status
  if (state.page > 1) out.page = String(state.page)
  if (state.tab !== 'board') out.tab = state.tab
  return out
}

/** The findings list's request for a state. */
export function findingQueryOf(state: AlertsState, pageSize: number): FindingQuery {
  return {
    org: state.org ?? undefined,
    period: state.period,
    rule: state.rule || undefined,
    severity: state.severity || undefined,
    status: state.status || undefined,
    page: state.page,
    page_size: pageSize,
  }
}
