package connections_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"koppel/internal/connections"
	"koppel/internal/keys"
	"koppel/internal/koppel"
	"koppel/internal/koppeltest"

	_ "github.com/mattn/go-sqlite3"
)

func TestRule_R1_CreateNeedsOrganizationAndPackage(t *testing.T) {
	w := newWorld(t)
	w.t = t
	w.org("Bakkerij Jansen BV", "NL:KVK:12345678")

	_, err := w.conns.Create(w.ctx, connections.CreateRequest{Organization: "NL:KVK:87654321", Software: "yuki"})
	wantCode(t, err, koppel.ENotFound)
	_, err = w.conns.Create(w.ctx, connections.CreateRequest{Organization: "NL:KVK:12345678", Software: "no such package"})
	wantCode(t, err, koppel.ENotFound)
	_, err = w.conns.Create(w.ctx, connections.CreateRequest{Organization: "NL:KVK:12345678", Software: "exact-online"})
	wantCode(t, err, koppel.EConflict) // Autopilot packages need no keys

	is := w.create("0106:12345678", "Yuki") // the same party in ICD notation; the package by name
	c := is.Connection
	if !keys.ValidAppKey(c.AppKey) {
		t.Errorf("App Key %q is not of the Koppel format", c.AppKey)
	}
	if err := keys.CheckSecret(is.Secret.Reveal()); err != nil {
		t.Errorf("issued Secret fails its own check: %v", err)
	}
	if c.Status != koppel.StatusActive || c.Software.Slug != "yuki" || len(c.OrganizationIDs) != 1 {
		t.Errorf("connection = %+v", c)
	}
	if !w.authenticates(c.AppKey, is.Secret) {
		t.Error("a new connection does not authenticate with its own Secret")
	}
}

func TestRule_R2_SecretShownOnlyOnce(t *testing.T) {
	w := newWorld(t)
	w.t = t
	w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	is := w.create("NL:KVK:12345678", "basecone")
	secret := is.Secret.Reveal()

	// Nothing that reads a connection back carries the Secret.
	c, err := w.conns.Get(w.ctx, is.Connection.AppKey)
	if err != nil {
		t.Fatal(err)
	}
	list, _ := w.conns.List(w.ctx, koppel.ConnectionFilter{})
	for _, v := range []any{c, list, is, is.Secret} {
		b, _ := json.Marshal(v)
		if strings.Contains(string(b), secret) || strings.Contains(fmt.Sprintf("%v %+v %#v %s", v, v, v, v), secret) {
			t.Errorf("%T shows the Secret", v)
		}
	}
	// Nor does any file of the data folder: only a verifier is stored.
	w.db.Close()
	if w.filesContain(secret) || w.filesContain(secret[3:]) {
		t.Error("the Secret is stored in the data folder")
	}
}

func TestRule_R3_ReplaceKeys(t *testing.T) {
	w := newWorld(t)
	w.t = t
	w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	w.org("Groente Pieters", "NL:KVK:23456789")
	old := w.create("NL:KVK:12345678", "exact-multivers", "NL:KVK:23456789")

	_, _, err := w.conns.Replace(w.ctx, old.Connection.AppKey, "because")
	wantCode(t, err, koppel.EInvalid)

	w.tick(time.Hour)
	fresh, prev, err := w.conns.Replace(w.ctx, old.Connection.AppKey, koppel.ReasonLost)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Connection.AppKey == old.Connection.AppKey || fresh.Secret.Reveal() == old.Secret.Reveal() {
		t.Fatal("replacement reuses the old keys")
	}
	if fmt.Sprint(fresh.Connection.OrganizationIDs) != fmt.Sprint(old.Connection.OrganizationIDs) ||
		fresh.Connection.Software.ID != old.Connection.Software.ID {
		t.Errorf("replacement has grants %v / package %d, want %v / %d", fresh.Connection.OrganizationIDs,
			fresh.Connection.Software.ID, old.Connection.OrganizationIDs, old.Connection.Software.ID)
	}
	got, _ := w.conns.Get(w.ctx, fmt.Sprint(prev.ID))
	if got.Active() || got.RevokedReason != koppel.ReasonLost || got.ReplacedByID != fresh.Connection.ID {
		t.Errorf("old connection after replace = %+v", got)
	}
	if w.authenticates(old.Connection.AppKey, old.Secret) || !w.authenticates(fresh.Connection.AppKey, fresh.Secret) {
		t.Error("after replace the old keys should fail and the new ones work")
	}
}

// TestRule_R3_ReplaceIsOneTransaction makes the revoke half of a replace
// fail and checks the new connection was not kept either.
func TestRule_R3_ReplaceIsOneTransaction(t *testing.T) {
	w := newWorld(t)
	w.t = t
	w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	old := w.create("NL:KVK:12345678", "yuki")
	// A trigger makes the database refuse the revocation.
	raw, err := sql.Open("sqlite3", filepath.Join(w.dir, "koppel.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`CREATE TRIGGER refuse_revoke BEFORE UPDATE OF status ON connections
		BEGIN SELECT RAISE(ABORT, 'refused'); END`); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.conns.Replace(w.ctx, old.Connection.AppKey, koppel.ReasonCompromised); err == nil {
		t.Fatal("replace succeeded although its revoke failed")
	}
	list, _ := w.conns.List(w.ctx, koppel.ConnectionFilter{})
	if len(list) != 1 || !list[0].Active() {
		t.Fatalf("after a failed replace: %d connections, want only the old active one", len(list))
	}
}

func TestRule_R4_RevokeMakesInactiveAtOnce(t *testing.T) {
	w := newWorld(t)
	w.t = t
	w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	is := w.create("NL:KVK:12345678", "yuki")
	if !w.authenticates(is.Connection.AppKey, is.Secret) {
		t.Fatal("fresh keys do not authenticate")
	}
	_, err := w.conns.Revoke(w.ctx, is.Connection.AppKey, "tired")
	wantCode(t, err, koppel.EInvalid)

	c, err := w.conns.Revoke(w.ctx, is.Connection.AppKey, koppel.ReasonSwitch)
	if err != nil {
		t.Fatal(err)
	}
	if c.Active() || c.RevokedAt == nil || c.RevokedReason != koppel.ReasonSwitch {
		t.Errorf("revoked connection = %+v", c)
	}
	_, err = w.conns.Authenticate(w.ctx, is.Connection.AppKey, is.Secret)
	wantCode(t, err, koppel.EForbidden)
	if fmt.Sprint(w.revokedIDs) != fmt.Sprint([]int64{c.ID}) {
		t.Errorf("OnRevoke got %v, want [%d]", w.revokedIDs, c.ID)
	}
	_, err = w.conns.Revoke(w.ctx, is.Connection.AppKey, koppel.ReasonSwitch)
	wantCode(t, err, koppel.EConflict)

	// R14: the attempt with revoked keys is counted.
	got, _ := w.conns.Get(w.ctx, is.Connection.AppKey)
	if got.RevokedKeyAttempts != 1 || got.LastRevokedKeyAttempt == nil {
		t.Errorf("revoked-key attempts = %d, want 1", got.RevokedKeyAttempts)
	}
}

func TestRule_R5_DeleteOnlyRevoked(t *testing.T) {
	w := newWorld(t)
	w.t = t
	w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	is := w.create("NL:KVK:12345678", "whitevision")
	ref := is.Connection.AppKey

	_, err := w.conns.Delete(w.ctx, ref)
	wantCode(t, err, koppel.EConflict)
	if msg := koppel.ErrorMessage(err); !strings.Contains(msg, "Revoke it first") {
		t.Errorf("message %q does not say to revoke first", msg)
	}
	if _, err := w.conns.Revoke(w.ctx, ref, koppel.ReasonOther); err != nil {
		t.Fatal(err)
	}
	if _, err := w.conns.Delete(w.ctx, ref); err != nil {
		t.Fatal(err)
	}
	_, err = w.conns.Get(w.ctx, ref)
	wantCode(t, err, koppel.ENotFound)
	events, _ := w.audit.List(w.ctx, "", 0)
	var actions []string
	for _, e := range events {
		if e.SubjectType == "connection" && e.SubjectID == is.Connection.ID {
			actions = append(actions, e.Action)
		}
	}
	if strings.Join(actions, ",") != "connection.delete,connection.revoke,connection.create" {
		t.Errorf("audit history of the deleted connection = %v", actions)
	}
}

func TestRule_R6_OldKeysNeverWorkAgain(t *testing.T) {
	dir := t.TempDir()
	w := openWorld(t, dir)
	w.t = t
	w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	is := w.create("NL:KVK:12345678", "yuki")
	backup := filepath.Join(t.TempDir(), "before-revoke.db")
	if err := w.db.Backup(w.ctx, backup); err != nil {
		t.Fatal(err)
	}
	if _, err := w.conns.Revoke(w.ctx, is.Connection.AppKey, koppel.ReasonCompromised); err != nil {
		t.Fatal(err)
	}
	fresh, _, err := w.conns.Replace(w.ctx, is.Connection.AppKey, koppel.ReasonCompromised) // reconnect
	if err != nil {
		t.Fatal(err)
	}
	w.db.Close()

	// After a restart.
	w = openWorld(t, dir)
	w.t = t
	if w.authenticates(is.Connection.AppKey, is.Secret) {
		t.Fatal("revoked keys work after a restart")
	}
	if !w.authenticates(fresh.Connection.AppKey, fresh.Secret) {
		t.Fatal("the reconnected keys do not work after a restart")
	}
	w.db.Close()

	// After putting back a copy of the database from before the revoke.
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(filepath.Join(dir, "koppel.db"+suffix))
	}
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "koppel.db"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	w = openWorld(t, dir)
	w.t = t
	if w.authenticates(is.Connection.AppKey, is.Secret) {
		t.Fatal("revoked keys work again after restoring an older database")
	}
	c, _ := w.conns.Get(w.ctx, is.Connection.AppKey)
	if c.Active() {
		t.Error("reconciliation left the restored connection active")
	}
}

func TestRule_R9_MultipleOrganizations(t *testing.T) {
	w := newWorld(t)
	w.t = t
	a := w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	b := w.org("Groente Pieters", "NL:VAT:NL123456789B01")
	w.org("Slagerij Smit", "0106:34567890")

	ka := w.create("NL:KVK:12345678", "yuki")
	kb := w.create("NL:VAT:NL123456789B01", "yuki")
	if ka.Connection.AppKey == kb.Connection.AppKey {
		t.Fatal("two organizations got the same App Key by default")
	}
	shared := w.create("NL:KVK:12345678", "yuki", "9944:NL123456789B01", "NL:KVK:12345678")
	if fmt.Sprint(shared.Connection.OrganizationIDs) != fmt.Sprint([]int64{a.ID, b.ID}) {
		t.Errorf("shared key granted to %v, want [%d %d]", shared.Connection.OrganizationIDs, a.ID, b.ID)
	}
	for _, org := range []int64{a.ID, b.ID} {
		list, _ := w.conns.List(w.ctx, koppel.ConnectionFilter{OrganizationID: org})
		if len(list) != 2 {
			t.Errorf("organization %d has %d connections, want 2", org, len(list))
		}
	}
	if _, err := w.conns.EndPartnership(w.ctx, "0106:34567890"); err != nil {
		t.Fatal(err)
	}
	_, err := w.conns.Create(w.ctx, connections.CreateRequest{Organization: "NL:KVK:12345678", Software: "yuki", Grants: []string{"0106:34567890"}})
	wantCode(t, err, koppel.EConflict)
}

func TestRule_R15_EndPartnershipRevokesItsConnections(t *testing.T) {
	w := newWorld(t)
	w.t = t
	w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	w.org("Groente Pieters", "NL:KVK:23456789")
	own1 := w.create("NL:KVK:12345678", "yuki")
	own2 := w.create("NL:KVK:12345678", "radar")
	shared := w.create("NL:KVK:23456789", "basecone", "NL:KVK:12345678")
	other := w.create("NL:KVK:23456789", "yuki")

	res, err := w.conns.EndPartnership(w.ctx, "NL:KVK:12345678")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Revoked) != 2 || len(res.Withdrawn) != 1 {
		t.Fatalf("revoked %d, withdrawn %d; want 2 and 1", len(res.Revoked), len(res.Withdrawn))
	}
	for _, is := range []*connections.Issued{own1, own2} {
		c, _ := w.conns.Get(w.ctx, is.Connection.AppKey)
		if c.Active() || c.RevokedReason != koppel.ReasonPartnership {
			t.Errorf("connection %d after partnership end: %s (%s)", c.ID, c.Status, c.RevokedReason)
		}
		if w.authenticates(is.Connection.AppKey, is.Secret) {
			t.Errorf("connection %d still authenticates", c.ID)
		}
	}
	c, _ := w.conns.Get(w.ctx, shared.Connection.AppKey)
	if !c.Active() || len(c.OrganizationIDs) != 1 || !w.authenticates(shared.Connection.AppKey, shared.Secret) {
		t.Errorf("shared connection should keep serving the other organization: %+v", c)
	}
	if !w.authenticates(other.Connection.AppKey, other.Secret) {
		t.Error("another organization's connection was affected")
	}
	o, _ := w.orgs.Get(w.ctx, "NL:KVK:12345678")
	if o.EndedAt == nil {
		t.Error("organization not marked ended")
	}
	_, err = w.conns.EndPartnership(w.ctx, "NL:KVK:12345678")
	wantCode(t, err, koppel.EConflict)
}

func TestRule_R16_EveryChangeIsAuditedAndChained(t *testing.T) {
	w := newWorld(t)
	w.t = t
	w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	is := w.create("NL:KVK:12345678", "yuki")
	w.conns.Revoke(w.ctx, is.Connection.AppKey, koppel.ReasonLost)
	w.conns.Delete(w.ctx, is.Connection.AppKey)
	w.conns.EndPartnership(w.ctx, "NL:KVK:12345678")

	events, _ := w.audit.List(w.ctx, "", 0)
	var actions []string
	for i := len(events) - 1; i >= 0; i-- {
		actions = append(actions, events[i].Action)
		if strings.Contains(events[i].Detail, is.Secret.Reveal()) {
			t.Error("an audit event holds the Secret")
		}
	}
	want := "organization.add connection.create connection.revoke connection.delete organization.end-partnership"
	if strings.Join(actions, " ") != want {
		t.Fatalf("audit actions = %v, want %s", actions, want)
	}
	// Each detail is said phrase by phrase too (for the window's languages),
	// and in English as its phrases say it.
	revoke := events[2]
	if len(revoke.Phrases) != 1 || revoke.Phrases[0].Key != "connection.reason" ||
		revoke.Phrases[0].Params["reason"] != koppel.ReasonLost || revoke.Detail != "reason: lost" {
		t.Errorf("the revocation's detail = %q, phrases %+v; want reason: lost", revoke.Detail, revoke.Phrases)
	}
	for _, e := range events {
		if len(e.Phrases) == 0 || e.Detail != koppel.EnglishOf(e.Phrases) {
			t.Errorf("%s: detail %q, phrases %+v: the phrases do not say the detail", e.Action, e.Detail, e.Phrases)
		}
	}
	v, err := w.audit.Verify(w.ctx)
	if err != nil || !v.OK() || v.Events != 5 {
		t.Fatalf("verify = %+v, %v; want 5 intact events", v, err)
	}

	// Tamper with event 3 behind Koppel's back: verify names it.
	raw, _ := sql.Open("sqlite3", filepath.Join(w.dir, "koppel.db"))
	defer raw.Close()
	if _, err := raw.Exec("UPDATE audit_events SET detail = 'nothing happened' WHERE id = 3"); err == nil {
		t.Fatal("the append-only trigger let an update through")
	}
	mustExec(t, raw, "DROP TRIGGER audit_events_no_update")
	mustExec(t, raw, "UPDATE audit_events SET detail = 'nothing happened' WHERE id = 3")
	v, _ = w.audit.Verify(w.ctx)
	if v.OK() || v.BrokenAt != 3 || v.Events != 2 || v.Says.Key != "broken.changed" {
		t.Fatalf("after tampering, verify = %+v; want broken at 3, changed", v)
	}
}

// R16: what the window shows of a detail (its phrases) is part of the hash:
// a changed phrase is a changed event, and so is one that no longer decodes.
func TestRule_R16_ChangedPhrasesAreDetected(t *testing.T) {
	for name, change := range map[string]string{
		"another reason":  `[{"key":"connection.reason","params":{"reason":"routine"}}]`,
		"not a phrase":    `not json`,
		"phrases removed": ``,
	} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t)
			w.t = t
			w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
			is := w.create("NL:KVK:12345678", "yuki")
			w.conns.Revoke(w.ctx, is.Connection.AppKey, koppel.ReasonLost)
			w.org("Kapsalon Smit", "NL:KVK:23456789")
			raw, _ := sql.Open("sqlite3", filepath.Join(w.dir, "koppel.db"))
			defer raw.Close()
			mustExec(t, raw, "DROP TRIGGER audit_events_no_update")
			if _, err := raw.Exec("UPDATE audit_events SET phrases = ? WHERE id = 3", change); err != nil {
				t.Fatal(err)
			}
			v, _ := w.audit.Verify(w.ctx)
			if v.OK() || v.BrokenAt != 3 || v.Events != 2 || v.Says.Key != "broken.changed" {
				t.Fatalf("after changing the phrases of event 3, verify = %+v; want broken at 3", v)
			}
		})
	}
}

func TestRule_R16_RemovedEventIsDetected(t *testing.T) {
	w := newWorld(t)
	w.t = t
	w.org("A", "NL:KVK:12345678")
	w.org("B", "NL:KVK:23456789")
	w.org("C", "NL:KVK:34567890")
	raw, _ := sql.Open("sqlite3", filepath.Join(w.dir, "koppel.db"))
	defer raw.Close()
	mustExec(t, raw, "DROP TRIGGER audit_events_no_delete")
	mustExec(t, raw, "DELETE FROM audit_event_organizations WHERE event_id = 2")
	mustExec(t, raw, "DELETE FROM audit_events WHERE id = 2")
	v, _ := w.audit.Verify(w.ctx)
	if v.OK() || v.BrokenAt != 3 || v.Says.Key != "broken.missing" || v.Says.Params["from"] != "2" ||
		v.Problem != "events 2 to 2 are missing" {
		t.Fatalf("after removing event 2, verify = %+v; want broken at 3, event 2 missing", v)
	}
}

func mustExec(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// R16: the audit trail names connections by id, so a deleted connection's
// id is never given to a later one, not even after a restart.
func TestDeletedConnectionIDsAreNotReused(t *testing.T) {
	w := koppeltest.New(t)
	w.Org("Bakkerij Jansen BV", "NL:KVK:12345678")
	w.Create("NL:KVK:12345678", "yuki")
	last := w.Create("NL:KVK:12345678", "basecone").Connection
	if _, err := w.Conns.Revoke(w.Ctx, last.AppKey, koppel.ReasonOther); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Conns.Delete(w.Ctx, last.AppKey); err != nil {
		t.Fatal(err)
	}
	if next := w.Create("NL:KVK:12345678", "whitevision").Connection; next.ID <= last.ID {
		t.Fatalf("the new connection got id %d after connection %d was deleted", next.ID, last.ID)
	}
	again := koppeltest.Open(t, w.Dir)
	newest := again.Create("NL:KVK:12345678", "yuki").Connection
	if _, err := again.Conns.Revoke(again.Ctx, newest.AppKey, koppel.ReasonOther); err != nil {
		t.Fatal(err)
	}
	if _, err := again.Conns.Delete(again.Ctx, newest.AppKey); err != nil {
		t.Fatal(err)
	}
	if next := again.Create("NL:KVK:12345678", "yuki").Connection; next.ID != newest.ID+1 {
		t.Errorf("after deleting the newest connection %d, the next got id %d", newest.ID, next.ID)
	}
}
