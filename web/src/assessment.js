// Assessment-workflow vocabulary and arithmetic shared by the 评估申请, 评估任务, 委员会审核/专家确认,
// 认定结果 and 评估统计 pages: Chinese labels and tag colours of statuses, types, material kinds,
// refusal reasons, review decisions and quality flags; the self-assessment gate and the live score of
// the national standard computed from GET /assessment/form (for display only: the server's level is
// authoritative); deadlines and SHA-256 of files in the browser.

// Application statuses in workflow order (the server sends status_label too).
export const APP_STATUSES = [
  'submitted', 'accepted', 'assigned', 'in_review', 'awaiting_confirmation', 'publicised', 'certified', 'rejected', 'withdrawn'
]
export const APP_STATUS_LABELS = {
  submitted: '待初筛',
  rejected: '不予受理',
  accepted: '已受理',
  assigned: '待评估',
  in_review: '委员会审核',
  awaiting_confirmation: '待专家确认',
  publicised: '公示中',
  certified: '已认定',
  withdrawn: '已撤回'
}
export const APP_STATUS_TAGS = {
  submitted: 'warning',
  rejected: 'danger',
  accepted: 'primary',
  assigned: 'primary',
  in_review: 'danger',
  awaiting_confirmation: 'warning',
  publicised: 'success',
  certified: 'success',
  withdrawn: 'info'
}
// Statuses still in the work queue (a conclusion is due).
export const OPEN_STATUSES = ['submitted', 'accepted', 'assigned', 'in_review', 'awaiting_confirmation']

export const APP_TYPES = ['first', 'renewal', 'change', 'appeal']
export const APP_TYPE_LABELS = { first: '首次评估', renewal: '到期复评', change: '状态评估', appeal: '复核' }
export const APP_TYPE_HINTS = {
  first: '首次申请失能等级评估',
  renewal: '评估结论有效期届满前申请重新评估',
  change: '身体状况发生变化（变更），申请重新评估',
  appeal: '对评估结论有异议，在复核期限内申请复核（由其他评估人员进行，结论为最终结论）'
}

export const APPLICANT_KIND_LABELS = { self: '本人申请', agent: '代理人申请', staff: '工作人员代办' }

export const GATE_ANSWERS = ['independent', 'partial', 'dependent']
export const GATE_ANSWER_LABELS = { independent: '独立', partial: '部分独立', dependent: '依赖' }

export const MATERIAL_KINDS = ['discharge_summary', 'outpatient_record', 'disability_certificate', 'pledge', 'other']
export const MATERIAL_KIND_LABELS = {
  discharge_summary: '出院小结',
  outpatient_record: '门诊病历',
  disability_certificate: '残疾证明',
  pledge: '诚信承诺书',
  other: '其他材料'
}
export const MATERIAL_ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png'
export const MATERIAL_MAX_BYTES = 20 * 1024 * 1024

// Refusal grounds the server accepts on 不予受理 (POST /applications/:id/prescreen).
export const REJECT_REASONS = [
  ['not_insured', '未参保或参保状态不正常'],
  ['not_eligible', '不符合待遇申请条件（年龄、等待期或失能持续时间）'],
  ['materials_incomplete', '申请材料不全'],
  ['materials_false', '申请材料不实'],
  ['too_soon', '距上次评估结论未满规定间隔'],
  ['open_application', '已有进行中的申请'],
  ['deceased', '申请人已死亡'],
  ['self_assessment', '自评未达到正式评估条件'],
  ['other', '其他原因']
]
// The refusal ground that matches a failed pre-screening check (pre-selected in the dialog).
export const CHECK_REASON = {
  insured: 'not_insured',
  alive: 'deceased',
  age: 'not_eligible',
  waiting: 'not_eligible',
  duration: 'not_eligible',
  renewal_window: 'not_eligible',
  appeal_window: 'not_eligible',
  no_open_application: 'open_application',
  interval: 'too_soon',
  self_assessment: 'self_assessment',
  materials: 'materials_incomplete',
  pledge: 'materials_incomplete'
}
export const CHECK_LABELS = {
  insured: '参保状态',
  alive: '生存状态',
  age: '年龄条件',
  waiting: '参保等待期',
  duration: '失能持续时间',
  no_open_application: '在办申请',
  interval: '再次申请间隔',
  renewal_window: '复评申请时间',
  appeal_window: '复核期限',
  self_assessment: '自评结果',
  materials: '病历材料',
  pledge: '诚信承诺书'
}

export const REVIEW_DECISION_LABELS = { uphold: '维持', amend: '改定', revisit: '复评' }
export const REVIEW_DECISION_TAGS = { uphold: 'success', amend: 'warning', revisit: 'danger' }

export const FLAG_LABELS = {
  short_visit: '评估时长不足',
  no_gps: '未记录定位',
  gps_far: '定位偏离住址',
  missing_video: '缺少全程视频',
  no_witness: '无家属在场',
  level_jump: '等级变化过大',
  assessor_outlier: '评估人员偏离同行'
}

export const PRESENT_ROLES = ['expert', 'assessor', 'guardian', 'agent', 'family', 'staff', 'other']
export const PRESENT_ROLE_LABELS = {
  expert: '评估专家',
  assessor: '评估员',
  guardian: '监护人',
  agent: '代理人',
  family: '家属',
  staff: '工作人员',
  other: '其他'
}

export const DRAW_PURPOSE_LABELS = { assessment: '首次抽取', revisit: '复评抽取', appeal: '复核抽取' }
export const ASSIGNMENT_STATUS_LABELS = { open: '评估中', done: '已完成', replaced: '已替换' }
export const ASSIGNMENT_STATUS_TAGS = { open: 'primary', done: 'success', replaced: 'info' }

export const CERT_STATUS_LABELS = { publicised: '公示中', certified: '已认定', superseded: '已失效' }
export const CERT_STATUS_TAGS = { publicised: 'warning', certified: 'success', superseded: 'info' }

export const NOTICE_CHANNEL_LABELS = { sms: '短信', email: '电子邮件' }
export const NOTICE_STATUS_LABELS = { pending: '待发送', sent: '已发送', failed: '发送失败' }
export const NOTICE_STATUS_TAGS = { pending: 'warning', sent: 'success', failed: 'danger' }

// "5级 重度失能Ⅲ级"
export function levelText(level, name) {
  if (level === null || level === undefined) return ''
  return name ? `${level}级 ${name}` : `${level}级`
}

// ---- the self-assessment gate (自评表) ----

// The gate letter (A-G) of the answers, or '' while an item is unanswered. gate is the form's
// self_assessment section: items with class a/b, table[a dependent][b dependent], proceed letters.
export function gateLetter(gate, answers) {
  if (!gate || !Array.isArray(gate.items)) return ''
  let a = 0
  let b = 0
  for (const it of gate.items) {
    const v = answers?.[it.key]
    if (!v) return ''
    if (v === 'dependent') {
      if (it.class === 'a') a++
      else b++
    }
  }
  return gate.table?.[a]?.[b] || ''
}

export function gateProceeds(gate, letter) {
  return !!letter && String(gate?.proceed || '').includes(letter)
}

// ---- the national standard's score ----

// Grade index of a total in a dimension's bands; -1 if none matches.
export function gradeOf(dim, total) {
  const band = (dim.bands || []).find((b) => total >= b.min && total <= b.max)
  return band ? band.grade : -1
}

// Live result of the scores given so far: { dims: [{key, name, max, total, answered, count, grade,
// grade_name}], complete, level, level_name, qualifies }. level is null until every item is scored.
export function scoreForm(form, scores) {
  const dims = (form?.dimensions || []).map((d) => {
    const items = (form.items || []).filter((it) => it.dimension === d.key)
    let total = 0
    let answered = 0
    for (const it of items) {
      const v = scores[it.key]
      if (v !== undefined && v !== null && v !== '') {
        total += Number(v)
        answered++
      }
    }
    const complete = answered === items.length
    const grade = complete ? gradeOf(d, total) : -1
    return {
      key: d.key,
      name: d.name,
      max: d.max,
      total,
      answered,
      count: items.length,
      complete,
      grade,
      grade_name: grade >= 0 ? form.grades?.[grade] || '' : ''
    }
  })
  const complete = dims.length > 0 && dims.every((d) => d.complete)
  let level = null
  const comb = form?.combination
  if (complete && comb) {
    const byKey = Object.fromEntries(dims.map((d) => [d.key, d.grade]))
    const row = byKey[comb.row]
    const cols = (comb.columns || []).map((k) => byKey[k])
    const col = comb.column_rule === 'best' ? Math.min(...cols) : Math.max(...cols)
    const v = comb.table?.[row]?.[col]
    if (v !== undefined) level = v
  }
  const lv = level !== null ? (form.levels || []).find((l) => l.level === level) : null
  return { dims, complete, level, level_name: lv?.name || '', qualifies: !!lv?.qualifies }
}

// ---- dates ----

// "YYYY-MM-DD" +/- whole days (calendar), in UTC arithmetic on the date only.
export function addDays(ymd, days) {
  const t = Date.parse(`${ymd}T00:00:00Z`) + days * 86400000
  return new Date(t).toISOString().slice(0, 10)
}

// Days from a to b ("YYYY-MM-DD"), negative if b is earlier.
export function daysBetween(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000)
}

// A date `n` working days after ymd counting Monday to Friday only. The scheme's holiday calendar is
// not published by the API, so this is an estimate (shown as such).
export function addWeekdays(ymd, n) {
  let t = Date.parse(`${ymd}T00:00:00Z`)
  let left = n
  while (left > 0) {
    t += 86400000
    const wd = new Date(t).getUTCDay()
    if (wd !== 0 && wd !== 6) left--
  }
  return new Date(t).toISOString().slice(0, 10)
}

// Urgency of a due date relative to today: 'overdue' (past), 'soon' (within `soonDays`), '' otherwise.
export function dueState(due, today, soonDays = 2) {
  if (!due) return ''
  const d = daysBetween(today, due)
  if (d < 0) return 'overdue'
  if (d <= soonDays) return 'soon'
  return ''
}

// "超期3天" / "今天到期" / "剩2天"
export function dueText(due, today) {
  if (!due) return ''
  const d = daysBetween(today, due)
  if (d < 0) return `超期${-d}天`
  if (d === 0) return '今天到期'
  return `剩${d}天`
}

// ---- files ----

// Lower-case hex SHA-256 of a File/Blob, computed in the browser (crypto.subtle needs a secure
// context: https or localhost).
export async function sha256Hex(file) {
  if (!globalThis.crypto?.subtle) throw new Error('浏览器不支持在当前地址计算SHA-256（需https或本机访问）')
  const buf = await file.arrayBuffer()
  const hash = await crypto.subtle.digest('SHA-256', buf)
  return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

// Duration in whole seconds of a local video file, read from its metadata; null if the browser
// cannot read it.
export function videoSeconds(file) {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file)
    const v = document.createElement('video')
    let done = false
    const finish = (val) => {
      if (done) return
      done = true
      URL.revokeObjectURL(url)
      resolve(val)
    }
    v.preload = 'metadata'
    v.onloadedmetadata = () => finish(Number.isFinite(v.duration) && v.duration > 0 ? Math.round(v.duration) : null)
    v.onerror = () => finish(null)
    setTimeout(() => finish(null), 5000)
    v.src = url
  })
}

// "1小时05分" / "45分20秒"
export function fmtDuration(sec) {
  if (sec === null || sec === undefined || sec === '') return ''
  const s = Math.max(0, Math.round(Number(sec)))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const r = s % 60
  if (h) return `${h}小时${String(m).padStart(2, '0')}分`
  return r ? `${m}分${String(r).padStart(2, '0')}秒` : `${m}分钟`
}
