import { fireEvent, render, screen } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { issuedKeys, secret } from '../test/fixtures'

const api = vi.hoisted(() => ({ copyText: vi.fn<(text: string, sensitive: boolean) => Promise<number>>() }))
vi.mock('../lib/api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../lib/api')>()),
  copyText: api.copyText,
}))

import { setLocale } from '../lib/i18n'
import KeysDialog from './KeysDialog.svelte'

describe('the keys dialog', () => {
  beforeEach(() => {
    setLocale('en')
    api.copyText.mockReset().mockResolvedValue(30)
  })

  it('shows the App Key, the Secret once and a plain warning', () => {
    render(KeysDialog, { keys: issuedKeys(), onclose: () => {} })
    const dialog = screen.getByRole('dialog', { name: 'Your new connection keys' })
    expect(dialog.textContent).toContain('ak_0123456789abcdefghij')
    expect(dialog.textContent).toContain(secret)
    expect(dialog.textContent).toContain('The Secret is shown only once.')
    expect(screen.getByRole('checkbox', { name: 'I have stored the Secret' })).toBeTruthy()
  })

  it('copies the Quick Connect text from Go as a secret, with a countdown', async () => {
    const keys = issuedKeys()
    render(KeysDialog, { keys, onclose: () => {} })
    await fireEvent.click(screen.getByRole('button', { name: 'Copy for Quick Connect' }))
    expect(api.copyText).toHaveBeenCalledWith(keys.quickConnectText, true)
    expect(await screen.findByText(/Clipboard clears in 30 s/)).toBeTruthy()
    await fireEvent.click(screen.getByRole('button', { name: 'Copy App Key' }))
    expect(api.copyText).toHaveBeenLastCalledWith('ak_0123456789abcdefghij', false)
    await fireEvent.click(screen.getByRole('button', { name: 'Copy Secret' }))
    expect(api.copyText).toHaveBeenLastCalledWith(secret, true)
  })

  it('leaves the Secret nowhere once closed', async () => {
    const keys = issuedKeys()
    const onclose = vi.fn()
    const { container } = render(KeysDialog, { keys, onclose })
    const shown = screen.getByTestId('keys-secret')
    const textNode = shown.firstChild
    expect(textNode?.nodeValue).toBe(secret)
    await fireEvent.click(screen.getByRole('checkbox', { name: 'I have stored the Secret' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Done' }))

    expect(onclose).toHaveBeenCalledOnce()
    // Not in the removed element either, which a browser cache may keep.
    expect(shown.isConnected).toBe(false)
    expect(shown.textContent).toBe('')
    expect(textNode?.nodeValue).toBe('') // the node itself, which closures may still hold
    // Nor in anything a framework hung on that node: Svelte caches a text
    // node's value under a symbol, which kept the Secret alive in Chromium.
    for (const key of Reflect.ownKeys(textNode as object)) {
      expect(String((textNode as unknown as Record<PropertyKey, unknown>)[key])).not.toContain('sk_')
    }
    // Not in the DOM, even though the test still holds the component.
    expect(document.body.innerHTML).not.toContain(secret)
    expect(container.innerHTML).not.toContain('sk_')
    expect(screen.queryByRole('dialog')).toBeNull()
    // Not in the object Go's answer came in, whoever else holds it.
    expect(keys.secret).toBe('')
    expect(keys.quickConnectText).toBe('')
    expect(JSON.stringify(keys)).not.toContain(secret)
  })

  it('forgets the Secret when it is taken off the screen some other way', () => {
    const keys = issuedKeys()
    const { unmount } = render(KeysDialog, { keys, onclose: () => {} })
    unmount()
    expect(keys.secret).toBe('')
    expect(document.body.innerHTML).not.toContain(secret)
  })
})

describe('the close guard', () => {
  beforeEach(() => setLocale('en'))

  it('asks before closing while the Secret is not stored, and Go back keeps it', async () => {
    const keys = issuedKeys()
    const onclose = vi.fn()
    render(KeysDialog, { keys, onclose })
    await fireEvent.click(screen.getByRole('button', { name: 'Done' }))

    const guard = screen.getByRole('alertdialog', { name: 'Close without the Secret?' })
    expect(guard.textContent).toContain('The Secret cannot be shown again. Close anyway?')
    expect(onclose).not.toHaveBeenCalled()

    await fireEvent.click(screen.getByRole('button', { name: 'Go back' }))
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(screen.getByRole('dialog').textContent).toContain(secret)
    expect(keys.secret).toBe(secret)
  })

  it('asks on Escape and on the × button too', async () => {
    render(KeysDialog, { keys: issuedKeys(), onclose: () => {} })
    await fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' })
    expect(screen.getByRole('alertdialog')).toBeTruthy()
    // Escape in the question closes only the question.
    await fireEvent.keyDown(screen.getByRole('alertdialog'), { key: 'Escape' })
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(screen.getByRole('dialog')).toBeTruthy()

    await fireEvent.click(screen.getByRole('button', { name: 'Close' }))
    expect(screen.getByRole('alertdialog')).toBeTruthy()
  })

  it('closes and forgets on "Close anyway"', async () => {
    const keys = issuedKeys()
    const onclose = vi.fn()
    render(KeysDialog, { keys, onclose })
    await fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' })
    await fireEvent.click(screen.getByRole('button', { name: 'Close anyway' }))
    expect(onclose).toHaveBeenCalledOnce()
    expect(keys.secret).toBe('')
    expect(document.body.innerHTML).not.toContain(secret)
  })

  it('closes without asking once the Secret is stored, also with Enter', async () => {
    const onclose = vi.fn()
    render(KeysDialog, { keys: issuedKeys(), onclose })
    const box = screen.getByRole('checkbox', { name: 'I have stored the Secret' })
    await fireEvent.click(box)
    await fireEvent.keyDown(box, { key: 'Enter' })
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(onclose).toHaveBeenCalledOnce()
  })
})
