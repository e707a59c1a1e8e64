// Package psbapi is Koppel's local HTTP API: the subset of eConnect's
// Procurement Service Bus (PSB) protocol that accounting software uses with
// connection keys — OIDC discovery, the OAuth 2.0 token endpoint, the
// connection and party endpoints, purchase and sales invoices and webhooks
// (DESIGN §5).
//
// It listens on loopback only. Access tokens are self-verifying (see
// tokens.go): nothing is stored per token, and every call re-checks the
// token's MAC, its expiry and the connection's status, the last through a
// cache that Invalidate clears when a connection is revoked (R4).
package psbapi

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"koppel/internal/koppel"
)

// TokenKeyPurpose is the vault purpose of the key that signs access tokens.
// The Secret cache's key is derived under CacheKeyPurpose.
const (
	TokenKeyPurpose = "koppel/psbapi/token/v1"
	CacheKeyPurpose = "koppel/psbapi/secret-cache/v1"
)

// Connections is what the API needs of the connection-key service
// (*connections.Service).
type Connections interface {
	// Authenticate checks an App Key and Secret and counts attempts with
	// revoked keys (R14).
	Authenticate(ctx context.Context, appKey string, secret koppel.Secret) (*koppel.Connection, error)
	// Get returns a connection by id or App Key.
	Get(ctx context.Context, ref string) (*koppel.Connection, error)
	// Touch records that a connection was used.
	Touch(ctx context.Context, id int64) error
}

// Organizations finds organizations by id or party ID
// (*organizations.Service).
type Organizations interface {
	Get(ctx context.Context, ref string) (*koppel.Organization, error)
}

// KeyDeriver derives keys from the master key (the vault).
type KeyDeriver interface {
	DeriveKey(purpose string) []byte
}

// Config holds the Server's dependencies. Connections, Organizations and
// Keys are required.
type Config struct {
	Connections   Connections
	Organizations Organizations
	// Documents serves the invoice and hook endpoints; nil makes them
	// answer 503.
	Documents Documents
	Keys      KeyDeriver
	Now       koppel.Clock   // nil: the wall clock
	Log       *logrus.Logger // nil: discard
	Rand      io.Reader      // token nonces; nil: crypto/rand
	// RevocationFile is the data folder's revocation list (the file
	// revocations.List appends to). Its growth means another process
	// revoked a connection, which drops the whole status cache; "" watches
	// nothing, so only Invalidate does.
	RevocationFile string
	// HookRetry is the first delay before a failed hook delivery is tried
	// again; it doubles per attempt. Zero means one second.
	HookRetry time.Duration
}

// Server is the local API. Make it with New; it is safe for concurrent use.
type Server struct {
	cfg      Config
	now      koppel.Clock
	log      *logrus.Logger
	tokens   *tokenMaker
	conns    *connCache
	throttle *throttle
	touch    *toucher
	hooks    *hookQueue
	mux      *http.ServeMux

	stop     context.CancelFunc
	wg       sync.WaitGroup
	stopOnce sync.Once
}

// New returns a Server for cfg and starts its background workers (last-used
// recording, hook delivery); Close stops them.
func New(cfg Config) *Server {
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return time.Now().UTC() }
	}
	if cfg.Log == nil {
		cfg.Log = logrus.New()
		cfg.Log.SetOutput(io.Discard)
	}
	if cfg.HookRetry <= 0 {
		cfg.HookRetry = time.Second
	}
	ctx, stop := context.WithCancel(context.Background())
	s := &Server{
		cfg:      cfg,
		now:      cfg.Now,
		log:      cfg.Log,
		tokens:   newTokenMaker(cfg.Keys.DeriveKey(TokenKeyPurpose), cfg.Rand),
		conns:    newConnCache(cfg.Connections, cfg.Organizations, cfg.Keys.DeriveKey(CacheKeyPurpose), cfg.RevocationFile),
		throttle: newThrottle(cfg.Now),
		stop:     stop,
	}
	s.touch = newToucher(cfg.Connections, cfg.Now, cfg.Log)
	s.hooks = newHookQueue(s, cfg.HookRetry)
	s.routes()
	s.wg.Add(2)
	go func() { defer s.wg.Done(); s.touch.run(ctx) }()
	go func() { defer s.wg.Done(); s.hooks.run(ctx) }()
	return s
}

// Close stops the background workers and waits for them. Deliveries still
// queued are dropped; last-used times not yet written are written first.
func (s *Server) Close() error {
	s.stopOnce.Do(func() {
		s.stop()
		s.wg.Wait()
		s.conns.close()
	})
	return nil
}

// Invalidate drops what the Server remembers about the connections ids, so
// that their next request reads their status from the database. Wire it to
// connections.Service.OnRevoke: a revoke then bites on the next request
// (R4). Without ids it drops everything.
func (s *Server) Invalidate(ids ...int64) {
	s.conns.invalidate(ids...)
}

// Handler returns the API with its guards, for tests and for embedding in
// another server. Its Host guard compares with the port the request arrived
// on, so it must be served by an http.Server (which records that port).
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// ListenAndServe listens on addr (see Listen) and serves until ctx ends. It
// then shuts down gracefully and returns nil.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := Listen(addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// Listen listens on addr, which must be a loopback address (127.0.0.1:8642,
// [::1]:8642 or localhost:8642; port 0 picks a free one).
func Listen(addr string) (net.Listener, error) {
	bind, err := LoopbackAddr(addr)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", bind)
	if err != nil {
		return nil, koppel.Errorf(koppel.EConflict, "The local API cannot listen on %s (%v). Is another Koppel, or another program, using that port?", bind, err)
	}
	return ln, nil
}

// Serve serves on ln, which must be bound to a loopback address, until ctx
// ends. It closes ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if !isLoopbackAddr(ln.Addr()) {
		ln.Close()
		return koppel.Errorf(koppel.EInvalid, "The local API only listens on this computer; %s is not a loopback address.", ln.Addr())
	}
	errorLog := s.log.WriterLevel(logrus.DebugLevel)
	defer errorLog.Close()
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       60 * time.Second, // a 10 MiB document over loopback takes milliseconds
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          log.New(errorLog, "", 0),
	}
	s.log.WithField("addr", ln.Addr().String()).Info("local API listening")
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return koppel.Internal("serve the local API", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := hs.Shutdown(shut)
	if errors.Is(err, context.DeadlineExceeded) {
		err = hs.Close()
	}
	<-done
	s.log.WithField("addr", ln.Addr().String()).Info("local API stopped")
	if err != nil {
		return koppel.Internal("stop the local API", err)
	}
	return nil
}

// LoopbackAddr checks that addr is a loopback host and a port and returns
// the address to bind: "localhost" becomes 127.0.0.1, so no resolver can
// move the API onto a network.
func LoopbackAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(strings.TrimSpace(addr))
	if err != nil {
		return "", koppel.Errorf(koppel.EInvalid, "The API address %q is not a host and port, such as 127.0.0.1:8642.", short(addr))
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return "", koppel.Errorf(koppel.EInvalid, "The API port %q is not a number from 0 to 65535.", short(port))
	}
	if strings.EqualFold(host, "localhost") {
		host = "127.0.0.1"
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.IsLoopback() || ip.Zone() != "" {
		return "", koppel.Errorf(koppel.EInvalid, "The local API only listens on this computer: use 127.0.0.1, ::1 or localhost, not %q.", short(host))
	}
	return net.JoinHostPort(ip.String(), port), nil
}

func isLoopbackAddr(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// serveHTTP applies the guards every request passes, then routes it.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Cache-Control"] = headerNoStore
	h["X-Content-Type-Options"] = headerNoSniff
	if !s.hostAllowed(r) {
		s.fail(w, r, http.StatusForbidden, koppel.EForbidden, "Requests must be addressed to this computer's loopback address and the API's port.")
		return
	}
	if _, ok := r.Header["Origin"]; ok {
		// Browsers send Origin; software that uses the keys does not. A web
		// page must never reach the keys' API (DNS rebinding, CSRF).
		s.fail(w, r, http.StatusForbidden, koppel.EForbidden, "Requests from web pages (with an Origin header) are refused.")
		return
	}
	s.mux.ServeHTTP(w, r)
}

// hostAllowed reports whether the Host header names a loopback host and the
// port the request came in on (a DNS-rebinding page sends its own name).
func (s *Server) hostAllowed(r *http.Request) bool {
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return false
	}
	tcp, ok := local.(*net.TCPAddr)
	if !ok {
		return false
	}
	host, port, err := net.SplitHostPort(r.Host)
	if err != nil {
		host, port = strings.TrimSuffix(strings.TrimPrefix(r.Host, "["), "]"), "80"
	}
	if port != strconv.Itoa(tcp.Port) {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback() && ip.Zone() == ""
}

func short(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}
