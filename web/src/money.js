// Money helpers: amounts are integer fen everywhere. Formatting is done on the decimal digits as a
// string (never through floating point), sums are integer sums, and shares use BigInt arithmetic.

// Integer fen (number, bigint or digit string) -> "19,125.00"; negative amounts get a leading "-".
// '' for null/undefined/''.
export function fmtFen(fen) {
  if (fen === null || fen === undefined || fen === '') return ''
  let s = typeof fen === 'bigint' ? fen.toString() : String(fen).trim()
  if (!/^-?\d+$/.test(s)) {
    // Not an integer: refuse to guess rather than round silently.
    const n = Number(s)
    if (!Number.isSafeInteger(n)) return String(fen)
    s = String(n)
  }
  let neg = false
  if (s.startsWith('-')) {
    neg = true
    s = s.slice(1)
  }
  s = s.replace(/^0+(?=\d)/, '').padStart(3, '0')
  const yuan = s.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const cents = s.slice(-2)
  const out = `${yuan}.${cents}`
  return neg && out !== '0.00' ? `-${out}` : out
}

// "+1,234.50" / "-1,234.50": signed amounts of ledger entries.
export function fmtFenSigned(fen) {
  const s = fmtFen(fen)
  if (!s || s.startsWith('-') || s === '0.00') return s
  return `+${s}`
}

// Sum of integer fen values (nulls count as 0); throws if a value is not an integer.
export function sumFen(values) {
  let total = 0
  for (const v of values) {
    if (v === null || v === undefined) continue
    const n = Number(v)
    if (!Number.isInteger(n)) throw new Error(`not an integer amount: ${v}`)
    total += n
  }
  return total
}

// Share of part in whole as a percent string with two decimals ("53.40"), rounded half up;
// '' when whole is 0.
export function sharePercent(part, whole) {
  const p = BigInt(part || 0)
  const w = BigInt(whole || 0)
  if (w === 0n) return ''
  const neg = (p < 0n) !== (w < 0n) && p !== 0n
  const ap = p < 0n ? -p : p
  const aw = w < 0n ? -w : w
  const bp = (ap * 10000n * 2n + aw) / (aw * 2n) // basis points, half up
  const s = bp.toString().padStart(3, '0')
  return `${neg ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`
}

// Fen -> yuan as a plain number, for chart axes only (never summed or shown as text).
export function fenToYuanNumber(fen) {
  return Number(fen || 0) / 100
}

// Yuan typed by a user ("1,234.5", "-50", "+0.05") -> integer fen, parsed on the digits as a string
// (never through floating point); null when the text is not an amount with at most two decimals.
export function yuanToFen(text) {
  const s = String(text ?? '').trim().replace(/[,，\s]/g, '')
  const m = /^([+-]?)(\d+)(?:\.(\d{0,2}))?$/.exec(s)
  if (!m) return null
  const fen = BigInt(m[2]) * 100n + BigInt((m[3] || '').padEnd(2, '0'))
  const n = Number(m[1] === '-' ? -fen : fen)
  return Number.isSafeInteger(n) ? n : null
}
