import { afterEach, describe, expect, it } from 'vitest'
import {
  actionTitle,
  auditApi,
  auditQuery,
  changedFields,
  detailSections,
  emptyFilters,
  filtersFromRoute,
  formatAuditTime,
  prettyJson,
  resultTagType,
  resultTitle,
  routeQuery,
  targetTitle,
  verifySummary,
} from './audit'
import { configureApi } from './api'

describe('audit filters', () => {
  it('sends only the filters that are set, trimmed', () => {
    expect(auditQuery(emptyFilters())).toEqual({ page: 1, size: 50 })
    const filters = {
      ...emptyFilters(),
      from: '2026-03-01T00:00:00',
      to: '2026-03-31T23:59:59',
      actor: '  zuzhibu ',
      action: 'member.',
      target: 'member:42',
      result: 'denied',
    }
    expect(auditQuery(filters, 3, 20)).toEqual({
      page: 3,
      size: 20,
      from: '2026-03-01T00:00:00',
      to: '2026-03-31T23:59:59',
      actor: 'zuzhibu',
      action: 'member.',
      target: 'member:42',
      result: 'denied',
    })
  })

  it('keeps the address short and reads it back', () => {
    const filters = { ...emptyFilters(), actor: 'shuji', result: 'denied' }
    expect(routeQuery(filters, 1, 50)).toEqual({ actor: 'shuji', result: 'denied' })
    expect(routeQuery(filters, 2, 100)).toEqual({ actor: 'shuji', result: 'denied', page: '2', size: '100' })
    expect(filtersFromRoute({ actor: 'shuji', result: 'denied', page: '2', size: '100' })).toEqual({
      filters,
      page: 2,
      size: 100,
    })
  })

  it('ignores a malformed address', () => {
    const read = filtersFromRoute({ result: 'maybe', page: '-3', size: '7', actor: ['a', 'b'], target: 5 })
    expect(read.filters).toEqual({ ...emptyFilters(), actor: 'a' })
    expect(read.page).toBe(1)
    expect(read.size).toBe(50)
  })
})

describe('audit display', () => {
  it('shows the stored Beijing time without the zone', () => {
    expect(formatAuditTime('2026-03-01T08:30:05+08:00')).toBe('2026-03-01 08:30:05')
    expect(formatAuditTime('')).toBe('—')
    expect(formatAuditTime('garbled')).toBe('garbled')
  })

  it('titles actions, refusals, results and objects', () => {
    expect(actionTitle('auth.login')).toBe('登录')
    expect(actionTitle('member.unmask')).toBe('查看完整身份证号和手机号')
    expect(actionTitle('grant.change')).toBe('变更授权')
    expect(actionTitle('transfer.approve')).toBe('审批转接（开具介绍信）')
    expect(actionTitle('exchange.something_new')).toBe('exchange.something_new')
    expect(resultTitle('denied')).toBe('拒绝')
    expect(resultTagType('denied')).toBe('danger')
    expect(resultTagType('failure')).toBe('warning')
    expect(resultTagType('other')).toBe('info')
    expect(targetTitle('member:42')).toBe('党员 42')
    expect(targetTitle('/api/v1/members/42')).toBe('/api/v1/members/42')
    expect(targetTitle('')).toBe('—')
  })

  it('splits a detail into before, after and the rest', () => {
    expect(detailSections({ before: { a: 1 }, after: { a: 2 }, reason: '核对' })).toEqual({
      before: { a: 1 },
      after: { a: 2 },
      rest: { reason: '核对' },
    })
    expect(detailSections({ after: { name: '张三' } })).toEqual({ after: { name: '张三' }, rest: null })
    expect(detailSections({})).toEqual({ rest: null })
    expect(detailSections(null)).toEqual({ rest: null })
    expect(detailSections('text')).toEqual({ rest: { 内容: 'text' } })
  })

  it('lists the fields that changed', () => {
    const before = { name: '中共某村支部委员会', units: [{ name: '某村' }], address: '' }
    const after = { name: '中共某村第一支部委员会', units: [{ name: '某村' }], domain: 'rural' }
    expect(changedFields(before, after)).toEqual([
      { field: 'name', before: '中共某村支部委员会', after: '中共某村第一支部委员会' },
      { field: 'address', before: '', after: '—' },
      { field: 'domain', before: '—', after: 'rural' },
    ])
    expect(changedFields(undefined, { status: 'full' })).toEqual([{ field: 'status', before: '—', after: 'full' }])
    expect(changedFields([1], [2])).toEqual([])
  })

  it('prints JSON for reading', () => {
    expect(prettyJson({ a: '张三' })).toBe('{\n  "a": "张三"\n}')
    expect(prettyJson(undefined)).toBe('')
  })

  it('summarises a verification', () => {
    expect(verifySummary({ events: 120, intact: true })).toMatchObject({ type: 'success', title: '审计哈希链完整' })
    expect(verifySummary({ events: 120, intact: true }).description).toContain('120 条')
    const broken = verifySummary({ events: 1, intact: false, first_broken_seq: 2, problem: '第 2 条记录的内容与其哈希不符（被修改）' })
    expect(broken.type).toBe('error')
    expect(broken.title).toBe('审计哈希链在第 2 条记录处断裂')
    expect(broken.description).toContain('被修改')
  })
})

describe('audit calls', () => {
  afterEach(() => configureApi({ fetch: (...args) => globalThis.fetch(...args) }))

  it('asks the server with the filters in the query string', async () => {
    const seen: string[] = []
    configureApi({
      fetch: async (input) => {
        seen.push(String(input))
        return new Response(JSON.stringify({ items: [], total: 0, page: 1, size: 50 }), { status: 200 })
      },
    })
    await auditApi.list(auditQuery({ ...emptyFilters(), actor: '张 三', action: 'auth.' }))
    expect(seen).toEqual(['api/v1/audit?page=1&size=50&actor=%E5%BC%A0+%E4%B8%89&action=auth.'])
  })
})
