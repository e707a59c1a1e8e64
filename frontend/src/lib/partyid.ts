// The party ID rules of internal/koppel/partyid.go, so the form can say what
// is wrong while the user types. Go stays the authority: it checks again on
// save. The problems are named with the same keys as Go's errors, so both
// are said by the same messages (lib/i18n, "error.party.*").

export const partyIdFormats =
  'NL:KVK:12345678, 0106:12345678, NL:VAT:NL123456789B01, 9944:NL123456789B01, NL:OIN:…, 0190:…, NL:OINO:…, BE:EN:0123456789 or 0208:0123456789'

/** What is wrong with a party ID: a message key (without "error.") and its parameters. */
export interface PartyProblem {
  key: string
  params: Record<string, string>
}

type Check = (value: string) => { key: string; extra?: Record<string, string> } | null

const schemes: readonly [prefix: string, check: Check][] = [
  ['NL:KVK:', checkKvK],
  ['0106:', checkKvK],
  ['NL:VAT:', checkDutchVAT],
  ['9944:', checkDutchVAT],
  ['NL:OIN:', checkOIN],
  ['0190:', checkOIN],
  ['NL:OINO:', checkOIN],
  ['BE:EN:', checkBelgianEnterprise],
  ['0208:', checkBelgianEnterprise],
]

/** Checks s as Go's ParsePartyID does; null means valid. */
export function checkPartyId(s: string): PartyProblem | null {
  // Go's strings.TrimSpace and ToUpper; JavaScript's trim covers the same
  // spaces for any party ID that could be valid.
  s = s.trim().toUpperCase()
  if (s === '') return { key: 'party.required', params: {} }
  if (new TextEncoder().encode(s).length > 64) return { key: 'party.too_long', params: { max: '64' } }
  for (const [prefix, check] of schemes) {
    if (s.startsWith(prefix)) {
      const value = s.slice(prefix.length)
      const problem = check(value)
      if (!problem) return null
      return { key: problem.key, params: { input: short(s), value: short(value), ...problem.extra } }
    }
  }
  const i = s.lastIndexOf(':')
  if (i < 0) return { key: 'party.no_scheme', params: { input: short(s), formats: partyIdFormats } }
  return { key: 'party.unknown_scheme', params: { scheme: short(s.slice(0, i + 1)), formats: partyIdFormats } }
}

/** The party ID as Go stores it: trimmed, upper case. */
export function normalizePartyId(s: string): string {
  return s.trim().toUpperCase()
}

function checkKvK(v: string) {
  if (!allDigits(v)) return { key: 'party.kvk_digits' }
  if (v.length !== 8) return { key: 'party.kvk_length', extra: { count: String(v.length) } }
  return null
}

function checkDutchVAT(v: string) {
  if (!v.startsWith('NL')) return { key: 'party.vat_country' }
  if (v.length < 11 || !allDigits(v.slice(2, 11))) return { key: 'party.vat_digits' }
  if (v.length < 12 || v[11] !== 'B') return { key: 'party.vat_letter' }
  if (v.length !== 14 || !allDigits(v.slice(12))) return { key: 'party.vat_suffix' }
  return null
}

function checkOIN(v: string) {
  return !allDigits(v) || v.length !== 20 ? { key: 'party.oin_length' } : null
}

function checkBelgianEnterprise(v: string) {
  if (!allDigits(v) || v.length !== 10) return { key: 'party.be_length' }
  if (v[0] !== '0' && v[0] !== '1') return { key: 'party.be_first_digit' }
  const n = Number(v.slice(0, 8))
  const want = 97 - (n % 97)
  if (Number(v.slice(8)) !== want) return { key: 'party.be_check_digits' }
  return null
}

function allDigits(s: string): boolean {
  return /^[0-9]+$/.test(s)
}

/** Shortens input for a message as Go's shortInput does (40 bytes, then "…"). */
function short(s: string): string {
  const bytes = new TextEncoder().encode(s)
  if (bytes.length <= 40) return s
  return new TextDecoder().decode(bytes.slice(0, 40)).replace(/\uFFFD+$/, '') + '…'
}
