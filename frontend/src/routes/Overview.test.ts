import { render, screen } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Connection, Organization } from '../lib/api'

const api = vi.hoisted(() => ({
  listOrganizations: vi.fn<() => Promise<Organization[]>>(),
  listConnections: vi.fn<() => Promise<Connection[]>>(),
}))

vi.mock('../lib/api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../lib/api')>()),
  listOrganizations: api.listOrganizations,
  listConnections: api.listConnections,
  onEvent: () => () => {},
}))

import Overview from './Overview.svelte'

const jansen: Organization = {
  id: 7,
  name: 'Bakkerij Jansen BV',
  partyId: 'NL:KVK:12345678',
  createdAt: '2025-03-01T09:00:00Z',
}

describe('Overview', () => {
  beforeEach(() => {
    api.listOrganizations.mockReset()
    api.listConnections.mockReset().mockResolvedValue([])
  })

  it('explains how to add the first organization when there is none', async () => {
    api.listOrganizations.mockResolvedValue([])
    render(Overview)
    expect(await screen.findByRole('heading', { name: 'No organizations yet' })).toBeTruthy()
    expect(screen.getByText(/koppel org add --name/)).toBeTruthy()
    expect(screen.getByText(/koppel conn create --org NL:KVK:12345678 --software yuki/)).toBeTruthy()
  })

  it('selects the first organization and explains how to create its keys', async () => {
    api.listOrganizations.mockResolvedValue([jansen])
    render(Overview)
    expect(await screen.findByRole('heading', { name: 'Bakkerij Jansen BV' })).toBeTruthy()
    expect(await screen.findByRole('heading', { name: 'No connections yet' })).toBeTruthy()
    expect(api.listConnections).toHaveBeenCalledWith({ organizationId: 7 })
    expect(screen.getByRole('option', { selected: true }).textContent).toContain('NL:KVK:12345678')
  })

  it('shows a connection with its status', async () => {
    api.listOrganizations.mockResolvedValue([jansen])
    api.listConnections.mockResolvedValue([
      {
        id: 3,
        appKey: 'ak_0123456789abcdefghij',
        software: { id: 4, slug: 'yuki', name: 'Yuki', direction: 'receive', receivesSales: true, quickConnect: true, kind: 'keys', builtIn: true },
        organizationIds: [7],
        status: 'revoked',
        createdAt: '2025-03-01T09:00:00Z',
        revokedAt: '2025-03-02T09:00:00Z',
        revokedReason: 'lost',
        revokedKeyAttempts: 14,
        lastRevokedKeyAttemptAt: '2025-03-03T10:42:00Z',
      },
    ])
    render(Overview)
    expect(await screen.findByText('ak_0123456789abcdefghij')).toBeTruthy()
    expect(screen.getByText('Revoked', { selector: '.badge' })).toBeTruthy()
    expect(screen.getByText('(lost)')).toBeTruthy()
    expect(screen.getByText(/14 attempts/)).toBeTruthy()
  })
})
