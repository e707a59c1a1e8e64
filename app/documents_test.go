package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"koppel/internal/koppel"
)

func importDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "internal", "documents", "testdata", "import"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestDocumentsImportListGetReoffer walks the window's document journey on
// a real backend: import with progress and per-file errors, the inbox by
// pages and status, the detail with history and the XML as text, revoke,
// replace, the reconnect candidates and Re-offer to API.
func TestDocumentsImportListGetReoffer(t *testing.T) {
	w := openWindow(t)
	jansen := w.addOrg(t, "Bakkerij Jansen BV", "NL:KVK:12345678")
	issued := w.create(t, jansen.ID, "yuki")
	dir := importDir(t)
	good := filepath.Join(dir, "invoice-basic.xml")
	bad := filepath.Join(dir, "bad-doctype-xxe.xml")
	results, err := w.docs.ImportFiles(ImportInput{OrganizationID: jansen.ID, Paths: []string{good, bad}})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 || results[0].Document == nil || results[0].Error != nil ||
		results[1].Document != nil || results[1].Error == nil || results[1].Name != "bad-doctype-xxe.xml" {
		t.Fatalf("results = %+v", results)
	}
	if w.events.count(EventImportProgress) == 0 || w.events.count(EventDocumentsChanged) != 1 {
		t.Fatalf("events = %v", w.events.events)
	}
	progress := w.events.data[EventImportProgress]
	if last := progress[len(progress)-1].(ImportProgressDTO); last.Done != 2 || last.Total != 2 {
		t.Errorf("last progress = %+v", last)
	}
	doc := results[0].Document
	if doc.Number != "MOL-2026-0142" || doc.Status != string(koppel.DocRouted) || doc.Direction != "purchase" {
		t.Fatalf("document = %+v", doc)
	}

	inbox, err := w.docs.List(DocumentQuery{OrganizationID: jansen.ID, Direction: "purchase"})
	if err != nil || len(inbox.Documents) != 1 || inbox.Next != 0 {
		t.Fatalf("inbox = %+v, %v", inbox, err)
	}
	outbox, err := w.docs.List(DocumentQuery{OrganizationID: jansen.ID, Direction: "sales"})
	if err != nil || len(outbox.Documents) != 0 || outbox.Documents == nil {
		t.Fatalf("outbox = %+v, %v", outbox, err)
	}
	if none, _ := w.docs.List(DocumentQuery{OrganizationID: jansen.ID, Direction: "purchase", Status: "Delivered"}); len(none.Documents) != 0 {
		t.Fatalf("Delivered filter = %+v", none)
	}

	detail, err := w.docs.Get(doc.ID)
	if err != nil || len(detail.History) == 0 || len(detail.Offers) != 1 || detail.Offers[0].ConnectionID != issued.Connection.ID {
		t.Fatalf("detail = %+v, %v", detail, err)
	}
	body, err := w.docs.Body(doc.ID)
	want, _ := os.ReadFile(good)
	if err != nil || body != string(want) {
		t.Fatalf("body differs from the file (%v)", err)
	}

	// Replace the keys: the ready offer stays on the old connection and is
	// the reconnect wizard's candidate until re-offered.
	replaced, err := w.conns.Replace(ReplaceInput{ConnectionID: issued.Connection.ID, Reason: "compromised"})
	if err != nil {
		t.Fatal(err)
	}
	cands, err := w.docs.ReofferCandidates(jansen.ID)
	if err != nil || len(cands) != 1 || cands[0].Document.ID != doc.ID || cands[0].Offer.ConnectionID != issued.Connection.ID {
		t.Fatalf("candidates = %+v, %v", cands, err)
	}
	res, err := w.docs.Reoffer([]int64{doc.ID})
	if err != nil || len(res) != 1 || res[0].Error != nil || len(res[0].OfferedTo) != 1 || res[0].OfferedTo[0] != replaced.Connection.ID {
		t.Fatalf("reoffer = %+v, %v", res, err)
	}
	if cands, _ := w.docs.ReofferCandidates(jansen.ID); len(cands) != 0 {
		t.Fatalf("candidates after re-offer = %+v", cands)
	}
	// Each offer names its connection, the revoked one too.
	if detail, err = w.docs.Get(doc.ID); err != nil || len(detail.Offers) != 2 {
		t.Fatalf("detail after re-offer = %+v, %v", detail, err)
	}
	for _, o := range detail.Offers {
		want := map[int64]string{issued.Connection.ID: issued.Connection.AppKey, replaced.Connection.ID: replaced.Connection.AppKey}[o.ConnectionID]
		if o.AppKey != want || o.SoftwareName == "" {
			t.Errorf("offer on connection %d named %q (%q), want %q", o.ConnectionID, o.AppKey, o.SoftwareName, want)
		}
	}
	again, err := w.docs.Reoffer([]int64{doc.ID})
	if err != nil || len(again[0].OfferedTo) != 0 || len(again[0].AlreadyOffered) != 1 {
		t.Fatalf("second reoffer = %+v, %v", again, err)
	}

	// A duplicate is not offered until marked original.
	dup, err := w.docs.ImportFiles(ImportInput{Paths: []string{good}})
	if err != nil || dup[0].Document == nil || dup[0].Document.Status != string(koppel.DocDuplicate) {
		t.Fatalf("duplicate = %+v, %v", dup, err)
	}
	if r, _ := w.docs.Reoffer([]int64{dup[0].Document.ID}); r[0].Error == nil {
		t.Fatalf("a duplicate was re-offered: %+v", r)
	}
	marked, err := w.docs.MarkOriginal(dup[0].Document.ID)
	if err != nil || marked.Status != string(koppel.DocValidated) || !marked.MarkedOriginal {
		t.Fatalf("marked = %+v, %v", marked, err)
	}
	_, err = w.docs.MarkOriginal(dup[0].Document.ID)
	wantKey(t, err, koppel.EConflict, "document.not_duplicate")
}

func TestDocumentsBodyIsText(t *testing.T) {
	w := openWindow(t)
	w.addOrg(t, "Bakkerij Jansen BV", "NL:KVK:12345678")
	res, err := w.docs.ImportFiles(ImportInput{Paths: []string{filepath.Join(importDir(t), "invoice-basic.xml")}})
	if err != nil || res[0].Document == nil {
		t.Fatalf("import = %+v, %v", res, err)
	}
	body, err := w.docs.Body(res[0].Document.ID)
	if err != nil || !strings.HasPrefix(strings.TrimSpace(body), "<?xml") {
		t.Fatalf("body = %.40q, %v", body, err)
	}
}

func TestDocumentsPickFiles(t *testing.T) {
	w := openWindow(t)
	w.docs.pick = func(ctx context.Context, title string) ([]string, error) {
		if title != "Import" {
			t.Errorf("title = %q", title)
		}
		return nil, nil
	}
	got, err := w.docs.PickFiles("Import")
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("cancelled picker = %#v, %v", got, err)
	}
}

func TestDocumentsValidateArguments(t *testing.T) {
	w := openWindow(t)
	long := strings.Repeat("x", 300)
	for name, call := range map[string]func() error{
		"list no org":        func() error { _, err := w.docs.List(DocumentQuery{Direction: "purchase"}); return err },
		"list bad direction": func() error { _, err := w.docs.List(DocumentQuery{OrganizationID: 1, Direction: "x"}); return err },
		"list no direction":  func() error { _, err := w.docs.List(DocumentQuery{OrganizationID: 1}); return err },
		"list bad status": func() error {
			_, err := w.docs.List(DocumentQuery{OrganizationID: 1, Direction: "sales", Status: "Lost"})
			return err
		},
		"list bad conn": func() error {
			_, err := w.docs.List(DocumentQuery{OrganizationID: 1, Direction: "sales", ConnectionID: -1})
			return err
		},
		"list long search": func() error {
			_, err := w.docs.List(DocumentQuery{OrganizationID: 1, Direction: "sales", Search: long})
			return err
		},
		"list limit": func() error {
			_, err := w.docs.List(DocumentQuery{OrganizationID: 1, Direction: "sales", Limit: 501})
			return err
		},
		"list cursor": func() error {
			_, err := w.docs.List(DocumentQuery{OrganizationID: 1, Direction: "sales", After: -1})
			return err
		},
		"get":             func() error { _, err := w.docs.Get(0); return err },
		"body":            func() error { _, err := w.docs.Body(-1); return err },
		"import none":     func() error { _, err := w.docs.ImportFiles(ImportInput{}); return err },
		"import relative": func() error { _, err := w.docs.ImportFiles(ImportInput{Paths: []string{"a.xml"}}); return err },
		"import empty":    func() error { _, err := w.docs.ImportFiles(ImportInput{Paths: []string{""}}); return err },
		"import nul":      func() error { _, err := w.docs.ImportFiles(ImportInput{Paths: []string{"/tmp/a\x00.xml"}}); return err },
		"import org": func() error {
			_, err := w.docs.ImportFiles(ImportInput{OrganizationID: -2, Paths: []string{"/a.xml"}})
			return err
		},
		"import many": func() error {
			_, err := w.docs.ImportFiles(ImportInput{Paths: make([]string, maxImportPaths+1)})
			return err
		},
		"candidates":     func() error { _, err := w.docs.ReofferCandidates(0); return err },
		"reoffer none":   func() error { _, err := w.docs.Reoffer(nil); return err },
		"reoffer bad id": func() error { _, err := w.docs.Reoffer([]int64{1, 0}); return err },
		"mark original":  func() error { _, err := w.docs.MarkOriginal(0); return err },
		"pick title":     func() error { _, err := w.docs.PickFiles(long); return err },
	} {
		if err := call(); koppel.ErrorCode(err) != koppel.EInvalid {
			t.Errorf("%s: error %v, want invalid", name, err)
		}
	}
	if _, err := w.docs.Get(99); koppel.ErrorCode(err) != koppel.ENotFound {
		t.Errorf("Get(99) = %v, want not found", err)
	}
}
