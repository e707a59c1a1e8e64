package psbapi_test

// The test world: a real SQLite database in t.TempDir(), a vault with a fixed
// master key, the real connection and organization services, and the API
// served by a real http.Server on a random loopback port, with a clock the
// test moves.
//
// Secrets and tokens never go into test output: failures name App Keys.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"koppel/internal/connections"
	"koppel/internal/documents"
	"koppel/internal/koppel"
	"koppel/internal/koppeltest"
	"koppel/internal/organizations"
	"koppel/internal/psbapi"
	"koppel/internal/revocations"
	"koppel/internal/sqlite"
	"koppel/internal/vault"
)

type world struct {
	*koppeltest.World
	t       testing.TB
	ctx     context.Context
	dir     string
	db      *sqlite.DB
	vault   *vault.Vault
	revoked *revocations.List
	orgs    *organizations.Service
	conns   *connections.Service
	docs    *documents.Service // the real one; the server may get a fake instead
	srv     *psbapi.Server
	url     string // http://127.0.0.1:PORT
	client  *http.Client
	logs    *lockedBuffer
}

// worldOption changes the Config before the server is made.
type worldOption func(*psbapi.Config)

func newWorld(t testing.TB, opts ...worldOption) *world {
	t.Helper()
	kw := koppeltest.New(t)
	w := &world{World: kw, t: t, ctx: kw.Ctx, dir: kw.Dir, db: kw.DB, vault: kw.Vault, revoked: kw.Revoked,
		orgs: kw.Orgs, conns: kw.Conns, logs: &lockedBuffer{}}
	// A plain logger, without the redacting formatter: the tests check
	// that nothing secret is logged in the first place.
	log := logrus.New()
	log.SetOutput(w.logs)
	log.SetLevel(logrus.TraceLevel)
	log.SetFormatter(&logrus.JSONFormatter{})
	w.docs = &documents.Service{Store: w.db, Now: w.clock, Actor: "test"}
	cfg := psbapi.Config{Connections: w.conns, Organizations: w.orgs, Documents: w.docs, Keys: w.vault, Now: w.clock,
		Log: log, RevocationFile: w.revocationFile(), HookRetry: 20 * time.Millisecond}
	for _, o := range opts {
		o(&cfg)
	}
	w.srv = psbapi.New(cfg)
	w.conns.OnRevoke = w.srv.Invalidate
	w.docs.OnOffered = w.srv.OnOffered
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	w.url = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.srv.Serve(ctx, ln) }()
	w.client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		w.srv.Close()
		w.client.CloseIdleConnections()
	})
	return w
}

func (w *world) revocationFile() string { return w.RevocationsPath() }

func (w *world) clock() time.Time { return w.Now() }

func (w *world) tick(d time.Duration) { w.Tick(d) }

func (w *world) org(name, party string) *koppel.Organization {
	w.t.Helper()
	return w.Org(name, party)
}

// create issues keys of software for org and the further grants.
func (w *world) create(software, org string, grants ...string) *connections.Issued {
	w.t.Helper()
	return w.Create(org, software, grants...)
}

func (w *world) revoke(is *connections.Issued) {
	w.t.Helper()
	if _, err := w.conns.Revoke(w.ctx, is.Connection.AppKey, koppel.ReasonCompromised); err != nil {
		w.t.Fatalf("revoke %s: %v", is.Connection.AppKey, err)
	}
}

// answer is a response read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// oauth returns the body's "error" value (the shape of every error).
func (a answer) errorCode() string {
	var e struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(a.body, &e)
	return e.Error
}

func (a answer) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("decode %q: %v", short(a.body), err)
	}
}

func short(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// do sends req and reads the answer.
func (w *world) do(req *http.Request) answer {
	w.t.Helper()
	resp, err := w.client.Do(req)
	if err != nil {
		w.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		w.t.Fatalf("read %s: %v", req.URL.Path, err)
	}
	return answer{resp.StatusCode, resp.Header, body}
}

func (w *world) request(method, path string, body io.Reader) *http.Request {
	w.t.Helper()
	req, err := http.NewRequest(method, w.url+path, body)
	if err != nil {
		w.t.Fatal(err)
	}
	return req
}

// postForm posts a raw form body to the token endpoint.
func (w *world) postForm(body string, basic string) answer {
	req := w.request(http.MethodPost, "/connect/token", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic != "" {
		req.Header.Set("Authorization", basic)
	}
	return w.do(req)
}

func clientCredentials(is *connections.Issued) string {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {is.Connection.AppKey},
		"client_secret": {is.Secret.Reveal()}}.Encode()
}

func basicAuth(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))
}

// token gets an access token with the client credentials grant.
func (w *world) token(is *connections.Issued) string {
	w.t.Helper()
	a := w.postForm(clientCredentials(is), "")
	if a.status != http.StatusOK {
		w.t.Fatalf("token for %s: %d %s", is.Connection.AppKey, a.status, short(a.body))
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	a.decode(w.t, &tok)
	return tok.AccessToken
}

// get calls the API with a bearer token.
func (w *world) get(path, token string) answer {
	return w.call(http.MethodGet, path, token, nil)
}

func (w *world) call(method, path, token string, body io.Reader) answer {
	w.t.Helper()
	req := w.request(method, path, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return w.do(req)
}

func wantStatus(t testing.TB, what string, a answer, status int, code string) {
	t.Helper()
	if a.status != status || (code != "" && a.errorCode() != code) {
		t.Fatalf("%s: %d %s, want %d %s", what, a.status, short(a.body), status, code)
	}
}

// lockedBuffer collects log output from many goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
