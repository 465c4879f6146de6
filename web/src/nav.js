// Navigation model shared by the router, the layout and the pages: the pages of the app with the
// API route each one needs, the pages the current user may open, and the post-login redirect check.
// Kept apart from router.js so components can use it without importing the router.
import { can } from './session.js'

export const APP_TITLE = '长期护理保险经办管理平台'

// Pages shown in the left menu, in order.
export const pages = [
  { path: '', name: 'home', component: () => import('./views/HomeView.vue'),
    meta: { title: '工作台', icon: 'House', menu: true } },
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

// Pages the current user may open (and see in the menu).
export function allowedPages() {
  return pages.filter((p) => !p.meta.api || can(p.meta.api))
}

// Only same-site paths are accepted as a post-login destination.
export function safeRedirect(r) {
  return typeof r === 'string' && r.startsWith('/') && !r.startsWith('//') && !r.startsWith('/login') ? r : '/'
}
