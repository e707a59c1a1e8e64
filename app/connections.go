package app

import (
	"slices"
	"strconv"

	"koppel/internal/connections"
	"koppel/internal/keys"
	"koppel/internal/koppel"
	"koppel/internal/overview"
)

// Connections is bound to the window: the issued key sets. Only Create and
// Replace return a Secret, the new one, once (R2); nothing returns a stored
// one, as none is stored.
type Connections struct{ session *Session }

// NewConnections binds to session's backend.
func NewConnections(session *Session) *Connections { return &Connections{session} }

// CreateInput is what Create takes: the organization, the package, any
// further organizations of the same package that share the key (R9), and
// the language of the Quick Connect text ("en" or "nl"; "" is English).
type CreateInput struct {
	OrganizationID int64   `json:"organizationId"`
	SoftwareID     int64   `json:"softwareId"`
	GrantIDs       []int64 `json:"grantIds"`
	Language       string  `json:"language"`
}

// ReplaceInput is what Replace takes: the connection, why (lost,
// compromised, routine, other) and the language of the Quick Connect text.
type ReplaceInput struct {
	ConnectionID int64  `json:"connectionId"`
	Reason       string `json:"reason"`
	Language     string `json:"language"`
}

// List returns the connections matching q.
func (c *Connections) List(q ConnectionQuery) ([]ConnectionDTO, error) {
	filter, err := q.filter()
	if err != nil {
		return nil, err
	}
	b, ctx, err := c.session.current()
	if err != nil {
		return nil, err
	}
	list, err := b.Connections.List(ctx, filter)
	return mapAll(list, toConnectionDTO), err
}

// Overview returns what the window opens with: every organization, the
// catalog and the window of connections q asks for, in one answer.
func (c *Connections) Overview(q WindowQuery) (OverviewDTO, error) {
	query, err := q.query()
	if err != nil {
		return OverviewDTO{}, err
	}
	b, ctx, err := c.session.current()
	if err != nil {
		return OverviewDTO{}, err
	}
	lists, w, err := b.Overview.First(ctx, query)
	if err != nil {
		return OverviewDTO{}, err
	}
	return OverviewDTO{Organizations: mapAll(lists.Organizations, toOrganizationDTO),
		Software: mapAll(lists.Software, toSoftwareDTO), Connections: toWindowDTO(w)}, nil
}

// Window returns the part of a list of connections that q asks for: the
// window filters, searches and scrolls with it, so it never holds more
// than a screenful.
func (c *Connections) Window(q WindowQuery) (WindowDTO, error) {
	query, err := q.query()
	if err != nil {
		return WindowDTO{}, err
	}
	b, ctx, err := c.session.current()
	if err != nil {
		return WindowDTO{}, err
	}
	w, err := b.Overview.Window(ctx, query)
	if err != nil {
		return WindowDTO{}, err
	}
	return toWindowDTO(w), nil
}

func toWindowDTO(w *overview.Window) WindowDTO {
	rows := make([]ConnectionRowDTO, len(w.Rows))
	for i, r := range w.Rows {
		rows[i] = toConnectionRowDTO(r)
	}
	return WindowDTO{Total: w.Total, Matched: w.Matched, Offset: w.Offset, Rows: rows, SoftwareIDs: w.SoftwareIDs}
}

// Create issues a new App Key and Secret (R1) and returns them, the one
// time the Secret is shown.
func (c *Connections) Create(in CreateInput) (IssuedKeysDTO, error) {
	if err := checkID("organization", in.OrganizationID); err != nil {
		return IssuedKeysDTO{}, err
	}
	if err := checkID("software package", in.SoftwareID); err != nil {
		return IssuedKeysDTO{}, err
	}
	if len(in.GrantIDs) > maxGrants {
		return IssuedKeysDTO{}, koppel.Errorf(koppel.EInvalid, "One key can be granted to at most %d organizations.", maxGrants).
			WithKey("connection.too_many_grants", "max", strconv.Itoa(maxGrants))
	}
	req := connections.CreateRequest{Organization: idRef(in.OrganizationID), Software: idRef(in.SoftwareID)}
	for _, id := range in.GrantIDs {
		if err := checkID("organization", id); err != nil {
			return IssuedKeysDTO{}, err
		}
		req.Grants = append(req.Grants, idRef(id))
	}
	lang, err := language(in.Language)
	if err != nil {
		return IssuedKeysDTO{}, err
	}
	b, ctx, err := c.session.current()
	if err != nil {
		return IssuedKeysDTO{}, err
	}
	issued, err := b.Connections.Create(ctx, req)
	if err != nil {
		return IssuedKeysDTO{}, err
	}
	c.session.Emit(EventConnectionsChanged, issued.Connection.OrganizationIDs)
	return toIssuedKeysDTO(issued, 0, lang), nil
}

// Revoke makes an active connection inactive at once (R4). reason is one of
// lost, compromised, routine, switch, other.
func (c *Connections) Revoke(id int64, reason string) (ConnectionDTO, error) {
	if err := checkID("connection", id); err != nil {
		return ConnectionDTO{}, err
	}
	if err := checkChoice("reason", reason, koppel.RevokeReasons...); err != nil {
		return ConnectionDTO{}, err
	}
	b, ctx, err := c.session.current()
	if err != nil {
		return ConnectionDTO{}, err
	}
	conn, err := b.Connections.Revoke(ctx, idRef(id), reason)
	if err != nil {
		return ConnectionDTO{}, err
	}
	c.session.Emit(EventConnectionsChanged, conn.OrganizationIDs)
	return toConnectionDTO(conn), nil
}

// Delete removes a revoked connection (R5); an active one is refused.
func (c *Connections) Delete(id int64) error {
	if err := checkID("connection", id); err != nil {
		return err
	}
	b, ctx, err := c.session.current()
	if err != nil {
		return err
	}
	conn, err := b.Connections.Delete(ctx, idRef(id))
	if err != nil {
		return err
	}
	c.session.Emit(EventConnectionsChanged, conn.OrganizationIDs)
	return nil
}

// Replace issues new keys for the same package and organizations and
// revokes the old connection in one step (R3), returning the new keys once.
func (c *Connections) Replace(in ReplaceInput) (IssuedKeysDTO, error) {
	if err := checkID("connection", in.ConnectionID); err != nil {
		return IssuedKeysDTO{}, err
	}
	if err := checkChoice("reason", in.Reason, koppel.ReplaceReasons...); err != nil {
		return IssuedKeysDTO{}, err
	}
	lang, err := language(in.Language)
	if err != nil {
		return IssuedKeysDTO{}, err
	}
	b, ctx, err := c.session.current()
	if err != nil {
		return IssuedKeysDTO{}, err
	}
	issued, old, err := b.Connections.Replace(ctx, idRef(in.ConnectionID), in.Reason)
	if err != nil {
		return IssuedKeysDTO{}, err
	}
	c.session.Emit(EventConnectionsChanged, slices.Concat(old.OrganizationIDs, issued.Connection.OrganizationIDs))
	return toIssuedKeysDTO(issued, old.ID, lang), nil
}

// toIssuedKeysDTO reveals the new Secret into the answer, and into the
// Quick Connect text (DESIGN §3) for the first organization.
func toIssuedKeysDTO(issued *connections.Issued, replaces int64, lang string) IssuedKeysDTO {
	c := issued.Connection
	var name, party string
	if len(issued.Organizations) > 0 {
		name, party = issued.Organizations[0].Name, string(issued.Organizations[0].PartyID)
	}
	return IssuedKeysDTO{
		Connection:       toConnectionDTO(c),
		Secret:           issued.Secret.Reveal(),
		QuickConnectText: keys.QuickConnectText(c.AppKey, issued.Secret, name, party, lang),
		Organizations:    mapAll(issued.Organizations, toOrganizationDTO),
		ReplacesID:       replaces,
	}
}

func idRef(id int64) string { return strconv.FormatInt(id, 10) }
