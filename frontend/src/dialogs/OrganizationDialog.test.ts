import { fireEvent, render, screen } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Organization, OrganizationInput, Overview } from '../lib/api'
import { jansen } from '../test/fixtures'

const api = vi.hoisted(() => ({
  addOrganization: vi.fn<(input: OrganizationInput) => Promise<Organization>>(),
  updateOrganization: vi.fn<(id: number, input: OrganizationInput) => Promise<Organization>>(),
  loadOverview: vi.fn<() => Promise<Overview>>(),
}))
vi.mock('../lib/api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../lib/api')>()),
  ...api,
}))

import { ApiError } from '../lib/api'
import { setLocale } from '../lib/i18n'
import { ui } from '../lib/stores/ui.svelte'
import OrganizationDialog from './OrganizationDialog.svelte'

describe('the organization form', () => {
  beforeEach(() => {
    setLocale('en')
    api.addOrganization.mockReset().mockResolvedValue(jansen)
    api.updateOrganization.mockReset().mockResolvedValue(jansen)
    api.loadOverview.mockReset().mockResolvedValue({
      organizations: [jansen],
      software: [],
      connections: { total: 0, matched: 0, offset: 0, rows: [], softwareIds: [] },
    })
    ui.open({ kind: 'addOrganization' })
  })

  it('checks the party ID as the user types', async () => {
    render(OrganizationDialog)
    const party = screen.getByLabelText('Party ID')
    await fireEvent.input(party, { target: { value: 'NL:KVK:1234' } })
    expect(screen.getByText('The party ID “NL:KVK:1234” is not valid: a KvK number has 8 digits; “1234” has 4.')).toBeTruthy()
    expect(party.getAttribute('aria-invalid')).toBe('true')
    await fireEvent.input(party, { target: { value: 'NL:KVK:12345678' } })
    expect(screen.getByText('Valid party ID.')).toBeTruthy()
    expect(party.getAttribute('aria-invalid')).toBe('false')
  })

  it('says it in Dutch when the window is in Dutch', async () => {
    setLocale('nl')
    render(OrganizationDialog)
    await fireEvent.input(screen.getByLabelText('Party-ID'), { target: { value: 'NL:VAT:NL123' } })
    expect(screen.getByText(/Het party-ID “NL:VAT:NL123” is ongeldig: een Nederlands btw-nummer heeft 9 cijfers na NL/)).toBeTruthy()
    setLocale('en')
  })

  it('does not send an invalid party ID to Go', async () => {
    render(OrganizationDialog)
    await fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Bakkerij Jansen BV' } })
    await fireEvent.input(screen.getByLabelText('Party ID'), { target: { value: '12345678' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Add organization' }))
    expect(api.addOrganization).not.toHaveBeenCalled()
    expect(screen.getByText(/has no scheme/)).toBeTruthy()
  })

  it('adds the organization and shows Go’s refusal in plain words', async () => {
    api.addOrganization.mockRejectedValueOnce(
      new ApiError('conflict', 'An organization with party ID NL:KVK:12345678 already exists: De Vries.', 'organization.party_taken', {
        party: 'NL:KVK:12345678',
        name: 'De Vries',
      }),
    )
    render(OrganizationDialog)
    await fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Bakkerij Jansen BV' } })
    await fireEvent.input(screen.getByLabelText('Party ID'), { target: { value: 'nl:kvk:12345678' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Add organization' }))
    expect((await screen.findByRole('alert')).textContent).toBe(
      'An organization with party ID NL:KVK:12345678 already exists: De Vries.',
    )
    await fireEvent.click(screen.getByRole('button', { name: 'Add organization' }))
    expect(api.addOrganization).toHaveBeenLastCalledWith({
      name: 'Bakkerij Jansen BV',
      partyId: 'nl:kvk:12345678',
      kvk: '',
      vat: '',
      email: '',
    })
    await vi.waitFor(() => expect(ui.organizationId).toBe(jansen.id))
    expect(ui.dialog).toBeNull()
    expect(ui.view).toBe('organization')
  })
})
