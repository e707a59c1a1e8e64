package sqlite

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"koppel/internal/koppel"
)

// AppendAudit links e to the newest event's hash and appends it.
func (t *Tx) AppendAudit(e *koppel.AuditEvent) error {
	prev := make([]byte, sha256.Size) // the genesis event links to zeros
	err := t.tx.QueryRowContext(t.ctx, "SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1").Scan(&prev)
	if err != nil && !isNoRows(err) {
		return koppel.Internal("read the audit trail", err)
	}
	e.PrevHash = prev
	e.OrganizationIDs = slices.Compact(slices.Sorted(slices.Values(e.OrganizationIDs)))
	e.Hash = AuditHash(e)
	res, err := t.exec("write the audit trail",
		`INSERT INTO audit_events (at, actor, action, subject_type, subject_id, detail, phrases, prev_hash, hash)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.At.UTC().UnixMilli(), e.Actor, e.Action, e.SubjectType, e.SubjectID, e.Detail, phrasesJSON(e.Phrases),
		e.PrevHash, e.Hash)
	if err != nil {
		return err
	}
	e.ID, _ = res.LastInsertId()
	for _, org := range e.OrganizationIDs {
		if _, err := t.exec("write the audit trail",
			"INSERT OR IGNORE INTO audit_event_organizations (organization_id, event_id) VALUES (?, ?)", org, e.ID); err != nil {
			return err
		}
	}
	return nil
}

// AuditHash is SHA-256 over the previous hash and every field of e but its
// id and hash, each length-prefixed so no two events encode alike. The
// phrases count only when there are any, so that events written before
// they existed keep their hash.
func AuditHash(e *koppel.AuditEvent) []byte {
	h := sha256.New()
	field := func(b []byte) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	field(e.PrevHash)
	field([]byte(strconv.FormatInt(e.At.UTC().UnixMilli(), 10)))
	field([]byte(e.Actor))
	field([]byte(e.Action))
	field([]byte(e.SubjectType))
	field([]byte(strconv.FormatInt(e.SubjectID, 10)))
	field([]byte(joinIDs(e.OrganizationIDs)))
	field([]byte(e.Detail))
	if len(e.Phrases) > 0 {
		field([]byte(phrasesJSON(e.Phrases)))
	}
	return h.Sum(nil)
}

// decodePhrases reads phrases as phrasesJSON stored them; false when they
// do not decode.
func decodePhrases(s string) ([]koppel.Phrase, bool) {
	if s == "" {
		return nil, true
	}
	var phrases []koppel.Phrase
	if err := json.Unmarshal([]byte(s), &phrases); err != nil {
		return nil, false
	}
	return phrases, true
}

// phrasesJSON encodes phrases as stored and hashed: JSON, its maps' keys
// sorted (encoding/json does); the empty string for none.
func phrasesJSON(phrases []koppel.Phrase) string {
	if len(phrases) == 0 {
		return ""
	}
	b, err := json.Marshal(phrases)
	if err != nil {
		panic(err) // strings only: cannot fail
	}
	return string(b)
}

const auditColumns = `e.id, e.at, e.actor, e.action, e.subject_type, e.subject_id, e.detail, e.phrases, e.prev_hash, e.hash,
	(SELECT group_concat(o.organization_id) FROM audit_event_organizations o WHERE o.event_id = e.id ORDER BY o.organization_id)`

// AuditEvents lists events, newest first.
func (t *Tx) AuditEvents(f koppel.AuditFilter) ([]*koppel.AuditEvent, error) {
	q := "SELECT " + auditColumns + " FROM audit_events e"
	var args []any
	if f.OrganizationID != 0 {
		q += " WHERE e.id IN (SELECT event_id FROM audit_event_organizations WHERE organization_id = ?)"
		args = append(args, f.OrganizationID)
	}
	q += " ORDER BY e.id DESC" + limitClause(f.Limit)
	var out []*koppel.AuditEvent
	err := t.eachAudit(q, args, func(e *koppel.AuditEvent) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// EachAuditEvent calls fn for every event in chain order.
func (t *Tx) EachAuditEvent(fn func(*koppel.AuditEvent) error) error {
	return t.eachAudit("SELECT "+auditColumns+" FROM audit_events e ORDER BY e.id", nil, fn)
}

func (t *Tx) eachAudit(q string, args []any, fn func(*koppel.AuditEvent) error) error {
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return koppel.Internal("read the audit trail", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e koppel.AuditEvent
		var at int64
		var orgs *string
		var phrases string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.SubjectType, &e.SubjectID, &e.Detail, &phrases,
			&e.PrevHash, &e.Hash, &orgs); err != nil {
			return koppel.Internal("read the audit trail", err)
		}
		// Phrases that do not decode (changed by hand) become one the
		// window does not know, so it shows the English detail; the event's
		// hash no longer matches, which the check reports.
		var ok bool
		if e.Phrases, ok = decodePhrases(phrases); !ok {
			e.Phrases = []koppel.Phrase{{Key: "?"}}
		}
		e.At = fromMillis(at)
		if orgs != nil {
			e.OrganizationIDs = splitIDs(*orgs)
		}
		if err := fn(&e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return koppel.Internal("read the audit trail", err)
	}
	return nil
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func splitIDs(s string) []int64 {
	var ids []int64
	for _, f := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}
