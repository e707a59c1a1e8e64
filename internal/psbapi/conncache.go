package psbapi

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"hash"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"koppel/internal/koppel"
)

// connState is what a request needs to know about a connection: a snapshot
// taken from the database, never changed after it is made.
type connState struct {
	id       int64
	appKey   string
	software koppel.Software
	active   bool
	parties  []party // the organizations granted, partnerships not ended
	// partiesJSON is the answer of /me/party for all of parties.
	partiesJSON []byte
	// verifier is an HMAC of the Secret under the cache key, set once a
	// token request has proven the Secret against the database. A
	// connection's Secret never changes, so it carries over refreshes.
	verifier []byte
	loaded   time.Time // monotonic; for the freshness bound
}

// party is one organization a connection is granted.
type party struct {
	orgID     int64
	id        koppel.PartyID
	canonical string
	name      string
}

// party returns the granted party with the canonical id, or nil.
func (c *connState) party(canonical string) *party {
	for i := range c.parties {
		if c.parties[i].canonical == canonical {
			return &c.parties[i]
		}
	}
	return nil
}

// partyByOrg returns the granted party of organization orgID, or nil.
func (c *connState) partyByOrg(orgID int64) *party {
	for i := range c.parties {
		if c.parties[i].orgID == orgID {
			return &c.parties[i]
		}
	}
	return nil
}

const (
	// cacheFresh bounds how long a snapshot is used without a look at the
	// database. Revocations do not wait for it (Invalidate drops snapshots
	// at once, the revocation file within watchEvery); it bounds the staleness of
	// changes that do not pass through them, such as a grant withdrawn
	// from a shared key when a partnership ends.
	cacheFresh = 2 * time.Second
	// maxCached bounds the number of snapshots.
	maxCached = 10_000
)

// connCache keeps connection snapshots by id and by App Key. A snapshot is
// stored only if no invalidation happened while it was read, so a read that
// raced a revoke can never put the old status back.
type connCache struct {
	conns Connections
	orgs  Organizations
	macs  sync.Pool // HMAC-SHA256 under the cache key, for Secret verifiers

	watch     *watchedFile // the revocation file, or nil
	watchSize atomic.Int64 // its size when last looked at
	watchedAt atomic.Int64 // when, in nanoseconds since epoch (monotonic)
	epoch     time.Time

	mu    sync.RWMutex
	gen   uint64 // counts invalidations
	byID  map[int64]*connState
	byKey map[string]*connState
}

func newConnCache(conns Connections, orgs Organizations, key []byte, watch string) *connCache {
	c := &connCache{conns: conns, orgs: orgs, epoch: time.Now(),
		byID: map[int64]*connState{}, byKey: map[string]*connState{}}
	c.macs.New = func() any { return hmac.New(sha256.New, key) }
	if watch != "" {
		c.watch = &watchedFile{path: watch}
		c.watchSize.Store(c.watch.size())
	}
	return c
}

// errRefused is a failed client authentication that needs no database read:
// a Secret that does not match a cached verifier.
var errRefused = koppel.Errorf(koppel.EForbidden, "The App Key and Secret are not valid.")

// authenticate checks appKey and secret: against the cached verifier when
// the connection is known and active, otherwise through the connection
// service, which also counts attempts with revoked keys (R14).
func (c *connCache) authenticate(ctx context.Context, appKey string, secret koppel.Secret) (*connState, error) {
	c.checkWatch()
	c.mu.RLock()
	st, gen := c.byKey[appKey], c.gen
	c.mu.RUnlock()
	if st != nil && st.active && st.verifier != nil && time.Since(st.loaded) < cacheFresh {
		if !hmac.Equal(c.verifier(secret), st.verifier) {
			return nil, errRefused
		}
		return st, nil
	}
	conn, err := c.conns.Authenticate(ctx, appKey, secret)
	if err != nil {
		return nil, err
	}
	st, err = c.snapshot(ctx, conn)
	if err != nil {
		return nil, err
	}
	st.verifier = c.verifier(secret)
	c.store(st, gen)
	return st, nil
}

// get returns the snapshot of connection id; a deleted connection is an
// inactive one.
func (c *connCache) get(ctx context.Context, id int64) (*connState, error) {
	c.checkWatch()
	c.mu.RLock()
	old, gen := c.byID[id], c.gen
	c.mu.RUnlock()
	if old != nil && time.Since(old.loaded) < cacheFresh {
		return old, nil
	}
	conn, err := c.conns.Get(ctx, strconv.FormatInt(id, 10))
	if koppel.ErrorCode(err) == koppel.ENotFound {
		return &connState{id: id, loaded: time.Now()}, nil
	}
	if err != nil {
		return nil, err
	}
	st, err := c.snapshot(ctx, conn)
	if err != nil {
		return nil, err
	}
	if old != nil && old.appKey == st.appKey {
		st.verifier = old.verifier
	}
	c.store(st, gen)
	return st, nil
}

// snapshot reads what a connection is granted.
func (c *connCache) snapshot(ctx context.Context, conn *koppel.Connection) (*connState, error) {
	st := &connState{id: conn.ID, appKey: conn.AppKey, software: conn.Software, active: conn.Active()}
	for _, id := range conn.OrganizationIDs {
		o, err := c.orgs.Get(ctx, strconv.FormatInt(id, 10))
		if koppel.ErrorCode(err) == koppel.ENotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		if o.EndedAt != nil {
			continue
		}
		st.parties = append(st.parties, party{orgID: o.ID, id: o.PartyID, canonical: o.PartyID.Canonical(), name: o.Name})
	}
	st.partiesJSON = encodeParties(st.software.Direction, st.parties)
	st.loaded = time.Now()
	return st, nil
}

// store keeps st unless an invalidation happened since gen was read.
func (c *connCache) store(st *connState, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if _, ok := c.byID[st.id]; !ok && len(c.byID) >= maxCached {
		for id, old := range c.byID { // drop any one
			delete(c.byID, id)
			delete(c.byKey, old.appKey)
			break
		}
	}
	c.byID[st.id] = st
	c.byKey[st.appKey] = st
}

// invalidate drops the snapshots of ids, or all of them without ids.
func (c *connCache) invalidate(ids ...int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if len(ids) == 0 {
		clear(c.byID)
		clear(c.byKey)
		return
	}
	for _, id := range ids {
		if st, ok := c.byID[id]; ok {
			delete(c.byKey, st.appKey)
			delete(c.byID, id)
		}
	}
}

// watchEvery bounds how often the revocation file is looked at: a revoke
// by another process bites on the first request that starts watchEvery
// after that process's Revoke returned, or earlier. (A look is a system
// call; once per request it cost the token endpoint a tenth of its
// throughput.)
const watchEvery = time.Millisecond

// checkWatch drops every snapshot when the revocation file has grown: some
// process revoked a connection.
func (c *connCache) checkWatch() {
	if c.watch == nil {
		return
	}
	now := time.Since(c.epoch)
	if last := c.watchedAt.Load(); now-time.Duration(last) < watchEvery {
		return
	}
	if size := c.watch.size(); size != c.watchSize.Load() {
		c.mu.Lock()
		c.gen++
		clear(c.byID)
		clear(c.byKey)
		c.watchSize.Store(size)
		c.mu.Unlock()
	}
	// Only now, with what the look found applied, may others skip theirs.
	c.watchedAt.Store(int64(now))
}

// watchedFile reads the size of an append-only file through an open
// descriptor (fstat costs a third of stat by path, and this runs on every
// request). Until the file exists its size is 0.
type watchedFile struct {
	path string
	f    atomic.Pointer[os.File]
}

func (w *watchedFile) size() int64 {
	f := w.f.Load()
	if f == nil {
		var err error
		if f, err = os.Open(w.path); err != nil {
			return 0
		}
		if !w.f.CompareAndSwap(nil, f) {
			f.Close()
			f = w.f.Load()
		}
	}
	fi, err := f.Stat()
	if err != nil {
		if w.f.CompareAndSwap(f, nil) {
			f.Close()
		}
		return 0
	}
	return fi.Size()
}

// close closes the descriptor.
func (w *watchedFile) close() {
	if f := w.f.Swap(nil); f != nil {
		f.Close()
	}
}

// close releases what the cache holds open.
func (c *connCache) close() {
	if c.watch != nil {
		c.watch.close()
	}
}

// verifier returns the HMAC of secret under the cache key.
func (c *connCache) verifier(secret koppel.Secret) []byte {
	h := c.macs.Get().(hash.Hash)
	h.Reset()
	h.Write([]byte(secret.Reveal()))
	sum := h.Sum(nil)
	c.macs.Put(h)
	return sum
}
