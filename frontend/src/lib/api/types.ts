// What the window works with. The shapes are Go's DTOs (app/dto.go); the
// functions in this folder return the generated classes typed as these, so
// TypeScript notices when the two drift apart.

export type ConnectionStatus = 'active' | 'revoked'

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

export interface BackendStatus {
  ready: boolean
  error?: { code: string; message: string }
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
