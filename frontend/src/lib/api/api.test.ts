import { describe, expect, it, vi } from 'vitest'

vi.mock('../../../wailsjs/go/app/Organizations', () => ({
  List: vi.fn(),
  ListSoftware: vi.fn(),
}))
vi.mock('../../../wailsjs/go/app/Connections', () => ({ List: vi.fn() }))

import * as Organizations from '../../../wailsjs/go/app/Organizations'
import * as Connections from '../../../wailsjs/go/app/Connections'
import { ApiError, listConnections, listOrganizations, toApiError } from './index'

describe('toApiError', () => {
  it('keeps code and message from Go', () => {
    const e = toApiError({ code: 'not_found', message: 'No organization NL:KVK:1.' })
    expect(e).toBeInstanceOf(ApiError)
    expect(e.code).toBe('not_found')
    expect(e.message).toBe('No organization NL:KVK:1.')
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
})
