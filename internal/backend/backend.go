// Package backend opens a Koppel data folder — database, keychain, log,
// revocation list — and wires the services the edges (CLI, window, API) use.
package backend

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"github.com/sirupsen/logrus"

	"koppel/internal/administrations"
	"koppel/internal/audit"
	"koppel/internal/connections"
	"koppel/internal/documents"
	"koppel/internal/keys"
	"koppel/internal/koppel"
	"koppel/internal/logging"
	"koppel/internal/memory"
	"koppel/internal/organizations"
	"koppel/internal/overview"
	"koppel/internal/quickconnect"
	"koppel/internal/revocations"
	"koppel/internal/settings"
	"koppel/internal/sqlite"
	"koppel/internal/vault"
)

// Config says which data folder to open and who is acting.
type Config struct {
	Home  string       // the data folder
	Actor string       // who acts, written into the audit trail
	Vault vault.Config // where the master key lives
	Now   koppel.Clock // nil: the wall clock
	Rand  io.Reader    // nil: crypto/rand
}

// ConfigFromEnv builds the Config from KOPPEL_HOME (default: the OS config
// folder + "Koppel"), KOPPEL_KEYRING and KOPPEL_KEYRING_PASSPHRASE. edge
// names the caller ("cli", "gui", "api") for the audit trail.
func ConfigFromEnv(edge string) (Config, error) {
	home := os.Getenv("KOPPEL_HOME")
	if home == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return Config{}, koppel.Errorf(koppel.EInvalid, "Koppel cannot find your settings folder; set KOPPEL_HOME to the folder Koppel should keep its data in.")
		}
		home = filepath.Join(dir, "Koppel")
	}
	home, err := filepath.Abs(home)
	if err != nil {
		return Config{}, koppel.Internal("find the data folder", err)
	}
	return Config{Home: home, Actor: actor(edge), Vault: vault.ConfigFromEnv(home)}, nil
}

func actor(edge string) string {
	name := "unknown"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	return name + " (" + edge + ")"
}

// Backend is an open data folder with its services.
type Backend struct {
	Home          string
	DB            *sqlite.DB
	Vault         *vault.Vault
	Log           *logrus.Logger
	Organizations *organizations.Service
	Connections   *connections.Service
	Documents     *documents.Service
	Audit         *audit.Service
	Settings      *settings.Service
	// Overview is the connections as the window lists them, kept in memory.
	Overview *overview.Index
	// Administrations and QuickConnect: links to bookkeeping
	// administrations. QuickConnect's Tester is set by the edge that knows
	// where the local API runs.
	Administrations *administrations.Service
	QuickConnect    *quickconnect.Service
	// Reconciled is what startup reconciliation mended.
	Reconciled *connections.Reconciled

	closeLog func() error
}

// Open opens the data folder cfg.Home, creating it on first use, unlocks the
// master key and reconciles what an earlier run left half-done.
func Open(ctx context.Context, cfg Config) (*Backend, error) {
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return time.Now().UTC() }
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if err := os.MkdirAll(cfg.Home, 0o700); err != nil {
		return nil, koppel.Errorf(koppel.EInternal, "Koppel cannot create its data folder %s: %v", cfg.Home, err)
	}
	b := &Backend{Home: cfg.Home}
	if err := b.open(ctx, cfg); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

func (b *Backend) open(ctx context.Context, cfg Config) (err error) {
	if b.Log, b.closeLog, err = logging.OpenFile(cfg.Home, logrus.InfoLevel); err != nil {
		return koppel.Internal("open the log", err)
	}
	if b.DB, err = sqlite.Open(ctx, filepath.Join(cfg.Home, "koppel.db")); err != nil {
		return err
	}
	if b.Vault, err = vault.Open(cfg.Vault, cfg.Rand); err != nil {
		return err
	}
	revoked, err := revocations.Open(b.RevocationsPath())
	if err != nil {
		return koppel.Internal("read the revocation list", err)
	}
	b.Organizations = &organizations.Service{Store: b.DB, Now: cfg.Now, Actor: cfg.Actor}
	b.Connections = &connections.Service{Store: b.DB, Vault: b.Vault, Keys: keys.Generator{Rand: cfg.Rand},
		Revocations: revoked, Now: cfg.Now, Actor: cfg.Actor}
	b.Documents = &documents.Service{Store: b.DB, Now: cfg.Now, Actor: cfg.Actor}
	b.Audit = &audit.Service{Store: b.DB, Hash: sqlite.AuditHash}
	b.Settings = &settings.Service{Store: b.DB, Now: cfg.Now, Actor: cfg.Actor}
	b.Overview = overview.New(b.DB)
	b.Administrations = &administrations.Service{Store: b.DB, Now: cfg.Now, Actor: cfg.Actor}
	b.QuickConnect = &quickconnect.Service{Store: b.DB, Vault: b.Vault, Connections: b.Connections,
		Administrations: b.Administrations, Now: cfg.Now, Actor: cfg.Actor}
	if b.Reconciled, err = b.Connections.Reconcile(ctx); err != nil {
		return err
	}
	if r := b.Reconciled; r.Unfinished+int64(r.Broken+r.Resurrected+r.Listed) > 0 {
		b.Log.WithFields(logrus.Fields{"unfinished": r.Unfinished, "broken": r.Broken,
			"resurrected": r.Resurrected, "listed": r.Listed}).Warn("startup reconciliation mended the data folder")
	}
	return nil
}

// RevocationsFile is the name of the revoked-keys list in the data folder.
const RevocationsFile = "revoked-keys"

// RevocationsPath returns where the revoked-keys list of this data folder is.
func (b *Backend) RevocationsPath() string { return filepath.Join(b.Home, RevocationsFile) }

// Backup writes a consistent copy of the database to path.
func (b *Backend) Backup(ctx context.Context, path string) error {
	return b.DB.Backup(ctx, path)
}

// ReleaseMemory gives back what the last burst of work left cached: SQLite's
// page caches, Go's free heap and the C allocator's free pages. The window
// calls it when it has been quiet for a moment; nothing is lost, the next
// query reads what it needs again.
func (b *Backend) ReleaseMemory(ctx context.Context) error {
	err := b.DB.ShrinkMemory(ctx)
	memory.Release()
	return err
}

// Close closes everything Open opened.
func (b *Backend) Close() error {
	var errs []error
	if b.DB != nil {
		errs = append(errs, b.DB.Close())
	}
	if b.closeLog != nil {
		errs = append(errs, b.closeLog())
	}
	return errors.Join(errs...)
}
