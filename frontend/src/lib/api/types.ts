// What the window works with. The shapes are Go's DTOs (app/dto.go); the
// functions in this folder return the generated classes typed as these, so
// TypeScript notices when the two drift apart.

export type ConnectionStatus = 'active' | 'revoked'
export type Language = 'en' | 'nl'
/** Reasons a user may give for revoking (koppel.RevokeReasons). */
export const revokeReasons = ['lost', 'compromised', 'routine', 'switch', 'other'] as const
export type RevokeReason = (typeof revokeReasons)[number]
/** Reasons a user may give for replacing keys (koppel.ReplaceReasons). */
export const replaceReasons = ['lost', 'compromised', 'routine', 'other'] as const
export type ReplaceReason = (typeof replaceReasons)[number]

export interface Organization {
  id: number
  name: string
  partyId: string
  kvk?: string
  vat?: string
  email?: string
  createdAt: string
  endedAt?: string
}

export interface OrganizationInput {
  name: string
  partyId: string
  kvk: string
  vat: string
  email: string
}

export interface Software {
  id: number
  slug: string
  name: string
  direction: string
  receivesSales: boolean
  quickConnect: boolean
  kind: string
  builtIn: boolean
}

export interface Connection {
  id: number
  appKey: string
  software: Software
  organizationIds: number[]
  status: ConnectionStatus
  createdAt: string
  revokedAt?: string
  revokedReason?: string
  replacedById?: number
  lastUsedAt?: string
  revokedKeyAttempts: number
  lastRevokedKeyAttemptAt?: string
}

/**
 * A connection in the overview, kept small (there may be ten thousand): its
 * package is named by id, times are Unix milliseconds, empty values absent.
 */
export interface ConnectionRow {
  id: number
  appKey: string
  softwareId: number
  organizationIds: number[]
  status: ConnectionStatus
  createdAt: number
  revokedAt?: number
  revokedReason?: string
  replacedById?: number
  lastUsedAt?: number
  revokedKeyAttempts?: number
  lastRevokedKeyAttemptAt?: number
}

/**
 * Which connections a list shows: those of one organization (none: all)
 * with the status and package (none: any) whose package, App Key,
 * organization names or party IDs contain every word of search; of those,
 * limit rows from offset, newest first.
 */
export interface ConnectionWindowQuery {
  organizationId?: number | null
  status?: '' | ConnectionStatus
  softwareId?: number
  search?: string
  offset?: number
  limit?: number
}

/** The part of a list of connections that a ConnectionWindowQuery asked for. */
export interface ConnectionWindow {
  /** connections in scope: the organization's, or all */
  total: number
  /** of those, the ones that pass the filters and the search */
  matched: number
  /** the index of rows[0] among the matched */
  offset: number
  rows: ConnectionRow[]
  /** the packages of the connections in scope */
  softwareIds: number[]
}

/** What the window opens with: every organization, the catalog and a first window of connections. */
export interface Overview {
  organizations: Organization[]
  software: Software[]
  connections: ConnectionWindow
}

/**
 * New keys, the one time the Secret is shown (R2). Whoever shows them calls
 * forgetKeys when done, so the Secret is gone from every reference to this
 * object.
 */
export interface IssuedKeys {
  connection: Connection
  secret: string
  quickConnectText: string
  organizations: Organization[]
  replacesId?: number
}

export interface PartnershipImpact {
  organizationId: number
  ended: boolean
  revoke: number
  withdraw: number
}

export interface PartnershipEnded {
  organization: Organization
  revoked: number[]
  withdrawn: number[]
}

export interface AuditEvent {
  id: number
  at: string
  actor: string
  action: string
  subjectType: string
  subjectId: number
  organizationIds: number[]
  /** In English. */
  detail: string
  /** The detail for the catalogs (say.*); none in events from before Koppel had them. */
  phrases?: Phrase[] | null
}

/** A piece of text from Go for the catalogs: say.KEY with its values (Go's koppel.Phrase). */
export interface Phrase {
  key: string
  params?: Readonly<Record<string, string>>
}

export interface AuditVerification {
  ok: boolean
  events: number
  brokenAt?: number
  /** In English. */
  problem?: string
  problemPhrase?: Phrase
}

export interface Settings {
  accountEmail: string
  /** '' follows the system. */
  language: string
  clipboardClearSeconds: number
  apiAddr: string
  keychain: { backend: string; unlocked: boolean }
  dataFolder: string
}

export type SettingKey = 'account-email' | 'language' | 'api-addr' | 'clipboard-clear-seconds'

export interface BackendStatus {
  ready: boolean
  error?: { code: string; message: string; key?: string; params?: Record<string, string> }
  language?: string
  /** counts the events saying connections or organizations changed */
  changes?: number
}

export interface OrganizationQuery {
  search?: string
  includeEnded?: boolean
  limit?: number
}

export interface ConnectionQuery {
  organizationId?: number
  status?: ConnectionStatus
  limit?: number
}

export interface CreateConnectionInput {
  organizationId: number
  softwareId: number
  grantIds: number[]
  language: Language
}

// Documents (app/documents.go).

export type DocumentDirection = 'purchase' | 'sales'
/** Document statuses in lifecycle order (koppel.DocumentStatuses). */
export const documentStatuses = ['Pending', 'Validated', 'Routed', 'Delivered', 'Rejected', 'Failed', 'Duplicate'] as const
export type DocumentStatus = (typeof documentStatuses)[number]

export interface DocumentQuery {
  organizationId: number
  direction: DocumentDirection
  status?: DocumentStatus | ''
  connectionId?: number
  search?: string
  limit?: number
  after?: number
}

export interface InvoiceDocument {
  id: number
  organizationId: number
  direction: string
  type: string
  number: string
  issueDate: string
  supplierParty?: string
  supplierName?: string
  customerParty?: string
  customerName?: string
  currency?: string
  payableAmount?: string
  status: string
  fileName?: string
  size: number
  receivedAt: string
  markedOriginal?: boolean
}

export interface DocumentPage {
  documents: InvoiceDocument[]
  /** the cursor of the next page; 0 on the last */
  next: number
}

export interface StatusEvent {
  at: string
  status: string
  /** In English. */
  note?: string
  /** The note for the catalogs (say.*); none in events from before Koppel had them. */
  notePhrases?: Phrase[]
}

export interface Offer {
  id: number
  documentId: number
  connectionId: number
  state?: string
  copy?: boolean
  offeredAt?: string
  retrievedAt?: string
  withdrawnAt?: string
  /** In English. */
  note?: string
  /** The note for the catalogs (say.*); none in offers from before Koppel had them. */
  notePhrases?: Phrase[]
  reofferedFrom?: number
  /** The connection's App Key and package, when it still exists (Documents.Get). */
  appKey?: string
  softwareName?: string
}

export interface DocumentDetail {
  document: InvoiceDocument
  history: StatusEvent[]
  offers: Offer[]
}

export interface ReofferCandidate {
  offer: Offer
  document: InvoiceDocument
}

export interface GoError {
  code: string
  message: string
  key?: string
  params?: Record<string, string>
}

export interface ReofferResult {
  documentId: number
  offeredTo: number[]
  alreadyOffered: number[]
  withdrawn: number[]
  error?: GoError
}

export interface ImportResult {
  path: string
  name: string
  document?: InvoiceDocument
  error?: GoError
}

export interface ImportProgress {
  done: number
  total: number
}

// Quick Connect, administrations and links (app/quickconnect.go,
// app/dto_quickconnect.go).

/** A bookkeeping administration inside a software package. */
export interface Administration {
  id: number
  softwareId: number
  softwareName: string
  organizationId?: number
  organizationName?: string
  name: string
  code?: string
  email?: string
  /** the connection whose active link serves it; absent or 0 for none */
  linkedConnectionId?: number
  createdAt: string
}

/** What adding or editing an administration takes; organizationId 0 ties it to none. */
export interface AdministrationInput {
  softwareId: number
  organizationId: number
  name: string
  code: string
  email: string
}

export interface AdministrationQuery {
  softwareId?: number
  organizationId?: number
  search?: string
}

/** What the Quick Connect view shows when opened from a connection. */
export interface QuickConnectContext {
  connection: Connection
  organizations: Organization[]
  administrations: Administration[]
  links: Link[]
}

/**
 * What a paste was found to hold. Never the Secret: secretMasked shows its
 * last four characters, and token names the paste for Apply.
 */
export interface Recognised {
  token: string
  appKey: string
  secretMasked: string
  email?: string
  connection: Connection
  organizations: Organization[]
  administrations: Administration[]
}

/** A connection bound to an administration; its credential never leaves Go. */
export interface Link {
  id: number
  connectionId: number
  appKey: string
  softwareName: string
  administrationId: number
  administrationName: string
  email: string
  startDate?: string
  processSales: boolean
  status: string
  createdAt: string
  revokedAt?: string
  lastTestAt?: string
  lastTestResult?: string
}

export interface LinkQuery {
  connectionId?: number
  organizationId?: number
}

/** The Quick Connect form. */
export interface ApplyInput {
  token: string
  /** an existing administration, or 0 with newAdministration */
  administrationId: number
  /** added in the connection's package only when Apply succeeds */
  newAdministration?: AdministrationInput
  email: string
  /** YYYY-MM-DD or '' */
  startDate: string
  processSales: boolean
  confirmed: boolean
  /** the other connection the user agreed to revoke (R8), or 0 */
  revokeConflicting: number
}

export interface Applied {
  link: Link
  revokedConnectionId?: number
  withdrawn: number
}

export interface TestParty {
  partyId: string
  name: string
  canSend: boolean
  canReceive: boolean
}

export interface LinkTest {
  ok: boolean
  parties: TestParty[]
  /** why the test failed; translate with errorText */
  problem?: GoError
  link: Link
}

export interface CSVRow {
  line: number
  name: string
  code?: string
  email?: string
  organization?: string
  problem?: GoError
  exists?: boolean
}

export interface CSVPreview {
  softwareId: number
  rows: CSVRow[]
  valid: number
}

export interface CSVImport {
  preview: CSVPreview
  added: Administration[]
}
