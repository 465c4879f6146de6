// Settlement vocabulary shared by the pages 结算管理 / 结算单, 结算单详情 and 支付批次: Chinese labels and
// tag colours of statement, objection, adjustment and payment statuses, line kinds, funding sources and
// payees; the review steps of a statement in order; the quality factor as text; months as text; and a
// file download (the statement's .xlsx, a payment's .xlsx and bank CSV) fetched with the session's cookie
// so that a refusal shows the server's message instead of a broken file.
import { ApiError, showError } from './api.js'
import { addMonths, thisMonth } from './visits.js'
import { fmtFen } from './money.js'

// ---- statements ----

// As the server words them (svc/settlement_view.c); rows carry status_label, these serve filters and tags.
export const STATUSES = ['draft', 'claimed', 'first_reviewed', 'second_reviewed', 'approved', 'paid']
export const STATUS_LABELS = {
  draft: '草稿（待发布）',
  claimed: '已发布待初审',
  first_reviewed: '已初审',
  second_reviewed: '已复审',
  approved: '已审批',
  paid: '已支付'
}
export const STATUS_SHORT = {
  draft: '草稿',
  claimed: '待初审',
  first_reviewed: '已初审',
  second_reviewed: '已复审',
  approved: '已审批',
  paid: '已支付'
}
export const STATUS_TAGS = {
  draft: 'info',
  claimed: 'warning',
  first_reviewed: 'primary',
  second_reviewed: 'primary',
  approved: 'success',
  paid: 'success'
}

// The steps of a statement in order, each with the key of statement.steps that records it (who, when).
// The draft's own record is the computation (statement.computed).
export const STEPS = [
  { status: 'draft', title: '草稿', step: null },
  { status: 'claimed', title: '已发布', sub: '机构申报', step: 'claimed' },
  { status: 'first_reviewed', title: '初审', step: 'first_review' },
  { status: 'second_reviewed', title: '复审', step: 'second_review' },
  { status: 'approved', title: '已审批', step: 'approved' },
  { status: 'paid', title: '已支付', step: 'paid' }
]

export function stepIndex(status) {
  return Math.max(0, STATUSES.indexOf(status))
}

// Statuses in which the bureau may still send a statement back to be computed again.
export const REOPENABLE = ['claimed', 'first_reviewed', 'second_reviewed']

// ---- lines ----

export const KINDS = ['base', 'shortfall', 'deduction_rejected', 'deduction_unqualified', 'adjustment', 'quality']
// As rules/settle.c words them (lines carry kind_label).
export const KIND_LABELS = {
  base: '应付',
  shortfall: '未达标扣减',
  deduction_rejected: '异常不予认可扣除',
  deduction_unqualified: '无资质护理员扣除',
  adjustment: '调整',
  quality: '质量系数'
}
export const KIND_TAGS = {
  base: 'success',
  shortfall: 'warning',
  deduction_rejected: 'danger',
  deduction_unqualified: 'danger',
  adjustment: 'primary',
  quality: 'info'
}

export const SOURCES = ['fund', 'supplementary', 'assistance']
export const SOURCE_LABELS = { fund: '长护险基金', supplementary: '补充保险', assistance: '社会救助' }
export const PAYEES = ['provider', 'family_caregiver', 'beneficiary']
export const PAYEE_LABELS = { provider: '护理机构', family_caregiver: '亲情护理员', beneficiary: '参保人' }
export const UNIT_LABELS = { days: '天', visits: '次', minutes: '分钟', month: '月', fen: '分', item: '项' }

// How a visit counted in its beneficiary's month (settlement_visits.kind).
export const SETTLED_AS_LABELS = { payable: '有效', rejected: '不予认可', unqualified: '无资质' }
export const SETTLED_AS_TAGS = { payable: 'success', rejected: 'danger', unqualified: 'danger' }

// ---- objections, adjustments, payments ----

export const OBJECTION_STATUS_LABELS = { open: '待答复', accepted: '异议成立', dismissed: '异议不成立' }
export const OBJECTION_STATUS_TAGS = { open: 'warning', accepted: 'success', dismissed: 'info' }

export const ADJUSTMENT_STATUS_LABELS = { pending: '待结算', settled: '已结算', cancelled: '已撤销' }
export const ADJUSTMENT_STATUS_TAGS = { pending: 'warning', settled: 'success', cancelled: 'info' }

export const PAYMENT_STATUS_LABELS = { exported: '已导出待付款', paid: '已付款' }
export const PAYMENT_STATUS_TAGS = { exported: 'warning', paid: 'success' }

// ---- text helpers ----

// 1000 -> "1.000"
export function qualityText(permille) {
  if (permille === null || permille === undefined) return '—'
  const n = Number(permille)
  const s = String(Math.abs(n)).padStart(4, '0')
  return `${n < 0 ? '-' : ''}${s.slice(0, -3)}.${s.slice(-3)}`
}

// "2026-10" -> "2026年10月"
export function monthText(month) {
  if (!month || month.length < 7) return month || ''
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`
}

// The last month that has ended (the latest a run accepts).
export function lastFullMonth() {
  return addMonths(thisMonth(), -1)
}

// "333 次" style count of a line's quantity in its unit.
export function quantityText(line) {
  if (line.unit === 'fen') return ''
  return `${line.quantity}${UNIT_LABELS[line.unit] || ''}`
}

// ---- downloads ----

// Fetches a file route of the API with the session's cookie and saves it under the server's file name
// (Content-Disposition) or `fallback`. Shows and rethrows the server's message (ApiError) on refusal.
export async function downloadFile(path, fallback) {
  let res
  try {
    res = await fetch(`/api/v1${path}`, { credentials: 'same-origin' })
  } catch {
    const err = new ApiError(0, 'network', '网络错误，文件未能下载，请稍后重试')
    showError(err.message)
    throw err
  }
  if (!res.ok) {
    let body = null
    try {
      body = await res.json()
    } catch {
      body = null
    }
    const e = body?.error || {}
    const err = new ApiError(res.status, e.code || `http_${res.status}`, e.message || `下载失败（HTTP ${res.status}）`, e.field)
    showError(err.message)
    throw err
  }
  const blob = await res.blob()
  const name = fileNameOf(res.headers.get('Content-Disposition')) || fallback
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
  return name
}

function fileNameOf(header) {
  if (!header) return ''
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header)
  if (star) {
    try {
      return decodeURIComponent(star[1])
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header)
  return plain ? plain[1] : ''
}

// How a line's amount was computed, e.g. "1,280.00 元 × 20 天 ÷ 31", "-780.00 元 × 1 次 ÷ 9" (a deduction
// at the full rate) or "32,233.28 元 × 0%": amount = round(unit × quantity × rate ÷ (divisor × 1000)).
export function formulaText(line) {
  const rate = Number(line.rate_permille)
  const sign = rate === -1000 ? '-' : ''
  const pct = Math.abs(rate) === 1000 ? '' : ` × ${rate / 10}%`
  if (line.unit === 'fen') return `${sign}${fmtFen(line.quantity)} 元${pct}`
  const div = Number(line.divisor) !== 1 ? ` ÷ ${line.divisor}` : ''
  return `${sign}${fmtFen(line.unit_fen)} 元 × ${line.quantity} ${UNIT_LABELS[line.unit] || ''}${div}${pct}`
}

// An amount in Chinese capitals as printed on financial documents (人民币大写): 33684.86 yuan ->
// "叁万叁仟陆佰捌拾肆元捌角陆分", 100000 -> "壹拾万元整". Integer fen in, no floating point.
export function fenToChinese(fen) {
  const D = '零壹贰叁肆伍陆柒捌玖'
  let n = BigInt(fen || 0)
  const neg = n < 0n
  if (neg) n = -n
  const yuan = n / 100n
  const jiao = Number((n % 100n) / 10n)
  const cent = Number(n % 10n)
  let out = ''
  if (yuan > 0n) {
    const s = yuan.toString()
    const groups = []
    for (let i = s.length; i > 0; i -= 4) groups.unshift(s.slice(Math.max(0, i - 4), i).padStart(4, '0'))
    const big = ['', '万', '亿', '万亿']
    let zero = false
    groups.forEach((g, gi) => {
      let part = ''
      for (let k = 0; k < 4; k++) {
        const d = Number(g[k])
        if (d === 0) {
          zero = true
          continue
        }
        if (zero && (out || part)) part += '零'
        zero = false
        part += D[d] + ['仟', '佰', '拾', ''][k]
      }
      if (part) out += part + big[groups.length - 1 - gi]
    })
    out += '元'
  }
  let dec = ''
  if (jiao) dec += D[jiao] + '角'
  else if (cent && out) dec += '零'
  if (cent) dec += D[cent] + '分'
  if (!out && !dec) return '零元整'
  if (!cent) dec += '整'
  return (neg ? '负' : '') + out + dec
}
