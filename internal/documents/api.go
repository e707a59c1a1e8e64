package documents

import (
	"context"
	"fmt"
	"slices"

	"koppel/internal/koppel"
)

// The methods in this file serve the local API. connID is the authenticated
// connection and orgID one of its organizations; the API checks grants and
// the package's direction first (R9, R10), and these methods check again:
// a connection that is not active, or not granted orgID, is refused
// (EForbidden), and a document not offered to it is not found (ENotFound),
// whether it exists or not.

// apiConnection returns the active connection connID granted orgID.
func apiConnection(tx koppel.Tx, connID, orgID int64) (*koppel.Connection, error) {
	c, err := tx.Connection(connID)
	switch {
	case koppel.ErrorCode(err) == koppel.ENotFound:
		return nil, koppel.Errorf(koppel.EForbidden, "The connection does not exist.").WithKey("document.api_no_connection")
	case err != nil:
		return nil, err
	case !c.Active():
		// R4: a revoked connection's offers are frozen.
		return nil, koppel.Errorf(koppel.EForbidden, "These keys were revoked; create new connection keys.").WithKey("document.api_revoked")
	case !slices.Contains(c.OrganizationIDs, orgID):
		return nil, koppel.Errorf(koppel.EForbidden, "This connection is not granted that organization.").WithKey("document.api_not_granted")
	}
	return c, nil
}

// apiActor names a connection in the audit trail.
func apiActor(c *koppel.Connection) string {
	return fmt.Sprintf("%s via %s (api)", c.Software.Name, c.AppKey)
}

func notOffered(docID int64) error {
	return koppel.Errorf(koppel.ENotFound, "Document %d is not offered to this connection.", docID).
		WithKey("document.not_offered", "id", fmt.Sprint(docID))
}

// offeredDocument returns the document of orgID with the connection's live
// offer of it.
func offeredDocument(tx koppel.Tx, connID, orgID, docID int64) (*koppel.Document, *koppel.Offer, error) {
	d, err := tx.Document(docID)
	if koppel.ErrorCode(err) == koppel.ENotFound || (err == nil && d.OrganizationID != orgID) {
		return nil, nil, notOffered(docID)
	}
	if err != nil {
		return nil, nil, err
	}
	o, err := tx.LiveOffer(docID, connID)
	if koppel.ErrorCode(err) == koppel.ENotFound {
		return nil, nil, notOffered(docID)
	}
	return d, o, err
}

// ReadyOffers lists what the connection may retrieve for the organization in
// direction dir (sales: copies of sales invoices), oldest first, at most
// MaxReadyOffers.
func (s *Service) ReadyOffers(ctx context.Context, connID, orgID int64, dir koppel.DocumentDirection) ([]OfferView, error) {
	if !dir.Valid() {
		return nil, koppel.Errorf(koppel.EInvalid, "The direction must be purchase or sales.").WithKey("document.direction")
	}
	var docs []*koppel.Document
	err := s.Store.View(ctx, func(tx koppel.Tx) (err error) {
		if _, err = apiConnection(tx, connID, orgID); err != nil {
			return err
		}
		docs, err = tx.OfferedDocuments(connID, orgID, dir, koppel.OfferReady, MaxReadyOffers)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]OfferView, len(docs))
	for i, d := range docs {
		out[i] = OfferView{DocumentID: d.ID, Number: d.Number, IssueDate: d.IssueDate, Supplier: d.SupplierName,
			SupplierParty: d.SupplierParty, Direction: d.Direction}
	}
	return out, nil
}

// Download returns the UBL of a document offered to the connection and marks
// the offer retrieved; the first retrieval of a purchase invoice makes it
// Delivered. A retrieved offer can be downloaded again.
func (s *Service) Download(ctx context.Context, connID, orgID, docID int64) ([]byte, *koppel.Document, error) {
	var body []byte
	var d *koppel.Document
	var ready bool
	err := s.Store.View(ctx, func(tx koppel.Tx) error {
		if _, err := apiConnection(tx, connID, orgID); err != nil {
			return err
		}
		var o *koppel.Offer
		var err error
		if d, o, err = offeredDocument(tx, connID, orgID, docID); err != nil {
			return err
		}
		if ready = o.State == koppel.OfferReady; ready {
			return nil
		}
		body, err = tx.DocumentBody(docID)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if !ready {
		return body, d, nil
	}
	// First retrieval: mark it, in a write transaction that checks again.
	err = s.Store.Update(ctx, func(tx koppel.Tx) error {
		c, err := apiConnection(tx, connID, orgID)
		if err != nil {
			return err
		}
		var o *koppel.Offer
		if d, o, err = offeredDocument(tx, connID, orgID, docID); err != nil {
			return err
		}
		if body, err = tx.DocumentBody(docID); err != nil || o.State != koppel.OfferReady {
			return err
		}
		now := s.Now()
		o.State, o.RetrievedAt = koppel.OfferRetrieved, &now
		if err := tx.UpdateOffer(o); err != nil {
			return err
		}
		if d.Direction == koppel.Purchase && d.Status != koppel.DocDelivered {
			if err := s.status(tx, d, koppel.DocDelivered, koppel.Say("document.retrievedBy", "receiver", tag(c))); err != nil {
				return err
			}
		}
		return s.audit(tx, apiActor(c), "offer.retrieve", d, koppel.Say("document.retrievedBy", "receiver", tag(c)))
	})
	if err != nil {
		return nil, nil, err
	}
	return body, d, nil
}

// Withdraw withdraws the connection's offer of a document (DELETE
// …/purchaseInvoice/{id}): it is no longer listed or downloadable. The
// document and its status stay.
func (s *Service) Withdraw(ctx context.Context, connID, orgID, docID int64) error {
	return s.Store.Update(ctx, func(tx koppel.Tx) error {
		c, err := apiConnection(tx, connID, orgID)
		if err != nil {
			return err
		}
		d, o, err := offeredDocument(tx, connID, orgID, docID)
		if err != nil {
			return err
		}
		now := s.Now()
		o.State, o.WithdrawnAt = koppel.OfferWithdrawn, &now
		o.SetNote(koppel.Say("note.withdrawnBySoftware"))
		if err := tx.UpdateOffer(o); err != nil {
			return err
		}
		return s.audit(tx, apiActor(c), "offer.withdraw", d, koppel.Say("document.withdrawnBy", "receiver", tag(c)))
	})
}

// History returns the status history of a document offered to the
// connection (in any state) or sent by it, oldest first.
func (s *Service) History(ctx context.Context, connID, orgID, docID int64) ([]koppel.DocumentStatusEvent, error) {
	var events []koppel.DocumentStatusEvent
	err := s.Store.View(ctx, func(tx koppel.Tx) error {
		if _, err := apiConnection(tx, connID, orgID); err != nil {
			return err
		}
		d, err := tx.Document(docID)
		if koppel.ErrorCode(err) == koppel.ENotFound || (err == nil && d.OrganizationID != orgID) {
			return notOffered(docID)
		}
		if err != nil {
			return err
		}
		if d.SourceConnectionID != connID {
			offers, err := tx.Offers(docID)
			if err != nil {
				return err
			}
			if !slices.ContainsFunc(offers, func(o *koppel.Offer) bool { return o.ConnectionID == connID }) {
				return notOffered(docID)
			}
		}
		events, err = tx.StatusEvents(docID)
		return err
	})
	return events, err
}

// SendSales stores a sales invoice that software sends (salesInvoice/send).
// The body is validated as Import does. The organization must be the
// invoice's supplier: one of its party ID, KvK number (0106) or Dutch VAT
// number (9944) must be among the supplier's identifiers, else EForbidden —
// a connection sends only its own organization's invoices. externalID is the
// X-EConnect-DocumentId header; when set and already seen for this
// organization the answer is EConflict (409), with the earlier document's id
// in the error's "documentId" parameter. Copies go to connections that
// process sales invoices (R10).
func (s *Service) SendSales(ctx context.Context, connID, orgID int64, externalID string, body []byte) (*koppel.Document, error) {
	ext, err := koppel.CleanText("document id (X-EConnect-DocumentId)", externalID, 200)
	if err != nil {
		return nil, err
	}
	if len(body) > MaxSize {
		return nil, tooLarge()
	}
	u, err := parseUBL(body)
	if err != nil {
		return nil, err
	}
	var d *koppel.Document
	var events []OfferedEvent
	err = s.Store.Update(ctx, func(tx koppel.Tx) error {
		c, err := apiConnection(tx, connID, orgID)
		if err != nil {
			return err
		}
		if !c.Software.Direction.CanSend() {
			return koppel.Errorf(koppel.EForbidden, "%s only receives invoices; its keys cannot send.", c.Software.Name).
				WithKey("document.api_cannot_send", "software", c.Software.Name)
		}
		o, err := tx.Organization(orgID)
		if err != nil {
			return err
		}
		if ext != "" {
			prev, err := tx.DocumentByExternalID(orgID, ext)
			if err == nil {
				return koppel.Errorf(koppel.EConflict, "Document id %s was already received as document %d.", quoted(ext), prev.ID).
					WithKey("document.external_id_taken", "externalId", short(ext), "documentId", fmt.Sprint(prev.ID))
			}
			if koppel.ErrorCode(err) != koppel.ENotFound {
				return err
			}
		}
		if !is(u.Supplier, o) {
			return koppel.Errorf(koppel.EForbidden, "The invoice's supplier %s is not %s (%s); a connection sends only its own organization's invoices.",
				u.Supplier.ID(), o.Name, o.PartyID).
				WithKey("document.api_not_supplier", "party", u.Supplier.ID(), "organization", o.Name)
		}
		if o.EndedAt != nil {
			return koppel.Errorf(koppel.EConflict, "The partnership with %s has ended; Koppel takes no new invoices for it.", o.Name).
				WithKey("document.partnership_ended", "organization", o.Name)
		}
		d = newDocument(u, o, koppel.Sales, body)
		d.ExternalID, d.SourceConnectionID = ext, c.ID
		events, err = s.receive(tx, newLookup(tx), o, d, body, apiActor(c), koppel.Say("note.sentBy", "receiver", tag(c)))
		return err
	})
	if err != nil {
		return nil, err
	}
	s.fire(events)
	return d, nil
}
