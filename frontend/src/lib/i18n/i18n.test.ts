import { describe, expect, it } from 'vitest'
import { en } from './en'
import { nl } from './nl'
import { detectLocale, interpolate } from './i18n.svelte'

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
