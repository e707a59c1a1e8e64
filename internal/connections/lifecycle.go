package connections

import (
	"context"
	"slices"
	"strings"

	"koppel/internal/koppel"
)

// Revoke makes an active connection inactive at once (R4). The database
// decides; the revocation list and OnRevoke follow the commit.
func (s *Service) Revoke(ctx context.Context, ref, reason string) (*koppel.Connection, error) {
	if err := checkRevokeReason(reason); err != nil {
		return nil, err
	}
	var c *koppel.Connection
	err := s.Store.Update(ctx, func(tx koppel.Tx) (err error) {
		c, err = koppel.FindConnection(tx, ref)
		if err != nil {
			return err
		}
		return s.revoke(tx, c, reason, 0)
	})
	if err != nil {
		return nil, err
	}
	s.afterRevoke(c)
	return c, nil
}

// checkRevokeReason refuses a reason that is not one of RevokeReasons.
func checkRevokeReason(reason string) error {
	if !slices.Contains(koppel.RevokeReasons, reason) {
		return koppel.Errorf(koppel.EInvalid, "The reason must be one of: %s.", strings.Join(koppel.RevokeReasons, ", ")).
			WithKey("connection.reason", "reasons", strings.Join(koppel.RevokeReasons, ", "))
	}
	return nil
}

// revoke marks c revoked inside tx and writes the audit event.
func (s *Service) revoke(tx koppel.Tx, c *koppel.Connection, reason string, replacedBy int64) error {
	if !c.Active() {
		return koppel.Errorf(koppel.EConflict, "Connection %d (%s) is already revoked.", c.ID, c.AppKey).
			WithKey("connection.already_revoked", "id", itoa(c.ID), "appKey", c.AppKey)
	}
	now := s.Now()
	if err := tx.RevokeConnection(c.ID, now, reason, replacedBy); err != nil {
		return err
	}
	c.Status, c.RevokedAt, c.RevokedReason, c.ReplacedByID = koppel.StatusRevoked, &now, reason, replacedBy
	return tx.AppendAudit(s.event("connection.revoke", c, koppel.Say("connection.reason", "reason", reason)))
}

// RevokeIn revokes c inside tx, for a service that revokes as part of a
// larger change (Quick Connect's "revoke the other connection and
// continue"). The caller must call AfterRevoke with c once tx has committed.
func (s *Service) RevokeIn(tx koppel.Tx, c *koppel.Connection, reason string) error {
	if err := checkRevokeReason(reason); err != nil {
		return err
	}
	return s.revoke(tx, c, reason, 0)
}

// AfterRevoke is afterRevoke for callers of RevokeIn.
func (s *Service) AfterRevoke(cs ...*koppel.Connection) { s.afterRevoke(cs...) }

// afterRevoke records the revoked keys outside the database and tells
// listeners. A failure to write the list is mended by the next Reconcile.
func (s *Service) afterRevoke(cs ...*koppel.Connection) {
	if len(cs) == 0 {
		return
	}
	keys, ids := make([]string, len(cs)), make([]int64, len(cs))
	for i, c := range cs {
		keys[i], ids[i] = c.AppKey, c.ID
	}
	if s.Revocations != nil {
		_ = s.Revocations.Add(keys...)
	}
	if s.OnRevoke != nil {
		s.OnRevoke(ids...)
	}
}

// Delete removes a revoked connection (R5). Its audit history stays.
func (s *Service) Delete(ctx context.Context, ref string) (*koppel.Connection, error) {
	var c *koppel.Connection
	err := s.Store.Update(ctx, func(tx koppel.Tx) (err error) {
		c, err = koppel.FindConnection(tx, ref)
		if err != nil {
			return err
		}
		if c.Active() {
			return koppel.Errorf(koppel.EConflict, "Connection %d (%s) is still active. Revoke it first, then delete it.", c.ID, c.AppKey).
				WithKey("connection.still_active", "id", itoa(c.ID), "appKey", c.AppKey)
		}
		if err := tx.DeleteConnection(c.ID); err != nil {
			return err
		}
		return tx.AppendAudit(s.event("connection.delete", c, koppel.Say("name", "name", c.Software.Name)))
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Replace issues new keys with the same package and organizations and, if
// the old connection is still active, revokes it, in one transaction (R3).
// A revoked connection can be replaced too: that is reconnecting (R6).
func (s *Service) Replace(ctx context.Context, ref, reason string) (*Issued, *koppel.Connection, error) {
	if !slices.Contains(koppel.ReplaceReasons, reason) {
		return nil, nil, koppel.Errorf(koppel.EInvalid, "The reason must be one of: %s.", strings.Join(koppel.ReplaceReasons, ", ")).
			WithKey("connection.reason", "reasons", strings.Join(koppel.ReplaceReasons, ", "))
	}
	issued, err := s.newKeys()
	if err != nil {
		return nil, nil, err
	}
	var old *koppel.Connection
	var wasActive bool
	err = s.Store.Update(ctx, func(tx koppel.Tx) (err error) {
		old, err = koppel.FindConnection(tx, ref)
		if err != nil {
			return err
		}
		orgs, err := grantedStill(tx, old)
		if err != nil {
			return err
		}
		replaces := koppel.Say("connection.replaces", "id", itoa(old.ID), "appKey", old.AppKey, "reason", reason)
		if err := s.insert(tx, issued, &old.Software, orgs, "connection.replace", replaces); err != nil {
			return err
		}
		if wasActive = old.Active(); wasActive {
			return s.revoke(tx, old, reason, issued.Connection.ID)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if wasActive {
		s.afterRevoke(old)
	}
	return issued, old, nil
}

// grantedStill returns old's organizations whose partnership has not ended.
func grantedStill(tx koppel.Tx, old *koppel.Connection) ([]*koppel.Organization, error) {
	var orgs []*koppel.Organization
	for _, id := range old.OrganizationIDs {
		o, err := tx.Organization(id)
		if err != nil {
			return nil, err
		}
		if o.EndedAt == nil {
			orgs = append(orgs, o)
		}
	}
	if len(orgs) == 0 {
		return nil, koppel.Errorf(koppel.EConflict, "The partnership with every organization of connection %d has ended; there is no one to issue new keys for.", old.ID).
			WithKey("connection.no_organizations", "id", itoa(old.ID), "appKey", old.AppKey)
	}
	return orgs, nil
}

// PartnershipEnded reports what EndPartnership did.
type PartnershipEnded struct {
	Organization *koppel.Organization
	Revoked      []*koppel.Connection // connections that served only this organization
	Withdrawn    []*koppel.Connection // shared connections the organization was taken off
}

// EndPartnership ends the partnership with an organization (R15): every
// connection that serves it alone is revoked with reason "partnership
// ended"; a key shared with other organizations stops serving this one and
// keeps working for the others.
func (s *Service) EndPartnership(ctx context.Context, ref string) (*PartnershipEnded, error) {
	res := &PartnershipEnded{}
	err := s.Store.Update(ctx, func(tx koppel.Tx) error {
		o, err := koppel.FindOrganization(tx, ref)
		if err != nil {
			return err
		}
		if o.EndedAt != nil {
			return koppel.Errorf(koppel.EConflict, "The partnership with %s has already ended.", o.Name).
				WithKey("organization.already_ended", "name", o.Name)
		}
		now := s.Now()
		o.EndedAt = &now
		res.Organization = o
		if err := tx.UpdateOrganization(o); err != nil {
			return err
		}
		ended := &koppel.AuditEvent{At: now, Actor: s.Actor, Action: "organization.end-partnership",
			SubjectType: "organization", SubjectID: o.ID, OrganizationIDs: []int64{o.ID}}
		if err := tx.AppendAudit(ended.SetDetail(koppel.Say("name", "name", o.Name))); err != nil {
			return err
		}
		return s.endConnections(tx, o, res)
	})
	if err != nil {
		return nil, err
	}
	s.afterRevoke(res.Revoked...)
	return res, nil
}

// PartnershipImpact tells what EndPartnership would do to the organization
// named by ref, without changing anything: Revoked are the connections it
// would revoke, Withdrawn the shared ones it would take the organization off.
func (s *Service) PartnershipImpact(ctx context.Context, ref string) (*PartnershipEnded, error) {
	res := &PartnershipEnded{}
	err := s.Store.View(ctx, func(tx koppel.Tx) (err error) {
		if res.Organization, err = koppel.FindOrganization(tx, ref); err != nil {
			return err
		}
		if res.Organization.EndedAt != nil {
			return nil // nothing left to end
		}
		res.Revoked, res.Withdrawn, err = affectedByEnd(tx, res.Organization)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// affectedByEnd splits the active connections of o: those that serve o alone
// (to revoke) and those shared with other organizations (to withdraw from).
func affectedByEnd(tx koppel.Tx, o *koppel.Organization) (alone, shared []*koppel.Connection, err error) {
	conns, err := tx.Connections(koppel.ConnectionFilter{OrganizationID: o.ID, Status: koppel.StatusActive})
	if err != nil {
		return nil, nil, err
	}
	for _, c := range conns {
		if len(c.OrganizationIDs) == 1 {
			alone = append(alone, c)
		} else {
			shared = append(shared, c)
		}
	}
	return alone, shared, nil
}

func (s *Service) endConnections(tx koppel.Tx, o *koppel.Organization, res *PartnershipEnded) error {
	alone, shared, err := affectedByEnd(tx, o)
	if err != nil {
		return err
	}
	for _, c := range alone {
		if err := s.revoke(tx, c, koppel.ReasonPartnership, 0); err != nil {
			return err
		}
		res.Revoked = append(res.Revoked, c)
	}
	for _, c := range shared {
		if err := tx.RemoveGrant(c.ID, o.ID, s.Now()); err != nil {
			return err
		}
		if err := tx.AppendAudit(s.event("connection.withdraw", c, koppel.Say("connection.takenOff", "organization", o.Name))); err != nil {
			return err
		}
		res.Withdrawn = append(res.Withdrawn, c)
	}
	return nil
}

// Authenticate checks an App Key and Secret. It returns the active
// connection, or an EForbidden error that says nothing about which part was
// wrong. Attempts with a revoked connection's keys are counted (R14).
func (s *Service) Authenticate(ctx context.Context, appKey string, secret koppel.Secret) (*koppel.Connection, error) {
	refused := koppel.Errorf(koppel.EForbidden, "The App Key and Secret are not valid.")
	if len(appKey) > 64 || len(secret.Reveal()) > 128 {
		return nil, refused
	}
	var c *koppel.Connection
	var verifier []byte
	err := s.Store.View(ctx, func(tx koppel.Tx) (err error) {
		if c, err = tx.ConnectionByAppKey(appKey); err != nil {
			return err
		}
		verifier, err = tx.Verifier(c.ID)
		return err
	})
	if koppel.ErrorCode(err) == koppel.ENotFound {
		return nil, refused
	}
	if err != nil {
		return nil, err
	}
	if !s.Vault.Verify(secret, verifier) {
		return nil, refused
	}
	if !c.Active() || (s.Revocations != nil && s.Revocations.Has(c.AppKey)) {
		s.countRevokedAttempt(ctx, c)
		return nil, koppel.Errorf(koppel.EForbidden, "These keys were revoked; create new connection keys.")
	}
	return c, nil
}

func (s *Service) countRevokedAttempt(ctx context.Context, c *koppel.Connection) {
	_ = s.Store.Update(ctx, func(tx koppel.Tx) error { return tx.CountRevokedKeyAttempt(c.ID, s.Now()) })
}

// Touch records that an active connection was just used.
func (s *Service) Touch(ctx context.Context, id int64) error {
	return s.Store.Update(ctx, func(tx koppel.Tx) error { return tx.TouchConnection(id, s.Now()) })
}
