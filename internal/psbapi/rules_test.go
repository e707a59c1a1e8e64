package psbapi_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"koppel/internal/connections"
	"koppel/internal/keys"
	"koppel/internal/koppel"
	"koppel/internal/psbapi"
	"koppel/internal/revocations"
)

// R4: revoking makes the connection inactive at once — token requests with
// its keys are invalid_client, tokens already issued stop working on their
// next call.
func TestRule_R4_RevokeBitesOnTheNextRequest(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	key := w.create("yuki", "NL:KVK:12345678")
	other := w.create("yuki", "NL:KVK:12345678")
	tok, otherTok := w.token(key), w.token(other)
	wantStatus(t, "before the revoke", w.get("/api/v1/me/party", tok), 200, "")

	w.revoke(key)
	wantStatus(t, "the old token after the revoke", w.get("/api/v1/me/party", tok), 401, "invalid_token")
	wantStatus(t, "GET /api/v1/me after the revoke", w.get("/api/v1/me", tok), 401, "invalid_token")
	wantStatus(t, "a token request with the revoked keys", w.postForm(clientCredentials(key), ""), 401, "invalid_client")
	wantStatus(t, "the same by HTTP Basic", w.postForm("grant_type=client_credentials",
		basicAuth(key.Connection.AppKey, key.Secret.Reveal())), 401, "invalid_client")
	wantStatus(t, "another connection's token", w.get("/api/v1/me/party", otherTok), 200, "")
}

// A revoke by another process (koppel conn revoke while koppel serve runs)
// reaches the server through the revocation list, without OnRevoke.
func TestRule_R4_RevokeByAnotherProcess(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	key := w.create("yuki", "NL:KVK:12345678")
	tok := w.token(key)
	wantStatus(t, "before", w.get("/api/v1/me", tok), 200, "")
	wantStatus(t, "a second token", w.postForm(clientCredentials(key), ""), 200, "")

	list, err := revocations.Open(w.revocationFile())
	if err != nil {
		t.Fatal(err)
	}
	elsewhere := &connections.Service{Store: w.db, Vault: w.vault, Keys: keys.Generator{Rand: rand.Reader},
		Revocations: list, Now: w.clock, Actor: "another process"}
	if _, err := elsewhere.Revoke(w.ctx, key.Connection.AppKey, koppel.ReasonLost); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Millisecond) // the server looks at the list once a millisecond at most
	wantStatus(t, "the old token", w.get("/api/v1/me", tok), 401, "invalid_token")
	wantStatus(t, "a token request", w.postForm(clientCredentials(key), ""), 401, "invalid_client")
}

// Keys deleted after their revoke stay dead; their tokens too.
func TestRule_R4_DeletedConnectionTokens(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	key := w.create("yuki", "NL:KVK:12345678")
	tok := w.token(key)
	w.revoke(key)
	if _, err := w.conns.Delete(w.ctx, key.Connection.AppKey); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "a deleted connection's token", w.get("/api/v1/me", tok), 401, "invalid_token")
	wantStatus(t, "a deleted connection's keys", w.postForm(clientCredentials(key), ""), 401, "invalid_client")
}

// TestRule_R4_RevokeRace revokes 1,000 connections while 50 goroutines
// request tokens and call the API with them. "Committed" is the moment
// Revoke returns; the test takes it a little earlier, stricter, at the end
// of OnRevoke (the database transaction has committed, the revocation list
// is written and the server's cache dropped; Revoke returns right after).
// Any 200 to a request that started after that moment is a failure, for a
// token request and for an API call with a token issued before.
//
// It runs twice: with the server told by OnRevoke (in-process revokes),
// and, for a quarter of the rounds, with the server watching only the
// revocation list (revokes by another process), which it looks at once a
// millisecond at most: there a request that starts 1 ms after the revoke
// must fail.
func TestRule_R4_RevokeRace(t *testing.T) {
	rounds := 1000
	if testing.Short() {
		rounds = 100
	}
	t.Run("invalidate", func(t *testing.T) { revokeRace(t, true, rounds) })
	t.Run("revocation list", func(t *testing.T) { revokeRace(t, false, rounds/4) })
}

func revokeRace(t *testing.T, invalidate bool, rounds int) {
	const workers = 50
	var grace time.Duration // how long after the revoke a request may still pass
	if !invalidate {
		grace = time.Millisecond // psbapi's watchEvery
	}
	var w *world
	if invalidate {
		w = newWorld(t, func(c *psbapi.Config) { c.RevocationFile = "" })
	} else {
		w = newWorld(t)
	}
	w.org("Bakkerij Jansen", "NL:KVK:12345678")

	type round struct {
		key       *connections.Issued
		form      string
		tokens    []string // issued before the revoke
		mu        sync.Mutex
		revokedAt atomic.Pointer[time.Time] // when Revoke returned
		before    atomic.Int64              // 200s before the revoke
		after     atomic.Int64              // requests that started after it
	}
	var current atomic.Pointer[round]
	var failures atomic.Int64
	var firstFailure atomic.Pointer[string]
	stop := make(chan struct{})
	var wg sync.WaitGroup

	fail := func(msg string) {
		failures.Add(1)
		firstFailure.CompareAndSwap(nil, &msg)
	}
	work := func(n int) {
		defer wg.Done()
		client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 2}}
		defer client.CloseIdleConnections()
		send := func(req *http.Request) (int, string) {
			resp, err := client.Do(req)
			if err != nil {
				fail("request failed: " + err.Error())
				return 0, ""
			}
			defer resp.Body.Close()
			var b strings.Builder
			buf := make([]byte, 512)
			for {
				k, err := resp.Body.Read(buf)
				b.Write(buf[:k])
				if err != nil {
					break
				}
			}
			return resp.StatusCode, b.String()
		}
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			r := current.Load()
			if r == nil {
				time.Sleep(time.Millisecond)
				continue
			}
			var req *http.Request
			isToken := (i+n)%2 == 0
			if isToken {
				req, _ = http.NewRequest("POST", w.url+"/connect/token", strings.NewReader(r.form))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			} else {
				r.mu.Lock()
				var tok string
				if len(r.tokens) > 0 {
					tok = r.tokens[(i+n)%len(r.tokens)]
				}
				r.mu.Unlock()
				if tok == "" {
					continue
				}
				req, _ = http.NewRequest("GET", w.url+"/api/v1/me/party", nil)
				req.Header.Set("Authorization", "Bearer "+tok)
			}
			started := time.Now()
			status, body := send(req)
			revokedAt := r.revokedAt.Load()
			after := revokedAt != nil && started.After(revokedAt.Add(grace))
			if after {
				r.after.Add(1)
			}
			switch {
			case status == 200 && after:
				fail("a request that started after the revoke of " + r.key.Connection.AppKey + " succeeded: " + req.Method + " " + req.URL.Path)
			case status == 200 && isToken && revokedAt == nil:
				var tok struct {
					AccessToken string `json:"access_token"`
				}
				if err := json.Unmarshal([]byte(body), &tok); err == nil {
					r.mu.Lock()
					if len(r.tokens) < 8 {
						r.tokens = append(r.tokens, tok.AccessToken)
					}
					r.mu.Unlock()
				}
				r.before.Add(1)
			case status == 200:
				r.before.Add(1)
			case status != 401 && status != 429:
				fail("unexpected status " + http.StatusText(status) + ": " + body)
			}
		}
	}
	w.conns.OnRevoke = func(ids ...int64) {
		if invalidate {
			w.srv.Invalidate(ids...)
		}
		at := time.Now()
		current.Load().revokedAt.Store(&at)
	}
	for n := range workers {
		wg.Add(1)
		go work(n)
	}
	var sawBefore, sawAfter int
	for i := 0; i < rounds && failures.Load() == 0; i++ {
		key, err := w.conns.Create(w.ctx, connections.CreateRequest{Organization: "NL:KVK:12345678", Software: "yuki"})
		if err != nil {
			t.Fatal(err)
		}
		r := &round{key: key, form: clientCredentials(key)}
		current.Store(r)
		waitFor(func() bool { return r.before.Load() >= 2 }, 2*time.Second)
		if _, err := w.conns.Revoke(w.ctx, key.Connection.AppKey, koppel.ReasonRoutine); err != nil {
			t.Fatal(err)
		}
		if r.revokedAt.Load() == nil {
			t.Fatal("OnRevoke did not run")
		}
		waitFor(func() bool { return r.after.Load() >= 4 }, 2*time.Second)
		if r.before.Load() > 0 {
			sawBefore++
		}
		if r.after.Load() > 0 {
			sawAfter++
		}
	}
	close(stop)
	wg.Wait()
	if n := failures.Load(); n > 0 {
		t.Fatalf("%d failures; the first: %s", n, *firstFailure.Load())
	}
	if sawBefore < rounds/2 || sawAfter < rounds/2 {
		t.Fatalf("too little traffic to tell: %d of %d rounds had successes before the revoke, %d had requests after it", sawBefore, rounds, sawAfter)
	}
}

func waitFor(cond func() bool, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for !cond() && time.Now().Before(deadline) {
		time.Sleep(200 * time.Microsecond)
	}
}

// R14: attempts with revoked keys are counted per connection — only those
// with the right Secret, and each answered invalid_client.
func TestRule_R14_RevokedKeyAttemptsAreCounted(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	key := w.create("yuki", "NL:KVK:12345678")
	w.token(key)
	w.revoke(key)
	for i := range 3 {
		basic := ""
		body := clientCredentials(key)
		if i == 1 {
			basic, body = basicAuth(key.Connection.AppKey, key.Secret.Reveal()), "grant_type=client_credentials"
		}
		wantStatus(t, "a token request with revoked keys", w.postForm(body, basic), 401, "invalid_client")
	}
	wrong := url.Values{"grant_type": {"client_credentials"}, "client_id": {key.Connection.AppKey},
		"client_secret": {"sk_" + strings.Repeat("y", 46)}}.Encode()
	wantStatus(t, "a wrong Secret for the revoked App Key", w.postForm(wrong, ""), 401, "invalid_client")
	c, err := w.conns.Get(context.Background(), key.Connection.AppKey)
	if err != nil {
		t.Fatal(err)
	}
	if c.RevokedKeyAttempts != 3 || c.LastRevokedKeyAttempt == nil {
		t.Fatalf("revoked-key attempts = %d (last %v), want 3", c.RevokedKeyAttempts, c.LastRevokedKeyAttempt)
	}
}

// countingConnections counts Touch calls: "last used" must not cost a
// database write per request.
type countingConnections struct {
	psbapi.Connections
	touches atomic.Int64
}

func (c *countingConnections) Touch(ctx context.Context, id int64) error {
	defer c.touches.Add(1)
	return c.Connections.Touch(ctx, id)
}

// "Last used" is recorded off the request path, at most once a minute per
// connection.
func TestLastUsedIsCoalesced(t *testing.T) {
	counting := &countingConnections{}
	w := newWorld(t, func(c *psbapi.Config) { counting.Connections = c.Connections; c.Connections = counting })
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	key := w.create("yuki", "NL:KVK:12345678")
	tok := w.token(key)
	for range 50 {
		w.get("/api/v1/me/party", tok)
		w.token(key)
	}
	waitFor(func() bool { return counting.touches.Load() >= 1 }, 5*time.Second)
	time.Sleep(50 * time.Millisecond)
	if n := counting.touches.Load(); n != 1 {
		t.Fatalf("%d writes of last use for 101 requests in the same minute, want 1", n)
	}
	c, _ := w.conns.Get(w.ctx, key.Connection.AppKey)
	if c.LastUsedAt == nil || !c.LastUsedAt.Equal(w.clock()) {
		t.Fatalf("last used = %v, want %v", c.LastUsedAt, w.clock())
	}
	w.tick(time.Minute)
	w.get("/api/v1/me", tok)
	waitFor(func() bool { return counting.touches.Load() >= 2 }, 5*time.Second)
	if c, _ := w.conns.Get(w.ctx, key.Connection.AppKey); c.LastUsedAt == nil || !c.LastUsedAt.Equal(w.clock()) {
		t.Fatalf("last used a minute later = %v, want %v", c.LastUsedAt, w.clock())
	}
}
