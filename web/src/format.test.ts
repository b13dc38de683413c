import { describe, expect, it } from 'vitest'
import {
  addMonths,
  countsToSeries,
  durationSince,
  formatDateTime,
  hasPrintableLetter,
  settingBounds,
  transferActionTitle,
  transferParties,
  transferWaitingFor,
  withUnit,
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

  it('offers every step of a transfer to someone on both sides', () => {
    expect(transferActions({ status: 'requested', direction: 'internal' })).toEqual(['approve', 'reject', 'cancel'])
    expect(transferActions({ status: 'approved', direction: 'internal' })).toEqual(['receive', 'reject', 'cancel'])
    expect(transferActions({ status: 'requested', direction: 'outgoing' })).toEqual(['approve', 'reject', 'cancel'])
    expect(transferActions({ status: 'approved', direction: 'outgoing' })).toEqual(['receive', 'cancel'])
    for (const status of ['received', 'rejected', 'cancelled'] as const) {
      expect(transferActions({ status, direction: 'internal' })).toEqual([])
      expect(transferActions({ status, direction: 'outgoing' })).toEqual([])
    }
    // An incoming registration is received at once and has no steps.
    expect(transferActions({ status: 'received', direction: 'incoming' })).toEqual([])
    expect(transferActions({ status: 'requested', direction: 'incoming' })).toEqual([])
  })

  it('offers a transfer step only to the side that may take it', () => {
    const branchSecretaryOfSender = { sender: true, receiver: false, approver: false }
    const committeeOfSender = { sender: true, receiver: false, approver: true }
    const receiver = { sender: false, receiver: true, approver: false }
    // requested: the sending 基层党委 approves or rejects; the sender (also its 支部书记) cancels.
    expect(transferActions({ status: 'requested', direction: 'internal' }, branchSecretaryOfSender)).toEqual(['cancel'])
    expect(transferActions({ status: 'requested', direction: 'internal' }, committeeOfSender)).toEqual(['approve', 'reject', 'cancel'])
    expect(transferActions({ status: 'requested', direction: 'internal' }, receiver)).toEqual([])
    // approved internal: the receiver receives or rejects; the sender may still cancel.
    expect(transferActions({ status: 'approved', direction: 'internal' }, receiver)).toEqual(['receive', 'reject'])
    expect(transferActions({ status: 'approved', direction: 'internal' }, committeeOfSender)).toEqual(['cancel'])
    // approved outgoing: the sending 基层党委 records the 回执; its 支部书记 may only cancel.
    expect(transferActions({ status: 'approved', direction: 'outgoing' }, committeeOfSender)).toEqual(['receive', 'cancel'])
    expect(transferActions({ status: 'approved', direction: 'outgoing' }, branchSecretaryOfSender)).toEqual(['cancel'])
    expect(transferActions({ status: 'approved', direction: 'outgoing' }, receiver)).toEqual([])
  })

  it('titles transfer steps by direction', () => {
    expect(transferActionTitle('receive', 'internal')).toBe('接收')
    expect(transferActionTitle('receive', 'outgoing')).toBe('登记回执')
    expect(transferActionTitle('approve', 'outgoing')).toBe('审批')
    expect(transferActionTitle('reject')).toBe('退回')
    expect(transferActionTitle('cancel', 'internal')).toBe('撤回')
    expect(transferWaitingFor({ status: 'requested', direction: 'internal' })).toBe('待转出方党委审批')
    expect(transferWaitingFor({ status: 'approved', direction: 'internal' })).toBe('待接收方办理接收')
    expect(transferWaitingFor({ status: 'approved', direction: 'outgoing' })).toBe('待转出方党委登记回执')
    expect(transferWaitingFor({ status: 'received', direction: 'internal' })).toBe('')
  })

  it('links the letter only once it exists, never for an incoming record', () => {
    expect(hasPrintableLetter({ direction: 'internal', letter_number: null })).toBe(false)
    expect(hasPrintableLetter({ direction: 'internal', letter_number: '组转〔2026〕0001号' })).toBe(true)
    expect(hasPrintableLetter({ direction: 'outgoing', letter_number: '组转〔2026〕0002号' })).toBe(true)
    expect(hasPrintableLetter({ direction: 'incoming', letter_number: '渝组转〔2026〕12号' })).toBe(false)
  })

  it('names the parties of a transfer, outside organisations included', () => {
    expect(transferParties({ direction: 'internal', from_org_name: '一支部', to_org_name: '二支部', external_org: null })).toEqual({ from: '一支部', to: '二支部' })
    expect(transferParties({ direction: 'outgoing', from_org_name: '一支部', to_org_name: null, external_org: '外县党委' })).toEqual({ from: '一支部', to: '外县党委' })
    expect(transferParties({ direction: 'incoming', from_org_name: null, to_org_name: '二支部', external_org: '外县党委' })).toEqual({ from: '外县党委', to: '二支部' })
    expect(transferParties({ direction: 'internal', from_org_name: null, to_org_name: null, external_org: null })).toEqual({ from: '—', to: '—' })
  })

  it('counts months away and adds months like the server', () => {
    expect(addMonths('2025-08-31', 6)).toBe('2026-02-28')
    expect(addMonths('2024-08-31', 6)).toBe('2025-02-28')
    expect(addMonths('2023-08-31', 6)).toBe('2024-02-29')
    expect(addMonths('2025-12-15', 1)).toBe('2026-01-15')
    expect(addMonths('bad', 1)).toBeNull()
    expect(durationSince('2026-01-10', '2026-01-30')).toBe('不足1个月')
    expect(durationSince('2026-01-10', '2026-02-10')).toBe('1个月')
    expect(durationSince('2025-01-10', '2026-03-09')).toBe('1年1个月')
    expect(durationSince('2024-03-01', '2026-03-01')).toBe('2年')
    expect(durationSince(null, '2026-03-01')).toBe('—')
  })

  it('formats settings and timestamps', () => {
    expect(settingBounds({ min: 7, max: 183, unit: '天' })).toBe('7–183 天')
    expect(settingBounds({ min: 1, max: 5, unit: '' })).toBe('1–5')
    expect(withUnit(90, '天')).toBe('90 天')
    expect(withUnit(0, '')).toBe('0')
    expect(withUnit(null, '天')).toBe('—')
    expect(formatDateTime('2026-03-01T09:30:12+08:00')).toBe('2026-03-01 09:30')
    expect(formatDateTime('2026-03-01 09:30:12')).toBe('2026-03-01 09:30')
    expect(formatDateTime(null)).toBe('—')
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
