import { en, type Catalog, type MessageKey } from './en'
import { nl } from './nl'

export type { MessageKey } from './en'
export type Locale = 'en' | 'nl'
export type Params = Record<string, string | number>

export const catalogs: Record<Locale, Catalog> = { en, nl }

/** The first supported language of the user's list; English otherwise. */
export function detectLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0]
    if (base === 'nl' || base === 'en') return base
  }
  return 'en'
}

const current = $state<{ locale: Locale }>({ locale: detectLocale(browserLanguages()) })

function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return []
  return navigator.languages?.length ? navigator.languages : [navigator.language]
}

export function locale(): Locale {
  return current.locale
}

export function setLocale(next: Locale): void {
  current.locale = next
  if (typeof document !== 'undefined') document.documentElement.lang = next
}

/** The message for key in the current language, with {placeholders} filled. */
export function t(key: MessageKey, params: Params = {}): string {
  return interpolate(catalogs[current.locale][key], params)
}

export function interpolate(message: string, params: Params): string {
  return message.replace(/\{([^}]+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  )
}

/** Whether key names a message; for codes that come from Go (reasons). */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(en, key)
}

/** A date and time from an RFC 3339 string, in the current language; '' for none. */
export function formatDateTime(iso: string | undefined): string {
  return formatWith(iso, { dateStyle: 'medium', timeStyle: 'short' })
}

/** A date from an RFC 3339 string, in the current language; '' for none. */
export function formatDate(iso: string | undefined): string {
  return formatWith(iso, { dateStyle: 'medium' })
}

function formatWith(iso: string | undefined, options: Intl.DateTimeFormatOptions): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(current.locale, options).format(date)
}
