// Client-side check of 18-digit resident ID numbers (GB 11643-1999), the same rules as the server:
// province code, birth date not in the future, check character from the weighted sum mod 11. Used
// only for early feedback while typing; the server's answer is what counts.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'
const PROVINCES = new Set([11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
  53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83])

// The check character for the first 17 digits.
export function idCheckChar(first17) {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]
  return CHECK[sum % 11]
}

function validYmd(y, m, d) {
  if (m < 1 || m > 12 || d < 1) return false
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
  return d <= days[m - 1]
}

// Today's date in Asia/Shanghai as "YYYY-MM-DD".
export function todayCN() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date())
}

// Whole years between birth "YYYY-MM-DD" and on "YYYY-MM-DD".
export function ageOn(birth, on = todayCN()) {
  const [by, bm, bd] = birth.split('-').map(Number)
  const [ty, tm, td] = on.split('-').map(Number)
  let age = ty - by
  if (tm < bm || (tm === bm && td < bd)) age--
  return age
}

// Parses what has been typed so far. Returns
//   { state: 'empty' | 'partial' | 'invalid' | 'valid', message, number, birth_date, sex, sex_label, age, expected }
// 'partial' while fewer than 18 characters have been typed and nothing is wrong yet.
export function parseIdNumber(input, today = todayCN()) {
  const s = String(input || '').trim().toUpperCase()
  const out = { state: 'empty', message: '', number: s }
  if (!s) return out
  if (/^\d{15}$/.test(s)) return { ...out, state: 'invalid', message: '15位旧身份证号码不再受理，请提供18位身份证号码' }
  if (s.length > 18) return { ...out, state: 'invalid', message: '身份证号码应为18位' }
  const body = s.slice(0, 17)
  if (!/^\d*$/.test(body)) return { ...out, state: 'invalid', message: '身份证号码前17位必须是数字' }
  if (s.length === 18 && !/[\dX]$/.test(s)) return { ...out, state: 'invalid', message: '身份证号码末位只能是数字或X' }
  if (s.length >= 2 && !PROVINCES.has(Number(s.slice(0, 2)))) {
    return { ...out, state: 'invalid', message: '身份证号码的地区码无效' }
  }
  if (s.length >= 14) {
    const y = Number(s.slice(6, 10))
    const m = Number(s.slice(10, 12))
    const d = Number(s.slice(12, 14))
    const birth = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`
    if (!validYmd(y, m, d) || birth > today) return { ...out, state: 'invalid', message: '身份证号码中的出生日期无效' }
    out.birth_date = birth
    out.age = ageOn(birth, today)
  }
  if (s.length >= 17) {
    const male = Number(s[16]) % 2 === 1
    out.sex = male ? 'M' : 'F'
    out.sex_label = male ? '男' : '女'
    out.expected = idCheckChar(body)
  }
  if (s.length < 18) return { ...out, state: 'partial', message: `已输入${s.length}位，共18位` }
  if (s[17] !== out.expected) {
    return { ...out, state: 'invalid', message: `身份证号码校验位错误（按前17位计算应为${out.expected}）` }
  }
  return { ...out, state: 'valid' }
}
