package sqlite

import (
	"database/sql"

	"koppel/internal/koppel"
)

const offerColumns = `o.id, o.document_id, o.connection_id, o.state, o.copy, o.offered_at, o.retrieved_at,
	o.withdrawn_at, o.note, o.note_phrases, o.reoffered_from`

// CreateOffer inserts o and sets o.ID.
func (t *Tx) CreateOffer(o *koppel.Offer) error {
	res, err := t.tx.ExecContext(t.ctx,
		`INSERT INTO offers (document_id, connection_id, state, copy, offered_at, retrieved_at, withdrawn_at, note,
			note_phrases, reoffered_from)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.DocumentID, nullID(o.ConnectionID), string(o.State), o.Copy, millis(&o.OfferedAt), millis(o.RetrievedAt),
		millis(o.WithdrawnAt), o.Note, phrasesJSON(o.NotePhrases), nullID(o.ReofferedFrom))
	if isUniqueViolation(err) {
		return koppel.Errorf(koppel.EConflict, "Document %d is already offered to connection %d.", o.DocumentID, o.ConnectionID)
	}
	if err != nil {
		return koppel.Internal("offer the document", err)
	}
	o.ID, _ = res.LastInsertId()
	return nil
}

// UpdateOffer writes o's state, times and note.
func (t *Tx) UpdateOffer(o *koppel.Offer) error {
	return t.execOne("update the offer", "Offer "+itoa(o.ID),
		"UPDATE offers SET state = ?, retrieved_at = ?, withdrawn_at = ?, note = ?, note_phrases = ? WHERE id = ?",
		string(o.State), millis(o.RetrievedAt), millis(o.WithdrawnAt), o.Note, phrasesJSON(o.NotePhrases), o.ID)
}

// Offers returns a document's offers, oldest first.
func (t *Tx) Offers(documentID int64) ([]*koppel.Offer, error) {
	return t.queryOffers(false, "SELECT "+offerColumns+" FROM offers o WHERE o.document_id = ? ORDER BY o.id", documentID)
}

// LiveOffer returns the connection's ready or retrieved offer of the document.
func (t *Tx) LiveOffer(documentID, connectionID int64) (*koppel.Offer, error) {
	list, err := t.queryOffers(false, "SELECT "+offerColumns+` FROM offers o
		WHERE o.document_id = ? AND o.connection_id = ? AND o.state IN ('ready', 'retrieved')`, documentID, connectionID)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, koppel.Errorf(koppel.ENotFound, "Document %d is not offered to this connection.", documentID)
	}
	return list[0], nil
}

// OfferedDocuments returns documents offered to a connection in state,
// oldest offer first.
func (t *Tx) OfferedDocuments(connectionID, organizationID int64, dir koppel.DocumentDirection, state koppel.OfferState, limit int) ([]*koppel.Document, error) {
	return t.queryDocuments("list offered documents", "SELECT "+documentColumns+` FROM offers o
		JOIN documents d ON d.id = o.document_id
		WHERE o.connection_id = ? AND o.state = ? AND d.organization_id = ? AND d.direction = ?
		ORDER BY o.id`+limitClause(limit), connectionID, string(state), organizationID, string(dir))
}

// StrandedOffers returns ready offers of the organization's documents whose
// connection is revoked, deleted or no longer granted the organization.
func (t *Tx) StrandedOffers(organizationID int64) ([]*koppel.Offer, error) {
	return t.queryOffers(true, "SELECT "+offerColumns+", "+documentColumns+` FROM offers o
		JOIN documents d ON d.id = o.document_id
		WHERE d.organization_id = ? AND o.state = 'ready'
		  AND (o.connection_id IS NULL OR o.connection_id NOT IN (SELECT g.connection_id FROM grants g
			JOIN connections c ON c.id = g.connection_id WHERE g.organization_id = ? AND c.status = 'active'))
		ORDER BY o.document_id, o.id`, organizationID, organizationID)
}

// UnofferedDocuments returns documents that were never offered, oldest first.
func (t *Tx) UnofferedDocuments(organizationID int64, dir koppel.DocumentDirection, status koppel.DocumentStatus) ([]*koppel.Document, error) {
	return t.queryDocuments("list documents waiting for a connection", "SELECT "+documentColumns+` FROM documents d
		WHERE d.organization_id = ? AND d.direction = ? AND d.status = ?
		  AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.document_id = d.id)
		ORDER BY d.id`, organizationID, string(dir), string(status))
}

// queryOffers reads offers; withDocument: each row also has documentColumns.
func (t *Tx) queryOffers(withDocument bool, q string, args ...any) ([]*koppel.Offer, error) {
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return nil, koppel.Internal("read offers", err)
	}
	defer rows.Close()
	var out []*koppel.Offer
	for rows.Next() {
		o, err := scanOffer(rows, withDocument)
		if err != nil {
			return nil, koppel.Internal("read offers", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, koppel.Internal("read offers", err)
	}
	return out, nil
}

// scanOffer reads an offer row, followed by its document's columns when
// withDocument is set.
func scanOffer(rows *sql.Rows, withDocument bool) (*koppel.Offer, error) {
	var o koppel.Offer
	var conn, retrieved, withdrawn, from sql.NullInt64
	var state string
	var offered int64
	var phrases string
	dest := []any{&o.ID, &o.DocumentID, &conn, &state, &o.Copy, &offered, &retrieved, &withdrawn, &o.Note, &phrases, &from}
	var d *koppel.Document
	if withDocument {
		var err error
		d, err = scanDocument(scanFunc(func(rest ...any) error { return rows.Scan(append(dest, rest...)...) }))
		if err != nil {
			return nil, err
		}
	} else if err := rows.Scan(dest...); err != nil {
		return nil, err
	}
	o.ConnectionID, o.State, o.ReofferedFrom = conn.Int64, koppel.OfferState(state), from.Int64
	o.OfferedAt = fromMillis(offered)
	o.RetrievedAt, o.WithdrawnAt = fromNullMillis(retrieved), fromNullMillis(withdrawn)
	o.Document = d
	o.NotePhrases, _ = decodePhrases(phrases) // none when they do not decode: the English note shows
	return &o, nil
}

// scanFunc adapts a function to the scanner interface.
type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }
