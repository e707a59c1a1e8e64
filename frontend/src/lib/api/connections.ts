import { Create, Delete, List, Overview as LoadOverview, Replace, Revoke, Window } from '../../../wailsjs/go/app/Connections'
import { call } from './errors'
import type {
  Connection,
  ConnectionQuery,
  ConnectionRow,
  ConnectionStatus,
  ConnectionWindow,
  ConnectionWindowQuery,
  CreateConnectionInput,
  IssuedKeys,
  Language,
  Organization,
  Overview,
  Software,
  ReplaceReason,
  RevokeReason,
} from './types'

export async function listConnections(query: ConnectionQuery = {}): Promise<Connection[]> {
  const list = await call(() =>
    List({ organizationId: query.organizationId ?? 0, status: query.status ?? '', limit: query.limit ?? 0 }),
  )
  return list.map((c) => ({ ...c, status: toStatus(c.status) }))
}

/**
 * Every organization and package, and the window of connections query asks
 * for, in one call: what the window opens with.
 */
export async function loadOverview(query: ConnectionWindowQuery = {}): Promise<Overview> {
  return toOverview(await call(() => LoadOverview(windowQuery(query))))
}

/** An overview as Go sends it (a bound call's answer or the page's boot data). */
export function toOverview(o: {
  organizations: Organization[] | null
  software: Software[] | null
  connections: Parameters<typeof toWindow>[0]
}): Overview {
  return { organizations: o.organizations ?? [], software: o.software ?? [], connections: toWindow(o.connections) }
}

/** The part of a list of connections that query asks for (Go filters, searches and counts). */
export async function loadConnectionWindow(query: ConnectionWindowQuery = {}): Promise<ConnectionWindow> {
  return toWindow(await call(() => Window(windowQuery(query))))
}

function windowQuery(q: ConnectionWindowQuery) {
  return {
    organizationId: q.organizationId ?? 0,
    status: q.status ?? '',
    softwareId: q.softwareId ?? 0,
    search: q.search ?? '',
    offset: q.offset ?? 0,
    limit: q.limit ?? 0,
  }
}

function toWindow(w: { total: number; matched: number; offset: number; rows: unknown; softwareIds: number[] }): ConnectionWindow {
  const rows = (w.rows ?? []) as ConnectionRow[]
  for (const c of rows) c.status = toStatus(c.status)
  return { total: w.total, matched: w.matched, offset: w.offset, rows, softwareIds: w.softwareIds ?? [] }
}

/** Issues new keys. The answer holds the Secret: pass it to the keys dialog only. */
export async function createConnection(input: CreateConnectionInput): Promise<IssuedKeys> {
  return issued(await call(() => Create(input)))
}

export async function revokeConnection(id: number, reason: RevokeReason): Promise<Connection> {
  const c = await call(() => Revoke(id, reason))
  return { ...c, status: toStatus(c.status) }
}

export function deleteConnection(id: number): Promise<void> {
  return call(() => Delete(id))
}

/** New keys for the same package and organizations; the old ones are revoked. */
export async function replaceKeys(connectionId: number, reason: ReplaceReason, language: Language): Promise<IssuedKeys> {
  return issued(await call(() => Replace({ connectionId, reason, language })))
}

/**
 * Empties the Secret and the Quick Connect text out of issued keys, so no
 * reference to the object can reach them any more.
 */
export function forgetKeys(keys: IssuedKeys): void {
  keys.secret = ''
  keys.quickConnectText = ''
}

function issued(k: {
  connection: Omit<Connection, 'status'> & { status: string }
  secret: string
  quickConnectText: string
  organizations: IssuedKeys['organizations']
  replacesId?: number
}): IssuedKeys {
  // Keep the object Go sent (so forgetKeys reaches the only copy); only
  // the status is narrowed.
  const keys = k as unknown as IssuedKeys
  keys.connection.status = toStatus(k.connection.status)
  return keys
}

function toStatus(s: string): ConnectionStatus {
  return s === 'active' ? 'active' : 'revoked'
}
