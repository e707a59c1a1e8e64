import { Status, WindowOpened } from '../../../wailsjs/go/app/System'
import { call } from './errors'
import type { BackendStatus } from './types'

/** Whether Koppel's data opened; waits for startup. */
export function backendStatus(): Promise<BackendStatus> {
  return call<BackendStatus>(() => Status())
}

/**
 * Tells Go what the window is as it opens: its inner size and languages.
 * The first screen Go keeps when the window closes is rendered for a window
 * like it (app/firstscreen.go).
 */
export function windowOpened(width: number, height: number, languages: readonly string[]): Promise<void> {
  return call<void>(() => WindowOpened({ width, height, languages: [...languages] }))
}
