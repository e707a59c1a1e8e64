package psbapi_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"koppel/internal/psbapi"
)

// quietLog logs at Info level, as the app does, to nowhere: the test
// world's default keeps every debug line in memory.
func quietLog(c *psbapi.Config) {
	c.Log = logrus.New()
	c.Log.SetOutput(io.Discard)
	c.Log.SetLevel(logrus.InfoLevel)
}

// serveDirect runs req through the handler without a network, as the
// server would (with the local address the Host guard compares with).
func serveDirect(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	ctx := context.WithValue(req.Context(), http.LocalAddrContextKey, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8642})
	h.ServeHTTP(rec, req.WithContext(ctx))
	return rec
}

func tokenRequest(body string) *http.Request {
	req := httptest.NewRequest("POST", "http://127.0.0.1:8642/connect/token", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// BenchmarkTokenEndpoint issues tokens through the handler (no network).
func BenchmarkTokenEndpoint(b *testing.B) {
	w := newWorld(b, quietLog)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	body := clientCredentials(w.create("yuki", "NL:KVK:12345678"))
	h := w.srv.Handler()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if rec := serveDirect(h, tokenRequest(body)); rec.Code != 200 {
				b.Fatalf("token: %d %s", rec.Code, rec.Body)
			}
		}
	})
}

// BenchmarkMeParty calls GET /api/v1/me/party through the handler.
func BenchmarkMeParty(b *testing.B) {
	w := newWorld(b, quietLog)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	tok := w.token(w.create("yuki", "NL:KVK:12345678"))
	h := w.srv.Handler()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("GET", "http://127.0.0.1:8642/api/v1/me/party", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			if rec := serveDirect(h, req); rec.Code != 200 {
				b.Fatalf("me/party: %d %s", rec.Code, rec.Body)
			}
		}
	})
}

// BenchmarkTokenMemory issues 1,000,000 tokens through the handler and
// reports the process's resident memory (VmRSS, after a GC) after the first
// 10,000 and after all of them: nothing is stored per token, so the two
// stay within 10% (DESIGN §5). It ignores b.N; run it with -benchtime 1x.
func BenchmarkTokenMemory(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads /proc/self/status")
	}
	w := newWorld(b, quietLog)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	body := clientCredentials(w.create("yuki", "NL:KVK:12345678"))
	h := w.srv.Handler()
	issue := func(n int) {
		for range n {
			if rec := serveDirect(h, tokenRequest(body)); rec.Code != 200 {
				b.Fatalf("token: %d %s", rec.Code, rec.Body)
			}
		}
	}
	b.ResetTimer()
	issue(10_000)
	at10k := rss(b)
	issue(990_000)
	at1M := rss(b)
	b.StopTimer()
	b.ReportMetric(at10k/(1<<20), "MiB-rss-10k")
	b.ReportMetric(at1M/(1<<20), "MiB-rss-1M")
	b.ReportMetric(at1M/at10k, "ratio")
	if at1M > 1.1*at10k {
		b.Errorf("RSS grew from %.1f MiB after 10,000 tokens to %.1f MiB after 1,000,000", at10k/(1<<20), at1M/(1<<20))
	}
}

// rss returns VmRSS in bytes after a full GC that returns memory to the OS.
func rss(b *testing.B) float64 {
	runtime.GC()
	debug.FreeOSMemory()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb * 1024
		}
	}
	b.Fatal("no VmRSS in /proc/self/status")
	return 0
}
