// Package overview keeps the connections as the window lists them: every
// connection of the data folder in one compact index in memory, newest
// first, that a query filters, searches, counts and cuts into the few rows a
// screen shows. The window so never holds ten thousand rows, and a keystroke
// in its search costs no SQL.
//
// The index is read from the Store once and kept until Invalidate says the
// data changed; the next query reads it again. Until it is read, First
// answers the list's first screen from the Store without reading the rest.
package overview

import (
	"context"
	"slices"
	"strings"
	"sync"

	"koppel/internal/koppel"
)

// Row is a connection as the lists show it. Times are Unix milliseconds, 0
// when there is none.
type Row = koppel.ConnectionListing

// Query picks the rows of a window: the connections of one organization
// (0: all) that pass the filters, and of those Limit rows from Offset.
type Query struct {
	OrganizationID int64
	Status         koppel.Status // "" for any
	SoftwareID     int64         // 0 for any
	// Search holds words that must each occur, in any case, in the row's
	// package name, App Key, or the name or party ID of one of its
	// organizations.
	Search string
	Offset int
	Limit  int
}

// Window is the answer to a Query.
type Window struct {
	Total   int   // connections of the organization (or all): the scope
	Matched int   // of those, the ones that pass the filters
	Offset  int   // the index of Rows[0] among the matched
	Rows    []Row // at most Limit, newest first
	// SoftwareIDs are the packages of the connections in scope.
	SoftwareIDs []int64
}

// Lists are the organizations (ended partnerships too) and the software
// catalog the index was read with, for the window's other lists.
type Lists struct {
	Organizations []*koppel.Organization
	Software      []*koppel.Software
}

// Index is the in-memory index of one Store. Its zero value is not usable;
// use New.
type Index struct {
	store koppel.Store

	mu         sync.Mutex
	generation uint64 // bumped by Invalidate
	version    int64  // the store's DataVersion when last asked
	built      uint64 // the generation the index was read at
	ready      bool
	lists      Lists
	rows       []Row // newest first
	// What Search matches besides a row's App Key, lower case: each
	// organization's name and party ID, each package's name.
	orgText map[int64]string
	swText  map[int64]string
	// The matches of the last query, kept so that scrolling through them
	// costs no new pass.
	last    matchKey
	matches []int32
	scope   int
	used    []int64
	// The first screen as First read it while the index was not (nil when
	// none), and the generation it was read at.
	head      *koppel.ListingsHead
	headLists Lists
	headGen   uint64
}

// versioned is a Store that can tell when it changed (sqlite.DB).
type versioned interface {
	DataVersion(ctx context.Context) (int64, error)
}

// New returns an index of store that reads it on first use.
func New(store koppel.Store) *Index { return &Index{store: store} }

// Invalidate says the connections, organizations or packages changed: the
// next query reads them again.
func (ix *Index) Invalidate() {
	ix.mu.Lock()
	ix.generation++
	ix.mu.Unlock()
}

// Load reads the index now unless it is current: startup calls it so the
// first query finds it ready.
func (ix *Index) Load(ctx context.Context) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.current(ctx)
}

// Window answers q.
func (ix *Index) Window(ctx context.Context, q Query) (*Window, error) {
	if err := q.check(); err != nil {
		return nil, err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if err := ix.current(ctx); err != nil {
		return nil, err
	}
	return ix.window(q), nil
}

// First answers q with the lists: the window's first question. When q asks
// for the start of the whole list (no filter, from the first row) and the
// index is not read, it reads just those rows and the counts from the
// Store, a few milliseconds where the whole index takes tens, and keeps them
// while the data stays the same: the window can show its first screen
// before the index is read (Load).
func (ix *Index) First(ctx context.Context, q Query) (Lists, *Window, error) {
	if err := q.check(); err != nil {
		return Lists{}, nil, err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.checkVersion(ctx)
	start := q.OrganizationID == 0 && q.Status == "" && q.SoftwareID == 0 && len(words(q.Search)) == 0 && q.Offset <= 0
	if ix.ready && ix.built == ix.generation || !start {
		if err := ix.current(ctx); err != nil {
			return Lists{}, nil, err
		}
		return ix.lists, ix.window(q), nil
	}
	limit := max(q.Limit, 0)
	if ix.head == nil || ix.headGen != ix.generation || len(ix.head.Newest) < min(limit, ix.head.Total) {
		if err := ix.readHead(ctx, limit); err != nil {
			return Lists{}, nil, err
		}
	}
	h := ix.head
	w := &Window{Total: h.Total, Matched: h.Total, SoftwareIDs: slices.Clone(h.SoftwareIDs)}
	w.Rows = make([]Row, 0, min(limit, len(h.Newest)))
	for _, r := range h.Newest[:cap(w.Rows)] {
		r.OrganizationIDs = slices.Clone(r.OrganizationIDs)
		w.Rows = append(w.Rows, r)
	}
	return ix.headLists, w, nil
}

// readHead reads the lists and the first limit rows for First. ix.mu is
// held.
func (ix *Index) readHead(ctx context.Context, limit int) error {
	gen := ix.generation
	var lists Lists
	var head koppel.ListingsHead
	err := ix.store.View(ctx, func(tx koppel.Tx) (err error) {
		if lists, err = readLists(tx); err != nil {
			return err
		}
		head, err = tx.NewestConnectionListings(limit)
		return err
	})
	if err != nil {
		return err
	}
	ix.head, ix.headLists, ix.headGen = &head, lists, gen
	return nil
}

// check refuses a status that is neither active nor revoked.
func (q Query) check() error {
	if q.Status != "" && !q.Status.Valid() {
		return koppel.Errorf(koppel.EInvalid, "The status must be active or revoked.").WithKey("connection.status")
	}
	return nil
}

// window answers q from the index. ix.mu is held and the index current.
func (ix *Index) window(q Query) *Window {
	key := matchKey{q.OrganizationID, q.Status, q.SoftwareID, strings.Join(words(q.Search), " ")}
	if !ix.ready || key != ix.last || ix.matches == nil {
		ix.match(key)
	}
	w := &Window{Total: ix.scope, Matched: len(ix.matches), SoftwareIDs: slices.Clone(ix.used)}
	w.Offset = min(max(q.Offset, 0), len(ix.matches))
	end := min(w.Offset+max(q.Limit, 0), len(ix.matches))
	w.Rows = make([]Row, 0, end-w.Offset)
	for _, i := range ix.matches[w.Offset:end] {
		r := ix.rows[i]
		r.OrganizationIDs = slices.Clone(r.OrganizationIDs)
		w.Rows = append(w.Rows, r)
	}
	return w
}

type matchKey struct {
	org      int64
	status   koppel.Status
	software int64
	search   string // the words, lower case, joined by one space
}

// match finds the rows that pass key, and the scope's size and packages.
// A word matches a row when its package, App Key or one of its
// organizations holds it: which organizations and packages hold each word is
// found once, so the pass over the rows looks up ids.
func (ix *Index) match(key matchKey) {
	ws := strings.Fields(key.search)
	orgHas := make([]map[int64]bool, len(ws))
	swHas := make([]map[int64]bool, len(ws))
	for j, w := range ws {
		orgHas[j], swHas[j] = holding(ix.orgText, w), holding(ix.swText, w)
	}
	matches := make([]int32, 0, 64)
	scope := 0
	used := map[int64]bool{}
rows:
	for i := range ix.rows {
		r := &ix.rows[i]
		if key.org != 0 && !slices.Contains(r.OrganizationIDs, key.org) {
			continue
		}
		scope++
		used[r.SoftwareID] = true
		if key.status != "" && r.Status != key.status || key.software != 0 && r.SoftwareID != key.software {
			continue
		}
		for j, w := range ws {
			if !swHas[j][r.SoftwareID] && !containsLower(r.AppKey, w) && !slices.ContainsFunc(r.OrganizationIDs, func(id int64) bool { return orgHas[j][id] }) {
				continue rows
			}
		}
		matches = append(matches, int32(i))
	}
	ix.last, ix.matches, ix.scope = key, matches, scope
	ix.used = ix.used[:0]
	for id := range used {
		ix.used = append(ix.used, id)
	}
	slices.Sort(ix.used)
}

// holding returns the ids whose text holds word.
func holding(text map[int64]string, word string) map[int64]bool {
	ids := map[int64]bool{}
	for id, t := range text {
		if strings.Contains(t, word) {
			ids[id] = true
		}
	}
	return ids
}

// containsLower reports whether s, in any case, holds word (lower case),
// without a lower-case copy of s.
func containsLower(s, word string) bool {
	for i := 0; i+len(word) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(word)], word) {
			return true
		}
	}
	return false
}

// words splits a search text into lower-case words.
func words(search string) []string { return strings.Fields(strings.ToLower(search)) }

// checkVersion bumps the generation if another process changed the store.
// ix.mu is held.
func (ix *Index) checkVersion(ctx context.Context) {
	if v, ok := ix.store.(versioned); ok {
		// A change from another process (the command line beside the
		// window) sends no event: the store's version tells.
		if n, err := v.DataVersion(ctx); err == nil && n != ix.version {
			ix.version = n
			ix.generation++
		}
	}
}

// readLists reads the organizations, ended partnerships too, and the
// packages.
func readLists(tx koppel.Tx) (l Lists, err error) {
	if l.Organizations, err = tx.Organizations(koppel.OrganizationFilter{IncludeEnded: true}); err != nil {
		return l, err
	}
	l.Software, err = tx.SoftwareList()
	return l, err
}

// current reads the index if it is not ready or older than the last
// Invalidate. ix.mu is held.
func (ix *Index) current(ctx context.Context) error {
	ix.checkVersion(ctx)
	if ix.ready && ix.built == ix.generation {
		return nil
	}
	gen := ix.generation
	var lists Lists
	var conns []Row
	err := ix.store.View(ctx, func(tx koppel.Tx) (err error) {
		if lists, err = readLists(tx); err != nil {
			return err
		}
		conns, err = tx.ConnectionListings()
		return err
	})
	if err != nil {
		return err
	}
	orgs, sw := lists.Organizations, lists.Software
	orgText := make(map[int64]string, len(orgs))
	for _, o := range orgs {
		t := o.Name + " " + string(o.PartyID)
		if c := o.PartyID.Canonical(); c != string(o.PartyID) {
			t += " " + c // the other notation finds it too
		}
		orgText[o.ID] = strings.ToLower(t)
	}
	swText := make(map[int64]string, len(sw))
	for _, s := range sw {
		swText[s.ID] = strings.ToLower(s.Name)
	}
	ix.lists = lists
	ix.rows, ix.orgText, ix.swText = conns, orgText, swText
	ix.matches, ix.used = nil, nil
	ix.built, ix.ready = gen, true
	ix.head, ix.headLists = nil, Lists{}
	return nil
}
