// Package koppeltest gives tests a real data folder: SQLite in a temporary
// folder, a vault with a fixed master key, the revocation list, and the core
// services on a clock the test moves. The services' own tests and those of
// the packages built on them share it.
package koppeltest

import (
	"bytes"
	"context"
	"crypto/rand"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"koppel/internal/administrations"
	"koppel/internal/audit"
	"koppel/internal/connections"
	"koppel/internal/keys"
	"koppel/internal/koppel"
	"koppel/internal/organizations"
	"koppel/internal/quickconnect"
	"koppel/internal/revocations"
	"koppel/internal/settings"
	"koppel/internal/sqlite"
	"koppel/internal/vault"
)

// MasterKey is the vault's master key in every World.
var MasterKey = bytes.Repeat([]byte{7}, 32)

// Start is the time every World's clock starts at.
var Start = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// World is an open data folder with its services.
type World struct {
	T       testing.TB
	Ctx     context.Context
	Dir     string
	DB      *sqlite.DB
	Vault   *vault.Vault
	Revoked *revocations.List
	Orgs    *organizations.Service
	Conns   *connections.Service
	Audit   *audit.Service
	// Settings, Admins and QC: the settings, the administrations and Quick
	// Connect (links), on the same store and clock. QC has no Tester.
	Settings *settings.Service
	Admins   *administrations.Service
	QC       *quickconnect.Service

	mu  sync.Mutex
	now time.Time
}

// New opens a World in a new temporary folder.
func New(t testing.TB) *World { return Open(t, t.TempDir()) }

// Open opens (or reopens) the data folder dir, reconciles it like a start
// of Koppel does, and closes it when the test ends.
func Open(t testing.TB, dir string) *World {
	t.Helper()
	w := &World{T: t, Ctx: context.Background(), Dir: dir, now: Start}
	var err error
	if w.DB, err = sqlite.Open(w.Ctx, filepath.Join(dir, "koppel.db")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.DB.Close() })
	if w.Vault, err = vault.New(MasterKey); err != nil {
		t.Fatal(err)
	}
	if w.Revoked, err = revocations.Open(w.RevocationsPath()); err != nil {
		t.Fatal(err)
	}
	w.Orgs = &organizations.Service{Store: w.DB, Now: w.Now, Actor: "test"}
	w.Conns = &connections.Service{Store: w.DB, Vault: w.Vault, Keys: keys.Generator{Rand: rand.Reader},
		Revocations: w.Revoked, Now: w.Now, Actor: "test"}
	w.Audit = &audit.Service{Store: w.DB, Hash: sqlite.AuditHash}
	w.Settings = &settings.Service{Store: w.DB, Now: w.Now, Actor: "test"}
	w.Admins = &administrations.Service{Store: w.DB, Now: w.Now, Actor: "test"}
	w.QC = &quickconnect.Service{Store: w.DB, Vault: w.Vault, Connections: w.Conns,
		Administrations: w.Admins, Now: w.Now, Actor: "test"}
	if _, err := w.Conns.Reconcile(w.Ctx); err != nil {
		t.Fatal(err)
	}
	return w
}

// RevocationsPath is where the World keeps its revocation list.
func (w *World) RevocationsPath() string { return filepath.Join(w.Dir, "revoked-keys") }

// Now is the World's clock.
func (w *World) Now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

// Tick moves the clock on by d.
func (w *World) Tick(d time.Duration) {
	w.mu.Lock()
	w.now = w.now.Add(d)
	w.mu.Unlock()
}

// Org adds an organization or fails the test.
func (w *World) Org(name, party string) *koppel.Organization {
	w.T.Helper()
	o, err := w.Orgs.Add(w.Ctx, organizations.NewOrganization{Name: name, PartyID: party})
	if err != nil {
		w.T.Fatalf("add %s: %v", name, err)
	}
	return o
}

// Create issues keys of software for org and the further grants, or fails
// the test.
func (w *World) Create(org, software string, grants ...string) *connections.Issued {
	w.T.Helper()
	is, err := w.Conns.Create(w.Ctx, connections.CreateRequest{Organization: org, Software: software, Grants: grants})
	if err != nil {
		w.T.Fatalf("create %s for %s: %v", software, org, err)
	}
	return is
}
