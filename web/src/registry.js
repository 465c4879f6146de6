// Registry and funding vocabulary shared by the 参保人员, 批量导入 and 基金概况 pages: Chinese labels
// (the server also sends most labels with the data; these are for filters and forms), tag colours,
// and the documented CSV formats of the import kinds with their downloadable templates.

export const ENROL_STATUS_LABELS = { active: '参保缴费', suspended: '暂停参保', ended: '终止参保', none: '未参保' }
export const ENROL_STATUS_TAGS = { active: 'success', suspended: 'warning', ended: 'info', none: 'info' }

export const CATEGORY_LABELS = { employee: '职工医保', resident: '城乡居民医保' }

export const FLAG_LABELS = { assistance: '医疗救助对象', sponsored: '政府资助参保' }

export const SOURCE_LABELS = { manual: '手工登记', import: '批量导入' }

export const PAYERS = ['personal_account', 'pooled_fund', 'individual', 'finance']
export const PAYER_LABELS = {
  personal_account: '个人账户划转',
  pooled_fund: '统筹基金划转',
  individual: '个人缴费',
  finance: '财政补助'
}

export const LEDGER_KIND_LABELS = { income: '收入', spending: '支出', recovery: '追回', adjustment: '调整' }
export const LEDGER_KIND_TAGS = { income: 'success', spending: 'danger', recovery: 'warning', adjustment: 'info' }

export const IMPORT_STATUS_TAGS = { queued: 'info', running: 'primary', done: 'success', failed: 'danger' }

// Documented CSV formats (the server's import reads these headers).
export const IMPORT_KINDS = [
  {
    kind: 'persons',
    label: '参保人员',
    desc: '新增参保人或更新已登记人员的姓名、电话、住址、区域和坐标（按身份证号码匹配）。',
    columns: [
      { name: 'id_number', required: true, desc: '18位身份证号码（校验位须正确），出生日期和性别由号码推算' },
      { name: 'name', required: true, desc: '姓名' },
      { name: 'phone', required: false, desc: '联系电话：手机11位，或区号-号码' },
      { name: 'address', required: false, desc: '居住地址' },
      { name: 'area_code', required: true, desc: '所属街道/镇（9位）或居委/村委（12位）区划代码' },
      { name: 'lat', required: false, desc: '纬度（十进制，与经度同时填写）' },
      { name: 'lon', required: false, desc: '经度（十进制，与纬度同时填写）' }
    ],
    example: '339902194001019016,张三,13800000000,江海市人民路1号101室,339902001001,29.990000,122.200000'
  },
  {
    kind: 'enrolments',
    label: '参保登记',
    desc: '追加参保登记记录（历史记录不会被覆盖，新记录自生效日期起生效）。人员须已登记。',
    columns: [
      { name: 'id_number', required: true, desc: '已登记参保人的身份证号码' },
      { name: 'category', required: true, desc: '险种：employee（职工医保）或 resident（城乡居民医保）' },
      { name: 'flags', required: false, desc: '特殊身份，多个用分号分隔：assistance（医疗救助对象）;sponsored（政府资助参保），无则留空' },
      { name: 'status', required: true, desc: '状态：active（参保缴费）、suspended（暂停参保）或 ended（终止参保）' },
      { name: 'effective_from', required: true, desc: '生效日期 YYYY-MM-DD' }
    ],
    example: '339902194001019016,resident,,active,2026-01-01'
  },
  {
    kind: 'deaths',
    label: '死亡信息',
    desc: '登记参保人的死亡日期（如民政、公安部门提供的死亡名单）。',
    columns: [
      { name: 'id_number', required: true, desc: '已登记参保人的身份证号码' },
      { name: 'death_date', required: true, desc: '死亡日期 YYYY-MM-DD' }
    ],
    example: '339902194001019016,2026-03-15'
  },
  {
    kind: 'hospital-stays',
    label: '住院信息',
    desc: '登记参保人的住院记录（如医保结算系统提供的住院数据）。',
    columns: [
      { name: 'id_number', required: true, desc: '已登记参保人的身份证号码' },
      { name: 'admitted', required: true, desc: '入院日期 YYYY-MM-DD' },
      { name: 'discharged', required: false, desc: '出院日期 YYYY-MM-DD，仍在院则留空' },
      { name: 'hospital', required: false, desc: '医院名称' }
    ],
    example: '339902194001019016,2026-02-01,2026-02-10,江海市人民医院'
  },
  {
    kind: 'caregivers',
    label: '护理员',
    desc: '登记定点护理机构的护理员及其资格证书（逐行按“登记护理员”的规则校验并记入审计日志；已是该机构护理员的行不作改动）。亲情护理员请在“护理员”页面逐一登记。',
    columns: [
      { name: 'id_number', required: true, desc: '18位身份证号码（实名登记，年满16周岁；性别、出生日期由号码推算）' },
      { name: 'name', required: true, desc: '姓名（与身份证一致）' },
      { name: 'phone', required: false, desc: '联系电话：手机11位，或区号-号码' },
      { name: 'provider_code', required: true, desc: '所属定点护理机构编码（如 P0001），机构不能是已终止协议的' },
      { name: 'employed_from', required: false, desc: '入职日期 YYYY-MM-DD，留空为导入当日' },
      { name: 'training_hours', required: false, desc: '培训学时（整数），留空为0' },
      { name: 'certificate_kind', required: false, desc: '证书类型：care_worker（养老护理员职业技能等级证书，留空时默认）、nurse（护士执业证书）、health_aide（健康照护师证书）、other（其他证书）' },
      { name: 'certificate_number', required: false, desc: '证书编号；留空则不登记证书（无有效证书的护理员不具备上岗资格）' },
      { name: 'skill_level', required: false, desc: '技能等级：1（一级/高级技师）至5（五级/初级工），0或留空为无等级' },
      { name: 'issued_on', required: false, desc: '发证日期 YYYY-MM-DD（登记证书时必填，不晚于今天）' },
      { name: 'expires_on', required: false, desc: '证书有效期至 YYYY-MM-DD（登记证书时必填，不早于发证日期）' }
    ],
    example: '339905197503086705,张三,13900001111,P0001,2026-01-01,120,care_worker,JH20260001,4,2025-06-30,2030-06-29'
  }
]

export function importKind(kind) {
  return IMPORT_KINDS.find((k) => k.kind === kind)
}

export function importHeader(kind) {
  return (importKind(kind)?.columns || []).map((c) => c.name).join(',')
}

// Downloads the header line of an import kind as a UTF-8 CSV with BOM (opens correctly in Excel).
export function downloadTemplate(kind) {
  const blob = new Blob(['\ufeff' + importHeader(kind) + '\r\n'], { type: 'text/csv;charset=utf-8' })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = `${kind}-template.csv`
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

// "1.5 MB"
export function fmtBytes(n) {
  const v = Number(n || 0)
  if (v < 1024) return `${v} B`
  if (v < 1024 * 1024) return `${(v / 1024).toFixed(1)} KB`
  if (v < 1024 * 1024 * 1024) return `${(v / 1024 / 1024).toFixed(1)} MB`
  return `${(v / 1024 / 1024 / 1024).toFixed(2)} GB`
}

// Same rule as the server: mobile 1[3-9] + 9 digits, or 0 + area code and number (with or without a
// hyphen), optionally followed by -extension.
export function phoneOk(s) {
  return /^(1[3-9]\d{9}|0\d{2,3}-\d{7,8}(-\d{1,6})?|0\d{9,11}(-\d{1,6})?)$/.test(s)
}
export const PHONE_HINT = '手机11位，或区号-号码（如0580-2261234）'

// Same rule as the server for person and contact names; returns an error message or ''.
export function nameProblem(name) {
  if (!name) return '姓名不能为空'
  const n = [...name].length
  if (n < 2 || n > 50) return '姓名应为2到50个字'
  if (name.startsWith(' ') || name.endsWith(' ')) return '姓名首尾不能有空格'
  for (const ch of name) {
    if (ch.codePointAt(0) >= 0x80) continue
    if (!/[A-Za-z .-]/.test(ch)) return '姓名含有不允许的字符'
  }
  if (/[，。、；（）]/.test(name)) return '姓名含有不允许的字符'
  return ''
}
