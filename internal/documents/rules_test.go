package documents_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"koppel/internal/documents"
	"koppel/internal/koppel"
)

// TestRule_R10_PurchaseOffersFollowThePackage: a purchase invoice is offered
// to every active connection of the organization whose package receives
// invoices, and to no other; send-only keys cannot fetch, receive-only keys
// cannot send.
func TestRule_R10_PurchaseOffersFollowThePackage(t *testing.T) {
	w := newWorld(t)
	o := w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	other := w.org("Groente Pieters", "NL:KVK:23456789")
	yuki := w.create("NL:KVK:12345678", "yuki")
	radar := w.create("NL:KVK:12345678", "radar")
	multivers := w.create("NL:KVK:12345678", "exact-multivers")
	w.create("NL:KVK:23456789", "basecone") // another organization's

	d := w.importInv("", inv{Number: "MOL-1"})
	if d.OrganizationID != o.ID || d.Direction != koppel.Purchase || d.Status != koppel.DocRouted {
		t.Fatalf("imported = organization %d, %s, %s; want %d, purchase, Routed", d.OrganizationID, d.Direction, d.Status, o.ID)
	}
	offers := w.offers(d.ID)
	if len(offers) != 2 || offers[yuki.ID] == nil || offers[multivers.ID] == nil {
		t.Fatalf("offered to %v, want Yuki %d and Exact Multivers %d only", keysOf(offers), yuki.ID, multivers.ID)
	}
	for _, of := range offers {
		if of.State != koppel.OfferReady || of.Copy {
			t.Errorf("offer %+v, want a ready original", of)
		}
	}
	_, events := w.doc(d.ID)
	if got := statuses(events); got != "Pending → Validated → Routed" {
		t.Errorf("history %s", got)
	}
	if !strings.Contains(events[2].Note, "Yuki #1") || !strings.Contains(events[2].Note, "Exact Multivers #3") {
		t.Errorf("Routed note %q does not name the connections", events[2].Note)
	}
	got := w.takeOffered()
	want := []documents.OfferedEvent{
		{ConnectionID: yuki.ID, OrganizationID: o.ID, DocumentID: d.ID, PartyID: o.PartyID, Direction: koppel.Purchase},
		{ConnectionID: multivers.ID, OrganizationID: o.ID, DocumentID: d.ID, PartyID: o.PartyID, Direction: koppel.Purchase},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("OnOffered got %v, want %v", got, want)
	}
	if r := w.ready(radar, o.ID, koppel.Purchase); len(r) != 0 {
		t.Errorf("send-only Radar has ready offers %v", r)
	}
	if r := w.ready(yuki, o.ID, koppel.Purchase); !slices.Equal(r, []string{"MOL-1"}) {
		t.Errorf("Yuki ready = %v", r)
	}
	_, _, err := w.docs.Download(w.ctx, radar.ID, o.ID, d.ID)
	wantCode(t, err, koppel.ENotFound)

	// Sending: Radar may, receive-only Yuki may not.
	sale := ubl(inv{Number: "VK-1", Supplier: "0106:12345678", SupName: "Bakkerij Jansen BV", Customer: "0106:23456789", CusName: "Groente Pieters"})
	if _, err := w.docs.SendSales(w.ctx, radar.ID, o.ID, "r-1", sale); err != nil {
		t.Fatal(err)
	}
	_, err = w.docs.SendSales(w.ctx, yuki.ID, o.ID, "y-1", sale)
	wantCode(t, err, koppel.EForbidden)
	wantKey(t, err, "document.api_cannot_send")
	_ = other
}

// TestRule_R10_SalesCopiesOnlyWithProcessSales: a sales invoice is copied
// only to connections whose package receives sales invoices and whose active
// link has "process sales invoices" on — never back to its sender.
func TestRule_R10_SalesCopiesOnlyWithProcessSales(t *testing.T) {
	w := newWorld(t)
	o := w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	w.org("Groente Pieters", "NL:KVK:23456789")
	radar := w.create("NL:KVK:12345678", "radar")               // sends
	yuki := w.create("NL:KVK:12345678", "yuki")                 // receives sales, but no link
	basecone := w.create("NL:KVK:12345678", "basecone")         // link with sales off
	whitevision := w.create("NL:KVK:12345678", "whitevision")   // link with sales on
	multivers := w.create("NL:KVK:12345678", "exact-multivers") // link with sales on, package cannot
	w.link(basecone, o, "", false)
	w.link(whitevision, o, "", true)
	w.link(multivers, o, "", true)

	sale := inv{Number: "VK-2026-001", Supplier: "0106:12345678", SupName: "Bakkerij Jansen BV", Customer: "0106:23456789", CusName: "Groente Pieters"}
	d, err := w.docs.SendSales(w.ctx, radar.ID, o.ID, "radar-0001", ubl(sale))
	if err != nil {
		t.Fatal(err)
	}
	if d.Direction != koppel.Sales || d.Status != koppel.DocValidated || d.SourceConnectionID != radar.ID || d.ExternalID != "radar-0001" {
		t.Fatalf("sent = %s, %s, from %d, id %q", d.Direction, d.Status, d.SourceConnectionID, d.ExternalID)
	}
	offers := w.offers(d.ID)
	if len(offers) != 1 || offers[whitevision.ID] == nil || !offers[whitevision.ID].Copy {
		t.Fatalf("sales copies went to %v, want only WhiteVision %d, as a copy", keysOf(offers), whitevision.ID)
	}
	if r := w.ready(whitevision, o.ID, koppel.Sales); !slices.Equal(r, []string{"VK-2026-001"}) {
		t.Errorf("WhiteVision sales offers %v", r)
	}
	if r := w.ready(whitevision, o.ID, koppel.Purchase); len(r) != 0 {
		t.Errorf("a sales copy is listed as a purchase invoice: %v", r)
	}
	for _, c := range []*koppel.Connection{yuki, basecone, multivers} {
		if r := w.ready(c, o.ID, koppel.Sales); len(r) != 0 {
			t.Errorf("%s got a sales copy", c.Software.Name)
		}
	}
	_, events := w.doc(d.ID)
	if statuses(events) != "Pending → Validated" || !strings.Contains(events[0].Note, "sent by Radar") {
		t.Errorf("sales history %s, first note %q", statuses(events), events[0].Note)
	}
	// The sender sees its invoice's history, others see nothing.
	if h, err := w.docs.History(w.ctx, radar.ID, o.ID, d.ID); err != nil || len(h) != 2 {
		t.Errorf("sender's history: %d events, %v", len(h), err)
	}
	_, err = w.docs.History(w.ctx, yuki.ID, o.ID, d.ID)
	wantCode(t, err, koppel.ENotFound)

	// The same X-EConnect-DocumentId again: 409, naming the first document.
	_, err = w.docs.SendSales(w.ctx, radar.ID, o.ID, "radar-0001", ubl(inv{Number: "VK-2026-002", Supplier: "0106:12345678", Customer: "0106:23456789"}))
	wantCode(t, err, koppel.EConflict)
	if _, p := koppel.ErrorKey(err); p["documentId"] != fmt.Sprint(d.ID) {
		t.Errorf("conflict parameters %v, want documentId %d", p, d.ID)
	}
	// Another organization's invoice cannot be sent through these keys.
	_, err = w.docs.SendSales(w.ctx, radar.ID, o.ID, "radar-0002", ubl(inv{Number: "X-1", Supplier: "0106:23456789", Customer: "0106:12345678"}))
	wantCode(t, err, koppel.EForbidden)
	wantKey(t, err, "document.api_not_supplier")
	// A body that is not an invoice is refused like an import.
	_, err = w.docs.SendSales(w.ctx, radar.ID, o.ID, "radar-0003", []byte(`<!DOCTYPE x [<!ENTITY a "b">]><x/>`))
	wantCode(t, err, koppel.EInvalid)
	wantKey(t, err, "document.doctype")

	// A sales invoice imported from a file follows the same rule: the
	// organization named is its supplier, so it is a sales invoice. (Not
	// named, the invoice would go to its customer, also an organization here,
	// as a purchase invoice.)
	imported := w.importInv("NL:KVK:12345678", inv{Number: "VK-2026-010", Supplier: "0106:12345678", SupName: "Bakkerij Jansen BV", Customer: "0106:23456789"})
	if imported.Direction != koppel.Sales || imported.OrganizationID != o.ID {
		t.Fatalf("imported sales invoice = %s of organization %d", imported.Direction, imported.OrganizationID)
	}
	if offers := w.offers(imported.ID); len(offers) != 1 || offers[whitevision.ID] == nil {
		t.Errorf("imported sales invoice copied to %v", keysOf(offers))
	}
}

// TestRule_R11_RevokeNeverChangesDocuments walks the reconnect journey:
// revoking changes no document, status or offer; what arrives afterwards is
// not offered to the revoked keys; the wizard lists what arrived while the
// old keys were in use or revoked; Re-offer moves it to the new keys, once.
func TestRule_R11_RevokeNeverChangesDocuments(t *testing.T) {
	w := newWorld(t)
	o := w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	old := w.create("NL:KVK:12345678", "yuki")
	d1 := w.importInv("", inv{Number: "A-1"})
	d2 := w.importInv("", inv{Number: "A-2"})
	d3 := w.importInv("", inv{Number: "A-3"})
	if _, _, err := w.docs.Download(w.ctx, old.ID, o.ID, d1.ID); err != nil {
		t.Fatal(err)
	}
	w.takeOffered()

	before := w.snapshot(d1.ID, d2.ID, d3.ID)
	w.tick(time.Hour)
	w.revoke(old)
	if after := w.snapshot(d1.ID, d2.ID, d3.ID); after != before {
		t.Fatalf("revoking changed documents:\nbefore %s\nafter  %s", before, after)
	}

	// Frozen: the revoked keys fetch nothing (R4), and get nothing new.
	_, err := w.docs.ReadyOffers(w.ctx, old.ID, o.ID, koppel.Purchase)
	wantCode(t, err, koppel.EForbidden)
	w.tick(time.Hour)
	d4 := w.importInv("", inv{Number: "A-4"})
	if d4.Status != koppel.DocValidated || len(w.offers(d4.ID)) != 0 {
		t.Fatalf("a document after the revoke: %s, offers %v", d4.Status, keysOf(w.offers(d4.ID)))
	}
	_, events := w.doc(d4.ID)
	if !strings.Contains(events[len(events)-1].Note, "no active connection") {
		t.Errorf("waiting note %q", events[len(events)-1].Note)
	}

	// Reconnect: new keys. What arrives from now on goes to them directly.
	w.tick(time.Hour)
	fresh, _, err := w.conns.Replace(w.ctx, old.AppKey, koppel.ReasonLost)
	if err != nil {
		t.Fatal(err)
	}
	neu := fresh.Connection
	d5 := w.importInv("", inv{Number: "A-5"})
	if offers := w.offers(d5.ID); len(offers) != 1 || offers[neu.ID] == nil {
		t.Fatalf("a document after reconnecting went to %v", keysOf(offers))
	}
	w.takeOffered()

	// The wizard lists the two ready on the old keys and the one that
	// arrived in between — not the retrieved one, not the one offered anew.
	cands, err := w.docs.ReofferCandidates(w.ctx, "0106:12345678")
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, c := range cands {
		listed = append(listed, fmt.Sprintf("%s@%d", c.Document.Number, c.ConnectionID))
	}
	if want := []string{"A-2@" + fmt.Sprint(old.ID), "A-3@" + fmt.Sprint(old.ID), "A-4@0"}; !slices.Equal(listed, want) {
		t.Fatalf("candidates %v, want %v", listed, want)
	}
	auditBefore := w.auditCount()

	results, err := w.docs.Reoffer(w.ctx, []int64{d2.ID, d3.ID, d4.ID, d2.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 3 {
		t.Fatalf("%d results for 3 documents", len(results))
	}
	for _, r := range results {
		if r.Err != nil || fmt.Sprint(r.OfferedTo) != ids(neu) {
			t.Errorf("re-offer of %d: offered to %v, %v", r.DocumentID, r.OfferedTo, r.Err)
		}
	}
	if r := w.ready(neu, o.ID, koppel.Purchase); !slices.Equal(r, []string{"A-5", "A-2", "A-3", "A-4"}) {
		t.Errorf("the new keys' ready offers: %v", r)
	}
	for _, id := range []int64{d2.ID, d3.ID} {
		offers := w.offers(id)
		was, now := offers[old.ID], offers[neu.ID]
		if was.State != koppel.OfferWithdrawn || !strings.Contains(was.Note, "re-offered to Yuki #"+fmt.Sprint(neu.ID)) {
			t.Errorf("old offer of %d: %s, %q", id, was.State, was.Note)
		}
		if now.ReofferedFrom != was.ID || now.State != koppel.OfferReady {
			t.Errorf("new offer of %d: from %d (want %d), %s", id, now.ReofferedFrom, was.ID, now.State)
		}
	}
	if d, events := w.doc(d4.ID); d.Status != koppel.DocRouted || statuses(events) != "Pending → Validated → Routed" {
		t.Errorf("the waiting document after re-offer: %s, %s", d.Status, statuses(events))
	}
	if ev := w.takeOffered(); len(ev) != 3 || ev[0].ConnectionID != neu.ID {
		t.Errorf("OnOffered after re-offer: %v", ev)
	}
	if n := w.auditCount() - auditBefore; n != 3 {
		t.Errorf("re-offer wrote %d audit events, want 3", n)
	}

	// Idempotent: again changes nothing.
	results, err = w.docs.Reoffer(w.ctx, []int64{d2.ID, d3.ID, d4.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Err != nil || len(r.OfferedTo) != 0 || fmt.Sprint(r.AlreadyOffered) != ids(neu) {
			t.Errorf("second re-offer of %d: %+v", r.DocumentID, r)
		}
	}
	if n := w.auditCount() - auditBefore; n != 3 {
		t.Errorf("a second re-offer wrote audit events (%d in all)", n)
	}
	if len(w.takeOffered()) != 0 {
		t.Error("a second re-offer fired OnOffered")
	}
	if cands, _ := w.docs.ReofferCandidates(w.ctx, fmt.Sprint(o.ID)); len(cands) != 0 {
		t.Errorf("candidates after re-offer: %d", len(cands))
	}
	body, d, err := w.docs.Download(w.ctx, neu.ID, o.ID, d2.ID)
	if err != nil || !bytes.Contains(body, []byte("<cbc:ID>A-2</cbc:ID>")) || d.Status != koppel.DocDelivered {
		t.Fatalf("download with the new keys: %v, %s", err, d.Status)
	}
	if v, err := w.audit.Verify(w.ctx); err != nil || !v.OK() {
		t.Fatalf("audit verify: %+v, %v", v, err)
	}
}

// TestRule_R11_ReofferSaysWhyNot: a document that cannot be re-offered gets
// its own reason; the others of the batch go on.
func TestRule_R11_ReofferSaysWhyNot(t *testing.T) {
	w := newWorld(t)
	o := w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	c := w.create("NL:KVK:12345678", "yuki")
	d := w.importInv("", inv{Number: "B-1"})
	dup := w.importInv("", inv{Number: "B-1"})
	w.revoke(c)

	results, err := w.docs.Reoffer(w.ctx, []int64{d.ID, 999, dup.ID})
	if err != nil {
		t.Fatal(err)
	}
	wantKey(t, results[0].Err, "document.reoffer_no_connection")
	if m := koppel.ErrorMessage(results[0].Err); !strings.Contains(m, "Bakkerij Jansen BV has no active connection; create new keys first") {
		t.Errorf("message %q", m)
	}
	wantCode(t, results[1].Err, koppel.ENotFound)
	wantKey(t, results[2].Err, "document.reoffer_duplicate")
	if m := koppel.ErrorMessage(results[2].Err); !strings.Contains(m, fmt.Sprintf("duplicate of document %d; mark it as original first", d.ID)) {
		t.Errorf("message %q", m)
	}

	// Only a send-only package is active: it may not receive.
	w.create("NL:KVK:12345678", "radar")
	results, _ = w.docs.Reoffer(w.ctx, []int64{d.ID})
	wantKey(t, results[0].Err, "document.reoffer_not_allowed")
	if m := koppel.ErrorMessage(results[0].Err); !strings.Contains(m, "Radar only sends invoices") {
		t.Errorf("message %q", m)
	}
	// Still frozen where it was: nothing moved.
	if of := w.offers(d.ID)[c.ID]; of.State != koppel.OfferReady {
		t.Errorf("the stranded offer is %s", of.State)
	}
	_ = o
}

// TestRule_R11_DeletedConnectionLeavesItsOffers: deleting a revoked
// connection (R5) keeps its documents and offers; its ready offers stay
// candidates and can be re-offered.
func TestRule_R11_DeletedConnectionLeavesItsOffers(t *testing.T) {
	w := newWorld(t)
	o := w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	c := w.create("NL:KVK:12345678", "basecone")
	w.link(c, o, "", false)
	d := w.importInv("", inv{Number: "C-1"})
	before := w.snapshot(d.ID)
	w.revoke(c)
	if _, err := w.conns.Delete(w.ctx, c.AppKey); err != nil {
		t.Fatal(err)
	}
	after := w.snapshot(d.ID)
	if strings.Replace(before, fmt.Sprintf(`"ConnectionID":%d`, c.ID), `"ConnectionID":0`, 1) != after {
		t.Fatalf("deleting the connection changed more than the offer's connection:\nbefore %s\nafter  %s", before, after)
	}
	cands, err := w.docs.ReofferCandidates(w.ctx, "NL:KVK:12345678")
	if err != nil || len(cands) != 1 || cands[0].ConnectionID != 0 || cands[0].ID == 0 {
		t.Fatalf("candidates after delete: %v, %v", cands, err)
	}
	neu := w.create("NL:KVK:12345678", "basecone")
	res, err := w.docs.Reoffer(w.ctx, []int64{d.ID})
	if err != nil || res[0].Err != nil || fmt.Sprint(res[0].OfferedTo) != ids(neu) {
		t.Fatalf("re-offer: %+v, %v", res, err)
	}
	events, _ := w.audit.List(w.ctx, "", 1)
	if events[0].Action != "document.reoffer" || !strings.Contains(events[0].Detail, "withdrawn from a deleted connection") {
		t.Errorf("audit %s: %s", events[0].Action, events[0].Detail)
	}
}

// TestRule_R12_Duplicates: same supplier party, number and issue date within
// an organization → Duplicate, not offered, re-offerable only after "Mark as
// original".
func TestRule_R12_Duplicates(t *testing.T) {
	w := newWorld(t)
	o := w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	w.org("Groente Pieters", "NL:KVK:23456789")
	c := w.create("NL:KVK:12345678", "yuki")
	first := w.importInv("", inv{Number: "D-1"})
	w.takeOffered()

	// The same supplier, number and date, also written in another notation.
	dup := w.importInv("", inv{Number: "D-1", Supplier: "NL:KVK:87654321", Amount: "999.00"})
	if dup.Status != koppel.DocDuplicate || len(w.offers(dup.ID)) != 0 || len(w.takeOffered()) != 0 {
		t.Fatalf("duplicate: %s, offers %v", dup.Status, keysOf(w.offers(dup.ID)))
	}
	_, events := w.doc(dup.ID)
	if statuses(events) != "Pending → Duplicate" || !strings.Contains(events[1].Note, fmt.Sprintf("as document %d", first.ID)) {
		t.Errorf("duplicate history %s, %q", statuses(events), events[1].Note)
	}
	// Not duplicates: another date, another supplier, another organization.
	for _, i := range []inv{
		{Number: "D-1", Date: "2026-03-03"},
		{Number: "D-1", Supplier: "0106:11112222"},
		{Number: "D-1", Customer: "0106:23456789"},
	} {
		if d := w.importInv("", i); d.Status == koppel.DocDuplicate {
			t.Errorf("%+v was taken for a duplicate", i)
		}
	}
	if r := w.ready(c, o.ID, koppel.Purchase); slices.Index(r, "D-1") != 0 || len(r) != 3 {
		t.Errorf("ready: %v", r)
	}
	cands, _ := w.docs.ReofferCandidates(w.ctx, fmt.Sprint(o.ID))
	if len(cands) != 0 {
		t.Errorf("a duplicate is a re-offer candidate: %v", cands)
	}
	res, _ := w.docs.Reoffer(w.ctx, []int64{dup.ID})
	wantKey(t, res[0].Err, "document.reoffer_duplicate")

	if err := w.docs.MarkOriginal(w.ctx, dup.ID); err != nil {
		t.Fatal(err)
	}
	d, events := w.doc(dup.ID)
	if d.Status != koppel.DocValidated || !d.MarkedOriginal || statuses(events) != "Pending → Duplicate → Validated" {
		t.Fatalf("marked original: %s, %v, %s", d.Status, d.MarkedOriginal, statuses(events))
	}
	audit, _ := w.audit.List(w.ctx, "", 1)
	if audit[0].Action != "document.mark-original" || audit[0].SubjectID != dup.ID {
		t.Errorf("audit %s %d", audit[0].Action, audit[0].SubjectID)
	}
	err := w.docs.MarkOriginal(w.ctx, dup.ID)
	wantCode(t, err, koppel.EConflict)
	wantKey(t, err, "document.not_duplicate")

	// Now it waits to be re-offered, and can be.
	cands, _ = w.docs.ReofferCandidates(w.ctx, fmt.Sprint(o.ID))
	if len(cands) != 1 || cands[0].DocumentID != dup.ID || cands[0].ID != 0 {
		t.Fatalf("candidates after mark original: %v", cands)
	}
	res, _ = w.docs.Reoffer(w.ctx, []int64{dup.ID})
	if res[0].Err != nil || fmt.Sprint(res[0].OfferedTo) != ids(c) {
		t.Fatalf("re-offer after mark original: %+v", res[0])
	}
	if d, _ := w.doc(dup.ID); d.Status != koppel.DocRouted {
		t.Errorf("status after re-offer %s", d.Status)
	}
	// A third copy is again a duplicate — of the first.
	third := w.importInv("", inv{Number: "D-1"})
	_, events = w.doc(third.ID)
	if third.Status != koppel.DocDuplicate || !strings.Contains(events[1].Note, fmt.Sprintf("as document %d", first.ID)) {
		t.Errorf("third copy: %s, %q", third.Status, events[1].Note)
	}
}

// TestRule_R13_StartDate: documents issued before a link's start date are not
// offered to it; a connection without a link has no start date.
func TestRule_R13_StartDate(t *testing.T) {
	w := newWorld(t)
	o := w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	yuki := w.create("NL:KVK:12345678", "yuki")
	w.link(yuki, o, "2026-03-01", true)
	before := w.importInv("", inv{Number: "E-1", Date: "2026-02-28"})
	on := w.importInv("", inv{Number: "E-2", Date: "2026-03-01"})
	if r := w.ready(yuki, o.ID, koppel.Purchase); !slices.Equal(r, []string{"E-2"}) {
		t.Fatalf("Yuki (start 2026-03-01) got %v", r)
	}
	_, events := w.doc(before.ID)
	if before.Status != koppel.DocValidated || !strings.Contains(events[1].Note, "starts on 2026-03-01, after the issue date 2026-02-28") {
		t.Errorf("held back: %s, %q", before.Status, events[1].Note)
	}
	// Held back on purpose: not a re-offer candidate, and re-offering says why.
	if cands, _ := w.docs.ReofferCandidates(w.ctx, fmt.Sprint(o.ID)); len(cands) != 0 {
		t.Errorf("candidates %v", cands)
	}
	res, _ := w.docs.Reoffer(w.ctx, []int64{before.ID})
	wantKey(t, res[0].Err, "document.reoffer_not_allowed")

	// A package without a link takes both.
	basecone := w.create("NL:KVK:12345678", "basecone")
	w.importInv("", inv{Number: "E-3", Date: "2026-02-01"})
	if r := w.ready(basecone, o.ID, koppel.Purchase); !slices.Equal(r, []string{"E-3"}) {
		t.Errorf("Basecone got %v", r)
	}
	if r := w.ready(yuki, o.ID, koppel.Purchase); !slices.Equal(r, []string{"E-2"}) {
		t.Errorf("Yuki got %v", r)
	}
	// Sales copies honour the start date too.
	radar := w.create("NL:KVK:12345678", "radar")
	for _, date := range []string{"2026-02-15", "2026-03-15"} {
		if _, err := w.docs.SendSales(w.ctx, radar.ID, o.ID, "", ubl(inv{Number: "VK-" + date, Date: date, Supplier: "0106:12345678", Customer: "0106:87654321"})); err != nil {
			t.Fatal(err)
		}
	}
	if r := w.ready(yuki, o.ID, koppel.Sales); !slices.Equal(r, []string{"VK-2026-03-15"}) {
		t.Errorf("Yuki's sales copies %v", r)
	}
	_ = on
}

// TestRule_R4_RevokedConnectionsOffersAreFrozen: after a revoke its ready
// offers stay as they are but nothing can be done with them through its keys.
func TestRule_R4_RevokedConnectionsOffersAreFrozen(t *testing.T) {
	w := newWorld(t)
	o := w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	c := w.create("NL:KVK:12345678", "exact-multivers")
	d := w.importInv("", inv{Number: "F-1"})
	if _, err := w.docs.PutHook(w.ctx, c.ID, o.ID, "http://127.0.0.1:9000/hook", "InvoiceReceived"); err != nil {
		t.Fatal(err)
	}
	w.revoke(c)
	calls := map[string]error{}
	_, calls["ready"] = w.docs.ReadyOffers(w.ctx, c.ID, o.ID, koppel.Purchase)
	_, _, calls["download"] = w.docs.Download(w.ctx, c.ID, o.ID, d.ID)
	calls["withdraw"] = w.docs.Withdraw(w.ctx, c.ID, o.ID, d.ID)
	_, calls["history"] = w.docs.History(w.ctx, c.ID, o.ID, d.ID)
	_, calls["send"] = w.docs.SendSales(w.ctx, c.ID, o.ID, "", ubl(inv{Number: "V", Supplier: "0106:12345678", Customer: "0106:87654321"}))
	_, calls["put hook"] = w.docs.PutHook(w.ctx, c.ID, o.ID, "http://127.0.0.1:9000/other", "InvoiceReceived")
	_, calls["hooks"] = w.docs.Hooks(w.ctx, c.ID, o.ID)
	for name, err := range calls {
		if koppel.ErrorCode(err) != koppel.EForbidden {
			t.Errorf("%s with revoked keys: %v", name, err)
		}
		if k, _ := koppel.ErrorKey(err); k != "document.api_revoked" {
			t.Errorf("%s: key %q", name, k)
		}
	}
	if of := w.offers(d.ID)[c.ID]; of.State != koppel.OfferReady {
		t.Errorf("the frozen offer is %s", of.State)
	}
}

// TestRule_R9_OffersStayWithinGrants: a connection sees only what was offered
// to it, for organizations it is granted; taking an organization off a
// shared key strands that organization's offers for re-offer.
func TestRule_R9_OffersStayWithinGrants(t *testing.T) {
	w := newWorld(t)
	a := w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	b := w.org("Groente Pieters", "NL:KVK:23456789")
	shared := w.create("NL:KVK:12345678", "yuki", "NL:KVK:23456789")
	onlyA := w.create("NL:KVK:12345678", "basecone")
	da := w.importInv("", inv{Number: "G-A"})
	db := w.importInv("", inv{Number: "G-B", Customer: "0106:23456789"})

	if r := w.ready(shared, a.ID, koppel.Purchase); !slices.Equal(r, []string{"G-A"}) {
		t.Errorf("shared key for A: %v", r)
	}
	if r := w.ready(shared, b.ID, koppel.Purchase); !slices.Equal(r, []string{"G-B"}) {
		t.Errorf("shared key for B: %v", r)
	}
	_, err := w.docs.ReadyOffers(w.ctx, onlyA.ID, b.ID, koppel.Purchase)
	wantCode(t, err, koppel.EForbidden)
	wantKey(t, err, "document.api_not_granted")
	// B's document through A's party: not found, whether it exists or not.
	for _, id := range []int64{db.ID, 9999} {
		_, _, err = w.docs.Download(w.ctx, shared.ID, a.ID, id)
		wantCode(t, err, koppel.ENotFound)
	}

	if _, err := w.conns.EndPartnership(w.ctx, "NL:KVK:23456789"); err != nil {
		t.Fatal(err)
	}
	_, _, err = w.docs.Download(w.ctx, shared.ID, b.ID, db.ID)
	wantCode(t, err, koppel.EForbidden)
	cands, err := w.docs.ReofferCandidates(w.ctx, fmt.Sprint(b.ID))
	if err != nil || len(cands) != 1 || cands[0].DocumentID != db.ID || cands[0].ConnectionID != shared.ID {
		t.Fatalf("B's candidates after the shared key was taken off: %v, %v", cands, err)
	}
	// A's side is untouched.
	if _, _, err := w.docs.Download(w.ctx, shared.ID, a.ID, da.ID); err != nil {
		t.Fatal(err)
	}
	// Ended: no new documents for B.
	_, err = w.docs.Import(w.ctx, "", "late.xml", bytes.NewReader(ubl(inv{Number: "G-B2", Customer: "0106:23456789"})), "")
	wantCode(t, err, koppel.EConflict)
	wantKey(t, err, "document.partnership_ended")
}

// TestRule_R16_DocumentChangesAreAudited: import, send, download, withdraw,
// re-offer, mark original and hooks each write an audit event; the chain
// holds and no event carries the Secret.
func TestRule_R16_DocumentChangesAreAudited(t *testing.T) {
	w := newWorld(t)
	o := w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	is, err := w.conns.Create(w.ctx, connectionsRequest("NL:KVK:12345678", "exact-multivers"))
	if err != nil {
		t.Fatal(err)
	}
	c := is.Connection
	d := w.importInv("", inv{Number: "H-1"})
	dup := w.importInv("", inv{Number: "H-1"})
	d2 := w.importInv("", inv{Number: "H-2"})
	must(t, w.docs.MarkOriginal(w.ctx, dup.ID))
	_, _, err = w.docs.Download(w.ctx, c.ID, o.ID, d.ID)
	must(t, err)
	must(t, w.docs.Withdraw(w.ctx, c.ID, o.ID, d2.ID))
	_, err = w.docs.SendSales(w.ctx, c.ID, o.ID, "x", ubl(inv{Number: "V-1", Supplier: "0106:12345678", Customer: "0106:87654321"}))
	must(t, err)
	_, err = w.docs.Reoffer(w.ctx, []int64{dup.ID})
	must(t, err)
	h, err := w.docs.PutHook(w.ctx, c.ID, o.ID, "http://localhost:8123/koppel?token=s3cr3t", "InvoiceReceived")
	must(t, err)
	must(t, w.docs.DeleteHook(w.ctx, c.ID, o.ID, h.ID))

	events, _ := w.audit.List(w.ctx, "", 0)
	var actions []string
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		if strings.HasPrefix(e.Action, "organization.") || strings.HasPrefix(e.Action, "connection.") {
			continue
		}
		actions = append(actions, e.Action)
		if strings.Contains(e.Detail, is.Secret.Reveal()) || strings.Contains(e.Detail, "s3cr3t") {
			t.Errorf("audit event %d holds a secret: %s", e.ID, e.Detail)
		}
		if len(e.OrganizationIDs) != 1 || e.OrganizationIDs[0] != o.ID {
			t.Errorf("%s concerns %v", e.Action, e.OrganizationIDs)
		}
	}
	want := "document.import document.import document.import document.mark-original offer.retrieve offer.withdraw document.send document.reoffer hook.add hook.delete"
	if strings.Join(actions, " ") != want {
		t.Errorf("audit actions\n  %s\nwant\n  %s", strings.Join(actions, " "), want)
	}
	if v, err := w.audit.Verify(w.ctx); err != nil || !v.OK() {
		t.Fatalf("verify: %+v, %v", v, err)
	}
}

// snapshot is everything stored about documents: rows, history, offers and
// bodies, as text to compare.
func (w *world) snapshot(ids ...int64) string {
	w.t.Helper()
	var b strings.Builder
	for _, id := range ids {
		d, events, offers, err := w.docs.Get(w.ctx, id)
		if err != nil {
			w.t.Fatal(err)
		}
		body, err := w.docs.Body(w.ctx, id)
		if err != nil {
			w.t.Fatal(err)
		}
		j, _ := json.Marshal([]any{d, events, offers})
		fmt.Fprintf(&b, "%s %x\n", j, body)
	}
	return b.String()
}

func (w *world) auditCount() int {
	w.t.Helper()
	events, err := w.audit.List(w.ctx, "", 0)
	if err != nil {
		w.t.Fatal(err)
	}
	return len(events)
}

func keysOf(m map[int64]*koppel.Offer) []int64 {
	var out []int64
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// The audit trail says why an invoice was not offered phrase by phrase, so
// that the window can say it in Dutch: the invoice, that none of the
// organization's connections may receive it, and each one's reason.
func TestAuditSaysWhyNotInPhrases(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	radar := w.create("NL:KVK:12345678", "radar")
	d := w.importInv("", inv{Number: "MOL-9"})
	events, err := w.audit.List(w.ctx, "", 1)
	if err != nil || len(events) != 1 || events[0].Action != "document.import" || events[0].SubjectID != d.ID {
		t.Fatalf("newest audit events = %v, %v; want the import of document %d", events, err, d.ID)
	}
	var keys []string
	for _, p := range events[0].Phrases {
		keys = append(keys, p.Key)
	}
	if got := strings.Join(keys, " "); got != "document.invoice document.noneMayReceive refusal.sendOnly" {
		t.Fatalf("phrases %s", got)
	}
	if got := events[0].Phrases[2].Params["receiver"]; got != fmt.Sprintf("Radar #%d", radar.ID) {
		t.Errorf("the refusal names %q", got)
	}
	if detail := events[0].Detail; detail != koppel.EnglishOf(events[0].Phrases) ||
		!strings.Contains(detail, "invoice MOL-9 of ") || !strings.Contains(detail, "Radar only sends invoices") {
		t.Errorf("detail %q", detail)
	}

	// The document's history says it too, as it is stored and read back.
	_, history := w.doc(d.ID)
	if len(history) != 2 || history[1].Status != koppel.DocValidated || len(history[1].Phrases) != 2 ||
		history[1].Phrases[0].Key != "note.waitingNoneMayReceive" || history[1].Phrases[1].Key != "refusal.sendOnly" ||
		history[1].Note != "waiting: none of Bakkerij Jansen BV’s active connections may receive it; "+
			fmt.Sprintf("Radar #%d: Radar only sends invoices", radar.ID) {
		t.Errorf("history %+v", history)
	}
	if history[0].Note != "imported from MOL-9.xml" || len(history[0].Phrases) != 1 || history[0].Phrases[0].Key != "note.importedFrom" {
		t.Errorf("the first step %+v", history[0])
	}
}
