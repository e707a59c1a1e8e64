import { render, screen } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { AuditEvent, ConnectionWindow, ConnectionWindowQuery } from '../lib/api'

const api = vi.hoisted(() => ({
  listAudit: vi.fn<(organizationId?: number, limit?: number) => Promise<AuditEvent[]>>(),
  loadConnectionWindow: vi.fn<(q?: ConnectionWindowQuery) => Promise<ConnectionWindow>>(),
}))
vi.mock('../lib/api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../lib/api')>()),
  ...api,
}))

import { setLocale } from '../lib/i18n'
import { data } from '../lib/stores/data.svelte'
import AuditView from './AuditView.svelte'

function event(id: number, detail: string): AuditEvent {
  return {
    id,
    at: '2026-03-02T09:30:00Z',
    actor: 'test',
    action: 'connection.create',
    subjectType: 'connection',
    subjectId: id,
    organizationIds: [7],
    detail,
  }
}

describe('the audit trail', () => {
  beforeEach(() => {
    setLocale('en')
    api.listAudit.mockReset().mockResolvedValue([event(1, 'Yuki for Bakkerij Jansen BV')])
    api.loadConnectionWindow.mockReset()
    data.loaded = true
    data.failure = null
  })

  it('lists the organization’s events and lists them again when the data changed, without loading connections', async () => {
    render(AuditView, { organizationId: 7 })
    expect(await screen.findByText('Yuki for Bakkerij Jansen BV')).toBeTruthy()
    expect(api.listAudit).toHaveBeenCalledTimes(1)
    expect(api.listAudit).toHaveBeenLastCalledWith(7, expect.any(Number))

    api.listAudit.mockResolvedValue([event(2, 'Yuki for Bakkerij Jansen BV revoked'), event(1, 'Yuki for Bakkerij Jansen BV')])
    data.version++
    expect(await screen.findByText('Yuki for Bakkerij Jansen BV revoked')).toBeTruthy()
    expect(api.listAudit).toHaveBeenCalledTimes(2)
    expect(api.loadConnectionWindow).not.toHaveBeenCalled()
  })
})
