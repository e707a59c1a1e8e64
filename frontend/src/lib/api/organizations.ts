import { List, ListSoftware } from '../../../wailsjs/go/app/Organizations'
import { call } from './errors'
import type { Organization, OrganizationQuery, Software } from './types'

export function listOrganizations(query: OrganizationQuery = {}): Promise<Organization[]> {
  return call<Organization[]>(() =>
    List({ search: query.search ?? '', includeEnded: query.includeEnded ?? false, limit: query.limit ?? 0 }),
  )
}

export function listSoftware(): Promise<Software[]> {
  return call<Software[]>(() => ListSoftware())
}
