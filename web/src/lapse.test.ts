import { describe, expect, it } from 'vitest'
import { lapseOutcomeTitle, lapseStatusText, lapseTagType, openCaseByMember, runText } from './lapse'
import type { LapseCaseSummary } from './lapseApi'

const base: LapseCaseSummary = {
  id: 1,
  member_id: 7,
  member_name: '张三',
  org_id: 3,
  org_name: '第一党支部',
  opened_on: '2026-11-20',
  unpaid_from: '2026-03',
  unpaid_to: '2026-10',
  unpaid_months: 8,
  status: 'open',
  current_step: 0,
  current_step_title: '',
  deadline_on: null,
  closed_on: null,
  outcome: null,
  outcome_title: '',
}

describe('lapse cases in words', () => {
  it('says where an open case stands and how a closed one ended', () => {
    expect(lapseStatusText(base)).toBe('办理中 · 待支部核实')
    expect(lapseStatusText({ ...base, current_step: 2, current_step_title: '谈话、批评教育，限期改正' })).toBe('办理中 · 已办第2步 谈话、批评教育，限期改正')
    expect(lapseStatusText({ ...base, status: 'closed', outcome: 'removed' })).toBe('已除名（自行脱党）')
    expect(lapseOutcomeTitle('corrected')).toBe('已补交，按已改正结案')
    expect(lapseOutcomeTitle('something_new')).toBe('something_new')
    expect(lapseOutcomeTitle(null)).toBe('')
  })

  it('colours a removal red, a correction green, an open case orange', () => {
    expect(lapseTagType(base)).toBe('warning')
    expect(lapseTagType({ ...base, status: 'closed', outcome: 'removed' })).toBe('danger')
    expect(lapseTagType({ ...base, status: 'closed', outcome: 'corrected' })).toBe('success')
    expect(lapseTagType({ ...base, status: 'closed', outcome: 'withdrawn' })).toBe('info')
  })

  it('finds the open case of each member and ignores closed ones', () => {
    const cases = [base, { ...base, id: 2, member_id: 8, status: 'closed' as const, outcome: 'corrected' as const }]
    const byMember = openCaseByMember(cases)
    expect(byMember.get(7)?.id).toBe(1)
    expect(byMember.has(8)).toBe(false)
  })

  it('names the run of unpaid months', () => {
    expect(runText(base)).toBe('2026-03 至 2026-10，连续 8 个月')
  })
})
