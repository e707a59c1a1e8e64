import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import { tick } from 'svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type {
  Administration,
  Applied,
  ApplyInput,
  Connection,
  Link,
  QuickConnectContext,
  Recognised,
  Settings,
  Software,
} from '../lib/api'
import { jansen, secret, yuki } from '../test/fixtures'

const api = vi.hoisted(() => ({
  quickConnectContext: vi.fn<(id: number) => Promise<QuickConnectContext>>(),
  recogniseKeys: vi.fn<(text: string) => Promise<Recognised>>(),
  pasteFromClipboard: vi.fn<() => Promise<Recognised>>(),
  forgetPaste: vi.fn<(token: string) => Promise<void>>(),
  applyQuickConnect: vi.fn<(input: ApplyInput) => Promise<Applied>>(),
  listLinks: vi.fn<() => Promise<Link[]>>(),
  testLink: vi.fn(),
  getSettings: vi.fn<() => Promise<Settings>>(),
}))
vi.mock('../lib/api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../lib/api')>()),
  ...api,
}))

import { ApiError } from '../lib/api'
import { setLocale } from '../lib/i18n'
import { ui } from '../lib/stores/ui.svelte'
import QuickConnectPage from './QuickConnectPage.svelte'

const appKey = 'ak_0123456789abcdefghij'
const masked = 'sk_••••••••yY8z'
const pasted = `Koppel Quick Connect\nApp Key: ${appKey}\nSecret: ${secret}\n`

const radar: Software = { ...yuki, id: 5, slug: 'radar', name: 'Radar', direction: 'send', receivesSales: false }
const whitevision: Software = { ...yuki, id: 6, slug: 'whitevision', name: 'WhiteVision', receivesSales: false }
const custom: Software = { ...yuki, id: 9, slug: 'boekhoud', name: 'BoekhoudPro', quickConnect: false, builtIn: false }

function connection(software: Software = yuki, id = 3): Connection {
  return { id, appKey, software, organizationIds: [jansen.id], status: 'active', createdAt: '2025-03-01T09:00:00Z', revokedKeyAttempts: 0 }
}

const bakkerij: Administration = {
  id: 11,
  softwareId: yuki.id,
  softwareName: 'Yuki',
  organizationId: jansen.id,
  organizationName: jansen.name,
  name: 'Bakkerij Jansen',
  code: 'BJ01',
  createdAt: '2025-03-01T09:00:00Z',
}
const filiaal: Administration = { ...bakkerij, id: 12, name: 'Filiaal Noord', code: 'BJ02', linkedConnectionId: 8 }

function context(software: Software = yuki): QuickConnectContext {
  return { connection: connection(software), organizations: [jansen], administrations: [bakkerij, filiaal], links: [] }
}

function recognised(over: Partial<Recognised> = {}): Recognised {
  return {
    token: 'tok-1',
    appKey,
    secretMasked: masked,
    connection: connection(),
    organizations: [jansen],
    administrations: [bakkerij, filiaal],
    ...over,
  }
}

function link(over: Partial<Link> = {}): Link {
  return {
    id: 21,
    connectionId: 3,
    appKey,
    softwareName: 'Yuki',
    administrationId: 11,
    administrationName: 'Bakkerij Jansen',
    email: 'boekhouding@jansen.nl',
    processSales: false,
    status: 'active',
    createdAt: '2025-03-02T09:00:00Z',
    ...over,
  }
}

/** A paste outside any field, as the webview delivers Ctrl+V. */
function paste(text: string, target: Element = document.body) {
  const event = new Event('paste', { bubbles: true, cancelable: true })
  Object.defineProperty(event, 'clipboardData', {
    value: { getData: (type: string) => (type === 'text/plain' ? text : '') },
  })
  target.dispatchEvent(event)
  return event
}

async function open(software: Software = yuki) {
  api.quickConnectContext.mockResolvedValue(context(software))
  render(QuickConnectPage, { connectionId: 3 })
  await screen.findByText(`Connection #3 · ${software.name}`)
}

async function pasteKeys() {
  paste(pasted)
  await screen.findByText('Keys recognised')
}

const applyButton = () => screen.getByRole('button', { name: 'Apply' }) as HTMLButtonElement

describe('the Quick Connect view', () => {
  beforeEach(() => {
    setLocale('en')
    for (const fn of Object.values(api)) fn.mockReset()
    api.getSettings.mockResolvedValue({
      accountEmail: 'anna@kantoor.nl',
      language: '',
      clipboardClearSeconds: 30,
      apiAddr: '127.0.0.1:8642',
      keychain: { backend: 'file', unlocked: true },
      dataFolder: '/tmp',
    })
    api.recogniseKeys.mockResolvedValue(recognised())
    api.forgetPaste.mockResolvedValue()
    api.listLinks.mockResolvedValue([])
  })

  afterEach(() => {
    setLocale('en')
  })

  it('keeps Apply disabled until everything is valid, then applies', async () => {
    api.applyQuickConnect.mockResolvedValue({ link: link(), withdrawn: 0 })
    await open()
    expect(screen.getByRole('heading', { level: 1, name: 'Quick Connect' })).toBeTruthy()
    expect(applyButton().disabled).toBe(true)

    await pasteKeys()
    expect(applyButton().disabled).toBe(true)

    await fireEvent.change(screen.getByLabelText('Administration'), { target: { value: '11' } })
    expect(applyButton().disabled).toBe(true)

    const email = screen.getByLabelText('Email address linked to the administration')
    await fireEvent.input(email, { target: { value: 'boekhouding@jansen' } })
    await fireEvent.blur(email)
    await fireEvent.click(screen.getByRole('checkbox', { name: /I confirm/ }))
    expect(applyButton().disabled).toBe(true) // not a complete address

    await fireEvent.input(email, { target: { value: 'boekhouding@jansen.nl' } })
    await fireEvent.input(screen.getByLabelText(/Start date/), { target: { value: '2026-01-01' } })
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Also process sales invoices' }))
    expect(applyButton().disabled).toBe(false)

    await fireEvent.click(screen.getByRole('checkbox', { name: /I confirm/ }))
    expect(applyButton().disabled).toBe(true)
    await fireEvent.click(screen.getByRole('checkbox', { name: /I confirm/ }))

    await fireEvent.click(applyButton())
    expect(api.applyQuickConnect).toHaveBeenCalledWith({
      token: 'tok-1',
      administrationId: 11,
      newAdministration: undefined,
      email: 'boekhouding@jansen.nl',
      startDate: '2026-01-01',
      processSales: true,
      confirmed: true,
      revokeConflicting: 0,
    })
    expect(await screen.findByRole('heading', { name: 'Link created' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Test connection' })).toBeTruthy()
  })

  it('offers no sales option for a package without sales invoices', async () => {
    await open(whitevision)
    expect(screen.getByLabelText(/Start date/)).toBeTruthy()
    expect(screen.queryByRole('checkbox', { name: 'Also process sales invoices' })).toBeNull()
  })

  it('hides the retrieval options for a send-only package', async () => {
    await open(radar)
    expect(screen.queryByLabelText(/Start date/)).toBeNull()
    expect(screen.queryByRole('checkbox', { name: 'Also process sales invoices' })).toBeNull()
    expect(screen.getByRole('checkbox', { name: /I confirm/ })).toBeTruthy()
  })

  it('refuses the account email as the user types, with its advice', async () => {
    await open()
    await pasteKeys()
    await fireEvent.change(screen.getByLabelText('Administration'), { target: { value: '11' } })
    await fireEvent.click(screen.getByRole('checkbox', { name: /I confirm/ }))
    await fireEvent.input(screen.getByLabelText('Email address linked to the administration'), {
      target: { value: 'Anna@Kantoor.nl' },
    })
    const alert = await screen.findByText(
      'Use the email address linked to the administration in Yuki, not your Koppel account’s address.',
    )
    expect(alert.getAttribute('role')).toBe('alert')
    expect(applyButton().disabled).toBe(true)
  })

  it('sends a paste to Recognise and shows the masked Secret, never the Secret', async () => {
    await open()
    const event = paste(pasted)
    expect(event.defaultPrevented).toBe(true)
    expect(api.recogniseKeys).toHaveBeenCalledWith(pasted)
    expect(await screen.findByText(masked)).toBeTruthy()
    expect(screen.getByText(appKey)).toBeTruthy()
    expect(screen.getByText('(NL:KVK:12345678)').parentElement?.textContent).toContain('Bakkerij Jansen BV')
    expect(document.body.textContent).not.toContain(secret)
    for (const input of document.querySelectorAll('input')) expect(input.value).not.toContain(secret)
  })

  it('leaves a paste into a text field to the field', async () => {
    await open()
    await pasteKeys()
    api.recogniseKeys.mockClear()
    const email = screen.getByLabelText('Email address linked to the administration')
    const event = paste('someone@jansen.nl', email)
    expect(event.defaultPrevented).toBe(false)
    expect(api.recogniseKeys).not.toHaveBeenCalled()
  })

  it('prefills the email the paste held', async () => {
    api.recogniseKeys.mockResolvedValue(recognised({ email: 'boekhouding@jansen.nl' }))
    await open()
    await pasteKeys()
    expect((screen.getByLabelText('Email address linked to the administration') as HTMLInputElement).value).toBe(
      'boekhouding@jansen.nl',
    )
  })

  it('says a refused paste in the chosen language', async () => {
    setLocale('nl')
    api.recogniseKeys.mockRejectedValue(
      new ApiError('invalid', 'The Secret does not belong to App Key …', 'quickconnect.secret_mismatch', { appKey }),
    )
    api.quickConnectContext.mockResolvedValue(context())
    render(QuickConnectPage, { connectionId: 3 })
    await screen.findByText('Verbinding #3 · Yuki')
    paste(pasted)
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toBe(
      `Het Secret hoort niet bij App Key ${appKey}. Kopieer beide sleutels opnieuw van waar ze werden getoond; is het Secret kwijt, vervang dan de sleutels.`,
    )
  })

  it('says plainly when the keys belong to another connection', async () => {
    api.recogniseKeys.mockResolvedValue(recognised({ connection: connection(yuki, 4) }))
    await open()
    await pasteKeys()
    expect(screen.getByText(/These keys belong to connection #4 \(Yuki\), not to connection #3/)).toBeTruthy()
  })

  it('offers to revoke the other connection on a conflict, and re-applies after confirmation', async () => {
    api.applyQuickConnect
      .mockRejectedValueOnce(
        new ApiError('conflict', 'Administration Filiaal Noord is already linked…', 'quickconnect.conflict', {
          name: 'Filiaal Noord',
          id: '8',
          software: 'Yuki',
          appKey: 'ak_OTHERotherOTHERothe',
        }),
      )
      .mockResolvedValueOnce({ link: link({ administrationId: 12, administrationName: 'Filiaal Noord' }), withdrawn: 2, revokedConnectionId: 8 })
    await open()
    await pasteKeys()
    await fireEvent.change(screen.getByLabelText('Administration'), { target: { value: '12' } })
    await fireEvent.input(screen.getByLabelText('Email address linked to the administration'), {
      target: { value: 'noord@jansen.nl' },
    })
    await fireEvent.click(screen.getByRole('checkbox', { name: /I confirm/ }))
    await fireEvent.click(applyButton())

    const revoke = await screen.findByRole('button', { name: 'Revoke the other connection and continue' })
    expect(screen.getByText(/already linked to connection #8 \(Yuki, ak_OTHERotherOTHERothe\)/)).toBeTruthy()
    await fireEvent.click(revoke)

    const step = screen.getByRole('group', { name: 'Revoke connection #8?' })
    expect(step.textContent).toContain('stop working at once')
    const go = within(step).getByRole('button', { name: 'Revoke connection #8 and apply' }) as HTMLButtonElement
    expect(go.disabled).toBe(true)
    await fireEvent.click(within(step).getByRole('checkbox', { name: /connection #8 will be revoked/ }))
    expect(go.disabled).toBe(false)
    await fireEvent.click(go)

    expect(api.applyQuickConnect).toHaveBeenCalledTimes(2)
    expect(api.applyQuickConnect.mock.calls[1][0]).toMatchObject({ token: 'tok-1', administrationId: 12, revokeConflicting: 8 })
    expect(await screen.findByText('Connection #8 was revoked.')).toBeTruthy()
    expect(screen.getByText(/2 invoices waiting for download were withdrawn/)).toBeTruthy()
  })

  it('adds a new administration only as part of Apply', async () => {
    api.applyQuickConnect.mockResolvedValue({ link: link({ administrationName: 'Nieuwe winkel' }), withdrawn: 0 })
    await open()
    await pasteKeys()
    await fireEvent.click(screen.getByRole('button', { name: 'Add administration' }))
    await fireEvent.input(screen.getByLabelText('Administration name'), { target: { value: 'Nieuwe winkel' } })
    await fireEvent.input(screen.getByLabelText(/Administration code/), { target: { value: 'NW1' } })
    await fireEvent.input(screen.getByLabelText('Email address linked to the administration'), {
      target: { value: 'winkel@jansen.nl' },
    })
    await fireEvent.click(screen.getByRole('checkbox', { name: /I confirm/ }))
    await fireEvent.click(applyButton())
    expect(api.applyQuickConnect.mock.calls[0][0]).toMatchObject({
      administrationId: 0,
      newAdministration: { softwareId: 0, organizationId: 0, name: 'Nieuwe winkel', code: 'NW1', email: '' },
    })
  })

  it('shows an email refused by Go next to the field', async () => {
    api.applyQuickConnect.mockRejectedValue(
      new ApiError('invalid', '…', 'quickconnect.email_mismatch', {
        email: 'info@jansen.nl',
        name: 'Bakkerij Jansen',
        expected: 'b•••@jansen.nl',
      }),
    )
    await open()
    await pasteKeys()
    await fireEvent.change(screen.getByLabelText('Administration'), { target: { value: '11' } })
    const email = screen.getByLabelText('Email address linked to the administration')
    await fireEvent.input(email, { target: { value: 'info@jansen.nl' } })
    await fireEvent.click(screen.getByRole('checkbox', { name: /I confirm/ }))
    await fireEvent.click(applyButton())
    const alert = await screen.findByText(/info@jansen.nl is not the email address linked to Bakkerij Jansen; that is b•••@jansen.nl/)
    expect(alert.id).toBe('qc-email-error')
    expect(email.getAttribute('aria-invalid')).toBe('true')
  })

  it('takes the keys in two fields for a package without Quick Connect', async () => {
    api.recogniseKeys.mockResolvedValue(recognised({ connection: connection(custom) }))
    await open(custom)
    expect(screen.queryByRole('button', { name: 'Paste' })).toBeNull()
    const key = screen.getByLabelText('App Key') as HTMLInputElement
    const sec = screen.getByLabelText('Secret') as HTMLInputElement
    expect(sec.type).toBe('password')
    await fireEvent.input(key, { target: { value: appKey } })
    await fireEvent.input(sec, { target: { value: secret } })
    await fireEvent.click(screen.getByRole('button', { name: 'Check keys' }))
    expect(api.recogniseKeys).toHaveBeenCalledWith(`${appKey}\n${secret}`)
    expect(key.value).toBe('')
    expect(sec.value).toBe('')
    expect(await screen.findByText(masked)).toBeTruthy()
  })

  it('has Go read the clipboard when Ctrl+V brings no paste event', async () => {
    api.pasteFromClipboard.mockResolvedValue(recognised())
    await open()
    await fireEvent.keyDown(document.body, { key: 'v', ctrlKey: true, metaKey: true })
    await waitFor(() => expect(api.pasteFromClipboard).toHaveBeenCalledTimes(1))
    expect(await screen.findByText(masked)).toBeTruthy()
  })

  it('Paste asks Go to read the clipboard', async () => {
    api.pasteFromClipboard.mockResolvedValue(recognised())
    await open()
    await fireEvent.click(screen.getByRole('button', { name: 'Paste' }))
    expect(api.pasteFromClipboard).toHaveBeenCalled()
    expect(await screen.findByText(masked)).toBeTruthy()
  })

  it('leaves with Esc and has Go forget the paste', async () => {
    const leave = vi.spyOn(ui, 'leaveQuickConnect')
    await open()
    await pasteKeys()
    await fireEvent.keyDown(document.body, { key: 'Escape' })
    expect(leave).toHaveBeenCalled()
    expect(api.forgetPaste).toHaveBeenCalledWith('tok-1')
    leave.mockRestore()
  })

  it('lists the links of the connection and tests one', async () => {
    api.quickConnectContext.mockResolvedValue({ ...context(), links: [link({ startDate: '2026-01-01' })] })
    api.testLink.mockResolvedValue({
      ok: false,
      parties: [],
      problem: { code: 'conflict', message: 'The local API does not answer…', key: 'link.api_down', params: { addr: '127.0.0.1:8642' } },
      link: link(),
    })
    render(QuickConnectPage, { connectionId: 3 })
    const list = await screen.findByRole('list', { name: 'Links of connection #3' })
    expect(within(list).getByText('Bakkerij Jansen')).toBeTruthy()
    expect(within(list).getByText('boekhouding@jansen.nl')).toBeTruthy()
    await fireEvent.click(within(list).getByRole('button', { name: 'Test the link to Bakkerij Jansen' }))
    expect((await within(list).findByRole('alert')).textContent).toContain('The local API does not answer (127.0.0.1:8642).')
  })

  it('marks the moments the benchmark measures', async () => {
    performance.clearMarks()
    performance.clearMeasures()
    performance.mark('qc:open')
    await open()
    await waitFor(() => expect(performance.getEntriesByName('qc:ready').length).toBe(1))
    expect(performance.getEntriesByName('qc-open').length).toBe(1)
    await pasteKeys()
    await tick()
    await waitFor(() => expect(performance.getEntriesByName('qc-paste').length).toBe(1))
  })

  it('opens from a connection or the menu, with the open mark, and goes back where it came from', () => {
    performance.clearMarks()
    ui.view = 'organization'
    ui.openQuickConnect(3)
    expect(ui.view).toBe('quickConnect')
    expect(ui.quickConnectId).toBe(3)
    expect(performance.getEntriesByName('qc:open').length).toBe(1)
    ui.openQuickConnect(null)
    expect(ui.quickConnectId).toBeNull()
    ui.leaveQuickConnect()
    expect(ui.view).toBe('organization')
    ui.view = 'overview'
  })

  it('chooses the only administration, fills in its recorded email and puts focus on the confirmation', async () => {
    const only = { ...bakkerij, email: 'boekhouding@jansen.nl' }
    api.recogniseKeys.mockResolvedValue(recognised({ administrations: [only] }))
    await open()
    await pasteKeys()
    expect((screen.getByLabelText('Administration') as HTMLSelectElement).value).toBe('11')
    expect((screen.getByLabelText('Email address linked to the administration') as HTMLInputElement).value).toBe(
      'boekhouding@jansen.nl',
    )
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('checkbox', { name: /I confirm/ })))
    await fireEvent.click(screen.getByRole('checkbox', { name: /I confirm/ }))
    expect(applyButton().disabled).toBe(false)
  })

  it('puts focus on the administration when there is a choice to make', async () => {
    await open()
    await pasteKeys()
    expect((screen.getByLabelText('Administration') as HTMLSelectElement).value).toBe('')
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Administration')))
  })
})
