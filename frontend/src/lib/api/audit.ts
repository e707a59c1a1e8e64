import { List, Verify } from '../../../wailsjs/go/app/Audit'
import { call } from './errors'
import type { AuditEvent, AuditVerification } from './types'

/** Audit events, newest first; organizationId 0 means all. */
export function listAudit(organizationId = 0, limit = 0): Promise<AuditEvent[]> {
  return call<AuditEvent[]>(() => List({ organizationId, limit }))
}

export function verifyAudit(): Promise<AuditVerification> {
  return call<AuditVerification>(() => Verify())
}
