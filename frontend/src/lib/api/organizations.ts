import {
  Add,
  EndPartnership,
  List,
  ListSoftware,
  PartnershipImpact,
  Update,
} from '../../../wailsjs/go/app/Organizations'
import { call } from './errors'
import type {
  Organization,
  OrganizationInput,
  OrganizationQuery,
  PartnershipEnded,
  PartnershipImpact as Impact,
  Software,
} from './types'

export function listOrganizations(query: OrganizationQuery = {}): Promise<Organization[]> {
  return call<Organization[]>(() =>
    List({ search: query.search ?? '', includeEnded: query.includeEnded ?? false, limit: query.limit ?? 0 }),
  )
}

export function listSoftware(): Promise<Software[]> {
  return call<Software[]>(() => ListSoftware())
}

export function addOrganization(input: OrganizationInput): Promise<Organization> {
  return call<Organization>(() => Add(input))
}

export function updateOrganization(id: number, input: OrganizationInput): Promise<Organization> {
  return call<Organization>(() => Update(id, input))
}

/** What ending the partnership would revoke and withdraw; changes nothing. */
export function partnershipImpact(id: number): Promise<Impact> {
  return call<Impact>(() => PartnershipImpact(id))
}

export function endPartnership(id: number): Promise<PartnershipEnded> {
  return call<PartnershipEnded>(() => EndPartnership(id))
}
