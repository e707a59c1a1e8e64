package documents

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"koppel/internal/koppel"
)

// ReofferResult is what Reoffer did with one document.
type ReofferResult struct {
	DocumentID int64
	// OfferedTo are the connections that got a new ready offer.
	OfferedTo []int64
	// AlreadyOffered are connections that may receive the document and
	// already had it; a second re-offer of a document ends here (re-offering
	// is idempotent).
	AlreadyOffered []int64
	// Withdrawn are the stranded offers (on revoked, deleted or no longer
	// granted connections) that were withdrawn in favour of the new ones.
	Withdrawn []int64
	// Err says why the document could not be re-offered; nil when done.
	Err error
}

// ReofferCandidates lists what the reconnect wizard offers to move for an
// organization (R11): what arrived while the old keys were in use or
// revoked and was not retrieved.
//   - Ready offers on a connection that is revoked, deleted or no longer
//     granted the organization: frozen, waiting to be moved.
//   - Purchase invoices never offered to any connection (Offer.ID 0 and
//     ConnectionID 0): they arrived while no connection could receive them.
//     Those held back only by a link's start date (R13) are left out while
//     an active connection that receives purchase invoices exists: they were
//     not offered on purpose.
//
// Duplicates (R12) are never offered, so they are not candidates until
// marked original. Each offer has its Document; the list is in document
// order.
func (s *Service) ReofferCandidates(ctx context.Context, orgRef string) ([]*koppel.Offer, error) {
	var out []*koppel.Offer
	err := s.Store.View(ctx, func(tx koppel.Tx) error {
		o, err := koppel.FindOrganization(tx, orgRef)
		if err != nil {
			return err
		}
		rs, err := newLookup(tx).receiversOf(o.ID)
		if err != nil {
			return err
		}
		if out, err = tx.StrandedOffers(o.ID); err != nil {
			return err
		}
		waiting, err := tx.UnofferedDocuments(o.ID, koppel.Purchase, koppel.DocValidated)
		if err != nil {
			return err
		}
		receives := slices.ContainsFunc(rs, func(r receiver) bool { return r.conn.Software.Direction.CanReceive() })
		for _, d := range waiting {
			if receives && len(targets(rs, d)) == 0 {
				continue // held back by a start date (R13)
			}
			out = append(out, &koppel.Offer{DocumentID: d.ID, Document: d})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b *koppel.Offer) int {
		if a.DocumentID != b.DocumentID {
			return cmpInt(a.DocumentID, b.DocumentID)
		}
		return cmpInt(a.ID, b.ID)
	})
	return out, nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Reoffer offers each document again (R11), as if it arrived now: to every
// active connection of its organization that may receive it (R10, R13) and
// does not have it yet. Its offers stranded on revoked, deleted or no longer
// granted connections are withdrawn, with a note saying where the document
// went; each new offer records the offer it replaces. A document already
// offered to every connection that may receive it is left as it is, so
// re-offering twice changes nothing the second time. Revoking never moved
// anything: only this does.
//
// Each document gets its result, in order; one that cannot be re-offered
// (not found, a duplicate not marked original, no active connection that
// may receive it) gets an Err that says why and does not stop the others.
// The returned error is for failures of Koppel itself.
func (s *Service) Reoffer(ctx context.Context, docIDs []int64) ([]ReofferResult, error) {
	var ids []int64
	for _, id := range docIDs {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	results := make([]ReofferResult, len(ids))
	for start := 0; start < len(ids); start += batchSize {
		end := min(start+batchSize, len(ids))
		var events []OfferedEvent
		err := s.Store.Update(ctx, func(tx koppel.Tx) error {
			events = events[:0]
			l := newLookup(tx)
			for i := start; i < end; i++ {
				res, evs, err := s.reoffer(tx, l, ids[i])
				if err != nil {
					return err
				}
				results[i] = res
				events = append(events, evs...)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		s.fire(events)
	}
	return results, nil
}

// reoffer re-offers one document inside tx. Refusals go into the result;
// the error is for failures that spoil the transaction.
func (s *Service) reoffer(tx koppel.Tx, l *lookup, id int64) (ReofferResult, []OfferedEvent, error) {
	res := ReofferResult{DocumentID: id}
	d, err := document(tx, id)
	if koppel.ErrorCode(err) == koppel.ENotFound {
		res.Err = err
		return res, nil, nil
	}
	if err != nil {
		return res, nil, err
	}
	if d.Status == koppel.DocDuplicate {
		dup, err := tx.DuplicateOf(d.OrganizationID, d.SupplierParty, d.Number, d.IssueDate, d.ID)
		if err != nil {
			return res, nil, err
		}
		res.Err = koppel.Errorf(koppel.EConflict, "Document %d is a duplicate of document %d; mark it as original first.", d.ID, dup).
			WithKey("document.reoffer_duplicate", "id", fmt.Sprint(d.ID), "original", fmt.Sprint(dup))
		return res, nil, nil
	}
	o, err := tx.Organization(d.OrganizationID)
	if err != nil {
		return res, nil, err
	}
	rs, err := l.receiversOf(o.ID)
	if err != nil {
		return res, nil, err
	}
	eligible := targets(rs, d)
	if len(eligible) == 0 {
		key := "document.reoffer_no_connection"
		if len(rs) > 0 {
			key = "document.reoffer_not_allowed"
		}
		why := koppel.EnglishOf(whyNotPhrases(o, rs, d, "why.noConnection", "why.noneMayReceive"))
		res.Err = koppel.Errorf(koppel.EConflict, "Document %d cannot be re-offered: %s.", d.ID, why).
			WithKey(key, "id", fmt.Sprint(d.ID), "organization", o.Name)
		return res, nil, nil
	}
	offers, err := tx.Offers(d.ID)
	if err != nil {
		return res, nil, err
	}
	active := map[int64]bool{}
	for _, r := range rs {
		active[r.conn.ID] = true
	}
	live := map[int64]bool{}
	var stranded []*koppel.Offer
	for _, of := range offers {
		switch {
		case of.State == koppel.OfferReady && !active[of.ConnectionID]:
			stranded = append(stranded, of)
		case of.Live():
			live[of.ConnectionID] = true
		}
	}
	var fresh []receiver
	for _, r := range eligible {
		if live[r.conn.ID] {
			res.AlreadyOffered = append(res.AlreadyOffered, r.conn.ID)
		} else {
			fresh = append(fresh, r)
		}
	}
	if len(fresh) == 0 && len(stranded) == 0 {
		return res, nil, nil // nothing to move: already where it belongs
	}
	var from int64
	if len(stranded) > 0 {
		from = stranded[0].ID
	}
	var events []OfferedEvent
	for _, r := range fresh {
		ev, err := s.offer(tx, o, d, r, from)
		if err != nil {
			return res, nil, err
		}
		res.OfferedTo = append(res.OfferedTo, r.conn.ID)
		events = append(events, ev)
	}
	where := koppel.Say("document.reoffered", "receivers", tags(fresh))
	if len(fresh) == 0 {
		where = koppel.Say("document.alreadyOffered", "receivers", tags(eligible))
	}
	now := s.Now()
	for _, of := range stranded {
		of.State, of.WithdrawnAt = koppel.OfferWithdrawn, &now
		of.SetNote(where)
		if err := tx.UpdateOffer(of); err != nil {
			return res, nil, err
		}
		res.Withdrawn = append(res.Withdrawn, of.ID)
	}
	if len(fresh) > 0 && d.Direction == koppel.Purchase && d.Status != koppel.DocDelivered {
		if err := s.status(tx, d, koppel.DocRouted, where); err != nil {
			return res, nil, err
		}
	}
	phrases := []koppel.Phrase{where}
	var ids []string
	deleted := false
	for _, of := range stranded {
		if of.ConnectionID == 0 {
			deleted = true
		} else {
			ids = append(ids, strconv.FormatInt(of.ConnectionID, 10))
		}
	}
	if ids = slices.Compact(ids); len(ids) > 0 {
		phrases = append(phrases, koppel.Say("document.withdrawnFrom", "ids", strings.Join(ids, ", ")))
	}
	if deleted {
		phrases = append(phrases, koppel.Say("document.withdrawnDeleted"))
	}
	return res, events, s.audit(tx, "", "document.reoffer", d, phrases...)
}

// MarkOriginal marks a Duplicate as an original (R12): its status goes back
// to Validated, and it can then be re-offered. It does not offer it.
func (s *Service) MarkOriginal(ctx context.Context, docID int64) error {
	return s.Store.Update(ctx, func(tx koppel.Tx) error {
		d, err := document(tx, docID)
		if err != nil {
			return err
		}
		if d.Status != koppel.DocDuplicate {
			return koppel.Errorf(koppel.EConflict, "Document %d is not a duplicate (its status is %s).", d.ID, d.Status).
				WithKey("document.not_duplicate", "id", fmt.Sprint(d.ID), "status", string(d.Status))
		}
		d.MarkedOriginal = true
		if err := s.status(tx, d, koppel.DocValidated, koppel.Say("note.markedOriginal")); err != nil {
			return err
		}
		return s.audit(tx, "", "document.mark-original", d)
	})
}
