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

export interface Overview {
  organizations: Organization[]
  software: Software[]
  connections: ConnectionRow[]
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
  detail: string
}

export interface AuditVerification {
  ok: boolean
  events: number
  brokenAt?: number
  problem?: string
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
  note?: string
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
  note?: string
  reofferedFrom?: number
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
