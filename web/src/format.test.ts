import { describe, expect, it } from 'vitest'
import {
  countsToSeries,
  dash,
  formatDateCn,
  importProgress,
  isMasked,
  partyStanding,
  passwordProblem,
  percent,
  queryKind,
  sexTitle,
  statusTagType,
  todayShanghai,
  total,
  transferActions,
  yearsBetween,
} from './format'

describe('format', () => {
  it('shows empty values as a dash', () => {
    expect(dash(null)).toBe('—')
    expect(dash(undefined)).toBe('—')
    expect(dash('  ')).toBe('—')
    expect(dash(0)).toBe('0')
    expect(dash('张三')).toBe('张三')
  })

  it('uses the Shanghai date, not the machine zone', () => {
    // 2024-12-31 17:30 UTC is already 2025-01-01 in Shanghai.
    expect(todayShanghai(new Date(Date.UTC(2024, 11, 31, 17, 30)))).toBe('2025-01-01')
    expect(todayShanghai(new Date(Date.UTC(2024, 11, 31, 15, 59)))).toBe('2024-12-31')
  })

  it('writes dates the Chinese way', () => {
    expect(formatDateCn('2021-07-01')).toBe('2021年7月1日')
    expect(formatDateCn(null)).toBe('—')
    expect(formatDateCn('not a date')).toBe('—')
  })

  it('counts whole years up to the anniversary', () => {
    expect(yearsBetween('2000-03-15', '2025-03-14')).toBe(24)
    expect(yearsBetween('2000-03-15', '2025-03-15')).toBe(25)
    expect(yearsBetween('2026-01-01', '2025-03-15')).toBeNull()
    expect(yearsBetween(null, '2025-03-15')).toBeNull()
  })

  it('counts 党龄 from 转正日期 and shows none for a probationary member', () => {
    expect(partyStanding('2010-07-01', '2025-06-30')).toBe('14 年')
    expect(partyStanding(null, '2025-06-30')).toBe('—')
  })

  it('names the sexes', () => {
    expect(sexTitle('male')).toBe('男')
    expect(sexTitle('F')).toBe('女')
    expect(sexTitle('女')).toBe('女')
    expect(sexTitle('')).toBe('—')
  })

  it('formats shares as percentages', () => {
    expect(percent(0.635)).toBe('63.5%')
    expect(percent(1)).toBe('100%')
    expect(percent(0)).toBe('0%')
    expect(percent(72.5)).toBe('72.5%')
    expect(percent(null)).toBe('—')
  })

  it('recognises what the user searches by', () => {
    expect(queryKind('')).toBe('empty')
    expect(queryKind('11010519491231002X')).toBe('id_number')
    expect(queryKind('110105491231002')).toBe('id_number')
    expect(queryKind('13800138000')).toBe('phone')
    expect(queryKind('zs')).toBe('initials')
    expect(queryKind('张三')).toBe('name')
  })

  it('recognises masked values', () => {
    expect(isMasked('110105********002X')).toBe(true)
    expect(isMasked('138****8000')).toBe(true)
    expect(isMasked('13800138000')).toBe(false)
    expect(isMasked(null)).toBe(false)
  })

  it('orders age bands naturally and other counts by size', () => {
    expect(countsToSeries({ '≥61': 5, '≤30': 3, '31–35': 4, '56–60': 1 }).map((d) => d.name)).toEqual(['≤30', '31–35', '56–60', '≥61'])
    expect(countsToSeries({ '56-60': 1, '31-35': 4 }).map((d) => d.name)).toEqual(['31-35', '56-60'])
    expect(countsToSeries({ '50年以上': 1, '预备期': 9, '11–20年': 3, '5年以下': 4 }).map((d) => d.name)).toEqual([
      '预备期',
      '5年以下',
      '11–20年',
      '50年以上',
    ])
    expect(countsToSeries({ b: 1, a: 2, c: 3 }, {}, ['a', 'b', 'c']).map((d) => d.name)).toEqual(['a', 'b', 'c'])
    expect(countsToSeries({ male: 3, female: 7 }, { male: '男', female: '女' })).toEqual([
      { name: '女', value: 7 },
      { name: '男', value: 3 },
    ])
    expect(countsToSeries(undefined)).toEqual([])
    expect(total({ a: 2, b: 3 })).toBe(5)
    expect(total(null)).toBe(0)
  })

  it('computes the import progress', () => {
    expect(importProgress(null)).toBe(0)
    expect(importProgress({ status: 'running', total_rows: 0, processed_rows: 0 })).toBe(0)
    expect(importProgress({ status: 'running', total_rows: 200, processed_rows: 50 })).toBe(25)
    expect(importProgress({ status: 'running', total_rows: 3, processed_rows: 5 })).toBe(100)
    expect(importProgress({ status: 'failed', total_rows: 10, processed_rows: 4 })).toBe(100)
  })

  it('offers the next steps of a transfer', () => {
    expect(transferActions({ status: 'requested', direction: 'internal' })).toEqual(['approve', 'reject', 'cancel'])
    expect(transferActions({ status: 'approved', direction: 'internal' })).toEqual(['receive', 'reject'])
    expect(transferActions({ status: 'approved', direction: 'outgoing' })).toEqual([])
    expect(transferActions({ status: 'received', direction: 'internal' })).toEqual([])
    expect(transferActions({ status: 'rejected', direction: 'internal' })).toEqual([])
  })

  it('checks the password policy of spec 02', () => {
    expect(passwordProblem('Ab1!')).toBe('密码至少 8 位')
    expect(passwordProblem('abcdefgh1')).toContain('三类')
    expect(passwordProblem('Abcdefgh1')).toBeNull()
    expect(passwordProblem('abcdefg1!')).toBeNull()
  })

  it('colours statuses', () => {
    expect(statusTagType('active')).toBe('success')
    expect(statusTagType('requested')).toBe('warning')
    expect(statusTagType('dissolved')).toBe('danger')
    expect(statusTagType('whatever')).toBe('info')
  })
})
