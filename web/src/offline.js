// Offline queue of the caregiver's check-ins and check-outs (签到/签退), and whether the server can
// be reached. Every record is made once, at the tap, with its idempotency key and the phone's time
// of the tap; it is kept in localStorage (one queue per account) and sent in order: at once when
// the network allows, otherwise again when the phone is back online (the 'online' event, a retry
// every 20 s, the page becoming visible, or 立即上传). A record is never made again on a retry: the
// same body with the same key goes out until the server has it. The server answers a key it
// already has with the visit as recorded (200), so a record whose answer was lost is simply
// delivered again; a 409 (the visit has moved on meanwhile) settles the record too. Other refusals
// (400/403/404) are kept in a short log with the server's message for the caregiver to see.
import { reactive } from 'vue'
import { request } from './api.js'

const RETRY_MS = 20000
const LOG_MAX = 40
const PATHS = { checkin: '/visits/checkin', checkout: '/visits/checkout' }

// Connectivity: the browser's own flag (navigator.onLine and its events) and what the last
// request taught us (a request that failed for network reasons makes the server unreachable until
// one succeeds).
export const net = reactive({
  browserOnline: typeof navigator === 'undefined' ? true : navigator.onLine,
  reachable: true,
  flushing: false,
  needLogin: false, // the session ended: the queue waits for the caregiver to sign in again
  get online() {
    return this.browserOnline && this.reachable
  }
})

// items: records waiting to be sent, oldest first:
//   { key, kind: 'checkin'|'checkout', visitId, body, queuedAt (ms), tries, lastError }
// log: what became of the records sent, newest first:
//   { key, kind, visitId, deviceAt, outcome: 'delivered'|'conflict'|'failed', message, at (ms),
//     afterRetry (it waited in the queue), late (the server's delivered-late flag) }
export const queue = reactive({ owner: '', items: [], log: [] })

const listeners = new Set()
let timer = 0
let running = null
let rerun = null

function storageKey() {
  return `ltci.caregiver.queue.${queue.owner}`
}

function save() {
  if (!queue.owner) return
  try {
    localStorage.setItem(storageKey(), JSON.stringify({ items: queue.items, log: queue.log }))
  } catch {
    /* storage full or disabled: the records stay in memory while the page is open */
  }
}

function load() {
  let data = null
  try {
    data = JSON.parse(localStorage.getItem(storageKey()) || 'null')
  } catch {
    data = null
  }
  queue.items = Array.isArray(data?.items) ? data.items : []
  queue.log = Array.isArray(data?.log) ? data.log : []
}

// A failure that sending again later may cure: no answer at all, a timeout, throttling, or the
// server (or a proxy in front of it) being unavailable.
export function isNetworkError(e) {
  return !!e && (e.status === 0 || e.status === 408 || e.status === 429 || e.status >= 500)
}

// Other requests of the page report their outcome here, so the indicator follows them too.
export function noteRequest(err) {
  if (!err) net.reachable = true
  else if (err.status === 0) net.reachable = false
}

function onOnline() {
  net.browserOnline = true
  net.reachable = true
  flush()
}

function onOffline() {
  net.browserOnline = false
}

function onVisible() {
  if (document.visibilityState === 'visible') flush()
}

function tick() {
  if (queue.items.length) flush()
  else if (!net.reachable && net.browserOnline) probe()
}

// Asks the server for something small to learn whether it can be reached again.
async function probe() {
  try {
    await request('GET', '/visits/rules', { silent: true, noAuthRedirect: true })
    net.reachable = true
  } catch (e) {
    noteRequest(e.status === 0 ? e : null)
  }
}

// Opens the queue of an account (its records survive a reload or a restart of the phone) and
// starts listening for the network. Call closeQueue() when the page goes away.
export function openQueue(owner) {
  queue.owner = String(owner || '')
  net.needLogin = false
  load()
  window.addEventListener('online', onOnline)
  window.addEventListener('offline', onOffline)
  document.addEventListener('visibilitychange', onVisible)
  clearInterval(timer)
  timer = setInterval(tick, RETRY_MS)
  net.browserOnline = navigator.onLine
  if (queue.items.length) flush()
}

export function closeQueue() {
  window.removeEventListener('online', onOnline)
  window.removeEventListener('offline', onOffline)
  document.removeEventListener('visibilitychange', onVisible)
  clearInterval(timer)
  timer = 0
}

// fn(changes) is called after a run of the queue settled at least one record.
export function onSettled(fn) {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

function settle(entry, outcome, message, answer) {
  const i = queue.items.findIndex((x) => x.key === entry.key)
  if (i >= 0) queue.items.splice(i, 1)
  queue.log.unshift({
    key: entry.key,
    kind: entry.kind,
    visitId: entry.visitId,
    deviceAt: entry.body.device_at,
    outcome,
    message: message || '',
    at: Date.now(),
    afterRetry: (entry.tries || 0) > 0,
    late: answer ? !!answer.late : false
  })
  if (queue.log.length > LOG_MAX) queue.log.length = LOG_MAX
  save()
}

async function runQueue() {
  let settled = 0
  const blocked = new Set() // visits whose record the server could not take just now (5xx): their later records wait
  net.flushing = true
  try {
    for (let i = 0; i < queue.items.length; ) {
      const entry = queue.items[i]
      if (blocked.has(entry.visitId)) {
        i++
        continue
      }
      let answer
      try {
        answer = await request('POST', PATHS[entry.kind], { body: entry.body, silent: true, noAuthRedirect: true })
      } catch (e) {
        entry.tries = (entry.tries || 0) + 1
        entry.lastError = e.message
        save()
        if (e.status === 0 || e.status === 408) {
          noteRequest(e) // no network: nothing else will go either
          break
        }
        if (isNetworkError(e)) {
          // the server is busy or failing: try the other visits' records, this one next time
          blocked.add(entry.visitId)
          i++
          continue
        }
        if (e.status === 401 || (e.status === 403 && e.field === 'password')) {
          net.needLogin = true
          break
        }
        net.reachable = true
        settle(entry, e.status === 409 ? 'conflict' : 'failed', e.message, null)
        settled++
        if (e.status !== 409 && entry.kind === 'checkin') {
          // the check-out of a visit whose check-in was refused cannot be recorded either
          for (const later of queue.items.filter((x) => x.visitId === entry.visitId && x.kind === 'checkout')) {
            settle(later, 'failed', '签到未被接受，签退无法上传', null)
          }
        }
        continue
      }
      net.reachable = true
      net.needLogin = false
      entry.answer = answer // for record(), which holds the same object
      settle(entry, 'delivered', '', answer)
      settled++
    }
  } finally {
    net.flushing = false
  }
  if (settled) for (const fn of listeners) fn(settled)
}

// Sends what is waiting, in order; resolves when this run (and one queued behind it) is over.
export function flush() {
  if (!running) {
    running = runQueue().finally(() => {
      running = null
    })
    return running
  }
  if (!rerun) {
    rerun = running.then(() => {
      rerun = null
      return flush()
    })
  }
  return rerun
}

// Records a check-in or check-out (body with its key and device_at already set) and sends it
// behind anything still waiting. Resolves to { queued: true } when it stays on the phone for now,
// or { queued: false, answer } when the server has it; throws { message, status } when the server
// refused it (the record is then in the log as refused, not in the queue).
export async function record(kind, visitId, body) {
  const entry = { key: body.key, kind, visitId, body, queuedAt: Date.now(), tries: 0, lastError: '' }
  queue.items.push(entry)
  save()
  await flush()
  if (queue.items.some((x) => x.key === entry.key)) return { queued: true }
  const done = queue.log.find((x) => x.key === entry.key)
  if (done && done.outcome === 'delivered') return { queued: false, answer: entry.answer }
  const err = new Error(done?.message || '提交失败')
  err.outcome = done?.outcome
  throw err
}

// The waiting records of a visit, oldest first.
export function pendingFor(visitId) {
  return queue.items.filter((x) => x.visitId === visitId)
}

// A new idempotency key (letters, digits and '-', as the server requires).
export function newKey() {
  if (typeof crypto !== 'undefined' && crypto.randomUUID) return crypto.randomUUID()
  const b = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}
