import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Administration, AdministrationInput, CSVImport, CSVPreview, Software } from '../lib/api'
import { yuki } from '../test/fixtures'

const api = vi.hoisted(() => ({
  listSoftware: vi.fn<() => Promise<Software[]>>(),
  listAdministrations: vi.fn<() => Promise<Administration[]>>(),
  addAdministration: vi.fn<(input: AdministrationInput) => Promise<Administration>>(),
  updateAdministration: vi.fn<(id: number, input: AdministrationInput) => Promise<Administration>>(),
  previewAdministrationsCSV: vi.fn<(softwareId: number, text: string) => Promise<CSVPreview>>(),
  importAdministrationsCSV: vi.fn<(softwareId: number, text: string) => Promise<CSVImport>>(),
}))
vi.mock('../lib/api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../lib/api')>()),
  ...api,
}))

import { ApiError } from '../lib/api'
import { setLocale } from '../lib/i18n'
import AdministrationsPage from './AdministrationsPage.svelte'

const exactOnline: Software = { ...yuki, id: 20, slug: 'exact-online', name: 'Exact Online', kind: 'autopilot', quickConnect: false }

const bakkerij: Administration = {
  id: 11,
  softwareId: yuki.id,
  softwareName: 'Yuki',
  name: 'Bakkerij Jansen',
  code: 'BJ01',
  email: 'boekhouding@jansen.nl',
  linkedConnectionId: 3,
  createdAt: '2025-03-01T09:00:00Z',
}

const csv = 'name;code;email;organization\nWinkel Noord;WN;noord@jansen.nl;\n;X1;;\nBakkerij Jansen;BJ01;;\nFiliaal;F1;;NL:KVK:99999999\nWinkel Zuid;WZ;;\n'

const preview: CSVPreview = {
  softwareId: yuki.id,
  valid: 2,
  rows: [
    { line: 2, name: 'Winkel Noord', code: 'WN', email: 'noord@jansen.nl' },
    {
      line: 3,
      name: '',
      code: 'X1',
      problem: { code: 'invalid', message: 'The administration name is required.', key: 'text.required', params: { field: 'administration name' } },
    },
    { line: 4, name: 'Bakkerij Jansen', code: 'BJ01', exists: true },
    {
      line: 5,
      name: 'Filiaal',
      code: 'F1',
      organization: 'NL:KVK:99999999',
      problem: { code: 'not_found', message: 'No organization …', key: 'organization.not_found', params: { ref: 'NL:KVK:99999999' } },
    },
    { line: 6, name: 'Winkel Zuid', code: 'WZ' },
  ],
}

function choose(input: HTMLElement, file: File) {
  Object.defineProperty(input, 'files', { value: [file], configurable: true })
  return fireEvent.change(input)
}

describe('the administrations page', () => {
  beforeEach(() => {
    setLocale('en')
    for (const fn of Object.values(api)) fn.mockReset()
    api.listSoftware.mockResolvedValue([yuki, exactOnline])
    api.listAdministrations.mockResolvedValue([bakkerij])
    api.previewAdministrationsCSV.mockResolvedValue(preview)
  })

  it('lists the administrations of every package, or of the chosen one', async () => {
    render(AdministrationsPage)
    const all = await screen.findByRole('table', { name: 'Administrations' })
    expect(within(all).getByText('Bakkerij Jansen')).toBeTruthy()
    expect(within(all).getByText('connection #3')).toBeTruthy()
    expect(api.listAdministrations).toHaveBeenCalledWith({ softwareId: 0, search: '' })
    await fireEvent.change(screen.getByLabelText('Software package'), { target: { value: String(yuki.id) } })
    await screen.findByRole('table', { name: 'Administrations in Yuki' })
    await waitFor(() => expect(api.listAdministrations).toHaveBeenLastCalledWith({ softwareId: yuki.id, search: '' }))
  })

  it('previews a CSV file with each row’s problem, then imports the valid rows', async () => {
    api.importAdministrationsCSV.mockResolvedValue({ preview, added: [bakkerij, bakkerij] })
    render(AdministrationsPage)
    await screen.findByRole('table', { name: 'Administrations' })
    await fireEvent.click(screen.getByRole('button', { name: 'Import CSV' }))
    const dialog = screen.getByRole('dialog', { name: 'Import administrations' })
    expect((within(dialog).getByLabelText('Import into package') as HTMLSelectElement).value).toBe(String(yuki.id))
    await choose(within(dialog).getByLabelText('CSV file'), new File([csv], 'administraties.csv', { type: 'text/csv' }))

    await waitFor(() => expect(api.previewAdministrationsCSV).toHaveBeenCalledWith(yuki.id, csv))
    const rows = await within(dialog).findByRole('table', { name: 'Rows of the file' })
    const line = (n: number) => within(rows).getByText(String(n)).closest('tr') as HTMLElement
    expect(line(2).textContent).toContain('will be added')
    expect(line(3).textContent).toContain('The administration name is required.')
    expect(line(4).textContent).toContain('already exists; skipped')
    expect(line(5).textContent).toContain('No organization NL:KVK:99999999 in Koppel')
    expect(within(dialog).getByText('2 rows can be added.')).toBeTruthy()

    await fireEvent.click(within(dialog).getByRole('button', { name: 'Import' }))
    expect(api.importAdministrationsCSV).toHaveBeenCalledWith(yuki.id, csv)
    expect(await within(dialog).findByText('2 administrations added.')).toBeTruthy()
  })

  it('refuses a file over 1 MiB before sending it to Go', async () => {
    render(AdministrationsPage)
    await screen.findByRole('table', { name: 'Administrations' })
    await fireEvent.click(screen.getByRole('button', { name: 'Import CSV' }))
    await choose(screen.getByLabelText('CSV file'), new File(['x'.repeat((1 << 20) + 1)], 'big.csv'))
    expect((await screen.findByRole('alert')).textContent).toBe('The file is larger than 1 MiB; split it into smaller files.')
    expect(api.previewAdministrationsCSV).not.toHaveBeenCalled()
  })

  it('says why a linked administration cannot switch to Autopilot', async () => {
    api.updateAdministration.mockRejectedValue(
      new ApiError('conflict', '…', 'administration.autopilot_conflict', { name: 'Bakkerij Jansen', software: 'Exact Online', id: '3' }),
    )
    render(AdministrationsPage)
    await screen.findByRole('table', { name: 'Administrations' })
    await fireEvent.click(screen.getByRole('button', { name: 'Edit Bakkerij Jansen' }))
    const dialog = screen.getByRole('dialog', { name: 'Edit Bakkerij Jansen' })
    await fireEvent.change(within(dialog).getByLabelText('Software package'), { target: { value: String(exactOnline.id) } })
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect(api.updateAdministration).toHaveBeenCalledWith(11, {
      softwareId: exactOnline.id,
      organizationId: 0,
      name: 'Bakkerij Jansen',
      code: 'BJ01',
      email: 'boekhouding@jansen.nl',
    })
    expect((await within(dialog).findByRole('alert')).textContent).toContain(
      'Bakkerij Jansen cannot switch to Exact Online while connection #3 serves it with keys.',
    )
  })
})
