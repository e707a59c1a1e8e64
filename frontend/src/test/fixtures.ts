// Shapes the component tests share: what Go would send.
import type { IssuedKeys, Organization, Software } from '../lib/api'
import type { Row } from '../lib/stores/data.svelte'

export const yuki: Software = {
  id: 4,
  slug: 'yuki',
  name: 'Yuki',
  direction: 'receive',
  receivesSales: true,
  quickConnect: true,
  kind: 'keys',
  builtIn: true,
}

export const jansen: Organization = {
  id: 7,
  name: 'Bakkerij Jansen BV',
  partyId: 'NL:KVK:12345678',
  createdAt: '2025-03-01T09:00:00Z',
}

export const secret = 'sk_' + 'A1b2C3d4E5'.repeat(4) + 'Zz9Yy8'

export function issuedKeys(): IssuedKeys {
  return {
    connection: {
      id: 3,
      appKey: 'ak_0123456789abcdefghij',
      software: yuki,
      organizationIds: [7],
      status: 'active',
      createdAt: '2025-03-01T09:00:00Z',
      revokedKeyAttempts: 0,
    },
    secret,
    quickConnectText: `Koppel Quick Connect\nApp Key: ak_0123456789abcdefghij\nSecret: ${secret}\nOrganization: Bakkerij Jansen BV (NL:KVK:12345678)\n`,
    organizations: [jansen],
  }
}

export function row(over: Partial<Row> = {}): Row {
  return {
    id: 1,
    appKey: 'ak_AAAAAAAAAAAAAAAAAAAA',
    softwareId: yuki.id,
    organizationIds: [jansen.id],
    status: 'active',
    createdAt: Date.parse('2025-03-01T09:00:00Z'),
    software: yuki,
    organizations: [jansen],
    ...over,
  }
}
