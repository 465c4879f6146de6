// Helpers to show a server validation error next to the form field it names
// (error.field from the API) through el-form-item's `error` prop.
import { reactive } from 'vue'

export function useFieldErrors() {
  const errors = reactive({})
  function clear() {
    for (const k of Object.keys(errors)) delete errors[k]
  }
  // Puts the message under the matching field when the form has one; returns true if so.
  function fromApi(err, fields) {
    clear()
    if (!err || !err.field) return false
    const key = String(err.field).split('.')[0]
    if (fields.includes(key)) {
      errors[key] = err.message
      return true
    }
    return false
  }
  return { errors, clear, fromApi }
}

// A random password that satisfies the policy (upper, lower, digit and symbol; 12 characters).
export function randomPassword() {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '@#%&*+=?!']
  const all = sets.join('')
  const rnd = new Uint32Array(16)
  crypto.getRandomValues(rnd)
  const chars = sets.map((s, i) => s[rnd[i] % s.length])
  for (let i = 4; i < 12; i++) chars.push(all[rnd[i] % all.length])
  for (let i = chars.length - 1; i > 0; i--) {
    const j = rnd[(i + 4) % 16] % (i + 1)
    ;[chars[i], chars[j]] = [chars[j], chars[i]]
  }
  return chars.join('')
}
