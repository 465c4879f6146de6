// Routes and navigation guards. Every page inside the layout names the API route it needs
// (meta.api); the menu shows it and the guard lets the user in only when the server lists that
// route for the user. Unauthenticated users go to the login page (keeping the intended route), and
// users who must change their initial password are held on 我的账号 until they do.
import { createRouter, createWebHistory } from 'vue-router'
import { session, loadMe, can, clearSession } from './session.js'
import { APP_TITLE, pages, safeRedirect } from './nav.js'
import { setAuthHandlers, showError } from './api.js'
import MainLayout from './layouts/MainLayout.vue'
import LoginView from './views/LoginView.vue'

const routes = [
  { path: '/login', name: 'login', component: LoginView, meta: { title: '登录', public: true } },
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

router.beforeEach(async (to) => {
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
