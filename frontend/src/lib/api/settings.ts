import { Get, Set } from '../../../wailsjs/go/app/Settings'
import { call } from './errors'
import type { SettingKey, Settings } from './types'

export function getSettings(): Promise<Settings> {
  return call<Settings>(() => Get())
}

/** Stores one setting; answers with all settings as they are now. */
export function setSetting(key: SettingKey, value: string): Promise<Settings> {
  return call<Settings>(() => Set(key, value))
}
