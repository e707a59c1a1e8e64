package sqlite

import (
	"strings"

	"koppel/internal/koppel"
)

const softwareColumns = "id, slug, name, direction, receives_sales, quick_connect, kind, built_in"

// CreateSoftware inserts s and sets s.ID.
func (t *Tx) CreateSoftware(s *koppel.Software) error {
	res, err := t.tx.ExecContext(t.ctx,
		`INSERT INTO software (slug, name, direction, receives_sales, quick_connect, kind, built_in)
		 VALUES (?, ?, ?, ?, ?, ?, ?)`,
		s.Slug, s.Name, string(s.Direction), s.ReceivesSales, s.QuickConnect, string(s.Kind), s.BuiltIn)
	if isUniqueViolation(err) {
		return koppel.Errorf(koppel.EConflict, "The catalog already has a package named %q.", s.Name)
	}
	if err != nil {
		return koppel.Internal("add the software package", err)
	}
	s.ID, _ = res.LastInsertId()
	return nil
}

// Software returns the package with id.
func (t *Tx) Software(id int64) (*koppel.Software, error) {
	s, err := scanSoftware(t.tx.QueryRowContext(t.ctx, "SELECT "+softwareColumns+" FROM software WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "Software package "+itoa(id))
	}
	return s, nil
}

// SoftwareBySlugOrName finds a package by slug or name, case-insensitively.
func (t *Tx) SoftwareBySlugOrName(ref string) (*koppel.Software, error) {
	s, err := scanSoftware(t.tx.QueryRowContext(t.ctx,
		"SELECT "+softwareColumns+" FROM software WHERE slug = ? OR name = ? COLLATE NOCASE",
		strings.ToLower(ref), ref))
	if err != nil {
		return nil, notFound(err, "The software package "+quote(ref))
	}
	return s, nil
}

// SoftwareList returns the catalog, built-in packages first, by name.
func (t *Tx) SoftwareList() ([]*koppel.Software, error) {
	rows, err := t.tx.QueryContext(t.ctx, "SELECT "+softwareColumns+" FROM software ORDER BY kind DESC, name COLLATE NOCASE")
	if err != nil {
		return nil, koppel.Internal("list software", err)
	}
	defer rows.Close()
	var out []*koppel.Software
	for rows.Next() {
		s, err := scanSoftware(rows)
		if err != nil {
			return nil, koppel.Internal("list software", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, koppel.Internal("list software", err)
	}
	return out, nil
}

func scanSoftware(sc scanner) (*koppel.Software, error) {
	var s koppel.Software
	var dir, kind string
	if err := sc.Scan(&s.ID, &s.Slug, &s.Name, &dir, &s.ReceivesSales, &s.QuickConnect, &kind, &s.BuiltIn); err != nil {
		return nil, err
	}
	s.Direction, s.Kind = koppel.Direction(dir), koppel.SoftwareKind(kind)
	return &s, nil
}

// quote shortens and quotes user input for a message.
func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return `"` + strings.ToValidUTF8(s, "?") + `"`
}
