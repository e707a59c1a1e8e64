import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type {
  ConnectionRow,
  ConnectionWindow,
  ConnectionWindowQuery,
  DocumentPage,
  DocumentQuery,
  InvoiceDocument,
  ReofferResult,
  Software,
} from '../lib/api'

const api = vi.hoisted(() => ({
  listDocuments: vi.fn<(q: DocumentQuery) => Promise<DocumentPage>>(),
  reoffer: vi.fn<(ids: number[]) => Promise<ReofferResult[]>>(),
  loadConnectionWindow: vi.fn<(q?: ConnectionWindowQuery) => Promise<ConnectionWindow>>(),
}))
vi.mock('../lib/api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../lib/api')>()),
  ...api,
}))

import { setLocale } from '../lib/i18n'
import { data } from '../lib/stores/data.svelte'
import DocumentsView from './DocumentsView.svelte'

const exact: Software = {
  id: 3,
  slug: 'exact',
  name: 'Exact Online',
  direction: 'purchase',
  receivesSales: false,
  quickConnect: false,
  kind: 'keys',
  builtIn: true,
}

function connection(id: number, appKey: string, organizationIds: number[], status: 'active' | 'revoked' = 'active'): ConnectionRow {
  return { id, appKey, softwareId: exact.id, organizationIds, status, createdAt: 0 }
}

/** Go's answer to a window query: the connections of q's organization, all of them. */
function answer(all: ConnectionRow[], q: ConnectionWindowQuery = {}): ConnectionWindow {
  const rows = all.filter((c) => !q.organizationId || c.organizationIds.includes(q.organizationId))
  return { total: rows.length, matched: rows.length, offset: 0, rows, softwareIds: [exact.id] }
}

const everywhere = [
  connection(11, 'AK-NEW', [7]),
  connection(10, 'AK-OLD', [7], 'revoked'),
  connection(12, 'AK-ELSEWHERE', [8]),
  connection(13, 'AK-SHARED', [8, 7]),
]

/** The connection filter's options, as shown. */
function connectionOptions(): (string | undefined)[] {
  const select = screen.getByRole('combobox', { name: 'Connection' })
  return within(select)
    .getAllByRole('option')
    .map((o) => o.textContent?.trim())
}

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

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
    api.loadConnectionWindow.mockReset().mockResolvedValue(answer([]))
    data.software = [exact]
    data.failure = null
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

  it('filters by connection through Go, offering the organization’s connections', async () => {
    api.loadConnectionWindow.mockImplementation(async (q) => answer(everywhere, q))
    api.listDocuments.mockResolvedValue({ documents: docs(3), next: 0 })
    render(DocumentsView, { organizationId: 7, direction: 'purchase' })
    await screen.findByRole('table')
    await vi.waitFor(() =>
      expect(connectionOptions()).toEqual([
        'All connections',
        'Exact Online — AK-NEW',
        'Exact Online — AK-OLD (revoked)',
        'Exact Online — AK-SHARED',
      ]),
    )
    expect(api.listDocuments).toHaveBeenLastCalledWith(expect.objectContaining({ connectionId: 0, search: '' }))
    const select = screen.getByRole('combobox', { name: 'Connection' })

    await fireEvent.change(select, { target: { value: '10' } })
    await vi.waitFor(() =>
      expect(api.listDocuments).toHaveBeenLastCalledWith(
        expect.objectContaining({ organizationId: 7, connectionId: 10, after: 0 }),
      ),
    )
  })

  it('asks Go for the organization’s connections only, never for all of them', async () => {
    api.loadConnectionWindow.mockImplementation(async (q) => answer(everywhere, q))
    api.listDocuments.mockResolvedValue({ documents: docs(3), next: 0 })
    render(DocumentsView, { organizationId: 8, direction: 'sales' })
    await vi.waitFor(() =>
      expect(connectionOptions()).toEqual(['All connections', 'Exact Online — AK-ELSEWHERE', 'Exact Online — AK-SHARED']),
    )
    expect(api.loadConnectionWindow.mock.calls.length).toBeGreaterThan(0)
    for (const [q] of api.loadConnectionWindow.mock.calls) expect(q?.organizationId).toBe(8)
  })

  it('lists the organization’s connections again when the data changed', async () => {
    let all = everywhere.slice(0, 1)
    api.loadConnectionWindow.mockImplementation(async (q) => answer(all, q))
    api.listDocuments.mockResolvedValue({ documents: docs(3), next: 0 })
    render(DocumentsView, { organizationId: 7, direction: 'purchase' })
    await vi.waitFor(() => expect(connectionOptions()).toEqual(['All connections', 'Exact Online — AK-NEW']))
    all = [connection(14, 'AK-NEWER', [7]), ...everywhere]
    data.version++
    await vi.waitFor(() => expect(connectionOptions()).toContain('Exact Online — AK-NEWER'))
    expect(connectionOptions()).toHaveLength(5)
  })

  it('keeps the connections of the organization it shows when an older answer comes late', async () => {
    const slow = deferred<ConnectionWindow>()
    api.loadConnectionWindow.mockImplementation((q) =>
      q?.organizationId === 7 ? slow.promise : Promise.resolve(answer(everywhere, q)),
    )
    api.listDocuments.mockResolvedValue({ documents: docs(3), next: 0 })
    const view = render(DocumentsView, { organizationId: 7, direction: 'purchase' })
    await view.rerender({ organizationId: 8, direction: 'purchase' })
    await vi.waitFor(() => expect(connectionOptions()).toContain('Exact Online — AK-ELSEWHERE'))
    slow.resolve(answer(everywhere, { organizationId: 7 }))
    await new Promise((r) => setTimeout(r, 20))
    expect(connectionOptions()).toEqual(['All connections', 'Exact Online — AK-ELSEWHERE', 'Exact Online — AK-SHARED'])
  })

  it('says when the connections could not be listed', async () => {
    api.loadConnectionWindow.mockRejectedValue({ code: 'internal', message: 'disk gone' })
    api.listDocuments.mockResolvedValue({ documents: docs(1), next: 0 })
    render(DocumentsView, { organizationId: 7, direction: 'purchase' })
    await vi.waitFor(() => expect(data.failure?.message).toBe('disk gone'))
    expect(connectionOptions()).toEqual(['All connections'])
  })

  it('names the connection filter and the search box in Dutch', async () => {
    setLocale('nl')
    api.listDocuments.mockResolvedValue({ documents: docs(1), next: 0 })
    render(DocumentsView, { organizationId: 7, direction: 'purchase' })
    await screen.findByRole('table')
    expect(screen.getByRole('combobox', { name: 'Verbinding' })).toBeTruthy()
    expect(screen.getByRole('searchbox', { name: 'Facturen zoeken' })).toBeTruthy()
  })

  it('searches through Go once typing pauses', async () => {
    api.listDocuments.mockResolvedValue({ documents: docs(3), next: 0 })
    render(DocumentsView, { organizationId: 7, direction: 'purchase' })
    await screen.findByRole('table')
    const calls = api.listDocuments.mock.calls.length
    const box = screen.getByRole('searchbox', { name: 'Search invoices' })
    vi.useFakeTimers()
    try {
      await fireEvent.input(box, { target: { value: 'M' } })
      await fireEvent.input(box, { target: { value: 'Mol' } })
      await fireEvent.input(box, { target: { value: 'Molen ' } })
      await vi.advanceTimersByTimeAsync(100)
      expect(api.listDocuments.mock.calls.length).toBe(calls)
      await vi.advanceTimersByTimeAsync(100)
    } finally {
      vi.useRealTimers()
    }
    await vi.waitFor(() => expect(api.listDocuments.mock.calls.length).toBe(calls + 1))
    expect(api.listDocuments).toHaveBeenLastCalledWith(expect.objectContaining({ search: 'Molen', after: 0 }))
  })

  it('ignores an answer that arrives after a newer search', async () => {
    api.listDocuments.mockResolvedValue({ documents: docs(3), next: 0 })
    render(DocumentsView, { organizationId: 7, direction: 'purchase' })
    await screen.findByRole('table')
    const slow = deferred<DocumentPage>()
    const fast = deferred<DocumentPage>()
    api.listDocuments.mockImplementation((q) => (q.search === 'old' ? slow.promise : fast.promise))
    const box = screen.getByRole('searchbox', { name: 'Search invoices' })
    await fireEvent.input(box, { target: { value: 'old' } })
    await vi.waitFor(() => expect(api.listDocuments).toHaveBeenLastCalledWith(expect.objectContaining({ search: 'old' })))
    await fireEvent.input(box, { target: { value: 'new' } })
    await vi.waitFor(() => expect(api.listDocuments).toHaveBeenLastCalledWith(expect.objectContaining({ search: 'new' })))
    fast.resolve({ documents: docs(1, 50), next: 0 })
    await screen.findByRole('button', { name: 'INV-50' })
    slow.resolve({ documents: docs(2, 80), next: 0 })
    await new Promise((r) => setTimeout(r, 20))
    expect(screen.queryByRole('button', { name: 'INV-80' })).toBeNull()
    expect(screen.getByRole('button', { name: 'INV-50' })).toBeTruthy()
  })

  it('counts documents with the right plural in English and Dutch', async () => {
    api.listDocuments.mockResolvedValue({ documents: docs(1), next: 0 })
    const one = render(DocumentsView, { organizationId: 7, direction: 'purchase' })
    expect(await screen.findByText('1 document.')).toBeTruthy()
    one.unmount()
    setLocale('nl')
    render(DocumentsView, { organizationId: 7, direction: 'purchase' })
    expect(await screen.findByText('1 document.')).toBeTruthy()
    cleanup()
    api.listDocuments.mockResolvedValue({ documents: docs(2), next: 0 })
    render(DocumentsView, { organizationId: 7, direction: 'purchase' })
    expect(await screen.findByText('2 documenten.')).toBeTruthy()
  })
})
