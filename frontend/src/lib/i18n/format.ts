// Dates, times, counts and plurals for the two languages of the window,
// written out instead of asked of Intl: English and Dutch need little of it,
// and the first Intl formatter makes WebKit load and keep ICU's locale,
// calendar and time-zone data (some megabytes in the page process). Amounts
// with a currency still go through Intl (formatAmount), on the screens that
// show them.

export type Locale = 'en' | 'nl'

const months: Record<Locale, readonly string[]> = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  nl: ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
}

/** "one" for exactly 1, else "other": the plural rule of English and Dutch. */
export function pluralOf(n: number): 'one' | 'other' {
  return n === 1 ? 'one' : 'other'
}

/** A calendar day and, when known, a time of day on the local clock. */
interface Parts {
  year: number
  month: number // 0–11
  day: number
  hours: number
  minutes: number
}

const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * The parts of a moment on the local clock: Unix milliseconds or an RFC 3339
 * string. A bare date ("2026-11-27") is that day, in every time zone. Null
 * when it is not a moment.
 */
function partsOf(moment: string | number): Parts | null {
  if (typeof moment === 'string') {
    const m = dateOnly.exec(moment)
    if (m) {
      const month = Number(m[2]) - 1
      const day = Number(m[3])
      if (month < 0 || month > 11 || day < 1 || day > 31) return null
      return { year: Number(m[1]), month, day, hours: 0, minutes: 0 }
    }
  }
  const d = new Date(moment)
  if (Number.isNaN(d.getTime())) return null
  return { year: d.getFullYear(), month: d.getMonth(), day: d.getDate(), hours: d.getHours(), minutes: d.getMinutes() }
}

function dayText(p: Parts, locale: Locale): string {
  return `${p.day} ${months[locale][p.month]} ${p.year}`
}

/** "27 Nov 2026" (en), "27 nov 2026" (nl); the input itself when it is no moment. */
export function dateText(moment: string | number, locale: Locale): string {
  const p = partsOf(moment)
  return p ? dayText(p, locale) : String(moment)
}

/** "27 Nov 2026, 10:42" (en), "27 nov 2026, 10:42" (nl), on a 24-hour clock. */
export function dateTimeText(moment: string | number, locale: Locale): string {
  const p = partsOf(moment)
  if (!p) return String(moment)
  return `${dayText(p, locale)}, ${String(p.hours).padStart(2, '0')}:${String(p.minutes).padStart(2, '0')}`
}

const separators: Record<Locale, { group: string; decimal: string }> = {
  en: { group: ',', decimal: '.' },
  nl: { group: '.', decimal: ',' },
}

/**
 * n with digit grouping: "12,345" (en), "12.345" (nl); up to three decimals,
 * as Number.prototype.toLocaleString gives them.
 */
export function numberText(n: number, locale: Locale): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '∞' : '-∞'
  const { group, decimal } = separators[locale]
  const [whole, fraction = ''] = Math.abs(n).toFixed(3).split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group)
  const decimals = fraction.replace(/0+$/, '')
  const text = decimals ? `${grouped}${decimal}${decimals}` : grouped
  return n < 0 && text !== '0' ? `-${text}` : text
}
