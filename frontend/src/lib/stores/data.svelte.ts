// The window's data: every organization, package and connection, loaded in
// one call and filtered in memory, so searching ten thousand connections
// needs no round trip to Go. Lists are kept raw (no deep proxies): they are
// replaced whole, never changed in place.
import {
  loadOverview,
  toApiError,
  type ApiError,
  type ConnectionRow,
  type Organization,
  type Overview,
  type Software,
} from '../api'

/** Connections in the first answer: more than a tall window shows. */
const firstScreenful = 60

/** A connection as the lists show it: its package and organizations looked up. */
export interface Row extends ConnectionRow {
  software: Software
  /** organizations granted, in the order Go gave them */
  organizations: Organization[]
  /** lower-case text that search matches: package, App Key, organizations, party IDs */
  haystack: string
}

const unknownSoftware: Software = {
  id: 0,
  slug: '',
  name: '?',
  direction: '',
  receivesSales: false,
  quickConnect: false,
  kind: 'keys',
  builtIn: false,
}

class DataStore {
  organizations = $state.raw<Organization[]>([])
  software = $state.raw<Software[]>([])
  rows = $state.raw<Row[]>([])
  loaded = $state(false)
  /** all connections have arrived (not only the first screenful) */
  complete = $state(false)
  failure = $state.raw<ApiError | null>(null)

  organizationById = $derived(new Map(this.organizations.map((o) => [o.id, o])))

  #inFlight: Promise<void> | null = null
  #again = false

  /**
   * Loads everything again. Calls made while a load runs are folded into
   * one more load after it, so a burst of events costs two loads at most.
   */
  refresh(): Promise<void> {
    if (this.#inFlight) {
      this.#again = true
      return this.#inFlight
    }
    this.#inFlight = this.#load().finally(() => {
      this.#inFlight = null
      if (this.#again) {
        this.#again = false
        void this.refresh()
      }
    })
    return this.#inFlight
  }

  /**
   * The first load: a screenful of connections and, at the same time, all
   * of them, so the overview shows before ten thousand rows have crossed
   * from Go. Searching works on what has arrived and updates with the rest.
   */
  boot(): Promise<void> {
    const full = this.refresh()
    const first = loadOverview(firstScreenful).then(
      (o) => {
        if (!this.complete && !this.failure) this.#apply(o)
      },
      () => {}, // the full load reports any failure
    )
    return Promise.race([first, full])
  }

  async #load(): Promise<void> {
    try {
      this.#apply(await loadOverview())
      this.complete = true
    } catch (reason) {
      this.failure = toApiError(reason)
      this.loaded = true
    }
  }

  #apply(o: Overview) {
    const orgs = new Map(o.organizations.map((org) => [org.id, org]))
    const sw = new Map(o.software.map((s) => [s.id, s]))
    this.rows = o.connections.map((c) => toRow(c, sw, orgs))
    this.organizations = o.organizations
    this.software = o.software
    this.failure = null
    this.loaded = true
  }

  organization(id: number | null | undefined): Organization | undefined {
    return id ? this.organizationById.get(id) : undefined
  }
}

function toRow(c: ConnectionRow, software: Map<number, Software>, orgs: Map<number, Organization>): Row {
  const s = software.get(c.softwareId) ?? unknownSoftware
  const organizations: Organization[] = []
  let haystack = `${s.name} ${c.appKey}`
  for (const id of c.organizationIds) {
    const o = orgs.get(id)
    if (!o) continue
    organizations.push(o)
    haystack += ` ${o.name} ${o.partyId}`
  }
  return { ...c, software: s, organizations, haystack: haystack.toLowerCase() }
}

export const data = new DataStore()

export interface RowFilter {
  organizationId?: number | null
  status?: '' | 'active' | 'revoked'
  softwareId?: number
  search?: string
}

/** The rows that pass f, in their order (newest first). */
export function filterRows(rows: readonly Row[], f: RowFilter): Row[] {
  const words = (f.search ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  const org = f.organizationId ?? 0
  const status = f.status ?? ''
  const sw = f.softwareId ?? 0
  if (!org && !status && !sw && words.length === 0) return rows as Row[]
  const out: Row[] = []
  for (const r of rows) {
    if (org && !r.organizationIds.includes(org)) continue
    if (status && r.status !== status) continue
    if (sw && r.softwareId !== sw) continue
    if (words.length && !words.every((w) => r.haystack.includes(w))) continue
    out.push(r)
  }
  return out
}
