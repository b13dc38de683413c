import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import { ElMessage } from 'element-plus'
import { mayEnter, refusalMessage } from './access'
import { loadMe, pendingSetupRoute, session } from './session'
import { developmentRoutes } from './views/development/routes'
import { duesPrintRoutes, duesRoutes } from './views/dues/routes'

const routes: RouteRecordRaw[] = [
  { path: '/login', component: () => import('./views/LoginView.vue'), meta: { public: true, title: '登录' } },
  { path: '/password', component: () => import('./views/ChangePasswordView.vue'), meta: { setup: true, title: '修改密码' } },
  { path: '/m/checkin', component: () => import('./views/MobileCheckinView.vue'), meta: { title: '会议签到' } },
  { path: '/totp', component: () => import('./views/TotpView.vue'), meta: { setup: true, title: '绑定身份验证器' } },
  {
    path: '/',
    component: () => import('./views/AppLayout.vue'),
    children: [
      { path: '', component: () => import('./views/HomeView.vue'), meta: { title: '工作台' } },
      { path: 'orgs/:id(\\d+)', component: () => import('./views/OrgView.vue'), props: true, meta: { title: '组织' } },
      { path: 'orgs', redirect: () => (session.org ? `/orgs/${session.org.id}` : '/') },
      { path: 'members', component: () => import('./views/MemberListView.vue'), meta: { title: '党员' } },
      { path: 'members/:id(\\d+)', component: () => import('./views/MemberView.vue'), props: true, meta: { title: '党员信息' } },
      { path: 'transfers', component: () => import('./views/TransfersView.vue'), meta: { title: '组织关系转接' } },
      { path: 'orglife', redirect: '/orglife/calendar' },
      { path: 'orglife/calendar', component: () => import('./views/OrgLifeCalendarView.vue'), meta: { title: '组织生活日历', permission: 'orglife.read' } },
      { path: 'orglife/records', component: () => import('./views/MeetingListView.vue'), meta: { title: '组织生活记录', permission: 'orglife.read' } },
      { path: 'orglife/records/new', component: () => import('./views/MeetingEditView.vue'), meta: { title: '新建组织生活记录', permission: 'orglife.write' } },
      { path: 'orglife/records/:id(\\d+)', component: () => import('./views/MeetingView.vue'), props: true, meta: { title: '组织生活记录', permission: 'orglife.read' } },
      { path: 'orglife/records/:id(\\d+)/edit', component: () => import('./views/MeetingEditView.vue'), props: true, meta: { title: '编辑组织生活记录', permission: 'orglife.write' } },
      { path: 'orglife/review', component: () => import('./views/ReviewView.vue'), meta: { title: '审核', permission: 'orglife.review' } },
      { path: 'orglife/board', component: () => import('./views/DutyBoardView.vue'), meta: { title: '合规看板', permission: 'orglife.read' } },
      { path: 'alerts', component: () => import('./views/AlertsView.vue'), meta: { title: '预警', permission: 'compliance.read' } },
      { path: 'imports', component: () => import('./views/ImportView.vue'), meta: { title: '导入' } },
      { path: 'stats', component: () => import('./views/StatsView.vue'), meta: { title: '统计' } },
      { path: 'audit', component: () => import('./views/AuditView.vue'), meta: { title: '审计日志', permission: 'audit.read' } },
      { path: 'settings', component: () => import('./views/SettingsView.vue'), meta: { title: '本地设置' } },
      ...duesRoutes,
      ...developmentRoutes,
    ],
  },
  ...duesPrintRoutes,
  { path: '/:rest(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHashHistory(), routes })

router.beforeEach(async (to, from) => {
  if (!session.loaded) await loadMe()
  if (to.meta.public) return true
  const pending = pendingSetupRoute(session.me)
  if (pending === '/login') return { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  if (pending && pending !== to.path) return to.fullPath !== '/' && !to.meta.setup ? { path: pending, query: { next: to.fullPath } } : pending
  if (!pending && to.meta.setup && to.path === '/totp') return '/'
  if (!mayEnter(to.meta, session.me)) {
    // The server would refuse every call of the page (403, audited); say so instead.
    ElMessage({ type: 'warning', message: refusalMessage(to.meta), grouping: true, showClose: true })
    return from.matched.length > 0 && from.path !== to.path ? false : '/'
  }
  return true
})

router.afterEach((to) => {
  const title = typeof to.meta.title === 'string' ? to.meta.title : ''
  document.title = title ? `${title} · 支部` : '支部 · 基层党建综合管理平台'
})
