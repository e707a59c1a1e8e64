package sqlite

import (
	"database/sql"
	"strings"
	"time"

	"koppel/internal/koppel"
)

const administrationColumns = "id, software_id, organization_id, name, code, email, created_at"

// CreateAdministration inserts a and sets a.ID.
func (t *Tx) CreateAdministration(a *koppel.Administration) error {
	res, err := t.exec("add the administration",
		`INSERT INTO administrations (software_id, organization_id, name, code, email, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		a.SoftwareID, nullID(a.OrganizationID), a.Name, a.Code, a.Email, millis(&a.CreatedAt))
	if err != nil {
		return err
	}
	a.ID, _ = res.LastInsertId()
	return nil
}

// UpdateAdministration writes a's software, organization, name, code and email.
func (t *Tx) UpdateAdministration(a *koppel.Administration) error {
	return t.execOne("save the administration", "Administration "+itoa(a.ID),
		"UPDATE administrations SET software_id = ?, organization_id = ?, name = ?, code = ?, email = ? WHERE id = ?",
		a.SoftwareID, nullID(a.OrganizationID), a.Name, a.Code, a.Email, a.ID)
}

// Administration returns the administration with id.
func (t *Tx) Administration(id int64) (*koppel.Administration, error) {
	a, err := scanAdministration(t.tx.QueryRowContext(t.ctx,
		"SELECT "+administrationColumns+" FROM administrations WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "Administration "+itoa(id))
	}
	return a, nil
}

// Administrations lists administrations by name.
func (t *Tx) Administrations(f koppel.AdministrationFilter) ([]*koppel.Administration, error) {
	var where []string
	var args []any
	if f.SoftwareID != 0 {
		where, args = append(where, "software_id = ?"), append(args, f.SoftwareID)
	}
	if f.OrganizationIDs != nil {
		where = append(where, "(organization_id IS NULL OR organization_id IN ("+joinIDs(f.OrganizationIDs)+"))")
	}
	if f.Search != "" {
		where = append(where, `(name LIKE ? ESCAPE '\' OR code LIKE ? ESCAPE '\' OR email LIKE ? ESCAPE '\')`)
		p := likePattern(f.Search)
		args = append(args, p, p, p)
	}
	q := "SELECT " + administrationColumns + " FROM administrations"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY name COLLATE NOCASE, id" + limitClause(f.Limit)
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return nil, koppel.Internal("list administrations", err)
	}
	defer rows.Close()
	var out []*koppel.Administration
	for rows.Next() {
		a, err := scanAdministration(rows)
		if err != nil {
			return nil, koppel.Internal("list administrations", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, koppel.Internal("list administrations", err)
	}
	return out, nil
}

func scanAdministration(sc scanner) (*koppel.Administration, error) {
	var a koppel.Administration
	var org sql.NullInt64
	var created int64
	if err := sc.Scan(&a.ID, &a.SoftwareID, &org, &a.Name, &a.Code, &a.Email, &created); err != nil {
		return nil, err
	}
	a.OrganizationID, a.CreatedAt = org.Int64, fromMillis(created)
	return &a, nil
}

const linkColumns = `l.id, l.connection_id, l.administration_id, l.email, l.start_date, l.process_sales,
	l.sealed_credential, l.status, l.created_at, l.revoked_at, l.last_test_at, l.last_test_result`

// CreateLink inserts l and sets l.ID.
func (t *Tx) CreateLink(l *koppel.Link) error {
	res, err := t.tx.ExecContext(t.ctx,
		`INSERT INTO links (connection_id, administration_id, email, start_date, process_sales, sealed_credential,
			status, created_at, revoked_at, last_test_at, last_test_result)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.ConnectionID, l.AdministrationID, l.Email, nullText(l.StartDate), l.ProcessSales, l.SealedCredential,
		string(l.Status), millis(&l.CreatedAt), millis(l.RevokedAt), millis(l.LastTestAt), l.LastTestResult)
	if isUniqueViolation(err) {
		return koppel.Errorf(koppel.EConflict, "Administration %d already has an active link.", l.AdministrationID)
	}
	if err != nil {
		return koppel.Internal("save the link", err)
	}
	l.ID, _ = res.LastInsertId()
	return nil
}

// Link returns the link with id.
func (t *Tx) Link(id int64) (*koppel.Link, error) {
	rows, err := t.tx.QueryContext(t.ctx, "SELECT "+linkColumns+" FROM links l WHERE l.id = ?", id)
	if err != nil {
		return nil, koppel.Internal("read the link", err)
	}
	links, err := scanLinks(rows)
	if err != nil {
		return nil, err
	}
	if len(links) == 0 {
		return nil, koppel.Errorf(koppel.ENotFound, "Link %d was not found.", id)
	}
	return links[0], nil
}

// Links lists links oldest first.
func (t *Tx) Links(f koppel.LinkFilter) ([]*koppel.Link, error) {
	var where []string
	var args []any
	if f.ConnectionID != 0 {
		where, args = append(where, "l.connection_id = ?"), append(args, f.ConnectionID)
	}
	if f.AdministrationID != 0 {
		where, args = append(where, "l.administration_id = ?"), append(args, f.AdministrationID)
	}
	if f.OrganizationID != 0 {
		where = append(where, "l.connection_id IN (SELECT connection_id FROM grants WHERE organization_id = ?)")
		args = append(args, f.OrganizationID)
	}
	if f.Status != "" {
		where, args = append(where, "l.status = ?"), append(args, string(f.Status))
	}
	q := "SELECT " + linkColumns + " FROM links l"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := t.tx.QueryContext(t.ctx, q+" ORDER BY l.id", args...)
	if err != nil {
		return nil, koppel.Internal("read links", err)
	}
	return scanLinks(rows)
}

// ActiveLinks returns the connection's active links to administrations of
// the organization or of no organization.
func (t *Tx) ActiveLinks(connectionID, organizationID int64) ([]*koppel.Link, error) {
	rows, err := t.tx.QueryContext(t.ctx, "SELECT "+linkColumns+`
		FROM links l JOIN administrations a ON a.id = l.administration_id
		WHERE l.connection_id = ? AND l.status = 'active' AND (a.organization_id = ? OR a.organization_id IS NULL)
		ORDER BY l.id`, connectionID, organizationID)
	if err != nil {
		return nil, koppel.Internal("read links", err)
	}
	return scanLinks(rows)
}

// RecordLinkTest stores the outcome of a link's last test.
func (t *Tx) RecordLinkTest(id int64, at time.Time, result string) error {
	return t.execOne("record the test", "Link "+itoa(id),
		"UPDATE links SET last_test_at = ?, last_test_result = ? WHERE id = ?", millis(&at), result, id)
}

// DeleteLink removes the link with id and its sealed credential.
func (t *Tx) DeleteLink(id int64) error {
	return t.execOne("remove the link", "Link "+itoa(id), "DELETE FROM links WHERE id = ?", id)
}

// RevokeLink marks an active link revoked and wipes its sealed credential.
func (t *Tx) RevokeLink(id int64, at time.Time) error {
	return t.execOne("revoke the link", "An active link "+itoa(id),
		"UPDATE links SET status = 'revoked', revoked_at = ?, sealed_credential = NULL WHERE id = ? AND status = 'active'",
		millis(&at), id)
}

// WithdrawReadyOffers withdraws the connection's ready offers of the
// organizations' documents issued before the date (when not ""), and of
// sales copies when copies is set.
func (t *Tx) WithdrawReadyOffers(connectionID int64, organizationIDs []int64, before string, copies bool, at time.Time, note ...koppel.Phrase) (int64, error) {
	if len(organizationIDs) == 0 || (before == "" && !copies) {
		return 0, nil
	}
	res, err := t.exec("withdraw offers", `UPDATE offers SET state = 'withdrawn', withdrawn_at = ?, note = ?, note_phrases = ?
		WHERE connection_id = ? AND state = 'ready' AND document_id IN (
			SELECT id FROM documents WHERE organization_id IN (`+joinIDs(organizationIDs)+`)
			AND ((? <> '' AND issue_date < ?) OR (? AND offers.copy)))`,
		millis(&at), koppel.EnglishOf(note), phrasesJSON(note), connectionID, before, before, copies)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return n, nil
}

func scanLinks(rows *sql.Rows) ([]*koppel.Link, error) {
	defer rows.Close()
	var out []*koppel.Link
	for rows.Next() {
		var l koppel.Link
		var start sql.NullString
		var status string
		var created int64
		var revoked, tested sql.NullInt64
		if err := rows.Scan(&l.ID, &l.ConnectionID, &l.AdministrationID, &l.Email, &start, &l.ProcessSales,
			&l.SealedCredential, &status, &created, &revoked, &tested, &l.LastTestResult); err != nil {
			return nil, koppel.Internal("read links", err)
		}
		l.StartDate, l.Status, l.CreatedAt = start.String, koppel.Status(status), fromMillis(created)
		l.RevokedAt, l.LastTestAt = fromNullMillis(revoked), fromNullMillis(tested)
		out = append(out, &l)
	}
	if err := rows.Err(); err != nil {
		return nil, koppel.Internal("read links", err)
	}
	return out, nil
}

const hookColumns = "id, connection_id, organization_id, url, topic, created_at"

// CreateHook inserts h and sets h.ID.
func (t *Tx) CreateHook(h *koppel.Hook) error {
	res, err := t.tx.ExecContext(t.ctx,
		"INSERT INTO hooks (id, connection_id, organization_id, url, topic, created_at) VALUES ("+nextID("hooks")+", ?, ?, ?, ?, ?)",
		h.ConnectionID, h.OrganizationID, h.URL, h.Topic, millis(&h.CreatedAt))
	if isUniqueViolation(err) {
		return koppel.Errorf(koppel.EConflict, "This hook is already registered.")
	}
	if err != nil {
		return koppel.Internal("save the hook", err)
	}
	h.ID, _ = res.LastInsertId()
	return nil
}

// Hooks returns the connection's hooks for the organization, oldest first.
func (t *Tx) Hooks(connectionID, organizationID int64) ([]*koppel.Hook, error) {
	rows, err := t.tx.QueryContext(t.ctx, "SELECT "+hookColumns+
		" FROM hooks WHERE connection_id = ? AND organization_id = ? ORDER BY id", connectionID, organizationID)
	if err != nil {
		return nil, koppel.Internal("read hooks", err)
	}
	defer rows.Close()
	var out []*koppel.Hook
	for rows.Next() {
		h, err := scanHook(rows)
		if err != nil {
			return nil, koppel.Internal("read hooks", err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, koppel.Internal("read hooks", err)
	}
	return out, nil
}

// Hook returns the hook with id.
func (t *Tx) Hook(id int64) (*koppel.Hook, error) {
	h, err := scanHook(t.tx.QueryRowContext(t.ctx, "SELECT "+hookColumns+" FROM hooks WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "Hook "+itoa(id))
	}
	return h, nil
}

// DeleteHook removes the hook with id.
func (t *Tx) DeleteHook(id int64) error {
	return t.execOne("remove the hook", "Hook "+itoa(id), "DELETE FROM hooks WHERE id = ?", id)
}

func scanHook(sc scanner) (*koppel.Hook, error) {
	var h koppel.Hook
	var created int64
	if err := sc.Scan(&h.ID, &h.ConnectionID, &h.OrganizationID, &h.URL, &h.Topic, &created); err != nil {
		return nil, err
	}
	h.CreatedAt = fromMillis(created)
	return &h, nil
}
