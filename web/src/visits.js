// Service-delivery vocabulary shared by the staff pages (服务排班, 服务记录, 异常处理, 服务地图, 服务评价,
// 投诉处理, 机构在院) and the 服务安排 section of a care plan: Chinese labels and tag colours of visit
// states, the 15 verification reasons, explanation categories, complaint sources and statuses, presence
// statuses; date helpers for weeks and months in Asia/Shanghai; the distance of a fix from the home;
// the scheme's visit rules and the feedback form lists, each fetched once per page load; a visit's
// recording fetched with the session's cookie as a blob URL for <audio>.
import { api, ApiError } from './api.js'
import { fmtTime } from './format.js'
import { todayCN } from './idcard.js'
import { loadCatalogue } from './refdata.js'

// ---- visit states ----

// The labels are the server's (svc/visit_label.c, also listed by GET /feedback/options): rows carry them
// as status_label, verify_label, review_label and source_label, which the pages show first; these
// copies serve the filters and the keys a row has no label for.
export const VISIT_STATUSES = ['scheduled', 'in_progress', 'done', 'missed', 'cancelled']
export const VISIT_STATUS_LABELS = {
  scheduled: '待服务',
  in_progress: '服务中',
  done: '已完成',
  missed: '未服务',
  cancelled: '已取消'
}
export const VISIT_STATUS_TAGS = { scheduled: 'primary', in_progress: 'warning', done: 'success', missed: 'danger', cancelled: 'info' }

export const VERIFY_STATES = ['pending', 'verified', 'exception']
export const VERIFY_LABELS = { pending: '待核验', verified: '核验通过', exception: '核验异常' }
export const VERIFY_TAGS = { pending: 'info', verified: 'success', exception: 'danger' }

// The review of an exception: the provider explains (open -> explained), the bureau decides.
export const REVIEW_STATES = ['open', 'explained', 'accepted', 'rejected']
export const REVIEW_LABELS = {
  open: '待机构说明',
  explained: '待经办审核',
  accepted: '审核认可',
  rejected: '审核不予认可'
}
export const REVIEW_TAGS = { open: 'warning', explained: 'primary', accepted: 'success', rejected: 'danger' }

// The bits of rules/verify.h in order: code -> Chinese text (as the server words them).
export const REASONS = [
  { code: 'unqualified', text: '护理员当日不具备上岗资格', short: '无上岗资格' },
  { code: 'no_gps', text: '签到时无定位信息', short: '无定位' },
  { code: 'low_accuracy', text: '签到定位精度不足', short: '定位精度不足' },
  { code: 'outside_geofence', text: '签到位置不在服务对象住址范围内', short: '不在住址范围' },
  { code: 'short', text: '服务时长不足规定时长', short: '时长不足' },
  { code: 'overlap', text: '与该护理员上一次服务时间重叠', short: '时间重叠' },
  { code: 'travel', text: '与上一次服务之间的路程无法在间隔时间内到达', short: '行程不可能' },
  { code: 'not_certified', text: '服务对象当日无有效失能等级', short: '无失能等级' },
  { code: 'deceased', text: '服务对象已身故', short: '对象已身故' },
  { code: 'hospital', text: '服务对象当日住院', short: '对象住院' },
  { code: 'no_plan', text: '当日无生效的护理计划', short: '无护理计划' },
  { code: 'over_entitlement', text: '超出护理计划每周服务时长', short: '超出每周时长' },
  { code: 'item_not_in_plan', text: '服务项目不在护理计划内', short: '项目不在计划内' },
  { code: 'no_checkout', text: '超时未签退', short: '未签退' },
  { code: 'disputed', text: '服务对象或代理人提出异议', short: '家属异议' }
]
const REASON_BY_CODE = Object.fromEntries(REASONS.map((r) => [r.code, r]))
export function reasonText(code) {
  return REASON_BY_CODE[code]?.text || code
}
export function reasonShort(code) {
  return REASON_BY_CODE[code]?.short || code
}

// Categories of the provider's explanation of an exception (POST /visits/:id/explain resolution).
export const RESOLUTIONS = ['staff_error', 'device_problem', 'beneficiary_request', 'emergency', 'other']
export const RESOLUTION_LABELS = {
  staff_error: '护理员操作失误',
  device_problem: '设备或信号故障',
  beneficiary_request: '服务对象要求调整',
  emergency: '突发情况',
  other: '其他原因'
}

// ---- ratings and complaints ----

export const RATING_CHANNEL_LABELS = { link: '短信链接', portal: '家属门户' }

export const COMPLAINT_SOURCES = ['portal', 'hotline', 'inspection']
export const COMPLAINT_SOURCE_LABELS = { portal: '网上投诉', hotline: '12345热线', inspection: '监督检查' }
export const COMPLAINT_SOURCE_TAGS = { portal: 'primary', hotline: 'warning', inspection: 'danger' }
export const COMPLAINT_STATUSES = ['open', 'processing', 'replied', 'closed']
// As the server words them (svc/feedback.c: complaint_statuses, GET /feedback/options).
export const COMPLAINT_STATUS_LABELS = { open: '待处理', processing: '处理中', replied: '已答复', closed: '已办结' }
export const COMPLAINT_STATUS_TAGS = { open: 'danger', processing: 'warning', replied: 'primary', closed: 'info' }

// "超期2天" / "今天到期" / "剩3天" from the server's days_left (null once replied).
export function deadlineText(c) {
  if (c.days_left === null || c.days_left === undefined) return ''
  if (c.days_left < 0) return `超期${-c.days_left}天`
  if (c.days_left === 0) return '今天到期'
  return `剩${c.days_left}天`
}

// ---- institutional presence ----

export const PRESENCE_STATUSES = ['in', 'out', 'hospital', 'leave']
// As the server words them (svc/attendance.c, GET /feedback/options presence_statuses).
export const PRESENCE_LABELS = { in: '在院', out: '外出', hospital: '住院', leave: '回家探亲' }
export const PRESENCE_SHORT = { in: '在', out: '出', hospital: '医', leave: '探' }
export const PRESENCE_COLORS = { in: '#67c23a', out: '#e6a23c', hospital: '#f56c6c', leave: '#409eff' }

// ---- dates (calendar dates "YYYY-MM-DD", the week starts on Monday) ----

export const WEEKDAY_LABELS = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日']

export function addDays(ymd, days) {
  const t = Date.parse(`${ymd}T00:00:00Z`) + days * 86400000
  return new Date(t).toISOString().slice(0, 10)
}

export function daysBetween(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000)
}

// ISO weekday 1 (Monday) .. 7 (Sunday) of a date.
export function isoWeekday(ymd) {
  const d = new Date(`${ymd}T00:00:00Z`).getUTCDay()
  return d === 0 ? 7 : d
}

export function mondayOf(ymd) {
  return addDays(ymd, 1 - isoWeekday(ymd))
}

// The 7 dates of the week starting on monday.
export function weekDates(monday) {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i))
}

// "YYYY-MM" -> its dates; this month's by default.
export function monthDates(month) {
  const [y, m] = month.split('-').map(Number)
  const n = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return Array.from({ length: n }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`)
}

export function thisMonth() {
  return todayCN().slice(0, 7)
}

export function addMonths(month, n) {
  const [y, m] = month.split('-').map(Number)
  const k = y * 12 + (m - 1) + n
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`
}

// "11月24日 周二"
export function dayLabel(ymd) {
  return `${Number(ymd.slice(5, 7))}月${Number(ymd.slice(8, 10))}日 ${WEEKDAY_LABELS[isoWeekday(ymd)]}`
}

// Unix seconds -> "HH:MM" in Beijing time; '' for null.
export function fmtHM(sec) {
  const t = fmtTime(sec)
  return t ? t.slice(11, 16) : ''
}

// 4200 -> "1小时10分"; 95 -> "1分35秒".
export function fmtSeconds(sec) {
  const n = Math.round(Number(sec || 0))
  const h = Math.floor(n / 3600)
  const m = Math.floor((n % 3600) / 60)
  const s = n % 60
  if (h) return `${h}小时${m}分`
  if (m) return `${m}分${s ? `${s}秒` : ''}`
  return `${s}秒`
}

// ---- geography ----

// Great-circle distance in metres between {lat, lon} points (null when either is missing).
export function distanceM(a, b) {
  if (!a || !b || a.lat === null || a.lat === undefined || b.lat === null || b.lat === undefined) return null
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLon = (b.lon - a.lon) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2
  return Math.round(2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(h))))
}

// ---- reference data of the scheme (same for every user) ----

let rulesP = null
let optionsP = null

// GET /visits/rules: geofence_m, max_accuracy_m, min_minutes {mode}, lock_days, rating_days, ...
export function loadVisitRules() {
  if (!rulesP) rulesP = api.get('/visits/rules').catch((e) => { rulesP = null; throw e })
  return rulesP
}

// GET /feedback/options: rating tags, disputes, complaint sources, statuses and categories, attestation
// methods, presence statuses.
export function loadFeedbackOptions() {
  if (!optionsP) optionsP = api.get('/feedback/options').catch((e) => { optionsP = null; throw e })
  return optionsP
}

// Service item code -> name, from the catalogue.
export async function loadItemNames() {
  const c = await loadCatalogue()
  const names = {}
  for (const cat of c?.categories || []) for (const it of cat.items || []) names[it.code] = it.name
  return names
}

// The recording of a visit (GET /visits/:id/audio, audited by the server) as an object URL for <audio>;
// the caller revokes it (URL.revokeObjectURL) when the page leaves. Rejects with an ApiError.
export async function fetchVisitAudio(id) {
  const res = await fetch(`/api/v1/visits/${id}/audio`, { credentials: 'same-origin' })
  if (!res.ok) {
    let body = null
    try {
      body = await res.json()
    } catch {
      body = null
    }
    const e = body?.error || {}
    throw new ApiError(res.status, e.code || `http_${res.status}`, e.message || `录音读取失败（HTTP ${res.status}）`, e.field)
  }
  return URL.createObjectURL(await res.blob())
}

// Every page of a list route (page_size 200), up to `cap` rows; resolves to { items, total, truncated }.
export async function fetchAll(path, params, cap = 1000) {
  const items = []
  let total = 0
  for (let page = 1; items.length < cap; page++) {
    const d = await api.get(path, { ...params, page, page_size: 200 })
    total = d.total || 0
    items.push(...(d.items || []))
    if (!d.items?.length || items.length >= total) break
  }
  return { items, total, truncated: items.length < total }
}
