package psbapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"koppel/internal/koppel"
	"koppel/internal/psbapi"
)

// Requests must name a loopback host and the port they came in on (a
// DNS-rebinding page sends its own name), and must not come from a web page
// (Origin).
func TestHostAndOriginGuards(t *testing.T) {
	w := newWorld(t)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(w.url, "http://"))
	cases := []struct {
		host, origin string
		status       int
	}{
		{"127.0.0.1:" + port, "", 200},
		{"localhost:" + port, "", 200},
		{"LOCALHOST:" + port, "", 200},
		{"[::1]:" + port, "", 200},
		{"127.0.0.2:" + port, "", 200},
		{"evil.example:" + port, "", 403},
		{"evil.example", "", 403},
		{"127.0.0.1", "", 403},
		{"127.0.0.1:1", "", 403},
		{"localhost.:" + port, "", 403},
		{"127.0.0.1.nip.io:" + port, "", 403},
		{"0.0.0.0:" + port, "", 403},
		{"[fe80::1%25lo]:" + port, "", 403},
		{"127.0.0.1:" + port, "http://127.0.0.1:" + port, 403},
		{"127.0.0.1:" + port, "null", 403},
		{"127.0.0.1:" + port, "https://evil.example", 403},
	}
	for _, c := range cases {
		for _, path := range []string{"/.well-known/openid-configuration", "/connect/token"} {
			req := w.request("GET", path, nil)
			req.Host = c.host
			if c.origin != "" {
				req.Header.Set("Origin", c.origin)
			}
			a := w.do(req)
			want := c.status
			if want == 200 && path == "/connect/token" {
				want = 405
			}
			if a.status != want {
				t.Errorf("GET %s with Host %q, Origin %q: %d %s, want %d", path, c.host, c.origin, a.status, short(a.body), want)
			}
			if want == 403 && a.errorCode() != "forbidden" {
				t.Errorf("a refused request got no JSON error: %s", short(a.body))
			}
		}
	}
}

// Every error, from any route, is JSON with "error" and
// "error_description".
func TestErrorsAreJSON(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	key := w.create("yuki", "NL:KVK:12345678")
	tok := w.token(key)
	cases := []struct {
		method, path, token string
		status              int
		code                string
	}{
		{"GET", "/nothing-here", "", 404, "not_found"},
		{"GET", "/api/v2/me", tok, 404, "not_found"},
		{"POST", "/api/v1/me", tok, 405, "method_not_allowed"},
		{"DELETE", "/.well-known/openid-configuration", "", 405, "method_not_allowed"},
		{"GET", "/api/v1/me", "", 401, "invalid_token"},
		{"GET", "/api/v1/me", "not-a-token", 401, "invalid_token"},
		{"GET", "/api/v1/me", tampered(tok), 401, "invalid_token"},
		{"GET", "/api/v1/me/party", strings.Repeat("A", len(tok)), 401, "invalid_token"},
		{"GET", "/api/v1/NL:KVK:12345678/purchaseInvoice", "", 401, "invalid_token"},
	}
	for _, c := range cases {
		a := w.call(c.method, c.path, c.token, nil)
		wantStatus(t, c.method+" "+c.path, a, c.status, c.code)
		var body map[string]string
		if err := json.Unmarshal(a.body, &body); err != nil || body["error_description"] == "" || len(body) != 2 {
			t.Errorf("%s %s: body %s is not the error shape", c.method, c.path, short(a.body))
		}
		if ct := a.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("%s %s: Content-Type %q", c.method, c.path, ct)
		}
		if c.status == 401 && !strings.HasPrefix(a.header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s %s: 401 without a Bearer challenge", c.method, c.path)
		}
		if c.status == 405 && a.header.Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow", c.method, c.path)
		}
	}
}

// tampered changes one character in the middle of tok. (The last one may
// carry unused bits of the base64 text, so changing it can leave the bytes,
// and the token, as they were.)
func tampered(tok string) string {
	mid, swap := len(tok)/2, byte('A')
	if tok[mid] == swap {
		swap = 'B'
	}
	return tok[:mid] + string(swap) + tok[mid+1:]
}

func TestDiscovery(t *testing.T) {
	w := newWorld(t)
	a := w.get("/.well-known/openid-configuration", "")
	wantStatus(t, "discovery", a, 200, "")
	var d struct {
		Issuer        string   `json:"issuer"`
		TokenEndpoint string   `json:"token_endpoint"`
		Grants        []string `json:"grant_types_supported"`
	}
	a.decode(t, &d)
	if d.Issuer != w.url || d.TokenEndpoint != w.url+"/connect/token" || strings.Join(d.Grants, " ") != "client_credentials password" {
		t.Fatalf("discovery = %+v", d)
	}
}

func TestMe(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	key := w.create("yuki", "NL:KVK:12345678")
	a := w.get("/api/v1/me", w.token(key))
	wantStatus(t, "me", a, 200, "")
	var me struct {
		ConnectionID int64  `json:"connectionId"`
		AppKey       string `json:"appKey"`
		Status       string `json:"status"`
		Software     struct {
			Slug, Name, Direction string
		} `json:"software"`
	}
	a.decode(t, &me)
	if me.ConnectionID != key.Connection.ID || me.AppKey != key.Connection.AppKey || me.Status != "active" ||
		me.Software.Slug != "yuki" || me.Software.Direction != "receive" {
		t.Fatalf("me = %+v", me)
	}
}

// The API listens on loopback only.
func TestListenRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:8642", "[::]:0", "example.com:8642", "localhost", "127.0.0.1:99999", "[fe80::1%lo]:0"} {
		if _, err := psbapi.LoopbackAddr(addr); koppel.ErrorCode(err) != koppel.EInvalid {
			t.Errorf("LoopbackAddr(%q) = %v, want it refused", addr, err)
		}
		w := newWorld(t)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := w.srv.ListenAndServe(ctx, addr)
		cancel()
		if koppel.ErrorCode(err) != koppel.EInvalid {
			t.Errorf("ListenAndServe(%q) = %v, want it refused", addr, err)
		}
	}
	for addr, want := range map[string]string{"localhost:8642": "127.0.0.1:8642", "127.0.0.1:0": "127.0.0.1:0", "[::1]:8642": "[::1]:8642"} {
		if got, err := psbapi.LoopbackAddr(addr); err != nil || got != want {
			t.Errorf("LoopbackAddr(%q) = %q, %v, want %q", addr, got, err, want)
		}
	}
	ln, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := newWorld(t).srv.Serve(context.Background(), ln); koppel.ErrorCode(err) != koppel.EInvalid {
		t.Errorf("Serve on 0.0.0.0 = %v, want it refused", err)
	}
}

// ListenAndServe serves until its context ends and then stops cleanly.
func TestListenAndServe(t *testing.T) {
	w := newWorld(t)
	ln, err := psbapi.Listen("localhost:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.srv.ListenAndServe(ctx, addr) }()
	var resp *http.Response
	waitFor(func() bool {
		resp, err = http.Get("http://" + addr + "/.well-known/openid-configuration")
		return err == nil
	}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("ListenAndServe returned %v", err)
	}
	if _, err := http.Get("http://" + addr + "/"); err == nil {
		t.Fatal("still serving after the context ended")
	}
}

// A client that sends its headers too slowly is cut off
// (ReadHeaderTimeout, 5 s).
func TestSlowHeadersAreCutOff(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 5 s")
	}
	t.Parallel()
	w := newWorld(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(w.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /.well-known/openid-configuration HTTP/1.1\r\nHost: "+strings.TrimPrefix(w.url, "http://")+"\r\n")
	start := time.Now()
	conn.SetReadDeadline(time.Now().Add(15 * time.Second))
	_, err = bufio.NewReader(conn).ReadString('\n')
	if took := time.Since(start); err == nil || took < 4*time.Second || took > 10*time.Second {
		t.Fatalf("a request with unfinished headers ended after %v with %v; want the server to close it after about 5 s", took, err)
	}
}

// A real OAuth 2.0 client: golang.org/x/oauth2's client credentials flow,
// with the credentials in the Authorization header and in the body.
func TestOAuth2ClientCredentialsClient(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	key := w.create("yuki", "NL:KVK:12345678")
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams, oauth2.AuthStyleAutoDetect} {
		cfg := clientcredentials.Config{ClientID: key.Connection.AppKey, ClientSecret: key.Secret.Reveal(),
			TokenURL: w.url + "/connect/token", Scopes: []string{"ap"}, AuthStyle: style}
		client := cfg.Client(context.Background())
		resp, err := client.Get(w.url + "/api/v1/me/party")
		if err != nil {
			t.Fatalf("auth style %d: %v", style, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"partyId":"NL:KVK:12345678"`) {
			t.Fatalf("auth style %d: %d %s", style, resp.StatusCode, short(body))
		}
		tok, err := cfg.Token(context.Background())
		if err != nil || tok.TokenType != "Bearer" || time.Until(tok.Expiry) < 3500*time.Second {
			t.Fatalf("auth style %d: token %v, %v", style, tok.Expiry, err)
		}
	}
	bad := clientcredentials.Config{ClientID: key.Connection.AppKey, ClientSecret: "sk_wrong", TokenURL: w.url + "/connect/token"}
	_, err := bad.Token(context.Background())
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_client" || re.Response.StatusCode != 401 {
		t.Fatalf("a wrong Secret gave %v", err)
	}
}

// No Secret, token or Authorization header reaches a log line, whatever
// happens: successes, failures, revoked keys, throttling, hooks.
func TestLogsHoldNoSecrets(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	key := w.create("exact-multivers", "NL:KVK:12345678")
	secret := key.Secret.Reveal()
	var tokens []string
	tokens = append(tokens, w.token(key))
	basic := basicAuth(key.Connection.AppKey, secret)
	w.postForm("grant_type=client_credentials", basic)
	w.postForm("grant_type=client_credentials&client_id="+key.Connection.AppKey+"&client_secret="+secret+"x", "")
	w.postForm("grant_type=client_credentials", basicAuth(key.Connection.AppKey, secret+"x"))
	w.postForm("grant_type=password&client_id="+key.Connection.AppKey+"&client_secret="+secret+"&username=NL:KVK:12345678&password="+secret, "")
	w.postForm("grant_type=nonsense&client_id="+key.Connection.AppKey+"&client_secret="+secret, "")
	req := w.request("POST", "/connect/token?client_secret="+secret, strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w.do(req)
	w.get("/api/v1/me", tokens[0])
	w.get("/api/v1/me", tokens[0]+"x")
	w.get("/nowhere?access_token="+tokens[0], tokens[0])
	w.call("POST", "/api/v1/NL:KVK:12345678/salesInvoice/send", tokens[0], strings.NewReader("not xml "+secret))
	w.partyCall("PUT", "NL:KVK:12345678", "/hook", `{"url":"http://127.0.0.1:1/hook?token=`+tokens[0]+`"}`, tokens[0])
	w.partyCall("GET", "NL:KVK:12345678", "/hook/ping", "", tokens[0])
	if _, err := w.docs.Import(w.ctx, "NL:KVK:12345678", "f.xml", strings.NewReader(string(invoiceXML(t, "MOL-9", "87654321", "12345678"))), "purchase"); err != nil {
		t.Fatal(err)
	}
	waitFor(func() bool { return strings.Contains(w.logs.String(), "giving up") }, 5*time.Second)
	for range 8 { // into the throttle
		w.postForm("grant_type=client_credentials&client_id="+key.Connection.AppKey+"&client_secret=sk_wrong"+secret[8:], "")
	}
	w.tick(time.Hour)
	w.revoke(key)
	w.postForm(clientCredentials(key), "")
	w.get("/api/v1/me", tokens[0])

	logs := w.logs.String()
	if !strings.Contains(logs, "refused") || !strings.Contains(logs, "token issued") || !strings.Contains(logs, "giving up") {
		t.Fatalf("the test saw too little logging to mean anything:\n%s", logs)
	}
	needles := append([]string{secret, secret[3:20], "Authorization", "authorization", "Bearer ", "Basic ", strings.TrimPrefix(basic, "Basic ")}, tokens...)
	for _, tok := range tokens {
		needles = append(needles, tok[:40])
	}
	for i, line := range strings.Split(logs, "\n") {
		for _, n := range needles {
			if strings.Contains(line, n) {
				t.Errorf("log line %d holds something secret (%.12q…)", i+1, n)
			}
		}
	}
	if regexp.MustCompile(`sk_[A-Za-z0-9]{46}`).MatchString(logs) {
		t.Error("a Secret-shaped string is in the log")
	}
}
