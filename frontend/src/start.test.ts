import { unmount } from 'svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { BackendStatus, ConnectionRow, ConnectionWindow, Overview } from './lib/api'
import { jansen, yuki } from './test/fixtures'

const api = vi.hoisted(() => ({
  backendStatus: vi.fn<() => Promise<BackendStatus>>(),
  loadOverview: vi.fn<() => Promise<Overview>>(),
  windowOpened: vi.fn<(width: number, height: number, languages: readonly string[]) => Promise<void>>(async () => {}),
  loadConnectionWindow: vi.fn<() => Promise<ConnectionWindow>>(),
}))
vi.mock('./lib/api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./lib/api')>()),
  ...api,
  onEvent: () => () => {},
}))

import { setLocale } from './lib/i18n'
import { platformOf, startWindow } from './start'

const row: ConnectionRow = {
  id: 1,
  appKey: 'ak_00000000000000000001',
  softwareId: yuki.id,
  organizationIds: [jansen.id],
  status: 'active',
  createdAt: Date.parse('2025-03-01T09:00:00Z'),
}
const overview: Overview = {
  organizations: [jansen],
  software: [yuki],
  connections: { total: 1, matched: 1, offset: 0, rows: [row], softwareIds: [yuki.id] },
}
const status = { ready: true, language: 'en', changes: 0 }

/** A page as Go serves it: boot data, and a first screen if given. */
function page(firstScreen?: { for: string; html: string }): HTMLElement {
  const boot = document.createElement('script')
  boot.type = 'application/json'
  boot.id = 'koppel-boot'
  boot.textContent = JSON.stringify({ status, overview })
  document.head.append(boot)
  const target = document.createElement('div')
  target.id = 'app'
  if (firstScreen) {
    target.dataset.firstScreen = firstScreen.for
    target.setAttribute('inert', '')
    target.innerHTML = firstScreen.html
  }
  document.body.append(target)
  return target
}

describe('starting the window (start.ts)', () => {
  let mounted: ReturnType<typeof startWindow> | null = null
  beforeEach(() => {
    setLocale('en')
    api.backendStatus.mockReset().mockResolvedValue(status)
    api.loadOverview.mockReset().mockResolvedValue(overview)
    api.loadConnectionWindow.mockReset().mockResolvedValue(overview.connections)
  })
  afterEach(async () => {
    if (mounted) unmount(await mounted)
    mounted = null
    document.head.replaceChildren()
    document.body.replaceChildren()
    delete document.documentElement.dataset.boot
  })

  const staticScreen = '<p class="first">the first screen, from Go</p>'
  const here = `en ${window.innerHeight} linux`

  it('mounts at once without a first screen, and says the page had boot data', () => {
    const target = page()
    const later = vi.fn()
    mounted = startWindow(target, 'linux', later)
    expect(target.querySelector('h1')?.textContent).toBe('All connections')
    expect(target.textContent).toContain(row.appKey)
    expect(later).not.toHaveBeenCalled()
    expect(document.documentElement.dataset.boot).toBe('page')
    expect(document.getElementById('koppel-boot')).toBeNull()
  })

  it('says when the page had no boot data it could use', () => {
    const target = page()
    document.getElementById('koppel-boot')!.textContent = '{"status":{}}'
    mounted = startWindow(target, 'linux', vi.fn())
    expect(document.documentElement.dataset.boot).toBe('calls')
  })

  it('leaves a first screen for its window in place for the first frame, then mounts over it', async () => {
    const target = page({ for: here, html: staticScreen })
    let frame: (() => void) | null = null
    mounted = startWindow(target, 'linux', (fn) => (frame = fn))
    // Until the first frame: Go's screen, untouchable.
    expect(target.querySelector('.first')).not.toBeNull()
    expect(target.querySelector('h1')).toBeNull()
    expect(target.hasAttribute('inert')).toBe(true)
    expect(frame).not.toBeNull()
    frame!()
    await mounted
    // Then the window, live, in its place.
    expect(target.querySelector('.first')).toBeNull()
    expect(target.querySelector('h1')?.textContent).toBe('All connections')
    expect(target.hasAttribute('inert')).toBe(false)
    expect(target.dataset.firstScreen).toBeUndefined()
  })

  for (const [what, rendered] of [
    ['another language', `nl ${window.innerHeight} linux`],
    ['another window height', `en ${window.innerHeight + 40} linux`],
    ['another platform', `en ${window.innerHeight} mac`],
  ]) {
    it(`mounts at once over a first screen rendered for ${what}`, () => {
      const target = page({ for: rendered, html: staticScreen })
      const later = vi.fn()
      mounted = startWindow(target, 'linux', later)
      expect(later).not.toHaveBeenCalled()
      expect(target.querySelector('.first')).toBeNull()
      expect(target.querySelector('h1')?.textContent).toBe('All connections')
      expect(target.hasAttribute('inert')).toBe(false)
    })
  }

  it('names the platform as app.css does', () => {
    expect(['MacIntel', 'Win32', 'Linux x86_64', ''].map(platformOf)).toEqual(['mac', 'windows', 'linux', 'linux'])
  })
})
