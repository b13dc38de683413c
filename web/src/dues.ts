// The 党费 pages' pure helpers (unit-tested in dues.test.ts). Money is exact: the server sends
// amounts as decimal text with two decimals ("5000.01") and the console shows that text. It is never
// parsed into a JavaScript number; where the console must add (a total row, a preview before
// saving, the subtotal of a town's branches) it works in integer fen with BigInt and prints the
// result back as text. Months are `YYYY-MM` in Asia/Shanghai, like the server's.

import { todayShanghai } from './format'

// --- Money ----------------------------------------------------------------------------------

const YUAN_RE = /^(-?)(\d+)(?:\.(\d{1,2}))?$/

/** `"5000.01"` → 500001n fen; `"0.2"` → 20n; null for anything that is not such text. */
export function fenOf(text: string | null | undefined): bigint | null {
  if (typeof text !== 'string') return null
  const m = YUAN_RE.exec(text)
  if (!m) return null
  const fen = BigInt(m[2]) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'))
  return m[1] === '-' && fen !== 0n ? -fen : fen
}

/** 500001n fen → `"5000.01"` (two decimals, a minus sign when negative). */
export function yuanOf(fen: bigint): string {
  const negative = fen < 0n
  const abs = negative ? -fen : fen
  const whole = abs / 100n
  const cents = String(abs % 100n).padStart(2, '0')
  return `${negative ? '-' : ''}${whole}.${cents}`
}

const CAPITAL_DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖']
const CAPITAL_PLACES = ['', '拾', '佰', '仟']
const CAPITAL_GROUPS = ['', '万', '亿', '万亿']

/** An amount in fen in Chinese capitals (大写金额) as receipts and vouchers write it, exactly (BigInt,
 *  no floating point): 20n → `贰角`, 7500n → `柒拾伍元整`, 100005n → `壹仟元零伍分`,
 *  1001000n → `壹万零壹拾元整`, 0n → `零元整`. A run of zeros inside the yuan is one 零 (none at the
 *  end of a 万/亿 group or of the yuan); 整 follows 元 only when there are no 角 and 分; a zero 角
 *  between yuan and 分 is 零. Amounts up to 10^16 yuan; a negative amount is prefixed 负. */
export function fenToChineseCapitals(fen: bigint): string {
  if (fen < 0n) return `负${fenToChineseCapitals(-fen)}`
  const whole = fen / 100n
  const jiao = Number((fen / 10n) % 10n)
  const cents = Number(fen % 10n)
  let out = ''
  if (whole > 0n) {
    const digits = String(whole)
    if (digits.length > 16) throw new RangeError('amount too large for 大写')
    let zeroPending = false
    let groupHasDigit = false
    for (let i = 0; i < digits.length; i++) {
      const place = digits.length - 1 - i
      const d = Number(digits[i])
      if (d === 0) {
        if (place % 4 !== 0 && out !== '') zeroPending = true
      } else {
        if (zeroPending) out += '零'
        zeroPending = false
        out += CAPITAL_DIGITS[d] + CAPITAL_PLACES[place % 4]
        groupHasDigit = true
      }
      if (place % 4 === 0) {
        if (groupHasDigit) out += CAPITAL_GROUPS[place / 4]
        groupHasDigit = false
      }
    }
    out += '元'
  }
  if (jiao === 0 && cents === 0) return `${out || '零元'}整`
  if (jiao > 0) out += `${CAPITAL_DIGITS[jiao]}角`
  else if (whole > 0n) out += '零'
  if (cents > 0) out += `${CAPITAL_DIGITS[cents]}分`
  return out
}

/** The sum of amounts given as text (empty and null ones count as nothing). */
export function sumYuan(values: readonly (string | null | undefined)[]): string {
  let fen = 0n
  for (const v of values) {
    const f = fenOf(v)
    if (f !== null) fen += f
  }
  return yuanOf(fen)
}

/** −1, 0 or 1 as amount `a` is below, equal to or above `b` (null when either is not money). */
export function compareYuan(a: string | null | undefined, b: string | null | undefined): -1 | 0 | 1 | null {
  const x = fenOf(a)
  const y = fenOf(b)
  if (x === null || y === null) return null
  return x < y ? -1 : x > y ? 1 : 0
}

/** True when the amount is more than zero. */
export function isPositiveYuan(text: string | null | undefined): boolean {
  const f = fenOf(text)
  return f !== null && f > 0n
}

/** An amount for display: the server's text with thousands separators (`62406.00` → `62,406.00`);
 *  null and empty become a dash. The digits are never re-computed. */
export function yuan(text: string | null | undefined): string {
  if (text === null || text === undefined || text === '') return '—'
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(text)
  if (!m) return text
  return `${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`
}

/** The largest amount the server takes (money.too_large). */
const MAX_FEN = 10_000_000_000n

/**
 * What is wrong with an amount typed by the user, checked like the server checks it (money.*):
 * digits with at most two decimals, no sign, no exponent, no separators, no full-width digits, no
 * blanks around it, at most 100,000,000.00. Answers null when the text is acceptable.
 */
export function yuanInputProblem(text: string): string | null {
  if (text === '') return '请填写金额'
  if (/^-/.test(text)) return '金额不能为负数'
  if (/^\d+\.\d{3,}$/.test(text)) return '金额最多两位小数（到分）'
  const fen = fenOf(text)
  if (fen === null) return '金额应为数字，如 5000.01（不用逗号、空格或全角数字）'
  if (fen > MAX_FEN) return '金额过大（不超过 100,000,000.00 元）'
  return null
}

/** A rate as the server sends it (`"0.015"`) in percent (`"1.5%"`), by moving the decimal point. */
export function ratePercent(rate: string | null | undefined): string {
  if (!rate) return '—'
  const m = /^(\d+)(?:\.(\d+))?$/.exec(rate)
  if (!m) return rate
  const digits = (m[1] + (m[2] ?? '')).replace(/^0+(?=\d)/, '')
  const scale = (m[2] ?? '').length - 2 // decimals left after multiplying by 100
  let text: string
  if (scale <= 0) {
    text = digits + '0'.repeat(-scale)
  } else {
    const padded = digits.padStart(scale + 1, '0')
    text = `${padded.slice(0, -scale)}.${padded.slice(-scale)}`.replace(/\.?0+$/, '')
  }
  return `${text.replace(/^0+(?=\d)/, '')}%`
}

/** The share of `due` that was paid, to a tenth of a percent (`"93.5%"`), in integer arithmetic;
 *  a dash when nothing is due. */
export function collectionRate(paid: string | null | undefined, due: string | null | undefined): string {
  const p = fenOf(paid)
  const d = fenOf(due)
  if (p === null || d === null || d <= 0n) return '—'
  const permille = (p * 1000n + d / 2n) / d
  return `${permille / 10n}.${permille % 10n}%`
}

/** The total of a payment before it is saved: `amount` for each month when given, else what each
 *  month still owes, plus the voluntary extra. Null when an amount is not valid money. */
export function paymentTotal(owedByMonth: readonly string[], amount: string, extra: string): string | null {
  let fen = 0n
  const each = amount.trim() === '' ? null : fenOf(amount.trim())
  if (amount.trim() !== '' && each === null) return null
  for (const owed of owedByMonth) {
    const f = each ?? fenOf(owed)
    if (f === null) return null
    fen += f
  }
  if (extra.trim() !== '') {
    const e = fenOf(extra.trim())
    if (e === null) return null
    fen += e
  }
  return yuanOf(fen)
}

/** 第十一条: a voluntary extra of 1000.00 or more in one payment goes wholly to the Centre. */
export const EXTRA_FOR_CENTRE = '1000.00'

export function extraGoesToCentre(extra: string): boolean {
  const c = compareYuan(extra.trim(), EXTRA_FOR_CENTRE)
  return c !== null && c >= 0
}

// --- Months ---------------------------------------------------------------------------------

const MONTH_RE = /^(\d{4})-(\d{2})$/

/** The current month in Asia/Shanghai (`2026-11`). */
export function currentMonth(now: Date = new Date()): string {
  return todayShanghai(now).slice(0, 7)
}

/** The month of a date `2026-11-23` → `2026-11`. */
export function monthOfDate(date: string): string {
  return date.slice(0, 7)
}

/** `2026-11` plus `n` months (negative goes back). */
export function addMonth(month: string, n: number): string {
  const m = MONTH_RE.exec(month)
  if (!m) return month
  const index = Number(m[1]) * 12 + Number(m[2]) - 1 + n
  const year = Math.floor(index / 12)
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`
}

/** Months from `from` to `to`: 0 for the same, 1 for the next, negative when `to` is earlier. */
export function monthsBetween(from: string, to: string): number {
  const a = MONTH_RE.exec(from)
  const b = MONTH_RE.exec(to)
  if (!a || !b) return 0
  return (Number(b[1]) - Number(a[1])) * 12 + (Number(b[2]) - Number(a[2]))
}

/** `2026-11` → `2026年11月`. */
export function monthTitle(month: string | null | undefined): string {
  const m = month ? MONTH_RE.exec(month) : null
  return m ? `${Number(m[1])}年${Number(m[2])}月` : '—'
}

/** The months of `year` up to `upTo` (inclusive; all twelve for an earlier year, none for a later). */
export function monthsOfYear(year: number, upTo: string): string[] {
  const out: string[] = []
  for (let i = 1; i <= 12; i++) {
    const month = `${String(year).padStart(4, '0')}-${String(i).padStart(2, '0')}`
    if (month > upTo) break
    out.push(month)
  }
  return out
}

/** The months a payment may be chosen from, latest first: `back` months before `current` up to
 *  `forward` months after it. */
export function choosableMonths(current: string, back: number, forward = 0): string[] {
  const out: string[] = []
  for (let i = forward; i >= -back; i--) out.push(addMonth(current, i))
  return out
}

/** Months in words, runs joined: [2026-03, 2026-04, 2026-05, 2026-07, 2027-01] →
 *  `2026年3—5月、7月，2027年1月`. */
export function monthSpans(months: readonly string[]): string {
  const sorted = [...new Set(months.filter((m) => MONTH_RE.test(m)))].sort()
  if (sorted.length === 0) return '—'
  const runs: [string, string][] = []
  for (const m of sorted) {
    const last = runs[runs.length - 1]
    if (last && addMonth(last[1], 1) === m && last[1].slice(0, 4) === m.slice(0, 4)) last[1] = m
    else runs.push([m, m])
  }
  const byYear = new Map<string, string[]>()
  for (const [a, b] of runs) {
    const year = a.slice(0, 4)
    const text = a === b ? `${Number(a.slice(5))}月` : `${Number(a.slice(5))}—${Number(b.slice(5))}月`
    byYear.set(year, [...(byYear.get(year) ?? []), text])
  }
  return [...byYear.entries()].map(([year, parts]) => `${year}年${parts.join('、')}`).join('，')
}

/** 第十二条: 补交 up to six months after the month. */
export const BACK_PAYMENT_MONTHS = 6

/** How late a payment of `month` made in `paidMonth` is, in words (empty when not late). */
export function latenessOf(month: string, paidMonth: string): string {
  const late = monthsBetween(month, paidMonth)
  if (late <= 0) return late < 0 ? '预交' : ''
  return late > BACK_PAYMENT_MONTHS ? `补交 ${late} 个月前（超过6个月）` : `补交 ${late} 个月前`
}

// --- Server errors on the payment form ------------------------------------------------------

/** The payment's errors name the month by its index (`months[2]`); the form has one 月份 item. */
export const MONTHS_ALIASES: Record<string, string> = Object.fromEntries(
  Array.from({ length: 12 }, (_, i) => [`months[${i}]`, 'months']),
)

/** A refusal's message with the article it rests on, when the server names one. */
export function withRule(message: string, rule?: string | null): string {
  return rule && !message.includes(rule) ? `${message}（依据：${rule}）` : message
}

// --- Titles ---------------------------------------------------------------------------------

export const PAYMENT_METHODS = [
  { value: 'cash', label: '现金' },
  { value: 'transfer', label: '转账' },
  { value: 'online', label: '线上' },
] as const

export type PaymentMethod = (typeof PAYMENT_METHODS)[number]['value']

export function methodTitle(method: string): string {
  return PAYMENT_METHODS.find((m) => m.value === method)?.label ?? method
}

export const BASE_SOURCE_TITLES: Record<string, string> = { declared: '核定', imported: '导入', yearly: '年初核定' }

/** 党章 第九条 and 中组发〔2008〕3号 第十三条, as the arrears board says it. */
export const SIX_MONTHS_EXPLANATION =
  '党章第九条：党员没有正当理由，连续六个月不交纳党费的，就被认为是自行脱党，支部大会应当决定把这样的党员除名，并报上级党组织批准（中组发〔2008〕3号 第十三条）。系统只作提示：是否有正当理由、如何处理，由支部大会讨论决定，系统不会自动处理；可在欠交名单上“启动处置”，按支部核实、谈话限期改正、支部大会讨论、上级批准的步骤办理并留痕。'

// --- The ledger -------------------------------------------------------------------------------

export interface LedgerLineLike {
  due: string | null
  reduced: boolean
  paid: string
  owed: string
  paid_below: boolean
}

export type TagType = 'success' | 'warning' | 'info' | 'danger' | 'primary'

/** The payment state of a member's month: 已交清, 未交, 少交 (paid below the quote without an
 *  approved reduction, 第七条), 未核定基数, 免交 (nothing due after an approval). */
export function paymentState(line: LedgerLineLike): { label: string; type: TagType } {
  if (line.due === null) return { label: '未核定基数', type: 'info' }
  if (line.paid_below) return { label: '少交', type: 'danger' }
  if (!isPositiveYuan(line.owed)) {
    return isPositiveYuan(line.due) || isPositiveYuan(line.paid) ? { label: '已交清', type: 'success' } : { label: '无需交纳', type: 'info' }
  }
  return isPositiveYuan(line.paid) ? { label: '部分交纳', type: 'warning' } : { label: '未交', type: 'danger' }
}

/** The approved reduction of a month (第七条), if any: 免交 when nothing is due, else 少交（批准）. */
export function reductionMark(line: Pick<LedgerLineLike, 'due' | 'reduced'>): string {
  if (!line.reduced) return ''
  return isPositiveYuan(line.due) ? '少交（批准）' : '免交'
}

/** Whether a ledger line may be paid from the ledger (something is owed). */
export function payable(line: LedgerLineLike): boolean {
  return line.due !== null && isPositiveYuan(line.owed)
}

// --- Receipts ---------------------------------------------------------------------------------

export interface PaymentRowLike {
  receipt_no: string
  month: string
  kind: string
  amount: string
  late: boolean
  method: string
  reference: string
  payer_name: string
  paid_on: string
  for_centre: boolean
  cancelled: boolean
  cancelled_reason?: string
}

export interface ReceiptSummary {
  receipt_no: string
  paid_on: string
  method: string
  reference: string
  payer_name: string
  months: { month: string; amount: string; late: boolean }[]
  extra: string
  extra_for_centre: boolean
  total: string
  cancelled: boolean
  cancelled_reason: string
}

/** A receipt as the receipt dialog shows it: the answer of a payment, or one gathered from a card. */
export interface ShownReceipt {
  receipt_no: string
  paid_on: string
  method: string
  reference: string
  payer_name: string
  months: { month: string; amount: string; late: boolean }[]
  extra: string
  extra_for_centre: boolean
  total: string
  cancelled?: boolean
  cancelled_reason?: string
}

/** The member card's payment rows (one per month and one for the extra) as receipts, in the order
 *  they were paid; a receipt's total is added in fen. */
export function receiptsOf(rows: readonly PaymentRowLike[]): ReceiptSummary[] {
  const byNumber = new Map<string, { summary: ReceiptSummary; fen: bigint; extra: bigint }>()
  for (const r of rows) {
    let entry = byNumber.get(r.receipt_no)
    if (!entry) {
      entry = {
        summary: {
          receipt_no: r.receipt_no,
          paid_on: r.paid_on,
          method: r.method,
          reference: r.reference,
          payer_name: r.payer_name,
          months: [],
          extra: '0.00',
          extra_for_centre: false,
          total: '0.00',
          cancelled: r.cancelled,
          cancelled_reason: r.cancelled_reason ?? '',
        },
        fen: 0n,
        extra: 0n,
      }
      byNumber.set(r.receipt_no, entry)
    }
    const fen = fenOf(r.amount) ?? 0n
    entry.fen += fen
    if (r.kind === 'extra') {
      entry.extra += fen
      entry.summary.extra_for_centre ||= r.for_centre
    } else {
      entry.summary.months.push({ month: r.month, amount: r.amount, late: r.late })
    }
  }
  return [...byNumber.values()].map(({ summary, fen, extra }) => ({
    ...summary,
    months: [...summary.months].sort((a, b) => a.month.localeCompare(b.month)),
    extra: yuanOf(extra),
    total: yuanOf(fen),
  }))
}

// --- Totals -------------------------------------------------------------------------------------

export interface TotalsLike {
  members: number
  without_base: number
  due: string
  paid: string
  owed: string
  extra: string
}

const AMOUNTS = ['due', 'paid', 'owed', 'extra'] as const

/** Totals added up: counts as numbers, amounts in fen. */
export function addTotals(rows: readonly TotalsLike[]): TotalsLike {
  const fen = { due: 0n, paid: 0n, owed: 0n, extra: 0n }
  let members = 0
  let without = 0
  for (const r of rows) {
    members += r.members
    without += r.without_base
    for (const k of AMOUNTS) fen[k] += fenOf(r[k]) ?? 0n
  }
  return {
    members,
    without_base: without,
    due: yuanOf(fen.due),
    paid: yuanOf(fen.paid),
    owed: yuanOf(fen.owed),
    extra: yuanOf(fen.extra),
  }
}

export interface BranchTotalsLike extends TotalsLike {
  org_id: number
  name: string
  path: string
}

export interface ChildTotals extends TotalsLike {
  /** The organisation the row stands for. */
  org_id: number
  name: string
  /** How many organisations with members are added up in the row. */
  branches: number
  /** The row is one organisation's own members (its ledger), not a subtree to open. */
  leaf: boolean
  /** The row holds the members kept directly by the organisation looked at (本级). */
  own: boolean
}

/**
 * The subtree totals of `org` (one row per organisation holding members) grouped by `org`'s direct
 * children: each child's row adds up the organisations below it, in fen. Members kept by `org`
 * itself form a row of their own (named 本级 beside others). Children without members are left out;
 * the order is that row, the children's, then anything the children list did not name (by name).
 */
export function totalsByChild(
  org: { id: number; name: string; path: string },
  branches: readonly BranchTotalsLike[],
  children: readonly { id: number; name: string }[],
): ChildTotals[] {
  const known = new Map(children.map((c, i) => [c.id, { name: c.name, index: i }]))
  const groups = new Map<number, { name: string; rows: BranchTotalsLike[]; own: boolean }>()
  for (const b of branches) {
    if (!b.path.startsWith(org.path)) continue
    const own = b.path === org.path
    const id = own ? org.id : Number(b.path.slice(org.path.length).split('/')[0])
    const group = groups.get(id) ?? { name: own ? org.name : (known.get(id)?.name ?? b.name), rows: [], own }
    group.rows.push(b)
    groups.set(id, group)
  }
  const rank = (id: number, own: boolean) => (own ? -1 : (known.get(id)?.index ?? children.length))
  return [...groups.entries()]
    .map(([id, g]): ChildTotals => ({
      ...addTotals(g.rows),
      org_id: id,
      name: g.own && groups.size > 1 ? `${g.name}（本级）` : g.name,
      branches: g.rows.length,
      leaf: g.own || (g.rows.length === 1 && g.rows[0].org_id === id),
      own: g.own,
    }))
    .sort((a, b) => rank(a.org_id, a.own) - rank(b.org_id, b.own) || a.name.localeCompare(b.name, 'zh-CN'))
}
