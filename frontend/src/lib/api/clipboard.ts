import { ClearNow, Copy } from '../../../wailsjs/go/app/Clipboard'
import { call } from './errors'

/**
 * Puts text on the clipboard through Go. Sensitive text (a Secret) is
 * cleared after the configured time; the answer says after how many seconds
 * (0: never).
 */
export async function copyText(text: string, sensitive: boolean): Promise<number> {
  const res = await call(() => Copy(text, sensitive))
  return res.clearAfterSeconds
}

/** Clears the clipboard now if it still holds what Koppel copied. */
export function clearClipboardNow(): Promise<boolean> {
  return call<boolean>(() => ClearNow())
}
