// Package revocations keeps the App Keys of revoked connections in an
// append-only file beside the database, so that a connection revoked once
// stays revoked even when an older copy of the database is put back (R6).
package revocations

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
)

// List is the file of revoked App Keys. It is safe for concurrent use.
type List struct {
	mu   sync.Mutex
	path string
	keys map[string]struct{}
}

// Open reads the list at path; a missing file is an empty list.
func Open(path string) (*List, error) {
	l := &List{path: path, keys: map[string]struct{}{}}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open revocation list: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// A torn last line (a crash mid-append) is ignored: reconciliation
		// writes the key again from the database.
		if k := strings.TrimSpace(sc.Text()); validKey(k) {
			l.keys[k] = struct{}{}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read revocation list: %w", err)
	}
	return l, nil
}

// Has reports whether appKey was ever revoked.
func (l *List) Has(appKey string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.keys[appKey]
	return ok
}

// Add appends the App Keys not yet on the list and syncs the file.
func (l *List) Add(appKeys ...string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for _, k := range appKeys {
		if _, ok := l.keys[k]; !ok && validKey(k) {
			b.WriteString(k + "\n")
		}
	}
	if b.Len() == 0 {
		return nil
	}
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open revocation list: %w", err)
	}
	// Start on a fresh line in case an earlier append was torn.
	if _, err := f.WriteString("\n" + b.String()); err != nil {
		f.Close()
		return fmt.Errorf("append to revocation list: %w", err)
	}
	if err := errors.Join(f.Sync(), f.Close()); err != nil {
		return fmt.Errorf("save revocation list: %w", err)
	}
	for _, k := range appKeys {
		if validKey(k) {
			l.keys[k] = struct{}{}
		}
	}
	return nil
}

// validKey accepts App Key-shaped tokens only, so the file can never carry
// anything else (in particular never a Secret).
func validKey(k string) bool {
	if !strings.HasPrefix(k, "ak_") || len(k) > 64 {
		return false
	}
	for _, c := range k[3:] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
