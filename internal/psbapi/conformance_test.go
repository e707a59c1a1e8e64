package psbapi_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The conformance script: openid-client (a certified OpenID relying party)
// does discovery, the client credentials grant with both client
// authentication methods, a call to /api/v1/me/party and a wrong Secret,
// against the real server. Without node or the script's npm packages
// (npm ci in scripts/oidc-conformance) the test is skipped — and fails
// instead when KOPPEL_TEST_NODE=1, as CI sets it.
func TestOpenIDClientConformance(t *testing.T) {
	required := os.Getenv("KOPPEL_TEST_NODE") == "1"
	unavailable := func(why string) {
		t.Helper()
		if required {
			t.Fatalf("KOPPEL_TEST_NODE=1 but %s", why)
		}
		t.Skip(why + " (KOPPEL_TEST_NODE=1 makes this a failure)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		unavailable("node is not installed")
	}
	dir, err := filepath.Abs(filepath.Join("..", "..", "scripts", "oidc-conformance"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "openid-client", "package.json")); err != nil {
		unavailable("openid-client is not installed (run: npm ci --prefix scripts/oidc-conformance)")
	}

	w := newWorld(t)
	w.org("Bakkerij Jansen", "NL:KVK:12345678")
	key := w.create("yuki", "NL:KVK:12345678")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "run.mjs", w.url, key.Connection.AppKey, key.Secret.Reveal())
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the openid-client checks failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "all checks passed") {
		t.Fatalf("the script did not finish:\n%s", out)
	}
	t.Logf("openid-client:\n%s", out)
}
