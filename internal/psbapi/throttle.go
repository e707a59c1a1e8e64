package psbapi

import (
	"container/list"
	"sync"
	"sync/atomic"
	"time"

	"koppel/internal/koppel"
)

// Throttling of failed token requests, per App Key. The first
// freeFailures-1 failures in a row cost nothing; from then on each failure
// closes the App Key for a back-off that doubles from baseBackoff up to
// maxBackoff. While closed,
// every token request with that App Key gets 429 and Retry-After without
// being checked, so it neither counts nor extends the back-off: the right
// Secret is never locked out for longer than the back-off in force, and a
// success clears the record.
const (
	freeFailures = 5
	baseBackoff  = time.Second
	maxBackoff   = time.Minute
	// forgetAfter: a record with no failure for this long starts over.
	forgetAfter = 15 * time.Minute
	// maxThrottled bounds the records; the least recently failed goes
	// first, so unknown App Keys cannot grow memory without bound.
	maxThrottled = 4096
	// maxClientIDLen: longer client ids share one record.
	maxClientIDLen = 64
)

type throttle struct {
	now koppel.Clock

	records atomic.Int64 // len(byKey), read without the lock: usually 0

	mu    sync.Mutex
	order *list.List               // of *failures, most recent failure first
	byKey map[string]*list.Element // App Key → element of order
}

type failures struct {
	key   string
	count int
	last  time.Time // last failure
	until time.Time // closed until
}

func newThrottle(now koppel.Clock) *throttle {
	return &throttle{now: now, order: list.New(), byKey: map[string]*list.Element{}}
}

func throttleKey(appKey string) string {
	if len(appKey) > maxClientIDLen {
		return "\x00overlong"
	}
	return appKey
}

// wait returns how long appKey stays closed, or 0 if it is open.
func (t *throttle) wait(appKey string) time.Duration {
	if t.records.Load() == 0 {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.byKey[throttleKey(appKey)]
	if !ok {
		return 0
	}
	if d := e.Value.(*failures).until.Sub(t.now()); d > 0 {
		return d
	}
	return 0
}

// fail counts a failed request for appKey.
func (t *throttle) fail(appKey string) {
	key := throttleKey(appKey)
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	var f *failures
	if e, ok := t.byKey[key]; ok {
		f = e.Value.(*failures)
		t.order.MoveToFront(e)
		if now.Sub(f.last) > forgetAfter {
			f.count = 0
		}
	} else {
		if t.order.Len() >= maxThrottled {
			oldest := t.order.Back()
			t.order.Remove(oldest)
			delete(t.byKey, oldest.Value.(*failures).key)
		}
		f = &failures{key: key}
		t.byKey[key] = t.order.PushFront(f)
		t.records.Store(int64(len(t.byKey)))
	}
	f.count++
	f.last = now
	if f.count >= freeFailures {
		f.until = now.Add(backoff(f.count - freeFailures))
	}
}

// succeed clears appKey's record.
func (t *throttle) succeed(appKey string) {
	if t.records.Load() == 0 {
		return
	}
	key := throttleKey(appKey)
	t.mu.Lock()
	defer t.mu.Unlock()
	if e, ok := t.byKey[key]; ok {
		t.order.Remove(e)
		delete(t.byKey, key)
		t.records.Store(int64(len(t.byKey)))
	}
}

// backoff is baseBackoff doubled n times, at most maxBackoff.
func backoff(n int) time.Duration {
	if n >= 16 {
		return maxBackoff
	}
	return min(baseBackoff<<n, maxBackoff)
}
