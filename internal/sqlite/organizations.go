package sqlite

import (
	"database/sql"
	"strconv"
	"strings"

	"koppel/internal/koppel"
)

const orgColumns = "id, name, party_id, kvk, vat, email, created_at, ended_at"

// CreateOrganization inserts o and sets o.ID.
func (t *Tx) CreateOrganization(o *koppel.Organization) error {
	res, err := t.tx.ExecContext(t.ctx,
		`INSERT INTO organizations (name, party_id, party_key, kvk, vat, email, created_at, ended_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		o.Name, string(o.PartyID), o.PartyID.Canonical(), o.KvK, o.VAT, o.Email, millis(&o.CreatedAt), millis(o.EndedAt))
	if isUniqueViolation(err) {
		return koppel.Errorf(koppel.EConflict, "An organization with party ID %s already exists.", o.PartyID)
	}
	if err != nil {
		return koppel.Internal("add the organization", err)
	}
	o.ID, _ = res.LastInsertId()
	return nil
}

// UpdateOrganization writes o's fields.
func (t *Tx) UpdateOrganization(o *koppel.Organization) error {
	res, err := t.tx.ExecContext(t.ctx,
		`UPDATE organizations SET name = ?, party_id = ?, party_key = ?, kvk = ?, vat = ?, email = ?, ended_at = ?
		 WHERE id = ?`,
		o.Name, string(o.PartyID), o.PartyID.Canonical(), o.KvK, o.VAT, o.Email, millis(o.EndedAt), o.ID)
	if isUniqueViolation(err) {
		return koppel.Errorf(koppel.EConflict, "An organization with party ID %s already exists.", o.PartyID)
	}
	if err != nil {
		return koppel.Internal("update the organization", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return koppel.Errorf(koppel.ENotFound, "Organization %d was not found.", o.ID)
	}
	return nil
}

// Organization returns the organization with id.
func (t *Tx) Organization(id int64) (*koppel.Organization, error) {
	row := t.tx.QueryRowContext(t.ctx, "SELECT "+orgColumns+" FROM organizations WHERE id = ?", id)
	o, err := scanOrganization(row)
	if err != nil {
		return nil, notFound(err, "Organization "+strconv.FormatInt(id, 10))
	}
	return o, nil
}

// OrganizationByParty returns the organization whose canonical party ID is
// canonical.
func (t *Tx) OrganizationByParty(canonical string) (*koppel.Organization, error) {
	row := t.tx.QueryRowContext(t.ctx, "SELECT "+orgColumns+" FROM organizations WHERE party_key = ?", canonical)
	o, err := scanOrganization(row)
	if err != nil {
		return nil, notFound(err, "An organization with party ID "+canonical)
	}
	return o, nil
}

// Organizations lists organizations by name.
func (t *Tx) Organizations(f koppel.OrganizationFilter) ([]*koppel.Organization, error) {
	var where []string
	var args []any
	if !f.IncludeEnded {
		where = append(where, "ended_at IS NULL")
	}
	if f.Search != "" {
		where = append(where, `(name LIKE ? ESCAPE '\' OR party_id LIKE ? ESCAPE '\')`)
		p := likePattern(f.Search)
		args = append(args, p, p)
	}
	q := "SELECT " + orgColumns + " FROM organizations"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY name COLLATE NOCASE, id" + limitClause(f.Limit)
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return nil, koppel.Internal("list organizations", err)
	}
	defer rows.Close()
	var out []*koppel.Organization
	for rows.Next() {
		o, err := scanOrganization(rows)
		if err != nil {
			return nil, koppel.Internal("list organizations", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, koppel.Internal("list organizations", err)
	}
	return out, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanOrganization(s scanner) (*koppel.Organization, error) {
	var o koppel.Organization
	var party string
	var created int64
	var ended sql.NullInt64
	if err := s.Scan(&o.ID, &o.Name, &party, &o.KvK, &o.VAT, &o.Email, &created, &ended); err != nil {
		return nil, err
	}
	o.PartyID = koppel.PartyID(party)
	o.CreatedAt = fromMillis(created)
	o.EndedAt = fromNullMillis(ended)
	return &o, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
