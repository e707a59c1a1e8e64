// Package administrations keeps the bookkeeping administrations of the
// organizations' software packages: the things a Quick Connect link binds a
// connection to (DESIGN §1). It adds, edits, lists and imports them.
package administrations

import (
	"context"
	"slices"
	"strconv"

	"koppel/internal/koppel"
)

// Service adds, edits, lists and imports administrations.
type Service struct {
	Store koppel.Store
	Now   koppel.Clock
	Actor string
}

// Input is what Add and Edit take. Software is an id, slug or name;
// Organization an id or party ID, or "" for an administration tied to no
// organization. Email is the address linked to the administration in the
// package; "" until a Quick Connect records it.
type Input struct {
	Software     string
	Organization string
	Name         string
	Code         string
	Email        string
}

// Limits of an administration's fields, in characters.
const (
	MaxName = 200
	MaxCode = 50
)

// View is an administration with the names a list shows.
type View struct {
	*koppel.Administration
	Software     *koppel.Software
	Organization *koppel.Organization // nil when tied to none
	// LinkedConnectionID is the connection whose active link serves the
	// administration, or 0.
	LinkedConnectionID int64
}

// Add validates in and adds the administration.
func (s *Service) Add(ctx context.Context, in Input) (*View, error) {
	var v *View
	err := s.Store.Update(ctx, func(tx koppel.Tx) (err error) {
		v, err = s.AddIn(tx, in)
		return err
	})
	return v, err
}

// AddIn adds the administration inside tx, for callers that add one as part
// of a larger change (Quick Connect's inline add, the CSV import).
func (s *Service) AddIn(tx koppel.Tx, in Input) (*View, error) {
	v, err := resolve(tx, in)
	if err != nil {
		return nil, err
	}
	v.CreatedAt = s.Now()
	if err := tx.CreateAdministration(v.Administration); err != nil {
		return nil, err
	}
	return v, tx.AppendAudit(s.event("administration.add", v, describe(v)))
}

// Edit validates in and writes it over the administration with id.
// Switching it to an Autopilot package is refused while a key connection
// serves it through an active link (R8): the platform would connect it
// twice.
func (s *Service) Edit(ctx context.Context, id int64, in Input) (*View, error) {
	var v *View
	err := s.Store.Update(ctx, func(tx koppel.Tx) error {
		old, err := tx.Administration(id)
		if err != nil {
			return err
		}
		if v, err = resolve(tx, in); err != nil {
			return err
		}
		v.ID, v.CreatedAt = old.ID, old.CreatedAt
		if err := s.fill(tx, v); err != nil {
			return err
		}
		if v.Software.Kind == koppel.KindAutopilot && v.LinkedConnectionID != 0 {
			return koppel.Errorf(koppel.EConflict,
				"%s cannot switch to %s while connection %d serves it with keys. Revoke that connection first, and remove the keys in the software too; then switch to Autopilot.",
				v.Name, v.Software.Name, v.LinkedConnectionID).
				WithKey("administration.autopilot_conflict", "name", v.Name, "software", v.Software.Name, "id", itoa(v.LinkedConnectionID))
		}
		if v.LinkedConnectionID != 0 && v.SoftwareID != old.SoftwareID {
			return koppel.Errorf(koppel.EConflict,
				"%s is linked to connection %d of another package; remove that link before moving it to %s.",
				v.Name, v.LinkedConnectionID, v.Software.Name).
				WithKey("administration.linked_elsewhere", "name", v.Name, "software", v.Software.Name, "id", itoa(v.LinkedConnectionID))
		}
		if err := servedStill(tx, v); err != nil {
			return err
		}
		if err := tx.UpdateAdministration(v.Administration); err != nil {
			return err
		}
		return tx.AppendAudit(s.event("administration.edit", v, describe(v)))
	})
	return v, err
}

// servedStill refuses to tie a linked administration to an organization its
// connection is not granted: the link would serve a party the keys may not
// act for (R9).
func servedStill(tx koppel.Tx, v *View) error {
	if v.LinkedConnectionID == 0 || v.OrganizationID == 0 {
		return nil
	}
	c, err := tx.Connection(v.LinkedConnectionID)
	if err != nil {
		return err
	}
	if slices.Contains(c.OrganizationIDs, v.OrganizationID) {
		return nil
	}
	return koppel.Errorf(koppel.EConflict,
		"%s is linked to connection %d, which does not serve %s; remove that link before moving the administration.",
		v.Name, c.ID, v.Organization.Name).
		WithKey("administration.linked_organization", "name", v.Name, "id", itoa(c.ID), "organization", v.Organization.Name)
}

// Get returns the administration with id.
func (s *Service) Get(ctx context.Context, id int64) (*View, error) {
	var v *View
	err := s.Store.View(ctx, func(tx koppel.Tx) error {
		a, err := tx.Administration(id)
		if err != nil {
			return err
		}
		v = &View{Administration: a}
		return s.fill(tx, v)
	})
	return v, err
}

// List returns the administrations that match f, by name.
func (s *Service) List(ctx context.Context, f koppel.AdministrationFilter) ([]*View, error) {
	var out []*View
	err := s.Store.View(ctx, func(tx koppel.Tx) error {
		list, err := tx.Administrations(f)
		if err != nil {
			return err
		}
		out = make([]*View, len(list))
		for i, a := range list {
			out[i] = &View{Administration: a}
			if err := s.fill(tx, out[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// fill looks up v's package, organization and active link.
func (s *Service) fill(tx koppel.Tx, v *View) (err error) {
	if v.Software == nil || v.Software.ID != v.SoftwareID {
		if v.Software, err = tx.Software(v.SoftwareID); err != nil {
			return err
		}
	}
	if v.OrganizationID != 0 && (v.Organization == nil || v.Organization.ID != v.OrganizationID) {
		if v.Organization, err = tx.Organization(v.OrganizationID); err != nil {
			return err
		}
	}
	links, err := tx.Links(koppel.LinkFilter{AdministrationID: v.ID, Status: koppel.StatusActive})
	if err != nil {
		return err
	}
	v.LinkedConnectionID = 0
	if len(links) > 0 {
		v.LinkedConnectionID = links[0].ConnectionID
	}
	return nil
}

// resolve validates in and looks up its package and organization.
func resolve(tx koppel.Tx, in Input) (*View, error) {
	a, err := validate(in)
	if err != nil {
		return nil, err
	}
	v := &View{Administration: a}
	if in.Software == "" {
		return nil, koppel.Errorf(koppel.EInvalid, "Choose the software package the administration is kept in.").
			WithKey("administration.software_required")
	}
	if v.Software, err = koppel.FindSoftware(tx, in.Software); err != nil {
		return nil, err
	}
	v.SoftwareID = v.Software.ID
	if in.Organization != "" {
		if v.Organization, err = koppel.FindOrganization(tx, in.Organization); err != nil {
			return nil, err
		}
		v.OrganizationID = v.Organization.ID
	}
	return v, nil
}

// validate checks the text fields of in.
func validate(in Input) (*koppel.Administration, error) {
	name, err := koppel.RequiredText("administration name", in.Name, MaxName)
	if err != nil {
		return nil, err
	}
	code, err := koppel.CleanText("administration code", in.Code, MaxCode)
	if err != nil {
		return nil, err
	}
	email, err := koppel.CleanEmail("email address", in.Email)
	if err != nil {
		return nil, err
	}
	return &koppel.Administration{Name: name, Code: code, Email: email}, nil
}

func (s *Service) event(action string, v *View, phrases []koppel.Phrase) *koppel.AuditEvent {
	var orgs []int64
	if v.OrganizationID != 0 {
		orgs = []int64{v.OrganizationID}
	}
	e := &koppel.AuditEvent{At: s.Now(), Actor: s.Actor, Action: action, SubjectType: "administration",
		SubjectID: v.ID, OrganizationIDs: orgs}
	return e.SetDetail(phrases...)
}

func describe(v *View) []koppel.Phrase {
	d := []koppel.Phrase{koppel.Say("administration", "name", v.Name, "software", v.Software.Name)}
	if v.Code != "" {
		d = append(d, koppel.Say("administration.code", "code", v.Code))
	}
	if v.Organization != nil {
		d = append(d, koppel.Say("administration.for", "organization", v.Organization.Name))
	}
	return d
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
