// 连续六个月不交纳党费的处置 (docs/api-dues.md "处置"): the cases of members the ledger flags six
// months unpaid, on the same step table format as 发展党员 (the step forms are built from it by
// development.ts). Writes are quiet: the pages put the server's refusal on the field it names.

import { request, type Query } from './api'
import type { CaseDeadline, StepInput, StepRecord, StepTable } from './developmentApi'

export type LapseStatus = 'open' | 'closed'
export type LapseOutcome = 'proper_reason' | 'corrected' | 'removed' | 'not_approved' | 'not_passed' | 'member_left' | 'withdrawn'

export interface LapseCaseSummary {
  id: number
  member_id: number
  member_name: string
  org_id: number
  org_name: string
  opened_on: string
  /** The run of unpaid months the ledger showed when the case was opened (YYYY-MM). */
  unpaid_from: string
  unpaid_to: string
  unpaid_months: number
  status: LapseStatus
  current_step: number
  current_step_title: string
  /** 限期改正 of step 2. */
  deadline_on: string | null
  closed_on: string | null
  outcome: LapseOutcome | null
  outcome_title: string
}

export interface LapsePage {
  items: LapseCaseSummary[]
  total: number
  page: number
  page_size: number
}

export interface LapseCase extends LapseCaseSummary {
  org: { id: number; name: string }
  member: { id: number; name: string; status: string; exit_kind: string | null }
  /** The earliest date a step may bear: the day after the sixth unpaid month. */
  flagged_on: string
  close_reason: string
  next_steps: number[]
  steps: StepRecord[]
  /** While open: what the ledger shows today. */
  ledger: { as_of: string; unpaid_run: string[]; owed_payable: string[]; cleared: boolean } | null
  /** While open: the branch's voting members today (full, not under 留党察看). */
  eligible_voters: number | null
  /** The step dialog's shape (this workflow has no time-limit deadlines). */
  deadlines: CaseDeadline[]
}

export interface LapseCloseInput {
  closed_on: string
  outcome: 'not_passed' | 'member_left' | 'withdrawn'
  reason: string
}

const get = <T>(path: string, query?: Query, quiet = false) => request<T>('GET', path, { query, quiet })
const post = <T>(path: string, body: unknown, quiet = false) => request<T>('POST', path, { body, quiet })
/** The case as the pages use it: with an empty deadline list. */
const withDeadlines = (c: Omit<LapseCase, 'deadlines'>): LapseCase => ({ ...c, deadlines: [] })

let table: Promise<StepTable> | null = null

export const lapseApi = {
  /** The step table (fetched once per page load). */
  steps: () => {
    table ??= get<StepTable>('api/v1/dues/lapse/steps').catch((e) => {
      table = null
      throw e
    })
    return table
  },
  cases: (query: { status?: string; org?: number | null; member?: number; page?: number; page_size?: number }, quiet = false) =>
    get<LapsePage>('api/v1/dues/lapse/cases', { ...query, org: query.org ?? undefined } as Query, quiet),
  get: (id: number, quiet = false) => get<Omit<LapseCase, 'deadlines'>>(`api/v1/dues/lapse/cases/${id}`, undefined, quiet).then(withDeadlines),
  open: (member: number) => post<Omit<LapseCase, 'deadlines'>>('api/v1/dues/lapse/cases', { member_id: member }, true).then(withDeadlines),
  record: (id: number, input: StepInput) =>
    post<Omit<LapseCase, 'deadlines'>>(`api/v1/dues/lapse/cases/${id}/steps`, input, true).then(withDeadlines),
  close: (id: number, input: LapseCloseInput) =>
    post<Omit<LapseCase, 'deadlines'>>(`api/v1/dues/lapse/cases/${id}/close`, { ...input, reason: input.reason.trim() }, true).then(withDeadlines),
}
