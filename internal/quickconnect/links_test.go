package quickconnect_test

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"koppel/internal/administrations"
	"koppel/internal/backend"
	"koppel/internal/connections"
	"koppel/internal/koppel"
	"koppel/internal/psbapi"
	"koppel/internal/quickconnect"
	"koppel/internal/vault"
)

// TestLinks_FollowTheirConnection: revoking, replacing or ending the
// partnership revokes a connection's links and wipes their credentials;
// deleting the connection removes them; Remove removes one link.
func TestLinks_FollowTheirConnection(t *testing.T) {
	w := newWorld(t)
	jansen := w.Org("Bakkerij Jansen BV", "NL:KVK:12345678")
	w.Org("Groente Pieters", "NL:KVK:23456789")
	linked := func(org, software, name string) (*connections.Issued, *koppel.Link) {
		t.Helper()
		is := w.Create(org, software)
		a := w.admin(software, org, name, "")
		return is, w.apply(form(is, a, "admin@example.nl")).Link.Link
	}

	revoked, l1 := linked("NL:KVK:12345678", "yuki", "Jansen Yuki")
	if _, err := w.Conns.Revoke(w.ctx, revoked.Connection.AppKey, koppel.ReasonCompromised); err != nil {
		t.Fatal(err)
	}
	w.wantRevokedLink(l1)

	replaced, l2 := linked("NL:KVK:12345678", "basecone", "Jansen Basecone")
	fresh, _, err := w.Conns.Replace(w.ctx, replaced.Connection.AppKey, koppel.ReasonRoutine)
	if err != nil {
		t.Fatal(err)
	}
	w.wantRevokedLink(l2)
	if got := w.links(koppel.LinkFilter{ConnectionID: fresh.Connection.ID}); len(got) != 0 {
		t.Errorf("the new keys inherited links %+v; they need their own Quick Connect", got)
	}

	_, l3 := linked("NL:KVK:23456789", "whitevision", "Pieters WhiteVision")
	if _, err := w.Conns.EndPartnership(w.ctx, "NL:KVK:23456789"); err != nil {
		t.Fatal(err)
	}
	w.wantRevokedLink(l3)

	// Deleting the revoked connection removes its link; the administration stays.
	if _, err := w.Conns.Delete(w.ctx, revoked.Connection.AppKey); err != nil {
		t.Fatal(err)
	}
	if _, err := w.qc.Link(w.ctx, l1.ID); koppel.ErrorCode(err) != koppel.ENotFound {
		t.Errorf("link of a deleted connection: %v", err)
	}
	w.administration(l1.AdministrationID)

	// Links lists, oldest first; Remove drops one link and its credential.
	kept, l4 := linked("NL:KVK:12345678", "exact-multivers", "Jansen Multivers")
	list, err := w.qc.Links(w.ctx, koppel.LinkFilter{OrganizationID: jansen.ID})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range list {
		names = append(names, v.Administration.Name+"/"+string(v.Status))
	}
	if strings.Join(names, " ") != "Jansen Basecone/revoked Jansen Multivers/active" {
		t.Errorf("links of Jansen: %v", names)
	}
	active, _ := w.qc.Links(w.ctx, koppel.LinkFilter{Status: koppel.StatusActive})
	if len(active) != 1 || active[0].ID != l4.ID || active[0].Connection.ID != kept.Connection.ID {
		t.Errorf("active links: %d", len(active))
	}
	v, err := w.qc.Remove(w.ctx, l4.ID)
	if err != nil || v.ID != l4.ID {
		t.Fatalf("remove: %v", err)
	}
	if _, err := w.qc.Link(w.ctx, l4.ID); koppel.ErrorCode(err) != koppel.ENotFound {
		t.Errorf("removed link: %v", err)
	}
	if !w.conn(kept.Connection.ID).Active() {
		t.Error("removing a link revoked its connection")
	}
	_, err = w.qc.Remove(w.ctx, l4.ID)
	wantCode(t, err, koppel.ENotFound)
	if acts := w.auditActions(); acts[len(acts)-1] != "link.remove" {
		t.Errorf("last audit event %s, want link.remove", acts[len(acts)-1])
	}
	// The removed link's id is not given to the next one (the audit trail
	// names links by id).
	a5 := w.admin("exact-multivers", "NL:KVK:12345678", "Jansen Multivers 2", "")
	if l5 := w.apply(form(kept, a5, "admin@example.nl")).Link; l5.ID <= l4.ID {
		t.Errorf("a new link got id %d after link %d was removed", l5.ID, l4.ID)
	}
}

// A key shared by two organizations keeps working for the one whose
// partnership continues; its link to the ended one's administration goes.
func TestLinks_EndPartnershipOfASharedKey(t *testing.T) {
	w := newWorld(t)
	w.Org("Bakkerij Jansen BV", "NL:KVK:12345678")
	w.Org("Groente Pieters", "NL:KVK:23456789")
	shared := w.Create("NL:KVK:12345678", "yuki", "NL:KVK:23456789")
	stays := w.apply(form(shared, w.admin("yuki", "NL:KVK:12345678", "Jansen", ""), "a@example.nl")).Link.Link
	ends := w.apply(form(shared, w.admin("yuki", "NL:KVK:23456789", "Pieters", ""), "b@example.nl")).Link.Link
	if _, err := w.Conns.EndPartnership(w.ctx, "NL:KVK:23456789"); err != nil {
		t.Fatal(err)
	}
	if !w.conn(shared.Connection.ID).Active() {
		t.Fatal("the shared key was revoked")
	}
	w.wantRevokedLink(ends)
	if got := w.link(stays.ID); got.Status != koppel.StatusActive || got.SealedCredential == nil {
		t.Errorf("the other organization's link: %+v", got)
	}
}

// A linked administration cannot be moved to an organization its
// connection does not serve.
func TestAdministrationEdit_KeepsLinkedOrganization(t *testing.T) {
	w := newWorld(t)
	w.Org("Bakkerij Jansen BV", "NL:KVK:12345678")
	w.Org("Groente Pieters", "NL:KVK:23456789")
	is := w.Create("NL:KVK:12345678", "yuki")
	a := w.admin("yuki", "NL:KVK:12345678", "Jansen", "")
	w.apply(form(is, a, "a@example.nl"))
	in := administrations.Input{Software: "yuki", Organization: "NL:KVK:23456789", Name: a.Name, Email: "a@example.nl"}
	_, err := w.Admins.Edit(w.ctx, a.ID, in)
	wantCode(t, err, koppel.EConflict)
	wantKey(t, err, "administration.linked_organization")
	if got := w.administration(a.ID); got.OrganizationID != a.OrganizationID {
		t.Error("the refused edit moved the administration")
	}
	in.Organization = "NL:KVK:12345678"
	in.Code = "J1"
	if _, err := w.Admins.Edit(w.ctx, a.ID, in); err != nil {
		t.Errorf("an edit within the served organization: %v", err)
	}
}

// serveAPI runs the local API of w on a free loopback port until the test
// ends and returns its address.
func serveAPI(t *testing.T, w *world) string {
	t.Helper()
	srv := psbapi.New(psbapi.Config{Connections: w.Conns, Organizations: w.Orgs, Documents: w.docs, Keys: w.Vault,
		Now: w.Now, RevocationFile: w.RevocationsPath()})
	w.Conns.OnRevoke = srv.Invalidate
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		srv.Close()
	})
	return ln.Addr().String()
}

// deadAddr is a loopback address nothing listens on.
func deadAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func at(addr string) func(context.Context) (string, error) {
	return func(context.Context) (string, error) { return addr, nil }
}

// TestLinks_Test: a link test requests a token from a real local API with
// the sealed credential and records what it found.
func TestLinks_Test(t *testing.T) {
	w := newWorld(t)
	w.Org("Bakkerij Jansen BV", "NL:KVK:12345678")
	w.Org("Groente Pieters", "NL:KVK:23456789")
	is := w.Create("NL:KVK:12345678", "yuki", "NL:KVK:23456789")
	a := w.admin("yuki", "NL:KVK:12345678", "Bakkerij Jansen", "")
	l := w.apply(form(is, a, "jan@example.nl")).Link

	// No local API known.
	res, v, err := w.qc.Test(w.ctx, l.ID)
	if err != nil || res.OK || res.ProblemKey != "link.api_down" || !strings.HasPrefix(v.LastTestResult, "failed: ") {
		t.Fatalf("test without a tester: %+v, %v", res, err)
	}

	// A real API.
	w.qc.Tester = &psbapi.Tester{Addr: at(serveAPI(t, w))}
	w.Tick(time.Minute)
	res, v, err = w.qc.Test(w.ctx, l.ID)
	if err != nil || !res.OK {
		t.Fatalf("test: %+v, %v", res, err)
	}
	var parties []string
	for _, p := range res.Parties {
		parties = append(parties, p.PartyID+" "+p.Name)
		if !p.CanReceive || p.CanSend {
			t.Errorf("Yuki's party %s: send %t, receive %t", p.PartyID, p.CanSend, p.CanReceive)
		}
	}
	if strings.Join(parties, ", ") != "NL:KVK:12345678 Bakkerij Jansen BV, NL:KVK:23456789 Groente Pieters" {
		t.Errorf("parties %v", parties)
	}
	stored := w.link(l.ID)
	if stored.LastTestResult != "ok: NL:KVK:12345678, NL:KVK:23456789" || stored.LastTestAt == nil || !stored.LastTestAt.Equal(w.Now()) ||
		v.LastTestResult != stored.LastTestResult {
		t.Errorf("recorded %q at %v", stored.LastTestResult, stored.LastTestAt)
	}
	noSecretIn(t, res, is.Secret.Reveal())
	noSecretIn(t, v, is.Secret.Reveal())

	// No API answering, no fallback: a result, not an error.
	w.qc.Tester = &psbapi.Tester{Addr: at(deadAddr(t))}
	res, _, err = w.qc.Test(w.ctx, l.ID)
	if err != nil || res.OK || res.ProblemKey != "link.api_down" || res.ProblemParams["addr"] == "" {
		t.Fatalf("test with no API: %+v, %v", res, err)
	}
	if got := w.link(l.ID).LastTestResult; !strings.HasPrefix(got, "failed: The local API does not answer") {
		t.Errorf("recorded %q", got)
	}
	// An address off this computer is refused outright.
	w.qc.Tester = &psbapi.Tester{Addr: at("192.0.2.1:8642")}
	_, _, err = w.qc.Test(w.ctx, l.ID)
	wantCode(t, err, koppel.EInvalid)

	// A revoked link cannot be tested.
	if _, err := w.Conns.Revoke(w.ctx, is.Connection.AppKey, koppel.ReasonSwitch); err != nil {
		t.Fatal(err)
	}
	_, _, err = w.qc.Test(w.ctx, l.ID)
	wantCode(t, err, koppel.EConflict)
	wantKey(t, err, "link.revoked")
	_, _, err = w.qc.Test(w.ctx, 9999)
	wantCode(t, err, koppel.ENotFound)
}

// TestLinks_TestStandalone: on a backend opened like the command line
// opens one, AttachTester with standalone starts an API for the test when
// none answers.
func TestLinks_TestStandalone(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	ctx := context.Background()
	home := t.TempDir()
	b, err := backend.Open(ctx, backend.Config{Home: home, Actor: "test (cli)",
		Vault: vault.Config{Backend: vault.BackendFile, Passphrase: "test pass", FileDir: filepath.Join(home, "keyring"), Service: "Koppel"}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := b.Organizations.Add(ctx, organizationsNew("Bakkerij Jansen BV", "NL:KVK:12345678")); err != nil {
		t.Fatal(err)
	}
	is, err := b.Connections.Create(ctx, connections.CreateRequest{Organization: "NL:KVK:12345678", Software: "radar"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := b.Administrations.Add(ctx, administrations.Input{Software: "radar", Organization: "NL:KVK:12345678", Name: "Jansen"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := b.QuickConnect.Apply(ctx, quickconnect.ApplyRequest{Paste: paste(is), AdministrationID: a.ID, Email: "jan@example.nl", Confirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	dead := deadAddr(t)
	psbapi.AttachTester(b, at(dead), true)
	res, _, err := b.QuickConnect.Test(ctx, out.Link.ID)
	if err != nil || !res.OK || len(res.Parties) != 1 || !res.Parties[0].CanSend || res.Parties[0].CanReceive {
		t.Fatalf("standalone test: %+v, %v", res, err)
	}
	// Without standalone, nobody starts an API.
	psbapi.AttachTester(b, at(dead), false)
	res, _, err = b.QuickConnect.Test(ctx, out.Link.ID)
	if err != nil || res.OK || res.ProblemKey != "link.api_down" {
		t.Fatalf("test with no API: %+v, %v", res, err)
	}
}
