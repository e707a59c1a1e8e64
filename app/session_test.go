package app

import (
	"context"
	"testing"
	"time"

	"koppel/internal/backend"
	"koppel/internal/koppel"
	"koppel/internal/koppeltest"
	"koppel/internal/overview"
)

// When calls stop for a moment the session gives memory back, and the
// window works on as before.
func TestSession_ReleasesMemoryWhenQuiet(t *testing.T) {
	w := openWindow(t)
	o := w.addOrg(t, "Bakkerij Jansen BV", "NL:KVK:12345678")
	w.create(t, o.ID, "yuki")
	w.s.quiet.mu.Lock()
	w.s.quiet.after = 20 * time.Millisecond
	w.s.quiet.mu.Unlock()
	before := w.s.released.Load()
	w.sys.Status()
	deadline := time.Now().Add(10 * time.Second)
	for w.s.released.Load() == before {
		if time.Now().After(deadline) {
			t.Fatal("no release after the calls stopped")
		}
		time.Sleep(10 * time.Millisecond)
	}
	got, err := w.conns.Overview(WindowQuery{Limit: 10})
	if err != nil || len(got.Connections.Rows) != 1 {
		t.Fatalf("overview after the release: %+v, %v", got.Connections, err)
	}
	// After shutdown nothing runs any more.
	w.s.Shutdown(context.Background())
	released := w.s.released.Load()
	w.s.quiet.poke()
	time.Sleep(100 * time.Millisecond)
	if w.s.released.Load() != released {
		t.Fatal("a release ran after shutdown")
	}
}

// Events are work going on (an import's progress): while they come, the
// session does not release; when they stop, it does.
func TestSession_EventsKeepItBusy(t *testing.T) {
	w := openWindow(t)
	w.s.quiet.mu.Lock()
	w.s.quiet.after = time.Second
	w.s.quiet.mu.Unlock()
	w.s.quiet.poke()
	before := w.s.released.Load()
	for range 15 {
		w.s.Emit(EventDocumentsChanged)
		time.Sleep(100 * time.Millisecond)
	}
	if got := w.s.released.Load(); got != before {
		t.Fatalf("released %d times while events came every 100 ms", got-before)
	}
	deadline := time.Now().Add(10 * time.Second)
	for w.s.released.Load() == before {
		if time.Now().After(deadline) {
			t.Fatal("no release after the events stopped")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Begin opens the backend before the window exists (main calls it before
// Wails starts); Startup then only waits for it, and nothing opens twice.
func TestSession_BeginOpensBeforeStartup(t *testing.T) {
	useTempHome(t)
	opened := make(chan struct{}, 4)
	s := NewSession(func(ctx context.Context) (*backend.Backend, error) {
		opened <- struct{}{}
		return openFromEnv(ctx)
	}, &logRecorder{}, func(context.Context) Emitter { return NopEmitter{} })
	t.Cleanup(func() { s.Shutdown(context.Background()) })

	s.Begin()
	s.Begin()
	select {
	case <-opened:
	case <-time.After(10 * time.Second):
		t.Fatal("Begin did not start opening")
	}
	select {
	case <-s.ready:
		t.Fatal("the session was ready before Startup gave it the window")
	default:
	}
	s.Startup(context.Background())
	if got := NewSystem(s).Status(); !got.Ready {
		t.Fatalf("Status() after Startup = %+v, want ready", got)
	}
	if n := len(opened); n != 0 {
		t.Fatalf("opened %d more times after Begin", n)
	}
}

// The overview's first screen is read alone; the index of every connection
// is read once the page is up (DomReady), in the background, and then
// answers searches without another read.
func TestSession_ReadsTheIndexAfterThePageIsUp(t *testing.T) {
	w := openWindow(t)
	o := w.addOrg(t, "Bakkerij Jansen BV", "NL:KVK:12345678")
	w.create(t, o.ID, "yuki")
	b, ctx, err := w.s.current()
	if err != nil {
		t.Fatal(err)
	}
	store := &koppeltest.CountingStore{Store: b.DB}
	b.Overview = overview.New(store)

	got, err := w.conns.Overview(WindowQuery{Limit: bootRows})
	if err != nil || len(got.Connections.Rows) != 1 || got.Connections.Total != 1 {
		t.Fatalf("Overview = %+v, %v", got.Connections, err)
	}
	if n := store.Listings.Load(); n != 0 {
		t.Fatalf("the first screen read every connection (%d times)", n)
	}
	w.s.DomReady(ctx)
	w.s.DomReady(ctx)
	deadline := time.Now().Add(10 * time.Second)
	for store.Listings.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the index was not read after DomReady")
		}
		time.Sleep(10 * time.Millisecond)
	}
	found, err := w.conns.Window(WindowQuery{Search: "jansen", Limit: 10})
	if err != nil || len(found.Rows) != 1 {
		t.Fatalf("search after the index was read: %+v, %v", found, err)
	}
	time.Sleep(2 * indexAfter)
	if n := store.Listings.Load(); n != 1 {
		t.Errorf("every connection was read %d times, want once", n)
	}
}

// A window whose backend did not open has no index to read.
func TestSession_DomReadyWithoutBackend(t *testing.T) {
	cause := koppel.Errorf(koppel.EInvalid, "No keychain is available.")
	s := NewSession(func(context.Context) (*backend.Backend, error) { return nil, cause }, &logRecorder{},
		func(context.Context) Emitter { return NopEmitter{} })
	s.DomReady(context.Background()) // before Startup: it waits for it
	s.Startup(context.Background())
	time.Sleep(2 * indexAfter)
	if got := NewSystem(s).Status(); got.Ready {
		t.Fatalf("Status() = %+v", got)
	}
}
