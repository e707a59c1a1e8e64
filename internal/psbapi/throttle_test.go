package psbapi_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"koppel/internal/connections"
)

func wrongSecretForm(is *connections.Issued) string {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {is.Connection.AppKey},
		"client_secret": {"sk_" + strings.Repeat("w", 46)}}.Encode()
}

func retryAfter(t *testing.T, a answer) int {
	t.Helper()
	n, err := strconv.Atoi(a.header.Get("Retry-After"))
	if err != nil {
		t.Fatalf("Retry-After %q: %v", a.header.Get("Retry-After"), err)
	}
	return n
}

// Failed token requests close the App Key for a back-off that starts at
// the fifth failure in a row: 429 with Retry-After, even for the right
// Secret, until the back-off has passed — never longer.
func TestThrottleBacksOffAndReopens(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	key := w.create("yuki", "NL:KVK:12345678")
	for i := 1; i <= 5; i++ {
		wantStatus(t, "failure "+strconv.Itoa(i), w.postForm(wrongSecretForm(key), ""), 401, "invalid_client")
	}
	a := w.postForm(clientCredentials(key), "")
	wantStatus(t, "the right Secret during the back-off", a, 429, "temporarily_unavailable")
	if retryAfter(t, a) != 1 || a.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("Retry-After %s, Cache-Control %q", a.header.Get("Retry-After"), a.header.Get("Cache-Control"))
	}
	// Requests during the back-off neither count nor extend it.
	for range 20 {
		wantStatus(t, "a wrong Secret during the back-off", w.postForm(wrongSecretForm(key), ""), 429, "temporarily_unavailable")
	}
	w.tick(999 * time.Millisecond)
	wantStatus(t, "just before the back-off ends", w.postForm(clientCredentials(key), ""), 429, "temporarily_unavailable")
	w.tick(time.Millisecond)
	wantStatus(t, "the right Secret once the back-off has passed", w.postForm(clientCredentials(key), ""), 200, "")
	// A success starts the count over.
	for i := 1; i <= 4; i++ {
		wantStatus(t, "a free failure", w.postForm(wrongSecretForm(key), ""), 401, "invalid_client")
	}
	wantStatus(t, "still open", w.postForm(clientCredentials(key), ""), 200, "")
}

// The back-off doubles per failure after the fourth and stops at a
// minute; the right Secret always works once it has passed.
func TestThrottleBackoffDoublesUpToACap(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	key := w.create("yuki", "NL:KVK:12345678")
	for range 4 {
		w.postForm(wrongSecretForm(key), "")
	}
	want := []int{1, 2, 4, 8, 16, 32, 60, 60, 60}
	for i, secs := range want {
		wantStatus(t, "a failure", w.postForm(wrongSecretForm(key), ""), 401, "invalid_client")
		a := w.postForm(clientCredentials(key), "")
		wantStatus(t, "closed", a, 429, "temporarily_unavailable")
		if got := retryAfter(t, a); got != secs {
			t.Fatalf("back-off %d: Retry-After %d, want %d", i+1, got, secs)
		}
		w.tick(time.Duration(secs) * time.Second)
	}
	wantStatus(t, "the right Secret after the longest back-off", w.postForm(clientCredentials(key), ""), 200, "")
}

// Another App Key is not affected by one under attack; unknown App Keys are
// throttled too.
func TestThrottleIsPerAppKey(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	key := w.create("yuki", "NL:KVK:12345678")
	other := w.create("yuki", "NL:KVK:12345678")
	for range 5 {
		w.postForm(wrongSecretForm(key), "")
	}
	wantStatus(t, "the attacked key", w.postForm(clientCredentials(key), ""), 429, "temporarily_unavailable")
	wantStatus(t, "another key", w.postForm(clientCredentials(other), ""), 200, "")

	unknown := url.Values{"grant_type": {"client_credentials"}, "client_id": {"ak_" + strings.Repeat("Z", 20)},
		"client_secret": {"sk_" + strings.Repeat("w", 46)}}.Encode()
	for range 5 {
		wantStatus(t, "an unknown App Key", w.postForm(unknown, ""), 401, "invalid_client")
	}
	wantStatus(t, "an unknown App Key, throttled", w.postForm(unknown, ""), 429, "temporarily_unavailable")
	// Failures via HTTP Basic count for the same App Key.
	for range 5 {
		wantStatus(t, "Basic failures", w.postForm("grant_type=client_credentials", basicAuth(other.Connection.AppKey, "sk_nope")), 401, "invalid_client")
	}
	wantStatus(t, "the other key after Basic failures", w.postForm(clientCredentials(other), ""), 429, "temporarily_unavailable")
}

// Failures long ago are forgotten.
func TestThrottleForgetsOldFailures(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	key := w.create("yuki", "NL:KVK:12345678")
	for range 4 {
		w.postForm(wrongSecretForm(key), "")
	}
	w.tick(16 * time.Minute)
	wantStatus(t, "a failure after a quiet quarter", w.postForm(wrongSecretForm(key), ""), 401, "invalid_client")
	wantStatus(t, "not closed", w.postForm(clientCredentials(key), ""), 200, "")
}
