// Care vocabulary shared by the 护理机构, 护理员, 护理计划, 我的护理计划 and 护理队伍统计 pages: Chinese
// labels and tag colours of provider kinds and statuses, care modes, caregiver kinds, statuses and
// certificates, plan statuses and confirmation methods (the server sends most labels with the data;
// these serve filters and forms), and small display helpers (distances, shares, weekly minutes).

export const PROVIDER_KINDS = ['home_care', 'elderly_institution', 'medical', 'ltc_facility']
export const PROVIDER_KIND_LABELS = {
  home_care: '居家护理服务机构',
  elderly_institution: '养老机构',
  medical: '医疗机构',
  ltc_facility: '长期护理机构'
}

export const PROVIDER_STATUSES = ['active', 'barred', 'suspended', 'terminated']
export const PROVIDER_STATUS_LABELS = {
  active: '正常',
  barred: '暂停接收新服务对象',
  suspended: '暂停服务',
  terminated: '已终止协议'
}
export const PROVIDER_STATUS_TAGS = { active: 'success', barred: 'warning', suspended: 'danger', terminated: 'info' }

// Service modes in the scheme's order.
export const CARE_MODES = ['home', 'family', 'institution']
export const CARE_MODE_LABELS = { home: '居家上门护理', family: '亲情护理', institution: '机构护理' }
export const CARE_MODE_TAGS = { home: 'primary', family: 'success', institution: 'warning' }

// Agreements: active ones are shown as 未生效 / 有效 / 已到期 by their validity on a day.
export const AGREEMENT_STATE_LABELS = { pending: '未生效', active: '有效', expired: '已到期', terminated: '已终止' }
export const AGREEMENT_STATE_TAGS = { pending: 'info', active: 'success', expired: 'warning', terminated: 'info' }
export function agreementState(ag, today) {
  if (ag.status === 'terminated') return 'terminated'
  if (ag.valid_from > today) return 'pending'
  if (ag.valid_until < today) return 'expired'
  return 'active'
}

export const CAREGIVER_KINDS = ['staff', 'family']
export const CAREGIVER_KIND_LABELS = { staff: '机构护理员', family: '亲情护理员' }
export const CAREGIVER_STATUSES = ['active', 'suspended', 'terminated']
export const CAREGIVER_STATUS_LABELS = { active: '在岗', suspended: '暂停结算', terminated: '已解除' }
export const CAREGIVER_STATUS_TAGS = { active: 'success', suspended: 'warning', terminated: 'info' }

export const CERT_KINDS = ['care_worker', 'nurse', 'health_aide', 'family_training', 'other']
export const CERT_KIND_LABELS = {
  care_worker: '养老护理员职业技能等级证书',
  nurse: '护士执业证书',
  health_aide: '健康照护师证书',
  family_training: '亲情护理培训合格证',
  other: '其他证书'
}

// Vocational skill levels (国家职业技能等级): 1 is the highest.
export const SKILL_LEVELS = [
  { level: 5, label: '五级/初级工' },
  { level: 4, label: '四级/中级工' },
  { level: 3, label: '三级/高级工' },
  { level: 2, label: '二级/技师' },
  { level: 1, label: '一级/高级技师' },
  { level: 0, label: '无等级' }
]
export function skillLabel(level) {
  return SKILL_LEVELS.find((s) => s.level === level)?.label || ''
}

// Answers of GET /caregivers/:id/qualification (result code -> tag colour).
export const QUAL_RESULT_TAGS = { ok: 'success', terminated: 'info', suspended: 'warning', not_employed: 'danger', no_certificate: 'danger' }

export const PLAN_STATUSES = ['draft', 'confirmed', 'active', 'superseded', 'ended', 'cancelled']
export const PLAN_STATUS_LABELS = {
  draft: '待确认',
  confirmed: '已确认待生效',
  active: '执行中',
  superseded: '已被替代',
  ended: '已终止',
  cancelled: '已作废'
}
export const PLAN_STATUS_TAGS = {
  draft: 'warning',
  confirmed: 'primary',
  active: 'success',
  superseded: 'info',
  ended: 'info',
  cancelled: 'info'
}

export const CONFIRM_METHODS = ['in_person', 'signature', 'phone']
export const CONFIRM_METHOD_LABELS = {
  in_person: '当面确认',
  signature: '书面签字',
  phone: '电话确认',
  online: '家属账号网上确认'
}

// Usual answers for "relation to the beneficiary" (free text is accepted too).
export const RELATIONS = ['本人', '配偶', '子女', '女儿', '儿子', '儿媳', '女婿', '孙子女', '兄弟姐妹', '其他亲属', '监护人']

export const ITEM_CLASS_LABELS = { living: '生活照护', medical: '医疗护理' }

// Catalogue items performed only by the family caregiver themself are not part of a plan.
export function plannable(item) {
  return (item.performers || []).some((p) => p === 'caregiver' || p === 'nurse')
}

export const PERFORMER_LABELS = { caregiver: '护理员', nurse: '护士', family: '亲情护理员' }

// 2463 -> "2.5 km", 850 -> "850 m"; '—' when unknown.
export function fmtDistance(m) {
  if (m === null || m === undefined) return '—'
  if (m < 1000) return `${m} m`
  return `${(m / 1000).toFixed(1)} km`
}

// 0.40939 -> "40.9%"; '—' for null.
export function fmtShare(x) {
  if (x === null || x === undefined) return '—'
  return `${(Math.round(x * 1000) / 10).toFixed(1)}%`
}

// 180 -> "180分钟（3小时）", 150 -> "150分钟（2.5小时）".
export function fmtWeekMinutes(min) {
  const n = Number(min || 0)
  if (!n) return '0分钟'
  const h = Math.round((n / 60) * 10) / 10
  return `${n}分钟（${h}小时）`
}

// The entitlement of a mode and level out of GET /care/catalogue, or null.
export function entitlementOf(catalogue, mode, level) {
  const m = (catalogue?.modes || []).find((x) => x.mode === mode)
  return m?.entitlements?.find((e) => e.level === level) || null
}

// Human names of the fields a plan check or save names (problems and refusals).
export function planFieldLabel(field) {
  if (!field) return ''
  if (/^items\[\d+\]/.test(field) || field === 'items') return '服务项目'
  return {
    person_id: '参保人',
    mode: '服务方式',
    provider_id: '护理机构',
    caregiver_id: '护理员',
    family_caregiver_id: '亲情护理员',
    visits_per_week: '每周上门次数',
    minutes_per_week: '每周服务时长',
    minutes_per_visit: '每次服务时长',
    note: '备注'
  }[field] || field
}
