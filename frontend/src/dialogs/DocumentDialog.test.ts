import { fireEvent, render, screen } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type {
  ConnectionRow,
  ConnectionWindow,
  ConnectionWindowQuery,
  DocumentDetail,
  ReofferCandidate,
  ReofferResult,
} from '../lib/api'

const api = vi.hoisted(() => ({
  getDocument: vi.fn<(id: number) => Promise<DocumentDetail>>(),
  documentBody: vi.fn<(id: number) => Promise<string>>(),
  reoffer: vi.fn<(ids: number[]) => Promise<ReofferResult[]>>(),
  markOriginal: vi.fn(),
  reofferCandidates: vi.fn<(id: number) => Promise<ReofferCandidate[]>>(),
  loadConnectionWindow: vi.fn<(q?: ConnectionWindowQuery) => Promise<ConnectionWindow>>(),
}))
vi.mock('../lib/api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../lib/api')>()),
  ...api,
}))

import { setLocale } from '../lib/i18n'
import { data } from '../lib/stores/data.svelte'
import { yuki } from '../test/fixtures'
import DocumentDialog from './DocumentDialog.svelte'
import ReconnectDialog from './ReconnectDialog.svelte'

const doc = {
  id: 5,
  organizationId: 7,
  direction: 'purchase',
  type: 'invoice',
  number: 'MOL-2026-0142',
  issueDate: '2026-03-02',
  supplierName: 'Molen <b>Meel</b>',
  supplierParty: '0106:87654321',
  payableAmount: '121.00',
  currency: 'EUR',
  status: 'Routed',
  size: 1000,
  receivedAt: '2026-03-03T10:00:00Z',
}

/** The connections Go knows, and its answer to a window query: those of q's organization. */
const known: ConnectionRow[] = [
  { id: 3, appKey: 'ak_JANSEN00000000000003', softwareId: yuki.id, organizationIds: [7], status: 'active', createdAt: 0 },
  { id: 4, appKey: 'ak_ELSEWHERE0000000004', softwareId: yuki.id, organizationIds: [8], status: 'active', createdAt: 0 },
]
function answer(q: ConnectionWindowQuery = {}): ConnectionWindow {
  const rows = known.filter((c) => !q.organizationId || c.organizationIds.includes(q.organizationId))
  return { total: rows.length, matched: rows.length, offset: 0, rows, softwareIds: [yuki.id] }
}

describe('the document dialog', () => {
  beforeEach(() => {
    setLocale('en')
    for (const f of Object.values(api)) f.mockReset()
    api.getDocument.mockResolvedValue({
      document: doc,
      history: [{ at: '2026-03-03T10:00:00Z', status: 'Routed', note: 'offered to 1 connection' }],
      offers: [{ id: 1, documentId: 5, connectionId: 3, state: 'ready', offeredAt: '2026-03-03T10:00:00Z' }],
    })
    api.loadConnectionWindow.mockImplementation(async (q) => answer(q))
    data.software = [yuki]
  })

  it('names the offers’ connections as Go names them, asking for no connection list', async () => {
    api.getDocument.mockResolvedValue({
      document: doc,
      history: [],
      offers: [
        { id: 1, documentId: 5, connectionId: 3, state: 'ready', appKey: 'ak_JANSEN00000000000003', softwareName: 'Yuki' },
        { id: 2, documentId: 5, connectionId: 0, state: 'withdrawn' },
        { id: 3, documentId: 5, connectionId: 9, state: 'withdrawn' },
      ],
    })
    render(DocumentDialog, { id: 5 })
    const dialog = await screen.findByRole('dialog', { name: 'Document MOL-2026-0142' })
    await vi.waitFor(() => expect(dialog.textContent).toContain('ak_JANSEN00000000000003 (Yuki)'))
    const items = [...dialog.querySelectorAll('.offers li')].map((li) => li.querySelector('.mono')?.textContent)
    expect(items).toEqual(['ak_JANSEN00000000000003 (Yuki)', 'a deleted connection', '#9'])
    expect(api.loadConnectionWindow).not.toHaveBeenCalled()
  })

  it('shows the history and the XML as text, never as markup', async () => {
    const xml = '<?xml version="1.0"?><Invoice><script>alert(1)</script><img src=x onerror="alert(2)"></Invoice>'
    api.documentBody.mockResolvedValue(xml)
    render(DocumentDialog, { id: 5 })
    const dialog = await screen.findByRole('dialog', { name: 'Document MOL-2026-0142' })
    expect(dialog.textContent).toContain('offered to 1 connection')
    expect(dialog.textContent).toContain('Molen <b>Meel</b>')
    await fireEvent.click(screen.getByRole('button', { name: 'Show XML' }))
    const pre = await screen.findByLabelText('XML')
    expect(pre.tagName).toBe('PRE')
    expect(pre.textContent).toBe(xml)
    expect(pre.children.length).toBe(0)
    expect(dialog.querySelector('script, img')).toBeNull()
  })

  it('re-offers the document to the API', async () => {
    api.reoffer.mockResolvedValue([{ documentId: 5, offeredTo: [9], alreadyOffered: [], withdrawn: [1] }])
    render(DocumentDialog, { id: 5 })
    await fireEvent.click(await screen.findByRole('button', { name: 'Re-offer to API' }))
    expect(api.reoffer).toHaveBeenCalledWith([5])
    expect(await screen.findByText('Re-offered to 1 connection.')).toBeTruthy()
  })

  it('says the notes of the history and the offers in Dutch, and older notes as Go wrote them', async () => {
    await setLocale('nl')
    api.getDocument.mockResolvedValue({
      document: doc,
      history: [
        { at: '2026-03-03T10:00:00Z', status: 'Pending', note: 'imported', notePhrases: [{ key: 'note.imported' }] },
        {
          at: '2026-03-03T10:00:00Z',
          status: 'Validated',
          note: 'waiting: none of Bakkerij’s active connections may receive it; Radar #3: Radar only sends invoices',
          notePhrases: [
            { key: 'note.waitingNoneMayReceive', params: { organization: 'Bakkerij' } },
            { key: 'refusal.sendOnly', params: { receiver: 'Radar #3', software: 'Radar' } },
          ],
        },
        { at: '2026-03-03T10:00:00Z', status: 'Routed', note: 'offered to Yuki (connection 3)' },
      ],
      offers: [
        {
          id: 1,
          documentId: 5,
          connectionId: 3,
          state: 'withdrawn',
          note: 'withdrawn by the software',
          notePhrases: [{ key: 'note.withdrawnBySoftware' }],
        },
      ],
    })
    render(DocumentDialog, { id: 5 })
    const dialog = await screen.findByRole('dialog', { name: 'Document MOL-2026-0142' })
    await vi.waitFor(() => expect(dialog.textContent).toContain('— geïmporteerd'))
    expect(dialog.textContent).toContain(
      '— wacht: geen van de actieve verbindingen van Bakkerij mag haar ontvangen; Radar #3: Radar verstuurt alleen facturen',
    )
    expect(dialog.textContent).toContain('— offered to Yuki (connection 3)')
    expect(dialog.querySelector('.offers')?.textContent).toContain('— ingetrokken door de software')
  })

  it('says in Dutch what the buttons do', async () => {
    setLocale('nl')
    render(DocumentDialog, { id: 5 })
    expect(await screen.findByRole('button', { name: 'Opnieuw aanbieden aan API' })).toBeTruthy()
  })
})

describe('the reconnect wizard', () => {
  beforeEach(() => {
    setLocale('en')
    for (const f of Object.values(api)) f.mockReset()
  })

  it('lists the candidates and re-offers them all', async () => {
    api.reofferCandidates
      .mockResolvedValueOnce([{ offer: { id: 1, documentId: 5, connectionId: 3, state: 'ready' }, document: doc }])
      .mockResolvedValue([])
    api.reoffer.mockResolvedValue([{ documentId: 5, offeredTo: [9], alreadyOffered: [], withdrawn: [1] }])
    render(ReconnectDialog, { organizationIds: [7] })
    const list = await screen.findByRole('list', { name: 'Documents to re-offer' })
    expect(list.textContent).toContain('MOL-2026-0142')
    await fireEvent.click(screen.getByRole('button', { name: 'Re-offer all to API' }))
    expect(api.reoffer).toHaveBeenCalledWith([5])
    expect(await screen.findByText('1 document re-offered.')).toBeTruthy()
    expect(await screen.findByText(/Nothing to re-offer/)).toBeTruthy()
  })

  it('counts in Dutch with the singular for one document', async () => {
    setLocale('nl')
    api.reofferCandidates
      .mockResolvedValueOnce([{ offer: { id: 1, documentId: 5, connectionId: 3, state: 'ready' }, document: doc }])
      .mockResolvedValue([])
    api.reoffer.mockResolvedValue([{ documentId: 5, offeredTo: [9], alreadyOffered: [], withdrawn: [1] }])
    render(ReconnectDialog, { organizationIds: [7] })
    expect(await screen.findByText('1 document opnieuw aan te bieden:')).toBeTruthy()
    await fireEvent.click(screen.getByRole('button', { name: 'Alles opnieuw aanbieden aan API' }))
    expect(await screen.findByText('1 document opnieuw aangeboden.')).toBeTruthy()
  })
})
