package quickconnect_test

// The test world: koppeltest's data folder (SQLite in a temporary folder, a
// vault with a fixed master key, a clock the test moves) with the documents
// service beside Quick Connect. Secrets never go into test output: failures
// name App Keys.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"koppel/internal/administrations"
	"koppel/internal/connections"
	"koppel/internal/documents"
	"koppel/internal/keys"
	"koppel/internal/koppel"
	"koppel/internal/koppeltest"
	"koppel/internal/organizations"
	"koppel/internal/quickconnect"
	"koppel/internal/settings"
)

type world struct {
	*koppeltest.World
	t    testing.TB
	ctx  context.Context
	qc   *quickconnect.Service
	docs *documents.Service
}

// accountEmail is the account email every world has in Settings.
const accountEmail = "boekhouder@kantoor.nl"

func newWorld(t testing.TB) *world {
	t.Helper()
	return wrap(t, koppeltest.New(t))
}

func wrap(t testing.TB, kw *koppeltest.World) *world {
	t.Helper()
	w := &world{World: kw, t: t, ctx: kw.Ctx, qc: kw.QC}
	w.docs = &documents.Service{Store: kw.DB, Now: kw.Now, Actor: "test"}
	if _, err := kw.Settings.Set(w.ctx, settings.AccountEmail, accountEmail); err != nil {
		t.Fatal(err)
	}
	return w
}

// admin adds an administration of software for org ("" for none), or fails.
func (w *world) admin(software, org, name, email string) *koppel.Administration {
	w.t.Helper()
	v, err := w.Admins.Add(w.ctx, administrations.Input{Software: software, Organization: org, Name: name, Email: email})
	if err != nil {
		w.t.Fatalf("add administration %s: %v", name, err)
	}
	return v.Administration
}

// paste is the English Quick Connect text of is.
func paste(is *connections.Issued) string {
	return keys.QuickConnectText(is.Connection.AppKey, is.Secret, "Bakkerij Jansen BV", "NL:KVK:12345678", "en")
}

// form is a valid Apply request for is and the administration: the form as
// the window fills it, with the paste instead of a token.
func form(is *connections.Issued, a *koppel.Administration, email string) quickconnect.ApplyRequest {
	return quickconnect.ApplyRequest{Paste: paste(is), AdministrationID: a.ID, Email: email, Confirmed: true}
}

func (w *world) apply(req quickconnect.ApplyRequest) *quickconnect.Applied {
	w.t.Helper()
	out, err := w.qc.Apply(w.ctx, req)
	if err != nil {
		w.t.Fatalf("apply: %v", err)
	}
	return out
}

// links returns every link, oldest first.
func (w *world) links(f koppel.LinkFilter) []*koppel.Link {
	w.t.Helper()
	var out []*koppel.Link
	err := w.DB.View(w.ctx, func(tx koppel.Tx) (err error) {
		out, err = tx.Links(f)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

func (w *world) link(id int64) *koppel.Link {
	w.t.Helper()
	v, err := w.qc.Link(w.ctx, id)
	if err != nil {
		w.t.Fatalf("link %d: %v", id, err)
	}
	return v.Link
}

func (w *world) conn(id int64) *koppel.Connection {
	w.t.Helper()
	c, err := w.Conns.Get(w.ctx, fmt.Sprint(id))
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

func (w *world) administration(id int64) *koppel.Administration {
	w.t.Helper()
	v, err := w.Admins.Get(w.ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return v.Administration
}

// auditActions lists the actions of the audit trail, oldest first.
func (w *world) auditActions() []string {
	w.t.Helper()
	events, err := w.Audit.List(w.ctx, "", 0)
	if err != nil {
		w.t.Fatal(err)
	}
	out := make([]string, len(events))
	for i, e := range events {
		out[len(events)-1-i] = e.Action
	}
	return out
}

// wantRevokedLink checks that l was revoked with its connection and its
// sealed credential wiped.
func (w *world) wantRevokedLink(l *koppel.Link) {
	w.t.Helper()
	got := w.link(l.ID)
	if got.Status != koppel.StatusRevoked || got.RevokedAt == nil || len(got.SealedCredential) != 0 {
		w.t.Errorf("link %d after its connection was revoked: status %s, revoked at %v, %d credential bytes",
			l.ID, got.Status, got.RevokedAt, len(got.SealedCredential))
	}
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := koppel.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func wantKey(t testing.TB, err error, key string) map[string]string {
	t.Helper()
	got, params := koppel.ErrorKey(err)
	if got != key {
		t.Fatalf("error key = %q (%v), want %q", got, err, key)
	}
	return params
}

// wantRefused checks err's code and key and that neither its message nor
// its parameters hold secret (or its body without the prefix).
func wantRefused(t testing.TB, err error, code, key string, secret string) {
	t.Helper()
	wantCode(t, err, code)
	params := wantKey(t, err, key)
	assertNoSecret(t, "message", koppel.ErrorMessage(err)+err.Error(), secret)
	for k, v := range params {
		assertNoSecret(t, "parameter "+k, v, secret)
	}
}

// assertNoSecret fails when text holds the secret, its body or any 8
// characters of it in a row.
func assertNoSecret(t testing.TB, what, text, secret string) {
	t.Helper()
	if secret == "" {
		return
	}
	body := strings.TrimPrefix(secret, "sk_")
	for i := 0; i+8 <= len(body); i++ {
		if strings.Contains(text, body[i:i+8]) {
			t.Fatalf("%s holds part of the Secret (App Key test output only)", what)
		}
	}
}

// noSecretIn fails when v, printed every way or as JSON, holds the secret.
func noSecretIn(t testing.TB, v any, secret string) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, fmt.Sprintf("%T as JSON", v), string(b), secret)
	assertNoSecret(t, fmt.Sprintf("%T printed", v), fmt.Sprintf("%v %+v %#v", v, v, v), secret)
}

// inv describes a generated invoice (koppeltest.UBL renders it).
type inv = koppeltest.Invoice

// importInv imports a generated invoice for orgRef; blanks make it a
// purchase invoice of Bakkerij Jansen from Meelfabriek De Molen.
func (w *world) importInv(orgRef string, i inv) *koppel.Document {
	w.t.Helper()
	d, err := w.docs.Import(w.ctx, orgRef, i.Number+".xml", bytes.NewReader(koppeltest.UBL(i)), "")
	if err != nil {
		w.t.Fatalf("import %s: %v", i.Number, err)
	}
	return d
}

// ready returns the numbers ready for the connection.
func (w *world) ready(c *koppel.Connection, orgID int64, dir koppel.DocumentDirection) []string {
	w.t.Helper()
	list, err := w.docs.ReadyOffers(w.ctx, c.ID, orgID, dir)
	if err != nil {
		w.t.Fatalf("ready offers of connection %d: %v", c.ID, err)
	}
	out := []string{}
	for _, v := range list {
		out = append(out, v.Number)
	}
	return out
}

func organizationsNew(name, party string) organizations.NewOrganization {
	return organizations.NewOrganization{Name: name, PartyID: party}
}
