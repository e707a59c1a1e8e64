package sqlite

import (
	"cmp"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"time"

	"koppel/internal/koppel"
)

const connectionColumns = `c.id, c.app_key, c.status, c.created_at, c.revoked_at, c.revoked_reason,
	c.replaced_by, c.last_used_at, c.revoked_key_attempts, c.last_revoked_attempt_at,
	(SELECT group_concat(g.organization_id) FROM grants g WHERE g.connection_id = c.id),
	s.id, s.slug, s.name, s.direction, s.receives_sales, s.quick_connect, s.kind, s.built_in`

const connectionFrom = " FROM connections c JOIN software s ON s.id = c.software_id"

// nextID is the SQL for a new id of table (connections or hooks): above the
// largest id it holds and above any it ever deleted (migration 0005).
func nextID(table string) string {
	return "(SELECT max(coalesce((SELECT max(id) FROM " + table + "), 0), " +
		"coalesce((SELECT max_id FROM id_high_water WHERE name = '" + table + "'), 0)) + 1)"
}

// CreateConnection inserts c, its grants and its verifier, and sets c.ID.
func (t *Tx) CreateConnection(c *koppel.Connection, verifier []byte) error {
	res, err := t.tx.ExecContext(t.ctx,
		`INSERT INTO connections (id, app_key, software_id, status, verifier, created_at) VALUES (`+nextID("connections")+`, ?, ?, ?, ?, ?)`,
		c.AppKey, c.Software.ID, string(c.Status), verifier, millis(&c.CreatedAt))
	if isUniqueViolation(err) {
		return koppel.Errorf(koppel.EConflict, "The App Key is already in use.")
	}
	if err != nil {
		return koppel.Internal("save the connection", err)
	}
	c.ID, _ = res.LastInsertId()
	for _, org := range c.OrganizationIDs {
		if _, err := t.exec("save the connection's organizations",
			"INSERT INTO grants (connection_id, organization_id) VALUES (?, ?)", c.ID, org); err != nil {
			return err
		}
	}
	return nil
}

// Connection returns the connection with id; pending rows are not found.
func (t *Tx) Connection(id int64) (*koppel.Connection, error) {
	row := t.tx.QueryRowContext(t.ctx, "SELECT "+connectionColumns+connectionFrom+" WHERE c.id = ? AND c.status != 'pending'", id)
	c, err := scanConnection(row)
	if err != nil {
		return nil, notFound(err, "Connection "+itoa(id))
	}
	return c, nil
}

// ConnectionByAppKey returns the connection with appKey.
func (t *Tx) ConnectionByAppKey(appKey string) (*koppel.Connection, error) {
	row := t.tx.QueryRowContext(t.ctx, "SELECT "+connectionColumns+connectionFrom+" WHERE c.app_key = ? AND c.status != 'pending'", appKey)
	c, err := scanConnection(row)
	if err != nil {
		return nil, notFound(err, "A connection with App Key "+quote(appKey))
	}
	return c, nil
}

// Connections lists connections, newest first.
func (t *Tx) Connections(f koppel.ConnectionFilter) ([]*koppel.Connection, error) {
	where := []string{"c.status != 'pending'"}
	var args []any
	if f.OrganizationID != 0 {
		where = append(where, "c.id IN (SELECT connection_id FROM grants WHERE organization_id = ?)")
		args = append(args, f.OrganizationID)
	}
	if f.SoftwareID != 0 {
		where = append(where, "c.software_id = ?")
		args = append(args, f.SoftwareID)
	}
	if f.Status != "" {
		where = append(where, "c.status = ?")
		args = append(args, string(f.Status))
	}
	q := "SELECT " + connectionColumns + connectionFrom + " WHERE " + strings.Join(where, " AND ") +
		" ORDER BY c.created_at DESC, c.id DESC" + limitClause(f.Limit)
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return nil, koppel.Internal("list connections", err)
	}
	defer rows.Close()
	var out []*koppel.Connection
	for rows.Next() {
		c, err := scanConnection(rows)
		if err != nil {
			return nil, koppel.Internal("list connections", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, koppel.Internal("list connections", err)
	}
	return out, nil
}

// listingColumns are a ConnectionListing's columns but its organizations,
// in scanListings' order.
const listingColumns = `id, app_key, software_id, status, created_at,
	coalesce(revoked_at, 0), revoked_reason, coalesce(replaced_by, 0), coalesce(last_used_at, 0),
	revoked_key_attempts, coalesce(last_revoked_attempt_at, 0)`

// newestListings orders listings newest first; equal times, the higher id
// first (ConnectionListings sorts the same way in Go).
const newestListings = " ORDER BY created_at DESC, id DESC"

// ConnectionListings returns every connection but pending ones, newest
// first, without their package's details. Two plain scans (connections,
// then grants in key order) instead of a subquery and a join per row, and
// the sort in Go: SQLite's sorter copies every row's record.
func (t *Tx) ConnectionListings() ([]koppel.ConnectionListing, error) {
	out, err := t.scanListings("SELECT " + listingColumns + " FROM connections WHERE status != 'pending'")
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b koppel.ConnectionListing) int {
		if c := cmp.Compare(b.CreatedAt, a.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	if err := t.addGrants(out, "SELECT connection_id, organization_id FROM grants ORDER BY connection_id, organization_id"); err != nil {
		return nil, err
	}
	return out, nil
}

// NewestConnectionListings returns the first limit of ConnectionListings,
// how many there are and their packages. SQLite counts and picks them
// along the indexes of migration 0006: under a millisecond for ten
// thousand connections, where reading them all takes twenty.
func (t *Tx) NewestConnectionListings(limit int) (koppel.ListingsHead, error) {
	var head koppel.ListingsHead
	newest := "SELECT " + listingColumns + " FROM connections WHERE status != 'pending'" + newestListings +
		" LIMIT " + strconv.Itoa(max(limit, 0))
	var err error
	if head.Newest, err = t.scanListings(newest); err != nil {
		return head, err
	}
	if err := t.addGrants(head.Newest, `SELECT connection_id, organization_id FROM grants
		WHERE connection_id IN (SELECT id FROM (`+newest+`)) ORDER BY connection_id, organization_id`); err != nil {
		return head, err
	}
	if err := t.tx.QueryRowContext(t.ctx, "SELECT count(*) FROM connections WHERE status != 'pending'").Scan(&head.Total); err != nil {
		return head, koppel.Internal("count connections", err)
	}
	rows, err := t.tx.QueryContext(t.ctx, `SELECT s.id FROM software s WHERE EXISTS
		(SELECT 1 FROM connections c WHERE c.software_id = s.id AND c.status != 'pending') ORDER BY s.id`)
	if err != nil {
		return head, koppel.Internal("list connections' packages", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return head, koppel.Internal("list connections' packages", err)
		}
		head.SoftwareIDs = append(head.SoftwareIDs, id)
	}
	if err := rows.Err(); err != nil {
		return head, koppel.Internal("list connections' packages", err)
	}
	return head, nil
}

// scanListings returns the listings query selects (listingColumns), in its
// order, without their organizations.
func (t *Tx) scanListings(query string) ([]koppel.ConnectionListing, error) {
	rows, err := t.tx.QueryContext(t.ctx, query)
	if err != nil {
		return nil, koppel.Internal("list connections", err)
	}
	defer rows.Close()
	var out []koppel.ConnectionListing
	for rows.Next() {
		var c koppel.ConnectionListing
		if err := rows.Scan(&c.ID, &c.AppKey, &c.SoftwareID, &c.Status, &c.CreatedAt, &c.RevokedAt, &c.RevokedReason,
			&c.ReplacedByID, &c.LastUsedAt, &c.RevokedKeyAttempts, &c.LastRevokedKeyAttemptAt); err != nil {
			return nil, koppel.Internal("list connections", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, koppel.Internal("list connections", err)
	}
	return out, nil
}

// addGrants gives each listing in out the organizations query returns for
// it, as (connection id, organization id) rows in that order.
func (t *Tx) addGrants(out []koppel.ConnectionListing, query string) error {
	at := make(map[int64]int, len(out)) // id → index in out
	for i := range out {
		at[out[i].ID] = i
	}
	grants, err := t.tx.QueryContext(t.ctx, query)
	if err != nil {
		return koppel.Internal("list connections", err)
	}
	defer grants.Close()
	for grants.Next() {
		var conn, org int64
		if err := grants.Scan(&conn, &org); err != nil {
			return koppel.Internal("list connections", err)
		}
		if i, ok := at[conn]; ok {
			out[i].OrganizationIDs = append(out[i].OrganizationIDs, org)
		}
	}
	if err := grants.Err(); err != nil {
		return koppel.Internal("list connections", err)
	}
	return nil
}

// Verifier returns the verifier of the connection's Secret.
func (t *Tx) Verifier(id int64) ([]byte, error) {
	var v []byte
	err := t.tx.QueryRowContext(t.ctx, "SELECT verifier FROM connections WHERE id = ? AND verifier IS NOT NULL", id).Scan(&v)
	if err != nil {
		return nil, notFound(err, "Connection "+itoa(id))
	}
	return v, nil
}

// RevokeConnection marks an active connection and its links revoked.
func (t *Tx) RevokeConnection(id int64, at time.Time, reason string, replacedBy int64) error {
	var rb any
	if replacedBy != 0 {
		rb = replacedBy
	}
	err := t.execOne("revoke the connection", "An active connection "+itoa(id),
		`UPDATE connections SET status = 'revoked', revoked_at = ?, revoked_reason = ?, replaced_by = ?
		 WHERE id = ? AND status = 'active'`, millis(&at), reason, rb, id)
	if err != nil {
		return err
	}
	// Its links go with it, and their sealed credentials are wiped.
	_, err = t.exec("revoke the connection's links",
		`UPDATE links SET status = 'revoked', revoked_at = ?, sealed_credential = NULL
		 WHERE connection_id = ? AND status = 'active'`, millis(&at), id)
	return err
}

// DeleteConnection removes the connection row and its grants.
func (t *Tx) DeleteConnection(id int64) error {
	return t.execOne("delete the connection", "Connection "+itoa(id), "DELETE FROM connections WHERE id = ?", id)
}

// TouchConnection records that the connection was used at at.
func (t *Tx) TouchConnection(id int64, at time.Time) error {
	return t.execOne("record the connection's use", "Connection "+itoa(id),
		"UPDATE connections SET last_used_at = ? WHERE id = ?", millis(&at), id)
}

// CountRevokedKeyAttempt counts one attempt to use the revoked connection's keys.
func (t *Tx) CountRevokedKeyAttempt(id int64, at time.Time) error {
	return t.execOne("count the attempt", "Connection "+itoa(id),
		`UPDATE connections SET revoked_key_attempts = revoked_key_attempts + 1, last_revoked_attempt_at = ?
		 WHERE id = ?`, millis(&at), id)
}

// DeletePendingConnections removes rows whose creation never finished.
func (t *Tx) DeletePendingConnections() (int64, error) {
	res, err := t.exec("remove unfinished connections", "DELETE FROM connections WHERE status = 'pending'")
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// BrokenConnections returns active connections that cannot work.
func (t *Tx) BrokenConnections() ([]int64, error) {
	rows, err := t.tx.QueryContext(t.ctx, `
		SELECT c.id FROM connections c WHERE c.status = 'active' AND (c.verifier IS NULL OR length(c.verifier) != 32
			OR NOT EXISTS (SELECT 1 FROM grants g WHERE g.connection_id = c.id))`)
	if err != nil {
		return nil, koppel.Internal("check connections", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, koppel.Internal("check connections", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func scanConnection(sc scanner) (*koppel.Connection, error) {
	var c koppel.Connection
	var status, orgs sql.NullString
	var created int64
	var revoked, lastUsed, lastAttempt, replacedBy sql.NullInt64
	var dir, kind string
	s := &c.Software
	if err := sc.Scan(&c.ID, &c.AppKey, &status, &created, &revoked, &c.RevokedReason,
		&replacedBy, &lastUsed, &c.RevokedKeyAttempts, &lastAttempt, &orgs,
		&s.ID, &s.Slug, &s.Name, &dir, &s.ReceivesSales, &s.QuickConnect, &kind, &s.BuiltIn); err != nil {
		return nil, err
	}
	c.Status = koppel.Status(status.String)
	c.CreatedAt = fromMillis(created)
	c.RevokedAt = fromNullMillis(revoked)
	c.ReplacedByID = replacedBy.Int64
	c.LastUsedAt = fromNullMillis(lastUsed)
	c.LastRevokedKeyAttempt = fromNullMillis(lastAttempt)
	s.Direction, s.Kind = koppel.Direction(dir), koppel.SoftwareKind(kind)
	for _, f := range strings.Split(orgs.String, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			c.OrganizationIDs = append(c.OrganizationIDs, id)
		}
	}
	return &c, nil
}

// RemoveGrant withdraws one organization from a connection and revokes the
// connection's links to that organization's administrations, wiping their
// sealed credentials.
func (t *Tx) RemoveGrant(connectionID, organizationID int64, at time.Time) error {
	err := t.execOne("withdraw the organization", "That organization on connection "+itoa(connectionID),
		"DELETE FROM grants WHERE connection_id = ? AND organization_id = ?", connectionID, organizationID)
	if err != nil {
		return err
	}
	_, err = t.exec("revoke the organization's links",
		`UPDATE links SET status = 'revoked', revoked_at = ?, sealed_credential = NULL
		 WHERE connection_id = ? AND status = 'active'
		 AND administration_id IN (SELECT id FROM administrations WHERE organization_id = ?)`,
		millis(&at), connectionID, organizationID)
	return err
}

// AppKeys maps the App Keys of all connections with status to their ids.
func (t *Tx) AppKeys(status koppel.Status) (map[string]int64, error) {
	rows, err := t.tx.QueryContext(t.ctx, "SELECT app_key, id FROM connections WHERE status = ?", string(status))
	if err != nil {
		return nil, koppel.Internal("list App Keys", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			return nil, koppel.Internal("list App Keys", err)
		}
		out[k] = id
	}
	return out, rows.Err()
}
