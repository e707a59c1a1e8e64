package psbapi_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"koppel/internal/connections"
)

// tokenCase is one request to POST /connect/token and what RFC 6749 (and
// DESIGN §5) say the answer is.
type tokenCase struct {
	name string
	// request builds the request; key is the connection's keys, other a
	// second connection's (for mixing credentials).
	request func(w *world, key *connections.Issued) *http.Request
	status  int
	code    string            // the "error" value; "" for success
	headers map[string]string // exact header values; "" means absent
	// then checks more, given the answer.
	then func(t *testing.T, w *world, key *connections.Issued, a answer)
}

func form(w *world, method, contentType, body string) *http.Request {
	req := w.request(method, "/connect/token", strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

const formType = "application/x-www-form-urlencoded"

func bodyOf(pairs ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(pairs); i += 2 {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(pairs[i]) + "=" + url.QueryEscape(pairs[i+1]))
	}
	return b.String()
}

func cc(key *connections.Issued, extra ...string) string {
	return bodyOf(append([]string{"grant_type", "client_credentials", "client_id", key.Connection.AppKey,
		"client_secret", key.Secret.Reveal()}, extra...)...)
}

func pw(key *connections.Issued, username, password string, extra ...string) string {
	return bodyOf(append([]string{"grant_type", "password", "client_id", key.Connection.AppKey,
		"client_secret", key.Secret.Reveal(), "username", username, "password", password}, extra...)...)
}

func withBasic(req *http.Request, value string) *http.Request {
	req.Header.Set("Authorization", value)
	return req
}

// noStore are the headers every token response carries.
var noStore = map[string]string{"Cache-Control": "no-store", "Pragma": "no-cache", "Content-Type": "application/json; charset=utf-8"}

func merge(a map[string]string, more ...string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for i := 0; i+1 < len(more); i += 2 {
		out[more[i]] = more[i+1]
	}
	return out
}

var basicChallenge = `Basic realm="koppel", charset="UTF-8"`

func TestTokenEndpoint(t *testing.T) {
	secret := func(k *connections.Issued) string { return k.Secret.Reveal() }
	appKey := func(k *connections.Issued) string { return k.Connection.AppKey }
	wrong := "sk_" + strings.Repeat("x", 46)
	noChallenge := merge(noStore, "WWW-Authenticate", "")
	challenge := merge(noStore, "WWW-Authenticate", basicChallenge)
	expectMe := func(status int) func(t *testing.T, w *world, key *connections.Issued, a answer) {
		return func(t *testing.T, w *world, key *connections.Issued, a answer) {
			var tok struct {
				AccessToken string `json:"access_token"`
			}
			a.decode(t, &tok)
			if got := w.get("/api/v1/me", tok.AccessToken); got.status != status {
				t.Fatalf("GET /api/v1/me with the token: %d %s, want %d", got.status, short(got.body), status)
			}
		}
	}
	cases := []tokenCase{
		// Grants and client authentication that work.
		{name: "client credentials in the body",
			request: func(w *world, k *connections.Issued) *http.Request { return form(w, "POST", formType, cc(k)) },
			status:  200, headers: noChallenge,
			then: func(t *testing.T, w *world, k *connections.Issued, a answer) {
				var tok struct {
					AccessToken string `json:"access_token"`
					ExpiresIn   int    `json:"expires_in"`
					TokenType   string `json:"token_type"`
				}
				a.decode(t, &tok)
				if tok.ExpiresIn != 3600 || tok.TokenType != "Bearer" || len(tok.AccessToken) < 100 {
					t.Fatalf("token response: expires_in %d, token_type %q, token length %d", tok.ExpiresIn, tok.TokenType, len(tok.AccessToken))
				}
				expectMe(200)(t, w, k, a)
			}},
		{name: "client credentials by HTTP Basic",
			request: func(w *world, k *connections.Issued) *http.Request {
				return withBasic(form(w, "POST", formType, "grant_type=client_credentials"), basicAuth(appKey(k), secret(k)))
			},
			status: 200, headers: noStore, then: expectMe(200)},
		{name: "HTTP Basic with form-urlencoded App Key and Secret",
			request: func(w *world, k *connections.Issued) *http.Request {
				enc := strings.ReplaceAll(appKey(k), "_", "%5F") + ":" + strings.ReplaceAll(secret(k), "_", "%5F")
				return withBasic(form(w, "POST", formType, "grant_type=client_credentials"), "Basic "+base64.StdEncoding.EncodeToString([]byte(enc)))
			},
			status: 200, headers: noStore},
		{name: "HTTP Basic scheme in lower case",
			request: func(w *world, k *connections.Issued) *http.Request {
				return withBasic(form(w, "POST", formType, "grant_type=client_credentials"), "basic "+strings.TrimPrefix(basicAuth(appKey(k), secret(k)), "Basic "))
			},
			status: 200, headers: noStore},
		{name: "HTTP Basic with the same client_id in the body",
			request: func(w *world, k *connections.Issued) *http.Request {
				return withBasic(form(w, "POST", formType, bodyOf("grant_type", "client_credentials", "client_id", appKey(k))), basicAuth(appKey(k), secret(k)))
			},
			status: 200, headers: noStore},
		{name: "content type with a charset",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType+"; charset=UTF-8", cc(k))
			},
			status: 200, headers: noStore},
		{name: "scope ap",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, cc(k, "scope", "ap"))
			},
			status: 200, headers: noStore},
		{name: "empty scope counts as omitted",
			request: func(w *world, k *connections.Issued) *http.Request { return form(w, "POST", formType, cc(k)+"&scope=") },
			status:  200, headers: noStore},
		{name: "password grant for a granted party",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, pw(k, "NL:KVK:12345678", secret(k)))
			},
			status: 200, headers: noStore, then: expectMe(200)},
		{name: "password grant with the party in ICD notation",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, pw(k, "0106:12345678", secret(k)))
			},
			status: 200, headers: noStore},

		// Token lifetime, through the injected clock.
		{name: "token still valid just before 3600 s",
			request: func(w *world, k *connections.Issued) *http.Request { return form(w, "POST", formType, cc(k)) },
			status:  200,
			then: func(t *testing.T, w *world, k *connections.Issued, a answer) {
				w.tick(3599 * time.Second)
				expectMe(200)(t, w, k, a)
			}},
		{name: "expired token",
			request: func(w *world, k *connections.Issued) *http.Request { return form(w, "POST", formType, cc(k)) },
			status:  200,
			then: func(t *testing.T, w *world, k *connections.Issued, a answer) {
				w.tick(3600 * time.Second)
				expectMe(401)(t, w, k, a)
			}},

		// Client authentication that fails: 401 invalid_client, with a
		// Basic challenge only where Basic was used (§5.2).
		{name: "wrong Secret in the body",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, bodyOf("grant_type", "client_credentials", "client_id", appKey(k), "client_secret", wrong))
			},
			status: 401, code: "invalid_client", headers: noChallenge},
		{name: "wrong Secret by HTTP Basic",
			request: func(w *world, k *connections.Issued) *http.Request {
				return withBasic(form(w, "POST", formType, "grant_type=client_credentials"), basicAuth(appKey(k), wrong))
			},
			status: 401, code: "invalid_client", headers: challenge},
		{name: "unknown App Key",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, bodyOf("grant_type", "client_credentials", "client_id", "ak_00000000000000000000", "client_secret", secret(k)))
			},
			status: 401, code: "invalid_client", headers: noChallenge},
		{name: "client_secret missing",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, bodyOf("grant_type", "client_credentials", "client_id", appKey(k)))
			},
			status: 401, code: "invalid_client", headers: noChallenge},
		{name: "no client authentication at all",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, "grant_type=client_credentials")
			},
			status: 401, code: "invalid_client", headers: noChallenge},
		{name: "Basic credentials that are not base64",
			request: func(w *world, k *connections.Issued) *http.Request {
				return withBasic(form(w, "POST", formType, "grant_type=client_credentials"), "Basic !!!not-base64")
			},
			status: 401, code: "invalid_client", headers: challenge},
		{name: "Basic credentials without a colon",
			request: func(w *world, k *connections.Issued) *http.Request {
				return withBasic(form(w, "POST", formType, "grant_type=client_credentials"), "Basic "+base64.StdEncoding.EncodeToString([]byte(appKey(k))))
			},
			status: 401, code: "invalid_client", headers: challenge},
		{name: "a Bearer header instead of client authentication",
			request: func(w *world, k *connections.Issued) *http.Request {
				return withBasic(form(w, "POST", formType, "grant_type=client_credentials"), "Bearer abc")
			},
			status: 401, code: "invalid_client", headers: challenge},
		{name: "revoked keys",
			request: func(w *world, k *connections.Issued) *http.Request {
				w.revoke(k)
				return form(w, "POST", formType, cc(k))
			},
			status: 401, code: "invalid_client", headers: noChallenge,
			then: func(t *testing.T, w *world, k *connections.Issued, a answer) {
				c, _ := w.conns.Get(w.ctx, appKey(k))
				if c.RevokedKeyAttempts != 1 {
					t.Fatalf("revoked-key attempts = %d, want 1 (R14)", c.RevokedKeyAttempts)
				}
			}},
		{name: "password grant with a wrong client Secret",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, bodyOf("grant_type", "password", "client_id", appKey(k), "client_secret", wrong,
					"username", "NL:KVK:12345678", "password", secret(k)))
			},
			status: 401, code: "invalid_client", headers: noChallenge},

		// Malformed requests: 400 invalid_request (or 405, 413).
		{name: "both HTTP Basic and client_secret in the body",
			request: func(w *world, k *connections.Issued) *http.Request {
				return withBasic(form(w, "POST", formType, cc(k)), basicAuth(appKey(k), secret(k)))
			},
			status: 400, code: "invalid_request", headers: noChallenge},
		{name: "HTTP Basic and another client_id in the body",
			request: func(w *world, k *connections.Issued) *http.Request {
				return withBasic(form(w, "POST", formType, bodyOf("grant_type", "client_credentials", "client_id", "ak_11111111111111111111")), basicAuth(appKey(k), secret(k)))
			},
			status: 400, code: "invalid_request"},
		{name: "grant_type missing",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, bodyOf("client_id", appKey(k), "client_secret", secret(k)))
			},
			status: 400, code: "invalid_request", headers: noStore},
		{name: "grant_type repeated",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, cc(k)+"&grant_type=client_credentials")
			},
			status: 400, code: "invalid_request", headers: noStore},
		{name: "client_id repeated",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, cc(k)+"&client_id="+appKey(k))
			},
			status: 400, code: "invalid_request"},
		{name: "client_secret repeated",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, cc(k)+"&client_secret="+secret(k))
			},
			status: 400, code: "invalid_request"},
		{name: "scope repeated",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, cc(k, "scope", "ap", "scope", "ap"))
			},
			status: 400, code: "invalid_request"},
		{name: "GET",
			request: func(w *world, k *connections.Issued) *http.Request {
				return w.request("GET", "/connect/token?"+cc(k), nil)
			},
			status: 405, code: "invalid_request", headers: merge(noStore, "Allow", "POST")},
		{name: "PUT",
			request: func(w *world, k *connections.Issued) *http.Request { return form(w, "PUT", formType, cc(k)) },
			status:  405, code: "invalid_request", headers: merge(noStore, "Allow", "POST")},
		{name: "JSON body",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", "application/json", `{"grant_type":"client_credentials","client_id":"`+appKey(k)+`","client_secret":"`+secret(k)+`"}`)
			},
			status: 400, code: "invalid_request", headers: noStore},
		{name: "no content type",
			request: func(w *world, k *connections.Issued) *http.Request { return form(w, "POST", "", cc(k)) },
			status:  400, code: "invalid_request"},
		{name: "multipart form",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", "multipart/form-data; boundary=x", cc(k))
			},
			status: 400, code: "invalid_request"},
		{name: "Secret in the URL",
			request: func(w *world, k *connections.Issued) *http.Request {
				req := form(w, "POST", formType, "grant_type=client_credentials")
				req.URL.RawQuery = bodyOf("client_id", appKey(k), "client_secret", secret(k))
				return req
			},
			status: 400, code: "invalid_request"},
		{name: "bad percent-encoding",
			request: func(w *world, k *connections.Issued) *http.Request { return form(w, "POST", formType, cc(k)+"&x=%zz") },
			status:  400, code: "invalid_request"},
		{name: "body over 16 KiB",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, cc(k)+"&pad="+strings.Repeat("a", 16<<10))
			},
			status: 413, code: "invalid_request", headers: noStore},
		{name: "password grant without username",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, bodyOf("grant_type", "password", "client_id", appKey(k), "client_secret", secret(k), "password", secret(k)))
			},
			status: 400, code: "invalid_request"},
		{name: "password grant without password",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, bodyOf("grant_type", "password", "client_id", appKey(k), "client_secret", secret(k), "username", "NL:KVK:12345678"))
			},
			status: 400, code: "invalid_request"},

		// The grant itself.
		{name: "authorization_code grant",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, bodyOf("grant_type", "authorization_code", "code", "x", "client_id", appKey(k), "client_secret", secret(k)))
			},
			status: 400, code: "unsupported_grant_type", headers: noStore},
		{name: "refresh_token grant",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, bodyOf("grant_type", "refresh_token", "refresh_token", "x", "client_id", appKey(k), "client_secret", secret(k)))
			},
			status: 400, code: "unsupported_grant_type"},
		{name: "scope openid",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, cc(k, "scope", "openid"))
			},
			status: 400, code: "invalid_scope", headers: noStore},
		{name: "scope ap and another",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, cc(k, "scope", "ap admin"))
			},
			status: 400, code: "invalid_scope"},
		{name: "password grant for a party not granted",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, pw(k, "NL:KVK:87654321", secret(k)))
			},
			status: 400, code: "invalid_grant", headers: noStore},
		{name: "password grant with a username that is no party ID",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, pw(k, "anna", secret(k)))
			},
			status: 400, code: "invalid_grant"},
		{name: "password grant with a wrong password",
			request: func(w *world, k *connections.Issued) *http.Request {
				return form(w, "POST", formType, pw(k, "NL:KVK:12345678", wrong))
			},
			status: 400, code: "invalid_grant", headers: noStore},
	}
	if len(cases) < 30 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			w.org("Bakkerij Jansen", "NL:KVK:12345678")
			w.org("Slagerij Smit", "NL:KVK:87654321")
			key := w.create("exact-multivers", "NL:KVK:12345678")
			a := w.do(c.request(w, key))
			if a.status != c.status || a.errorCode() != c.code {
				t.Fatalf("got %d %q (%s), want %d %q", a.status, a.errorCode(), short(a.body), c.status, c.code)
			}
			if c.code != "" && !strings.Contains(string(a.body), `"error_description":"`) {
				t.Errorf("error without a description: %s", short(a.body))
			}
			for k, v := range c.headers {
				if got := a.header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if c.then != nil {
				c.then(t, w, key, a)
			}
		})
	}
}
