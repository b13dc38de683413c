import { describe, expect, it } from 'vitest'
import {
  alertsRouteQuery,
  alertsStateFromRoute,
  currentPeriod,
  factEntries,
  findingQueryOf,
  findingStatusTagType,
  findingStatusTitle,
  isMonth,
  lastScanText,
  lightCounts,
  lightOf,
  periodTitle,
  severityTagType,
  severityTitle,
  subjectRoute,
  worstFirst,
} from './alerts'

const child = (org_name: string, red: number, yellow: number, info = 0) => ({ org_name, red, yellow, info })

describe('lights', () => {
  it('is red with any red finding, else yellow with any yellow one, else green', () => {
    expect(lightOf({ red: 1, yellow: 0 })).toBe('red')
    expect(lightOf({ red: 2, yellow: 30 })).toBe('red')
    expect(lightOf({ red: 0, yellow: 1 })).toBe('yellow')
    expect(lightOf({ red: 0, yellow: 0 })).toBe('green')
  })

  it('leaves the light green for findings that are for information only', () => {
    expect(lightOf(child('甲', 0, 0, 5))).toBe('green')
  })

  it('orders the children worst first: red, then yellow, then by counts and name', () => {
    const children = [child('丙', 0, 0), child('乙', 0, 4), child('甲', 1, 0), child('丁', 3, 1), child('戊', 0, 4, 2), child('己', 0, 0, 1)]
    expect(worstFirst(children).map((c) => c.org_name)).toEqual(['丁', '甲', '戊', '乙', '己', '丙'])
    expect(children[0].org_name).toBe('丙') // the input is left as it was
  })

  it('counts the children per light', () => {
    expect(lightCounts([child('a', 1, 2), child('b', 0, 2), child('c', 0, 0, 3), child('d', 0, 0)])).toEqual({ red: 1, yellow: 1, green: 2 })
    expect(lightCounts([])).toEqual({ red: 0, yellow: 0, green: 0 })
  })
})

describe('periods', () => {
  it('takes the month in Shanghai, not in the machine zone', () => {
    // 2026-11-30 16:30 UTC is already 1 December in Shanghai.
    expect(currentPeriod(new Date(Date.UTC(2026, 10, 30, 16, 30)))).toBe('2026-12')
    expect(currentPeriod(new Date(Date.UTC(2026, 10, 30, 15, 59)))).toBe('2026-11')
  })

  it('names months, quarters and years in words', () => {
    expect(periodTitle('2026-11')).toBe('2026年11月')
    expect(periodTitle('2026-03')).toBe('2026年3月')
    expect(periodTitle('2026-Q4')).toBe('2026年第四季度')
    expect(periodTitle('2026')).toBe('2026年')
    expect(periodTitle('第3期')).toBe('第3期')
  })

  it('recognises a month', () => {
    expect(isMonth('2026-01')).toBe(true)
    expect(isMonth('2026-12')).toBe(true)
    expect(isMonth('2026-13')).toBe(false)
    expect(isMonth('2026-00')).toBe(false)
    expect(isMonth('2026-1')).toBe(false)
    expect(isMonth('2026-Q1')).toBe(false)
  })
})

describe('the daily scan', () => {
  it('tells when the last full scan ran and what it found', () => {
    const done = { run_on: '2026-11-24', started_at: '2026-11-24T02:00:03+08:00', finished_at: '2026-11-24T02:00:05+08:00', found: 1465, opened: 3, resolved: 2 }
    expect(lastScanText(done)).toBe('上次全面检查 2026-11-24 02:00，预警 1465 条（新增 3，解除 2）')
    expect(lastScanText({ run_on: '2026-11-24', started_at: '2026-11-24T02:00:03+08:00', finished_at: null })).toBe('全面检查进行中（2026-11-24 02:00 开始）')
    expect(lastScanText({ run_on: '2026-11-24', started_at: '2026-11-24T02:00:03+08:00', finished_at: null, error: 'database is locked' })).toBe(
      '2026-11-24 的全面检查未完成（database is locked），将自动重试',
    )
  })

  it('says when there was none yet, and nothing when the server does not tell', () => {
    expect(lastScanText(null)).toBe('尚未进行每日全面检查（数据有变动的组织已随即检查）')
    expect(lastScanText(undefined)).toBe('')
  })
})

describe('titles', () => {
  it('names severities and statuses and gives them tag colours', () => {
    expect(['red', 'yellow', 'info'].map(severityTitle)).toEqual(['红', '黄', '提示'])
    expect(['red', 'yellow', 'info', 'other'].map(severityTagType)).toEqual(['danger', 'warning', 'info', 'info'])
    expect(['open', 'acknowledged', 'resolved'].map(findingStatusTitle)).toEqual(['待处理', '已确认', '已解除'])
    expect(findingStatusTitle('odd')).toBe('odd')
    expect(['open', 'acknowledged', 'resolved'].map(findingStatusTagType)).toEqual(['danger', 'info', 'success'])
  })

  it('links a subject to its page', () => {
    expect(subjectRoute({ subject_kind: 'member', subject_id: 20 })).toBe('/members/20')
    expect(subjectRoute({ subject_kind: 'organisation', subject_id: 31 })).toBe('/orgs/31')
    expect(subjectRoute({ subject_kind: 'transfer', subject_id: 5 })).toBe('/transfers')
    expect(subjectRoute({ subject_kind: 'meeting', subject_id: 5 })).toBe('/orglife/records/5')
    expect(subjectRoute({ subject_kind: 'development_case', subject_id: 5 })).toBeNull()
  })
})

describe('facts', () => {
  it('labels the facts of an organisation finding in Chinese, in their order', () => {
    const facts = { full_members: 2, probationary_members: 0, kind: 'branch', has_committee: false, committee_size: 0 }
    expect(factEntries(facts)).toEqual([
      { key: 'full_members', label: '正式党员', value: '2 名' },
      { key: 'probationary_members', label: '预备党员', value: '0 名' },
      { key: 'kind', label: '组织类别', value: '党支部' },
      { key: 'has_committee', label: '设有支部委员会', value: '否' },
      { key: 'committee_size', label: '委员会人数', value: '0 人' },
    ])
  })

  it('shows a term, a transfer and the units of a joint branch', () => {
    const term = factEntries({ elected_on: '2023-10-14', term_years: 3, term_ends_on: '2026-10-14', extended_until: null })
    expect(term.map((e) => `${e.label}：${e.value}`)).toEqual(['选举日期：2023-10-14', '任期：3 年', '届满日期：2026-10-14', '延期至：—'])
    const transfer = factEntries({ status: 'approved', requested_on: '2026-09-01', letter_valid_until: '2026-10-01', open_days: 84 })
    expect(transfer.map((e) => e.value)).toEqual(['已开具介绍信', '2026-09-01', '2026-10-01', '84 天'])
    const units = factEntries({ units: [{ unit: '某某公司', full_members: 3 }, { unit: '某某厂', full_members: 4 }] })
    expect(units[0]).toEqual({ key: 'units', label: '单位正式党员', value: '某某公司（3名）、某某厂（4名）' })
  })

  it('keeps a fact it does not know under its own name', () => {
    expect(factEntries({ meetings: 0, last: null, flag: true, list: [1, 2] })).toEqual([
      { key: 'meetings', label: 'meetings', value: '0' },
      { key: 'last', label: 'last', value: '—' },
      { key: 'flag', label: 'flag', value: '是' },
      { key: 'list', label: 'list', value: '[1,2]' },
    ])
    expect(factEntries(null)).toEqual([])
    expect(factEntries({})).toEqual([])
  })
})

describe('page state', () => {
  const current = '2026-11'

  it('defaults to the caller root, the current month and the board', () => {
    expect(alertsStateFromRoute({}, current)).toEqual({ org: null, period: current, rule: '', severity: '', status: '', page: 1, tab: 'board' })
  })

  it('reads the address and writes it back with only what differs from the default', () => {
    const query = { org: '31', period: '2026-10', rule: 'member.lost_contact.six_months', severity: 'red', status: 'all', page: '2', tab: 'rules' }
    const state = alertsStateFromRoute(query, current)
    expect(state).toEqual({ org: 31, period: '2026-10', rule: 'member.lost_contact.six_months', severity: 'red', status: 'all', page: 2, tab: 'rules' })
    expect(alertsRouteQuery(state, current)).toEqual(query)
    expect(alertsRouteQuery({ ...state, period: current, page: 1, tab: 'board', rule: '', severity: '', status: '' }, current)).toEqual({ org: '31' })
  })

  it('falls back to the default for anything malformed or to come', () => {
    const state = alertsStateFromRoute({ org: '-3', period: '2026-12', rule: 'x; drop', severity: 'purple', status: 'gone', page: '0' }, current)
    expect(state).toEqual({ org: null, period: current, rule: '', severity: '', status: '', page: 1, tab: 'board' })
    expect(alertsStateFromRoute({ org: ['7', '8'], period: 'soon' }, current)).toMatchObject({ org: 7, period: current })
  })

  it('asks the server for the list the state names', () => {
    const state = alertsStateFromRoute({ org: '3', rule: 'org.branch.over_fifty', page: '3' }, current)
    expect(findingQueryOf(state, 20)).toEqual({
      org: 3,
      period: current,
      rule: 'org.branch.over_fifty',
      severity: undefined,
      status: undefined,
      page: 3,
      page_size: 20,
    })
  })
})
