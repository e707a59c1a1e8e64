package psbapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"text/template"
	"time"

	"koppel/internal/documents"
	"koppel/internal/koppel"
	"koppel/internal/psbapi"
)

// fakeDocs stands in for the documents service where a test is about what
// the API lets through: it records each call's connection and organization
// and answers with canned values.
type fakeDocs struct {
	mu    sync.Mutex
	calls []string // "Method conn org"
}

var _ psbapi.Documents = (*fakeDocs)(nil)

func (f *fakeDocs) record(method string, conn, org int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf("%s %d %d", method, conn, org))
}

func (f *fakeDocs) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.calls
	f.calls = nil
	return out
}

func (f *fakeDocs) ReadyOffers(_ context.Context, conn, org int64, _ koppel.DocumentDirection) ([]documents.OfferView, error) {
	f.record("ReadyOffers", conn, org)
	return []documents.OfferView{{DocumentID: 7, Number: "F-7", IssueDate: "2026-03-02", Supplier: "De Molen"}}, nil
}
func (f *fakeDocs) Download(_ context.Context, conn, org, doc int64) ([]byte, *koppel.Document, error) {
	f.record("Download", conn, org)
	return []byte("<Invoice/>"), &koppel.Document{ID: doc}, nil
}
func (f *fakeDocs) Withdraw(_ context.Context, conn, org, doc int64) error {
	f.record("Withdraw", conn, org)
	return nil
}
func (f *fakeDocs) History(_ context.Context, conn, org, doc int64) ([]koppel.DocumentStatusEvent, error) {
	f.record("History", conn, org)
	return []koppel.DocumentStatusEvent{{DocumentID: doc, Status: koppel.DocPending}}, nil
}
func (f *fakeDocs) SendSales(_ context.Context, conn, org int64, ext string, body []byte) (*koppel.Document, error) {
	f.record("SendSales", conn, org)
	return &koppel.Document{ID: 9, Status: koppel.DocValidated}, nil
}
func (f *fakeDocs) PutHook(_ context.Context, conn, org int64, url, topic string) (*koppel.Hook, error) {
	f.record("PutHook", conn, org)
	return &koppel.Hook{ID: 1, URL: url, Topic: topic}, nil
}
func (f *fakeDocs) Hooks(_ context.Context, conn, org int64) ([]*koppel.Hook, error) {
	f.record("Hooks", conn, org)
	return nil, nil
}
func (f *fakeDocs) Hook(_ context.Context, conn, org, id int64) (*koppel.Hook, error) {
	f.record("Hook", conn, org)
	return &koppel.Hook{ID: id}, nil
}
func (f *fakeDocs) DeleteHook(_ context.Context, conn, org, id int64) error {
	f.record("DeleteHook", conn, org)
	return nil
}

func withFake(f *fakeDocs) worldOption {
	return func(c *psbapi.Config) { c.Documents = f }
}

// partyEndpoints are every /api/v1/{partyId}/… call, with the permission
// it needs.
var partyEndpoints = []struct {
	method, path, body, perm string
}{
	{"GET", "/purchaseInvoice", "", "canReceiveDocument"},
	{"GET", "/purchaseInvoice/7/download", "", "canReceiveDocument"},
	{"GET", "/purchaseInvoice/7/status", "", "canReceiveDocument"},
	{"DELETE", "/purchaseInvoice/7", "", "canRemoveDocument"},
	{"POST", "/salesInvoice/send", "<Invoice/>", "canSendDocument"},
	{"GET", "/salesInvoice/9/status", "", "canSendDocument"},
	{"PUT", "/hook", `{"url":"http://127.0.0.1:9/hook"}`, "canManageHook"},
	{"GET", "/hook", "", "canManageHook"},
	{"GET", "/hook/1", "", "canManageHook"},
	{"DELETE", "/hook/1", "", "canManageHook"},
	{"GET", "/hook/ping", "", "canManageHook"},
}

func (w *world) partyCall(method, party, path, body, token string) answer {
	w.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	return w.call(method, "/api/v1/"+party+path, token, r)
}

type partyInfo struct {
	PartyID            string `json:"partyId"`
	Name               string `json:"name"`
	CanSendDocument    bool   `json:"canSendDocument"`
	CanReceiveDocument bool   `json:"canReceiveDocument"`
	CanRemoveDocument  bool   `json:"canRemoveDocument"`
	CanManageHook      bool   `json:"canManageHook"`
}

func (w *world) parties(token string) []partyInfo {
	w.t.Helper()
	a := w.get("/api/v1/me/party", token)
	wantStatus(w.t, "GET /api/v1/me/party", a, 200, "")
	var out []partyInfo
	a.decode(w.t, &out)
	return out
}

// R9: a key is granted to one or more organizations of the same package;
// calls for any other party are 403, whichever notation names it.
func TestRule_R9_PartiesNotGrantedAre403(t *testing.T) {
	fake := &fakeDocs{}
	w := newWorld(t, withFake(fake))
	a := w.org("Bakkerij Jansen", "NL:KVK:12345678")
	b := w.org("Slagerij Smit", "NL:KVK:87654321")
	c := w.org("Groenteboer Bos", "NL:VAT:NL123456789B01")
	shared := w.create("exact-multivers", "NL:KVK:12345678", "NL:KVK:87654321")
	own := w.create("exact-multivers", "NL:VAT:NL123456789B01")
	tok := w.token(shared)

	ps := w.parties(tok)
	if len(ps) != 2 || ps[0].PartyID != "NL:KVK:12345678" || ps[1].PartyID != "NL:KVK:87654321" {
		t.Fatalf("parties = %+v, want A and B", ps)
	}
	if alias := w.get("/api/v1/me/parties", tok); string(alias.body) != string(w.get("/api/v1/me/party", tok).body) {
		t.Fatalf("/me/parties differs from /me/party: %s", short(alias.body))
	}

	for _, e := range partyEndpoints {
		for party, org := range map[string]int64{"NL:KVK:12345678": a.ID, "0106:12345678": a.ID, "nl:kvk:87654321": b.ID, "0106:87654321": b.ID} {
			got := w.partyCall(e.method, party, e.path, e.body, tok)
			if got.status/100 != 2 {
				t.Fatalf("%s %s for granted party %s: %d %s", e.method, e.path, party, got.status, short(got.body))
			}
			calls := fake.take()
			if e.path != "/hook/ping" && (len(calls) != 1 || !strings.HasSuffix(calls[0], fmt.Sprintf(" %d %d", shared.Connection.ID, org))) {
				t.Fatalf("%s %s for %s reached the documents service as %v, want connection %d, organization %d", e.method, e.path, party, calls, shared.Connection.ID, org)
			}
		}
		for _, party := range []string{"NL:VAT:NL123456789B01", "9944:NL123456789B01", "NL:KVK:11111111"} {
			got := w.partyCall(e.method, party, e.path, e.body, tok)
			wantStatus(t, e.method+" "+e.path+" for a party not granted", got, 403, "forbidden")
			if !strings.Contains(string(got.body), "not granted") {
				t.Errorf("the 403 does not say why: %s", short(got.body))
			}
		}
		wantStatus(t, "a malformed party ID", w.partyCall(e.method, "NL:KVK:123", e.path, e.body, tok), 400, "invalid")
		if calls := fake.take(); len(calls) != 0 {
			t.Fatalf("refused calls reached the documents service: %v", calls)
		}
	}

	// Separate keys per organization: C's key cannot act for A.
	ownTok := w.token(own)
	wantStatus(t, "C's key for A", w.partyCall("GET", "NL:KVK:12345678", "/purchaseInvoice", "", ownTok), 403, "forbidden")
	wantStatus(t, "C's key for C", w.partyCall("GET", "NL:VAT:NL123456789B01", "/purchaseInvoice", "", ownTok), 200, "")
	fake.take()
	_ = c
}

// A password-grant token is limited to the party it was issued for.
func TestRule_R9_PasswordGrantTokenIsLimitedToItsParty(t *testing.T) {
	w := newWorld(t, withFake(&fakeDocs{}))
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	w.org("Slagerij Smit", "NL:KVK:87654321")
	shared := w.create("yuki", "NL:KVK:12345678", "NL:KVK:87654321")
	a := w.postForm(pw(shared, "0106:87654321", shared.Secret.Reveal()), "")
	wantStatus(t, "password grant", a, 200, "")
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	a.decode(t, &tok)
	if ps := w.parties(tok.AccessToken); len(ps) != 1 || ps[0].PartyID != "NL:KVK:87654321" {
		t.Fatalf("parties of a token for B = %+v", ps)
	}
	wantStatus(t, "the token for B, used for B", w.partyCall("GET", "NL:KVK:87654321", "/purchaseInvoice", "", tok.AccessToken), 200, "")
	wantStatus(t, "the token for B, used for A", w.partyCall("GET", "NL:KVK:12345678", "/purchaseInvoice", "", tok.AccessToken), 403, "forbidden")
}

// Ending a partnership takes the organization off a shared key: calls for
// it are refused within the cache's freshness bound, even without
// Invalidate.
func TestRule_R9_EndedPartnershipLeavesASharedKey(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	w.org("Slagerij Smit", "NL:KVK:87654321")
	shared := w.create("yuki", "NL:KVK:12345678", "NL:KVK:87654321")
	tok := w.token(shared)
	wantStatus(t, "before", w.partyCall("GET", "NL:KVK:87654321", "/purchaseInvoice", "", tok), 200, "")
	if _, err := w.conns.EndPartnership(w.ctx, "NL:KVK:87654321"); err != nil {
		t.Fatal(err)
	}
	// The documents service refuses at once; the API's own answer follows
	// within its freshness bound.
	wantStatus(t, "right after", w.partyCall("GET", "NL:KVK:87654321", "/purchaseInvoice", "", tok), 403, "forbidden")
	waitFor(func() bool { return len(w.parties(tok)) == 1 }, 5*time.Second)
	if ps := w.parties(tok); len(ps) != 1 || ps[0].PartyID != "NL:KVK:12345678" {
		t.Fatalf("parties after the partnership with B ended = %+v", ps)
	}
}

// R10: permissions follow the package's direction; a refusal is 403 and
// names the permission that is missing.
func TestRule_R10_DirectionDecidesPermissions(t *testing.T) {
	fake := &fakeDocs{}
	w := newWorld(t, withFake(fake))
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	cases := []struct {
		software string
		want     partyInfo
	}{
		{"radar", partyInfo{CanSendDocument: true}},
		{"yuki", partyInfo{CanReceiveDocument: true, CanRemoveDocument: true, CanManageHook: true}},
		{"exact-multivers", partyInfo{CanSendDocument: true, CanReceiveDocument: true, CanRemoveDocument: true, CanManageHook: true}},
	}
	for _, c := range cases {
		t.Run(c.software, func(t *testing.T) {
			w.t = t
			key := w.create(c.software, "NL:KVK:12345678")
			tok := w.token(key)
			ps := w.parties(tok)
			c.want.PartyID, c.want.Name = "NL:KVK:12345678", "Bakkerij Jansen"
			if len(ps) != 1 || ps[0] != c.want {
				t.Fatalf("/me/party = %+v, want %+v", ps, c.want)
			}
			allowed := map[string]bool{"canSendDocument": c.want.CanSendDocument, "canReceiveDocument": c.want.CanReceiveDocument,
				"canRemoveDocument": c.want.CanRemoveDocument, "canManageHook": c.want.CanManageHook}
			for _, e := range partyEndpoints {
				got := w.partyCall(e.method, "NL:KVK:12345678", e.path, e.body, tok)
				if allowed[e.perm] {
					if got.status/100 != 2 {
						t.Errorf("%s %s: %d %s, want it allowed", e.method, e.path, got.status, short(got.body))
					}
					continue
				}
				wantStatus(t, e.method+" "+e.path, got, 403, "forbidden")
				if !strings.Contains(string(got.body), e.perm) {
					t.Errorf("%s %s: the refusal does not name %s: %s", e.method, e.path, e.perm, short(got.body))
				}
			}
		})
	}
}

var invoiceTemplate = template.Must(template.ParseFiles("testdata/invoice.xml.tmpl"))

func invoiceXML(t testing.TB, number, supplierKvK, customerKvK string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := invoiceTemplate.Execute(&b, map[string]string{"Number": number, "Supplier": supplierKvK, "Customer": customerKvK}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// hookSink is a webhook receiver on loopback that fails its first failures
// deliveries with 503.
type hookSink struct {
	*httptest.Server
	mu       sync.Mutex
	failures int
	got      []map[string]any
	tries    int
}

func newHookSink(t *testing.T, failures int) *hookSink {
	h := &hookSink{failures: failures}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.tries++
		if h.tries <= h.failures {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		var ev map[string]any
		_ = json.NewDecoder(r.Body).Decode(&ev)
		h.got = append(h.got, ev)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookSink) received() []map[string]any {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]map[string]any(nil), h.got...)
}

// The invoice endpoints against the real documents service: an imported
// purchase invoice is announced to the hook (after retries), listed,
// downloaded, its status read and withdrawn; a sales invoice is sent once
// and refused (409) when its X-EConnect-DocumentId repeats.
func TestInvoicesWithTheDocumentsService(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	w.org("Meelfabriek De Molen", "NL:KVK:87654321")
	key := w.create("exact-multivers", "NL:KVK:12345678")
	tok := w.token(key)
	const party = "0106:12345678"

	sink := newHookSink(t, 2)
	a := w.partyCall("PUT", party, "/hook", `{"url":"`+sink.URL+`/koppel"}`, tok)
	wantStatus(t, "PUT hook", a, 200, "")
	var hook struct {
		HookID int64  `json:"hookId"`
		URL    string `json:"url"`
		Topic  string `json:"topic"`
	}
	a.decode(t, &hook)
	if hook.Topic != koppel.HookTopicInvoiceReceived || hook.HookID == 0 {
		t.Fatalf("hook = %+v", hook)
	}
	wantStatus(t, "PUT hook to another computer", w.partyCall("PUT", party, "/hook", `{"url":"http://192.0.2.1/hook"}`, tok), 400, "invalid")
	wantStatus(t, "PUT hook with a bad body", w.partyCall("PUT", party, "/hook", `{"url":`, tok), 400, "invalid")
	wantStatus(t, "GET hooks", w.partyCall("GET", party, "/hook", "", tok), 200, "")
	wantStatus(t, "GET hook", w.partyCall("GET", party, fmt.Sprintf("/hook/%d", hook.HookID), "", tok), 200, "")
	wantStatus(t, "GET an unknown hook", w.partyCall("GET", party, "/hook/999", "", tok), 404, "not_found")

	d, err := w.docs.Import(w.ctx, "NL:KVK:12345678", "f-1.xml", bytes.NewReader(invoiceXML(t, "MOL-1", "87654321", "12345678")), koppel.Purchase)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(func() bool { return len(sink.received()) > 0 }, 5*time.Second)
	got := sink.received()
	if len(got) != 1 || got[0]["topic"] != "InvoiceReceived" || got[0]["number"] != "MOL-1" ||
		got[0]["documentId"] != float64(d.ID) || got[0]["partyId"] != "NL:KVK:12345678" {
		t.Fatalf("hook deliveries = %v (after %d tries)", got, sink.tries)
	}

	a = w.partyCall("GET", party, "/purchaseInvoice", "", tok)
	wantStatus(t, "list", a, 200, "")
	var offers []map[string]any
	a.decode(t, &offers)
	if len(offers) != 1 || offers[0]["documentId"] != float64(d.ID) || offers[0]["number"] != "MOL-1" ||
		offers[0]["issueDate"] != "2026-03-02" || offers[0]["supplier"] != "Supplier 87654321" {
		t.Fatalf("offers = %v", offers)
	}
	a = w.partyCall("GET", party, fmt.Sprintf("/purchaseInvoice/%d/download", d.ID), "", tok)
	wantStatus(t, "download", a, 200, "")
	if a.header.Get("Content-Type") != "application/xml" || !bytes.Contains(a.body, []byte("<cbc:ID>MOL-1</cbc:ID>")) {
		t.Fatalf("download: %s %s", a.header.Get("Content-Type"), short(a.body))
	}
	a = w.partyCall("GET", party, fmt.Sprintf("/purchaseInvoice/%d/status", d.ID), "", tok)
	wantStatus(t, "status", a, 200, "")
	if !strings.Contains(string(a.body), `"status":"Delivered"`) {
		t.Fatalf("status history: %s", short(a.body))
	}
	wantStatus(t, "download an unknown document", w.partyCall("GET", party, "/purchaseInvoice/99999/download", "", tok), 404, "not_found")
	wantStatus(t, "download a non-number", w.partyCall("GET", party, "/purchaseInvoice/abc/download", "", tok), 404, "not_found")
	wantStatus(t, "withdraw", w.partyCall("DELETE", party, fmt.Sprintf("/purchaseInvoice/%d", d.ID), "", tok), 204, "")

	sales := string(invoiceXML(t, "BJ-1", "12345678", "87654321"))
	req := w.request("POST", "/api/v1/"+party+"/salesInvoice/send", strings.NewReader(sales))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("X-EConnect-DocumentId", "erp-0001")
	a = w.do(req)
	wantStatus(t, "send", a, 200, "")
	var sent struct {
		DocumentID int64  `json:"documentId"`
		Status     string `json:"status"`
	}
	a.decode(t, &sent)
	if sent.DocumentID == 0 {
		t.Fatalf("send: %s", short(a.body))
	}
	req = w.request("POST", "/api/v1/"+party+"/salesInvoice/send", strings.NewReader(sales))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("X-EConnect-DocumentId", "erp-0001")
	wantStatus(t, "send again with the same X-EConnect-DocumentId", w.do(req), 409, "conflict")
	wantStatus(t, "sales status", w.partyCall("GET", party, fmt.Sprintf("/salesInvoice/%d/status", sent.DocumentID), "", tok), 200, "")
	wantStatus(t, "send someone else's invoice", w.partyCall("POST", party, "/salesInvoice/send", string(invoiceXML(t, "X-1", "87654321", "12345678")), tok), 403, "forbidden")
	wantStatus(t, "send something that is no invoice", w.partyCall("POST", party, "/salesInvoice/send", "hello", tok), 400, "invalid")

	a = w.partyCall("GET", party, "/hook/ping", "", tok)
	wantStatus(t, "ping", a, 200, "")
	if !strings.Contains(string(a.body), `"delivered":true`) {
		t.Fatalf("ping: %s", short(a.body))
	}
	wantStatus(t, "DELETE hook", w.partyCall("DELETE", party, fmt.Sprintf("/hook/%d", hook.HookID), "", tok), 204, "")
	wantStatus(t, "DELETE it again", w.partyCall("DELETE", party, fmt.Sprintf("/hook/%d", hook.HookID), "", tok), 404, "not_found")

	// R4 with documents: after the revoke the offers are frozen.
	w.revoke(key)
	wantStatus(t, "list after the revoke", w.partyCall("GET", party, "/purchaseInvoice", "", tok), 401, "invalid_token")
}

// Re-offers announce again: the hook of the connection that gets the offer
// hears InvoiceReceived for it.
func TestHookAnnouncesReoffers(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	old := w.create("yuki", "NL:KVK:12345678")
	d, err := w.docs.Import(w.ctx, "NL:KVK:12345678", "f.xml", bytes.NewReader(invoiceXML(t, "MOL-2", "87654321", "12345678")), koppel.Purchase)
	if err != nil {
		t.Fatal(err)
	}
	issued, _, err := w.conns.Replace(w.ctx, old.Connection.AppKey, koppel.ReasonRoutine)
	if err != nil {
		t.Fatal(err)
	}
	tok := w.token(issued)
	sink := newHookSink(t, 0)
	wantStatus(t, "PUT hook", w.partyCall("PUT", "NL:KVK:12345678", "/hook", `{"url":"`+sink.URL+`"}`, tok), 200, "")
	if _, err := w.docs.Reoffer(w.ctx, []int64{d.ID}); err != nil {
		t.Fatal(err)
	}
	waitFor(func() bool { return len(sink.received()) > 0 }, 5*time.Second)
	if got := sink.received(); len(got) != 1 || got[0]["documentId"] != float64(d.ID) || got[0]["number"] != "MOL-2" {
		t.Fatalf("deliveries after the re-offer = %v", got)
	}
}

// A hook that keeps failing is tried hookAttempts times and then given up;
// nothing blocks.
func TestHookGivesUpAfterRetries(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	key := w.create("yuki", "NL:KVK:12345678")
	tok := w.token(key)
	sink := newHookSink(t, 1000)
	wantStatus(t, "PUT hook", w.partyCall("PUT", "NL:KVK:12345678", "/hook", `{"url":"`+sink.URL+`"}`, tok), 200, "")
	if _, err := w.docs.Import(w.ctx, "NL:KVK:12345678", "f.xml", bytes.NewReader(invoiceXML(t, "MOL-3", "87654321", "12345678")), koppel.Purchase); err != nil {
		t.Fatal(err)
	}
	// 20, 40, 80, 160 ms between the five tries.
	time.Sleep(time.Second)
	sink.mu.Lock()
	tries := sink.tries
	sink.mu.Unlock()
	if tries != 5 {
		t.Fatalf("a failing hook was tried %d times, want 5", tries)
	}
	if !strings.Contains(w.logs.String(), "giving up") {
		t.Fatal("giving up on a hook was not logged")
	}
}

// Body limits: 16 KiB for JSON, 10 MiB for a document; over them is 413.
func TestBodyLimits(t *testing.T) {
	w := newWorld(t, withFake(&fakeDocs{}))
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	key := w.create("exact-multivers", "NL:KVK:12345678")
	tok := w.token(key)
	big := `{"url":"http://127.0.0.1:9/` + strings.Repeat("a", 16<<10) + `"}`
	wantStatus(t, "a hook body over 16 KiB", w.partyCall("PUT", "NL:KVK:12345678", "/hook", big, tok), 413, "too_large")
	doc := strings.Repeat("x", 10<<20)
	wantStatus(t, "a document of 10 MiB", w.partyCall("POST", "NL:KVK:12345678", "/salesInvoice/send", doc, tok), 200, "")
	wantStatus(t, "a document over 10 MiB", w.partyCall("POST", "NL:KVK:12345678", "/salesInvoice/send", doc+"x", tok), 413, "too_large")
	// Without Content-Length (chunked), the limit holds while reading.
	req := w.request("POST", "/api/v1/NL:KVK:12345678/salesInvoice/send", io.MultiReader(strings.NewReader(doc), strings.NewReader("x")))
	req.ContentLength = -1
	req.Header.Set("Authorization", "Bearer "+tok)
	wantStatus(t, "a chunked document over 10 MiB", w.do(req), 413, "too_large")
}

// slowDocs is a documents service whose hooks never come.
type slowDocs struct{ fakeDocs }

func (s *slowDocs) Hooks(ctx context.Context, conn, org int64) ([]*koppel.Hook, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// Announcing offers never blocks the import that made them: the queue is
// bounded, and what does not fit is dropped (and logged); the offers stay
// and can be polled.
func TestOnOfferedNeverBlocks(t *testing.T) {
	w := newWorld(t, func(c *psbapi.Config) { c.Documents = &slowDocs{} })
	start := time.Now()
	for i := range 10_000 {
		w.srv.OnOffered(documents.OfferedEvent{ConnectionID: 1, OrganizationID: 1, DocumentID: int64(i), PartyID: "NL:KVK:12345678", Direction: koppel.Purchase})
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("10,000 announcements took %v", took)
	}
	if logs := w.logs.String(); !strings.Contains(logs, "webhook queue full") || strings.Count(logs, "webhook queue full") > 20 {
		t.Fatal("dropped announcements were not logged")
	}
	done := make(chan struct{})
	go func() { w.srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close hangs on a stuck delivery")
	}
}
