import { describe, expect, it } from 'vitest'
import {
  activeChecklist,
  boardQueryOf,
  boardRouteQuery,
  boardStateFromRoute,
  cellRecordsQuery,
  cellText,
  classCount,
  convertPeriod,
  monthLabel,
  periodBounds,
  periodKind,
  periodOf,
  problemOfField,
  reviewInputOf,
  reviewQueueQueryOf,
  reviewRouteQuery,
  reviewStateFromRoute,
  shiftPeriod,
  shortDutyTitle,
  statsClasses,
} from './orglifeReview'

describe('periods', () => {
  it('tells months, quarters and years apart', () => {
    expect(periodKind('2026-11')).toBe('month')
    expect(periodKind('2026-Q3')).toBe('quarter')
    expect(periodKind('2026')).toBe('year')
    expect(periodKind('2026-13')).toBeNull()
    expect(periodKind('2026-Q5')).toBeNull()
  })

  it('finds the period of a day and its bounds', () => {
    expect(periodOf('quarter', '2026-11-24')).toBe('2026-Q4')
    expect(periodOf('month', '2026-02-03')).toBe('2026-02')
    expect(periodOf('year', '2026-02-03')).toBe('2026')
    expect(periodBounds('2026-Q1')).toEqual({ from: '2026-01-01', to: '2026-03-31' })
    expect(periodBounds('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' })
    expect(periodBounds('2026')).toEqual({ from: '2026-01-01', to: '2026-12-31' })
    expect(periodBounds('x')).toBeNull()
  })

  it('moves by periods across years', () => {
    expect(shiftPeriod('2026-Q4', 1)).toBe('2027-Q1')
    expect(shiftPeriod('2026-Q1', -1)).toBe('2025-Q4')
    expect(shiftPeriod('2026-01', -1)).toBe('2025-12')
    expect(shiftPeriod('2026', 2)).toBe('2028')
  })

  it('converts a period to another kind, keeping today when it holds it', () => {
    expect(convertPeriod('2026-11', 'quarter', '2026-11-24')).toBe('2026-Q4')
    expect(convertPeriod('2026-Q4', 'month', '2026-11-24')).toBe('2026-11')
    expect(convertPeriod('2026-Q3', 'month', '2026-11-24')).toBe('2026-07')
    expect(convertPeriod('2025', 'quarter', '2026-11-24')).toBe('2025-Q1')
  })
})

describe('the board', () => {
  it('shortens the long duty titles for narrow columns', () => {
    expect(shortDutyTitle('支部党员大会')).toBe('党员大会')
    expect(shortDutyTitle('支委会')).toBe('支委会')
  })

  it('drills a cell down to the branch’s records of that kind up to the day judged', () => {
    const board = { period: { id: '2026-Q4', first_day: '2026-10-01', last_day: '2026-12-31', as_of: '2026-11-24' } }
    expect(cellRecordsQuery(board, { org_id: 31 }, { id: 'theme_day' })).toEqual({ org: 31, kind: 'theme_day', from: '2026-10-01', to: '2026-11-24', page_size: 50 })
  })

  it('says what a cell stands for', () => {
    const cell = { light: 'red' as const, held: 0, missed: ['2026-10'], last_held: '2026-09-10', due_on: null, message: null }
    expect(cellText(cell)).toBe('未开展：2026-10；最近一次 2026-09-10')
    expect(cellText({ ...cell, message: '2026-10 未开展主题党日' })).toBe('2026-10 未开展主题党日')
    expect(cellText({ ...cell, light: 'none', missed: [] })).toBe('该期不承担此项任务')
    expect(cellText({ ...cell, light: 'green', held: 2, missed: [], last_held: null })).toBe('本期已开展 2 次')
    expect(cellText({ ...cell, light: 'yellow', missed: [], last_held: null, due_on: '2026-11-30' })).toBe('应于 2026-11-30 前开展')
  })

  it('reads and writes the board’s address', () => {
    const state = boardStateFromRoute({ org: '3', period: '2026-Q3', light: 'red', duty: 'theme_day', sort: 'worst', page: '2' }, '2026-11')
    expect(state).toEqual({ org: 3, period: '2026-Q3', light: 'red', duty: 'theme_day', sort: 'worst', page: 2 })
    expect(boardRouteQuery(state, '2026-11')).toEqual({ org: '3', period: '2026-Q3', light: 'red', duty: 'theme_day', sort: 'worst', page: '2' })
    expect(boardStateFromRoute({ period: '2026-Q9', light: 'blue', sort: 'x' }, '2026-11')).toEqual({ org: null, period: '2026-11', light: '', duty: '', sort: 'path', page: 1 })
    // A duty filters only together with a light.
    expect(boardRouteQuery({ ...state, light: '' }, '2026-11')).not.toHaveProperty('duty')
    expect(boardQueryOf({ ...state, light: '' }, 50)).toMatchObject({ light: undefined, duty: undefined, page_size: 50 })
  })
})

describe('the review', () => {
  it('sends the items found with their notes and the reasons written', () => {
    const marks = { 12: { found: true, note: ' 缺议程 ' }, 3: { found: true, note: '' }, 7: { found: false, note: '不会发送' } }
    expect(reviewInputOf('return', marks, ['  ', '签到表缺失'])).toEqual({
      input: { decision: 'return', problems: [{ item_id: 3 }, { item_id: 12, note: '缺议程' }], reasons: ['签到表缺失'] },
    })
    expect(reviewInputOf('accept', {}, [])).toEqual({ input: { decision: 'accept' } })
    expect(reviewInputOf('return', { 7: { found: false, note: '' } }, [''])).toEqual({ missing: '退回须选择问题清单中的条目，或写明理由' })
  })

  it('finds the item a refusal names', () => {
    const input = { decision: 'return' as const, problems: [{ item_id: 3 }, { item_id: 12, note: 'x' }] }
    expect(problemOfField('problems[1].note', input)).toEqual({ item_id: 12, sub: 'note' })
    expect(problemOfField('problems[0].item_id', input)).toEqual({ item_id: 3, sub: 'item_id' })
    expect(problemOfField('problems[5].note', input)).toBeNull()
    expect(problemOfField('reasons', input)).toBeNull()
  })

  it('offers the items in use only', () => {
    const item = (id: number, retired = false) => ({ id, seq: id, title: `条目${id}`, source: '', seeded: true, retired, retired_at: null })
    const classes = [
      { id: 1, seq: 1, title: '甲', items: [item(1), item(2, true)] },
      { id: 2, seq: 2, title: '乙', items: [item(3, true)] },
    ]
    expect(activeChecklist(classes).map((c) => [c.title, c.items.map((i) => i.id)])).toEqual([['甲', [1]]])
  })

  it('reads and writes the review page’s address', () => {
    const state = reviewStateFromRoute({ tab: 'stats', org: '4', kind: 'theme_day', page: '2', from: '2026-01', to: '2026-13' })
    expect(state).toEqual({ tab: 'stats', org: 4, kind: 'theme_day', page: 2, from: '2026-01', to: '' })
    expect(reviewRouteQuery(state)).toEqual({ tab: 'stats', org: '4', kind: 'theme_day', page: '2', from: '2026-01' })
    expect(reviewRouteQuery(reviewStateFromRoute({}))).toEqual({})
    expect(reviewQueueQueryOf(state, 20)).toEqual({ org: 4, kind: 'theme_day', page: 2, page_size: 20 })
  })
})

describe('problem statistics', () => {
  it('heads the tables with the classes that have problems and counts each row', () => {
    const stats = {
      classes: [
        { id: 1, title: '会议频次不足', count: 3, items: [] },
        { id: 2, title: '参会人数不足', count: 0, items: [] },
        { id: null, title: '其他', count: 1, items: [] },
      ],
    }
    expect(statsClasses(stats)).toEqual([
      { id: 1, title: '会议频次不足' },
      { id: null, title: '其他' },
    ])
    const row = { classes: [{ class_id: 1, count: 2 }, { class_id: null, count: 1 }] }
    expect(classCount(row, 1)).toBe(2)
    expect(classCount(row, null)).toBe(1)
    expect(classCount(row, 2)).toBe(0)
    expect(monthLabel('2026-11')).toBe('11月')
    expect(monthLabel('2026-01', true)).toBe('2026年1月')
  })
})
