// Package app is Koppel's window edge: the structs bound to the frontend,
// their DTOs and the error mapping. Each bound method validates its input,
// calls one service method and maps the result; nothing here knows SQL, the
// keychain or the Wails runtime beyond the Emitter.
package app

import (
	"context"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"koppel/internal/backend"
	"koppel/internal/koppel"
	"koppel/internal/overview"
)

// OpenFunc opens Koppel's backend. main passes one that reads the
// environment; tests pass one that uses a temporary folder.
type OpenFunc func(ctx context.Context) (*backend.Backend, error)

// Logger receives internal errors, with their detail. *logrus.Logger is one;
// so is Session, which writes to the data folder's log once it is open.
type Logger interface {
	Errorf(format string, args ...any)
}

// quietAfter is how long the window must go without a call before Koppel
// gives back the memory its last burst of work used (releaseMemory).
const quietAfter = 1500 * time.Millisecond

// backgroundGCPause bounds how long startup work runs with the garbage
// collector paused (background).
const backgroundGCPause = 2 * time.Second

// startWait bounds how long a call made while the backend is still opening
// (a keychain prompt may be on screen) waits before it gives up.
const startWait = 2 * time.Minute

var (
	errStarting = koppel.Errorf(koppel.EInternal, "Koppel is still starting. Try again in a moment.").WithKey("app.starting")
	errClosed   = koppel.Errorf(koppel.EInternal, "Koppel is shutting down.").WithKey("app.closed")
)

// Session owns the backend for the life of the window: opened by Wails'
// OnStartup, closed by OnShutdown. Until it is open, or when opening failed,
// calls get the reason as their error.
type Session struct {
	open       OpenFunc
	fallback   Logger // until the data folder's log is open
	newEmitter func(context.Context) Emitter
	ready      chan struct{} // closed when Startup has finished
	begin      sync.Once     // starts the opening (Begin)
	indexOnce  sync.Once     // reads the whole index (DomReady)
	opening    chan struct{} // closed when the opening has finished
	opened     *backend.Backend
	openErr    error
	changes    atomic.Uint64                   // events saying connections or organizations changed
	window     atomic.Pointer[OpenedWindowDTO] // the window as its page described itself (System.WindowOpened)
	quiet      *quietTimer                     // runs releaseMemory when calls stop for a moment
	released   atomic.Int64                    // times releaseMemory ran (tests)

	mu         sync.RWMutex
	ctx        context.Context
	backend    *backend.Backend
	err        error
	emitter    Emitter
	onShutdown []func() // run first by Shutdown, in order
}

// NewSession returns a session that opens nothing until Startup. fallback
// logs what happens while the data folder's log is not open; newEmitter makes
// the event emitter from the window's context (WailsEmitter in main).
func NewSession(open OpenFunc, fallback Logger, newEmitter func(context.Context) Emitter) *Session {
	s := &Session{
		open: open, fallback: fallback, newEmitter: newEmitter,
		ready: make(chan struct{}), opening: make(chan struct{}),
		ctx: context.Background(), err: errStarting, emitter: NopEmitter{},
	}
	s.quiet = &quietTimer{after: quietAfter, fn: s.releaseMemory}
	return s
}

// Begin starts opening the backend, in the background, and returns at once;
// a second call does nothing. main calls it before it creates the window:
// opening then runs beside GTK's start, while a core is free, instead of
// beside WebKit's, which the first page waits for (measured on a 2-core
// machine: Wails calls OnStartup ~70 ms after main starts, and the opening
// ran on until just before the page started; from main it is done before
// WebKit's processes are spawned).
func (s *Session) Begin() {
	s.begin.Do(func() {
		go func() {
			defer close(s.opening)
			background(func() { s.opened, s.openErr = s.openForWindow(context.Background()) })
		}()
	})
}

// Startup waits for the backend to open (starting the opening if Begin did
// not) and keeps the error, if any, for the window to show. It is Wails'
// OnStartup and runs while the window appears.
func (s *Session) Startup(ctx context.Context) {
	defer close(s.ready)
	s.Begin()
	<-s.opening
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ctx, s.backend, s.err, s.emitter = ctx, s.opened, s.openErr, s.newEmitter(ctx)
	// Opening left garbage the size of the whole table; the first quiet
	// moment gives it back.
	s.quiet.poke()
}

// openForWindow opens the backend and reads what the window's first screen
// shows (the overview's First), so that its first question finds it ready.
// The rest of the connections' index is read once the page is up
// (DomReady). A read that fails shows as that question's error.
func (s *Session) openForWindow(ctx context.Context) (*backend.Backend, error) {
	b, err := s.open(ctx)
	if err != nil {
		logInternal(s.fallback, "open the data folder", err)
	}
	if b != nil && b.Overview != nil {
		if _, _, err := b.Overview.First(ctx, overview.Query{Limit: bootRows}); err != nil {
			logInternal(backendLog(b, s.fallback), "read the connections", err)
		}
	}
	return b, err
}

// indexAfter is how long after the page's DOM is ready the whole index of
// connections is read: after its first frame, so as not to take a core
// from it.
const indexAfter = 150 * time.Millisecond

// DomReady reads the index of every connection, in the background, shortly
// after the window's page is ready, so that the first search or scroll
// finds it read; until then the overview's first screen came from First.
// It is part of Wails' OnDomReady. A question that needs the index before
// it is read reads it then.
func (s *Session) DomReady(context.Context) {
	s.indexOnce.Do(func() {
		time.AfterFunc(indexAfter, func() {
			<-s.ready // a page served without boot data can be up before the backend
			s.mu.RLock()
			b, ctx := s.backend, s.ctx
			s.mu.RUnlock()
			if b == nil || b.Overview == nil {
				return
			}
			background(func() {
				if err := b.Overview.Load(ctx); err != nil {
					logInternal(s, "read the connections", err)
				}
			})
			// Reading left garbage the size of the whole table.
			s.quiet.poke()
		})
	})
}

// backendLog is b's log when it has one, else fallback.
func backendLog(b *backend.Backend, fallback Logger) Logger {
	if b.Log != nil {
		return b.Log
	}
	return fallback
}

// background runs work, and waits for it, as startup work that must not
// slow the window down while it appears: the window's own startup and
// WebKit's start on the same cores at the same moment (make bench-ui: the
// page started ~20 ms later with Koppel's opening beside it). On its own
// thread at the lowest CPU priority where the system allows it
// (lowerPriority), and with the garbage collector paused until it is done:
// the garbage is collected when the window goes quiet.
func background(work func()) {
	gcPercent := debug.SetGCPercent(-1)
	collect := sync.OnceFunc(func() { debug.SetGCPercent(gcPercent) })
	defer collect()
	// A long wait (a keychain asking for a password) must not leave the
	// collector off.
	defer time.AfterFunc(backgroundGCPause, collect).Stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		// The thread ends with this goroutine: Go discards a thread whose
		// goroutine exits locked to it, so the lower priority goes with it.
		runtime.LockOSThread()
		lowerPriority()
		work()
	}()
	<-done
}

// atShutdown registers fn to run when the window closes, before the backend
// does.
func (s *Session) atShutdown(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onShutdown = append(s.onShutdown, fn)
}

// Shutdown runs what registered with atShutdown and closes the backend. It
// is Wails' OnShutdown.
func (s *Session) Shutdown(context.Context) {
	s.quiet.stop()
	s.mu.RLock()
	hooks := s.onShutdown
	s.mu.RUnlock()
	for _, fn := range hooks {
		fn()
	}
	s.mu.Lock()
	b := s.backend
	s.backend, s.err, s.emitter = nil, errClosed, NopEmitter{}
	s.mu.Unlock()
	if b == nil {
		return
	}
	if err := b.Close(); err != nil {
		logInternal(s.fallback, "close the data folder", err)
	}
}

// current waits for Startup and returns the open backend with the window's
// context, or the reason there is none.
func (s *Session) current() (*backend.Backend, context.Context, error) {
	s.quiet.poke()
	select {
	case <-s.ready:
	case <-time.After(startWait):
		return nil, nil, errStarting
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.backend, s.ctx, s.err
}

// releaseMemory gives back what the backend's last burst of work left
// cached (backend.ReleaseMemory): the window's idle footprint is then what
// it holds, not what its startup or a large import needed.
func (s *Session) releaseMemory() {
	s.mu.RLock()
	b, ctx := s.backend, s.ctx
	s.mu.RUnlock()
	if b == nil {
		return
	}
	if err := b.ReleaseMemory(ctx); err != nil {
		s.Errorf("release memory: %v", err)
	}
	s.released.Add(1)
}

// quietTimer runs fn once calls to poke have stopped for after.
type quietTimer struct {
	after time.Duration
	fn    func()

	mu      sync.Mutex
	timer   *time.Timer
	stopped bool
}

// poke (re)starts the wait.
func (q *quietTimer) poke() {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.stopped:
	case q.timer == nil:
		q.timer = time.AfterFunc(q.after, q.fn)
	default:
		q.timer.Reset(q.after)
	}
}

// stop ends the timer for good.
func (q *quietTimer) stop() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.stopped = true
	if q.timer != nil {
		q.timer.Stop()
	}
}

// Emit sends an event to the frontend (a no-op before Startup). An event
// that says connections or organizations changed also makes the window's
// index of them read them again.
func (s *Session) Emit(name string, data ...any) {
	s.quiet.poke() // work going on (an import's progress, say) is not quiet
	s.mu.RLock()
	defer s.mu.RUnlock()
	if name == EventConnectionsChanged || name == EventOrganizationsChanged {
		s.changes.Add(1)
		if s.backend != nil && s.backend.Overview != nil {
			s.backend.Overview.Invalidate()
		}
	}
	s.emitter.Emit(name, data...)
}

// Infof logs to the data folder's log when it is open, else nowhere.
func (s *Session) Infof(format string, args ...any) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.backend != nil && s.backend.Log != nil {
		s.backend.Log.Infof(format, args...)
	}
}

// Errorf logs to the data folder's log when it is open, else to the fallback.
func (s *Session) Errorf(format string, args ...any) {
	s.mu.RLock()
	var log Logger = s.fallback
	if s.backend != nil && s.backend.Log != nil {
		log = s.backend.Log
	}
	s.mu.RUnlock()
	log.Errorf(format, args...)
}
