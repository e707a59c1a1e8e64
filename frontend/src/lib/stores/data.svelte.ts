// The window's data: every organization and package, and the first window
// of the connections overview, loaded in one call. Connections stay in Go,
// which filters, searches and counts them (lib/stores/connections.svelte.ts
// asks it for the rows a list shows), so the window never holds ten
// thousand of them. Lists are kept raw (no deep proxies): they are replaced
// whole, never changed in place.
import {
  loadOverview,
  toApiError,
  type ApiError,
  type ConnectionRow,
  type ConnectionWindow,
  type Organization,
  type Overview,
  type Software,
} from '../api'

/** Rows in the overview's first window: more than a tall window shows. */
export const firstWindow = 40

/** A connection as the lists show it: its package and organizations looked up. */
export interface Row extends ConnectionRow {
  software: Software
  /** organizations granted, in the order Go gave them */
  organizations: Organization[]
}

/**
 * The organizations a boot of a long list left out (lib/boot.ts): how many
 * there are in all, and those the first rows name besides the list's start.
 */
export interface LeftOut {
  count: number
  named: Organization[]
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
  /**
   * Until the whole list is loaded after a boot that held only its start
   * (lib/boot.ts): how many organizations there are, and the others the
   * first rows name. Null once the list is whole.
   */
  partial = $state.raw<LeftOut | null>(null)
  /** how many organizations there are, loaded or not */
  organizationCount = $derived(this.partial?.count ?? this.organizations.length)
  software = $state.raw<Software[]>([])
  loaded = $state(false)
  failure = $state.raw<ApiError | null>(null)
  /** counts the loads: lists of connections ask Go again when it moves */
  version = $state(0)
  /**
   * The overview's first window (all connections, no filter) as the last
   * load brought it, for version: the overview shows it without asking.
   */
  first = $state.raw<ConnectionWindow | null>(null)

  organizationById = $derived(new Map([...(this.partial?.named ?? []), ...this.organizations].map((o) => [o.id, o])))
  softwareById = $derived(new Map(this.software.map((s) => [s.id, s])))

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

  /** The first load. */
  boot(): Promise<void> {
    return this.refresh()
  }

  /**
   * Starts from an overview the page already holds (lib/boot.ts); partial
   * when it holds only the start of the organizations (refresh loads them).
   */
  adopt(o: Overview, partial: LeftOut | null = null) {
    this.#apply(o)
    this.partial = partial
  }

  async #load(): Promise<void> {
    try {
      this.#apply(await loadOverview({ limit: firstWindow }))
    } catch (reason) {
      this.failure = toApiError(reason)
      this.loaded = true
    }
  }

  #apply(o: Overview) {
    this.partial = null
    this.organizations = o.organizations
    this.software = o.software
    this.first = o.connections
    this.failure = null
    this.version++
    this.loaded = true
  }

  organization(id: number | null | undefined): Organization | undefined {
    return id ? this.organizationById.get(id) : undefined
  }

  /** c with its package and organizations looked up. */
  toRow(c: ConnectionRow): Row {
    return toRow(c, this.softwareById, this.organizationById)
  }
}

function toRow(c: ConnectionRow, software: Map<number, Software>, orgs: Map<number, Organization>): Row {
  const s = software.get(c.softwareId) ?? unknownSoftware
  const organizations: Organization[] = []
  for (const id of c.organizationIds) {
    const o = orgs.get(id)
    if (o) organizations.push(o)
  }
  return { ...c, software: s, organizations }
}

export const data = new DataStore()

/** Which connections a list shows; Go applies it (lib/stores/connections.svelte.ts). */
export interface RowFilter {
  organizationId?: number | null
  status?: '' | 'active' | 'revoked'
  softwareId?: number
  search?: string
}
