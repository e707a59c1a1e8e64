import { fireEvent, render, screen, within } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { BackendStatus, ConnectionRow, ConnectionWindow, ConnectionWindowQuery, Organization, Overview } from './lib/api'
import { jansen, yuki } from './test/fixtures'

const api = vi.hoisted(() => ({
  backendStatus: vi.fn<() => Promise<BackendStatus>>(),
  loadOverview: vi.fn<(q?: ConnectionWindowQuery) => Promise<Overview>>(),
  windowOpened: vi.fn<(width: number, height: number, languages: readonly string[]) => Promise<void>>(async () => {}),
  loadConnectionWindow: vi.fn<(q?: ConnectionWindowQuery) => Promise<ConnectionWindow>>(),
}))
vi.mock('./lib/api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./lib/api')>()),
  ...api,
  onEvent: () => () => {},
}))

import { takeBoot } from './lib/boot'
import { setLocale } from './lib/i18n'
import { ui } from './lib/stores/ui.svelte'
import App from './App.svelte'

const devries: Organization = { id: 8, name: 'De Vries Installatie', partyId: 'NL:KVK:87654321', createdAt: '2025-01-01T00:00:00Z' }

const names = new Map([
  [jansen.id, `${jansen.name} ${jansen.partyId}`],
  [8, 'De Vries Installatie NL:KVK:87654321'],
])

/** What Go answers: the window of all that q asks for. */
function window(all: ConnectionRow[], q: ConnectionWindowQuery = {}): ConnectionWindow {
  const scope = all.filter((c) => !q.organizationId || c.organizationIds.includes(q.organizationId))
  const words = (q.search ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  const matched = scope.filter((c) => {
    const hay = `${yuki.name} ${c.appKey} ${c.organizationIds.map((id) => names.get(id)).join(' ')}`.toLowerCase()
    return (!q.status || c.status === q.status) && (!q.softwareId || c.softwareId === q.softwareId) && words.every((w) => hay.includes(w))
  })
  const offset = q.offset ?? 0
  return {
    total: scope.length,
    matched: matched.length,
    offset,
    rows: matched.slice(offset, q.limit ? offset + q.limit : undefined),
    softwareIds: [...new Set(scope.map((c) => c.softwareId))],
  }
}

function connections(n: number): ConnectionRow[] {
  return Array.from({ length: n }, (_, i) => ({
    id: n - i,
    appKey: `ak_${String(n - i).padStart(20, '0')}`,
    softwareId: yuki.id,
    organizationIds: [i % 2 ? devries.id : jansen.id],
    status: i % 10 === 0 ? 'revoked' : 'active',
    createdAt: Date.parse('2025-03-01T09:00:00Z'),
  }))
}

describe('the window', () => {
  beforeEach(() => {
    setLocale('en')
    ui.view = 'overview'
    api.backendStatus.mockReset().mockResolvedValue({ ready: true, language: '' })
    const all = connections(2000)
    api.loadOverview.mockReset().mockImplementation(async (q) => ({
      organizations: [jansen, devries],
      software: [yuki],
      connections: window(all, q),
    }))
    api.loadConnectionWindow.mockReset().mockImplementation(async (q) => window(all, q))
  })

  it('opens on the overview of all connections: one call brings the organizations and the first rows', async () => {
    render(App)
    expect(await screen.findByRole('heading', { name: 'All connections' })).toBeTruthy()
    expect(await screen.findByText('2,000 of 2,000 connections')).toBeTruthy()
    expect(api.loadOverview).toHaveBeenCalledTimes(1)
    expect(api.loadOverview.mock.calls[0][0]?.limit).toBeLessThanOrEqual(60)
    expect(api.loadConnectionWindow).not.toHaveBeenCalled()
    expect(screen.getAllByRole('row').length).toBeLessThan(60)
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe('2001')
    expect(within(screen.getByRole('listbox', { name: 'Organizations' })).getAllByRole('option').map((o) => o.textContent)).toEqual([
      expect.stringContaining('Bakkerij Jansen BV'),
      expect.stringContaining('De Vries Installatie'),
    ])
  })

  it('searches and filters in Go, a window at a time', async () => {
    render(App)
    await screen.findByText('2,000 of 2,000 connections')
    await fireEvent.input(screen.getByRole('searchbox', { name: 'Search connections' }), { target: { value: 'de vries' } })
    expect(await screen.findByText('1,000 of 2,000 connections')).toBeTruthy()
    expect(api.loadConnectionWindow).toHaveBeenLastCalledWith(expect.objectContaining({ search: 'de vries', offset: 0 }))
    for (const r of screen.getAllByRole('row').slice(1)) expect(r.textContent).toContain('De Vries Installatie')
    await fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'revoked' } })
    expect(await screen.findByText('0 of 2,000 connections')).toBeTruthy()
    expect(screen.getByText('No connection matches these filters.')).toBeTruthy()
    await fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }))
    expect(await screen.findByText('2,000 of 2,000 connections')).toBeTruthy()
    expect(api.loadOverview).toHaveBeenCalledTimes(1)
  })

  it('asks for the rows that scroll into view', async () => {
    render(App)
    await screen.findByText('2,000 of 2,000 connections')
    const table = screen.getByRole('table')
    await fireEvent.keyDown(table, { key: 'End' })
    await vi.waitFor(() => expect(screen.getByText('ak_00000000000000000001')).toBeTruthy())
    const last = api.loadConnectionWindow.mock.lastCall?.[0]
    expect(last?.offset).toBeGreaterThan(1900)
    expect(last?.limit).toBeLessThan(200)
  })

  it('says it is opening only when Go takes long enough to notice', async () => {
    vi.useFakeTimers()
    try {
      let answer: (s: BackendStatus) => void = () => {}
      api.backendStatus.mockReturnValue(new Promise((resolve) => (answer = resolve)))
      render(App)
      await vi.advanceTimersByTimeAsync(200)
      expect(screen.queryByRole('status')).toBeNull()
      await vi.advanceTimersByTimeAsync(200)
      expect(screen.getByRole('status').textContent).toBe('Opening Koppel…')
      answer({ ready: true, language: '' })
      await vi.advanceTimersByTimeAsync(0)
      expect(await screen.findByRole('heading', { name: 'All connections' })).toBeTruthy()
    } finally {
      vi.useRealTimers()
    }
  })

  it('starts in the language of the setting', async () => {
    api.backendStatus.mockResolvedValue({ ready: true, language: 'nl' })
    render(App)
    expect(await screen.findByRole('heading', { name: 'Alle verbindingen' })).toBeTruthy()
    expect(screen.getByRole('navigation', { name: 'Hoofdmenu' })).toBeTruthy()
    setLocale('en')
  })

  it('shows an organization and its connections when chosen', async () => {
    render(App)
    await screen.findByText('2,000 of 2,000 connections')
    await fireEvent.click(screen.getByRole('option', { name: /De Vries Installatie/ }))
    // The organization page is loaded when first opened.
    expect(await screen.findByRole('heading', { name: 'De Vries Installatie', level: 1 })).toBeTruthy()
    expect(await screen.findByText('1,000 of 1,000 connections')).toBeTruthy()
    const tabs = screen.getByRole('tablist')
    expect(within(tabs).getByRole('tab', { name: 'Connections', selected: true })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'End partnership' })).toBeTruthy()
  })

  it('explains why when Koppel could not open its data', async () => {
    api.backendStatus.mockResolvedValue({
      ready: false,
      error: { code: 'invalid', message: 'No keychain is available. Set KOPPEL_KEYRING=file.' },
    })
    render(App)
    expect(await screen.findByRole('heading', { name: 'Koppel could not open your data' })).toBeTruthy()
    expect(screen.getByText('No keychain is available. Set KOPPEL_KEYRING=file.')).toBeTruthy()
  })

  describe('with boot data in the page (app/boot.go)', () => {
    // main.ts takes the boot data out of the page and gives it to the
    // window (start.ts; start.test.ts tests that part).
    /** Puts boot data into the document as Go does: a JSON data block. */
    function putBoot(boot: unknown) {
      const el = document.createElement('script')
      el.type = 'application/json'
      el.id = 'koppel-boot'
      el.textContent = JSON.stringify(boot)
      document.head.append(el)
    }
    const all = connections(2000)
    const overview = () => ({ organizations: [jansen, devries], software: [yuki], connections: window(all, { limit: 40 }) })

    it('tells Go what the window is after its first frame, for the first screen Go keeps', async () => {
      putBoot({ status: { ready: true, language: '', changes: 3 }, overview: overview() })
      api.backendStatus.mockResolvedValue({ ready: true, language: '', changes: 3 })
      // (An earlier test's window may still say it after this one starts.)
      const before = api.windowOpened.mock.calls.length
      render(App, { props: { boot: takeBoot() } })
      await vi.waitFor(() => expect(api.windowOpened.mock.calls.length).toBeGreaterThan(before))
      const { innerWidth, innerHeight } = globalThis
      expect(api.windowOpened).toHaveBeenLastCalledWith(innerWidth, innerHeight, [...navigator.languages].slice(0, 16))
    })

    it('shows the overview in its first render, without asking Go for it', async () => {
      putBoot({ status: { ready: true, language: '', changes: 3 }, overview: overview() })
      api.backendStatus.mockResolvedValue({ ready: true, language: '', changes: 3 })
      render(App, { props: { boot: takeBoot() } })
      // Synchronously: no await before the rows are there.
      expect(screen.getByRole('heading', { name: 'All connections' })).toBeTruthy()
      expect(screen.getByText('ak_00000000000000002000')).toBeTruthy()
      expect(document.getElementById('koppel-boot')).toBeNull()
      await vi.waitFor(() => expect(api.backendStatus).toHaveBeenCalledTimes(1))
      await Promise.resolve()
      expect(api.loadOverview).not.toHaveBeenCalled()
    })

    it('shows the first organizations of a long list, and loads the rest after its first frame', async () => {
      putBoot({
        status: { ready: true, language: '', changes: 3 },
        overview: { ...overview(), organizations: [jansen] },
        organizationCount: 2,
        named: [devries],
      })
      api.backendStatus.mockResolvedValue({ ready: true, language: '', changes: 3 })
      render(App, { props: { boot: takeBoot() } })
      const list = screen.getByRole('listbox', { name: 'Organizations' })
      const options = () => within(list).getAllByRole('option')
      // The list counts both; the one not loaded is an empty row.
      expect(options().map((o) => [o.textContent, o.getAttribute('aria-setsize')])).toEqual([
        [`${jansen.name} ${jansen.partyId}`, '2'],
      ])
      expect(list.querySelectorAll('.pending')).toHaveLength(1)
      expect(screen.getByText('2', { selector: '.count' })).toBeTruthy()
      // The rows of the organization not in the list still show its name.
      expect(within(screen.getByRole('table')).getAllByText(devries.name).length).toBeGreaterThan(0)
      expect(api.loadOverview).not.toHaveBeenCalled()
      await vi.waitFor(() => expect(options()).toHaveLength(2))
      expect(api.loadOverview).toHaveBeenCalledTimes(1)
      expect(list.querySelectorAll('.pending')).toHaveLength(0)
    })

    it('loads again when a change was missed before it listened', async () => {
      putBoot({ status: { ready: true, language: '', changes: 3 }, overview: overview() })
      api.backendStatus.mockResolvedValue({ ready: true, language: '', changes: 4 })
      render(App, { props: { boot: takeBoot() } })
      expect(screen.getByText('ak_00000000000000002000')).toBeTruthy()
      await vi.waitFor(() => expect(api.loadOverview).toHaveBeenCalledTimes(1))
    })

    it('starts in the language of the setting once its messages are loaded', async () => {
      putBoot({ status: { ready: true, language: 'nl', changes: 0 }, overview: overview() })
      api.backendStatus.mockResolvedValue({ ready: true, language: 'nl', changes: 0 })
      render(App, { props: { boot: takeBoot() } })
      expect(await screen.findByRole('heading', { name: 'Alle verbindingen' })).toBeTruthy()
      expect(screen.queryByRole('heading', { name: 'All connections' })).toBeNull()
      setLocale('en')
    })

    it('shows the startup error it carries', () => {
      putBoot({ status: { ready: false, error: { code: 'invalid', message: 'No keychain is available.' } } })
      render(App, { props: { boot: takeBoot() } })
      expect(screen.getByRole('heading', { name: 'Koppel could not open your data' })).toBeTruthy()
      expect(api.backendStatus).not.toHaveBeenCalled()
    })

    it('asks Go when the data is not what Go writes', async () => {
      putBoot({ status: { ready: true }, overview: { organizations: 'no' } })
      render(App, { props: { boot: takeBoot() } })
      expect(await screen.findByText('2,000 of 2,000 connections')).toBeTruthy()
      expect(api.loadOverview).toHaveBeenCalledTimes(1)
    })
  })

})
