// Navigation model shared by the router, the layout and the pages: the pages of the app with the
// API route each one needs, the pages the current user may open, and the post-login redirect check.
// Kept apart from router.js so components can use it without importing the router.
import { can, session } from './session.js'
import { visitPages } from './nav_visits.js'
import { familyVisitPages } from './nav_family.js'
import { settlePages } from './nav_settle.js'

export const APP_TITLE = '长期护理保险经办管理平台'

// Pages of the layout, in menu order; pages with menu: false (details) are reached from other pages
// (meta.active names the menu item they belong to when it is not the first part of their path).
// meta.audience 'family' puts a page in the menu of family accounts (role applicant) only, 'staff'
// keeps it out of theirs: a family account reads the same care plans through 我的护理计划.
export const pages = [
  { path: '', name: 'home', component: () => import('./views/HomeView.vue'),
    meta: { title: '工作台', icon: 'House', menu: true } },
  { path: 'persons', name: 'persons', component: () => import('./views/PersonsView.vue'),
    meta: { title: '参保人员', icon: 'Avatar', menu: true, api: 'GET /api/v1/persons' } },
  { path: 'persons/:id(\\d+)', name: 'person', component: () => import('./views/PersonDetailView.vue'),
    props: true, meta: { title: '参保人详情', menu: false, api: 'GET /api/v1/persons/:id' } },
  { path: 'applications', name: 'applications', component: () => import('./views/ApplicationsView.vue'),
    meta: { title: '评估申请', icon: 'Tickets', menu: true, api: 'POST /api/v1/applications' } },
  { path: 'applications/:id(\\d+)', name: 'application', component: () => import('./views/ApplicationDetailView.vue'),
    props: true, meta: { title: '申请详情', menu: false, api: 'GET /api/v1/applications/:id' } },
  { path: 'tasks', name: 'tasks', component: () => import('./views/AssessTasksView.vue'),
    meta: { title: '评估任务', icon: 'EditPen', menu: true, api: 'POST /api/v1/applications/:id/assessment' } },
  { path: 'assess/:id(\\d+)', name: 'assess', component: () => import('./views/AssessFormView.vue'),
    props: true, meta: { title: '现场评估', menu: false, active: '/tasks', api: 'POST /api/v1/applications/:id/assessment' } },
  { path: 'reviews', name: 'reviews', component: () => import('./views/ReviewQueueView.vue'), props: { mode: 'review' },
    meta: { title: '委员会审核', icon: 'Stamp', menu: true, api: 'POST /api/v1/applications/:id/review' } },
  { path: 'confirmations', name: 'confirmations', component: () => import('./views/ReviewQueueView.vue'),
    props: { mode: 'confirm' },
    meta: { title: '专家确认', icon: 'Select', menu: true, api: 'POST /api/v1/applications/:id/confirm' } },
  { path: 'certifications', name: 'certifications', component: () => import('./views/CertificationsView.vue'),
    meta: { title: '认定结果', icon: 'Medal', menu: true, api: 'GET /api/v1/certifications' } },
  { path: 'assessment-stats', name: 'assessment-stats', component: () => import('./views/AssessStatsView.vue'),
    meta: { title: '评估统计', icon: 'DataAnalysis', menu: true, api: 'GET /api/v1/assessment/stats' } },
  { path: 'providers', name: 'providers', component: () => import('./views/ProvidersView.vue'),
    meta: { title: '护理机构', icon: 'OfficeBuilding', menu: true, api: 'GET /api/v1/providers' } },
  { path: 'providers/:id(\\d+)', name: 'provider', component: () => import('./views/ProviderDetailView.vue'),
    props: true, meta: { title: '护理机构详情', menu: false, api: 'GET /api/v1/providers/:id' } },
  { path: 'caregivers', name: 'caregivers', component: () => import('./views/CaregiversView.vue'),
    meta: { title: '护理员', icon: 'Postcard', menu: true, api: 'GET /api/v1/caregivers' } },
  { path: 'caregivers/:id(\\d+)', name: 'caregiver', component: () => import('./views/CaregiverDetailView.vue'),
    props: true, meta: { title: '护理员详情', menu: false, api: 'GET /api/v1/caregivers/:id' } },
  { path: 'care-plans', name: 'care-plans', component: () => import('./views/CarePlansView.vue'),
    meta: { title: '护理计划', icon: 'Notebook', menu: true, audience: 'staff', api: 'GET /api/v1/care-plans' } },
  { path: 'care-plans/new', name: 'care-plan-new', component: () => import('./views/CarePlanEditView.vue'),
    meta: { title: '制定护理计划', menu: false, active: '/care-plans', api: 'POST /api/v1/care-plans' } },
  { path: 'care-plans/:id(\\d+)/edit', name: 'care-plan-edit', component: () => import('./views/CarePlanEditView.vue'),
    props: true, meta: { title: '修改护理计划', menu: false, active: '/care-plans', api: 'PUT /api/v1/care-plans/:id' } },
  { path: 'care-plans/:id(\\d+)', name: 'care-plan', component: () => import('./views/CarePlanDetailView.vue'),
    props: true, meta: { title: '护理计划详情', menu: false, api: 'GET /api/v1/care-plans/:id' } },
  { path: 'my-care-plans', name: 'my-care-plans', component: () => import('./views/MyCarePlansView.vue'),
    meta: { title: '我的护理计划', icon: 'DocumentChecked', menu: true, audience: 'family', api: 'POST /api/v1/care-plans/:id/confirm' } },
  { path: 'workforce', name: 'workforce', component: () => import('./views/WorkforceStatsView.vue'),
    meta: { title: '护理队伍统计', icon: 'PieChart', menu: true, api: 'GET /api/v1/caregivers/stats' } },
  ...visitPages,
  ...familyVisitPages,
  { path: 'imports', name: 'imports', component: () => import('./views/ImportsView.vue'),
    meta: { title: '批量导入', icon: 'Upload', menu: true, api: 'GET /api/v1/imports' } },
  ...settlePages,
  { path: 'fund', name: 'fund', component: () => import('./views/FundView.vue'),
    meta: { title: '基金概况', icon: 'Coin', menu: true, api: 'GET /api/v1/fund/summary' } },
  { path: 'users', name: 'users', component: () => import('./views/UsersView.vue'),
    meta: { title: '用户管理', icon: 'User', menu: true, api: 'GET /api/v1/users' } },
  { path: 'areas', name: 'areas', component: () => import('./views/AreasView.vue'),
    meta: { title: '区域管理', icon: 'Location', menu: true, api: 'GET /api/v1/areas' } },
  { path: 'audit', name: 'audit', component: () => import('./views/AuditView.vue'),
    meta: { title: '审计日志', icon: 'Document', menu: true, api: 'GET /api/v1/audit' } },
  { path: 'tokens', name: 'tokens', component: () => import('./views/TokensView.vue'),
    meta: { title: '接口令牌', icon: 'Key', menu: true, api: 'GET /api/v1/tokens' } },
  { path: 'account', name: 'account', component: () => import('./views/AccountView.vue'),
    meta: { title: '我的账号', icon: 'Setting', menu: true, api: 'GET /api/v1/me' } }
]

// Menu pages the current user may open (the left menu and the home page's shortcuts).
export function allowedPages() {
  return pages.filter((p) => p.meta.menu && (!p.meta.api || can(p.meta.api)) && forAudience(p.meta.audience))
}

function forAudience(audience) {
  const family = session.user?.role === 'applicant'
  if (audience === 'family') return family
  if (audience === 'staff') return !family
  return true
}

// Only same-site paths are accepted as a post-login destination.
export function safeRedirect(r) {
  return typeof r === 'string' && r.startsWith('/') && !r.startsWith('//') && !r.startsWith('/login') ? r : '/'
}
