import { fireEvent, render, screen, within } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { BackendStatus, ConnectionRow, Organization, Overview } from './lib/api'
import { jansen, yuki } from './test/fixtures'

const api = vi.hoisted(() => ({
  backendStatus: vi.fn<() => Promise<BackendStatus>>(),
  loadOverview: vi.fn<(limit?: number) => Promise<Overview>>(),
}))
vi.mock('./lib/api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./lib/api')>()),
  ...api,
  onEvent: () => () => {},
}))

import { setLocale } from './lib/i18n'
import { ui } from './lib/stores/ui.svelte'
import App from './App.svelte'

const devries: Organization = { id: 8, name: 'De Vries Installatie', partyId: 'NL:KVK:87654321', createdAt: '2025-01-01T00:00:00Z' }

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
    api.loadOverview
      .mockReset()
      .mockImplementation(async (limit = 0) => ({
        organizations: [jansen, devries],
        software: [yuki],
        connections: limit ? all.slice(0, limit) : all,
      }))
  })

  it('opens on the overview of all connections, loaded in one call and a screenful first', async () => {
    render(App)
    expect(await screen.findByRole('heading', { name: 'All connections' })).toBeTruthy()
    expect(api.loadOverview).toHaveBeenCalledWith(60)
    expect(api.loadOverview).toHaveBeenCalledWith()
    expect(await screen.findByText('2,000 of 2,000 connections')).toBeTruthy()
    expect(screen.getAllByRole('row').length).toBeLessThan(60)
    expect(within(screen.getByRole('listbox', { name: 'Organizations' })).getAllByRole('option').map((o) => o.textContent)).toEqual([
      expect.stringContaining('Bakkerij Jansen BV'),
      expect.stringContaining('De Vries Installatie'),
    ])
  })

  it('searches and filters in memory', async () => {
    render(App)
    await screen.findByText('2,000 of 2,000 connections')
    const calls = api.loadOverview.mock.calls.length
    await fireEvent.input(screen.getByRole('searchbox', { name: 'Search connections' }), { target: { value: 'de vries' } })
    expect(screen.getByText('1,000 of 2,000 connections')).toBeTruthy()
    for (const r of screen.getAllByRole('row').slice(1)) expect(r.textContent).toContain('De Vries Installatie')
    await fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'revoked' } })
    expect(screen.getByText('0 of 2,000 connections')).toBeTruthy()
    expect(screen.getByText('No connection matches these filters.')).toBeTruthy()
    await fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }))
    expect(screen.getByText('2,000 of 2,000 connections')).toBeTruthy()
    expect(api.loadOverview.mock.calls.length).toBe(calls)
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
    expect(screen.getByRole('heading', { name: 'De Vries Installatie', level: 1 })).toBeTruthy()
    expect(screen.getByText('1,000 of 1,000 connections')).toBeTruthy()
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
})
