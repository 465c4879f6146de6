// Navigation model shared by the router, the layout and the pages: the pages of the app with the
// API route each one needs, the pages the current user may open, and the post-login redirect check.
// Kept apart from router.js so components can use it without importing the router.
import { can } from './session.js'

export const APP_TITLE = '长期护理保险经办管理平台'

// Pages of the layout, in menu order; pages with menu: false (details) are reached from other pages.
export const pages = [
  { path: '', name: 'home', component: () => import('./views/HomeView.vue'),
    meta: { title: '工作台', icon: 'House', menu: true } },
  { path: 'persons', name: 'persons', component: () => import('./views/PersonsView.vue'),
    meta: { title: '参保人员', icon: 'Avatar', menu: true, api: 'GET /api/v1/persons' } },
  { path: 'persons/:id(\\d+)', name: 'person', component: () => import('./views/PersonDetailView.vue'),
    props: true, meta: { title: '参保人详情', menu: false, api: 'GET /api/v1/persons/:id' } },
  { path: 'imports', name: 'imports', component: () => import('./views/ImportsView.vue'),
    meta: { title: '批量导入', icon: 'Upload', menu: true, api: 'GET /api/v1/imports' } },
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
  return pages.filter((p) => p.meta.menu && (!p.meta.api || can(p.meta.api)))
}

// Only same-site paths are accepted as a post-login destination.
export function safeRedirect(r) {
  return typeof r === 'string' && r.startsWith('/') && !r.startsWith('//') && !r.startsWith('/login') ? r : '/'
}
