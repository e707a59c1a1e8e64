// Package app is Koppel's window edge: the structs bound to the frontend,
// their DTOs and the error mapping. Each bound method validates its input,
// calls one service method and maps the result; nothing here knows SQL, the
// keychain or the Wails runtime beyond the Emitter.
package app

import (
	"context"
	"runtime/debug"
	"sync"
	"time"

	"koppel/internal/backend"
	"koppel/internal/koppel"
)

// OpenFunc opens Koppel's backend. main passes one that reads the
// environment; tests pass one that uses a temporary folder.
type OpenFunc func(ctx context.Context) (*backend.Backend, error)

// Logger receives internal errors, with their detail. *logrus.Logger is one;
// so is Session, which writes to the data folder's log once it is open.
type Logger interface {
	Errorf(format string, args ...any)
}

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
	return &Session{
		open: open, fallback: fallback, newEmitter: newEmitter,
		ready: make(chan struct{}), ctx: context.Background(), err: errStarting, emitter: NopEmitter{},
	}
}

// Startup opens the backend and keeps the error, if any, for the window to
// show. It is Wails' OnStartup and runs while the page loads.
func (s *Session) Startup(ctx context.Context) {
	defer close(s.ready)
	b, err := s.open(ctx)
	if err != nil {
		logInternal(s.fallback, "open the data folder", err)
	}
	if b != nil && b.Overview != nil {
		// The page is still loading: read the connections' index now, so the
		// window's first question finds it ready. A failure here shows as
		// that question's error.
		if err := b.Overview.Load(ctx); err != nil {
			var log Logger = s.fallback
			if b.Log != nil {
				log = b.Log
			}
			logInternal(log, "read the connections", err)
		}
		// Reading it left garbage the size of the whole table: give it
		// back to the system instead of keeping it for the life of the
		// window.
		debug.FreeOSMemory()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ctx, s.backend, s.err, s.emitter = ctx, b, err, s.newEmitter(ctx)
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
	select {
	case <-s.ready:
	case <-time.After(startWait):
		return nil, nil, errStarting
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.backend, s.ctx, s.err
}

// Emit sends an event to the frontend (a no-op before Startup). An event
// that says connections or organizations changed also makes the window's
// index of them read them again.
func (s *Session) Emit(name string, data ...any) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if (name == EventConnectionsChanged || name == EventOrganizationsChanged) && s.backend != nil && s.backend.Overview != nil {
		s.backend.Overview.Invalidate()
	}
	s.emitter.Emit(name, data...)
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
