/// <reference types="node" />
import { render } from '@testing-library/svelte'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runInNewContext } from 'node:vm'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { ConnectionRow } from './lib/api'
import { jansen, yuki } from './test/fixtures'

vi.mock('./lib/api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./lib/api')>()),
  onEvent: () => () => {},
  backendStatus: () => new Promise(() => {}),
}))

import { parseBoot } from './lib/boot'
import { setLocale } from './lib/i18n'
import type { FirstScreen, Surroundings } from './ssr'
import App from './App.svelte'

// Go renders the window's first screen with the server build of ssr.ts
// (app/firstscreen.go); the window then mounts over it. The two must show
// the same: this builds the server build as `npm run build` does, runs it
// the way Go does (a fresh engine with nothing but JavaScript's own
// globals), and compares its HTML with the window's first render.

let firstScreen: (boot: string, around: Surroundings) => FirstScreen

beforeAll(() => {
  const out = mkdtempSync(join(tmpdir(), 'koppel-ssr-'))
  try {
    // Vite in a process of its own: it does not run inside jsdom.
    execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--ssr', '--outDir', out, '--logLevel', 'error'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    const code = readFileSync(join(out, 'first-screen.js'), 'utf8')
    firstScreen = runInNewContext(`${code}\n;KoppelFirstScreen.firstScreen`, {})
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}, 60_000)

const devries = { id: 8, name: 'De Vries <Installatie> & Zn', partyId: 'NL:KVK:87654321', createdAt: '2025-01-01T00:00:00Z' }
const rows: ConnectionRow[] = Array.from({ length: 40 }, (_, i) => ({
  id: 40 - i,
  appKey: `ak_${String(40 - i).padStart(20, '0')}`,
  softwareId: yuki.id,
  organizationIds: [i % 2 ? devries.id : jansen.id],
  status: i % 7 === 0 ? 'revoked' : 'active',
  revokedReason: i % 7 === 0 ? 'lost' : undefined,
  revokedAt: i % 7 === 0 ? Date.parse('2025-06-01T12:00:00Z') : undefined,
  lastUsedAt: i % 3 === 0 ? Date.parse('2025-05-01T08:30:00Z') : undefined,
  createdAt: Date.parse('2025-03-01T09:00:00Z') - i * 86_400_000,
}))

function bootJSON(language: string): string {
  return JSON.stringify({
    status: { ready: true, language, changes: 2 },
    overview: {
      organizations: [jansen, devries],
      software: [yuki],
      connections: { total: 400, matched: 400, offset: 0, rows, softwareIds: [yuki.id] },
    },
  })
}

/** The markup without Svelte's hydration comments, as a tree's outline. */
function outline(html: string): string {
  const t = document.createElement('template')
  t.innerHTML = html
  const walk = (n: Node): string => {
    if (n.nodeType === Node.TEXT_NODE) return (n.textContent ?? '').replace(/\s+/g, ' ')
    if (n.nodeType !== Node.ELEMENT_NODE) return ''
    const el = n as Element
    const attrs = [...el.attributes]
      .filter((a) => a.name !== 'value' && a.name !== 'selected') // properties in the window, attributes in HTML
      .map((a) => `${a.name}=${a.value}`)
      .sort()
    return `<${el.tagName.toLowerCase()} ${attrs.join(' ')}>${[...el.childNodes].map(walk).join('')}</>`
  }
  return [...t.content.childNodes].map(walk).join('').replace(/ +/g, ' ')
}

describe("Go's first screen (ssr.ts)", () => {
  for (const [language, heading] of [
    ['en', 'All connections'],
    ['nl', 'Alle verbindingen'],
  ]) {
    it(`is the window's first render (${language})`, () => {
      const json = bootJSON(language)
      const around = { width: window.innerWidth, height: window.innerHeight, platform: 'Linux x86_64', languages: ['en-US'] }
      const server = firstScreen(json, around)
      expect(server.locale).toBe(language)
      expect(server.html).toContain(heading)
      expect(server.html).toContain('De Vries &lt;Installatie> &amp; Zn')

      setLocale(language as 'en' | 'nl')
      const { container } = render(App, { props: { boot: parseBoot(json) } })
      expect(container.textContent).toContain(heading)
      expect(outline(server.html)).toBe(outline(container.innerHTML))
      setLocale('en')
    })
  }

  it('renders rows for the height it is given', () => {
    const rowsFor = (height: number) =>
      (firstScreen(bootJSON('en'), { width: 1100, height, platform: 'Linux', languages: [] }).html.match(/ak_0/g) ?? []).length
    expect(rowsFor(900)).toBeGreaterThan(rowsFor(600))
  })

  it('follows the system language when the setting does', () => {
    const around = { width: 1100, height: 720, platform: 'Linux', languages: ['nl-NL', 'en'] }
    expect(firstScreen(bootJSON(''), around).locale).toBe('nl')
    expect(firstScreen(bootJSON(''), { ...around, languages: [] }).locale).toBe('en')
  })

  it('renders nothing for a backend that did not open', () => {
    const failed = JSON.stringify({ status: { ready: false, error: { code: 'invalid', message: 'x' } } })
    expect(firstScreen(failed, { width: 1100, height: 720, platform: 'Linux', languages: [] }).html).toBe('')
  })
})
