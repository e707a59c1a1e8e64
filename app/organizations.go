package app

import "koppel/internal/organizations"

// Organizations is bound to the window: the organizations the bookkeeper
// manages ("My environment") and the software catalog.
type Organizations struct{ session *Session }

// NewOrganizations binds to session's backend.
func NewOrganizations(session *Session) *Organizations { return &Organizations{session} }

// OrganizationInput is what Add and Update take. The service validates each
// field (party ID rules of internal/koppel/partyid.go); the window checks
// the same rules as the user types.
type OrganizationInput struct {
	Name    string `json:"name"`
	PartyID string `json:"partyId"`
	KvK     string `json:"kvk"`
	VAT     string `json:"vat"`
	Email   string `json:"email"`
}

func (in OrganizationInput) check() (organizations.NewOrganization, error) {
	for _, f := range []struct {
		field, value string
		max          int
	}{
		{"organization name", in.Name, 200}, {"party ID", in.PartyID, 64}, {"KvK number", in.KvK, 20},
		{"VAT number", in.VAT, 30}, {"email address", in.Email, 254},
	} {
		if err := checkText(f.field, f.value, f.max); err != nil {
			return organizations.NewOrganization{}, err
		}
	}
	return organizations.NewOrganization{Name: in.Name, PartyID: in.PartyID, KvK: in.KvK, VAT: in.VAT, Email: in.Email}, nil
}

// List returns the organizations matching q, by name.
func (o *Organizations) List(q OrganizationQuery) ([]OrganizationDTO, error) {
	filter, err := q.filter()
	if err != nil {
		return nil, err
	}
	b, ctx, err := o.session.current()
	if err != nil {
		return nil, err
	}
	list, err := b.Organizations.List(ctx, filter)
	return mapAll(list, toOrganizationDTO), err
}

// ListSoftware returns the software catalog.
func (o *Organizations) ListSoftware() ([]SoftwareDTO, error) {
	b, ctx, err := o.session.current()
	if err != nil {
		return nil, err
	}
	list, err := b.Organizations.ListSoftware(ctx)
	return mapAll(list, toSoftwareDTO), err
}

// Add adds an organization.
func (o *Organizations) Add(in OrganizationInput) (OrganizationDTO, error) {
	n, err := in.check()
	if err != nil {
		return OrganizationDTO{}, err
	}
	b, ctx, err := o.session.current()
	if err != nil {
		return OrganizationDTO{}, err
	}
	org, err := b.Organizations.Add(ctx, n)
	if err != nil {
		return OrganizationDTO{}, err
	}
	o.session.Emit(EventOrganizationsChanged)
	return toOrganizationDTO(org), nil
}

// Update changes the organization id's name, party ID, KvK, VAT and email.
func (o *Organizations) Update(id int64, in OrganizationInput) (OrganizationDTO, error) {
	if err := checkID("organization", id); err != nil {
		return OrganizationDTO{}, err
	}
	n, err := in.check()
	if err != nil {
		return OrganizationDTO{}, err
	}
	b, ctx, err := o.session.current()
	if err != nil {
		return OrganizationDTO{}, err
	}
	org, err := b.Organizations.Update(ctx, idRef(id), n)
	if err != nil {
		return OrganizationDTO{}, err
	}
	o.session.Emit(EventOrganizationsChanged)
	return toOrganizationDTO(org), nil
}

// PartnershipImpact tells what EndPartnership would do to organization id,
// for the confirmation: how many connections it revokes and how many shared
// ones it withdraws the organization from. It changes nothing.
func (o *Organizations) PartnershipImpact(id int64) (PartnershipImpactDTO, error) {
	if err := checkID("organization", id); err != nil {
		return PartnershipImpactDTO{}, err
	}
	b, ctx, err := o.session.current()
	if err != nil {
		return PartnershipImpactDTO{}, err
	}
	res, err := b.Connections.PartnershipImpact(ctx, idRef(id))
	if err != nil {
		return PartnershipImpactDTO{}, err
	}
	return PartnershipImpactDTO{OrganizationID: res.Organization.ID, Ended: res.Organization.EndedAt != nil,
		Revoke: len(res.Revoked), Withdraw: len(res.Withdrawn)}, nil
}

// EndPartnership ends the partnership with organization id (R15).
func (o *Organizations) EndPartnership(id int64) (PartnershipEndedDTO, error) {
	if err := checkID("organization", id); err != nil {
		return PartnershipEndedDTO{}, err
	}
	b, ctx, err := o.session.current()
	if err != nil {
		return PartnershipEndedDTO{}, err
	}
	res, err := b.Connections.EndPartnership(ctx, idRef(id))
	if err != nil {
		return PartnershipEndedDTO{}, err
	}
	o.session.Emit(EventOrganizationsChanged)
	o.session.Emit(EventConnectionsChanged, []int64{res.Organization.ID})
	return PartnershipEndedDTO{Organization: toOrganizationDTO(res.Organization),
		Revoked: ids(res.Revoked), Withdrawn: ids(res.Withdrawn)}, nil
}
