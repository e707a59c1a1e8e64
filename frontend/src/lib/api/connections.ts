import { List } from '../../../wailsjs/go/app/Connections'
import { call } from './errors'
import type { Connection, ConnectionQuery, ConnectionStatus } from './types'

export async function listConnections(query: ConnectionQuery = {}): Promise<Connection[]> {
  const list = await call(() =>
    List({ organizationId: query.organizationId ?? 0, status: query.status ?? '', limit: query.limit ?? 0 }),
  )
  return list.map((c) => ({ ...c, status: toStatus(c.status) }))
}

function toStatus(s: string): ConnectionStatus {
  return s === 'active' ? 'active' : 'revoked'
}
