package documents_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"koppel/internal/documents"
	"koppel/internal/koppel"
)

func TestDownloadMarksRetrievedOnce(t *testing.T) {
	w := newWorld(t)
	o := w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	yuki := w.create("NL:KVK:12345678", "yuki")
	basecone := w.create("NL:KVK:12345678", "basecone")
	d := w.importInv("", inv{Number: "K-1"})
	audits := w.auditCount()

	w.tick(60e9)
	body, got, err := w.docs.Download(w.ctx, yuki.ID, o.ID, d.ID)
	if err != nil || !bytes.Equal(body, ubl(inv{Number: "K-1"})) || got.Status != koppel.DocDelivered {
		t.Fatalf("download: %v, status %v", err, got)
	}
	of := w.offers(d.ID)[yuki.ID]
	if of.State != koppel.OfferRetrieved || of.RetrievedAt == nil || !of.RetrievedAt.Equal(w.Now()) {
		t.Errorf("offer after download %+v", of)
	}
	if r := w.ready(yuki, o.ID, koppel.Purchase); len(r) != 0 {
		t.Errorf("still listed as ready: %v", r)
	}
	// Again: the body still comes, nothing changes.
	if body2, _, err := w.docs.Download(w.ctx, yuki.ID, o.ID, d.ID); err != nil || !bytes.Equal(body2, body) {
		t.Fatalf("second download: %v", err)
	}
	// Another connection retrieving it later adds no second Delivered.
	if _, _, err := w.docs.Download(w.ctx, basecone.ID, o.ID, d.ID); err != nil {
		t.Fatal(err)
	}
	h, err := w.docs.History(w.ctx, yuki.ID, o.ID, d.ID)
	if err != nil || statuses(h) != "Pending → Validated → Routed → Delivered" || !strings.Contains(h[3].Note, "retrieved by Yuki") {
		t.Errorf("history %s (%v)", statuses(h), err)
	}
	if n := w.auditCount() - audits; n != 2 {
		t.Errorf("%d audit events for two first retrievals and one repeat, want 2", n)
	}
}

func TestWithdraw(t *testing.T) {
	w := newWorld(t)
	o := w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	c := w.create("NL:KVK:12345678", "yuki")
	d := w.importInv("", inv{Number: "L-1"})
	w.importInv("", inv{Number: "L-2"})
	if err := w.docs.Withdraw(w.ctx, c.ID, o.ID, d.ID); err != nil {
		t.Fatal(err)
	}
	if r := w.ready(c, o.ID, koppel.Purchase); !slices.Equal(r, []string{"L-2"}) {
		t.Errorf("ready after withdraw: %v", r)
	}
	_, _, err := w.docs.Download(w.ctx, c.ID, o.ID, d.ID)
	wantCode(t, err, koppel.ENotFound)
	wantCode(t, w.docs.Withdraw(w.ctx, c.ID, o.ID, d.ID), koppel.ENotFound)
	if got, _ := w.doc(d.ID); got.Status != koppel.DocRouted {
		t.Errorf("withdrawing changed the document's status to %s", got.Status)
	}
	// History stays visible to the connection it was offered to.
	if _, err := w.docs.History(w.ctx, c.ID, o.ID, d.ID); err != nil {
		t.Error(err)
	}
	// Not a re-offer candidate: the software dealt with it.
	if cands, _ := w.docs.ReofferCandidates(w.ctx, "1"); len(cands) != 0 {
		t.Errorf("candidates %v", cands)
	}
}

func TestCheckHookURL(t *testing.T) {
	ok := map[string]string{
		"http://127.0.0.1:8080/hook":            "http://127.0.0.1:8080/hook",
		"http://localhost:9000/koppel?x=1":      "http://localhost:9000/koppel?x=1",
		"http://LOCALHOST:9000/k":               "http://localhost:9000/k",
		"http://[::1]:9000/":                    "http://[::1]:9000/",
		"  http://127.0.0.1/  ":                 "http://127.0.0.1/",
		"http://127.0.0.1:65535/a/b%20c?d=e&f=": "http://127.0.0.1:65535/a/b%20c?d=e&f=",
	}
	for in, want := range ok {
		if got, err := documents.CheckHookURL(in); err != nil || got != want {
			t.Errorf("CheckHookURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	refused := []string{
		"", "https://127.0.0.1:8080/hook", "http://192.168.1.10:8080/hook", "http://example.com/hook",
		"http://127.0.0.2:80/", "http://localhost.example.com/", "http://127.0.0.1.nip.io/", "http://user:pw@127.0.0.1:8080/",
		"http://127.0.0.1:0/", "http://127.0.0.1:70000/", "http://127.0.0.1:/", "http://127.0.0.1:8080/#frag",
		"ftp://127.0.0.1/", "file:///etc/passwd", "javascript:alert(1)", "http://0.0.0.0:8080/", "http://[::]:80/",
		"http://127.0.0.1:8080/a b", "http://127.0.0.1:8080/a\nb", "//127.0.0.1:8080/", "http://2130706433/",
		"http://" + strings.Repeat("a", 3000),
	}
	for _, in := range refused {
		_, err := documents.CheckHookURL(in)
		if koppel.ErrorCode(err) != koppel.EInvalid {
			t.Errorf("CheckHookURL(%q) = %v, want refused", in, err)
		}
	}
}

func TestHooks(t *testing.T) {
	w := newWorld(t)
	o := w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	c := w.create("NL:KVK:12345678", "yuki")
	other := w.create("NL:KVK:12345678", "basecone")

	h, err := w.docs.PutHook(w.ctx, c.ID, o.ID, "http://127.0.0.1:9000/hook", "invoicereceived")
	if err != nil || h.Topic != "InvoiceReceived" || h.ConnectionID != c.ID || h.OrganizationID != o.ID {
		t.Fatalf("put: %+v, %v", h, err)
	}
	again, err := w.docs.PutHook(w.ctx, c.ID, o.ID, "http://127.0.0.1:9000/hook", "InvoiceReceived")
	if err != nil || again.ID != h.ID {
		t.Errorf("putting the same hook again gave %+v, %v", again, err)
	}
	_, err = w.docs.PutHook(w.ctx, c.ID, o.ID, "http://127.0.0.1:9000/hook", "InvoiceSent")
	wantKey(t, err, "hook.topic")
	_, err = w.docs.PutHook(w.ctx, c.ID, o.ID, "http://10.0.0.1:9000/hook", "InvoiceReceived")
	wantKey(t, err, "hook.url")

	if list, err := w.docs.Hooks(w.ctx, c.ID, o.ID); err != nil || len(list) != 1 {
		t.Errorf("hooks: %d, %v", len(list), err)
	}
	if list, _ := w.docs.Hooks(w.ctx, other.ID, o.ID); len(list) != 0 {
		t.Errorf("another connection sees %d hooks", len(list))
	}
	_, err = w.docs.Hook(w.ctx, other.ID, o.ID, h.ID)
	wantCode(t, err, koppel.ENotFound)
	wantCode(t, w.docs.DeleteHook(w.ctx, other.ID, o.ID, h.ID), koppel.ENotFound)
	if got, err := w.docs.Hook(w.ctx, c.ID, o.ID, h.ID); err != nil || got.URL != h.URL {
		t.Errorf("hook: %+v, %v", got, err)
	}
	for i := 1; i < 20; i++ {
		if _, err := w.docs.PutHook(w.ctx, c.ID, o.ID, fmt.Sprintf("http://127.0.0.1:9000/h%d", i), "InvoiceReceived"); err != nil {
			t.Fatal(err)
		}
	}
	_, err = w.docs.PutHook(w.ctx, c.ID, o.ID, "http://127.0.0.1:9000/one-too-many", "InvoiceReceived")
	wantKey(t, err, "hook.too_many")
	must(t, w.docs.DeleteHook(w.ctx, c.ID, o.ID, h.ID))
	_, err = w.docs.Hook(w.ctx, c.ID, o.ID, h.ID)
	wantCode(t, err, koppel.ENotFound)
	// The audit trail names hooks by id: a deleted one's id is not reused,
	// not even the newest's.
	newest, err := w.docs.PutHook(w.ctx, c.ID, o.ID, "http://127.0.0.1:9000/newest", "InvoiceReceived")
	if err != nil {
		t.Fatal(err)
	}
	must(t, w.docs.DeleteHook(w.ctx, c.ID, o.ID, newest.ID))
	if next, err := w.docs.PutHook(w.ctx, c.ID, o.ID, "http://127.0.0.1:9000/next", "InvoiceReceived"); err != nil || next.ID <= newest.ID {
		t.Errorf("after deleting hook %d the next one got %+v, %v", newest.ID, next, err)
	}

	// Deleting the connection (after revoking) removes its hooks.
	w.revoke(c)
	if _, err := w.conns.Delete(w.ctx, c.AppKey); err != nil {
		t.Fatal(err)
	}
	var n int
	w.db.View(w.ctx, func(tx koppel.Tx) error {
		list, err := tx.Hooks(c.ID, o.ID)
		n = len(list)
		return err
	})
	if n != 0 {
		t.Errorf("%d hooks outlived their connection", n)
	}
}

// TestListPages pages through inbox and outbox by keyset.
func TestListPages(t *testing.T) {
	w := newWorld(t)
	a := w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	w.org("Groente Pieters", "NL:KVK:23456789")
	yuki := w.create("NL:KVK:12345678", "yuki")
	for i := range 230 {
		w.importInv("", inv{Number: fmt.Sprintf("P-%03d", i), SupName: "Meelfabriek De Molen BV", Supplier: "0106:87654321"})
	}
	w.revoke(yuki)
	for i := range 20 {
		w.importInv("", inv{Number: fmt.Sprintf("Q-%03d", i), Supplier: "0106:55556666", SupName: "Zuivel_100% Noord"})
	}
	for i := range 15 {
		w.importInv("", inv{Number: fmt.Sprintf("B-%03d", i), Customer: "0106:23456789"})
	}
	w.importInv("1", inv{Number: "V-001", Supplier: "0106:12345678", Customer: "0106:99998888"})

	f := koppel.DocumentFilter{OrganizationID: a.ID, Direction: koppel.Purchase, Limit: 100}
	var seen []string
	for pages := 0; ; pages++ {
		page, err := w.docs.List(w.ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range page.Documents {
			seen = append(seen, d.Number)
		}
		if page.Next == 0 {
			if pages != 2 || len(page.Documents) != 50 {
				t.Errorf("last page: number %d with %d documents", pages, len(page.Documents))
			}
			break
		}
		f.After = page.Next
	}
	if len(seen) != 250 || seen[0] != "Q-019" || seen[249] != "P-000" || len(slices.Compact(slices.Clone(seen))) != 250 {
		t.Fatalf("paged %d documents, first %s, last %s", len(seen), seen[0], seen[len(seen)-1])
	}
	count := func(f koppel.DocumentFilter) int {
		t.Helper()
		f.Limit = 500
		page, err := w.docs.List(w.ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Documents)
	}
	cases := []struct {
		name string
		f    koppel.DocumentFilter
		want int
	}{
		{"everything", koppel.DocumentFilter{}, 266},
		{"outbox", koppel.DocumentFilter{OrganizationID: a.ID, Direction: koppel.Sales}, 1},
		{"another organization", koppel.DocumentFilter{Direction: koppel.Purchase, OrganizationID: 2}, 15},
		{"waiting (Validated)", koppel.DocumentFilter{OrganizationID: a.ID, Status: "validated"}, 21},
		{"routed", koppel.DocumentFilter{Status: koppel.DocRouted}, 230},
		{"offered to Yuki", koppel.DocumentFilter{ConnectionID: yuki.ID}, 230},
		{"search a number", koppel.DocumentFilter{Search: "p-00"}, 10},
		{"search a supplier", koppel.DocumentFilter{Search: "zuivel"}, 20},
		{"search a party", koppel.DocumentFilter{Search: "23456789"}, 15},
		{"% is no wildcard", koppel.DocumentFilter{Search: "_100%"}, 20},
		{"SQL is text", koppel.DocumentFilter{Search: "' OR 1=1 --"}, 0},
	}
	for _, tc := range cases {
		if got := count(tc.f); got != tc.want {
			t.Errorf("%s: %d documents, want %d", tc.name, got, tc.want)
		}
	}
	for _, f := range []koppel.DocumentFilter{{Limit: 501}, {Limit: -1}, {Status: "Lost"}, {Direction: "inbound"}, {After: -5}, {Search: "a\nb"}} {
		_, err := w.docs.List(w.ctx, f)
		wantCode(t, err, koppel.EInvalid)
	}
}
