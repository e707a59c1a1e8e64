// The window's boot data. Go puts the backend's status and the overview's
// first screen into the page it serves (app/boot.go), so the first frame
// shows the overview instead of "Opening Koppel…" and a round trip to Go.
// A page without it (Go still opening, say behind a keychain prompt) asks
// Go instead, as App.svelte does then.
import { toOverview, type BackendStatus, type Organization, type Overview } from './api'
import type { LeftOut } from './stores/data.svelte'

/** The id of the element Go writes the data into. */
export const bootElementId = 'koppel-boot'

export interface Boot {
  status: BackendStatus
  /** the overview's first screen; null when the backend did not open */
  overview: Overview | null
  /**
   * Set when the overview holds only the first organizations of a long
   * list: how many there are, and the others its rows name. The window
   * asks for the whole list after its first frame.
   */
  partial: LeftOut | null
}

/**
 * The page's boot data, read once: the element is removed, so the text
 * (every organization's name) does not stay in the document. Null when the
 * page has none or it is not what Go writes.
 */
export function takeBoot(doc: Document = document): Boot | null {
  const el = doc.getElementById(bootElementId)
  if (!el) return null
  el.remove()
  return parseBoot(el.textContent ?? '')
}

/** Boot data from its JSON text; null when it is not what Go writes. */
export function parseBoot(text: string): Boot | null {
  try {
    const raw = JSON.parse(text)
    if (typeof raw?.status?.ready !== 'boolean') return null
    const o = raw.overview
    const overview = o && Array.isArray(o.organizations) && o.connections ? toOverview(o) : null
    if (raw.status.ready && overview === null) return null
    const count = raw.organizationCount
    const partial =
      overview && typeof count === 'number' && count > overview.organizations.length
        ? { count, named: Array.isArray(raw.named) ? (raw.named as Organization[]) : [] }
        : null
    return { status: raw.status as BackendStatus, overview, partial }
  } catch {
    return null
  }
}
