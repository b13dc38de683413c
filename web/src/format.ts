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

/** The next steps of a transfer (组织关系转接): the sender's 基层党委 approves, the receiving side
 *  receives; either may reject before receipt; the sender may cancel before approval. */
export function transferActions(transfer: Pick<Transfer, 'status' | 'direction'>): TransferAction[] {
  switch (transfer.status) {
    case 'requested':
      return ['approve', 'reject', 'cancel']
    case 'approved':
      return transfer.direction === 'outgoing' ? [] : ['receive', 'reject']
    default:
      return []
  }
}

export const TRANSFER_ACTION_TITLES: Record<TransferAction, string> = {
  approve: '审批',
  receive: '接收',
  reject: '退回',
  cancel: '撤回',
}

/** An Element Plus tag type for a status code. */
export function statusTagType(status: string): 'success' | 'warning' | 'info' | 'danger' | 'primary' {
  switch (status) {
    case 'active':
    case 'full':
    case 'formal':
    case 'received':
      return 'success'
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
