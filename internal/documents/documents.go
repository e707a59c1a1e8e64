// Package documents keeps the invoices and credit notes of the organizations:
// it imports UBL files, takes sales invoices from software, offers each
// document to the connections that may receive it (R10, R13), tells
// duplicates (R12), moves what a revoked connection left to the current one
// (Re-offer to API, R11), and keeps the webhooks software registers.
//
// Revoking a connection changes no document: its ready offers stay as they
// were (frozen: a revoked connection cannot fetch them) until they are
// re-offered.
package documents

import (
	"context"
	"fmt"
	"strings"

	"koppel/internal/koppel"
)

// Service is the document service.
type Service struct {
	Store koppel.Store
	Now   koppel.Clock
	Actor string
	// OnOffered, if set, is called after commit for each new ready offer
	// (hooks: InvoiceReceived; re-offers included).
	OnOffered func(o OfferedEvent)
}

// OfferedEvent says a document was made ready for a connection.
type OfferedEvent struct {
	ConnectionID, OrganizationID, DocumentID int64
	PartyID                                  koppel.PartyID // the organization's
	Direction                                koppel.DocumentDirection
}

// OfferView is one ready offer as the API lists it.
type OfferView struct {
	DocumentID    int64
	Number        string
	IssueDate     string
	Supplier      string // the supplier's name
	SupplierParty string
	Direction     koppel.DocumentDirection
}

// DocumentPage is one page of a document list. Next is the cursor of the
// following page (DocumentFilter.After), 0 on the last page.
type DocumentPage struct {
	Documents []*koppel.Document
	Next      int64
}

// Page sizes of List.
const (
	DefaultPageSize = 100
	MaxPageSize     = 500
)

// MaxReadyOffers bounds one ReadyOffers answer; software that retrieves or
// withdraws what it got sees the rest on its next call.
const MaxReadyOffers = 1000

// List returns one page of documents, newest first.
func (s *Service) List(ctx context.Context, f koppel.DocumentFilter) (DocumentPage, error) {
	switch {
	case f.Limit < 0 || f.Limit > MaxPageSize:
		return DocumentPage{}, koppel.Errorf(koppel.EInvalid, "A page has at most %d documents.", MaxPageSize).
			WithKey("document.page_size", "max", fmt.Sprint(MaxPageSize))
	case f.Direction != "" && !f.Direction.Valid():
		return DocumentPage{}, koppel.Errorf(koppel.EInvalid, "The direction must be purchase or sales.").WithKey("document.direction")
	case f.After < 0:
		return DocumentPage{}, koppel.Errorf(koppel.EInvalid, "The page cursor is not valid.").WithKey("document.cursor")
	}
	if f.Status != "" {
		st, ok := koppel.ParseDocumentStatus(string(f.Status))
		if !ok {
			return DocumentPage{}, invalidStatus(string(f.Status))
		}
		f.Status = st
	}
	search, err := koppel.CleanText("search text", f.Search, 200)
	if err != nil {
		return DocumentPage{}, err
	}
	f.Search = search
	if f.Limit == 0 {
		f.Limit = DefaultPageSize
	}
	limit := f.Limit
	f.Limit++ // one more tells whether a next page exists
	var page DocumentPage
	err = s.Store.View(ctx, func(tx koppel.Tx) (err error) {
		page.Documents, err = tx.Documents(f)
		return err
	})
	if err != nil {
		return DocumentPage{}, err
	}
	if len(page.Documents) > limit {
		page.Documents = page.Documents[:limit]
		page.Next = page.Documents[limit-1].ID
	}
	return page, nil
}

func invalidStatus(s string) error {
	names := make([]string, len(koppel.DocumentStatuses))
	for i, st := range koppel.DocumentStatuses {
		names[i] = string(st)
	}
	return koppel.Errorf(koppel.EInvalid, "The status %s is not known; use one of %s.", quoted(s), strings.Join(names, ", ")).
		WithKey("document.status", "value", short(s))
}

// Get returns a document with its status history and offers.
func (s *Service) Get(ctx context.Context, docID int64) (*koppel.Document, []koppel.DocumentStatusEvent, []*koppel.Offer, error) {
	var d *koppel.Document
	var events []koppel.DocumentStatusEvent
	var offers []*koppel.Offer
	err := s.Store.View(ctx, func(tx koppel.Tx) (err error) {
		if d, err = document(tx, docID); err != nil {
			return err
		}
		if events, err = tx.StatusEvents(docID); err != nil {
			return err
		}
		offers, err = tx.Offers(docID)
		return err
	})
	if err != nil {
		return nil, nil, nil, err
	}
	return d, events, offers, nil
}

// Body returns the document's UBL exactly as it was received.
func (s *Service) Body(ctx context.Context, docID int64) ([]byte, error) {
	var b []byte
	err := s.Store.View(ctx, func(tx koppel.Tx) (err error) {
		if _, err = document(tx, docID); err != nil {
			return err
		}
		b, err = tx.DocumentBody(docID)
		return err
	})
	return b, err
}

// document reads a document, with the not-found error keyed.
func document(tx koppel.Tx, id int64) (*koppel.Document, error) {
	d, err := tx.Document(id)
	return d, koppel.Keyed(err, "document.not_found", "id", fmt.Sprint(id))
}

// audit appends an event about a document: the document, then phrases.
func (s *Service) audit(tx koppel.Tx, actor, action string, d *koppel.Document, phrases ...koppel.Phrase) error {
	if actor == "" {
		actor = s.Actor
	}
	e := &koppel.AuditEvent{At: s.Now(), Actor: actor, Action: action, SubjectType: "document",
		SubjectID: d.ID, OrganizationIDs: []int64{d.OrganizationID}}
	return tx.AppendAudit(e.SetDetail(append([]koppel.Phrase{describe(d)}, phrases...)...))
}

// status moves a document to st (when st differs or force is set) and
// records the step in its history.
func (s *Service) status(tx koppel.Tx, d *koppel.Document, st koppel.DocumentStatus, note ...koppel.Phrase) error {
	d.Status = st
	if err := tx.SetDocumentStatus(d.ID, st, d.MarkedOriginal); err != nil {
		return err
	}
	e := &koppel.DocumentStatusEvent{DocumentID: d.ID, At: s.Now(), Status: st}
	e.SetNote(note...)
	return tx.AddStatusEvent(e)
}

// describe names a document for the audit trail.
func describe(d *koppel.Document) koppel.Phrase {
	phrase := "document.invoice"
	if d.Type == koppel.TypeCreditNote {
		phrase = "document.creditNote"
	}
	who := d.SupplierName
	if who == "" {
		who = d.SupplierParty
	}
	return koppel.Say(phrase, "number", short(d.Number), "date", d.IssueDate, "supplier", short(who), "party", d.SupplierParty)
}

// tag names a connection the same in every language, for the audit trail
// and notes: "Yuki #3".
func tag(c *koppel.Connection) string {
	return fmt.Sprintf("%s #%d", c.Software.Name, c.ID)
}

// fire tells OnOffered about new offers; only after they are committed.
func (s *Service) fire(events []OfferedEvent) {
	if s.OnOffered == nil {
		return
	}
	for _, e := range events {
		s.OnOffered(e)
	}
}
