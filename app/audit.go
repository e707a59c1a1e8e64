package app

import "koppel/internal/audit"

// Audit is bound to the window: the audit trail, per organization or
// overall, and the check of its hash chain (R16).
type Audit struct{ session *Session }

// NewAudit binds to session's backend.
func NewAudit(session *Session) *Audit { return &Audit{session} }

// List returns audit events matching q, newest first.
func (a *Audit) List(q AuditQuery) ([]AuditEventDTO, error) {
	if err := checkOptionalID("organization", q.OrganizationID); err != nil {
		return nil, err
	}
	limit, err := checkLimit(q.Limit, 500, maxAudit)
	if err != nil {
		return nil, err
	}
	b, ctx, err := a.session.current()
	if err != nil {
		return nil, err
	}
	ref := ""
	if q.OrganizationID != 0 {
		ref = idRef(q.OrganizationID)
	}
	list, err := b.Audit.List(ctx, ref, limit)
	return mapAll(list, toAuditEventDTO), err
}

// Verify checks the whole hash chain and reports the first event that does
// not fit it.
func (a *Audit) Verify() (AuditVerifyDTO, error) {
	b, ctx, err := a.session.current()
	if err != nil {
		return AuditVerifyDTO{}, err
	}
	v, err := b.Audit.Verify(ctx)
	if err != nil {
		return AuditVerifyDTO{}, err
	}
	return toAuditVerifyDTO(v), nil
}

func toAuditVerifyDTO(v *audit.Verified) AuditVerifyDTO {
	out := AuditVerifyDTO{OK: v.OK(), Events: v.Events, BrokenAt: v.BrokenAt, Problem: v.Problem}
	if v.Says.Key != "" {
		p := toPhraseDTO(v.Says)
		out.ProblemPhrase = &p
	}
	return out
}
