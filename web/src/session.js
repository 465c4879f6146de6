// Session state shared by the whole app: the signed-in user, the API routes the server allows
// for this user (menu and route guards are built from them), and the CSRF token kept in memory.
import { reactive } from 'vue'
import { api, setCsrfToken } from './api.js'
import { clearRefData } from './refdata.js'

export const session = reactive({
  loaded: false, // /me has been asked at least once since the page loaded
  user: null,
  actor: '',
  routes: [],
  mustChangePassword: false
})

function apply(data) {
  // Reference data (areas, providers) depends on who is signed in.
  if (session.user && data.user && session.user.id !== data.user.id) clearRefData()
  session.user = data.user || null
  session.actor = data.actor || ''
  session.routes = Array.isArray(data.routes) ? data.routes : []
  session.mustChangePassword = !!data.must_change_password
  setCsrfToken(data.csrf_token)
  session.loaded = true
}

export function clearSession() {
  clearRefData()
  session.user = null
  session.actor = ''
  session.routes = []
  session.mustChangePassword = false
  setCsrfToken('')
  session.loaded = true
}

// True when the server lists the route ("METHOD /api/v1/path") for the current user.
export function can(route) {
  return session.routes.includes(route)
}

// Asks the server who we are (also returns the CSRF token after a page reload).
// Resolves to true when signed in; a 401 just means "not signed in".
export async function loadMe() {
  try {
    const data = await api.get('/me', null, { silent: true, noAuthRedirect: true })
    apply(data)
    return true
  } catch (e) {
    if (e.status === 401) {
      clearSession()
      return false
    }
    session.loaded = true
    throw e
  }
}

// Throws ApiError (message shown by the caller) on failure.
export async function login(username, password) {
  const data = await api.post('/session', { username, password }, { silent: true, noAuthRedirect: true })
  apply(data)
  return data
}

export async function logout() {
  try {
    await api.del('/session', { silent: true, noAuthRedirect: true })
  } finally {
    clearSession()
  }
}
