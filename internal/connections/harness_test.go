package connections_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"koppel/internal/audit"
	"koppel/internal/connections"
	"koppel/internal/keys"
	"koppel/internal/koppel"
	"koppel/internal/organizations"
	"koppel/internal/revocations"
	"koppel/internal/sqlite"
	"koppel/internal/vault"

	"crypto/rand"
)

// world is a data folder with real SQLite, a vault, a revocation list and a
// clock the test moves.
type world struct {
	t       *testing.T
	ctx     context.Context
	dir     string
	db      *sqlite.DB
	vault   *vault.Vault
	revoked *revocations.List
	orgs    *organizations.Service
	conns   *connections.Service
	audit   *audit.Service

	mu  sync.Mutex
	now time.Time
	// revokedIDs collects what OnRevoke reported.
	revokedIDs []int64
}

var testMaster = bytes.Repeat([]byte{7}, 32)

func newWorld(t testing.TB) *world {
	t.Helper()
	return openWorld(t, t.TempDir())
}

func openWorld(t testing.TB, dir string) *world {
	t.Helper()
	w := &world{ctx: context.Background(), dir: dir, now: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)}
	if tt, ok := t.(*testing.T); ok {
		w.t = tt
	}
	var err error
	if w.db, err = sqlite.Open(w.ctx, filepath.Join(dir, "koppel.db")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.db.Close() })
	if w.vault, err = vault.New(testMaster); err != nil {
		t.Fatal(err)
	}
	if w.revoked, err = revocations.Open(filepath.Join(dir, "revoked-keys")); err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { w.mu.Lock(); defer w.mu.Unlock(); return w.now }
	w.orgs = &organizations.Service{Store: w.db, Now: clock, Actor: "test"}
	w.conns = &connections.Service{Store: w.db, Vault: w.vault, Keys: keys.Generator{Rand: rand.Reader},
		Revocations: w.revoked, Now: clock, Actor: "test",
		OnRevoke: func(ids ...int64) { w.mu.Lock(); w.revokedIDs = append(w.revokedIDs, ids...); w.mu.Unlock() }}
	w.audit = &audit.Service{Store: w.db, Hash: sqlite.AuditHash}
	if _, err := w.conns.Reconcile(w.ctx); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) tick(d time.Duration) { w.mu.Lock(); w.now = w.now.Add(d); w.mu.Unlock() }

func (w *world) org(name, party string) *koppel.Organization {
	w.t.Helper()
	o, err := w.orgs.Add(w.ctx, organizations.NewOrganization{Name: name, PartyID: party})
	if err != nil {
		w.t.Fatalf("add %s: %v", name, err)
	}
	return o
}

func (w *world) create(org, software string, grants ...string) *connections.Issued {
	w.t.Helper()
	is, err := w.conns.Create(w.ctx, connections.CreateRequest{Organization: org, Software: software, Grants: grants})
	if err != nil {
		w.t.Fatalf("create %s/%s: %v", org, software, err)
	}
	return is
}

func (w *world) authenticates(appKey string, s koppel.Secret) bool {
	_, err := w.conns.Authenticate(w.ctx, appKey, s)
	return err == nil
}

// filesContain reports whether any file of the data folder holds needle.
func (w *world) filesContain(needle string) bool {
	w.t.Helper()
	found := false
	filepath.WalkDir(w.dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && bytes.Contains(b, []byte(needle)) {
			found = true
		}
		return nil
	})
	return found
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := koppel.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}
