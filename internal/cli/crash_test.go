package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"koppel/internal/koppel"
)

// TestCrashSafety kills `conn create` and `conn revoke` processes with
// SIGKILL at random points and then checks that the data folder is sound:
// the database intact, every Secret a process printed working, no half-made
// connection, every reported revocation kept, the audit chain whole, and
// startup reconciliation mending everything in one go.
//
// The schedule comes from a seed printed in the log; KOPPEL_CRASH_SEED=N
// replays it (the kill points are times, so a replay is close, not exact).
func TestCrashSafety(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("kills with SIGKILL")
	}
	ops := 200
	if testing.Short() {
		ops = 30
	}
	seed := time.Now().UnixNano()
	if s := os.Getenv("KOPPEL_CRASH_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseInt(s, 10, 64); err != nil {
			t.Fatalf("KOPPEL_CRASH_SEED=%q: %v", s, err)
		}
	}
	t.Logf("seed %d (replay with KOPPEL_CRASH_SEED=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6b6f7070656c))

	h := newProcHome(t)
	h.ok("org", "add", "--name", "Bakkerij Jansen BV", "--party-id", "NL:KVK:12345678")
	h.ok("org", "add", "--name", "Fietsen de Vries", "--party-id", "NL:KVK:87654321")

	type createdConn struct {
		issued
		orgs []int64
	}
	var (
		seen          = map[int64]createdConn{} // creates that printed complete JSON
		revokeTargets []int64                   // seen, never yet targeted by a revoke
		reported      = map[int64]bool{}        // revokes that printed that the keys are revoked
		creates       int
		createsKilled int // killed before printing their keys
		revokes       int
		revokesKilled int
		completed     int
	)

	// kill runs koppel args and sends SIGKILL after delay (no kill when
	// delay < 0). It returns what the process printed and whether the kill
	// ended it.
	kill := func(delay time.Duration, args ...string) (procResult, bool) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd, stdout, stderr := h.command(ctx, args...)
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatalf("start koppel: %v", err)
		}
		if delay >= 0 {
			timer := time.AfterFunc(delay, func() { _ = cmd.Process.Kill() })
			defer timer.Stop()
		}
		_ = cmd.Wait()
		res := procResult{args: args, stdout: stdout.Bytes(), stderr: stderr.Bytes(), took: time.Since(start),
			code: cmd.ProcessState.ExitCode()}
		if ctx.Err() != nil {
			t.Fatalf("%s did not finish within a minute", res.cmdline())
		}
		return res, res.code == -1
	}

	for i := range ops {
		// No kill for about one op in eight; otherwise a delay of 0–40 ms,
		// denser early where a short process spends its life.
		delay := time.Duration(-1)
		if rng.IntN(8) != 0 {
			u := rng.Float64()
			delay = time.Duration(u * u * float64(40*time.Millisecond))
		}
		if i%3 == 2 && len(revokeTargets) > 0 {
			j := rng.IntN(len(revokeTargets))
			id := revokeTargets[j]
			revokeTargets = append(revokeTargets[:j], revokeTargets[j+1:]...)
			revokes++
			res, killed := kill(delay, "conn", "revoke", fmt.Sprint(id), "--reason", "compromised", "--json")
			// Complete JSON means the user was told the keys are revoked,
			// even if the kill came while the process was closing.
			var c struct {
				ID     int64  `json:"id"`
				Status string `json:"status"`
			}
			if json.Unmarshal(res.stdout, &c) == nil && c.ID != 0 {
				if c.ID != id || c.Status != "revoked" {
					t.Errorf("op %d: %s: output %q", i, res.cmdline(), shortOut(res.stdout))
				}
				reported[id] = true
			}
			switch {
			case killed:
				revokesKilled++
			case res.code != 0:
				t.Errorf("op %d: %s: exit %d, stderr: %s", i, res.cmdline(), res.code, shortOut(res.stderr))
			case !reported[id]:
				t.Errorf("op %d: %s: exit 0 without saying so: %q", i, res.cmdline(), shortOut(res.stdout))
			default:
				completed++
			}
			continue
		}
		creates++
		args := []string{"conn", "create", "--org", "1", "--software", "yuki", "--json"}
		orgs := []int64{1}
		if rng.IntN(3) == 0 {
			args = []string{"conn", "create", "--org", "2", "--software", "exact-multivers", "--grant", "1", "--json"}
			orgs = []int64{2, 1}
		}
		res, killed := kill(delay, args...)
		var k struct {
			ID              int64   `json:"id"`
			AppKey          string  `json:"appKey"`
			Secret          string  `json:"secret"`
			OrganizationIDs []int64 `json:"organizationIds"`
			Status          string  `json:"status"`
		}
		// Complete JSON means the Secret was shown, even if the kill came
		// while the process was closing.
		if json.Unmarshal(res.stdout, &k) == nil && k.Secret != "" {
			checkIssued(t, fmt.Sprintf("op %d: %s", i, res.cmdline()), issued{ID: k.ID, AppKey: k.AppKey, Secret: k.Secret})
			if k.Status != "active" || fmt.Sprint(k.OrganizationIDs) != fmt.Sprint(orgs) {
				t.Errorf("op %d: %s: %s has status %q, organizations %v", i, res.cmdline(), k.AppKey, k.Status, k.OrganizationIDs)
			}
			if _, dup := seen[k.ID]; dup {
				t.Errorf("op %d: connection %d (%s) printed twice", i, k.ID, k.AppKey)
			}
			seen[k.ID] = createdConn{issued{ID: k.ID, AppKey: k.AppKey, Secret: k.Secret}, orgs}
			revokeTargets = append(revokeTargets, k.ID)
			if !killed {
				completed++
			}
			continue
		}
		if !killed {
			t.Errorf("op %d: %s: exit %d without its keys; stderr: %s", i, res.cmdline(), res.code, shortOut(res.stderr))
			continue
		}
		createsKilled++
		if bytes.Contains(res.stdout, []byte("sk_")) && !bytes.HasSuffix(bytes.TrimSpace(res.stdout), []byte("}")) {
			t.Logf("op %d: killed while printing its keys", i)
		}
	}
	t.Logf("%d creates (%d killed before showing their keys), %d revokes (%d killed), %d ran to completion",
		creates, createsKilled, revokes, revokesKilled, completed)
	if !testing.Short() && (createsKilled == 0 || len(seen) == 0) {
		t.Fatalf("the schedule killed %d creates and let %d show their keys; the test needs both", createsKilled, len(seen))
	}

	// Open the folder the way the CLI does: reconciliation runs.
	ctx := context.Background()
	b, err := h.open(ctx)
	if err != nil {
		t.Fatalf("open the data folder after the crashes: %v", err)
	}
	r := b.Reconciled
	t.Logf("reconciliation: %d unfinished removed, %d broken revoked, %d resurrected, %d added to the revocation list",
		r.Unfinished, r.Broken, r.Resurrected, r.Listed)
	if r.Broken != 0 || r.Resurrected != 0 {
		t.Errorf("reconciliation found %d active connections that could not work and %d resurrected; want none (create and revoke are single transactions)",
			r.Broken, r.Resurrected)
	}
	if verdict, err := b.DB.IntegrityCheck(ctx); err != nil || verdict != "ok" {
		t.Errorf("PRAGMA integrity_check = %q, %v", verdict, err)
	}
	if n := queryInt(t, h.dbPath(), "SELECT count(*) FROM connections WHERE status = 'pending'"); n != 0 {
		t.Errorf("%d connections are still pending after reconciliation", n)
	}
	if n := queryInt(t, h.dbPath(), "SELECT count(*) FROM pragma_foreign_key_check"); n != 0 {
		t.Errorf("PRAGMA foreign_key_check reports %d rows", n)
	}

	all, err := b.Connections.List(ctx, koppel.ConnectionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]*koppel.Connection{}
	unseenActive := 0
	for _, c := range all {
		byID[c.ID] = c
		if !c.Active() {
			continue
		}
		if len(c.OrganizationIDs) == 0 {
			t.Errorf("active connection %d (%s) serves no organization", c.ID, c.AppKey)
		}
		k, ok := seen[c.ID]
		if !ok {
			unseenActive++
			continue
		}
		if _, err := b.Connections.Authenticate(ctx, c.AppKey, koppel.NewSecret(k.Secret)); err != nil {
			t.Errorf("active connection %d (%s): its printed Secret does not authenticate: %v", c.ID, c.AppKey, err)
		}
	}
	for id, k := range seen {
		c, ok := byID[id]
		switch {
		case !ok:
			t.Errorf("connection %d (%s) printed its keys but is not in the database", id, k.AppKey)
		case c.AppKey != k.AppKey || !slices.Equal(sortedIDs(c.OrganizationIDs), sortedIDs(k.orgs)):
			t.Errorf("connection %d: App Key %s, organizations %v; printed %s, %v", id, c.AppKey, c.OrganizationIDs, k.AppKey, k.orgs)
		}
	}
	if unseenActive > createsKilled {
		t.Errorf("%d active connections whose Secret was never shown, but only %d creates were killed before showing it",
			unseenActive, createsKilled)
	}
	t.Logf("%d connections: %d active with a known Secret, %d active whose Secret was lost with its process",
		len(all), countActive(all)-unseenActive, unseenActive)

	revokedList, _ := os.ReadFile(filepath.Join(h.dir, "revoked-keys"))
	listed := map[string]bool{}
	for _, line := range strings.Fields(string(revokedList)) {
		listed[line] = true
	}
	for id := range reported {
		c, ok := byID[id]
		if !ok || c.Active() {
			t.Errorf("connection %d was reported revoked but is %v", id, map[bool]string{true: "active", false: "missing"}[ok])
			continue
		}
		if !listed[c.AppKey] {
			t.Errorf("connection %d (%s) was reported revoked but is not on the revocation list", id, c.AppKey)
		}
		if _, err := b.Connections.Authenticate(ctx, c.AppKey, koppel.NewSecret(seen[id].Secret)); koppel.ErrorCode(err) != koppel.EForbidden {
			t.Errorf("revoked connection %d (%s): Authenticate gives %v, want forbidden", id, c.AppKey, err)
		}
	}
	for _, c := range all {
		if !c.Active() && !listed[c.AppKey] {
			t.Errorf("revoked connection %d (%s) is not on the revocation list after reconciliation", c.ID, c.AppKey)
		}
	}
	if v, err := b.Audit.Verify(ctx); err != nil || !v.OK() {
		t.Errorf("audit chain after the crashes: %+v, %v", v, err)
	}
	if err := b.Close(); err != nil {
		t.Errorf("close: %v", err)
	}

	// The command line agrees, and a second start has nothing left to mend.
	res := h.run("audit", "verify", "--json")
	var verified struct {
		OK     bool `json:"ok"`
		Events int  `json:"events"`
	}
	if err := json.Unmarshal(res.stdout, &verified); res.code != 0 || err != nil || !verified.OK {
		t.Errorf("%s: exit %d, output %s, stderr %s", res.cmdline(), res.code, shortOut(res.stdout), shortOut(res.stderr))
	}
	b2, err := h.open(ctx)
	if err != nil {
		t.Fatalf("open the data folder again: %v", err)
	}
	defer b2.Close()
	if r := *b2.Reconciled; r.Unfinished != 0 || r.Broken != 0 || r.Resurrected != 0 || r.Listed != 0 {
		t.Errorf("a second start still reconciled %+v; the first should have mended everything", r)
	}
}

func sortedIDs(ids []int64) []int64 { return slices.Sorted(slices.Values(ids)) }

func countActive(cs []*koppel.Connection) int {
	n := 0
	for _, c := range cs {
		if c.Active() {
			n++
		}
	}
	return n
}
