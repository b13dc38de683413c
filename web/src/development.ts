// The 发展党员 pages' pure helpers (unit-tested in development.test.ts): titles and colours of the
// stages, due states and case statuses; the case list's state ⇄ its address; a step form built
// from the step table (its items, empty model, checks and the body it sends); a server refusal's
// field → the form item; the time limits of a step in words and as dates from the case's records;
// the timeline of the 25 steps; the key dates of a case. The shapes and calls are in
// developmentApi.ts (docs/api-development.md).

import { EMPTY, addMonths, formatDateTime } from './format'
import type {
  CaseDeadline,
  CaseQuery,
  CaseStatus,
  DevelopmentCase,
  DueState,
  StageId,
  StepDefinition,
  StepField,
  StepInput,
  StepLimit,
  StepRecord,
  StepTable,
} from './developmentApi'

// --- stages, due states, statuses ---------------------------------------------------------------

/** The five stages in order, with the contract's titles (the table's own titles win when loaded). */
export const STAGES: { id: StageId; title: string }[] = [
  { id: 'application', title: '申请人' },
  { id: 'activist', title: '入党积极分子' },
  { id: 'target', title: '发展对象' },
  { id: 'probationary', title: '预备党员' },
  { id: 'converted', title: '已转正待归档' },
]

/**
 * The stage a case is in after `step` (docs/api-development.md): 申请人 1–2, 入党积极分子 3–6,
 * 发展对象 7–16, 预备党员 17–23, 已转正待归档 24 (an extended probation goes back to 预备党员).
 */
export function caseStageOfStep(step: number): StageId {
  if (step <= 2) return 'application'
  if (step <= 6) return 'activist'
  if (step <= 16) return 'target'
  if (step <= 23) return 'probationary'
  return 'converted'
}

export function stageTitle(stage: string): string {
  return STAGES.find((s) => s.id === stage)?.title ?? stage
}

/** Each stage's colour (cards, tags and the timeline's stage marks): cool to warm to the Party's red. */
export const STAGE_COLOURS: Record<StageId, string> = {
  application: '#5b8ff9',
  activist: '#13a8a8',
  target: '#d48806',
  probationary: '#c8161d',
  converted: '#389e0d',
}

/** The flowchart's last two parts (steps 12–18 and 19–25) in the colours of the case stages they
 *  lead to. */
const FLOWCHART_COLOURS: Record<string, string> = { admission: STAGE_COLOURS.probationary, probation: STAGE_COLOURS.converted }

/** The colour of a case's stage or of a part of the flowchart; grey for anything else. */
export function stageColour(stage: string): string {
  return STAGE_COLOURS[stage as StageId] ?? FLOWCHART_COLOURS[stage] ?? '#8a8f99'
}

/** Whether a case's `stage` is one of the five (a completed or closed case has none left). */
export function isCaseStage(stage: string): stage is StageId {
  return stage in STAGE_COLOURS
}

export const DUE_STATE_TITLES: Record<DueState, string> = { ok: '未到期', due_soon: '即将到期', overdue: '已逾期' }

/** Overdue red, due soon orange, otherwise plain. */
export function dueTagType(state: string | null | undefined): 'danger' | 'warning' | 'info' {
  if (state === 'overdue') return 'danger'
  if (state === 'due_soon') return 'warning'
  return 'info'
}

export function dueStateTitle(state: string | null | undefined): string {
  return DUE_STATE_TITLES[state as DueState] ?? EMPTY
}

export const CASE_STATUS_TITLES: Record<CaseStatus, string> = { open: '进行中', completed: '已完成', closed: '已终止' }

export function caseStatusTitle(status: string): string {
  return CASE_STATUS_TITLES[status as CaseStatus] ?? status
}

export function caseStatusTagType(status: string): 'success' | 'info' | 'primary' {
  if (status === 'completed') return 'success'
  if (status === 'closed') return 'info'
  return 'primary'
}

export const CLOSE_OUTCOMES: { id: 'withdrawn' | 'not_admitted' | 'moved_away'; title: string }[] = [
  { id: 'withdrawn', title: '本人撤回申请' },
  { id: 'not_admitted', title: '不予发展' },
  { id: 'moved_away', title: '迁出本单位' },
]

export function closeOutcomeTitle(outcome: string | null | undefined): string {
  return CLOSE_OUTCOMES.find((o) => o.id === outcome)?.title ?? (outcome || EMPTY)
}


// --- the case list's state ⇄ its address --------------------------------------------------------

export interface CaseListState {
  org: number | null
  stage: string
  step: number | null
  due: string
  status: string
  q: string
  page: number
}

type RouteQuery = Record<string, unknown>

const positive = (value: unknown): number | null => {
  const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : NaN
  return Number.isInteger(n) && n > 0 ? n : null
}
const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '')

const STAGE_IDS = STAGES.map((s) => s.id as string)
const DUE_IDS = ['due_soon', 'overdue']
const STATUS_IDS = ['open', 'completed', 'closed', 'all']

/** The list's filters from the address; anything unknown is dropped. */
export function caseListStateFromRoute(query: RouteQuery): CaseListState {
  const stage = text(query.stage)
  const due = text(query.due)
  const status = text(query.status)
  const step = positive(query.step)
  return {
    org: positive(query.org),
    stage: STAGE_IDS.includes(stage) ? stage : '',
    step: step !== null && step <= 25 ? step : null,
    due: DUE_IDS.includes(due) ? due : '',
    status: STATUS_IDS.includes(status) ? status : 'open',
    q: text(query.q),
    page: positive(query.page) ?? 1,
  }
}

/** The address of a state (defaults left out, so a plain list has a plain address). */
export function caseListRouteQuery(state: CaseListState): Record<string, string> {
  const out: Record<string, string> = {}
  if (state.org) out.org = String(state.org)
  if (state.stage) out.stage = state.stage
  if (state.step) out.step = String(state.step)
  if (state.due) out.due = state.due
  if (state.status && state.status !== 'open') out.status = state.status
  if (state.q.trim()) out.q = state.q.trim()
  if (state.page > 1) out.page = String(state.page)
  return out
}

/** GET /api/v1/development/cases' query of a state. */
export function caseQueryOf(state: CaseListState, pageSize: number): CaseQuery {
  return {
    org: state.org ?? undefined,
    stage: state.stage || undefined,
    step: state.step ?? undefined,
    due: state.due || undefined,
    status: state.status || undefined,
    q: state.q.trim() || undefined,
    page: state.page,
    page_size: pageSize,
  }
}

/** The case list opened from the pipeline: its organisation with one stage, step or due state. */
export function caseListLink(
  org: number | null | undefined,
  filter: { stage?: string; step?: number; due?: string } = {},
): { path: string; query: Record<string, string> } {
  const state: CaseListState = { org: org ?? null, stage: filter.stage ?? '', step: filter.step ?? null, due: filter.due ?? '', status: 'open', q: '', page: 1 }
  return { path: '/development/cases', query: caseListRouteQuery(state) }
}

// --- step forms from the table ---------------------------------------------------------------------

export const DONE_ON = 'done_on'
export const NOTE = 'note'

/**
 * The items a step's form shows: the table's fields, with the step's date first when the table
 * does not list it and a note last when it has none (the body always carries both).
 */
export function formFieldsOf(step: Pick<StepDefinition, 'fields'>): StepField[] {
  const fields = [...step.fields]
  if (!fields.some((f) => f.name === DONE_ON)) fields.unshift({ name: DONE_ON, title: '办理日期', type: 'date', required: true })
  if (!fields.some((f) => f.name === NOTE)) fields.push({ name: NOTE, title: '备注', type: 'text', required: false })
  return fields
}

export type FieldValue = string | number | number[] | null

/** Whether a date field may be after today: the step's own date never; another date when the
 *  table says so (the server checks the others and names the field when it refuses). */
export function futureAllowed(field: Pick<StepField, 'name' | 'future_allowed'>): boolean {
  return field.future_allowed ?? field.name !== DONE_ON
}

/** The empty value of a field's type. */
export function emptyValue(field: Pick<StepField, 'type'>): FieldValue {
  switch (field.type) {
    case 'members':
      return []
    case 'integer':
    case 'member':
    case 'group':
      return null
    default:
      return ''
  }
}

/** A step form's model: every item empty. */
export function emptyStepModel(step: Pick<StepDefinition, 'fields'>): Record<string, FieldValue> {
  const model: Record<string, FieldValue> = {}
  for (const field of formFieldsOf(step)) model[field.name] = emptyValue(field)
  return model
}

const isEmpty = (value: unknown) =>
  value === null || value === undefined || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0)

/**
 * What the console checks before sending (the server checks everything again): required items,
 * whole numbers, dates not after today, the number of members a field takes. Answers the item's
 * problem or null.
 */
export function fieldProblem(field: StepField, value: unknown, today: string): string | null {
  if (isEmpty(value)) {
    if (!field.required) return null
    return field.type === 'date' || field.type === 'choice' || field.type === 'member' || field.type === 'members' || field.type === 'group'
      ? `请选择${field.title}`
      : `请填写${field.title}`
  }
  switch (field.type) {
    case 'date':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${field.title}应为日期`
      if (value > today && !futureAllowed(field)) return `${field.title}不能晚于今天`
      return null
    case 'integer': {
      const n = typeof value === 'number' ? value : Number(value)
      if (!Number.isInteger(n)) return `${field.title}应为整数`
      if (field.min !== undefined && n < field.min) return `${field.title}不能小于 ${field.min}`
      if (field.max !== undefined && n > field.max) return `${field.title}不能大于 ${field.max}`
      return null
    }
    case 'choice':
      return field.choices && !field.choices.some((c) => c.id === value) ? `请选择${field.title}` : null
    case 'members': {
      const count = Array.isArray(value) ? value.length : 0
      if (field.min !== undefined && field.max !== undefined && field.min === field.max && count !== field.min)
        return `${field.title}须为 ${field.min} 人`
      if (field.min !== undefined && count < field.min) return `${field.title}至少 ${field.min} 人`
      if (field.max !== undefined && count > field.max) return `${field.title}至多 ${field.max} 人`
      return null
    }
    default:
      return null
  }
}

/** How many members a `members` field takes, in words (`1–2 人`, `2 人`). */
export function memberCountText(field: Pick<StepField, 'min' | 'max'>): string {
  if (field.min !== undefined && field.max !== undefined) return field.min === field.max ? `${field.min} 人` : `${field.min}–${field.max} 人`
  if (field.min !== undefined) return `至少 ${field.min} 人`
  if (field.max !== undefined) return `至多 ${field.max} 人`
  return ''
}

/** The body of POST …/steps from a form's model: the step, its date, the filled-in fields. */
export function stepInputOf(step: Pick<StepDefinition, 'number' | 'fields'>, model: Record<string, unknown>): StepInput {
  const input: StepInput = { step: step.number, done_on: String(model[DONE_ON] ?? '') }
  for (const field of formFieldsOf(step)) {
    if (field.name === DONE_ON) continue
    const value = model[field.name]
    if (isEmpty(value)) continue
    if (field.type === 'integer') input[field.name] = typeof value === 'number' ? value : Number(value)
    else if (field.type === 'member' || field.type === 'group') input[field.name] = Number(value)
    else if (field.type === 'members') input[field.name] = (value as unknown[]).map(Number)
    else input[field.name] = typeof value === 'string' ? value.trim() : value
  }
  return input
}

/**
 * The form item of a refusal's `field`: `sponsors[1]` and `sponsors.1` → `sponsors`; `step` (an
 * out-of-order step) and fields the form does not show → null (shown above the form).
 */
export function formItemOfField(field: string | null | undefined, items: readonly string[]): string | null {
  if (!field) return null
  if (items.includes(field)) return field
  const base = field.replace(/\[\d+\].*$/, '').replace(/\.\d+.*$/, '')
  if (items.includes(base)) return base
  const dotted = field.split('.')[0]
  return items.includes(dotted) ? dotted : null
}

// --- time limits ------------------------------------------------------------------------------------

/** The months or days of a limit in words. */
function spanText(limit: Pick<StepLimit, 'months' | 'days'>): string {
  if (limit.months) return limit.months % 12 === 0 ? `${limit.months / 12}年` : `${limit.months}个月`
  if (limit.days) return `${limit.days}天`
  return ''
}

/** A limit in words: `距第3步“确定入党积极分子”满1年以上`, `第15步“支部大会讨论”后3个月内`. */
export function limitText(limit: StepLimit, table: Pick<StepTable, 'steps'> | null): string {
  if (limit.title) return limit.title
  const from = table?.steps.find((s) => s.number === limit.from_step)
  const name = from ? `第${limit.from_step}步“${from.title}”` : `第${limit.from_step}步`
  const span = spanText(limit)
  if (limit.kind === 'at_least') return `距${name}满${span}以上`
  if (limit.kind === 'within' || limit.kind === 'at_most') return `${name}后${span}内`
  return `${name}：${limit.kind} ${span}`
}

/** `YYYY-MM-DD` plus whole days. */
export function addDays(date: string, days: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + days * 86_400_000
  return new Date(t).toISOString().slice(0, 10)
}

/** The last record of a step (the one a limit counts from: a repeated step's latest). */
export function lastRecord(records: readonly Pick<StepRecord, 'number' | 'done_on'>[], step: number) {
  let found: Pick<StepRecord, 'number' | 'done_on'> | null = null
  for (const r of records) if (r.number === step && (!found || r.done_on >= found.done_on)) found = r
  return found
}

/**
 * The date a limit sets for the step, from the case's records: `at_least` → the earliest date
 * allowed (the anniversary itself passes), `within` → the last date allowed. Null while the step
 * it counts from is not recorded.
 */
export function limitDate(
  limit: StepLimit,
  records: readonly Pick<StepRecord, 'number' | 'done_on'>[],
): { kind: 'earliest' | 'latest'; date: string } | null {
  const from = lastRecord(records, limit.from_step)
  if (!from) return null
  let date: string | null = from.done_on
  if (limit.months) date = addMonths(date, limit.months)
  if (date && limit.days) date = addDays(date, limit.days)
  if (!date) return null
  if (limit.kind === 'at_least') return { kind: 'earliest', date }
  if (limit.kind === 'within' || limit.kind === 'at_most') return { kind: 'latest', date }
  return null
}

// --- the timeline -------------------------------------------------------------------------------------

export type TimelineState = 'done' | 'next' | 'pending'

export interface TimelineItem {
  step: StepDefinition
  /** Its records, oldest first (a repeated step — 考察, an extended probation — has several). */
  records: StepRecord[]
  state: TimelineState
  deadline: CaseDeadline | null
}

/** The 25 steps in the table's order with the case's records, the next allowed ones and deadlines. */
export function timelineOf(
  table: Pick<StepTable, 'steps'>,
  record: Pick<DevelopmentCase, 'steps' | 'next_steps' | 'deadlines' | 'status'>,
): TimelineItem[] {
  const open = record.status === 'open'
  return [...table.steps]
    .sort((a, b) => a.number - b.number)
    .map((step) => {
      const records = record.steps.filter((r) => r.number === step.number)
      const next = open && record.next_steps.includes(step.number)
      const state: TimelineState = next ? 'next' : records.length ? 'done' : 'pending'
      return { step, records, state, deadline: record.deadlines.find((d) => d.step === step.number) ?? null }
    })
}

/**
 * The timeline in the table's stages (a stage lists its steps; without a list, the steps that name
 * the stage); a step no stage holds goes with the last stage shown. Stages without steps are left
 * out.
 */
export function timelineByStage(
  table: Pick<StepTable, 'stages'>,
  items: TimelineItem[],
): { id: string; title: string; items: TimelineItem[] }[] {
  const stages = table.stages.length ? table.stages : STAGES.map((s) => ({ ...s, steps: [] as number[] }))
  const placed = new Set<number>()
  const groups = stages.map((s) => {
    const listed = s.steps ?? []
    const mine = items.filter((i) => (listed.length ? listed.includes(i.step.number) : i.step.stage === s.id) && !placed.has(i.step.number))
    for (const i of mine) placed.add(i.step.number)
    return { id: s.id as string, title: s.title, items: mine }
  })
  const rest = items.filter((i) => !placed.has(i.step.number))
  const shown = groups.filter((g) => g.items.length > 0)
  if (rest.length) {
    if (shown.length) shown[shown.length - 1].items.push(...rest)
    else shown.push({ id: 'steps', title: '步骤', items: rest })
  }
  return shown
}

/** The timeline dot's colour: done green, next the Party's red, a late deadline red, due soon orange. */
export function timelineColour(item: Pick<TimelineItem, 'state' | 'deadline'>): string {
  if (item.state === 'next' && item.deadline?.state === 'overdue') return '#e5484d'
  if (item.state === 'next' && item.deadline?.state === 'due_soon') return '#f5a623'
  if (item.state === 'next') return '#c8161d'
  if (item.state === 'done') return '#30a46c'
  return '#c9cdd4'
}

// --- a record's data in words -------------------------------------------------------------------------

export type MemberNames = Record<number, string>

/** Who recorded a step. */
export function actorName(actor: StepRecord['actor']): string {
  if (!actor) return EMPTY
  if (typeof actor === 'string') return actor || EMPTY
  return actor.display_name || actor.name || actor.username || EMPTY
}

function memberText(value: unknown, names: MemberNames): string {
  if (value && typeof value === 'object') {
    const v = value as { id?: number; name?: string; member_id?: number }
    if (v.name) return v.name
    const id = v.id ?? v.member_id
    return id !== undefined ? names[id] ?? `党员 #${id}` : EMPTY
  }
  const id = Number(value)
  return Number.isInteger(id) ? names[id] ?? `党员 #${id}` : String(value)
}

/** A field's recorded value as text: a choice's title, members' names, a group's name. */
export function valueText(field: Pick<StepField, 'type' | 'choices'> | undefined, value: unknown, names: MemberNames = {}, groups: MemberNames = {}): string {
  if (value === null || value === undefined || value === '') return EMPTY
  if (!field) {
    if (Array.isArray(value)) return value.map((v) => memberText(v, names)).join('、')
    if (typeof value === 'boolean') return value ? '是' : '否'
    if (typeof value === 'object') return JSON.stringify(value)
    return String(value)
  }
  switch (field.type) {
    case 'choice':
      return field.choices?.find((c) => c.id === value)?.title ?? String(value)
    case 'member':
      return memberText(value, names)
    case 'members':
      return Array.isArray(value) ? value.map((v) => memberText(v, names)).join('、') || EMPTY : memberText(value, names)
    case 'group': {
      if (value && typeof value === 'object') return (value as { name?: string }).name ?? EMPTY
      const id = Number(value)
      return groups[id] ?? `党小组 #${value}`
    }
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value)
  }
}

/** The member ids a record's data names (to look their names up once). */
export function memberIdsOf(records: readonly StepRecord[], table: Pick<StepTable, 'steps'>): number[] {
  const ids = new Set<number>()
  for (const r of records) {
    const step = table.steps.find((s) => s.number === r.number)
    for (const field of step?.fields ?? []) {
      if (field.type !== 'member' && field.type !== 'members') continue
      const value = r.data?.[field.name]
      for (const v of Array.isArray(value) ? value : [value]) {
        if (typeof v === 'number' && Number.isInteger(v)) ids.add(v)
        else if (v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'number' && !(v as { name?: string }).name)
          ids.add((v as { id: number }).id)
      }
    }
  }
  return [...ids]
}

/** A record's data as label/value lines in the table's field order (fields the table does not
 *  name follow under their own key). */
export function recordLines(
  record: Pick<StepRecord, 'data' | 'note'>,
  step: Pick<StepDefinition, 'fields'> | undefined,
  names: MemberNames = {},
  groups: MemberNames = {},
): { label: string; value: string }[] {
  const data = record.data ?? {}
  const lines: { label: string; value: string }[] = []
  const seen = new Set<string>([DONE_ON])
  for (const field of step?.fields ?? []) {
    seen.add(field.name)
    if (field.name === DONE_ON || !(field.name in data)) continue
    const value = data[field.name]
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) continue
    lines.push({ label: field.title, value: valueText(field, value, names, groups) })
  }
  for (const [key, value] of Object.entries(data)) {
    if (seen.has(key) || value === null || value === undefined || value === '') continue
    lines.push({ label: key === NOTE ? '备注' : key, value: valueText(undefined, value, names, groups) })
  }
  if (record.note?.trim() && !lines.some((l) => l.label === '备注')) lines.push({ label: '备注', value: record.note.trim() })
  return lines
}

/** When a record was entered, for the line under it. */
export function recordedText(record: Pick<StepRecord, 'recorded_at' | 'actor'>): string {
  const who = actorName(record.actor)
  const at = formatDateTime(record.recorded_at)
  return who === EMPTY ? `登记于 ${at}` : `${who} 登记于 ${at}`
}

// --- the case's key dates -------------------------------------------------------------------------------

/** The case page's header: the dates the 细则 counts from, in the order they happen. */
export function keyDatesOf(
  c: Pick<DevelopmentCase, 'applied_on' | 'activist_on' | 'target_on' | 'admitted_on' | 'probation_ends_on' | 'confirmed_on'>,
): { key: string; label: string; date: string | null; hint: string }[] {
  return [
    { key: 'applied_on', label: '递交申请', date: c.applied_on ?? null, hint: '递交入党申请书' },
    { key: 'activist_on', label: '确定积极分子', date: c.activist_on, hint: '培养考察从此日起算' },
    { key: 'target_on', label: '确定发展对象', date: c.target_on, hint: '' },
    { key: 'admitted_on', label: '入党（支部大会）', date: c.admitted_on, hint: '入党时间，预备期由此起算（党章第七条）' },
    { key: 'probation_ends_on', label: '预备期满', date: c.probation_ends_on, hint: '' },
    { key: 'confirmed_on', label: '转正', date: c.confirmed_on, hint: '党龄由此起算（党章第七条）' },
  ]
}

/** The earliest deadline of a case (the header's warning), overdue first. */
export function mostUrgent(deadlines: readonly CaseDeadline[]): CaseDeadline | null {
  const rank = (d: CaseDeadline) => (d.state === 'overdue' ? 0 : d.state === 'due_soon' ? 1 : 2)
  return [...deadlines].sort((a, b) => rank(a) - rank(b) || a.due_on.localeCompare(b.due_on))[0] ?? null
}
