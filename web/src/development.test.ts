import { describe, expect, it } from 'vitest'
import {
  STAGES,
  actorName,
  addDays,
  caseListLink,
  caseListRouteQuery,
  caseListStateFromRoute,
  caseQueryOf,
  caseStageOfStep,
  dueTagType,
  emptyStepModel,
  fieldProblem,
  formFieldsOf,
  formItemOfField,
  futureAllowed,
  isCaseStage,
  keyDatesOf,
  limitDate,
  limitText,
  memberCountText,
  memberIdsOf,
  mostUrgent,
  recordLines,
  stageColour,
  stepInputOf,
  timelineByStage,
  timelineColour,
  timelineOf,
  valueText,
} from './development'
import type { CaseDeadline, StepDefinition, StepField, StepRecord, StepTable } from './developmentApi'

const step = (number: number, stage: StepDefinition['stage'], fields: StepField[] = [], extra: Partial<StepDefinition> = {}): StepDefinition => ({
  number,
  id: `s${number}`,
  title: `步骤${number}`,
  stage,
  actor: '党支部',
  repeatable: false,
  source: '发展党员工作细则',
  fields,
  gates: [],
  limits: [],
  documents: [],
  ...extra,
})

const TARGET: StepDefinition = step(
  7,
  'target',
  [
    { name: 'done_on', title: '支委会讨论日期', type: 'date', required: true },
    { name: 'opinions', title: '听取意见情况', type: 'text', required: false },
  ],
  {
    title: '确定发展对象',
    gates: [{ id: 'development.cultivation_one_year', title: '培养教育考察满1年', source: '细则 第十三条' }],
    limits: [{ from_step: 3, kind: 'at_least', months: 12, source: '细则 第十三条' }],
  },
)

const VOTE: StepDefinition = step(15, 'target', [
  { name: 'attending_voters', title: '到会有表决权人数', type: 'integer', required: true, min: 0 },
  { name: 'votes_for', title: '赞成票', type: 'integer', required: true, min: 0 },
  { name: 'sponsors', title: '入党介绍人', type: 'members', required: true, min: 2, max: 2 },
  { name: 'group_id', title: '党小组', type: 'group', required: false },
  { name: 'outcome', title: '结果', type: 'choice', required: true, choices: [{ id: 'on_time', title: '按期转正' }, { id: 'extend', title: '延长预备期' }] },
])

const TABLE: StepTable = {
  workflow: 'party_admission',
  title: '发展党员',
  stages: [
    { id: 'application', title: '申请入党', steps: [1, 2] },
    { id: 'activist', title: '入党积极分子的确定和培养教育', steps: [3, 4, 5, 6] },
    { id: 'target', title: '发展对象的确定和考察', steps: [7, 15] },
  ],
  steps: [step(1, 'application'), step(2, 'application'), step(3, 'activist', [], { title: '确定入党积极分子' }), step(6, 'activist', [], { repeatable: true }), TARGET, VOTE, step(25, 'converted')],
}

const rec = (number: number, done_on: string, data: Record<string, unknown> = {}): StepRecord => ({
  number,
  id: `s${number}`,
  title: `步骤${number}`,
  done_on,
  data,
  actor: '演示支部书记',
  recorded_at: '2026-11-23T10:00:00+08:00',
})

describe('stages and due states', () => {
  it('has the five stages of the flowchart in order, each with a colour', () => {
    expect(STAGES.map((s) => s.id)).toEqual(['application', 'activist', 'target', 'probationary', 'converted'])
    expect(STAGES.map((s) => s.title)).toEqual(['申请人', '入党积极分子', '发展对象', '预备党员', '已转正待归档'])
    expect(new Set(STAGES.map((s) => stageColour(s.id))).size).toBe(5)
    expect(stageColour('unknown')).toBe('#8a8f99')
    expect(stageColour('admission')).toBe(stageColour('probationary'))
    expect(stageColour('probation')).toBe(stageColour('converted'))
    expect(isCaseStage('target')).toBe(true)
    expect(isCaseStage('completed')).toBe(false)
  })

  it('knows the stage a case is in after each step', () => {
    expect([1, 2, 3, 6, 7, 16, 17, 23, 24].map(caseStageOfStep)).toEqual([
      'application',
      'application',
      'activist',
      'activist',
      'target',
      'target',
      'probationary',
      'probationary',
      'converted',
    ])
  })

  it('colours overdue red and due soon orange', () => {
    expect(dueTagType('overdue')).toBe('danger')
    expect(dueTagType('due_soon')).toBe('warning')
    expect(dueTagType('ok')).toBe('info')
    expect(dueTagType(null)).toBe('info')
  })

  it('puts the overdue deadline first, then the soonest', () => {
    const d = (step: number, due_on: string, state: CaseDeadline['state']): CaseDeadline => ({ step, step_title: '', due_on, state, source: '' })
    expect(mostUrgent([d(2, '2026-12-01', 'due_soon'), d(6, '2027-01-01', 'overdue'), d(4, '2026-11-30', 'ok')])?.step).toBe(6)
    expect(mostUrgent([d(2, '2026-12-05', 'ok'), d(4, '2026-12-01', 'ok')])?.step).toBe(4)
    expect(mostUrgent([])).toBeNull()
  })
})

describe('the case list and its address', () => {
  it('reads known filters and drops the rest', () => {
    expect(caseListStateFromRoute({ org: '12', stage: 'target', step: '7', due: 'overdue', status: 'all', q: ' 张 ', page: '3' })).toEqual({
      org: 12,
      stage: 'target',
      step: 7,
      due: 'overdue',
      status: 'all',
      q: '张',
      page: 3,
    })
    expect(caseListStateFromRoute({ org: 'x', stage: 'member', step: '26', due: 'late', status: 'gone', page: '0' })).toEqual({
      org: null,
      stage: '',
      step: null,
      due: '',
      status: 'open',
      q: '',
      page: 1,
    })
  })

  it('writes only what differs from the defaults and round-trips', () => {
    const state = caseListStateFromRoute({ org: '5', step: '15', q: '李' })
    expect(caseListRouteQuery(state)).toEqual({ org: '5', step: '15', q: '李' })
    expect(caseListStateFromRoute(caseListRouteQuery(state))).toEqual(state)
    expect(caseListRouteQuery(caseListStateFromRoute({}))).toEqual({})
  })

  it('asks the server for the page with the filters set', () => {
    const state = caseListStateFromRoute({ org: '5', stage: 'activist', page: '2' })
    expect(caseQueryOf(state, 20)).toEqual({ org: 5, stage: 'activist', step: undefined, due: undefined, status: 'open', q: undefined, page: 2, page_size: 20 })
  })

  it('links the pipeline to the filtered list', () => {
    expect(caseListLink(3, { stage: 'target', due: 'overdue' })).toEqual({ path: '/development/cases', query: { org: '3', stage: 'target', due: 'overdue' } })
    expect(caseListLink(null, { step: 6 })).toEqual({ path: '/development/cases', query: { step: '6' } })
  })
})

describe('step forms from the table', () => {
  it('adds the date first and a note last when the table does not list them', () => {
    expect(formFieldsOf(TARGET).map((f) => f.name)).toEqual(['done_on', 'opinions', 'note'])
    const fields = formFieldsOf(VOTE)
    expect(fields[0]).toMatchObject({ name: 'done_on', type: 'date', required: true })
    expect(fields.at(-1)).toMatchObject({ name: 'note', type: 'text', required: false })
  })

  it('starts every item empty by its type', () => {
    expect(emptyStepModel(VOTE)).toEqual({ done_on: '', attending_voters: null, votes_for: null, sponsors: [], group_id: null, outcome: '', note: '' })
  })

  it('checks required items, whole numbers, dates and member counts', () => {
    const [date] = formFieldsOf(VOTE)
    const sponsors = VOTE.fields[2]
    const votes = VOTE.fields[1]
    expect(fieldProblem(date, '', '2026-11-23')).toBe('请选择办理日期')
    expect(fieldProblem(date, '2026-11-24', '2026-11-23')).toBe('办理日期不能晚于今天')
    expect(fieldProblem(date, '2026-11-23', '2026-11-23')).toBeNull()
    expect(fieldProblem(votes, null, '2026-11-23')).toBe('请填写赞成票')
    expect(fieldProblem(votes, 2.5, '2026-11-23')).toBe('赞成票应为整数')
    expect(fieldProblem(votes, -1, '2026-11-23')).toBe('赞成票不能小于 0')
    expect(fieldProblem(votes, 0, '2026-11-23')).toBeNull()
    expect(fieldProblem(sponsors, [4], '2026-11-23')).toBe('入党介绍人须为 2 人')
    expect(fieldProblem(sponsors, [4, 9], '2026-11-23')).toBeNull()
    expect(fieldProblem(VOTE.fields[4], 'cancel', '2026-11-23')).toBe('请选择结果')
    expect(fieldProblem(VOTE.fields[3], null, '2026-11-23')).toBeNull()
  })

  it('holds the step’s own date to today, and other dates only when the table says so', () => {
    const leaving: StepField = { name: 'leaving_on', title: '预计离开日期', type: 'date', required: false }
    expect(futureAllowed({ name: 'done_on' })).toBe(false)
    expect(futureAllowed(leaving)).toBe(true)
    expect(futureAllowed({ ...leaving, future_allowed: false })).toBe(false)
    expect(fieldProblem(leaving, '2027-03-01', '2026-11-23')).toBeNull()
    expect(fieldProblem({ ...leaving, future_allowed: false }, '2027-03-01', '2026-11-23')).toBe('预计离开日期不能晚于今天')
  })

  it('says how many members a field takes', () => {
    expect(memberCountText({ min: 2, max: 2 })).toBe('2 人')
    expect(memberCountText({ min: 1, max: 2 })).toBe('1–2 人')
    expect(memberCountText({})).toBe('')
  })

  it('sends the step, its date and the filled-in fields with their types', () => {
    const model = { ...emptyStepModel(VOTE), done_on: '2024-10-15', attending_voters: 20, votes_for: 19, sponsors: [11, 12], outcome: 'on_time', note: '  逐个表决  ' }
    expect(stepInputOf(VOTE, model)).toEqual({ step: 15, done_on: '2024-10-15', attending_voters: 20, votes_for: 19, sponsors: [11, 12], outcome: 'on_time', note: '逐个表决' })
    // Zero is a value; empty text, no group and an empty list are left out.
    expect(stepInputOf(VOTE, { ...emptyStepModel(VOTE), done_on: '2024-10-15', votes_for: 0 })).toEqual({ step: 15, done_on: '2024-10-15', votes_for: 0 })
  })

  it('puts a refusal on the item its field names', () => {
    const items = formFieldsOf(VOTE).map((f) => f.name)
    expect(formItemOfField('votes_for', items)).toBe('votes_for')
    expect(formItemOfField('sponsors[1]', items)).toBe('sponsors')
    expect(formItemOfField('sponsors.0', items)).toBe('sponsors')
    expect(formItemOfField('step', items)).toBeNull()
    expect(formItemOfField(undefined, items)).toBeNull()
  })
})

describe('time limits', () => {
  const records = [rec(1, '2023-01-05'), rec(3, '2023-07-10'), rec(15, '2024-10-15')]

  it('words a limit with the step it counts from', () => {
    expect(limitText(TARGET.limits[0], TABLE)).toBe('距第3步“确定入党积极分子”满1年以上')
    expect(limitText({ from_step: 15, kind: 'within', months: 3, source: '' }, TABLE)).toBe('第15步“步骤15”后3个月内')
    expect(limitText({ from_step: 1, kind: 'within', days: 30, source: '' }, null)).toBe('第1步后30天内')
    expect(limitText({ from_step: 1, kind: 'within', months: 1, source: '', title: '一个月内谈话' }, TABLE)).toBe('一个月内谈话')
  })

  it('gives the first allowed date: the anniversary itself passes', () => {
    expect(limitDate(TARGET.limits[0], records)).toEqual({ kind: 'earliest', date: '2024-07-10' })
  })

  it('gives the last allowed date of a period', () => {
    expect(limitDate({ from_step: 15, kind: 'within', months: 3, source: '' }, records)).toEqual({ kind: 'latest', date: '2025-01-15' })
    expect(limitDate({ from_step: 1, kind: 'within', days: 30, source: '' }, records)).toEqual({ kind: 'latest', date: '2023-02-04' })
  })

  it('counts from the latest record of a repeated step, and waits for an unrecorded one', () => {
    expect(limitDate({ from_step: 6, kind: 'within', months: 6, source: '' }, [rec(6, '2024-01-08'), rec(6, '2023-07-20')])).toEqual({ kind: 'latest', date: '2024-07-08' })
    expect(limitDate({ from_step: 7, kind: 'at_least', months: 12, source: '' }, records)).toBeNull()
  })

  it('keeps the month end when adding months and counts days across years', () => {
    expect(limitDate({ from_step: 1, kind: 'at_least', months: 1, source: '' }, [rec(1, '2024-01-31')])).toEqual({ kind: 'earliest', date: '2024-02-29' })
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01')
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29')
  })
})

describe('the timeline', () => {
  const record = {
    status: 'open' as const,
    next_steps: [6, 7],
    steps: [rec(1, '2023-01-05'), rec(2, '2023-01-20'), rec(3, '2023-07-10'), rec(6, '2024-01-08')],
    deadlines: [{ step: 7, step_title: '确定发展对象', due_on: '2026-12-01', state: 'due_soon' as const, source: '细则' }],
  }

  it('shows every step in order: done, the next allowed, the rest pending', () => {
    const items = timelineOf(TABLE, record)
    expect(items.map((i) => [i.step.number, i.state])).toEqual([
      [1, 'done'],
      [2, 'done'],
      [3, 'done'],
      [6, 'next'],
      [7, 'next'],
      [15, 'pending'],
      [25, 'pending'],
    ])
    expect(items.find((i) => i.step.number === 6)?.records).toHaveLength(1)
    expect(items.find((i) => i.step.number === 7)?.deadline?.due_on).toBe('2026-12-01')
  })

  it('offers nothing on a closed or completed case', () => {
    expect(timelineOf(TABLE, { ...record, status: 'closed' }).filter((i) => i.state === 'next')).toEqual([])
  })

  it('colours the next step by its deadline', () => {
    const items = timelineOf(TABLE, record)
    expect(timelineColour(items[0])).toBe('#30a46c')
    expect(timelineColour(items.find((i) => i.step.number === 7)!)).toBe('#f5a623')
    expect(timelineColour(items.find((i) => i.step.number === 6)!)).toBe('#c8161d')
    expect(timelineColour({ state: 'next', deadline: { ...record.deadlines[0], state: 'overdue' } })).toBe('#e5484d')
    expect(timelineColour(items.find((i) => i.step.number === 15)!)).toBe('#c9cdd4')
  })

  it('groups by the steps that name a stage when the stage lists none', () => {
    const table = { stages: [{ id: 'application', title: '申请入党' }, { id: 'activist', title: '积极分子' }, { id: 'empty', title: '无' }] }
    const groups = timelineByStage(table, timelineOf(TABLE, record))
    expect(groups.map((g) => [g.id, g.items.map((i) => i.step.number)])).toEqual([
      ['application', [1, 2]],
      ['activist', [3, 6, 7, 15, 25]],
    ])
  })

  it('groups the timeline by the table’s stages, a step no stage lists going with the last', () => {
    const groups = timelineByStage(TABLE, timelineOf(TABLE, record))
    expect(groups.map((g) => [g.id, g.items.map((i) => i.step.number)])).toEqual([
      ['application', [1, 2]],
      ['activist', [3, 6]],
      ['target', [7, 15, 25]],
    ])
  })
})

describe('a record in words', () => {
  it('shows choices by title, members and groups by name, in the table’s order', () => {
    const r = rec(15, '2024-10-15', { outcome: 'on_time', sponsors: [11, 12], attending_voters: 20, group_id: 40, extra_fact: '说明', done_on: '2024-10-15' })
    expect(recordLines(r, VOTE, { 11: '王伟', 12: '李强' }, { 40: '第一党小组' })).toEqual([
      { label: '到会有表决权人数', value: '20' },
      { label: '入党介绍人', value: '王伟、李强' },
      { label: '党小组', value: '第一党小组' },
      { label: '结果', value: '按期转正' },
      { label: 'extra_fact', value: '说明' },
    ])
    expect(recordLines({ data: { votes_for: 0 }, note: ' 逐个表决 ' }, VOTE)).toEqual([
      { label: '赞成票', value: '0' },
      { label: '备注', value: '逐个表决' },
    ])
    expect(valueText(VOTE.fields[2], [{ id: 3, name: '张三' }, 7])).toBe('张三、党员 #7')
    expect(valueText(undefined, true)).toBe('是')
  })

  it('collects the member ids to look up, not those the server named', () => {
    const records = [rec(15, '2024-10-15', { sponsors: [11, { id: 12, name: '李强' }, { id: 13 }] })]
    expect(memberIdsOf(records, TABLE)).toEqual([11, 13])
  })

  it('names whoever recorded a step', () => {
    expect(actorName('演示支部书记')).toBe('演示支部书记')
    expect(actorName({ id: 3, display_name: '组织委员' })).toBe('组织委员')
    expect(actorName(null)).toBe('—')
  })

  it('lists the key dates in the order they happen', () => {
    const dates = keyDatesOf({ applied_on: '2023-01-05', activist_on: '2023-07-10', target_on: null, admitted_on: null, probation_ends_on: null, confirmed_on: null })
    expect(dates.map((d) => d.key)).toEqual(['applied_on', 'activist_on', 'target_on', 'admitted_on', 'probation_ends_on', 'confirmed_on'])
    expect(dates.map((d) => d.date)).toEqual(['2023-01-05', '2023-07-10', null, null, null, null])
    expect(dates.find((d) => d.key === 'admitted_on')?.label).toBe('入党（支部大会）')
  })
})
