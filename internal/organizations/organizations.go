// Package organizations manages the organizations a bookkeeper looks after
// and the software catalog.
package organizations

import (
	"context"
	"regexp"
	"strings"

	"koppel/internal/koppel"
)

// Service adds, finds and lists organizations and software packages.
type Service struct {
	Store koppel.Store
	Now   koppel.Clock
	Actor string
}

// NewOrganization is what Add needs.
type NewOrganization struct {
	Name    string
	PartyID string
	KvK     string
	VAT     string
	Email   string
}

// Add validates n and adds the organization.
func (s *Service) Add(ctx context.Context, n NewOrganization) (*koppel.Organization, error) {
	o, err := n.validate()
	if err != nil {
		return nil, err
	}
	o.CreatedAt = s.Now()
	err = s.Store.Update(ctx, func(tx koppel.Tx) error {
		if err := partyFree(tx, o); err != nil {
			return err
		}
		if err := tx.CreateOrganization(o); err != nil {
			return err
		}
		return tx.AppendAudit(s.event("organization.add", "organization", o.ID, []int64{o.ID},
			koppel.Say("organization", "name", o.Name, "partyId", string(o.PartyID))))
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// Update validates n and writes it over the organization named by ref (id
// or party ID). Its creation and any ended partnership stay as they are.
func (s *Service) Update(ctx context.Context, ref string, n NewOrganization) (*koppel.Organization, error) {
	changed, err := n.validate()
	if err != nil {
		return nil, err
	}
	var o *koppel.Organization
	err = s.Store.Update(ctx, func(tx koppel.Tx) error {
		if o, err = koppel.FindOrganization(tx, ref); err != nil {
			return err
		}
		changed.ID, changed.CreatedAt, changed.EndedAt = o.ID, o.CreatedAt, o.EndedAt
		diff := describeChanges(o, changed)
		if len(diff) == 0 {
			return nil // nothing to write, nothing to audit
		}
		if err := partyFree(tx, changed); err != nil {
			return err
		}
		if err := tx.UpdateOrganization(changed); err != nil {
			return err
		}
		o = changed
		return tx.AppendAudit(s.event("organization.update", "organization", o.ID, []int64{o.ID}, diff...))
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// partyFree refuses o's party ID when another organization has it, in
// either notation.
func partyFree(tx koppel.Tx, o *koppel.Organization) error {
	other, err := tx.OrganizationByParty(o.PartyID.Canonical())
	switch {
	case koppel.ErrorCode(err) == koppel.ENotFound:
		return nil
	case err != nil:
		return err
	case other.ID == o.ID:
		return nil
	}
	return koppel.Errorf(koppel.EConflict, "An organization with party ID %s already exists: %s.", o.PartyID, other.Name).
		WithKey("organization.party_taken", "party", string(o.PartyID), "name", other.Name)
}

// describeChanges says which fields differ between old and new, for the
// audit trail: "organization name: A → B; email address: – → x@y.nl". The
// fields are named as in error messages (the window's field.* names).
func describeChanges(old, new *koppel.Organization) []koppel.Phrase {
	var parts []koppel.Phrase
	field := func(name, a, b string) {
		if a == b {
			return
		}
		if a == "" {
			a = "–"
		}
		if b == "" {
			b = "–"
		}
		parts = append(parts, koppel.Say("change", "field", name, "from", a, "to", b))
	}
	field("organization name", old.Name, new.Name)
	field("party ID", string(old.PartyID), string(new.PartyID))
	field("KvK number", old.KvK, new.KvK)
	field("VAT number", old.VAT, new.VAT)
	field("email address", old.Email, new.Email)
	return parts
}

var (
	kvkPattern = regexp.MustCompile(`^[0-9]{8}$`)
	vatPattern = regexp.MustCompile(`^[A-Z]{2}[0-9A-Z]{2,13}$`)
)

func (n NewOrganization) validate() (*koppel.Organization, error) {
	name, err := koppel.RequiredText("organization name", n.Name, 200)
	if err != nil {
		return nil, err
	}
	party, err := koppel.ParsePartyID(n.PartyID)
	if err != nil {
		return nil, err
	}
	kvk, err := koppel.CleanText("KvK number", n.KvK, 8)
	if err == nil && kvk != "" && !kvkPattern.MatchString(kvk) {
		err = koppel.Errorf(koppel.EInvalid, "A KvK number has 8 digits; %q does not.", kvk).WithKey("organization.kvk", "value", kvk)
	}
	if err != nil {
		return nil, err
	}
	vat, err := koppel.CleanText("VAT number", strings.ToUpper(strings.ReplaceAll(n.VAT, " ", "")), 15)
	if err == nil && vat != "" && !vatPattern.MatchString(vat) {
		err = koppel.Errorf(koppel.EInvalid, "A VAT number starts with two country letters followed by its digits, as in NL123456789B01; %q does not.", vat).
			WithKey("organization.vat", "value", vat)
	}
	if err != nil {
		return nil, err
	}
	email, err := koppel.CleanEmail("email address", n.Email)
	if err != nil {
		return nil, err
	}
	return &koppel.Organization{Name: name, PartyID: party, KvK: kvk, VAT: vat, Email: email}, nil
}

// Get returns the organization named by ref (id or party ID).
func (s *Service) Get(ctx context.Context, ref string) (*koppel.Organization, error) {
	var o *koppel.Organization
	err := s.Store.View(ctx, func(tx koppel.Tx) (err error) {
		o, err = koppel.FindOrganization(tx, ref)
		return err
	})
	return o, err
}

// List returns the organizations that match f, by name.
func (s *Service) List(ctx context.Context, f koppel.OrganizationFilter) ([]*koppel.Organization, error) {
	search, err := koppel.CleanText("search text", f.Search, 200)
	if err != nil {
		return nil, err
	}
	f.Search = search
	var out []*koppel.Organization
	err = s.Store.View(ctx, func(tx koppel.Tx) (err error) {
		out, err = tx.Organizations(f)
		return err
	})
	return out, err
}

func (s *Service) event(action, subjectType string, subjectID int64, orgs []int64, phrases ...koppel.Phrase) *koppel.AuditEvent {
	e := &koppel.AuditEvent{At: s.Now(), Actor: s.Actor, Action: action, SubjectType: subjectType,
		SubjectID: subjectID, OrganizationIDs: orgs}
	return e.SetDetail(phrases...)
}
