// Package connections issues, revokes, replaces and deletes connection keys
// (R1–R6, R9, R15) and reconciles what a crash left behind.
package connections

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"koppel/internal/koppel"
)

// KeyMaker makes new App Keys and Secrets (keys.Generator in production).
type KeyMaker interface {
	AppKey() (string, error)
	Secret() (koppel.Secret, error)
}

// Revocations remembers revoked App Keys outside the database (R6).
type Revocations interface {
	Add(appKeys ...string) error
	Has(appKey string) bool
}

// Service is the connection-key service.
type Service struct {
	Store       koppel.Store
	Vault       koppel.Vault
	Keys        KeyMaker
	Revocations Revocations
	Now         koppel.Clock
	Actor       string
	// OnRevoke, if set, is called after a revocation has committed, with the
	// revoked connections' ids (the API drops its cache for them).
	OnRevoke func(ids ...int64)
}

// CreateRequest names the organization, the package and any further
// organizations of the same package that share the key (R9).
type CreateRequest struct {
	Organization string   // id or party ID
	Software     string   // id, slug or name
	Grants       []string // more organizations, id or party ID
}

// Issued is a new connection with its Secret: the one time it is shown (R2).
type Issued struct {
	Connection *koppel.Connection
	Secret     koppel.Secret
	// Organizations are the organizations granted, in OrganizationIDs order.
	Organizations []*koppel.Organization
}

// maxGrants bounds how many organizations one key may serve.
const maxGrants = 500

// Create issues a new App Key and Secret (R1). The Secret is returned only
// after the connection and its verifier are committed.
func (s *Service) Create(ctx context.Context, req CreateRequest) (*Issued, error) {
	if len(req.Grants) > maxGrants {
		return nil, koppel.Errorf(koppel.EInvalid, "One key can be granted to at most %d organizations.", maxGrants).
			WithKey("connection.too_many_grants", "max", itoa(maxGrants))
	}
	issued, err := s.newKeys()
	if err != nil {
		return nil, err
	}
	err = s.Store.Update(ctx, func(tx koppel.Tx) error {
		sw, err := koppel.FindSoftware(tx, req.Software)
		if err != nil {
			return err
		}
		orgs, err := findGrantable(tx, append([]string{req.Organization}, req.Grants...))
		if err != nil {
			return err
		}
		return s.insert(tx, issued, sw, orgs, "connection.create")
	})
	if err != nil {
		return nil, err
	}
	return issued, nil
}

// newKeys makes a fresh App Key and Secret.
func (s *Service) newKeys() (*Issued, error) {
	appKey, err := s.Keys.AppKey()
	if err != nil {
		return nil, koppel.Internal("generate an App Key", err)
	}
	secret, err := s.Keys.Secret()
	if err != nil {
		return nil, koppel.Internal("generate a Secret", err)
	}
	return &Issued{Connection: &koppel.Connection{AppKey: appKey}, Secret: secret}, nil
}

// insert writes the connection, its grants, its verifier and the audit event.
// The detail says which package for which organizations, then phrases.
func (s *Service) insert(tx koppel.Tx, issued *Issued, sw *koppel.Software, orgs []*koppel.Organization, action string,
	phrases ...koppel.Phrase) error {
	if sw.Kind == koppel.KindAutopilot {
		return koppel.Errorf(koppel.EConflict, "%s is an Autopilot package: the platform connects it itself, so it needs no keys.", sw.Name).
			WithKey("software.autopilot", "name", sw.Name)
	}
	c := issued.Connection
	c.Software, c.Status, c.CreatedAt = *sw, koppel.StatusActive, s.Now()
	c.OrganizationIDs = nil
	for _, o := range orgs {
		c.OrganizationIDs = append(c.OrganizationIDs, o.ID)
	}
	issued.Organizations = orgs
	if err := tx.CreateConnection(c, s.Vault.Verifier(issued.Secret)); err != nil {
		return err
	}
	for_ := koppel.Say("connection.for", "software", sw.Name, "organizations", describeOrgs(orgs))
	return tx.AppendAudit(s.event(action, c, append([]koppel.Phrase{for_}, phrases...)...))
}

// findGrantable resolves organization refs, refusing ended partnerships and
// repeats.
func findGrantable(tx koppel.Tx, refs []string) ([]*koppel.Organization, error) {
	var orgs []*koppel.Organization
	for _, ref := range refs {
		o, err := koppel.FindOrganization(tx, ref)
		if err != nil {
			return nil, err
		}
		if o.EndedAt != nil {
			return nil, koppel.Errorf(koppel.EConflict, "The partnership with %s has ended; it cannot get new keys.", o.Name).
				WithKey("organization.ended", "name", o.Name)
		}
		if slices.ContainsFunc(orgs, func(p *koppel.Organization) bool { return p.ID == o.ID }) {
			continue
		}
		orgs = append(orgs, o)
	}
	return orgs, nil
}

// Get returns the connection named by ref (id or App Key).
func (s *Service) Get(ctx context.Context, ref string) (*koppel.Connection, error) {
	var c *koppel.Connection
	err := s.Store.View(ctx, func(tx koppel.Tx) (err error) {
		c, err = koppel.FindConnection(tx, ref)
		return err
	})
	return c, err
}

// List returns the connections that match f, newest first.
func (s *Service) List(ctx context.Context, f koppel.ConnectionFilter) ([]*koppel.Connection, error) {
	if f.Status != "" && !f.Status.Valid() {
		return nil, koppel.Errorf(koppel.EInvalid, "The status must be active or revoked.").WithKey("connection.status")
	}
	var out []*koppel.Connection
	err := s.Store.View(ctx, func(tx koppel.Tx) (err error) {
		out, err = tx.Connections(f)
		return err
	})
	return out, err
}

func (s *Service) event(action string, c *koppel.Connection, phrases ...koppel.Phrase) *koppel.AuditEvent {
	e := &koppel.AuditEvent{At: s.Now(), Actor: s.Actor, Action: action, SubjectType: "connection",
		SubjectID: c.ID, OrganizationIDs: c.OrganizationIDs}
	return e.SetDetail(phrases...)
}

func describeOrgs(orgs []*koppel.Organization) string {
	names := make([]string, len(orgs))
	for i, o := range orgs {
		names[i] = fmt.Sprintf("%s (%s)", o.Name, o.PartyID)
	}
	return strings.Join(names, ", ")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
