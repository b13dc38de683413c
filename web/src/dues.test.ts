import { describe, expect, it } from 'vitest'
import { ApiError, errorFromResponse } from './api'
import {
  MONTHS_ALIASES,
  addMonth,
  addTotals,
  choosableMonths,
  collectionRate,
  compareYuan,
  currentMonth,
  extraGoesToCentre,
  fenOf,
  fenToChineseCapitals,
  latenessOf,
  methodTitle,
  monthSpans,
  monthTitle,
  monthsBetween,
  monthsOfYear,
  payable,
  paymentState,
  paymentTotal,
  ratePercent,
  receiptsOf,
  reductionMark,
  sumYuan,
  totalsByChild,
  withRule,
  yuan,
  yuanInputProblem,
  yuanOf,
  type PaymentRowLike,
} from './dues'
import { formItemOf } from './formErrors'

describe('大写金额 (fen → Chinese capitals)', () => {
  const cases: [bigint, string][] = [
    [20n, '贰角'],
    [7500n, '柒拾伍元整'],
    [100005n, '壹仟元零伍分'],
    [1001000n, '壹万零壹拾元整'],
    [0n, '零元整'],
    [5n, '伍分'],
    [25n, '贰角伍分'],
    [105n, '壹元零伍分'],
    [1000n, '壹拾元整'],
    [100050n, '壹仟元伍角'],
    [101055n, '壹仟零壹拾元伍角伍分'],
    [10500000n, '壹拾万伍仟元整'],
    [10050000n, '壹拾万零伍佰元整'],
    [100050000n, '壹佰万零伍佰元整'],
    [105000000n, '壹佰零伍万元整'],
    [1001000000n, '壹仟零壹万元整'],
    [10000000000n, '壹亿元整'],
    [10001000000n, '壹亿零壹万元整'],
    [10000000100n, '壹亿零壹元整'],
    [11000000n, '壹拾壹万元整'],
    [500001n, '伍仟元零壹分'],
    [999999999999n, '玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
  ]
  it.each(cases)('%s fen → %s', (fen, text) => {
    expect(fenToChineseCapitals(fen)).toBe(text)
  })
  it('takes the server’s decimal text through fenOf, never a float', () => {
    expect(fenToChineseCapitals(fenOf('0.20')!)).toBe('贰角')
    expect(fenToChineseCapitals(fenOf('1000.05')!)).toBe('壹仟元零伍分')
    expect(fenToChineseCapitals(fenOf('10010.00')!)).toBe('壹万零壹拾元整')
    expect(fenToChineseCapitals(-7500n)).toBe('负柒拾伍元整')
  })
})

describe('money in fen', () => {
  it('reads the server’s decimal text exactly', () => {
    expect(fenOf('5000.01')).toBe(500001n)
    expect(fenOf('0.20')).toBe(20n)
    expect(fenOf('0.2')).toBe(20n)
    expect(fenOf('75')).toBe(7500n)
    expect(fenOf('-0.05')).toBe(-5n)
    expect(fenOf('-0.00')).toBe(0n)
    // Far beyond what a double holds exactly.
    expect(fenOf('90071992547409.93')).toBe(9007199254740993n)
  })

  it('refuses what is not such text', () => {
    for (const bad of ['', ' 5000', '5000 ', '5e3', '1,000', '.5', '5.', '5.001', '５０００', '+5', 'abc', null, undefined]) {
      expect(fenOf(bad as string)).toBeNull()
    }
  })

  it('prints fen back as two-decimal text', () => {
    expect(yuanOf(500001n)).toBe('5000.01')
    expect(yuanOf(20n)).toBe('0.20')
    expect(yuanOf(0n)).toBe('0.00')
    expect(yuanOf(-5n)).toBe('-0.05')
    expect(yuanOf(9007199254740993n)).toBe('90071992547409.93')
  })

  it('adds without binary floating point (0.10 + 0.20 is 0.30)', () => {
    expect(sumYuan(['0.10', '0.20'])).toBe('0.30')
    expect(sumYuan(['75.00', '75.00', '75.00'])).toBe('225.00')
    expect(sumYuan(['0.01', null, undefined, '', '1000.00'])).toBe('1000.01')
    expect(sumYuan([])).toBe('0.00')
    // 0.1 + 0.2 a million times: exact.
    expect(sumYuan(Array.from({ length: 100_000 }, () => '0.10'))).toBe('10000.00')
  })

  it('compares amounts', () => {
    expect(compareYuan('999.99', '1000.00')).toBe(-1)
    expect(compareYuan('1000', '1000.00')).toBe(0)
    expect(compareYuan('1000.01', '1000.00')).toBe(1)
    expect(compareYuan('x', '1')).toBeNull()
  })

  it('shows the server’s digits with thousands separators only', () => {
    expect(yuan('62406.00')).toBe('62,406.00')
    expect(yuan('1234567.89')).toBe('1,234,567.89')
    expect(yuan('75.00')).toBe('75.00')
    expect(yuan('-1000.50')).toBe('-1,000.50')
    expect(yuan(null)).toBe('—')
    expect(yuan('')).toBe('—')
  })

  it('checks a typed amount like the server (money.*)', () => {
    expect(yuanInputProblem('5000.01')).toBeNull()
    expect(yuanInputProblem('5000')).toBeNull()
    expect(yuanInputProblem('100000000.00')).toBeNull()
    expect(yuanInputProblem('100000000.01')).toMatch('过大')
    expect(yuanInputProblem('-1')).toMatch('负数')
    expect(yuanInputProblem('5000.001')).toMatch('两位小数')
    for (const bad of ['5e3', '1,000', ' 5000', '.5', '５０００']) expect(yuanInputProblem(bad)).toMatch('数字')
    expect(yuanInputProblem('')).toMatch('请填写')
  })

  it('turns a rate into percent by moving the decimal point', () => {
    expect(ratePercent('0.015')).toBe('1.5%')
    expect(ratePercent('0.005')).toBe('0.5%')
    expect(ratePercent('0.01')).toBe('1%')
    expect(ratePercent('0.02')).toBe('2%')
    expect(ratePercent('0.10')).toBe('10%')
    expect(ratePercent('1')).toBe('100%')
    expect(ratePercent(null)).toBe('—')
  })

  it('computes the collection rate to a tenth of a percent, rounding half up', () => {
    expect(collectionRate('75.00', '150.00')).toBe('50.0%')
    expect(collectionRate('1.00', '3.00')).toBe('33.3%')
    expect(collectionRate('2.00', '3.00')).toBe('66.7%')
    expect(collectionRate('150.00', '150.00')).toBe('100.0%')
    expect(collectionRate('0.00', '0.00')).toBe('—')
  })

  it('previews a payment’s total: each month’s amount or what it owes, plus the extra', () => {
    expect(paymentTotal(['75.00', '75.00', '75.00'], '', '')).toBe('225.00')
    expect(paymentTotal(['75.00', '30.00'], '', '1000.00')).toBe('1105.00')
    expect(paymentTotal(['75.00', '75.00'], '50.00', '')).toBe('100.00')
    expect(paymentTotal(['0.20'], '', '0.10')).toBe('0.30')
    expect(paymentTotal(['75.00'], '5e3', '')).toBeNull()
    expect(paymentTotal(['75.00'], '', '1,000')).toBeNull()
  })

  it('marks an extra of 1000.00 or more for the Centre (第十一条)', () => {
    expect(extraGoesToCentre('999.99')).toBe(false)
    expect(extraGoesToCentre('1000')).toBe(true)
    expect(extraGoesToCentre('1000.00')).toBe(true)
    expect(extraGoesToCentre('')).toBe(false)
  })

  it('keeps floating point off the money path of the dues pages', () => {
    // Like the server's DuesQuoteTest.NoFloatingPointOnTheMoneyPath: no parseFloat, toFixed,
    // rounding or Number() of an amount in the dues helpers, client and pages.
    const sources = import.meta.glob(['./dues.ts', './duesApi.ts', './views/dues/*', './components/dues/*'], {
      query: '?raw',
      import: 'default',
      eager: true,
    }) as Record<string, string>
    expect(Object.keys(sources).length).toBeGreaterThanOrEqual(12)
    for (const [file, text] of Object.entries(sources)) {
      expect(text, file).not.toMatch(/parseFloat|toFixed|Math\.round|toLocaleString/)
      expect(text, file).not.toMatch(/Number\((?:[\w.?]*\.)?(?:amount|base|due|paid|owed|extra|total|share|collected|remit_total|regular)\b/)
      expect(text, file).not.toMatch(/type="number"|el-input-number/)
    }
  })
})

describe('months', () => {
  it('counts and moves months', () => {
    expect(addMonth('2026-11', 1)).toBe('2026-12')
    expect(addMonth('2026-12', 1)).toBe('2027-01')
    expect(addMonth('2026-01', -1)).toBe('2025-12')
    expect(addMonth('2026-11', -7)).toBe('2026-04')
    expect(monthsBetween('2026-04', '2026-11')).toBe(7)
    expect(monthsBetween('2025-12', '2026-01')).toBe(1)
    expect(monthsBetween('2026-12', '2026-11')).toBe(-1)
  })

  it('knows the month in Shanghai', () => {
    // 2026-11-30 16:30 UTC is already 1 December in Shanghai.
    expect(currentMonth(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12')
    expect(currentMonth(new Date('2026-11-30T15:30:00Z'))).toBe('2026-11')
  })

  it('names months and lists a year up to a month', () => {
    expect(monthTitle('2026-03')).toBe('2026年3月')
    expect(monthTitle(null)).toBe('—')
    expect(monthsOfYear(2026, '2026-03')).toEqual(['2026-01', '2026-02', '2026-03'])
    expect(monthsOfYear(2025, '2026-03')).toHaveLength(12)
    expect(monthsOfYear(2027, '2026-03')).toEqual([])
  })

  it('offers the months of a payment latest first', () => {
    expect(choosableMonths('2026-02', 3)).toEqual(['2026-02', '2026-01', '2025-12', '2025-11'])
    expect(choosableMonths('2026-02', 1, 2)).toEqual(['2026-04', '2026-03', '2026-02', '2026-01'])
  })

  it('writes months as runs', () => {
    expect(monthSpans(['2026-05', '2026-03', '2026-04', '2026-07'])).toBe('2026年3—5月、7月')
    expect(monthSpans(['2025-11', '2025-12', '2026-01'])).toBe('2025年11—12月，2026年1月')
    expect(monthSpans(['2026-08'])).toBe('2026年8月')
    expect(monthSpans([])).toBe('—')
  })

  it('says how late a payment is (第十二条: 补交 up to six months)', () => {
    expect(latenessOf('2026-11', '2026-11')).toBe('')
    expect(latenessOf('2026-05', '2026-11')).toBe('补交 6 个月前')
    expect(latenessOf('2026-04', '2026-11')).toBe('补交 7 个月前（超过6个月）')
    expect(latenessOf('2026-12', '2026-11')).toBe('预交')
  })
})

describe('server errors on the payment form', () => {
  it('puts months[i] on the 月份 item', async () => {
    const response = new Response(
      JSON.stringify({
        error: { code: 'dues.back_payment_too_old', message: 'months[0]：补交时间一般不得超过 6 个月', field: 'months[0]', rule: '中组发〔2008〕3号 第十二条' },
      }),
      { status: 422 },
    )
    const error = await errorFromResponse(response)
    expect(error.rule).toBe('中组发〔2008〕3号 第十二条')
    expect(formItemOf(error, ['months', 'amount'], MONTHS_ALIASES)).toBe('months')
    expect(formItemOf(new ApiError(422, 'x', 'y', 'months[2]'), ['months'], MONTHS_ALIASES)).toBe('months')
    expect(formItemOf(new ApiError(422, 'x', 'y', 'amount'), ['months', 'amount'], MONTHS_ALIASES)).toBe('amount')
  })

  it('adds the article to a message once', () => {
    expect(withRule('months[0]：补交时间一般不得超过 6 个月', '中组发〔2008〕3号 第十二条')).toBe(
      'months[0]：补交时间一般不得超过 6 个月（依据：中组发〔2008〕3号 第十二条）',
    )
    expect(withRule('见 第七条', '第七条')).toBe('见 第七条')
    expect(withRule('message', undefined)).toBe('message')
  })
})

describe('the ledger', () => {
  const line = (due: string | null, paid: string, owed: string, extra: Partial<{ reduced: boolean; paid_below: boolean }> = {}) => ({
    due,
    paid,
    owed,
    reduced: false,
    paid_below: false,
    ...extra,
  })

  it('tells each member’s state for the month', () => {
    expect(paymentState(line(null, '0.00', '0.00')).label).toBe('未核定基数')
    expect(paymentState(line('75.00', '75.00', '0.00')).label).toBe('已交清')
    expect(paymentState(line('75.00', '0.00', '75.00')).label).toBe('未交')
    expect(paymentState(line('75.00', '30.00', '45.00', { paid_below: true })).label).toBe('少交')
    expect(paymentState(line('0.00', '0.00', '0.00', { reduced: true })).label).toBe('无需交纳')
  })

  it('marks approved reductions (第七条)', () => {
    expect(reductionMark(line('0.00', '0.00', '0.00', { reduced: true }))).toBe('免交')
    expect(reductionMark(line('10.00', '0.00', '10.00', { reduced: true }))).toBe('少交（批准）')
    expect(reductionMark(line('75.00', '0.00', '75.00'))).toBe('')
  })

  it('offers payment only where something is owed', () => {
    expect(payable(line('75.00', '0.00', '75.00'))).toBe(true)
    expect(payable(line('75.00', '75.00', '0.00'))).toBe(false)
    expect(payable(line(null, '0.00', '0.00'))).toBe(false)
  })

  it('titles payment methods', () => {
    expect(methodTitle('cash')).toBe('现金')
    expect(methodTitle('online')).toBe('线上')
    expect(methodTitle('other')).toBe('other')
  })
})

describe('receipts', () => {
  const row = (receipt_no: string, month: string, kind: string, amount: string, extra: Partial<PaymentRowLike> = {}): PaymentRowLike => ({
    receipt_no,
    month,
    kind,
    amount,
    late: false,
    method: 'cash',
    reference: '',
    payer_name: '',
    paid_on: '2026-11-24',
    for_centre: false,
    cancelled: false,
    ...extra,
  })

  it('gathers a payment’s rows into one receipt with its total in fen', () => {
    const receipts = receiptsOf([
      row('DF2026-000001', '2026-10', 'regular', '75.00', { late: true }),
      row('DF2026-000001', '2026-09', 'regular', '75.00', { late: true }),
      row('DF2026-000001', '2026-11', 'regular', '75.00'),
      row('DF2026-000001', '2026-11', 'extra', '1000.00', { for_centre: true }),
      row('DF2026-000005', '2026-08', 'regular', '0.10', { cancelled: true, cancelled_reason: '重复登记' }),
    ])
    expect(receipts).toHaveLength(2)
    expect(receipts[0]).toMatchObject({
      receipt_no: 'DF2026-000001',
      total: '1225.00',
      extra: '1000.00',
      extra_for_centre: true,
      cancelled: false,
    })
    expect(receipts[0].months.map((m) => m.month)).toEqual(['2026-09', '2026-10', '2026-11'])
    expect(receipts[1]).toMatchObject({ receipt_no: 'DF2026-000005', total: '0.10', extra: '0.00', cancelled: true, cancelled_reason: '重复登记' })
  })
})

describe('totals', () => {
  const t = (org_id: number, path: string, name: string, due: string, paid: string, extra = '0.00') => ({
    org_id,
    path,
    name,
    members: 10,
    without_base: 1,
    due,
    paid,
    owed: yuanOf((fenOf(due) ?? 0n) - (fenOf(paid) ?? 0n)),
    extra,
  })

  it('adds totals in fen', () => {
    expect(addTotals([t(1, '/1/', 'a', '0.10', '0.10'), t(2, '/2/', 'b', '0.20', '0.10', '1000.00')])).toEqual({
      members: 20,
      without_base: 2,
      due: '0.30',
      paid: '0.20',
      owed: '0.10',
      extra: '1000.00',
    })
  })

  it('groups a subtree’s branches by the children of the organisation looked at', () => {
    const org = { id: 1, name: '区委组织部', path: '/1/' }
    const children = [
      { id: 10, name: '白鹤镇党委' },
      { id: 11, name: '桂花街道党工委' },
      { id: 12, name: '没有党员的党委' },
      { id: 40, name: '机关党支部' },
    ]
    const rows = totalsByChild(
      org,
      [
        t(31, '/1/10/31/', '白鹤1村支部', '75.00', '75.00'),
        t(32, '/1/10/32/', '白鹤2村支部', '150.00', '0.00', '10.00'),
        t(33, '/1/11/20/33/', '桂花社区支部', '0.20', '0.20'),
        t(40, '/1/40/', '机关党支部', '50.00', '25.00'),
        t(1, '/1/', '区委组织部', '1.00', '1.00'),
        t(99, '/2/99/', '别处', '9.00', '9.00'),
      ],
      children,
    )
    expect(rows.map((r) => [r.org_id, r.name, r.branches, r.leaf, r.own])).toEqual([
      [1, '区委组织部（本级）', 1, true, true],
      [10, '白鹤镇党委', 2, false, false],
      [11, '桂花街道党工委', 1, false, false],
      [40, '机关党支部', 1, true, false],
    ])
    expect(rows[1]).toMatchObject({ members: 20, due: '225.00', paid: '75.00', owed: '150.00', extra: '10.00' })
    // Every row's amounts add up to the whole subtree's.
    expect(addTotals(rows).due).toBe('276.20')
    // A branch on its own: one row, its own name.
    const alone = totalsByChild({ id: 31, name: '白鹤1村支部', path: '/1/10/31/' }, [t(31, '/1/10/31/', '白鹤1村支部', '75.00', '75.00')], [])
    expect(alone.map((r) => [r.org_id, r.name, r.leaf, r.own])).toEqual([[31, '白鹤1村支部', true, true]])
  })
})
