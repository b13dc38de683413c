// Formatting helpers shared by the pages (pure functions, unit-tested in format.test.ts).

import type { Counts, ImportJob, Transfer } from './types'

export const EMPTY = '—'

/** A value for display: empty, null and undefined become a dash. */
export function dash(value: unknown): string {
  if (value === null || value === undefined) return EMPTY
  const text = String(value).trim()
  return text === '' ? EMPTY : text
}

/** Today in Asia/Shanghai as YYYY-MM-DD (the server's dates are Shanghai dates). */
export function todayShanghai(now: Date = new Date()): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now)
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})/

/** `2021-07-01` → `2021年7月1日`; anything else as a dash. */
export function formatDateCn(date: string | null | undefined): string {
  const m = date ? DATE_RE.exec(date) : null
  if (!m) return EMPTY
  return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`
}

/** A server timestamp (`2026-03-01T09:30:12+08:00`, Shanghai time) as `2026-03-01 09:30`. */
export function formatDateTime(stamp: string | null | undefined): string {
  const m = stamp ? /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(stamp) : null
  if (m) return `${m[1]} ${m[2]}`
  return dash(stamp)
}

/** Whole years from `from` to `to` (both YYYY-MM-DD), or null when either is missing. */
export function yearsBetween(from: string | null | undefined, to: string): number | null {
  const a = from ? DATE_RE.exec(from) : null
  const b = DATE_RE.exec(to)
  if (!a || !b) return null
  let years = Number(b[1]) - Number(a[1])
  const beforeAnniversary =
    Number(b[2]) < Number(a[2]) || (Number(b[2]) === Number(a[2]) && Number(b[3]) < Number(a[3]))
  if (beforeAnniversary) years -= 1
  return years < 0 ? null : years
}

/** 党龄 counts from 转正日期 (spec 03); a probationary member has none yet. */
export function partyStanding(confirmedOn: string | null | undefined, today: string): string {
  const years = yearsBetween(confirmedOn, today)
  return years === null ? EMPTY : `${years} 年`
}

const SEX: Record<string, string> = { male: '男', m: '男', '1': '男', 男: '男', female: '女', f: '女', '2': '女', 女: '女' }

export function sexTitle(sex: string | null | undefined): string {
  if (!sex) return EMPTY
  return SEX[sex.toLowerCase()] ?? sex
}

/** 0.635 → `63.5%`; a share already in percent (> 1) is shown as is. */
export function percent(share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined || Number.isNaN(share)) return EMPTY
  const value = share <= 1 ? share * 100 : share
  return `${value.toFixed(digits).replace(/\.0+$/, '')}%`
}

/** What a search box entry looks like, to tell the user how it is matched. */
export type QueryKind = 'empty' | 'id_number' | 'phone' | 'initials' | 'name'

export function queryKind(q: string): QueryKind {
  const text = q.trim()
  if (!text) return 'empty'
  if (/^\d{17}[\dXx]$/.test(text) || /^\d{15}$/.test(text)) return 'id_number'
  if (/^1\d{10}$/.test(text)) return 'phone'
  if (/^[A-Za-z]+$/.test(text)) return 'initials'
  return 'name'
}

export const QUERY_KIND_TITLES: Record<QueryKind, string> = {
  empty: '',
  id_number: '按身份证号查找',
  phone: '按手机号查找',
  initials: '按拼音首字母查找',
  name: '按姓名查找',
}

/** A masked value keeps its stars; true when the server sent a masked form. */
export function isMasked(value: string | null | undefined): boolean {
  return !!value && value.includes('*')
}

/** Bands in their natural order (the server's keys: ≤30, 31–35 … ≥61; 预备期, 5年以下 … 50年以上). */
export const AGE_BAND_ORDER = ['≤30', '31–35', '36–40', '41–45', '46–50', '51–55', '56–60', '≥61']
export const STANDING_BAND_ORDER = ['预备期', '5年以下', '5–10年', '11–20年', '21–30年', '31–40年', '41–50年', '50年以上']

const normaliseDash = (k: string) => k.replace(/-/g, '–')

/** Counts as chart data: [{name, value}]. Keys listed in `order` come in that order (age and
 *  standing bands are recognised by themselves); anything else is sorted by count, largest
 *  first. `titles` renames keys (`male` → 男). */
export function countsToSeries(
  counts: Counts | null | undefined,
  titles: Record<string, string> = {},
  order?: string[],
): { name: string; value: number }[] {
  if (!counts) return []
  const entries = Object.entries(counts).filter(([, v]) => typeof v === 'number')
  const known = [order, AGE_BAND_ORDER, STANDING_BAND_ORDER].find(
    (o) => o && entries.length > 0 && entries.every(([k]) => o.includes(normaliseDash(k))),
  )
  if (known) {
    entries.sort((a, b) => known.indexOf(normaliseDash(a[0])) - known.indexOf(normaliseDash(b[0])))
  } else {
    entries.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh-CN'))
  }
  return entries.map(([k, v]) => ({ name: titles[k] ?? k, value: v }))
}

/** The sum of a counts object. */
export function total(counts: Counts | null | undefined): number {
  return counts ? Object.values(counts).reduce((a, b) => a + (typeof b === 'number' ? b : 0), 0) : 0
}

/** The import progress bar's percentage (0–100, whole numbers). */
export function importProgress(job: Pick<ImportJob, 'status' | 'total_rows' | 'processed_rows'> | null): number {
  if (!job) return 0
  if (job.status === 'done' || job.status === 'failed') return 100
  if (!job.total_rows || job.total_rows <= 0) return 0
  return Math.max(0, Math.min(100, Math.floor((job.processed_rows / job.total_rows) * 100)))
}

export type TransferAction = 'approve' | 'receive' | 'reject' | 'cancel'

/** Where the user stands in a transfer: the sending branch in their scope, the receiving branch in
 *  their scope, and the right to approve for the sending side (the 基层党委: 组织部管理员, 党委书记). */
export interface TransferSide {
  sender: boolean
  receiver: boolean
  approver: boolean
}

const EVERY_SIDE: TransferSide = { sender: true, receiver: true, approver: true }

/** The next steps of a transfer (组织关系转接) that the user may take, following the server's rules:
 *  - requested: the sending 基层党委 approves (开具介绍信) or rejects; the sender may cancel;
 *  - approved, internal: the receiving branch receives or rejects (with a reason); the sender may
 *    still cancel (an expired letter is cancelled and requested again);
 *  - approved, outgoing: the sending 基层党委 records the returned 回执 (`receive`); the sender may
 *    cancel;
 *  - incoming registrations and closed transfers have no steps. */
export function transferActions(
  transfer: Pick<Transfer, 'status' | 'direction'>,
  side: TransferSide = EVERY_SIDE,
): TransferAction[] {
  const out: TransferAction[] = []
  if (transfer.direction === 'incoming') return out
  if (transfer.status === 'requested') {
    if (side.approver) out.push('approve', 'reject')
    if (side.sender) out.push('cancel')
  } else if (transfer.status === 'approved') {
    if (transfer.direction === 'outgoing') {
      if (side.approver) out.push('receive')
    } else if (side.receiver) {
      out.push('receive', 'reject')
    }
    if (side.sender) out.push('cancel')
  }
  return out
}

export const TRANSFER_ACTION_TITLES: Record<TransferAction, string> = {
  approve: '审批',
  receive: '接收',
  reject: '退回',
  cancel: '撤回',
}

/** An action's title: receiving an outgoing transfer is recording its 回执 (登记回执). */
export function transferActionTitle(action: TransferAction, direction?: Transfer['direction']): string {
  if (action === 'receive' && direction === 'outgoing') return '登记回执'
  return TRANSFER_ACTION_TITLES[action]
}

/** What an open transfer waits for when the user has no step to take (shown instead of buttons). */
export function transferWaitingFor(transfer: Pick<Transfer, 'status' | 'direction'>): string {
  if (transfer.status === 'requested') return '待转出方党委审批'
  if (transfer.status === 'approved') return transfer.direction === 'outgoing' ? '待转出方党委登记回执' : '待接收方办理接收'
  return ''
}

/** The printable letter exists once the sending 基层党委 approved (never for an incoming record,
 *  whose letter number is the outside organisation's). */
export function hasPrintableLetter(transfer: Pick<Transfer, 'direction' | 'letter_number'>): boolean {
  return transfer.direction !== 'incoming' && !!transfer.letter_number
}

/** The sending and the receiving party of a transfer as shown in the list. */
export function transferParties(
  transfer: Pick<Transfer, 'direction' | 'from_org_name' | 'to_org_name' | 'external_org'>,
): { from: string; to: string } {
  const from = transfer.from_org_name || (transfer.direction === 'incoming' ? transfer.external_org : null)
  const to = transfer.to_org_name || (transfer.direction === 'outgoing' ? transfer.external_org : null)
  return { from: dash(from), to: dash(to) }
}

/** `YYYY-MM-DD` plus whole months (the day kept, or the month's last day). */
export function addMonths(date: string, months: number): string | null {
  const m = DATE_RE.exec(date)
  if (!m) return null
  const total = Number(m[1]) * 12 + (Number(m[2]) - 1) + months
  const year = Math.floor(total / 12)
  const month = (total % 12) + 1
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate()
  const day = Math.min(Number(m[3]), last)
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** 外出/失联 for how long, in words: `3个月`, `1年2个月`, `不足1个月`. */
export function durationSince(since: string | null | undefined, today: string): string {
  const a = since ? DATE_RE.exec(since) : null
  const b = DATE_RE.exec(today)
  if (!a || !b) return EMPTY
  let months = (Number(b[1]) - Number(a[1])) * 12 + (Number(b[2]) - Number(a[2]))
  if (Number(b[3]) < Number(a[3])) months -= 1
  if (months < 1) return '不足1个月'
  const years = Math.floor(months / 12)
  const rest = months % 12
  return `${years ? `${years}年` : ''}${rest ? `${rest}个月` : ''}`
}

/** A setting's bounds for display: `7–183 天`. */
export function settingBounds(setting: { min: number; max: number; unit: string }): string {
  return `${setting.min}–${setting.max}${setting.unit ? ` ${setting.unit}` : ''}`
}

/** A setting value with its unit: `90 天`. */
export function withUnit(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return EMPTY
  return unit ? `${value} ${unit}` : String(value)
}

/** An Element Plus tag type for a status code. */
export function statusTagType(status: string): 'success' | 'warning' | 'info' | 'danger' | 'primary' {
  switch (status) {
    case 'active':
    case 'full':
    case 'formal':
    case 'received':
      return 'success'
    case 'departed':
    case 'cancelled':
      return 'info'
    case 'probationary':
    case 'requested':
    case 'approved':
      return 'warning'
    case 'rejected':
    case 'dissolved':
    case 'expelled':
    case 'exited':
    case 'suspended':
      return 'danger'
    default:
      return 'info'
  }
}

/** The password policy of spec 02 (≥ 8 characters with ≥ 3 of 4 classes), checked before the
 *  server checks it again; answers the problem or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < 8) return '密码至少 8 位'
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length
  if (classes < 3) return '密码须包含大写字母、小写字母、数字、符号中的至少三类'
  return null
}
