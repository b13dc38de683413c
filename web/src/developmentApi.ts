// The 发展党员 routes (docs/api-development.md) and their shapes. The step table drives the step
// forms (development.ts builds a form from a step's fields); every date is `YYYY-MM-DD` in
// Asia/Shanghai. Writes are quiet: the dialogs put the server's refusal on the field it names.

import { buildUrl, request, withoutEmpty, type Query } from './api'

export type StageId = 'application' | 'activist' | 'target' | 'probationary' | 'converted'
export type CaseStatus = 'open' | 'completed' | 'closed'
export type DueState = 'ok' | 'due_soon' | 'overdue'
export type FieldType = 'date' | 'text' | 'integer' | 'choice' | 'member' | 'members' | 'group'

export interface StepField {
  name: string
  title: string
  type: FieldType
  required: boolean
  /** A choice's options. */
  choices?: { id: string; title: string }[]
  /** How many members a `members` field takes (and the bounds of an `integer`). */
  min?: number
  max?: number
  /** A hint the server gives for the field, when it gives one. */
  hint?: string
  /** Whether the date may be after today (a planned date); otherwise only `done_on` is held to today
   *  here and the server checks the others. */
  future_allowed?: boolean
}

export interface StepGate {
  id: string
  title: string
  source: string
}

export interface StepLimit {
  from_step: number
  /** `at_least` (not before), `within` (not after); other kinds are shown as the server names them. */
  kind: string
  months?: number
  days?: number
  /** A hard limit refuses the step (422 with `code`); a soft one only shows the deadline. */
  hard?: boolean
  code?: string
  /** The deployment setting the months come from (a local rule). */
  setting?: string
  /** A hard limit the field `extension_field` (a special reason) extends to this many months. */
  extended_months?: number
  extension_field?: string
  source: string
  title?: string
}

export interface StepDefinition {
  number: number
  id: string
  title: string
  /** The flowchart's stage (申请入党 … 预备党员的教育考察和转正), not a case's stage. */
  stage: string
  actor: string
  repeatable: boolean
  source: string
  fields: StepField[]
  gates: StepGate[]
  limits: StepLimit[]
  documents: { id: string; title: string }[]
}

/** A stage of the flowchart (its five parts, with their step numbers). */
export interface StageDefinition {
  id: string
  title: string
  steps?: number[]
}

export interface StepTable {
  workflow: string
  title: string
  stages: StageDefinition[]
  steps: StepDefinition[]
}

export interface CaseDue {
  step: number
  step_title: string
  due_on: string
  state: DueState
}

export interface CaseSummary {
  id: number
  name: string
  sex: string
  birth_date: string
  org_id: number
  org_name: string
  stage: StageId
  stage_title: string
  current_step: number
  current_step_title: string
  next_steps: number[]
  applied_on: string
  due: CaseDue | null
  status: CaseStatus
  status_title?: string
}

export interface CasePage {
  items: CaseSummary[]
  total: number
  page: number
  page_size: number
}

export interface StepRecord {
  number: number
  id: string
  title: string
  done_on: string
  data: Record<string, unknown>
  /** Who recorded it (an account's name, or an object with one). */
  actor: string | { id?: number; name?: string; display_name?: string; username?: string } | null
  recorded_at: string
  note?: string
}

export interface CaseDeadline {
  step: number
  step_title: string
  due_on: string
  state: DueState
  source: string
}

export interface CaseDocument {
  id: string
  title: string
  available: boolean
  /** The step that yields it. */
  step?: number
  format?: string
}

export interface DevelopmentCase {
  id: number
  name: string
  sex: string
  sex_title?: string
  birth_date: string
  id_number?: string
  id_number_masked?: string
  phone?: string
  phone_masked?: string
  ethnicity?: string
  education?: string
  education_title?: string
  occupation?: string
  occupation_title?: string
  work_unit?: string
  org: { id: number; name: string }
  status: CaseStatus
  status_title?: string
  stage: StageId
  stage_title: string
  current_step: number
  current_step_title?: string
  next_steps: number[]
  applied_on: string
  activist_on: string | null
  target_on: string | null
  admitted_on: string | null
  probation_ends_on: string | null
  confirmed_on: string | null
  extended_months: number | null
  member_id: number | null
  closed_on?: string | null
  close_outcome?: string | null
  close_reason?: string | null
  steps: StepRecord[]
  deadlines: CaseDeadline[]
  documents: CaseDocument[]
}

export interface PipelineCounts {
  count: number
  due_soon: number
  overdue: number
}

export interface Pipeline {
  org: { id: number; name: string }
  as_of: string
  stages: ({ id: StageId; title: string } & PipelineCounts)[]
  steps: ({ number: number; title: string } & PipelineCounts)[]
  children: { id: number; name: string; kind?: string; open_cases?: number; stages: Partial<Record<StageId, number>> }[]
  open_cases: number
}

export interface CaseQuery {
  org?: number
  stage?: string
  step?: number
  status?: string
  q?: string
  due?: string
  page?: number
  page_size?: number
}

/** Step 1, 递交入党申请书. */
export interface ApplicationInput {
  org_id: number
  name: string
  id_number: string
  phone?: string
  ethnicity?: string
  education?: string
  occupation?: string
  work_unit?: string
  /** 党员类别 in the registry once admitted; by default the branch's 领域 decides. */
  category?: string
  applied_on: string
  note?: string
}

/** What the step dialog needs of a case (a 发展党员 case, or another workflow's). */
export interface StepCase {
  id: number
  org: { id: number; name: string }
  next_steps: number[]
  steps: StepRecord[]
  deadlines: CaseDeadline[]
}

export type StepInput = { step: number; done_on: string; note?: string } & Record<string, unknown>

export interface CloseInput {
  closed_on: string
  outcome: 'withdrawn' | 'not_admitted' | 'moved_away'
  reason: string
}

const get = <T>(path: string, query?: Query, quiet = false) => request<T>('GET', path, { query, quiet })
const post = <T>(path: string, body: unknown, quiet = true) => request<T>('POST', path, { body, quiet })

let table: Promise<StepTable> | null = null

export const developmentApi = {
  /** The step table (fetched once per page load). */
  steps: () => {
    table ??= get<StepTable>('api/v1/development/steps').catch((e) => {
      table = null
      throw e
    })
    return table
  },
  pipeline: (org?: number | null, quiet = false) => get<Pipeline>('api/v1/development/pipeline', { org: org ?? undefined }, quiet),
  cases: (query: CaseQuery, quiet = false) => get<CasePage>('api/v1/development/cases', query as Query, quiet),
  get: (id: number, quiet = false) => get<DevelopmentCase>(`api/v1/development/cases/${id}`, undefined, quiet),
  apply: (input: ApplicationInput) => post<DevelopmentCase>('api/v1/development/cases', withoutEmpty(input)),
  record: (id: number, input: StepInput) => post<DevelopmentCase>(`api/v1/development/cases/${id}/steps`, input),
  close: (id: number, input: CloseInput) =>
    post<DevelopmentCase>(`api/v1/development/cases/${id}/close`, { ...input, reason: input.reason.trim() }),
  documentUrl: (id: number, kind: string) => buildUrl(`api/v1/development/cases/${id}/documents/${encodeURIComponent(kind)}`),
}
