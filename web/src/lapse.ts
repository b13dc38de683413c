// What the 处置 pages show of a case (pure, unit-tested in lapse.test.ts): the outcome in words,
// the status tag, the open case of each member on the arrears board.

import type { LapseCaseSummary } from './lapseApi'

export const LAPSE_OUTCOMES: Record<string, string> = {
  proper_reason: '有正当理由，结案',
  corrected: '已补交，按已改正结案',
  removed: '已除名（自行脱党）',
  not_approved: '上级党组织未批准除名',
  not_passed: '支部大会未通过除名',
  member_left: '党员已转出、去世或已出党',
  withdrawn: '核实有误，撤销',
}

/** The ways a case may be closed by hand (POST …/close). */
export const LAPSE_CLOSE_OUTCOMES = [
  { id: 'not_passed', title: LAPSE_OUTCOMES.not_passed },
  { id: 'member_left', title: LAPSE_OUTCOMES.member_left },
  { id: 'withdrawn', title: LAPSE_OUTCOMES.withdrawn },
] as const

export function lapseOutcomeTitle(outcome: string | null | undefined): string {
  if (!outcome) return ''
  return LAPSE_OUTCOMES[outcome] ?? outcome
}

/** The status in words: 办理中 (at step n) or the outcome. */
export function lapseStatusText(c: Pick<LapseCaseSummary, 'status' | 'current_step' | 'current_step_title' | 'outcome'>): string {
  if (c.status === 'open') return c.current_step ? `办理中 · 已办第${c.current_step}步 ${c.current_step_title}` : '办理中 · 待支部核实'
  return lapseOutcomeTitle(c.outcome) || '已结案'
}

export function lapseTagType(c: Pick<LapseCaseSummary, 'status' | 'outcome'>): 'danger' | 'warning' | 'success' | 'info' {
  if (c.status === 'open') return 'warning'
  if (c.outcome === 'removed') return 'danger'
  if (c.outcome === 'corrected' || c.outcome === 'proper_reason') return 'success'
  return 'info'
}

/** The open case of each member (one at most: the server refuses a second). */
export function openCaseByMember(items: readonly LapseCaseSummary[]): Map<number, LapseCaseSummary> {
  const byMember = new Map<number, LapseCaseSummary>()
  for (const c of items) if (c.status === 'open') byMember.set(c.member_id, c)
  return byMember
}

/** `2026-03`…`2026-10` as `2026年3月至10月`-style words are left to dues.ts; this says how many. */
export function runText(c: Pick<LapseCaseSummary, 'unpaid_from' | 'unpaid_to' | 'unpaid_months'>): string {
  return `${c.unpaid_from} 至 ${c.unpaid_to}，连续 ${c.unpaid_months} 个月`
}
