// The clipboard countdown after a Secret was copied (DESIGN §3): Go clears
// the clipboard and tells the window through events; this holds what the
// window shows.
import { clearClipboardNow, copyText, toApiError, type ApiError } from '../api'

class ClipboardStore {
  /** seconds until the clipboard is cleared; null when nothing counts down */
  remaining = $state<number | null>(null)
  /** how the last countdown ended */
  outcome = $state<'cleared' | 'kept' | null>(null)

  /**
   * Copies text. Sensitive text starts the countdown; the promise resolves
   * with the seconds until the clipboard is cleared (0: never) or rejects
   * with an ApiError.
   */
  async copy(text: string, sensitive: boolean): Promise<number> {
    let seconds: number
    try {
      seconds = await copyText(text, sensitive)
    } catch (reason) {
      throw toApiError(reason) as ApiError
    }
    this.outcome = null
    this.remaining = seconds > 0 ? seconds : null
    return seconds
  }

  tick(remaining: number) {
    this.remaining = remaining > 0 ? remaining : null
  }

  done(cleared: boolean) {
    this.remaining = null
    this.outcome = cleared ? 'cleared' : 'kept'
  }

  async clearNow(): Promise<void> {
    const cleared = await clearClipboardNow()
    this.done(cleared)
  }

  /** Handles the data of a Go clipboard event. */
  onCountdown = (data: unknown) => {
    const n = (data as { remaining?: unknown } | null)?.remaining
    if (typeof n === 'number') this.tick(n)
  }

  onDone = (data: unknown) => {
    this.done(Boolean((data as { cleared?: unknown } | null)?.cleared))
  }
}

export const clipboard = new ClipboardStore()
