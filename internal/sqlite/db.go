// Package sqlite stores Koppel's data in one SQLite file: embedded numbered
// migrations, one writer connection, a pool of readers, and a Tx that
// implements koppel.Tx.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"koppel/internal/koppel"

	_ "github.com/mattn/go-sqlite3" // the database/sql driver "sqlite3"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Reader pool: at most maxReaders connections, with a page cache of
// readerCacheKiB each.
const (
	maxReaders     = 4
	readerCacheKiB = 512
)

// DB is an open Koppel database. It implements koppel.Store.
type DB struct {
	path   string
	writer *sql.DB // one connection: SQLite has one writer at a time
	reader *sql.DB

	versionMu   sync.Mutex
	versionConn *sql.Conn // a reader kept for DataVersion
}

var _ koppel.Store = (*DB)(nil)

// dsn puts every setting in the connection string, so each pooled
// connection gets them.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_foreign_keys", "1")
	q.Set("_busy_timeout", "5000")
	if readOnly {
		q.Set("mode", "ro")
		// Readers serve single rows and pages: a small cache each, as the
		// OS caches the file for all of them (SQLite's default is 2 MiB per
		// connection).
		q.Set("_cache_size", strconv.Itoa(-readerCacheKiB))
	} else {
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "FULL")
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Open opens (creating if needed) the database at path and brings its
// schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, koppel.Internal("create the data folder", err)
	}
	w, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		return nil, koppel.Internal("open the database", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	db := &DB{path: path, writer: w}
	if err := db.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	_ = os.Chmod(path, 0o600)
	r, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		w.Close()
		return nil, koppel.Internal("open the database", err)
	}
	r.SetMaxOpenConns(maxReaders)
	// Keep one reader open between bursts; the others close when done and
	// give their memory back.
	r.SetMaxIdleConns(1)
	db.reader = r
	return db, nil
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// DataVersion returns a number that changes whenever a connection other than
// the one it keeps for this commits to the database: this process's writer,
// or another process (the command line beside the window). Caches compare
// it to know they are stale.
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	db.versionMu.Lock()
	defer db.versionMu.Unlock()
	if db.versionConn == nil {
		c, err := db.reader.Conn(ctx)
		if err != nil {
			return 0, koppel.Internal("watch the database", err)
		}
		db.versionConn = c
	}
	var v int64
	if err := db.versionConn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		return 0, koppel.Internal("watch the database", err)
	}
	return v, nil
}

// ShrinkMemory asks SQLite to free what its open connections cache (pages,
// parsed schema) without closing them: the writer, an idle reader and the
// connection DataVersion keeps. The next query reads what it needs again.
// A connection busy with a query is left alone.
func (db *DB) ShrinkMemory(ctx context.Context) error {
	const shrink = "PRAGMA shrink_memory"
	errs := []error{}
	if _, err := db.writer.ExecContext(ctx, shrink); err != nil {
		errs = append(errs, err)
	}
	if _, err := db.reader.ExecContext(ctx, shrink); err != nil {
		errs = append(errs, err)
	}
	db.versionMu.Lock()
	if db.versionConn != nil {
		if _, err := db.versionConn.ExecContext(ctx, shrink); err != nil {
			errs = append(errs, err)
		}
	}
	db.versionMu.Unlock()
	if err := errors.Join(errs...); err != nil {
		return koppel.Internal("free SQLite's caches", err)
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	db.versionMu.Lock()
	if db.versionConn != nil {
		_ = db.versionConn.Close()
		db.versionConn = nil
	}
	db.versionMu.Unlock()
	return errors.Join(db.reader.Close(), db.writer.Close())
}

// Update runs fn in one write transaction.
func (db *DB) Update(ctx context.Context, fn func(koppel.Tx) error) error {
	return db.run(ctx, db.writer, fn)
}

// View runs fn in a read transaction.
func (db *DB) View(ctx context.Context, fn func(koppel.Tx) error) error {
	return db.run(ctx, db.reader, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, fn func(koppel.Tx) error) error {
	sqlTx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return koppel.Internal("start a database transaction", err)
	}
	defer sqlTx.Rollback()
	if err := fn(&Tx{tx: sqlTx, ctx: ctx}); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return koppel.Internal("save the change", err)
	}
	return nil
}

// migrate applies the embedded migrations newer than PRAGMA user_version,
// each in its own transaction.
func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return koppel.Internal("read the migrations", err)
	}
	sort.Strings(names)
	var current int
	if err := db.writer.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return koppel.Internal("read the database version", err)
	}
	if current > len(names) {
		return koppel.Errorf(koppel.EConflict, "This data folder was written by a newer version of Koppel (schema %d; this version knows %d). Update Koppel.", current, len(names))
	}
	for i, name := range names[current:] {
		version := current + i + 1
		if n, _ := strconv.Atoi(strings.SplitN(filepath.Base(name), "_", 2)[0]); n != version {
			return koppel.Internal("apply migrations", fmt.Errorf("migration %s is out of sequence (want %d)", name, version))
		}
		if err := db.apply(ctx, name, version); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) apply(ctx context.Context, name string, version int) error {
	body, err := migrations.ReadFile(name)
	if err != nil {
		return koppel.Internal("read migration "+name, err)
	}
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return koppel.Internal("start migration "+name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return koppel.Internal("apply migration "+name, err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version)); err != nil {
		return koppel.Internal("record migration "+name, err)
	}
	if err := tx.Commit(); err != nil {
		return koppel.Internal("commit migration "+name, err)
	}
	return nil
}

// Backup writes a consistent copy of the database to path with VACUUM INTO.
// path must not exist yet.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return koppel.Errorf(koppel.EConflict, "The file %q already exists; choose a new name for the backup.", path)
	}
	if _, err := db.writer.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return koppel.Internal("write the backup", err)
	}
	return os.Chmod(path, 0o600)
}

// IntegrityCheck runs PRAGMA integrity_check and returns its verdict ("ok"
// when sound).
func (db *DB) IntegrityCheck(ctx context.Context) (string, error) {
	var verdict string
	if err := db.reader.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&verdict); err != nil {
		return "", koppel.Internal("check the database", err)
	}
	return verdict, nil
}
