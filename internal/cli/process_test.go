package cli

// Helpers for the process tests (leaks, crashes, bad input): each runs the
// real command line in a child process — this test binary re-executed with
// KOPPEL_CLI_EXEC=1 (see TestMain) — against a data folder in t.TempDir(),
// with the encrypted-file keychain and no D-Bus.
//
// Secrets never go into test output: failure messages name App Keys, and a
// command's stdout is only shown when it cannot hold a Secret.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // read-only snapshots of the database

	"koppel/internal/backend"
	"koppel/internal/keys"
	"koppel/internal/vault"
)

// testPassphrase unlocks the test data folders' keychain file.
const testPassphrase = "test passphrase, not a secret"

// procHome is a data folder for child processes.
type procHome struct {
	t    testing.TB
	root string // the test's temp folder; everything a child writes stays in it
	dir  string // KOPPEL_HOME
	env  []string
	exe  string
}

// newProcHome makes an empty data folder and the environment for children
// that use it. HOME and the XDG folders point into the temp folder too, so a
// child cannot touch the user's real folders even by accident.
func newProcHome(t testing.TB) *procHome {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("find the test binary: %v", err)
	}
	root := t.TempDir()
	h := &procHome{t: t, root: root, dir: filepath.Join(root, "koppel-home"), exe: exe}
	userHome := filepath.Join(root, "user")
	if err := os.MkdirAll(userHome, 0o700); err != nil {
		t.Fatal(err)
	}
	h.env = childEnv(map[string]string{
		"KOPPEL_CLI_EXEC":           "1",
		"KOPPEL_HOME":               h.dir,
		"KOPPEL_KEYRING":            "file",
		"KOPPEL_KEYRING_PASSPHRASE": testPassphrase,
		"DBUS_SESSION_BUS_ADDRESS":  "disabled:",
		"HOME":                      userHome,
		"XDG_CONFIG_HOME":           filepath.Join(userHome, ".config"),
		"XDG_DATA_HOME":             filepath.Join(userHome, ".local", "share"),
		"XDG_CACHE_HOME":            filepath.Join(userHome, ".cache"),
	})
	return h
}

// withT returns h bound to t, for use inside a subtest (a helper must fail
// the test whose goroutine it runs on).
func (h *procHome) withT(t testing.TB) *procHome {
	c := *h
	c.t = t
	return &c
}

// childEnv is this process's environment without anything Koppel, D-Bus or
// home related, plus set. Under the race detector the child skips its 1 s
// sleep at exit (GORACE atexit_sleep_ms), which would otherwise dominate.
func childEnv(set map[string]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "KOPPEL_"), strings.HasPrefix(k, "XDG_"), strings.HasPrefix(k, "DBUS_"),
			k == "HOME", k == "GORACE":
			continue
		}
		env = append(env, kv)
	}
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	return append(env, "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
}

// procResult is what one child process did.
type procResult struct {
	args   []string
	stdout []byte
	stderr []byte
	code   int // -1: killed by a signal
	took   time.Duration
}

// cmdline shows the command for messages, with long arguments shortened.
func (r procResult) cmdline() string {
	parts := []string{"koppel"}
	for _, a := range r.args {
		if len(a) > 60 {
			a = fmt.Sprintf("%.40q…(%d bytes)", a, len(a))
		} else if strings.ContainsFunc(a, func(r rune) bool { return r < ' ' || r == 0x7f || r == ' ' || r >= 0x80 }) || a == "" {
			a = fmt.Sprintf("%q", a)
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// command returns an exec.Cmd for koppel args in this data folder.
func (h *procHome) command(ctx context.Context, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	cmd := exec.CommandContext(ctx, h.exe, args...)
	cmd.Env = h.env
	cmd.Dir = h.root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	return cmd, &stdout, &stderr
}

// run runs koppel args to its end and returns what it did.
func (h *procHome) run(args ...string) procResult {
	h.t.Helper()
	return h.runIn(nil, args...)
}

// runIn runs koppel args with stdin as its standard input (nil: empty).
func (h *procHome) runIn(stdin []byte, args ...string) procResult {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd, stdout, stderr := h.command(ctx, args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	start := time.Now()
	err := cmd.Run()
	res := procResult{args: args, stdout: stdout.Bytes(), stderr: stderr.Bytes(), took: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		res.code = ee.ExitCode()
	case err != nil:
		h.t.Fatalf("%s: %v", res.cmdline(), err)
	}
	if ctx.Err() != nil {
		h.t.Fatalf("%s: did not finish within a minute", res.cmdline())
	}
	return res
}

// ok runs koppel args and fails the test unless it exits 0. Only stderr is
// shown on failure: stdout may hold a Secret.
func (h *procHome) ok(args ...string) procResult {
	h.t.Helper()
	res := h.run(args...)
	if res.code != 0 {
		h.t.Fatalf("%s: exit %d, stderr: %s", res.cmdline(), res.code, shortOut(res.stderr))
	}
	return res
}

// okIn is ok with stdin as the command's standard input.
func (h *procHome) okIn(stdin []byte, args ...string) procResult {
	h.t.Helper()
	res := h.runIn(stdin, args...)
	if res.code != 0 {
		h.t.Fatalf("%s: exit %d, stderr: %s", res.cmdline(), res.code, shortOut(res.stderr))
	}
	return res
}

// okJSON runs koppel args --json, expects exit 0 and decodes stdout into v.
func (h *procHome) okJSON(v any, args ...string) procResult {
	h.t.Helper()
	res := h.ok(append(args, "--json")...)
	if err := json.Unmarshal(res.stdout, v); err != nil {
		h.t.Fatalf("%s: stdout is not the JSON expected: %v", res.cmdline(), err)
	}
	return res
}

// open opens the data folder in this process, the way the CLI does (so
// startup reconciliation runs). The caller closes it.
func (h *procHome) open(ctx context.Context) (*backend.Backend, error) {
	return backend.Open(ctx, backend.Config{
		Home:  h.dir,
		Actor: "test (process tests)",
		Vault: vault.Config{Backend: vault.BackendFile, Passphrase: testPassphrase,
			FileDir: filepath.Join(h.dir, "keyring"), Service: vault.DefaultService},
	})
}

// dbPath is the database file of the data folder.
func (h *procHome) dbPath() string { return filepath.Join(h.dir, "koppel.db") }

// issued is one set of keys a command printed: the one time a Secret is shown.
type issued struct {
	ID       int64
	AppKey   string
	Secret   string
	Replaces int64
}

// ref names the connection on a command line: its number when the output
// gave one (the Quick Connect text does not), else its App Key.
func (k issued) ref() string {
	if k.ID != 0 {
		return fmt.Sprint(k.ID)
	}
	return k.AppKey
}

var (
	appKeyLine = regexp.MustCompile(`(?m)^\s*App Key:\s*(\S+)\s*$`)
	secretLine = regexp.MustCompile(`(?m)^\s*Secret:\s*(\S+)\s*$`)
	connIDLine = regexp.MustCompile(`(?m)^Connection (\d+) created:`)
	appKeyForm = regexp.MustCompile(`^ak_[A-Za-z0-9]{20}$`)
	secretForm = regexp.MustCompile(`^sk_[A-Za-z0-9]{46}$`)
	// anySecret finds Secret-shaped text anywhere.
	anySecret = regexp.MustCompile(`sk_[A-Za-z0-9]{46}`)
)

// shortOut readies command output for a failure message: anything shaped
// like a Secret masked (test logs must not leak either), long output cut.
func shortOut(b []byte) string {
	b = anySecret.ReplaceAll(b, []byte("sk_[masked by the test]"))
	if len(b) > 300 {
		return string(b[:300]) + fmt.Sprintf("…(%d bytes)", len(b))
	}
	return string(b)
}

// parseIssued reads the keys from a create or replace output: JSON, the
// human text or the Quick Connect text. It fails the test (naming only the
// command) when the output does not hold a well-formed App Key and Secret.
func parseIssued(t testing.TB, res procResult) issued {
	t.Helper()
	var k issued
	if slices.Contains(res.args, "--json") {
		var v struct {
			ID       int64  `json:"id"`
			AppKey   string `json:"appKey"`
			Secret   string `json:"secret"`
			Replaces int64  `json:"replaces"`
		}
		if err := json.Unmarshal(res.stdout, &v); err != nil {
			t.Fatalf("%s: output is not JSON: %v", res.cmdline(), err)
		}
		k = issued{v.ID, v.AppKey, v.Secret, v.Replaces}
	} else {
		if m := appKeyLine.FindSubmatch(res.stdout); m != nil {
			k.AppKey = string(m[1])
		}
		if m := secretLine.FindSubmatch(res.stdout); m != nil {
			k.Secret = string(m[1])
		}
		if m := connIDLine.FindSubmatch(res.stdout); m != nil {
			fmt.Sscan(string(m[1]), &k.ID)
		}
	}
	checkIssued(t, res.cmdline(), k)
	return k
}

// checkIssued fails the test unless k holds a real-looking App Key and a
// Secret of the right form and checksum. It never prints the Secret.
func checkIssued(t testing.TB, what string, k issued) {
	t.Helper()
	if !appKeyForm.MatchString(k.AppKey) {
		t.Fatalf("%s: no App Key of the form ak_ + 20 characters in its output", what)
	}
	if !secretForm.MatchString(k.Secret) {
		t.Fatalf("%s: no Secret of the form sk_ + 46 characters in its output (App Key %s)", what, k.AppKey)
	}
	if err := keys.CheckSecret(k.Secret); err != nil {
		t.Fatalf("%s: the Secret for App Key %s fails its checksum: %v", what, k.AppKey, err)
	}
}

// dbSnapshot dumps every table of the database through a read-only
// connection: schema, then each table's rows sorted. Two equal snapshots
// mean nothing in the database changed.
func dbSnapshot(t testing.TB, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatalf("open the database read-only: %v", err)
	}
	defer db.Close()
	var b strings.Builder
	tables := queryStrings(t, db, "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
	b.WriteString(strings.Join(tables, "\n") + "\n")
	for _, name := range queryStrings(t, db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
		rows, err := db.Query(`SELECT * FROM "` + strings.ReplaceAll(name, `"`, `""`) + `"`)
		if err != nil {
			t.Fatalf("read table %s: %v", name, err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("read table %s: %v", name, err)
			}
			var line strings.Builder
			for i, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = fmt.Sprintf("x'%x'", bs)
				}
				fmt.Fprintf(&line, "%s=%v|", cols[i], v)
			}
			lines = append(lines, line.String())
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("read table %s: %v", name, err)
		}
		rows.Close()
		sort.Strings(lines)
		fmt.Fprintf(&b, "== %s (%d rows)\n%s\n", name, len(lines), strings.Join(lines, "\n"))
	}
	return b.String()
}

func queryStrings(t testing.TB, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

// queryInt runs a one-number query through a read-only connection.
func queryInt(t testing.TB, path, q string) int64 {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatalf("open the database read-only: %v", err)
	}
	defer db.Close()
	var n int64
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// jsonKeys returns the sorted keys of a JSON object.
func jsonKeys(m map[string]json.RawMessage) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestJSONOutputShapes checks the --json shapes of DESIGN §6 through a real
// process: conn create carries the Secret, conn show/list/revoke never do.
func TestJSONOutputShapes(t *testing.T) {
	h := newProcHome(t)
	h.ok("org", "add", "--name", "Bakkerij Jansen BV", "--party-id", "NL:KVK:12345678")
	h.ok("org", "add", "--name", "Fietsen de Vries", "--party-id", "NL:KVK:87654321")

	createKeys := []string{"appKey", "id", "organizationIds", "secret", "software", "status"}
	showKeys := []string{"appKey", "createdAt", "id", "lastUsedAt", "organizationIds", "revokedAt",
		"revokedKeyAttempts", "revokedReason", "software", "status"}

	var created map[string]json.RawMessage
	res := h.okJSON(&created, "conn", "create", "--org", "1", "--software", "yuki", "--grant", "2")
	if got := jsonKeys(created); !slices.Equal(got, createKeys) {
		t.Errorf("conn create --json keys = %v, want %v", got, createKeys)
	}
	k := parseIssued(t, res)
	var c struct {
		ID              int64   `json:"id"`
		OrganizationIDs []int64 `json:"organizationIds"`
		Software        string  `json:"software"`
		Status          string  `json:"status"`
	}
	_ = json.Unmarshal(res.stdout, &c)
	if c.ID != 1 || !slices.Equal(c.OrganizationIDs, []int64{1, 2}) || c.Software != "yuki" || c.Status != "active" {
		t.Errorf("conn create --json = id %d, organizations %v, software %q, status %q; want 1, [1 2], yuki, active",
			c.ID, c.OrganizationIDs, c.Software, c.Status)
	}

	// Every output but create's must be free of the Secret and of any field
	// that could hold one.
	noSecret := func(res procResult) {
		t.Helper()
		if bytes.Contains(res.stdout, []byte(k.Secret)) || bytes.Contains(res.stderr, []byte(k.Secret)) ||
			anySecret.Match(res.stdout) || anySecret.Match(res.stderr) {
			t.Errorf("%s: output holds a Secret (App Key %s)", res.cmdline(), k.AppKey)
		}
		if bytes.Contains(bytes.ToLower(res.stdout), []byte(`"secret`)) {
			t.Errorf("%s: output has a secret field", res.cmdline())
		}
	}

	var show map[string]json.RawMessage
	noSecret(h.okJSON(&show, "conn", "show", k.AppKey))
	if got := jsonKeys(show); !slices.Equal(got, showKeys) {
		t.Errorf("conn show --json keys = %v, want %v", got, showKeys)
	}
	var shown struct {
		ID                 int64      `json:"id"`
		AppKey             string     `json:"appKey"`
		Software           string     `json:"software"`
		OrganizationIDs    []int64    `json:"organizationIds"`
		Status             string     `json:"status"`
		CreatedAt          time.Time  `json:"createdAt"`
		RevokedAt          *time.Time `json:"revokedAt"`
		RevokedReason      string     `json:"revokedReason"`
		LastUsedAt         *time.Time `json:"lastUsedAt"`
		RevokedKeyAttempts *int       `json:"revokedKeyAttempts"`
	}
	b, _ := json.Marshal(show)
	if err := json.Unmarshal(b, &shown); err != nil {
		t.Fatalf("conn show --json: field types: %v", err)
	}
	if shown.ID != k.ID || shown.AppKey != k.AppKey || shown.Software != "yuki" || !slices.Equal(shown.OrganizationIDs, []int64{1, 2}) ||
		shown.Status != "active" || shown.CreatedAt.IsZero() || time.Since(shown.CreatedAt) > time.Hour ||
		shown.RevokedAt != nil || shown.RevokedReason != "" || shown.LastUsedAt != nil ||
		shown.RevokedKeyAttempts == nil || *shown.RevokedKeyAttempts != 0 {
		t.Errorf("conn show --json = %s", b)
	}

	var listed []map[string]json.RawMessage
	noSecret(h.okJSON(&listed, "conn", "list"))
	if len(listed) != 1 || !slices.Equal(jsonKeys(listed[0]), showKeys) {
		t.Errorf("conn list --json: %d entries, keys of the first %v; want 1 with %v", len(listed), jsonKeys(listed[0]), showKeys)
	}

	var revoked map[string]json.RawMessage
	noSecret(h.okJSON(&revoked, "conn", "revoke", "1", "--reason", "routine"))
	if got := jsonKeys(revoked); !slices.Equal(got, showKeys) {
		t.Errorf("conn revoke --json keys = %v, want %v", got, showKeys)
	}
	if string(revoked["status"]) != `"revoked"` || string(revoked["revokedReason"]) != `"routine"` || string(revoked["revokedAt"]) == "null" {
		t.Errorf("conn revoke --json: status %s, reason %s, revokedAt %s", revoked["status"], revoked["revokedReason"], revoked["revokedAt"])
	}

	// Replace prints the new keys with the connection they replace.
	var replaced map[string]json.RawMessage
	res = h.okJSON(&replaced, "conn", "replace", "1", "--reason", "lost")
	if got, want := jsonKeys(replaced), append(slices.Clone(createKeys), "replaces"); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
		t.Errorf("conn replace --json keys = %v, want %v", got, want)
	}
	if nk := parseIssued(t, res); nk.Replaces != 1 || nk.Secret == k.Secret || nk.AppKey == k.AppKey {
		t.Errorf("conn replace --json: replaces %d (want 1), new keys differ from the old: %v", nk.Replaces, nk.AppKey != k.AppKey)
	}
	noSecret(h.okJSON(&listed, "conn", "list", "--status", "revoked"))
	if len(listed) != 1 || string(listed[0]["id"]) != "1" {
		t.Errorf("conn list --status revoked --json: %d entries", len(listed))
	}
}
