// The 党费 pages (spec 05, docs/api-dues.md): each asks for dues.read, which the server checks
// again on every call. The print pages stand outside the layout (no menu, no tree on paper).

import type { RouteRecordRaw } from 'vue-router'

const DUES = { permission: 'dues.read' }

/** Pages inside the layout. */
export const duesRoutes: RouteRecordRaw[] = [
  { path: 'dues', redirect: '/dues/ledger' },
  { path: 'dues/ledger', component: () => import('./DuesLedgerView.vue'), meta: { title: '党费台账', ...DUES } },
  { path: 'dues/members/:id(\\d+)', component: () => import('./DuesMemberView.vue'), props: true, meta: { title: '党费卡', ...DUES } },
  { path: 'dues/arrears', component: () => import('./DuesArrearsView.vue'), meta: { title: '欠交党费', ...DUES } },
  { path: 'dues/lapse', component: () => import('./DuesLapseListView.vue'), meta: { title: '连续六个月不交纳党费的处置', ...DUES } },
  { path: 'dues/lapse/:id(\\d+)', component: () => import('./DuesLapseCaseView.vue'), props: true, meta: { title: '处置案件', ...DUES } },
  { path: 'dues/reports', component: () => import('./DuesReportsView.vue'), meta: { title: '党费汇总与上缴', ...DUES } },
]

/** Printable documents, outside the layout. */
export const duesPrintRoutes: RouteRecordRaw[] = [
  {
    path: '/print/dues/receipt/:receipt',
    component: () => import('./DuesReceiptPrintView.vue'),
    props: true,
    meta: { title: '党费收据', ...DUES },
  },
  {
    path: '/print/dues/:kind(notice|remittance)',
    component: () => import('./DuesPrintView.vue'),
    props: true,
    meta: { title: '打印', ...DUES },
  },
]
