// The first screen as HTML, for the page Go serves (app/firstscreen.go):
// the server build of this file (`vite build --ssr`, frontend/dist-ssr) runs
// in a JavaScript engine inside Go, and renders the same components the
// window mounts, with the same boot data. The page shows that HTML in its
// first frame; start.ts then mounts the window over it.
import { render } from 'svelte/server'
import App from './App.svelte'
import { parseBoot } from './lib/boot'
import { addCatalog, settingLocale, type Locale } from './lib/i18n/i18n.svelte'
import { nl } from './lib/i18n/nl'

/**
 * What the components read of the window, as the window described itself
 * when it last opened (System.WindowOpened).
 */
export interface Surroundings {
  /** the window's inner size in CSS pixels */
  width: number
  height: number
  /** navigator.platform as the window will report it */
  platform: string
  /** navigator.languages as the window will report them */
  languages: string[]
}

/** The first screen's HTML and the language it is in. */
export interface FirstScreen {
  html: string
  locale: Locale
}

/**
 * The first screen for the boot data (its JSON text, as Go puts it into the
 * page); its html is "" when the boot data would not show the overview.
 */
export function firstScreen(bootJSON: string, around: Surroundings): FirstScreen {
  const boot = parseBoot(bootJSON)
  if (!boot?.status.ready || boot.overview === null) return { html: '', locale: 'en' }
  const g = globalThis as Record<string, unknown>
  g.window = { innerWidth: around.width, innerHeight: around.height }
  g.navigator = { platform: around.platform, languages: around.languages, language: around.languages[0] ?? '' }
  addCatalog('nl', nl)
  return { html: render(App, { props: { boot } }).body, locale: settingLocale(boot.status.language) }
}
