package app

// Organizations is bound to the window: the organizations the bookkeeper
// manages and the software catalog.
type Organizations struct{ session *Session }

// NewOrganizations binds to session's backend.
func NewOrganizations(session *Session) *Organizations { return &Organizations{session} }

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
