package sqlite

import (
	"database/sql"
	"strings"

	"koppel/internal/koppel"
)

const documentColumns = `d.id, d.organization_id, d.direction, d.type, d.number, d.issue_date,
	d.supplier_party, d.supplier_name, d.customer_party, d.customer_name, d.currency, d.payable_amount,
	d.status, d.external_id, d.source_connection_id, d.file_name, d.sha256, d.size, d.received_at, d.marked_original`

// CreateDocument inserts d and its body and sets d.ID.
func (t *Tx) CreateDocument(d *koppel.Document, body []byte) error {
	var ext, src any
	if d.ExternalID != "" {
		ext = d.ExternalID
	}
	if d.SourceConnectionID != 0 {
		src = d.SourceConnectionID
	}
	res, err := t.tx.ExecContext(t.ctx,
		`INSERT INTO documents (organization_id, direction, type, number, issue_date, supplier_party, supplier_name,
			customer_party, customer_name, currency, payable_amount, status, external_id, source_connection_id,
			file_name, sha256, size, received_at, marked_original)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.OrganizationID, string(d.Direction), string(d.Type), d.Number, d.IssueDate, d.SupplierParty, d.SupplierName,
		d.CustomerParty, d.CustomerName, d.Currency, d.PayableAmount, string(d.Status), ext, src,
		d.FileName, d.SHA256, d.Size, millis(&d.ReceivedAt), d.MarkedOriginal)
	if isUniqueViolation(err) {
		return koppel.Errorf(koppel.EConflict, "A document with id %s was already received for this organization.", quote(d.ExternalID))
	}
	if err != nil {
		return koppel.Internal("save the document", err)
	}
	d.ID, _ = res.LastInsertId()
	_, err = t.exec("save the document", "INSERT INTO document_bodies (document_id, body) VALUES (?, ?)", d.ID, body)
	return err
}

// Document returns the document with id.
func (t *Tx) Document(id int64) (*koppel.Document, error) {
	d, err := scanDocument(t.tx.QueryRowContext(t.ctx, "SELECT "+documentColumns+" FROM documents d WHERE d.id = ?", id))
	if err != nil {
		return nil, notFound(err, "Document "+itoa(id))
	}
	return d, nil
}

// DocumentByExternalID returns the organization's document with the sending
// software's document id.
func (t *Tx) DocumentByExternalID(organizationID int64, externalID string) (*koppel.Document, error) {
	d, err := scanDocument(t.tx.QueryRowContext(t.ctx, "SELECT "+documentColumns+
		" FROM documents d WHERE d.organization_id = ? AND d.external_id = ?", organizationID, externalID))
	if err != nil {
		return nil, notFound(err, "A document with id "+quote(externalID))
	}
	return d, nil
}

// DuplicateOf returns the oldest other document with the same key, or 0.
func (t *Tx) DuplicateOf(organizationID int64, supplierParty, number, issueDate string, exceptID int64) (int64, error) {
	var id int64
	err := t.tx.QueryRowContext(t.ctx, `SELECT id FROM documents
		WHERE organization_id = ? AND supplier_party = ? AND number = ? AND issue_date = ? AND id != ?
		ORDER BY id LIMIT 1`, organizationID, supplierParty, number, issueDate, exceptID).Scan(&id)
	if isNoRows(err) {
		return 0, nil
	}
	if err != nil {
		return 0, koppel.Internal("look for duplicates", err)
	}
	return id, nil
}

// Documents lists documents, newest first, by keyset.
func (t *Tx) Documents(f koppel.DocumentFilter) ([]*koppel.Document, error) {
	var where []string
	var args []any
	if f.OrganizationID != 0 {
		where = append(where, "d.organization_id = ?")
		args = append(args, f.OrganizationID)
	}
	if f.Direction != "" {
		where = append(where, "d.direction = ?")
		args = append(args, string(f.Direction))
	}
	if f.Status != "" {
		where = append(where, "d.status = ?")
		args = append(args, string(f.Status))
	}
	if f.ConnectionID != 0 {
		where = append(where, "EXISTS (SELECT 1 FROM offers o WHERE o.document_id = d.id AND o.connection_id = ?)")
		args = append(args, f.ConnectionID)
	}
	if f.Search != "" {
		p := likePattern(f.Search)
		where = append(where, `(d.number LIKE ? ESCAPE '\' OR d.supplier_name LIKE ? ESCAPE '\' OR d.customer_name LIKE ? ESCAPE '\'
			OR d.supplier_party LIKE ? ESCAPE '\' OR d.customer_party LIKE ? ESCAPE '\')`)
		args = append(args, p, p, p, p, p)
	}
	if f.After > 0 {
		where = append(where, "d.id < ?")
		args = append(args, f.After)
	}
	q := "SELECT " + documentColumns + " FROM documents d"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY d.id DESC" + limitClause(f.Limit)
	return t.queryDocuments("list documents", q, args...)
}

func (t *Tx) queryDocuments(op, q string, args ...any) ([]*koppel.Document, error) {
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return nil, koppel.Internal(op, err)
	}
	defer rows.Close()
	var out []*koppel.Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, koppel.Internal(op, err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, koppel.Internal(op, err)
	}
	return out, nil
}

// DocumentBody returns the document's UBL as it was received.
func (t *Tx) DocumentBody(id int64) ([]byte, error) {
	var b []byte
	err := t.tx.QueryRowContext(t.ctx, "SELECT body FROM document_bodies WHERE document_id = ?", id).Scan(&b)
	if err != nil {
		return nil, notFound(err, "Document "+itoa(id))
	}
	return b, nil
}

// SetDocumentStatus writes a document's status and its marked-original flag.
func (t *Tx) SetDocumentStatus(id int64, status koppel.DocumentStatus, markedOriginal bool) error {
	return t.execOne("save the document's status", "Document "+itoa(id),
		"UPDATE documents SET status = ?, marked_original = ? WHERE id = ?", string(status), markedOriginal, id)
}

// AddStatusEvent appends e to its document's history.
func (t *Tx) AddStatusEvent(e *koppel.DocumentStatusEvent) error {
	res, err := t.exec("save the document's status history",
		"INSERT INTO document_status_events (document_id, at, status, note, phrases) VALUES (?, ?, ?, ?, ?)",
		e.DocumentID, millis(&e.At), string(e.Status), e.Note, phrasesJSON(e.Phrases))
	if err != nil {
		return err
	}
	e.ID, _ = res.LastInsertId()
	return nil
}

// StatusEvents returns a document's history, oldest first.
func (t *Tx) StatusEvents(documentID int64) ([]koppel.DocumentStatusEvent, error) {
	rows, err := t.tx.QueryContext(t.ctx,
		"SELECT id, document_id, at, status, note, phrases FROM document_status_events WHERE document_id = ? ORDER BY id",
		documentID)
	if err != nil {
		return nil, koppel.Internal("read the status history", err)
	}
	defer rows.Close()
	var out []koppel.DocumentStatusEvent
	for rows.Next() {
		var e koppel.DocumentStatusEvent
		var at int64
		var status, phrases string
		if err := rows.Scan(&e.ID, &e.DocumentID, &at, &status, &e.Note, &phrases); err != nil {
			return nil, koppel.Internal("read the status history", err)
		}
		e.At, e.Status = fromMillis(at), koppel.DocumentStatus(status)
		e.Phrases, _ = decodePhrases(phrases) // none when they do not decode: the English note shows
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, koppel.Internal("read the status history", err)
	}
	return out, nil
}

func scanDocument(sc scanner) (*koppel.Document, error) {
	var d koppel.Document
	var dir, typ, status string
	var ext sql.NullString
	var src sql.NullInt64
	var received int64
	if err := sc.Scan(&d.ID, &d.OrganizationID, &dir, &typ, &d.Number, &d.IssueDate,
		&d.SupplierParty, &d.SupplierName, &d.CustomerParty, &d.CustomerName, &d.Currency, &d.PayableAmount,
		&status, &ext, &src, &d.FileName, &d.SHA256, &d.Size, &received, &d.MarkedOriginal); err != nil {
		return nil, err
	}
	d.Direction, d.Type, d.Status = koppel.DocumentDirection(dir), koppel.DocumentType(typ), koppel.DocumentStatus(status)
	d.ExternalID, d.SourceConnectionID = ext.String, src.Int64
	d.ReceivedAt = fromMillis(received)
	return &d, nil
}

// nullID stores 0 as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// nullText stores "" as NULL.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}
