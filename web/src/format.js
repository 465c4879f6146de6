// Display helpers: times in Asia/Shanghai, Chinese labels for audit actions, outcomes,
// scope kinds and statuses, and the client-side copy of the password policy.

const dtf = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23'
})

// Unix seconds -> "YYYY-MM-DD HH:mm:ss" in Beijing time; '' for null.
export function fmtTime(sec) {
  if (sec === null || sec === undefined || sec === '') return ''
  const parts = {}
  for (const p of dtf.formatToParts(new Date(Number(sec) * 1000))) parts[p.type] = p.value
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`
}

// Unix seconds -> "YYYY-MM-DD" in Beijing time.
export function fmtDate(sec) {
  const t = fmtTime(sec)
  return t ? t.slice(0, 10) : ''
}

export const ACTION_LABELS = {
  'session.login': '登录',
  'session.logout': '退出',
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.password.change': '修改密码',
  'user.password.reset': '重置密码',
  'user.unlock': '解除锁定',
  'area.create': '新建区域',
  'area.update': '修改区域',
  'area.delete': '删除区域',
  'token.create': '新建令牌',
  'token.revoke': '吊销令牌',
  'demo.load': '加载演示数据',
  'person.read': '查看参保人完整信息',
  'person.create': '登记参保人',
  'person.update': '修改参保人',
  'enrolment.create': '新增参保记录',
  'person.death': '登记死亡',
  'person.hospital_stay': '登记住院',
  'contributions.run': '核定年度筹资',
  'import.upload': '批量导入',
  'application.submit': '提交评估申请',
  'application.read': '查看评估申请',
  'application.material': '上传申请材料',
  'application.material.read': '下载申请材料',
  'application.prescreen': '初筛（受理/不予受理）',
  'application.withdraw': '撤回申请',
  'application.assign': '抽取评估人员（派单）',
  'assessment.submit': '提交现场评估',
  'review.decide': '评估委员会审核',
  'conclusion.confirm': '专家确认',
  'conclusion.publish': '评估结论公示',
  'application.certify': '认定失能等级',
  'assessor.create': '新增评估人员',
  'assessor.update': '修改评估人员',
  'followup.draw': '抽取回访对象',
  'followup.record': '记录回访结果',
  'shared.read': '部门读取认定结果',
  'provider.create': '新增定点护理机构',
  'provider.update': '修改护理机构信息',
  'provider.status': '变更护理机构状态',
  'agreement.create': '签订服务协议',
  'agreement.update': '修改服务协议',
  'agreement.terminate': '终止服务协议',
  'caregiver.create': '登记护理员',
  'caregiver.read': '查看护理员完整信息',
  'caregiver.update': '修改护理员信息',
  'caregiver.certificate': '登记护理员证书',
  'caregiver.move': '护理员变更所属机构',
  'caregiver.status': '护理员暂停结算/恢复/解除',
  'care_plan.draft': '制定护理计划',
  'care_plan.update': '修改护理计划',
  'care_plan.confirm': '确认护理计划',
  'care_plan.cancel': '作废护理计划',
  'care_plan.end': '终止护理计划',
  'user.persons': '关联家属账号的参保人',
  'http.request': '接口访问'
}

export function actionLabel(a) {
  return ACTION_LABELS[a] || a || ''
}

export const OUTCOME_LABELS = { ok: '成功', denied: '拒绝', failed: '失败', error: '错误' }
export const OUTCOME_TAGS = { ok: 'success', denied: 'warning', failed: 'danger', error: 'danger' }

export const TARGET_LABELS = {
  user: '用户',
  area: '区域',
  api_token: '接口令牌',
  token: '接口令牌',
  provider: '护理机构',
  session: '会话',
  person: '参保人',
  import: '导入任务',
  contribution_year: '筹资年度',
  application: '评估申请',
  assessor: '评估人员',
  certification: '评估结论',
  followup: '回访记录',
  followup_sample: '回访抽样',
  agreement: '服务协议',
  caregiver: '护理员',
  care_plan: '护理计划'
}

export const ACTOR_KIND_LABELS = { user: '用户', token: '接口令牌', system: '系统', anonymous: '匿名' }

export const SCOPE_KIND_LABELS = {
  region: '统筹区',
  district: '区/县',
  street: '街道/镇',
  neighbourhood: '居委/村委',
  provider: '护理机构'
}

export const AREA_LEVELS = ['region', 'district', 'street', 'neighbourhood']

export const USER_STATUS_LABELS = { active: '启用', disabled: '停用' }

export const TOKEN_STATUS_LABELS = { active: '有效', revoked: '已吊销', expired: '已过期' }
export const TOKEN_STATUS_TAGS = { active: 'success', revoked: 'info', expired: 'warning' }

// "江海市（统筹区）"
export function scopeText(scope) {
  if (!scope) return ''
  const kind = SCOPE_KIND_LABELS[scope.kind] || scope.kind || ''
  return kind ? `${scope.name || scope.code || ''}（${kind}）` : scope.name || ''
}

// Same rules as the server: at least 8 characters, three of upper/lower/digit/other,
// must not contain the username (case-insensitive). Returns an error message or ''.
export function passwordProblem(pw, username) {
  if (!pw) return '请输入密码'
  if ([...pw].length < 8) return '密码至少8位'
  let classes = 0
  if (/[a-z]/.test(pw)) classes++
  if (/[A-Z]/.test(pw)) classes++
  if (/[0-9]/.test(pw)) classes++
  if (/[^a-zA-Z0-9]/.test(pw)) classes++
  if (classes < 3) return '密码须包含大写字母、小写字母、数字、符号中的至少三类'
  if (username && pw.toLowerCase().includes(String(username).toLowerCase())) return '密码不能包含用户名'
  return ''
}

export const PASSWORD_HINT = '至少8位，须包含大写字母、小写字母、数字、符号中的至少三类，且不能包含用户名'
