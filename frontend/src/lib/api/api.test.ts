import { describe, expect, it, vi } from 'vitest'

vi.mock('../../../wailsjs/go/app/Organizations', () => ({
  List: vi.fn(),
  ListSoftware: vi.fn(),
  Add: vi.fn(),
  Update: vi.fn(),
  PartnershipImpact: vi.fn(),
  EndPartnership: vi.fn(),
}))
vi.mock('../../../wailsjs/go/app/Connections', () => ({
  List: vi.fn(),
  Overview: vi.fn(),
  Window: vi.fn(),
  Create: vi.fn(),
  Revoke: vi.fn(),
  Delete: vi.fn(),
  Replace: vi.fn(),
}))
vi.mock('../../../wailsjs/go/app/Clipboard', () => ({ Copy: vi.fn(), ClearNow: vi.fn() }))

import * as Organizations from '../../../wailsjs/go/app/Organizations'
import * as Connections from '../../../wailsjs/go/app/Connections'
import * as Clipboard from '../../../wailsjs/go/app/Clipboard'
import {
  ApiError,
  copyText,
  createConnection,
  forgetKeys,
  listConnections,
  listOrganizations,
  loadOverview,
  loadConnectionWindow,
  replaceKeys,
  toApiError,
} from './index'

describe('toApiError', () => {
  it('keeps code and message from Go', () => {
    const e = toApiError({ code: 'not_found', message: 'No organization NL:KVK:1.' })
    expect(e).toBeInstanceOf(ApiError)
    expect(e.code).toBe('not_found')
    expect(e.message).toBe('No organization NL:KVK:1.')
    expect(e.key).toBe('')
  })

  it('keeps the message key and its parameters', () => {
    const e = toApiError({
      code: 'conflict',
      message: 'Connection 3 (ak_x) is still active.',
      key: 'connection.still_active',
      params: { id: '3', appKey: 'ak_x', bogus: 7 },
    })
    expect(e.key).toBe('connection.still_active')
    expect(e.params).toEqual({ id: '3', appKey: 'ak_x' })
  })

  it('treats an unknown code as internal', () => {
    expect(toApiError({ code: 'surprise', message: 'x' }).code).toBe('internal')
  })

  it('turns the strings Wails rejects with into internal errors', () => {
    const e = toApiError('error parsing arguments: bad')
    expect(e.code).toBe('internal')
    expect(e.message).toBe('error parsing arguments: bad')
  })
})

describe('bound calls', () => {
  it('reject with a typed ApiError', async () => {
    vi.mocked(Organizations.List).mockRejectedValue({ code: 'invalid', message: 'The search text is too long.' })
    const failure = await listOrganizations({ search: 'x' }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(ApiError)
    expect(failure).toMatchObject({ code: 'invalid', message: 'The search text is too long.' })
  })

  it('send the query with defaults filled in', async () => {
    vi.mocked(Organizations.List).mockResolvedValue([])
    await listOrganizations({ search: 'jansen' })
    expect(Organizations.List).toHaveBeenCalledWith({ search: 'jansen', includeEnded: false, limit: 0 })
  })

  it('narrow a connection status', async () => {
    const dto = {
      id: 1,
      appKey: 'ak_x',
      software: { id: 1, slug: 'yuki', name: 'Yuki', direction: 'receive', receivesSales: true, quickConnect: true, kind: 'keys', builtIn: true },
      organizationIds: [1],
      status: 'revoked',
      createdAt: '2025-01-02T03:04:05Z',
      revokedKeyAttempts: 0,
    }
    vi.mocked(Connections.List).mockResolvedValue([dto] as never)
    const [c] = await listConnections({ organizationId: 1 })
    expect(c.status).toBe('revoked')
    expect(Connections.List).toHaveBeenCalledWith({ organizationId: 1, status: '', limit: 0 })
  })

  it('load the overview and windows of connections, with every field of the query set', async () => {
    const window = { total: 2, matched: 1, offset: 0, rows: [{ id: 1, status: 'other' }], softwareIds: [3] }
    vi.mocked(Connections.Overview).mockResolvedValue({ organizations: [], software: [], connections: window } as never)
    const o = await loadOverview({ limit: 40 })
    expect(Connections.Overview).toHaveBeenLastCalledWith({
      organizationId: 0,
      status: '',
      softwareId: 0,
      search: '',
      offset: 0,
      limit: 40,
    })
    expect(o.connections.rows[0].status).toBe('revoked')
    vi.mocked(Connections.Window).mockResolvedValue({ ...window, rows: null } as never)
    const w = await loadConnectionWindow({ organizationId: 7, status: 'active', search: 'de vries', offset: 20, limit: 30 })
    expect(Connections.Window).toHaveBeenLastCalledWith({
      organizationId: 7,
      status: 'active',
      softwareId: 0,
      search: 'de vries',
      offset: 20,
      limit: 30,
    })
    expect(w).toEqual({ total: 2, matched: 1, offset: 0, rows: [], softwareIds: [3] })
  })

  it('hand over new keys as one object that forgetKeys empties', async () => {
    const answer = {
      connection: { id: 3, appKey: 'ak_x', status: 'active', software: {}, organizationIds: [7], createdAt: '', revokedKeyAttempts: 0 },
      secret: 'sk_secret',
      quickConnectText: 'Koppel Quick Connect\nSecret: sk_secret\n',
      organizations: [],
    }
    vi.mocked(Connections.Create).mockResolvedValue(answer as never)
    const keys = await createConnection({ organizationId: 7, softwareId: 4, grantIds: [], language: 'nl' })
    expect(Connections.Create).toHaveBeenCalledWith({ organizationId: 7, softwareId: 4, grantIds: [], language: 'nl' })
    expect(keys).toBe(answer)
    forgetKeys(keys)
    expect(JSON.stringify(answer)).not.toContain('sk_secret')

    vi.mocked(Connections.Replace).mockResolvedValue({ ...answer, secret: 'sk_2', replacesId: 3 } as never)
    const replaced = await replaceKeys(3, 'lost', 'en')
    expect(Connections.Replace).toHaveBeenCalledWith({ connectionId: 3, reason: 'lost', language: 'en' })
    expect(replaced.replacesId).toBe(3)
  })

  it('copy through Go and say when the clipboard is cleared', async () => {
    vi.mocked(Clipboard.Copy).mockResolvedValue({ clearAfterSeconds: 30 } as never)
    expect(await copyText('sk_x', true)).toBe(30)
    expect(Clipboard.Copy).toHaveBeenCalledWith('sk_x', true)
  })
})
