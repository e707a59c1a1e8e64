// One list of connections as a view shows it: Go filters, searches and
// counts them and sends the window of rows in view (and some around it), so
// a list of ten thousand costs the window what a screenful does.
import { loadConnectionWindow, toApiError, type ConnectionWindow } from '../api'
import { data, firstWindow, type Row, type RowFilter } from './data.svelte'

/** Rows asked for beyond those in view, on each side. */
const margin = 30

export class ConnectionList {
  /** connections in scope: the organization's, or all */
  total = $state(0)
  /** of those, the ones that pass the filter */
  matched = $state(0)
  /** the index of rows[0] among the matched */
  offset = $state(0)
  rows = $state.raw<Row[]>([])
  /** the packages of the connections in scope */
  softwareIds = $state.raw<number[]>([])
  /** a first answer for the current scope has arrived */
  loaded = $state(false)

  #filter: RowFilter = {}
  #key = ''
  #version = -1
  #seq = 0
  #pending: { key: string; from: number; to: number } | null = null

  /**
   * Shows the connections that pass filter, from the first one. At the
   * version the data store last loaded, the overview's first window comes
   * with that load and needs no call.
   */
  show(filter: RowFilter, version: number) {
    const key = keyOf(filter)
    if (key === this.#key && version === this.#version) return
    const scopeChanged = (filter.organizationId ?? 0) !== (this.#filter.organizationId ?? 0)
    this.#filter = { ...filter }
    this.#key = key
    this.#version = version
    if (scopeChanged) this.loaded = false
    if (key === keyOf({}) && data.first && data.version === version) {
      this.#seq++
      this.#pending = null
      this.#take(data.first)
      return
    }
    void this.#fetch(0, firstWindow)
  }

  /** Makes sure the rows from start up to end are loaded (the list scrolled). */
  need(start: number, end: number) {
    end = Math.min(end, this.matched)
    if (start >= end) return
    const have = [this.offset, this.offset + this.rows.length]
    if (start >= have[0] && end <= have[1]) return
    const p = this.#pending
    if (p && p.key === this.#key && start >= p.from && end <= p.to) return
    const from = Math.max(0, start - margin)
    void this.#fetch(from, end + margin - from)
  }

  async #fetch(offset: number, limit: number) {
    const seq = ++this.#seq
    const key = this.#key
    this.#pending = { key, from: offset, to: offset + limit }
    try {
      const w = await loadConnectionWindow({ ...this.#filter, offset, limit })
      if (seq !== this.#seq) return // a newer question was asked meanwhile
      this.#take(w)
    } catch (reason) {
      if (seq === this.#seq) data.failure = toApiError(reason)
    } finally {
      if (seq === this.#seq) this.#pending = null
    }
  }

  #take(w: ConnectionWindow) {
    this.total = w.total
    this.matched = w.matched
    this.offset = w.offset
    this.rows = w.rows.map((c) => data.toRow(c))
    this.softwareIds = w.softwareIds
    this.loaded = true
  }
}

/**
 * Every connection of one organization, newest first, for the short lists
 * that offer them to pick from or name them (the Inbox's connection
 * filter, a document's offers). Go answers with that organization's only.
 */
export async function organizationConnections(organizationId: number): Promise<Row[]> {
  const w = await loadConnectionWindow({ organizationId })
  return w.rows.map((c) => data.toRow(c))
}

function keyOf(f: RowFilter): string {
  return JSON.stringify([f.organizationId ?? 0, f.status ?? '', f.softwareId ?? 0, (f.search ?? '').trim().toLowerCase()])
}
