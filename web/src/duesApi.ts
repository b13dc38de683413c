// The 党费 routes (docs/api-dues.md) and their shapes. Every amount is the server's two-decimal
// text and stays text (see dues.ts); bodies send amounts as strings, never as JSON numbers.

import { ApiError, IMPORT_CONTENT_TYPES, buildUrl, request, withoutEmpty, type Query } from './api'
import type { ImportFormat } from './types'
import type { BranchTotalsLike, PaymentRowLike, TotalsLike } from './dues'

export interface DuesCategory {
  id: string
  title: string
  has_base: boolean
}

export interface DuesQuote {
  category: string
  category_title: string
  base: string | null
  rate: string | null
  amount: string
  rule: string
  explanation: string
  minimum?: string
  maximum?: string
}

export interface DuesBase {
  id: number
  category: string
  category_title?: string
  base: string | null
  rate: string | null
  amount: string
  rule: string
  effective_month: string
  source: string
  note: string
  created_at: string
}

export interface DuesReduction {
  id: number
  from_month: string
  to_month: string
  amount: string
  exempt: boolean
  reason: string
  approved_by: string
  approval_ref: string
  approved_on: string
}

export interface DuesMonth {
  month: string
  due: string | null
  reduced: boolean
  paid: string
  owed: string
}

export type DuesPaymentRow = PaymentRowLike

export interface DuesCard {
  member_id: number
  name: string
  status: string
  admitted_on: string
  year: number
  bases: DuesBase[]
  reductions: DuesReduction[]
  months: DuesMonth[]
  owed_before_this_month: string
  payments: DuesPaymentRow[]
}

export interface DuesReceipt {
  receipt_no: string
  member_id: number
  member_name: string
  paid_on: string
  method: string
  reference: string
  payer_name: string
  months: { month: string; amount: string; late: boolean }[]
  extra: string
  extra_for_centre: boolean
  total: string
}

/** A receipt as printed (`GET /api/v1/dues/receipts/{receipt_no}`). */
export interface PrintedReceipt extends DuesReceipt {
  org_id: number
  org_name: string
  total_fen: number
  collector: string
  recorded_at: string
  cancelled: boolean
  cancelled_at?: string
  cancelled_reason?: string
}

/** One bad row of an import (row 1 is the header; 0 the whole file). */
export interface BaseImportError {
  row: number
  column: string
  value: string
  message: string
}

/** The report of a bases import: `errors` empty when every row was imported. */
export interface BaseImportReport {
  format: string
  total_rows: number
  imported: number
  errors: BaseImportError[]
}

export interface LedgerLine extends DuesMonth {
  member_id: number
  name: string
  status: string
  category: string
  base: string | null
  paid_below: boolean
}

export type DuesTotals = TotalsLike

export interface DuesLedger {
  org: { id: number; name: string; path: string }
  month: string
  day: string
  items: LedgerLine[]
  totals: DuesTotals
}

export type BranchTotals = BranchTotalsLike

export interface SubtreeTotals {
  org: { id: number; name: string; path: string }
  month: string
  day: string
  branches: BranchTotals[]
  totals: DuesTotals
}

export interface ArrearsLine {
  member_id: number
  name: string
  org_id: number
  org_name: string
  months_owed: string[]
  owed: string
  unpaid_run: string[]
  six_months: boolean
}

export interface ArrearsPage {
  org: { id: number; name: string }
  from: string
  to: string
  items: ArrearsLine[]
  total: number
}

export interface Remittance {
  org: { id: number; name: string }
  year: number
  collected: string
  regular: string
  extra: string
  extra_for_centre: string
  share_percent: number
  share: string
  remit_total: string
  due_by: string
  rule: string
}

export interface BaseInput {
  category: string
  base?: string
  amount?: string
  effective_month: string
  note?: string
}

export interface ReductionInput {
  from_month: string
  to_month: string
  amount: string
  reason: string
  approved_by: string
  approval_ref: string
  approved_on: string
}

export interface PaymentInput {
  member_id: number
  months: string[]
  amount?: string
  extra?: string
  method: string
  reference?: string
  payer_name?: string
  paid_on: string
}

const get = <T>(path: string, query?: Query, quiet = false) => request<T>('GET', path, { query, quiet })
const post = <T>(path: string, body: unknown, quiet = false) => request<T>('POST', path, { body, quiet })

let categories: Promise<DuesCategory[]> | null = null

export const duesApi = {
  /** The categories of 中组发〔2008〕3号 (fetched once per page load). */
  categories: () => {
    categories ??= get<{ items: DuesCategory[] }>('api/v1/dues/categories').then(
      (r) => r.items,
      (e) => {
        categories = null
        throw e
      },
    )
    return categories
  },
  quote: (category: string, base?: string, amount?: string) =>
    get<DuesQuote>('api/v1/dues/quote', { category, base, amount }, true),
  card: (member: number, year?: number, quiet = false) =>
    get<DuesCard>(`api/v1/members/${member}/dues`, { year }, quiet),
  declareBase: (member: number, input: BaseInput) =>
    post<DuesQuote & { id: number; effective_month: string }>(`api/v1/members/${member}/dues/bases`, withoutEmpty(input), true),
  recordReduction: (member: number, input: ReductionInput) =>
    post<DuesReduction>(`api/v1/members/${member}/dues/reductions`, withoutEmpty(input), true),
  pay: (input: PaymentInput) => post<DuesReceipt>('api/v1/dues/payments', withoutEmpty(input), true),
  cancelReceipt: (receipt: string, reason: string) =>
    post<{ receipt_no: string; cancelled: boolean }>(`api/v1/dues/receipts/${encodeURIComponent(receipt)}/cancel`, { reason: reason.trim() }, true),
  ledger: (org: number, month: string, quiet = false) => get<DuesLedger>('api/v1/dues/ledger', { org, month }, quiet),
  totals: (org: number, month: string) => get<SubtreeTotals>('api/v1/dues/totals', { org, month }),
  arrears: (org: number, page = 1, page_size = 20) => get<ArrearsPage>('api/v1/dues/arrears', { org, page, page_size }),
  remittance: (org: number, year: number, quiet = false) => get<Remittance>('api/v1/dues/remittance', { org, year }, quiet),
  /** The reports as Excel workbooks (downloaded by a link; each export is audited). */
  ledgerExportUrl: (org: number, month: string) => buildUrl('api/v1/dues/ledger/export', { org, month }),
  totalsExportUrl: (org: number, month: string) => buildUrl('api/v1/dues/totals/export', { org, month }),
  arrearsExportUrl: (org: number) => buildUrl('api/v1/dues/arrears/export', { org }),
  receipt: (receipt: string) => get<PrintedReceipt>(`api/v1/dues/receipts/${encodeURIComponent(receipt)}`),
  /** The bases import template (Chinese headers). */
  basesTemplateUrl: (format: 'csv' | 'xlsx') => buildUrl('api/v1/dues/bases/template', { format }),
  /** Imports a file of bases: the report, with `errors` (and nothing imported) when a row is bad.
   *  Other failures (an unreadable file, no permission) are thrown and shown as usual. */
  importBases: async (file: Blob, format: ImportFormat): Promise<BaseImportReport> => {
    try {
      return await request<BaseImportReport>('POST', 'api/v1/dues/bases/import', {
        query: { format },
        body: file,
        contentType: IMPORT_CONTENT_TYPES[format],
        quiet: true,
      })
    } catch (e) {
      const report = e instanceof ApiError ? (e.detail?.report as BaseImportReport | undefined) : undefined
      if (report && Array.isArray(report.errors)) return report
      throw e
    }
  },
}
