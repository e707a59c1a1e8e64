package sqlite

import (
	"database/sql"

	"koppel/internal/koppel"
)

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

// Administration returns the administration with id.
func (t *Tx) Administration(id int64) (*koppel.Administration, error) {
	var a koppel.Administration
	var org sql.NullInt64
	var created int64
	err := t.tx.QueryRowContext(t.ctx,
		"SELECT id, software_id, organization_id, name, code, email, created_at FROM administrations WHERE id = ?", id).
		Scan(&a.ID, &a.SoftwareID, &org, &a.Name, &a.Code, &a.Email, &created)
	if err != nil {
		return nil, notFound(err, "Administration "+itoa(id))
	}
	a.OrganizationID, a.CreatedAt = org.Int64, fromMillis(created)
	return &a, nil
}

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

// ActiveLinks returns the connection's active links to administrations of
// the organization or of no organization.
func (t *Tx) ActiveLinks(connectionID, organizationID int64) ([]*koppel.Link, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT l.id, l.connection_id, l.administration_id, l.email, l.start_date,
			l.process_sales, l.sealed_credential, l.status, l.created_at, l.revoked_at, l.last_test_at, l.last_test_result
		FROM links l JOIN administrations a ON a.id = l.administration_id
		WHERE l.connection_id = ? AND l.status = 'active' AND (a.organization_id = ? OR a.organization_id IS NULL)
		ORDER BY l.id`, connectionID, organizationID)
	if err != nil {
		return nil, koppel.Internal("read links", err)
	}
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
		"INSERT INTO hooks (connection_id, organization_id, url, topic, created_at) VALUES (?, ?, ?, ?, ?)",
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
