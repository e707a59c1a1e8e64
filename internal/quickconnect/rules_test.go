package quickconnect_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"koppel/internal/administrations"
	"koppel/internal/koppel"
	"koppel/internal/quickconnect"
)

// TestRule_R7_QuickConnect walks the Quick Connect form: each field is
// checked, in the window's order, and only a complete, confirmed form
// creates a link, whose credential is sealed.
func TestRule_R7_QuickConnect(t *testing.T) {
	w := newWorld(t)
	jansen := w.Org("Bakkerij Jansen BV", "NL:KVK:12345678")
	w.Org("Groente Pieters", "NL:KVK:23456789")
	yuki := w.Create("NL:KVK:12345678", "yuki")
	radar := w.Create("NL:KVK:12345678", "radar")
	multivers := w.Create("NL:KVK:12345678", "exact-multivers")
	secret := yuki.Secret.Reveal()
	a := w.admin("yuki", "NL:KVK:12345678", "Bakkerij Jansen", "jan@example.nl")
	inBasecone := w.admin("basecone", "NL:KVK:12345678", "Jansen in Basecone", "")
	ofPieters := w.admin("yuki", "NL:KVK:23456789", "Groente Pieters", "")

	refused := func(name string, req quickconnect.ApplyRequest, code, key string) map[string]string {
		t.Helper()
		before := len(w.links(koppel.LinkFilter{}))
		_, err := w.qc.Apply(w.ctx, req)
		if err == nil {
			t.Fatalf("%s: Apply succeeded", name)
		}
		wantRefused(t, err, code, key, secret)
		if after := len(w.links(koppel.LinkFilter{})); after != before {
			t.Fatalf("%s: refused Apply changed the links from %d to %d", name, before, after)
		}
		_, p := koppel.ErrorKey(err)
		return p
	}

	// Apply stays refused until the box is ticked.
	req := form(yuki, a, "jan@example.nl")
	req.Confirmed = false
	refused("not confirmed", req, koppel.EInvalid, "quickconnect.confirm")

	// The email is required, must be an address, and not the account's.
	refused("no email", form(yuki, a, "  "), koppel.EInvalid, "quickconnect.email_required")
	refused("not an email", form(yuki, a, "jan.example.nl"), koppel.EInvalid, "email.at")
	p := refused("account email", form(yuki, a, "Boekhouder@Kantoor.NL"), koppel.EInvalid, "quickconnect.account_email")
	if p["software"] != "Yuki" {
		t.Errorf("account email params %v", p)
	}
	// Not the administration's recorded address: the message shows it masked.
	p = refused("other email", form(yuki, a, "piet@example.nl"), koppel.EInvalid, "quickconnect.email_mismatch")
	if p["expected"] != "j•••@example.nl" || p["name"] != "Bakkerij Jansen" {
		t.Errorf("mismatch params %v, want expected j•••@example.nl", p)
	}
	if _, err := w.qc.Apply(w.ctx, form(yuki, a, "piet@example.nl")); !strings.Contains(koppel.ErrorMessage(err), "j•••@example.nl") ||
		strings.Contains(koppel.ErrorMessage(err), "jan@example.nl") {
		t.Errorf("mismatch message %q should name j•••@example.nl and not the address", koppel.ErrorMessage(err))
	}

	// The administration must be of the package and of a granted organization.
	refused("no administration", quickconnect.ApplyRequest{Paste: paste(yuki), Email: "jan@example.nl", Confirmed: true},
		koppel.EInvalid, "quickconnect.administration_required")
	refused("other package", form(yuki, inBasecone, "jan@example.nl"), koppel.EInvalid, "quickconnect.administration_software")
	p = refused("not granted", form(yuki, ofPieters, "jan@example.nl"), koppel.EInvalid, "quickconnect.administration_organization")
	if p["id"] != fmt.Sprint(yuki.Connection.ID) {
		t.Errorf("not granted params %v", p)
	}
	_, err := w.qc.Apply(w.ctx, quickconnect.ApplyRequest{Paste: paste(yuki), AdministrationID: 9999, Email: "jan@example.nl", Confirmed: true})
	wantCode(t, err, koppel.ENotFound)

	// The start date is a real date in YYYY-MM-DD.
	for _, date := range []string{"2026-02-30", "01-03-2026", "2026-3-1", "tomorrow", "0001-01-01"} {
		req := form(yuki, a, "jan@example.nl")
		req.StartDate = date
		if p := refused("start date "+date, req, koppel.EInvalid, "quickconnect.start_date"); p["input"] != date {
			t.Errorf("start date params %v", p)
		}
	}
	// A send-only package retrieves nothing: no start date, no sales.
	radarAdmin := w.admin("radar", "NL:KVK:12345678", "Jansen in Radar", "")
	req = form(radar, radarAdmin, "jan@example.nl")
	req.StartDate = "2026-03-01"
	refused("send-only start date", req, koppel.EInvalid, "quickconnect.send_only")
	req = form(radar, radarAdmin, "jan@example.nl")
	req.ProcessSales = true
	refused("send-only sales", req, koppel.EInvalid, "quickconnect.no_sales")
	// Exact Multivers receives, but no sales invoices.
	mvAdmin := w.admin("exact-multivers", "NL:KVK:12345678", "Jansen in Multivers", "")
	req = form(multivers, mvAdmin, "jan@example.nl")
	req.ProcessSales = true
	refused("no sales", req, koppel.EInvalid, "quickconnect.no_sales")
	// Radar without a start date and sales links fine.
	if out := w.apply(form(radar, radarAdmin, "radar@example.nl")); out.Link.StartDate != "" || out.Link.ProcessSales {
		t.Errorf("radar link %+v", out.Link.Link)
	}

	// Recognise: the keys become a token; the Secret stays in Go.
	r, err := w.qc.Recognise(w.ctx, paste(yuki))
	if err != nil {
		t.Fatal(err)
	}
	noSecretIn(t, r, secret)
	if r.Token == "" || r.Connection.ID != yuki.Connection.ID || len(r.Organizations) != 1 || r.Organizations[0].ID != jansen.ID {
		t.Fatalf("recognised %+v", r)
	}
	var eligible []string
	for _, v := range r.Administrations {
		eligible = append(eligible, v.Name)
	}
	if !slices.Equal(eligible, []string{"Bakkerij Jansen"}) {
		t.Errorf("administrations offered %v, want only Bakkerij Jansen", eligible)
	}
	out, err := w.qc.Apply(w.ctx, quickconnect.ApplyRequest{Token: r.Token, AdministrationID: a.ID, Email: "JAN@example.nl",
		StartDate: "2026-03-01", ProcessSales: true, Confirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	l := out.Link
	if l.ConnectionID != yuki.Connection.ID || l.AdministrationID != a.ID || l.StartDate != "2026-03-01" || !l.ProcessSales ||
		l.Status != koppel.StatusActive || out.Replaced != nil || out.Revoked != nil {
		t.Errorf("applied %+v", l.Link)
	}
	noSecretIn(t, out, secret)
	// The token is forgotten once applied.
	_, err = w.qc.Apply(w.ctx, quickconnect.ApplyRequest{Token: r.Token, AdministrationID: a.ID, Email: "jan@example.nl", Confirmed: true})
	wantRefused(t, err, koppel.EInvalid, "quickconnect.paste_expired", secret)
	// A token lives 15 minutes.
	b := w.admin("yuki", "", "Jansen Holding", "")
	r, err = w.qc.Recognise(w.ctx, paste(yuki))
	if err != nil {
		t.Fatal(err)
	}
	w.Tick(15*time.Minute + time.Second)
	_, err = w.qc.Apply(w.ctx, quickconnect.ApplyRequest{Token: r.Token, AdministrationID: b.ID, Email: "holding@example.nl", Confirmed: true})
	wantRefused(t, err, koppel.EInvalid, "quickconnect.paste_expired", secret)
	_, err = w.qc.Apply(w.ctx, quickconnect.ApplyRequest{Token: "not-a-token", AdministrationID: b.ID, Email: "holding@example.nl", Confirmed: true})
	wantKey(t, err, "quickconnect.paste_expired")
	r, _ = w.qc.Recognise(w.ctx, paste(yuki))
	w.Tick(14 * time.Minute)
	// An administration of no organization records the address it is given.
	if _, err := w.qc.Apply(w.ctx, quickconnect.ApplyRequest{Token: r.Token, AdministrationID: b.ID, Email: "holding@example.nl", Confirmed: true}); err != nil {
		t.Fatalf("apply within 15 minutes: %v", err)
	}
	if got := w.administration(b.ID); got.Email != "holding@example.nl" {
		t.Errorf("administration without email recorded %q", got.Email)
	}

	// The credential is sealed: it opens to the pasted Secret with the
	// vault, and its bytes are not the Secret's.
	stored := w.link(l.ID)
	if len(stored.SealedCredential) == 0 || bytes.Contains(stored.SealedCredential, []byte(secret)) ||
		bytes.Contains(stored.SealedCredential, []byte(secret[3:])) {
		t.Fatal("the link's credential is missing or holds the Secret in plain")
	}
	opened, err := w.Vault.Open(yuki.Connection.AppKey, stored.SealedCredential)
	if err != nil || opened.Reveal() != secret {
		t.Fatalf("the sealed credential does not open to the pasted Secret: %v", err)
	}
	if _, err := w.Vault.Open(radar.Connection.AppKey, stored.SealedCredential); err == nil {
		t.Error("the sealed credential opens under another App Key")
	}

	// A new administration, added on the form, records the email and
	// belongs to the connection's one organization.
	out = w.apply(quickconnect.ApplyRequest{Paste: paste(yuki), NewAdministration: &administrations.Input{Name: "Jansen Filiaal", Code: "002"},
		Email: "filiaal@example.nl", Confirmed: true})
	na := w.administration(out.Link.AdministrationID)
	if na.Name != "Jansen Filiaal" || na.Code != "002" || na.Email != "filiaal@example.nl" || na.OrganizationID != jansen.ID || na.SoftwareID != yuki.Connection.Software.ID {
		t.Errorf("new administration %+v", na)
	}
	// A new administration for an organization the keys are not granted is
	// refused, and not kept.
	_, err = w.qc.Apply(w.ctx, quickconnect.ApplyRequest{Paste: paste(yuki),
		NewAdministration: &administrations.Input{Name: "Pieters 2", Organization: "NL:KVK:23456789"}, Email: "p@example.nl", Confirmed: true})
	wantKey(t, err, "quickconnect.administration_organization")
	if list, _ := w.Admins.List(w.ctx, koppel.AdministrationFilter{Search: "Pieters 2"}); len(list) != 0 {
		t.Error("a refused Apply kept its new administration")
	}

	// Every link is in the audit trail, without the Secret.
	events, _ := w.Audit.List(w.ctx, "", 0)
	n := 0
	for _, e := range events {
		noSecretIn(t, e, secret)
		if e.Action == "link.create" {
			n++
		}
	}
	if n != 4 {
		t.Errorf("%d link.create events, want 4", n)
	}
}

// TestRule_R8_TwoLinksConflict: one administration, one active link. The
// second connection is refused with the name of the first, unless the user
// revokes the first; Autopilot waits until no key connection serves it.
func TestRule_R8_TwoLinksConflict(t *testing.T) {
	w := newWorld(t)
	w.Org("Bakkerij Jansen BV", "NL:KVK:12345678")
	first := w.Create("NL:KVK:12345678", "yuki")
	second := w.Create("NL:KVK:12345678", "yuki")
	a := w.admin("yuki", "NL:KVK:12345678", "Bakkerij Jansen", "jan@example.nl")
	old := w.apply(form(first, a, "jan@example.nl")).Link

	_, err := w.qc.Apply(w.ctx, form(second, a, "jan@example.nl"))
	wantRefused(t, err, koppel.EConflict, "quickconnect.conflict", second.Secret.Reveal())
	_, p := koppel.ErrorKey(err)
	if p["id"] != fmt.Sprint(first.Connection.ID) || p["appKey"] != first.Connection.AppKey || p["software"] != "Yuki" {
		t.Errorf("conflict params %v, want the first connection", p)
	}
	// The administration's list says who serves it.
	r, err := w.qc.Recognise(w.ctx, paste(second))
	if err != nil || len(r.Administrations) != 1 || r.Administrations[0].LinkedConnectionID != first.Connection.ID {
		t.Fatalf("recognised %+v, %v", r, err)
	}
	// Agreeing to revoke a connection that is not the other one changes nothing.
	req := form(second, a, "jan@example.nl")
	req.RevokeConflicting = second.Connection.ID
	_, err = w.qc.Apply(w.ctx, req)
	wantKey(t, err, "quickconnect.conflict")
	if !w.conn(first.Connection.ID).Active() || len(w.links(koppel.LinkFilter{})) != 1 {
		t.Fatal("a refused Apply changed the first connection or the links")
	}

	// Revoke the other connection and continue.
	req.RevokeConflicting = first.Connection.ID
	out := w.apply(req)
	if out.Revoked == nil || out.Revoked.ID != first.Connection.ID || out.Link.ConnectionID != second.Connection.ID {
		t.Fatalf("applied %+v, revoked %+v", out.Link.Link, out.Revoked)
	}
	if c := w.conn(first.Connection.ID); c.Active() || c.RevokedReason != koppel.ReasonSwitch {
		t.Errorf("first connection: status %s, reason %q", c.Status, c.RevokedReason)
	}
	w.wantRevokedLink(old.Link)
	if !w.Revoked.Has(first.Connection.AppKey) {
		t.Error("the revoked App Key is not on the revocation list")
	}
	if _, err := w.Conns.Authenticate(w.ctx, first.Connection.AppKey, first.Secret); err == nil {
		t.Error("the revoked keys still authenticate")
	}

	// Applying again replaces the connection's own link.
	again := form(second, a, "jan@example.nl")
	again.StartDate = "2026-04-01"
	out2 := w.apply(again)
	if out2.Replaced == nil || out2.Replaced.ID != out.Link.ID || out2.Revoked != nil {
		t.Fatalf("re-apply replaced %+v, revoked %+v", out2.Replaced, out2.Revoked)
	}
	active := w.links(koppel.LinkFilter{AdministrationID: a.ID, Status: koppel.StatusActive})
	if len(active) != 1 || active[0].ID != out2.Link.ID || active[0].StartDate != "2026-04-01" {
		t.Errorf("active links of the administration: %+v", active)
	}
	// The replaced link stays as history: revoked, its credential wiped,
	// its id never given to the new one.
	all := w.links(koppel.LinkFilter{ConnectionID: second.Connection.ID})
	if len(all) != 2 || all[0].ID != out.Link.ID || all[0].Status != koppel.StatusRevoked ||
		all[0].SealedCredential != nil || all[1].ID == out.Link.ID {
		t.Errorf("the connection's links after replacing its own: %+v", all)
	}

	// No Autopilot while a key connection serves the administration.
	in := administrations.Input{Software: "exact-online", Organization: "NL:KVK:12345678", Name: a.Name, Email: a.Email}
	_, err = w.Admins.Edit(w.ctx, a.ID, in)
	wantCode(t, err, koppel.EConflict)
	if p := wantKey(t, err, "administration.autopilot_conflict"); p["id"] != fmt.Sprint(second.Connection.ID) {
		t.Errorf("autopilot conflict params %v", p)
	}
	if got := w.administration(a.ID); got.SoftwareID != second.Connection.Software.ID {
		t.Error("the refused edit changed the administration")
	}
	if _, err := w.qc.Remove(w.ctx, out2.Link.ID); err != nil {
		t.Fatal(err)
	}
	v, err := w.Admins.Edit(w.ctx, a.ID, in)
	if err != nil || v.Software.Slug != "exact-online" {
		t.Fatalf("switch to Autopilot once unlinked: %+v, %v", v, err)
	}
	// Revoking the connection that served it would have done as well: a
	// revoked link does not count.
	b := w.admin("yuki", "NL:KVK:12345678", "Jansen B", "")
	l := w.apply(form(second, b, "b@example.nl")).Link
	if _, err := w.Conns.Revoke(w.ctx, second.Connection.AppKey, koppel.ReasonSwitch); err != nil {
		t.Fatal(err)
	}
	w.wantRevokedLink(l.Link)
	if _, err := w.Admins.Edit(w.ctx, b.ID, administrations.Input{Software: "snelstart", Organization: "NL:KVK:12345678", Name: "Jansen B"}); err != nil {
		t.Fatalf("switch to Autopilot after revoking: %v", err)
	}

	acts := strings.Join(w.auditActions(), " ")
	for _, want := range []string{"link.create", "connection.revoke", "link.remove", "administration.edit"} {
		if !strings.Contains(acts, want) {
			t.Errorf("audit trail %q lacks %s", acts, want)
		}
	}
}

// TestRule_R13_LinkStartDate: a link's start date holds back older
// documents, withdraws their ready offers when it is applied, and sales
// copies follow "process sales invoices".
func TestRule_R13_LinkStartDate(t *testing.T) {
	w := newWorld(t)
	o := w.Org("Bakkerij Jansen BV", "NL:KVK:12345678")
	w.Org("Groente Pieters", "NL:KVK:23456789")
	yuki := w.Create("NL:KVK:12345678", "yuki")
	c := yuki.Connection
	a := w.admin("yuki", "NL:KVK:12345678", "Bakkerij Jansen", "jan@example.nl")

	// Without a link there is no start date: everything is offered.
	e1 := w.importInv("", inv{Number: "E-1", Date: "2026-02-10"})
	w.importInv("", inv{Number: "E-2", Date: "2026-03-01"})
	if r := w.ready(c, o.ID, koppel.Purchase); !slices.Equal(r, []string{"E-1", "E-2"}) {
		t.Fatalf("before the link: %v", r)
	}
	// A link starting 2026-03-01 withdraws what was issued before, and the
	// offer says why (in English, and phrase by phrase for the window).
	req := form(yuki, a, "jan@example.nl")
	req.StartDate = "2026-03-01"
	out := w.apply(req)
	if out.Withdrawn != 1 {
		t.Errorf("withdrawn %d, want 1", out.Withdrawn)
	}
	var offers []*koppel.Offer
	if err := w.DB.View(w.ctx, func(tx koppel.Tx) (err error) { offers, err = tx.Offers(e1.ID); return err }); err != nil {
		t.Fatal(err)
	}
	if len(offers) != 1 || offers[0].State != koppel.OfferWithdrawn || len(offers[0].NotePhrases) != 1 ||
		offers[0].NotePhrases[0].Key != "note.withdrawnBySettings" || !strings.Contains(offers[0].Note, "Quick Connect settings") {
		t.Errorf("E-1's offers %+v", offers)
	}
	if r := w.ready(c, o.ID, koppel.Purchase); !slices.Equal(r, []string{"E-2"}) {
		t.Errorf("after the link: %v", r)
	}
	// From now on, documents issued before the start date are not offered.
	w.importInv("", inv{Number: "E-3", Date: "2026-02-28"})
	w.importInv("", inv{Number: "E-4", Date: "2026-03-01"})
	w.importInv("", inv{Number: "E-5", Date: "2026-03-20"})
	if r := w.ready(c, o.ID, koppel.Purchase); !slices.Equal(r, []string{"E-2", "E-4", "E-5"}) {
		t.Errorf("with start date 2026-03-01: %v", r)
	}

	// Sales copies only with "process sales invoices" on.
	sale := func(n, date string) {
		w.importInv("NL:KVK:12345678", inv{Number: n, Date: date, Supplier: "0106:12345678", Customer: "0106:23456789"})
	}
	sale("VK-1", "2026-03-05")
	if r := w.ready(c, o.ID, koppel.Sales); len(r) != 0 {
		t.Errorf("sales copies with sales off: %v", r)
	}
	req.ProcessSales = true
	if out := w.apply(req); out.Replaced == nil || out.Withdrawn != 0 {
		t.Errorf("switching sales on: replaced %v, withdrawn %d", out.Replaced, out.Withdrawn)
	}
	sale("VK-2", "2026-03-06")
	sale("VK-0", "2026-02-01") // before the start date
	if r := w.ready(c, o.ID, koppel.Sales); !slices.Equal(r, []string{"VK-2"}) {
		t.Errorf("sales copies with sales on: %v", r)
	}
	// A later start date and sales off withdraw what they no longer allow.
	req.ProcessSales, req.StartDate = false, "2026-03-10"
	out = w.apply(req)
	if out.Withdrawn != 3 { // E-2, E-4 and the copy VK-2
		t.Errorf("withdrawn %d, want 3", out.Withdrawn)
	}
	if r := w.ready(c, o.ID, koppel.Purchase); !slices.Equal(r, []string{"E-5"}) {
		t.Errorf("with start date 2026-03-10: %v", r)
	}
	if r := w.ready(c, o.ID, koppel.Sales); len(r) != 0 {
		t.Errorf("sales copies after sales off: %v", r)
	}
	// An earlier start date offers nothing back by itself; the withdrawn
	// offers stay withdrawn.
	req.StartDate = ""
	if out := w.apply(req); out.Withdrawn != 0 {
		t.Errorf("withdrawn %d after clearing the start date", out.Withdrawn)
	}
	if r := w.ready(c, o.ID, koppel.Purchase); !slices.Equal(r, []string{"E-5"}) {
		t.Errorf("after clearing the start date: %v", r)
	}
	w.importInv("", inv{Number: "E-6", Date: "2025-12-31"})
	if r := w.ready(c, o.ID, koppel.Purchase); !slices.Equal(r, []string{"E-5", "E-6"}) {
		t.Errorf("without a start date: %v", r)
	}
}
