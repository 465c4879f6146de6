// HTTP client for the ltci JSON API (/api/v1): adds the CSRF header to every non-GET request,
// turns error bodies into ApiError, shows the server's Chinese message, and hands 401 and
// "must change password" 403 responses to handlers installed by the router. upload() sends a file as
// the raw body with upload progress (CSV imports).
import { ElMessage } from 'element-plus'

const BASE = '/api/v1'

let csrfToken = ''
const handlers = { unauthorized: null, mustChangePassword: null }

export function setCsrfToken(token) {
  csrfToken = token || ''
}

// Installs callbacks for session-level failures: { unauthorized(err), mustChangePassword(err) }.
export function setAuthHandlers(h) {
  Object.assign(handlers, h)
}

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message)
    this.status = status
    this.code = code
    this.field = field || ''
  }
}

// Identical messages raised at the same moment (e.g. several requests failing with 401) are shown once.
export function showError(message) {
  ElMessage({ type: 'error', message, grouping: true, showClose: true })
}

function buildQuery(params) {
  if (!params) return ''
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue
    q.append(k, String(v))
  }
  const s = q.toString()
  return s ? `?${s}` : ''
}

// request(method, path, { body, params, silent, noAuthRedirect })
//   silent: do not show the error message (the caller shows it itself)
//   noAuthRedirect: a 401 is an ordinary error (login form, initial /me probe)
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json' }
  const init = { method, headers, credentials: 'same-origin' }
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(opts.body)
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken

  let res
  try {
    res = await fetch(BASE + path + buildQuery(opts.params), init)
  } catch (e) {
    const err = new ApiError(0, 'network', '网络错误，无法连接服务器，请稍后重试')
    if (!opts.silent) showError(err.message)
    throw err
  }

  return handleResponse(res.status, res.ok, await res.text(), opts)
}

// Turns an answer into its parsed body, or throws ApiError (showing the message and calling the
// session handlers as request() describes).
function handleResponse(status, ok, text, opts) {
  let data = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch (e) {
      data = null
    }
  }
  if (ok) return data

  const body = (data && data.error) || {}
  const err = new ApiError(
    status,
    body.code || 'http_' + status,
    body.message || `请求失败（HTTP ${status}）`,
    body.field
  )
  if (!opts.silent) showError(err.message)
  if (status === 401 && !opts.noAuthRedirect && handlers.unauthorized) handlers.unauthorized(err)
  if (status === 403 && err.field === 'password' && handlers.mustChangePassword) handlers.mustChangePassword(err)
  throw err
}

// Sends a file as the raw request body (not multipart), e.g. a CSV import:
//   upload('/imports', { kind, filename }, file, { contentType: 'text/csv', onProgress(loaded, total), silent })
// XMLHttpRequest is used so the upload's progress can be shown. Resolves to the parsed answer.
export function upload(path, params, file, opts = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', BASE + path + buildQuery(params))
    xhr.withCredentials = true
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('Content-Type', opts.contentType || 'application/octet-stream')
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken)
    if (opts.onProgress) {
      xhr.upload.onprogress = (e) => opts.onProgress(e.loaded, e.lengthComputable ? e.total : file.size)
    }
    xhr.onload = () => {
      try {
        resolve(handleResponse(xhr.status, xhr.status >= 200 && xhr.status < 300, xhr.responseText, opts))
      } catch (e) {
        reject(e)
      }
    }
    xhr.onerror = () => {
      const err = new ApiError(0, 'network', '网络错误，上传未完成，请稍后重试')
      if (!opts.silent) showError(err.message)
      reject(err)
    }
    xhr.send(file)
  })
}

export const api = {
  get: (path, params, opts) => request('GET', path, { ...opts, params }),
  // Without a body argument nothing is sent: routes that take no input refuse any body.
  post: (path, body, opts) => request('POST', path, { ...opts, body: body === undefined ? undefined : body ?? {} }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body: body ?? {} }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body: body ?? {} }),
  del: (path, opts) => request('DELETE', path, opts)
}
