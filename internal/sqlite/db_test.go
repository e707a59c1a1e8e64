package sqlite

import (
	"context"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"koppel/internal/koppel"
)

func openTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "koppel.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestPragmasOnEveryConnection checks the DSN settings reach pooled
// connections, not just the first.
func TestPragmasOnEveryConnection(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	conns := make([]interface{ Close() error }, 0, 3)
	for range 3 {
		c, err := db.reader.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var fk, busy int
		c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk)
		c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy)
		if fk != 1 || busy != 5000 {
			t.Errorf("reader connection: foreign_keys=%d busy_timeout=%d", fk, busy)
		}
	}
	for _, c := range conns {
		c.Close()
	}
	var mode string
	var sync int
	db.writer.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode)
	db.writer.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync)
	if mode != "wal" || sync != 2 {
		t.Errorf("writer: journal_mode=%s synchronous=%d, want wal and 2 (FULL)", mode, sync)
	}
}

func TestMigrationsSetUserVersionAndAreIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "koppel.db")
	ctx := context.Background()
	for range 2 {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		var v int
		db.writer.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
		if names, _ := fs.Glob(migrations, "migrations/*.sql"); v != len(names) {
			t.Errorf("user_version = %d, want %d (one per migration)", v, len(names))
		}
		var n int
		db.writer.QueryRowContext(ctx, "SELECT count(*) FROM software WHERE built_in = 1").Scan(&n)
		if n != 8 {
			t.Errorf("catalog has %d built-in packages, want 8", n)
		}
		db.Close()
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	db := openTest(t)
	db.writer.Exec("PRAGMA user_version = 99")
	db.Close()
	_, err := Open(context.Background(), db.path)
	if koppel.ErrorCode(err) != koppel.EConflict {
		t.Fatalf("opening a newer schema: %v", err)
	}
}

func TestForeignKeysAreEnforced(t *testing.T) {
	db := openTest(t)
	err := db.Update(context.Background(), func(tx koppel.Tx) error {
		c := &koppel.Connection{AppKey: "ak_x", Software: koppel.Software{ID: 1}, Status: koppel.StatusActive,
			OrganizationIDs: []int64{42}, CreatedAt: time.Now()}
		return tx.CreateConnection(c, make([]byte, 32))
	})
	if err == nil {
		t.Fatal("a grant to a missing organization was accepted")
	}
}

func TestUpdateRollsBackOnError(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	_ = db.Update(ctx, func(tx koppel.Tx) error {
		tx.CreateOrganization(&koppel.Organization{Name: "A", PartyID: "NL:KVK:12345678", CreatedAt: time.Now()})
		return koppel.Errorf(koppel.EInvalid, "stop")
	})
	db.View(ctx, func(tx koppel.Tx) error {
		orgs, _ := tx.Organizations(koppel.OrganizationFilter{})
		if len(orgs) != 0 {
			t.Errorf("a failed transaction left %d organizations", len(orgs))
		}
		return nil
	})
}

func TestSearchTreatsWildcardsLiterally(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	db.Update(ctx, func(tx koppel.Tx) error {
		tx.CreateOrganization(&koppel.Organization{Name: "100% Bio", PartyID: "NL:KVK:12345678", CreatedAt: time.Now()})
		return tx.CreateOrganization(&koppel.Organization{Name: "Bakker_Smit", PartyID: "NL:KVK:23456789", CreatedAt: time.Now()})
	})
	for search, want := range map[string]int{"%": 1, "_": 1, "bio": 1, "b": 2, "x%y": 0} {
		db.View(ctx, func(tx koppel.Tx) error {
			orgs, _ := tx.Organizations(koppel.OrganizationFilter{Search: search})
			if len(orgs) != want {
				t.Errorf("search %q found %d, want %d", search, len(orgs), want)
			}
			return nil
		})
	}
}

func TestBackupIsConsistentAndRefusesOverwrite(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	db.Update(ctx, func(tx koppel.Tx) error {
		return tx.CreateOrganization(&koppel.Organization{Name: "A", PartyID: "NL:KVK:12345678", CreatedAt: time.Now()})
	})
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, path); koppel.ErrorCode(err) != koppel.EConflict {
		t.Errorf("second backup to the same file: %v", err)
	}
	copyDB, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	if v, _ := copyDB.IntegrityCheck(ctx); v != "ok" {
		t.Errorf("backup integrity: %s", v)
	}
	copyDB.View(ctx, func(tx koppel.Tx) error {
		if orgs, _ := tx.Organizations(koppel.OrganizationFilter{}); len(orgs) != 1 {
			t.Errorf("backup has %d organizations, want 1", len(orgs))
		}
		return nil
	})
}
