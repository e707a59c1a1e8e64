import { en, type Catalog, type MessageKey } from './en'
import { dateText, dateTimeText, numberText, pluralOf, type Locale } from './format'

export type { MessageKey } from './en'
export type { Locale } from './format'
export type Params = Record<string, string | number>

// English is in the first bundle: the reference catalog, and the window's
// words until another language is in force. Dutch is a chunk of its own,
// loaded the first time it is asked for (main.ts asks at once when the
// system speaks it), so an English window never parses it.
const catalogs: Partial<Record<Locale, Catalog>> = { en }
const loading = new Map<Locale, Promise<Catalog>>()

/** The catalog of l, loaded once. */
export function loadCatalog(l: Locale): Promise<Catalog> {
  const have = catalogs[l]
  if (have) return Promise.resolve(have)
  let pending = loading.get(l)
  if (!pending) {
    pending = import('./nl').then(
      (m) => (catalogs.nl = m.nl),
      (reason: unknown) => {
        loading.delete(l) // ask again next time
        throw reason
      },
    )
    loading.set(l, pending)
  }
  return pending
}

/**
 * Makes a catalog available at once, without loading it: for ssr.ts, whose
 * server build has every catalog in it and renders in one synchronous go.
 */
export function addCatalog(l: Locale, catalog: Catalog) {
  catalogs[l] = catalog
}

/** The first supported language of the user's list; English otherwise. */
export function detectLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0]
    if (base === 'nl' || base === 'en') return base
  }
  return 'en'
}

const current = $state<{ locale: Locale }>({ locale: 'en' })
/** The language last asked for, which may still be loading. */
let wanted: Locale = 'en'

/** The user's languages as the window reports them (navigator.languages). */
export function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return []
  return navigator.languages?.length ? navigator.languages : [navigator.language]
}

/** The language of the operating system (as the window reports it). */
export function systemLocale(): Locale {
  return detectLocale(browserLanguages())
}

/** The language in force. */
export function locale(): Locale {
  return current.locale
}

/**
 * Switches the window to next: at once when its catalog is loaded, else as
 * soon as it is (unless another language was asked for meanwhile). The
 * promise resolves when next is in force; if its catalog cannot be loaded,
 * the language stays as it was.
 */
export function setLocale(next: Locale): Promise<void> {
  wanted = next
  if (catalogs[next]) {
    show(next)
    return Promise.resolve()
  }
  return loadCatalog(next).then(
    () => {
      if (wanted === next) show(next)
    },
    (reason: unknown) => console.error(`koppel: the ${next} messages could not be loaded`, reason),
  )
}

function show(next: Locale) {
  current.locale = next
  if (typeof document !== 'undefined') document.documentElement.lang = next
}

/** The language a setting asks for: "en" or "nl", or the system's for anything else. */
export function settingLocale(setting: string | undefined): Locale {
  return setting === 'en' || setting === 'nl' ? setting : systemLocale()
}

/**
 * Applies the language setting: "en" or "nl", or "" (anything else) to
 * follow the system. Everything on screen switches at once: at once when
 * its messages are loaded (locale() then tells), else when the promise
 * resolves.
 */
export function applyLanguageSetting(setting: string | undefined): Promise<void> {
  return setLocale(settingLocale(setting))
}

/** The message for key in the current language, with {placeholders} filled. */
export function t(key: MessageKey, params: Params = {}): string {
  return interpolate((catalogs[current.locale] ?? en)[key], params)
}

/** A key base that has both a ".one" and an ".other" message. */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}.one` ? (`${Base}.other` extends MessageKey ? Base : never) : never
}[MessageKey]

/** The plural category ("one" or "other") of n in the current language. */
export function pluralForm(n: number): 'one' | 'other' {
  return pluralOf(n)
}

/**
 * The singular or plural message for a count: key + ".one" for 1 ("1
 * document"), key + ".other" otherwise ("2 documenten"). {count} is n with
 * the language's digit grouping unless params give it.
 */
export function tn(key: PluralKey, n: number, params: Params = {}): string {
  return t(`${key}.${pluralForm(n)}` as MessageKey, { count: formatNumber(n), ...params })
}

export function interpolate(message: string, params: Params): string {
  return message.replace(/\{([^}]+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

/** Whether key names a message; for codes that come from Go (reasons). */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(en, key)
}

/** The message for key if the catalog has one, else fallback. */
export function tOr(key: string, fallback: string, params: Params = {}): string {
  return hasMessage(key) ? t(key, params) : fallback
}

/** What the window needs of an error to say it: Go's ErrorDTO fields. */
export interface Sayable {
  code: string
  message: string
  key?: string
  params?: Readonly<Record<string, string>>
}

/**
 * An error from Go in the current language: its key's message with its
 * parameters (field names translated too), or Go's English message when the
 * catalog has no such key. Internal errors without a key of their own get
 * the catalog's general sentence.
 */
export function errorText(e: Sayable): string {
  const key = e.key ? `error.${e.key}` : ''
  if (key && hasMessage(key)) return t(key, said(e.params, errorCodes))
  if (e.code === 'internal' && !e.message) return t('error.internal')
  return e.message || t('error.internal')
}

// Values from Go that are codes, by the name Go gives them, and the catalog
// prefix that says them; other values (names, App Keys, dates as Go wrote
// them) are the same in every language.
type Codes = Readonly<Record<string, string>>
const errorCodes: Codes = { field: 'field.', what: 'field.' }
const phraseCodes: Codes = {
  reason: 'reason.',
  field: 'audit.field.',
  direction: 'audit.direction.',
  setting: 'audit.setting.',
}

/** params from Go, with the codes among them said in the current language. */
function said(params: Readonly<Record<string, string>> | undefined, codes: Codes): Params {
  const out: Params = {}
  for (const [name, value] of Object.entries(params ?? {})) {
    out[name] = Object.hasOwn(codes, name) ? tOr(codes[name] + value, value) : value
  }
  return out
}

/** A phrase from Go (koppel.Phrase): a key of the catalogs' say.* and its values. */
export interface Phrase {
  key: string
  params?: Readonly<Record<string, string>>
}

/**
 * Phrases from Go in the current language, joined as Go joins them ("; ");
 * null when the catalog lacks one of them (a newer Koppel wrote it): then
 * the caller shows Go's English.
 */
export function phrasesText(phrases: readonly Phrase[] | null | undefined): string | null {
  if (!phrases || phrases.length === 0) return null
  const parts: string[] = []
  for (const p of phrases) {
    const key = `say.${p.key}`
    if (!hasMessage(key)) return null
    parts.push(t(key, said(p.params, phraseCodes)))
  }
  return parts.join('; ')
}

/** A moment: an RFC 3339 string or Unix milliseconds; none for absent. */
export type Moment = string | number | undefined

/** A date and time in the current language ("27 Nov 2026, 10:42"); '' for none. */
export function formatDateTime(iso: Moment): string {
  return iso ? dateTimeText(iso, current.locale) : ''
}

/** A date in the current language ("27 Nov 2026", "27 nov 2026"); '' for none. */
export function formatDate(iso: Moment): string {
  return iso ? dateText(iso, current.locale) : ''
}

/** An exact decimal amount from a document in the current language, with its currency when known. */
export function formatAmount(amount: string | undefined, currency?: string): string {
  if (!amount) return ''
  const n = Number(amount)
  if (!Number.isFinite(n)) return currency ? `${currency} ${amount}` : amount
  try {
    return n.toLocaleString(current.locale, currency ? { style: 'currency', currency } : { minimumFractionDigits: 2 })
  } catch {
    return `${currency ?? ''} ${amount}`.trim()
  }
}

/** A count with the current language's digit grouping. */
export function formatNumber(n: number): string {
  return numberText(n, current.locale)
}

const dayMs = 24 * 60 * 60 * 1000

/** How old something made at iso is at now, briefly: "today", "45 d", "3 mo", "2 yr". */
export function formatAge(iso: Moment, now: number = Date.now()): string {
  if (!iso) return ''
  const then = typeof iso === 'number' ? iso : Date.parse(iso)
  if (Number.isNaN(then)) return ''
  const days = Math.max(0, Math.floor((now - then) / dayMs))
  if (days < 1) return t('age.today')
  if (days < 60) return t('age.days', { count: days })
  if (days < 730) return t('age.months', { count: Math.floor(days / 30) })
  return t('age.years', { count: Math.floor(days / 365) })
}
