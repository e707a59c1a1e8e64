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
	"koppel/internal/koppel"
	"koppel/internal/koppeltest"
	"koppel/internal/organizations"
	"koppel/internal/sqlite"
)

// world is a koppeltest.World with short names for these tests, and what
// OnRevoke reported.
type world struct {
	*koppeltest.World
	t     *testing.T
	ctx   context.Context
	dir   string
	db    *sqlite.DB
	orgs  *organizations.Service
	conns *connections.Service
	audit *audit.Service

	mu         sync.Mutex
	revokedIDs []int64
}

func newWorld(t testing.TB) *world {
	t.Helper()
	return openWorld(t, t.TempDir())
}

func openWorld(t testing.TB, dir string) *world {
	t.Helper()
	kw := koppeltest.Open(t, dir)
	w := &world{World: kw, ctx: kw.Ctx, dir: kw.Dir, db: kw.DB, orgs: kw.Orgs, conns: kw.Conns, audit: kw.Audit}
	if tt, ok := t.(*testing.T); ok {
		w.t = tt
	}
	w.conns.OnRevoke = func(ids ...int64) { w.mu.Lock(); w.revokedIDs = append(w.revokedIDs, ids...); w.mu.Unlock() }
	return w
}

func (w *world) tick(d time.Duration) { w.Tick(d) }

func (w *world) org(name, party string) *koppel.Organization {
	w.T.Helper()
	return w.Org(name, party)
}

func (w *world) create(org, software string, grants ...string) *connections.Issued {
	w.T.Helper()
	return w.Create(org, software, grants...)
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
