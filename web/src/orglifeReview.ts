// The pure helpers of the higher organisation's pages (unit-tested in orglifeReview.test.ts): the
// periods of the compliance board (month, quarter, year), the board's lights and drill-down, the
// review's problems from the checklist, the problem statistics' tables, and the pages' state ⇄
// their address. The shapes are in types.ts (ChecklistClass, ReviewQueueItem, ProblemStats,
// DutyBoard), the calls in api.ts (`api.meetings.reviewQueue`, `problemStats`, `board`).

import type { BoardQuery, MeetingQuery, ReviewInput, ReviewQueueQuery } from './api'
import { todayShanghai } from './format'
import type { BoardColumn, BoardRow, CellLight, ChecklistClass, DutyBoard, ProblemStats } from './types'

// --- periods --------------------------------------------------------------------------------------

export type PeriodKind = 'month' | 'quarter' | 'year'

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/
const QUARTER_RE = /^(\d{4})-Q([1-4])$/
const YEAR_RE = /^(\d{4})$/

export function periodKind(period: string): PeriodKind | null {
  if (MONTH_RE.test(period)) return 'month'
  if (QUARTER_RE.test(period)) return 'quarter'
  if (YEAR_RE.test(period)) return 'year'
  return null
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The period of a kind holding `date` (YYYY-MM-DD). */
export function periodOf(kind: PeriodKind, date: string): string {
  const year = date.slice(0, 4)
  const month = Number(date.slice(5, 7))
  if (kind === 'year') return year
  if (kind === 'quarter') return `${year}-Q${Math.floor((month - 1) / 3) + 1}`
  return `${year}-${pad(month)}`
}

/** The first and last day of a period. */
export function periodBounds(period: string): { from: string; to: string } | null {
  let m = MONTH_RE.exec(period)
  if (m) {
    const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate()
    return { from: `${period}-01`, to: `${period}-${pad(last)}` }
  }
  m = QUARTER_RE.exec(period)
  if (m) {
    const first = (Number(m[2]) - 1) * 3 + 1
    const last = new Date(Date.UTC(Number(m[1]), first + 2, 0)).getUTCDate()
    return { from: `${m[1]}-${pad(first)}-01`, to: `${m[1]}-${pad(first + 2)}-${pad(last)}` }
  }
  m = YEAR_RE.exec(period)
  if (m) return { from: `${m[1]}-01-01`, to: `${m[1]}-12-31` }
  return null
}

/** The period `n` periods after `period`, of the same kind. */
export function shiftPeriod(period: string, n: number): string {
  const kind = periodKind(period)
  if (kind === 'year') return String(Number(period) + n)
  if (kind === 'quarter') {
    const m = QUARTER_RE.exec(period)!
    const total = Number(m[1]) * 4 + Number(m[2]) - 1 + n
    return `${Math.floor(total / 4)}-Q${(total % 4) + 1}`
  }
  if (kind === 'month') {
    const m = MONTH_RE.exec(period)!
    const total = Number(m[1]) * 12 + Number(m[2]) - 1 + n
    return `${Math.floor(total / 12)}-${pad((total % 12) + 1)}`
  }
  return period
}

/** The same moment as another kind of period: the period holding the first day of `period`, or
 *  today's when `period` holds today. */
export function convertPeriod(period: string, kind: PeriodKind, today: string = todayShanghai()): string {
  const bounds = periodBounds(period)
  if (!bounds) return periodOf(kind, today)
  const day = today >= bounds.from && today <= bounds.to ? today : bounds.from
  return periodOf(kind, day)
}

// --- the board ------------------------------------------------------------------------------------

export const CELL_LIGHTS: CellLight[] = ['red', 'yellow', 'green', 'none']

export const CELL_LIGHT_TITLES: Record<CellLight, string> = { red: '红', yellow: '黄', green: '绿', none: '不适用' }

/** What a light of the board means (the rules' own words, docs/api-orglife.md). */
export const CELL_LIGHT_HINTS: Record<CellLight, string> = {
  red: '周期已结束仍未开展',
  yellow: '临近期限尚未开展',
  green: '已按期开展',
  none: '该期不承担此项任务',
}

/** A short title for the board's narrow columns: 支部党员大会 → 党员大会, 民主评议党员 → 民主评议. */
export function shortDutyTitle(title: string): string {
  const short: Record<string, string> = { 支部党员大会: '党员大会', 民主评议党员: '民主评议' }
  return short[title] ?? title
}

/** The records behind a cell: that branch's records of the duty's kind in the period up to the day
 *  judged (a 党小组会 cell: the branch's subtree, its groups included). */
export function cellRecordsQuery(board: Pick<DutyBoard, 'period'>, row: Pick<BoardRow, 'org_id'>, column: Pick<BoardColumn, 'id'>): MeetingQuery {
  return { org: row.org_id, kind: column.id, from: board.period.first_day, to: board.period.as_of, page_size: 50 }
}

/** A cell's state in words: the missed cycles, the due day, the last record. */
export function cellText(cell: { light: CellLight; held: number; missed: string[]; last_held: string | null; due_on: string | null; message: string | null }): string {
  if (cell.message) return cell.message
  if (cell.light === 'none') return '该期不承担此项任务'
  const parts: string[] = []
  if (cell.held) parts.push(`本期已开展 ${cell.held} 次`)
  if (cell.missed.length) parts.push(`未开展：${cell.missed.join('、')}`)
  if (cell.due_on) parts.push(`应于 ${cell.due_on} 前开展`)
  if (cell.last_held) parts.push(`最近一次 ${cell.last_held}`)
  return parts.join('；') || '本期尚未开展'
}

export interface BoardState {
  org: number | null
  period: string
  light: CellLight | ''
  duty: string
  sort: 'path' | 'worst'
  page: number
}

const first = (v: unknown): string => {
  const one = Array.isArray(v) ? v[0] : v
  return typeof one === 'string' ? one.trim() : ''
}
const positiveId = (v: unknown): number | null => {
  const n = Number(first(v))
  return Number.isInteger(n) && n > 0 ? n : null
}
const pageOf = (v: unknown): number => {
  const n = Number.parseInt(first(v), 10)
  return Number.isInteger(n) && n >= 1 ? n : 1
}

export function boardStateFromRoute(query: Record<string, unknown>, current: string = todayShanghai().slice(0, 7)): BoardState {
  const period = first(query.period)
  const light = first(query.light)
  return {
    org: positiveId(query.org),
    period: periodKind(period) ? period : current,
    light: (CELL_LIGHTS as string[]).includes(light) ? (light as CellLight) : '',
    duty: /^[a-z_]+$/.test(first(query.duty)) ? first(query.duty) : '',
    sort: first(query.sort) === 'worst' ? 'worst' : 'path',
    page: pageOf(query.page),
  }
}

export function boardRouteQuery(state: BoardState, current: string = todayShanghai().slice(0, 7)): Record<string, string> {
  const out: Record<string, string> = {}
  if (state.org) out.org = String(state.org)
  if (state.period !== current) out.period = state.period
  if (state.light) out.light = state.light
  if (state.light && state.duty) out.duty = state.duty
  if (state.sort !== 'path') out.sort = state.sort
  if (state.page > 1) out.page = String(state.page)
  return out
}

export function boardQueryOf(state: BoardState, pageSize: number): BoardQuery {
  return {
    org: state.org ?? undefined,
    period: state.period,
    light: state.light || undefined,
    duty: state.light && state.duty ? state.duty : undefined,
    sort: state.sort,
    page: state.page,
    page_size: pageSize,
  }
}

// --- the review -----------------------------------------------------------------------------------

/** The reviewer's marks on the checklist: each item found, with a note. */
export type ChecklistMarks = Record<number, { found: boolean; note: string }>

/**
 * The review's request: the checklist items found (with their notes) and the problems written in
 * words. A return needs at least one of them (支部 records are returned with reasons); an
 * acceptance may still record minor problems. Answers the input or the message of what is missing.
 */
export function reviewInputOf(decision: 'accept' | 'return', marks: ChecklistMarks, written: readonly string[]): { input: ReviewInput } | { missing: string } {
  const problems = Object.entries(marks)
    .filter(([, m]) => m.found)
    .map(([id, m]) => (m.note.trim() ? { item_id: Number(id), note: m.note.trim() } : { item_id: Number(id) }))
    .sort((a, b) => a.item_id - b.item_id)
  const reasons = written.map((r) => r.trim()).filter(Boolean)
  if (decision === 'return' && !problems.length && !reasons.length) return { missing: '退回须选择问题清单中的条目，或写明理由' }
  const input: ReviewInput = { decision }
  if (problems.length) input.problems = problems
  if (reasons.length) input.reasons = reasons
  return { input }
}

/** The checklist item a refusal names (`problems[2].note` → the third item found), or null. */
export function problemOfField(field: string | null | undefined, input: ReviewInput): { item_id: number; sub: string } | null {
  const m = field ? /^problems\[(\d+)\]\.?(.*)$/.exec(field) : null
  if (!m || !input.problems) return null
  const p = input.problems[Number(m[1])]
  return p ? { item_id: p.item_id, sub: m[2] || 'item_id' } : null
}

/** The checklist's items in use, by class (retired ones are no longer offered). */
export function activeChecklist(classes: readonly ChecklistClass[]): ChecklistClass[] {
  return classes.map((c) => ({ ...c, items: c.items.filter((i) => !i.retired) })).filter((c) => c.items.length > 0)
}

export type ReviewTab = 'queue' | 'stats'

export interface ReviewState {
  tab: ReviewTab
  org: number | null
  kind: string
  page: number
  from: string
  to: string
}

const MONTH_ONLY = /^\d{4}-(0[1-9]|1[0-2])$/

export function reviewStateFromRoute(query: Record<string, unknown>): ReviewState {
  const month = (v: unknown) => (MONTH_ONLY.test(first(v)) ? first(v) : '')
  return {
    tab: first(query.tab) === 'stats' ? 'stats' : 'queue',
    org: positiveId(query.org),
    kind: /^[a-z_]+$/.test(first(query.kind)) ? first(query.kind) : '',
    page: pageOf(query.page),
    from: month(query.from),
    to: month(query.to),
  }
}

export function reviewRouteQuery(state: ReviewState): Record<string, string> {
  const out: Record<string, string> = {}
  if (state.tab !== 'queue') out.tab = state.tab
  if (state.org) out.org = String(state.org)
  if (state.kind) out.kind = state.kind
  if (state.page > 1) out.page = String(state.page)
  if (state.from) out.from = state.from
  if (state.to) out.to = state.to
  return out
}

export function reviewQueueQueryOf(state: ReviewState, pageSize: number): ReviewQueueQuery {
  return { org: state.org ?? undefined, kind: state.kind || undefined, page: state.page, page_size: pageSize }
}

// --- problem statistics ---------------------------------------------------------------------------

/** The classes that head the tables by branch and by month: those with problems, in order. */
export function statsClasses(stats: Pick<ProblemStats, 'classes'>): { id: number | null; title: string }[] {
  return stats.classes.filter((c) => c.count > 0).map((c) => ({ id: c.id, title: c.title }))
}

/** A row's count for one class (0 when the row has none). */
export function classCount(row: { classes: { class_id: number | null; count: number }[] }, classId: number | null): number {
  return row.classes.find((c) => c.class_id === classId)?.count ?? 0
}

/** `2026-11` → `11月`, with the year when the range spans years. */
export function monthLabel(month: string, withYear = false): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month)
  if (!m) return month
  return withYear ? `${m[1]}年${Number(m[2])}月` : `${Number(m[2])}月`
}
