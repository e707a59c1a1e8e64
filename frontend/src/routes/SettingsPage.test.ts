import { fireEvent, render, screen } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Settings } from '../lib/api'

const base: Settings = {
  accountEmail: 'anna@kantoor.nl',
  language: '',
  clipboardClearSeconds: 30,
  apiAddr: '127.0.0.1:8642',
  keychain: { backend: 'secret-service', unlocked: true },
  dataFolder: '/home/anna/.config/Koppel',
}

const api = vi.hoisted(() => ({
  getSettings: vi.fn<() => Promise<Settings>>(),
  setSetting: vi.fn<(key: string, value: string) => Promise<Settings>>(),
}))
vi.mock('../lib/api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../lib/api')>()),
  getSettings: api.getSettings,
  setSetting: api.setSetting,
}))

import { ApiError } from '../lib/api'
import { locale, setLocale } from '../lib/i18n'
import SettingsPage from './SettingsPage.svelte'

describe('settings', () => {
  beforeEach(() => {
    setLocale('en')
    api.getSettings.mockReset().mockResolvedValue(base)
    api.setSetting.mockReset().mockImplementation(async (key, value) => ({ ...base, [key]: value }))
  })

  it('shows the keychain in use and its state', async () => {
    render(SettingsPage)
    expect(await screen.findByText('Secret Service (GNOME Keyring)')).toBeTruthy()
    expect(screen.getByText('Unlocked')).toBeTruthy()
    expect(screen.getByText('/home/anna/.config/Koppel')).toBeTruthy()
    expect((screen.getByLabelText('Account email') as HTMLInputElement).value).toBe('anna@kantoor.nl')
  })

  it('switches the language at once and stores the choice', async () => {
    render(SettingsPage)
    const select = (await screen.findByLabelText('Language')) as HTMLSelectElement
    await fireEvent.change(select, { target: { value: 'nl' } })
    expect(api.setSetting).toHaveBeenCalledWith('language', 'nl')
    expect(await screen.findByRole('heading', { name: 'Instellingen' })).toBeTruthy()
    expect(locale()).toBe('nl')
    expect(document.documentElement.lang).toBe('nl')
    expect(screen.getByLabelText('Taal')).toBeTruthy()
    expect(screen.getByText('Ontgrendeld')).toBeTruthy()

    await fireEvent.change(screen.getByLabelText('Taal'), { target: { value: 'en' } })
    expect(await screen.findByRole('heading', { name: 'Settings' })).toBeTruthy()
    expect(locale()).toBe('en')
  })

  it('keeps the language when Go refuses, and says why in the chosen language', async () => {
    setLocale('nl')
    api.setSetting.mockRejectedValue(
      new ApiError('invalid', 'The language must be en (English) or nl (Nederlands).', 'settings.language'),
    )
    render(SettingsPage)
    await fireEvent.change(await screen.findByLabelText('Taal'), { target: { value: 'en' } })
    expect(await screen.findByText('De taal moet English of Nederlands zijn.')).toBeTruthy()
    expect(locale()).toBe('nl')
    setLocale('en')
  })

  it('shows a refused value next to its field, translated with its parameters', async () => {
    api.setSetting.mockRejectedValue(
      new ApiError('invalid', 'The local API only listens on this computer…', 'settings.api_loopback', { host: '0.0.0.0' }),
    )
    render(SettingsPage)
    const field = (await screen.findByLabelText('Local API address')) as HTMLInputElement
    await fireEvent.input(field, { target: { value: '0.0.0.0:8642' } })
    await fireEvent.submit(field.form!)
    expect(
      await screen.findByText('The local API only listens on this computer: use 127.0.0.1, ::1 or localhost, not “0.0.0.0”.'),
    ).toBeTruthy()
    expect(field.getAttribute('aria-invalid')).toBe('true')
  })
})
