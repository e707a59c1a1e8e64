import { describe, expect, it } from 'vitest'
import { en } from './en'
import { nl } from './nl'
import { type Phrase, detectLocale, errorText, formatAge, phrasesText, hasMessage, interpolate, locale, setLocale, t, tn } from './i18n.svelte'

const placeholders = (message: string) => [...message.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort()

describe('catalogs', () => {
  it('nl has exactly the keys of en', () => {
    expect(Object.keys(nl).sort()).toEqual(Object.keys(en).sort())
  })

  it('nl uses the same placeholders as en in every message', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(nl[key]), key).toEqual(placeholders(en[key]))
    }
  })

  it('has no empty messages', () => {
    for (const catalog of [en, nl]) {
      for (const [key, message] of Object.entries(catalog)) expect(message.trim(), key).not.toBe('')
    }
  })
})

describe('detectLocale', () => {
  it.each([
    [['nl-NL', 'en'], 'nl'],
    [['nl-BE'], 'nl'],
    [['de-DE', 'en-GB'], 'en'],
    [['fr'], 'en'],
    [[], 'en'],
  ])('%j gives %s', (languages, want) => {
    expect(detectLocale(languages)).toBe(want)
  })
})

describe('interpolate', () => {
  it('fills known placeholders and leaves unknown ones', () => {
    expect(interpolate('{count} attempts, last {when} {x}', { count: 14, when: '10:42' })).toBe(
      '14 attempts, last 10:42 {x}',
    )
  })
})

describe('errorText', () => {
  it('says a keyed error in the chosen language with its parameters', () => {
    const e = {
      code: 'conflict',
      message: 'Connection 3 (ak_x) is still active. Revoke it first, then delete it.',
      key: 'connection.still_active',
      params: { id: '3', appKey: 'ak_x' },
    }
    setLocale('nl')
    expect(errorText(e)).toBe('Verbinding ak_x is nog actief. Trek haar eerst in en verwijder haar daarna.')
    setLocale('en')
    expect(errorText(e)).toBe('Connection ak_x is still active. Revoke it first, then delete it.')
  })

  it('translates the field a message names', () => {
    setLocale('nl')
    expect(errorText({ code: 'invalid', message: '', key: 'text.required', params: { field: 'organization name' } })).toBe(
      'Vul de naam van de organisatie in.',
    )
    setLocale('en')
  })

  it('translates the party a UBL refusal names', () => {
    setLocale('nl')
    const e = { code: 'invalid' as const, message: '', key: 'document.no_party', params: { what: 'customer' } }
    expect(errorText(e)).toContain('geen party-ID van de klant:')
    setLocale('en')
    expect(errorText(e)).toContain('names no customer party ID')
  })

  it('says the XML parser’s complaints in Dutch, with the document’s own names', () => {
    setLocale('nl')
    const params = { line: '6', open: 'cbc:IssueDate', close: 'Invoice' }
    expect(errorText({ code: 'invalid', message: '', key: 'document.xml_closed_by', params })).toBe(
      'Het document is geen geldige XML: regel 6: element <cbc:IssueDate> wordt gesloten met </Invoice>.',
    )
    setLocale('en')
  })

  it('falls back to Go’s English message for a key it does not know', () => {
    setLocale('nl')
    expect(errorText({ code: 'conflict', message: 'Something new.', key: 'brand.new' })).toBe('Something new.')
    expect(errorText({ code: 'invalid', message: 'No key at all.' })).toBe('No key at all.')
    setLocale('en')
  })

  it('has a message for every key Go sets', () => {
    // The keys of internal/koppel, connections, organizations, settings and app.
    const goKeys = [
      'internal', 'app.starting', 'app.closed',
      'party.required', 'party.too_long', 'party.no_scheme', 'party.unknown_scheme', 'party.kvk_digits',
      'party.kvk_length', 'party.vat_country', 'party.vat_digits', 'party.vat_letter', 'party.vat_suffix',
      'party.oin_length', 'party.be_length', 'party.be_first_digit', 'party.be_check_digits',
      'text.too_long', 'text.not_utf8', 'text.control', 'text.required', 'email.at', 'email.character', 'email.domain',
      'organization.not_found', 'organization.party_taken', 'organization.kvk', 'organization.vat',
      'organization.already_ended', 'organization.ended', 'software.not_found', 'software.autopilot',
      'connection.not_found', 'connection.reason', 'connection.already_revoked', 'connection.still_active',
      'connection.no_organizations', 'connection.too_many_grants', 'connection.status',
      'settings.unknown', 'settings.language', 'settings.clipboard_seconds', 'settings.api_addr',
      'settings.api_loopback', 'settings.api_port', 'input.limit', 'input.id', 'input.choice', 'clipboard.text',
    ]
    for (const key of goKeys) expect(hasMessage(`error.${key}`), key).toBe(true)
  })
})

describe('phrasesText', () => {
  it('says phrases from Go in the current language, codes among their values too', async () => {
    await setLocale('nl')
    const phrases: Phrase[] = [
      { key: 'setting', params: { setting: 'language', value: 'nl' } },
      { key: 'software', params: { name: 'Radar', direction: 'send' } },
      { key: 'connection.reason', params: { reason: 'a reason no catalog knows' } },
    ]
    expect(phrasesText(phrases)).toBe('taal = nl; Radar (verstuurt); reden: a reason no catalog knows')
    await setLocale('en')
    expect(phrasesText(phrases)).toBe('language = nl; Radar (sends); reason: a reason no catalog knows')
  })

  it('gives null for none, and for a phrase the catalogs do not know (the caller shows Go’s English)', () => {
    expect(phrasesText(undefined)).toBeNull()
    expect(phrasesText([])).toBeNull()
    expect(phrasesText([{ key: 'name', params: { name: 'Yuki' } }, { key: 'from.a.newer.koppel' }])).toBeNull()
  })
})

describe('formatAge', () => {
  it('says how old a key is, briefly', () => {
    setLocale('en')
    const now = Date.parse('2026-03-01T12:00:00Z')
    expect(formatAge('2026-03-01T08:00:00Z', now)).toBe('today')
    expect(formatAge('2026-02-14T12:00:00Z', now)).toBe('15 d')
    expect(formatAge('2025-09-01T12:00:00Z', now)).toBe('6 mo')
    expect(formatAge('2023-01-01T12:00:00Z', now)).toBe('3 yr')
  })
})

describe('plurals', () => {
  it('says one document and two documents in English', () => {
    setLocale('en')
    expect(tn('docs.count', 1)).toBe('1 document.')
    expect(tn('docs.count', 2)).toBe('2 documents.')
    expect(tn('docs.count', 0)).toBe('0 documents.')
    expect(tn('reconnect.done', 1)).toBe('1 document re-offered.')
    expect(tn('reconnect.count', 3)).toBe('3 documents to re-offer:')
    expect(tn('doc.reoffered', 1)).toBe('Re-offered to 1 connection.')
    expect(tn('doc.reoffered', 2)).toBe('Re-offered to 2 connections.')
    expect(tn('import.progress', 1, { done: '0', total: '1' })).toBe('0 of 1 file')
    expect(tn('docs.reofferFailed', 1, { message: 'x' })).toBe('1 document could not be re-offered: x')
  })

  it('zegt 1 document en 2 documenten in het Nederlands', () => {
    setLocale('nl')
    expect(tn('docs.count', 1)).toBe('1 document.')
    expect(tn('docs.count', 2)).toBe('2 documenten.')
    expect(tn('docs.count', 0)).toBe('0 documenten.')
    expect(tn('docs.reoffered', 1)).toBe('1 document opnieuw aangeboden aan de API.')
    expect(tn('reconnect.done', 1)).toBe('1 document opnieuw aangeboden.')
    expect(tn('reconnect.done', 2)).toBe('2 documenten opnieuw aangeboden.')
    expect(tn('reconnect.count', 1)).toBe('1 document opnieuw aan te bieden:')
    expect(tn('doc.reoffered', 1)).toBe('Opnieuw aangeboden aan 1 koppeling.')
    expect(tn('import.progress', 5, { done: '2', total: '5' })).toBe('2 van 5 bestanden')
    expect(tn('docs.reofferFailed', 1, { message: 'x' })).toBe('1 document kon niet opnieuw worden aangeboden: x')
    expect(tn('docs.count', 1234)).toBe('1.234 documenten.')
    setLocale('en')
  })

  it('has both forms for every plural message', () => {
    for (const key of Object.keys(en)) {
      const m = /^(.*)\.one$/.exec(key)
      if (!m) continue
      expect(hasMessage(`${m[1]}.one`), key).toBe(true)
      expect(hasMessage(`${m[1]}.other`), key).toBe(true)
    }
  })
})

describe('setLocale', () => {
  it('puts the language in force when its promise resolves, and the last choice wins', async () => {
    await setLocale('nl')
    expect(locale()).toBe('nl')
    expect(t('common.cancel')).toBe('Annuleren')
    const nl = setLocale('nl')
    const en = setLocale('en')
    await Promise.all([nl, en])
    expect(locale()).toBe('en')
    expect(t('common.cancel')).toBe('Cancel')
  })
})
