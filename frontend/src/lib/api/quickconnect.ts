import {
  Add,
  ImportCSV,
  List as ListAdministrations,
  PreviewCSV,
  Update,
} from '../../../wailsjs/go/app/Administrations'
import {
  Apply,
  Context,
  Forget,
  Links,
  PasteFromClipboard,
  Recognise,
  RemoveLink,
  TestLink,
} from '../../../wailsjs/go/app/QuickConnect'
import type { app } from '../../../wailsjs/go/models'
import { call } from './errors'
import type {
  Administration,
  AdministrationInput,
  AdministrationQuery,
  Applied,
  ApplyInput,
  Connection,
  ConnectionStatus,
  CSVImport,
  CSVPreview,
  Link,
  LinkQuery,
  LinkTest,
  QuickConnectContext,
  Recognised,
} from './types'

/** The connection, its organizations, administrations and links, for the Quick Connect view. */
export async function quickConnectContext(connectionId: number): Promise<QuickConnectContext> {
  const c = await call(() => Context(connectionId))
  return { ...c, connection: narrow(c.connection) }
}

/**
 * Reads the keys in pasted text and checks them against an active
 * connection. The answer holds a token for Apply and a masked Secret; the
 * caller drops the text right after.
 */
export async function recogniseKeys(text: string): Promise<Recognised> {
  return recognised(await call(() => Recognise(text)))
}

/** The Paste button: Go reads the system clipboard itself. */
export async function pasteFromClipboard(): Promise<Recognised> {
  return recognised(await call(() => PasteFromClipboard()))
}

/** Drops a recognised paste (the view closes without Apply). Never fails. */
export async function forgetPaste(token: string): Promise<void> {
  if (!token) return
  try {
    await Forget(token)
  } catch {
    // Go forgets it after 15 minutes anyway.
  }
}

/** Creates the link. A conflict (R8) rejects with key quickconnect.conflict. */
export function applyQuickConnect(input: ApplyInput): Promise<Applied> {
  return call<Applied>(() =>
    // A plain object: Go reads its JSON. (The generated classes' code
    // would otherwise all be in the first script.)
    Apply({
      token: input.token,
      administrationId: input.administrationId,
      newAdministration: input.newAdministration,
      email: input.email,
      startDate: input.startDate,
      processSales: input.processSales,
      confirmed: input.confirmed,
      revokeConflicting: input.revokeConflicting,
    } as app.ApplyInput),
  )
}

export async function listLinks(query: LinkQuery = {}): Promise<Link[]> {
  return (await call(() => Links({ connectionId: query.connectionId ?? 0, organizationId: query.organizationId ?? 0 }))) ?? []
}

/** Requests a token with the link's stored credential, as the software would. */
export function testLink(id: number): Promise<LinkTest> {
  return call<LinkTest>(() => TestLink(id))
}

export function removeLink(id: number): Promise<Link> {
  return call<Link>(() => RemoveLink(id))
}

export async function listAdministrations(query: AdministrationQuery = {}): Promise<Administration[]> {
  return (
    (await call(() =>
      ListAdministrations({
        softwareId: query.softwareId ?? 0,
        organizationId: query.organizationId ?? 0,
        search: query.search ?? '',
      }),
    )) ?? []
  )
}

export function addAdministration(input: AdministrationInput): Promise<Administration> {
  return call<Administration>(() => Add(input))
}

export function updateAdministration(id: number, input: AdministrationInput): Promise<Administration> {
  return call<Administration>(() => Update(id, input))
}

/** What importing the CSV text into the package would do; changes nothing. */
export function previewAdministrationsCSV(softwareId: number, text: string): Promise<CSVPreview> {
  return call<CSVPreview>(() => PreviewCSV(softwareId, text))
}

/** Adds the valid rows of the CSV text to the package. */
export function importAdministrationsCSV(softwareId: number, text: string): Promise<CSVImport> {
  return call<CSVImport>(() => ImportCSV(softwareId, text))
}

function recognised(r: Omit<Recognised, 'connection'> & { connection: Omit<Connection, 'status'> & { status: string } }): Recognised {
  return { ...r, connection: narrow(r.connection) }
}

function narrow(c: Omit<Connection, 'status'> & { status: string }): Connection {
  const status: ConnectionStatus = c.status === 'active' ? 'active' : 'revoked'
  return { ...c, status }
}
