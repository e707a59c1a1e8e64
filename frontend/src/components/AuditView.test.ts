import { fireEvent, render, screen } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { AuditEvent, AuditVerification, ConnectionWindow, ConnectionWindowQuery, Phrase } from '../lib/api'

const api = vi.hoisted(() => ({
  listAudit: vi.fn<(organizationId?: number, limit?: number) => Promise<AuditEvent[]>>(),
  verifyAudit: vi.fn<() => Promise<AuditVerification>>(),
  loadConnectionWindow: vi.fn<(q?: ConnectionWindowQuery) => Promise<ConnectionWindow>>(),
}))
vi.mock('../lib/api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../lib/api')>()),
  ...api,
}))

import { setLocale } from '../lib/i18n'
import { data } from '../lib/stores/data.svelte'
import AuditView from './AuditView.svelte'

function event(id: number, detail: string, phrases?: Phrase[]): AuditEvent {
  return {
    id,
    at: '2026-03-02T09:30:00Z',
    actor: 'test',
    action: 'connection.create',
    subjectType: 'connection',
    subjectId: id,
    organizationIds: [7],
    detail,
    phrases,
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

  it('says each detail in the chosen language, codes among its values too, and older details as Go wrote them', async () => {
    await setLocale('nl')
    api.listAudit.mockResolvedValue([
      event(3, 'Yuki for Bakkerij Jansen BV (NL:KVK:12345678); replaces connection 2 (ak_old), reason: lost', [
        { key: 'connection.for', params: { software: 'Yuki', organizations: 'Bakkerij Jansen BV (NL:KVK:12345678)' } },
        { key: 'connection.replaces', params: { id: '2', appKey: 'ak_old', reason: 'lost' } },
      ]),
      event(2, 'organization name: Bakkerij → Bakkerij Jansen BV', [
        { key: 'change', params: { field: 'organization name', from: 'Bakkerij', to: 'Bakkerij Jansen BV' } },
      ]),
      event(1, 'Yuki for Bakkerij Jansen BV'),
      event(0, 'something a newer Koppel says', [{ key: 'no.such.phrase' }]),
    ])
    render(AuditView, { organizationId: 7 })
    expect(
      await screen.findByText(
        'Yuki voor Bakkerij Jansen BV (NL:KVK:12345678); vervangt verbinding 2 (ak_old), reden: kwijtgeraakt',
      ),
    ).toBeTruthy()
    expect(screen.getByText('naam: Bakkerij → Bakkerij Jansen BV')).toBeTruthy()
    expect(screen.getByText('Yuki for Bakkerij Jansen BV')).toBeTruthy()
    expect(screen.getByText('something a newer Koppel says')).toBeTruthy()
  })

  it('says why the check failed in the chosen language', async () => {
    await setLocale('nl')
    api.verifyAudit.mockResolvedValue({
      ok: false,
      events: 2,
      brokenAt: 3,
      problem: 'its content was changed after it was written',
      problemPhrase: { key: 'broken.changed' },
    })
    render(AuditView)
    await fireEvent.click(await screen.findByRole('button', { name: 'Auditlog controleren' }))
    expect(
      await screen.findByText('Het auditlog is beschadigd bij gebeurtenis 3: de inhoud is gewijzigd nadat ze is geschreven'),
    ).toBeTruthy()
  })
})
