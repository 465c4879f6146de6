// Helpers of the caregiver's phone page (今日服务): the day and clock times in Beijing time, the
// phone's position through navigator.geolocation, the straight-line distance to the beneficiary's
// home, and a small per-account cache (the day's visits, their homes and contacts, the verification rules,
// the service catalogue and the plans open for an unscheduled visit) so the page still shows the day's
// work when the network is gone. Also the tag colours of visit and verification states shared with
// the family pages (their labels come from the server).

const dayFmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
const clockFmt = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
const longDayFmt = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'long', day: 'numeric', weekday: 'short' })

// Today (or the day of a Unix time) as YYYY-MM-DD in Beijing time.
export function dayCN(sec) {
  return dayFmt.format(sec === undefined ? new Date() : new Date(sec * 1000))
}

// A day n days from the given one (YYYY-MM-DD).
export function addDays(day, n) {
  const d = new Date(`${day}T12:00:00+08:00`)
  d.setUTCDate(d.getUTCDate() + n)
  return dayCN(Math.floor(d.getTime() / 1000))
}

// "11月23日周一"
export function longDay(day) {
  return longDayFmt.format(new Date(`${day}T12:00:00+08:00`)).replace(/\s+/g, '')
}

// Unix seconds -> "HH:MM" in Beijing time ('' for null).
export function hhmm(sec) {
  if (sec === null || sec === undefined) return ''
  return clockFmt.format(new Date(sec * 1000))
}

export function nowSec() {
  return Math.floor(Date.now() / 1000)
}

// The phone's position: { lat, lon, accuracy } or { error } (Chinese) when there is none.
export function locate(timeoutMs = 12000) {
  return new Promise((resolve) => {
    if (!navigator.geolocation) {
      resolve({ error: '此设备不支持定位' })
      return
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lon: p.coords.longitude, accuracy: Math.round(p.coords.accuracy || 0) }),
      (e) => resolve({ error: e.code === 1 ? '未允许使用定位，请在手机设置中允许本网站使用位置信息' : e.code === 3 ? '定位超时' : '无法获取定位' }),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 15000 }
    )
  })
}

// Great-circle distance in metres.
export function distanceM(lat1, lon1, lat2, lon2) {
  const r = 6371000
  const rad = Math.PI / 180
  const dLat = (lat2 - lat1) * rad
  const dLon = (lon2 - lon1) * rad
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2
  return Math.round(2 * r * Math.asin(Math.sqrt(a)))
}

// "35 米" / "1.2 公里"
export function distanceText(m) {
  if (m === null || m === undefined) return ''
  return m < 1000 ? `${m} 米` : `${(m / 1000).toFixed(1)} 公里`
}

// The page's cache of one account: { day, visits, details: {visitId: {home: {lat, lon}, contact}}, rules,
// categories, lastItems, plans (临时上门, masked names), savedAt }. Cleared when the caregiver signs out.
export function readCache(owner) {
  try {
    return JSON.parse(localStorage.getItem(`ltci.caregiver.cache.${owner}`) || 'null') || {}
  } catch {
    return {}
  }
}

export function writeCache(owner, data) {
  try {
    localStorage.setItem(`ltci.caregiver.cache.${owner}`, JSON.stringify({ ...data, savedAt: Date.now() }))
  } catch {
    /* storage full or disabled */
  }
}

export function clearCache(owner) {
  try {
    localStorage.removeItem(`ltci.caregiver.cache.${owner}`)
  } catch {
    /* storage disabled */
  }
}

// The checklist and notes being filled in during a visit, kept on the phone until the check-out.
export function readDraft(owner, visitId) {
  try {
    return JSON.parse(localStorage.getItem(`ltci.caregiver.draft.${owner}.${visitId}`) || 'null')
  } catch {
    return null
  }
}

export function writeDraft(owner, visitId, draft) {
  try {
    if (draft) localStorage.setItem(`ltci.caregiver.draft.${owner}.${visitId}`, JSON.stringify(draft))
    else localStorage.removeItem(`ltci.caregiver.draft.${owner}.${visitId}`)
  } catch {
    /* storage full or disabled */
  }
}

// Tag colours of the visit states (the labels come from the server).
export const VISIT_STATUS_TAGS = { scheduled: 'info', in_progress: 'warning', done: 'success', missed: 'danger', cancelled: 'info' }
export const VERIFY_TAGS = { pending: 'info', verified: 'success', exception: 'danger' }
