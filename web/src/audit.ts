// The audit console (审计日志) for the 审计管理员: the trail's JSON shapes (GET /api/v1/audit,
// GET /api/v1/audit/verify in src/platform/auth/auth_routes.cpp), the calls, and the pure helpers
// the page uses — filters ⇄ query string, titles, the before/after comparison, the verify summary.
// Unit-tested in audit.test.ts.

import { request, type Query } from './api'

export type AuditResult = 'success' | 'failure' | 'denied'

/** One event as the server answers it. */
export interface AuditEvent {
  seq: number
  /** `2026-03-01T08:30:00+08:00`, Asia/Shanghai */
  at: string
  actor_id: number | null
  actor: string
  role: string
  organisation_id: number | null
  action: string
  target: string
  result: AuditResult | string
  client_address: string
  /** Usually `{before, after}` or `{reason, …}`; the server keeps whatever was recorded. */
  detail: unknown
  hash: string
}

export interface AuditPage {
  items: AuditEvent[]
  total: number
  page: number
  size: number
}

/** GET /api/v1/audit/verify */
export interface AuditVerifyReport {
  events: number
  intact: boolean
  first_broken_seq?: number
  problem?: string
}

/** What the filter bar holds. Times are `YYYY-MM-DDTHH:mm:ss`, Beijing time. */
export interface AuditFilters {
  from: string
  to: string
  actor: string
  action: string
  target: string
  result: string
}

export const PAGE_SIZES = [20, 50, 100, 200] as const
export const DEFAULT_PAGE_SIZE = 50

export function emptyFilters(): AuditFilters {
  return { from: '', to: '', actor: '', action: '', target: '', result: '' }
}

const FILTER_KEYS = ['from', 'to', 'actor', 'action', 'target', 'result'] as const
const RESULTS: readonly string[] = ['success', 'failure', 'denied']

/** The API's query for these filters and page: trimmed, empty ones left out. */
export function auditQuery(filters: AuditFilters, page = 1, size = DEFAULT_PAGE_SIZE): Query {
  const query: Query = { page, size }
  for (const key of FILTER_KEYS) {
    const value = filters[key].trim()
    if (value) query[key] = value
  }
  return query
}

/** The same as `auditQuery`, as the page's address keeps it (page and size only when not the default). */
export function routeQuery(filters: AuditFilters, page: number, size: number): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(auditQuery(filters, page, size))) {
    if (key === 'page' && value === 1) continue
    if (key === 'size' && value === DEFAULT_PAGE_SIZE) continue
    out[key] = String(value)
  }
  return out
}

const first = (v: unknown): string => {
  const one = Array.isArray(v) ? v[0] : v
  return typeof one === 'string' ? one : ''
}

/** Filters, page and size from the page's address (anything malformed falls back to the default). */
export function filtersFromRoute(query: Record<string, unknown>): { filters: AuditFilters; page: number; size: number } {
  const filters = emptyFilters()
  for (const key of FILTER_KEYS) filters[key] = first(query[key]).trim()
  if (filters.result && !RESULTS.includes(filters.result)) filters.result = ''
  const page = Number.parseInt(first(query.page), 10)
  const size = Number.parseInt(first(query.size), 10)
  return {
    filters,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE,
  }
}

/** `2026-03-01T08:30:05+08:00` → `2026-03-01 08:30:05` (the trail is in Beijing time already). */
export function formatAuditTime(at: string | null | undefined): string {
  if (!at) return '—'
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(at)
  return m ? `${m[1]} ${m[2]}` : at
}

/** Chinese titles of the actions the server records; refusals are recorded under the permission asked for. */
export const ACTION_TITLES: Record<string, string> = {
  'auth.login': '登录',
  'auth.logout': '退出登录',
  'auth.logout_all': '在所有设备上退出',
  'auth.password_change': '修改密码',
  'auth.totp_enrol_begin': '开始绑定身份验证器',
  'auth.totp_enrol': '绑定身份验证器',
  'account.create': '新建账号',
  'account.disable': '停用账号',
  'account.reset_password': '重置密码',
  'grant.create': '授予角色',
  'grant.revoke': '撤销角色',
  'token.issue': '签发 API 令牌',
  'token.revoke': '撤销 API 令牌',
  'member.create': '新增党员',
  'member.update': '修改党员信息',
  'member.status': '党员状态变动',
  'member.unmask': '查看完整身份证号和手机号',
  'member.export': '导出党员信息',
  'member.import': '导入党员信息',
  'member.mobility': '流动党员登记',
  'member.lost_contact': '失去联系登记',
  'transfer.request': '申请组织关系转接',
  'transfer.approve': '审批转接（开具介绍信）',
  'transfer.receive': '接收组织关系',
  'transfer.reject': '退回转接',
  'transfer.cancel': '撤回转接',
  'transfer.incoming': '登记系统外转入',
  'org.import': '导入组织',
  'org.export': '导出组织',
  'setting.change': '修改本地设置',
  'compliance.acknowledge': '确认预警',
  'org.create': '新建组织',
  'org.update': '修改组织信息',
  'org.move': '调整隶属关系',
  'org.merge': '合并组织',
  'org.dissolve': '撤销组织',
  'org.committee_elect': '登记换届选举',
  'org.term_extend': '批准延期换届',
  'demo.load': '载入演示数据',
  'keys.rotate': '轮换加密密钥',
  'audit.archive': '归档审计记录',
  // Permissions, the action of a refused request.
  'account.read': '查看账号',
  'grant.read': '查看授权',
  'grant.change': '变更授权',
  'audit.read': '查看审计记录',
  'member.read': '查看党员信息',
  'member.write': '维护党员信息',
  'org.read': '查看组织',
  'org.write': '维护组织',
  'member.transfer_approve': '审批组织关系转接',
  'idcard.check': '校验身份证号',
  'compliance.read': '查看预警',
}

/** The action filter's choices: a prefix selects a whole area. */
export const ACTION_OPTIONS: { value: string; label: string }[] = [
  { value: 'auth.', label: '登录与会话（auth.）' },
  { value: 'auth.login', label: '登录（auth.login）' },
  { value: 'account.', label: '账号（account.）' },
  { value: 'grant.', label: '授权（grant.）' },
  { value: 'token.', label: 'API 令牌（token.）' },
  { value: 'member.', label: '党员（member.）' },
  { value: 'member.unmask', label: '查看完整个人信息（member.unmask）' },
  { value: 'transfer.', label: '组织关系转接（transfer.）' },
  { value: 'org.', label: '组织（org.）' },
  { value: 'setting.', label: '本地设置（setting.）' },
  { value: 'compliance.', label: '预警（compliance.）' },
  { value: 'keys.', label: '加密密钥（keys.）' },
  { value: 'audit.', label: '审计（audit.）' },
]

export function actionTitle(action: string): string {
  return ACTION_TITLES[action] ?? action
}

export const RESULT_OPTIONS: { value: AuditResult; label: string }[] = [
  { value: 'success', label: '成功' },
  { value: 'failure', label: '失败' },
  { value: 'denied', label: '拒绝（无权限）' },
]

export function resultTitle(result: string): string {
  return { success: '成功', failure: '失败', denied: '拒绝' }[result] ?? result
}

export function resultTagType(result: string): 'success' | 'warning' | 'danger' | 'info' {
  if (result === 'success') return 'success'
  if (result === 'failure') return 'warning'
  if (result === 'denied') return 'danger'
  return 'info'
}

/** `member:42` → `党员 42`; an unknown kind stays as recorded. */
export function targetTitle(target: string): string {
  const m = /^([a-z_]+):(.+)$/.exec(target)
  if (!m) return target || '—'
  const kinds: Record<string, string> = {
    member: '党员',
    org: '组织',
    account: '账号',
    grant: '授权',
    token: '令牌',
    transfer: '转接',
    setting: '设置',
    scale: '演示规模',
  }
  return kinds[m[1]] ? `${kinds[m[1]]} ${m[2]}` : target
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The detail split for display: what was before, what is after, and everything else. */
export function detailSections(detail: unknown): { before?: unknown; after?: unknown; rest: Record<string, unknown> | null } {
  if (!isPlainObject(detail)) return { rest: detail === null || detail === undefined || detail === '' ? null : { 内容: detail } }
  const { before, after, ...others } = detail
  return {
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
    rest: Object.keys(others).length > 0 ? others : null,
  }
}

export interface FieldChange {
  field: string
  before: string
  after: string
}

/** A value in the comparison table: text as is, anything else as JSON, a missing field as a dash. */
const shown = (v: unknown): string => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v))

/** The fields whose value differs between two records (objects), in the order first seen. */
export function changedFields(before: unknown, after: unknown): FieldChange[] {
  const a = isPlainObject(before) ? before : {}
  const b = isPlainObject(after) ? after : {}
  if (!isPlainObject(before) && !isPlainObject(after)) return []
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])]
  return fields
    .filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]))
    .map((field) => ({ field, before: shown(a[field]), after: shown(b[field]) }))
}

/** JSON for reading: indented, Chinese left as is. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? ''
}

/** What the "verify chain" button shows. */
export function verifySummary(report: AuditVerifyReport): { type: 'success' | 'error'; title: string; description: string } {
  if (report.intact) {
    return {
      type: 'success',
      title: '审计哈希链完整',
      description: `已逐条校验 ${report.events} 条审计记录的 SM3 哈希链，未发现修改、删除或插入。`,
    }
  }
  const at = report.first_broken_seq
  return {
    type: 'error',
    title: at !== undefined ? `审计哈希链在第 ${at} 条记录处断裂` : '审计哈希链已断裂',
    description: `${report.problem ?? ''}${report.problem ? '。' : ''}此前 ${report.events} 条记录完好；请立即保全数据库和日志并报告安全管理员。`,
  }
}

/** The audit routes (审计管理员 only), and the role titles for the actor column. */
export const auditApi = {
  list: (query: Query) => request<AuditPage>('GET', 'api/v1/audit', { query }),
  verify: () => request<AuditVerifyReport>('GET', 'api/v1/audit/verify'),
  roles: () => request<{ roles: { id: string; title: string }[] }>('GET', 'api/v1/roles', { quiet: true }),
}
