package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// koppel serve in a child process: it listens on KOPPEL_API_ADDR, issues
// tokens, sees a revoke made by another koppel process on the next request
// after it, and stops cleanly on SIGTERM.
func TestServe(t *testing.T) {
	h := newProcHome(t)
	h.ok("org", "add", "--name", "Bakkerij Jansen", "--party-id", "NL:KVK:12345678")
	key := parseIssued(t, h.ok("conn", "create", "--org", "NL:KVK:12345678", "--software", "yuki", "--json"))

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, h.exe, "serve")
	cmd.Env = append(h.env, "KOPPEL_API_ADDR=127.0.0.1:0")
	cmd.Dir = h.root
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out := bufio.NewReader(stdout)
	line, err := out.ReadString('\n')
	if err != nil {
		t.Fatalf("koppel serve printed no address: %v; stderr: %s", err, shortOut([]byte(stderr.String())))
	}
	m := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(line)
	if m == "" {
		t.Fatalf("koppel serve said %q, without its address", line)
	}

	token := func() int {
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {key.AppKey}, "client_secret": {key.Secret}}
		resp, err := http.PostForm(m+"/connect/token", form)
		if err != nil {
			t.Fatalf("token request: %v", err)
		}
		defer resp.Body.Close()
		if resp.StatusCode == 200 {
			var tok map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok["token_type"] != "Bearer" {
				t.Fatalf("token response: %v %v", tok["token_type"], err)
			}
		}
		return resp.StatusCode
	}
	if got := token(); got != 200 {
		t.Fatalf("token request to koppel serve: %d", got)
	}
	h.ok("conn", "revoke", key.ref(), "--reason", "compromised")
	time.Sleep(2 * time.Millisecond) // the server looks at the revocation list once a millisecond at most
	if got := token(); got != 401 {
		t.Fatalf("token request after `koppel conn revoke` in another process: %d, want 401", got)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(out)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("koppel serve after SIGTERM: %v; stderr: %s", err, shortOut([]byte(stderr.String())))
	}
	if !strings.Contains(string(rest), "stopped") {
		t.Fatalf("koppel serve did not say it stopped: %q", rest)
	}
	if anySecret.MatchString(string(rest) + line + stderr.String()) {
		t.Fatal("koppel serve printed a Secret")
	}
}

// koppel serve refuses an address off this computer.
func TestServeRefusesANetworkAddress(t *testing.T) {
	h := newProcHome(t)
	cmd, _, stderr := h.command(context.Background(), "serve")
	cmd.Env = append(h.env, "KOPPEL_API_ADDR=0.0.0.0:8642")
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitUsage || !strings.Contains(stderr.String(), "only listens on this computer") {
		t.Fatalf("koppel serve on 0.0.0.0: %v, stderr %q", err, stderr.String())
	}
}
