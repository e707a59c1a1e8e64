import { describe, expect, it } from 'vitest'
import { errorText, setLocale } from './i18n'
import { checkPartyId } from './partyid'

// The same cases as internal/koppel's TestParsePartyID: the window must
// agree with Go on every one.
const valid = [
  'NL:KVK:12345678',
  ' nl:kvk:12345678 ',
  '0106:12345678',
  'NL:VAT:NL123456789B01',
  '9944:NL123456789B01',
  'NL:OIN:00000001234567890000',
  'NL:OINO:00000001234567890000',
  'BE:EN:0123456749',
  '0208:0123456749',
]

const invalid: [input: string, key: string][] = [
  ['', 'party.required'],
  ['12345678', 'party.no_scheme'],
  ['NL:XYZ:12345678', 'party.unknown_scheme'],
  ['NL:KVK:1234567', 'party.kvk_length'],
  ['NL:KVK:1234567a', 'party.kvk_digits'],
  ['NL:VAT:DE123456789B01', 'party.vat_country'],
  ['NL:VAT:NL12345678B01', 'party.vat_digits'],
  ['NL:VAT:NL123456789X01', 'party.vat_letter'],
  ['NL:VAT:NL123456789B1', 'party.vat_suffix'],
  ['NL:OIN:123', 'party.oin_length'],
  ['BE:EN:0123456789', 'party.be_check_digits'],
  ['BE:EN:2123456789', 'party.be_first_digit'],
  ['BE:EN:12345', 'party.be_length'],
  ['9'.repeat(100), 'party.too_long'],
]

const say = (input: string) => {
  const p = checkPartyId(input)
  return p ? errorText({ code: 'invalid', message: '', ...p }) : ''
}

describe('checkPartyId', () => {
  it.each(valid)('accepts %j', (input) => {
    expect(checkPartyId(input)).toBeNull()
  })

  it.each(invalid)('refuses %j as %s', (input, key) => {
    expect(checkPartyId(input)?.key).toBe(key)
  })

  it('names the parts the way Go does', () => {
    expect(checkPartyId('nl:kvk:1234')).toEqual({
      key: 'party.kvk_length',
      params: { input: 'NL:KVK:1234', value: '1234', count: '4' },
    })
    expect(checkPartyId('NL:XYZ:1')?.params.scheme).toBe('NL:XYZ:')
  })
})

describe('party ID messages', () => {
  it('say what is wrong in English', () => {
    setLocale('en')
    expect(say('NL:KVK:1234')).toBe('The party ID “NL:KVK:1234” is not valid: a KvK number has 8 digits; “1234” has 4.')
    expect(say('')).toBe('A party ID is required, for example NL:KVK:12345678.')
    expect(say('BE:EN:0123456789')).toContain('the check digits of “0123456789” do not match')
    expect(say('NL:XYZ:1')).toContain('The party ID scheme “NL:XYZ:” is not known. Use one of: NL:KVK:12345678')
  })

  it('say what is wrong in Dutch', () => {
    setLocale('nl')
    expect(say('NL:KVK:1234')).toBe('Het party-ID “NL:KVK:1234” is ongeldig: een KvK-nummer heeft 8 cijfers; “1234” heeft er 4.')
    expect(say('')).toBe('Een party-ID is verplicht, bijvoorbeeld NL:KVK:12345678.')
    expect(say('NL:VAT:NL123456789X01')).toContain('heeft de letter B na de 9 cijfers')
    setLocale('en')
  })
})
