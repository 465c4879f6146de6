// Routes and navigation guards. Every page inside the layout names the API route it needs
// (meta.api); the menu shows it and the guard lets the user in only when the server lists that
// route for the user. Unauthenticated users go to the login page (keeping the intended route), and
// users who must change their initial password are held on 我的账号 until they do.
// Two pages stand outside the layout: 今日服务, the caregiver's full-screen phone page (a caregiver
// signing in on a phone lands there), and the public rating page of a visit's short link (/r/:token,
// no sign-in).
import { createRouter, createWebHistory, START_LOCATION } from 'vue-router'
import { session, loadMe, can, clearSession } from './session.js'
import { APP_TITLE, pages, safeRedirect } from './nav.js'
import { setAuthHandlers, showError } from './api.js'
import MainLayout from './layouts/MainLayout.vue'
import LoginView from './views/LoginView.vue'

// Phones (and small tablets held upright): where a caregiver works from.
const PHONE_QUERY = '(max-width: 767px)'

const routes = [
  { path: '/login', name: 'login', component: LoginView, meta: { title: '登录', public: true } },
  { path: '/caregiver', name: 'caregiver-today', component: () => import('./views/CaregiverView.vue'),
    meta: { title: '今日服务', api: 'POST /api/v1/visits/checkin' } },
  { path: '/r/:token', name: 'rating-link', component: () => import('./views/RatingLinkView.vue'), props: true,
    meta: { title: '服务评价', public: true } },
  {
    path: '/',
    component: MainLayout,
    children: [
      ...pages,
      { path: 'forbidden', name: 'forbidden', component: () => import('./views/StatusView.vue'),
        props: { kind: 'forbidden' }, meta: { title: '无权访问' } },
      { path: ':pathMatch(.*)*', name: 'notfound', component: () => import('./views/StatusView.vue'),
        props: { kind: 'notfound' }, meta: { title: '页面不存在' } }
    ]
  }
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 })
})

router.beforeEach(async (to, from) => {
  if (!session.loaded) {
    try {
      await loadMe()
    } catch (e) {
      showError(e.message)
    }
  }
  const signedIn = !!session.user
  if (to.meta.public) {
    if (signedIn && to.name === 'login') {
      return session.mustChangePassword ? { name: 'account' } : safeRedirect(to.query.redirect)
    }
    return true
  }
  if (!signedIn) {
    return { name: 'login', query: to.fullPath && to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  if (session.mustChangePassword && to.name !== 'account') {
    return { name: 'account', query: to.name === 'home' ? {} : { redirect: to.fullPath } }
  }
  if (to.meta.api && !can(to.meta.api)) {
    return { name: 'forbidden', query: { from: to.fullPath } }
  }
  // a caregiver on a phone starts the day on 今日服务 (after signing in, or opening the site)
  if (to.name === 'home' && (from.name === 'login' || from === START_LOCATION) && session.user.role === 'caregiver' &&
      can('POST /api/v1/visits/checkin') && window.matchMedia(PHONE_QUERY).matches) {
    return { name: 'caregiver-today' }
  }
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - ${APP_TITLE}` : APP_TITLE
})

setAuthHandlers({
  unauthorized() {
    clearSession()
    const cur = router.currentRoute.value
    if (cur.name !== 'login') {
      router.replace({ name: 'login', query: cur.fullPath && cur.fullPath !== '/' ? { redirect: cur.fullPath } : {} })
    }
  },
  mustChangePassword() {
    session.mustChangePassword = true
    if (router.currentRoute.value.name !== 'account') router.replace({ name: 'account' })
  }
})
