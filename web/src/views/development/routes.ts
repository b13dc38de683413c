// The 发展党员 pages (spec 06, docs/api-development.md): each asks for development.read, which the
// server checks again on every call; the forms are offered to those with development.write.

import type { RouteRecordRaw } from 'vue-router'

const DEVELOPMENT = { permission: 'development.read' }

/** Pages inside the layout. */
export const developmentRoutes: RouteRecordRaw[] = [
  { path: 'development', redirect: '/development/pipeline' },
  { path: 'development/pipeline', component: () => import('./PipelineView.vue'), meta: { title: '发展党员工作进度', ...DEVELOPMENT } },
  { path: 'development/cases', component: () => import('./CaseListView.vue'), meta: { title: '发展对象名册', ...DEVELOPMENT } },
  { path: 'development/cases/:id(\\d+)', component: () => import('./CaseView.vue'), props: true, meta: { title: '发展党员档案', ...DEVELOPMENT } },
]
