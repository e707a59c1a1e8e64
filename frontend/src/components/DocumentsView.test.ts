import { fireEvent, render, screen, within } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { DocumentPage, DocumentQuery, InvoiceDocument, ReofferResult } from '../lib/api'

const api = vi.hoisted(() => ({
  listDocuments: vi.fn<(q: DocumentQuery) => Promise<DocumentPage>>(),
  reoffer: vi.fn<(ids: number[]) => Promise<ReofferResult[]>>(),
}))
vi.mock('../lib/api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../lib/api')>()),
  ...api,
}))

import { setLocale } from '../lib/i18n'
import DocumentsView from './DocumentsView.svelte'

function docs(n: number, from = 1): InvoiceDocument[] {
  return Array.from({ length: n }, (_, i) => ({
    id: from + i,
    organizationId: 7,
    direction: 'purchase',
    type: 'invoice',
    number: `INV-${from + i}`,
    issueDate: '2026-03-02',
    supplierName: 'Molen Meel',
    payableAmount: '10.00',
    currency: 'EUR',
    status: 'Routed',
    size: 100,
    receivedAt: '2026-03-03T10:00:00Z',
  }))
}

describe('the inbox', () => {
  beforeEach(() => {
    setLocale('en')
    api.listDocuments.mockReset()
    api.reoffer.mockReset()
  })

  it('renders a screenful of a long page, not all of it', async () => {
    api.listDocuments.mockResolvedValue({ documents: docs(200), next: 0 })
    render(DocumentsView, { organizationId: 7, direction: 'purchase' })
    const table = await screen.findByRole('table', { name: 'Purchase invoices' })
    const rows = within(table).getAllByRole('row')
    expect(rows.length).toBeGreaterThan(5)
    expect(rows.length).toBeLessThan(60)
    expect(api.listDocuments).toHaveBeenCalledWith(expect.objectContaining({ organizationId: 7, direction: 'purchase', status: '' }))
  })

  it('filters by status through Go', async () => {
    api.listDocuments.mockResolvedValue({ documents: docs(3), next: 0 })
    render(DocumentsView, { organizationId: 7, direction: 'purchase' })
    await screen.findByRole('table')
    await fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), { target: { value: 'Duplicate' } })
    await vi.waitFor(() =>
      expect(api.listDocuments).toHaveBeenLastCalledWith(expect.objectContaining({ status: 'Duplicate', after: 0 })),
    )
  })

  it('re-offers a selection', async () => {
    api.listDocuments.mockResolvedValue({ documents: docs(3), next: 0 })
    api.reoffer.mockResolvedValue([
      { documentId: 2, offeredTo: [9], alreadyOffered: [], withdrawn: [] },
      { documentId: 3, offeredTo: [9], alreadyOffered: [], withdrawn: [] },
    ])
    render(DocumentsView, { organizationId: 7, direction: 'purchase' })
    await fireEvent.click(await screen.findByRole('checkbox', { name: 'Select INV-2' }))
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Select INV-3' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Re-offer selected (2)' }))
    expect(api.reoffer).toHaveBeenCalledWith([2, 3])
  })
})
