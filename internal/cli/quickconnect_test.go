package cli

// Process tests of the Quick Connect commands: admin add/list/edit/import,
// quickconnect with the keys on standard input, link list/test/remove.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// useFreeAPIAddr points the children's KOPPEL_API_ADDR at a loopback port
// nothing listens on, so that `link test` finds no API (not a window someone
// left open on the default port) unless the test starts one there.
func (h *procHome) useFreeAPIAddr() string {
	h.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		h.t.Fatalf("find a free port: %v", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	h.env = append(h.env, "KOPPEL_API_ADDR="+addr)
	return addr
}

// pasteText is the labelled two-line layout the paste parser takes.
func pasteText(k issued) []byte {
	return []byte("App Key: " + k.AppKey + "\nSecret: " + k.Secret + "\n")
}

// noSecretIn fails the test when res's output holds anything shaped like a
// Secret or a credential field.
func noSecretIn(t *testing.T, res procResult) {
	t.Helper()
	if anySecret.Match(res.stdout) || anySecret.Match(res.stderr) {
		t.Errorf("%s: output holds something shaped like a Secret", res.cmdline())
	}
	low := bytes.ToLower(res.stdout)
	if bytes.Contains(low, []byte(`"secret`)) || bytes.Contains(low, []byte(`"sealed`)) || bytes.Contains(low, []byte("credential\"")) {
		t.Errorf("%s: output has a secret or credential field", res.cmdline())
	}
}

var (
	linkKeys = []string{"administration", "administrationId", "appKey", "connectionId", "createdAt", "email", "id",
		"lastTestAt", "lastTestResult", "processSales", "revokedAt", "software", "startDate", "status"}
	adminKeys = []string{"code", "createdAt", "email", "id", "linkedConnectionId", "name", "organization",
		"organizationId", "software", "softwareId"}
)

type linkOut struct {
	ID               int64      `json:"id"`
	ConnectionID     int64      `json:"connectionId"`
	AppKey           string     `json:"appKey"`
	Software         string     `json:"software"`
	AdministrationID int64      `json:"administrationId"`
	Administration   string     `json:"administration"`
	Email            string     `json:"email"`
	StartDate        *string    `json:"startDate"`
	ProcessSales     bool       `json:"processSales"`
	Status           string     `json:"status"`
	CreatedAt        time.Time  `json:"createdAt"`
	RevokedAt        *time.Time `json:"revokedAt"`
	LastTestAt       *time.Time `json:"lastTestAt"`
	LastTestResult   string     `json:"lastTestResult"`
}

type adminOut struct {
	ID                 int64   `json:"id"`
	SoftwareID         int64   `json:"softwareId"`
	Software           string  `json:"software"`
	OrganizationID     *int64  `json:"organizationId"`
	Organization       *string `json:"organization"`
	Name               string  `json:"name"`
	Code               string  `json:"code"`
	Email              string  `json:"email"`
	LinkedConnectionID *int64  `json:"linkedConnectionId"`
}

type testOut struct {
	OK      bool `json:"ok"`
	Parties []struct {
		PartyID    string `json:"partyId"`
		Name       string `json:"name"`
		CanSend    bool   `json:"canSend"`
		CanReceive bool   `json:"canReceive"`
	} `json:"parties"`
	Problem *string `json:"problem"`
}

// expectCode runs koppel args (with stdin) and checks its exit code and that
// stderr says msg; it returns the result.
func expectCode(t *testing.T, h *procHome, stdin []byte, code int, msg string, args ...string) procResult {
	t.Helper()
	res := h.runIn(stdin, args...)
	if res.code != code {
		t.Errorf("%s: exit %d, want %d; stderr: %s", res.cmdline(), res.code, code, shortOut(res.stderr))
	}
	if !strings.Contains(string(res.stderr), msg) {
		t.Errorf("%s: stderr %q does not say %q", res.cmdline(), shortOut(res.stderr), msg)
	}
	noSecretIn(t, res)
	return res
}

// TestQuickConnectCommands walks the Quick Connect journey through real
// processes: keys piped in, a link made, a conflict refused and then
// resolved by revoking the other connection, links listed, tested against
// the API the command starts for itself, and removed.
func TestQuickConnectCommands(t *testing.T) {
	h := newProcHome(t)
	h.useFreeAPIAddr()
	h.ok("org", "add", "--name", "Bakkerij Jansen BV", "--party-id", "NL:KVK:12345678")
	h.ok("org", "add", "--name", "Fietsen de Vries", "--party-id", "NL:KVK:87654321")

	// The Quick Connect text of conn create goes straight into quickconnect.
	qcRes := h.ok("conn", "create", "--org", "1", "--software", "yuki", "--quick-connect")
	first := parseIssued(t, qcRes)
	second := parseIssued(t, h.ok("conn", "create", "--org", "1", "--software", "yuki", "--json"))

	var admin map[string]json.RawMessage
	h.okJSON(&admin, "admin", "add", "--software", "yuki", "--name", "Bakkerij Jansen", "--org", "1", "--code", "001")
	if got := jsonKeys(admin); !slices.Equal(got, adminKeys) {
		t.Errorf("admin add --json keys = %v, want %v", got, adminKeys)
	}

	// Without --confirm nothing happens.
	expectCode(t, h, qcRes.stdout, exitUsage, "--confirm", "quickconnect", "--administration", "1", "--email", "boekhouding@jansen.nl")

	var applied map[string]json.RawMessage
	res := h.okIn(qcRes.stdout, "quickconnect", "--administration", "1", "--email", "boekhouding@jansen.nl", "--confirm", "--json")
	noSecretIn(t, res)
	if err := json.Unmarshal(res.stdout, &applied); err != nil {
		t.Fatalf("quickconnect --json: %v", err)
	}
	if got, want := jsonKeys(applied), []string{"link", "revokedConnectionId", "withdrawn"}; !slices.Equal(got, want) {
		t.Errorf("quickconnect --json keys = %v, want %v", got, want)
	}
	var link map[string]json.RawMessage
	_ = json.Unmarshal(applied["link"], &link)
	if got := jsonKeys(link); !slices.Equal(got, linkKeys) {
		t.Errorf("quickconnect --json link keys = %v, want %v", got, linkKeys)
	}
	var l1 linkOut
	_ = json.Unmarshal(applied["link"], &l1)
	if l1.ID != 1 || l1.ConnectionID == 0 || l1.AppKey != first.AppKey || l1.Software != "yuki" ||
		l1.AdministrationID != 1 || l1.Administration != "Bakkerij Jansen" || l1.Email != "boekhouding@jansen.nl" ||
		l1.StartDate != nil || l1.ProcessSales || l1.Status != "active" || l1.RevokedAt != nil || l1.LastTestAt != nil {
		t.Errorf("quickconnect --json link = %s", applied["link"])
	}
	if string(applied["revokedConnectionId"]) != "null" || string(applied["withdrawn"]) != "0" {
		t.Errorf("quickconnect --json: revokedConnectionId %s, withdrawn %s; want null, 0", applied["revokedConnectionId"], applied["withdrawn"])
	}
	firstID := l1.ConnectionID

	// While a key connection serves it, the administration cannot switch to
	// an Autopilot package (R8).
	expectCode(t, h, nil, exitRefused, "cannot switch to SnelStart", "admin", "edit", "1", "--software", "snelstart")

	// The administration now carries the email and the link.
	var admins []adminOut
	h.okJSON(&admins, "admin", "list")
	if len(admins) != 1 || admins[0].Email != "boekhouding@jansen.nl" || admins[0].LinkedConnectionID == nil || *admins[0].LinkedConnectionID != firstID {
		t.Errorf("admin list after quickconnect: %+v", admins)
	}

	// The account email from Settings is refused for an administration.
	h.ok("settings", "set", "account-email", "boekhouder@kantoor.nl")
	expectCode(t, h, pasteText(second), exitUsage, "email address of your Koppel account",
		"quickconnect", "--new-administration", "Jansen privé", "--email", "Boekhouder@kantoor.nl", "--confirm")

	// A second connection to the same administration conflicts (R8): the
	// message names the other connection and how to go on.
	res = expectCode(t, h, pasteText(second), exitRefused, fmt.Sprintf("--revoke-conflicting %d", firstID),
		"quickconnect", "--administration", "1", "--email", "boekhouding@jansen.nl", "--confirm")
	if !strings.Contains(string(res.stderr), fmt.Sprintf("connection %d", firstID)) || !strings.Contains(string(res.stderr), first.AppKey) {
		t.Errorf("the conflict does not name connection %d (%s): %s", firstID, first.AppKey, shortOut(res.stderr))
	}
	var conn struct {
		Status        string `json:"status"`
		RevokedReason string `json:"revokedReason"`
	}
	h.okJSON(&conn, "conn", "show", first.AppKey)
	if conn.Status != "active" {
		t.Fatalf("the refused quickconnect changed connection %d: %s", firstID, conn.Status)
	}

	// With --revoke-conflicting (by App Key) the other connection is revoked.
	res = h.okIn(pasteText(second), "quickconnect", "--administration", "1", "--email", "boekhouding@jansen.nl",
		"--confirm", "--revoke-conflicting", first.AppKey, "--json")
	noSecretIn(t, res)
	var applied2 struct {
		Link                linkOut `json:"link"`
		RevokedConnectionID *int64  `json:"revokedConnectionId"`
	}
	if err := json.Unmarshal(res.stdout, &applied2); err != nil {
		t.Fatal(err)
	}
	if applied2.RevokedConnectionID == nil || *applied2.RevokedConnectionID != firstID || applied2.Link.ConnectionID != second.ID {
		t.Errorf("quickconnect --revoke-conflicting: revoked %v, link's connection %d; want %d, %d",
			applied2.RevokedConnectionID, applied2.Link.ConnectionID, firstID, second.ID)
	}
	h.okJSON(&conn, "conn", "show", fmt.Sprint(firstID))
	if conn.Status != "revoked" || conn.RevokedReason != "switch" {
		t.Errorf("connection %d after --revoke-conflicting: %s (%s), want revoked (switch)", firstID, conn.Status, conn.RevokedReason)
	}
	secondLink := applied2.Link.ID

	// A new administration made on the way, with a start date and sales.
	third := parseIssued(t, h.ok("conn", "create", "--org", "2", "--software", "basecone", "--json"))
	res = h.okIn(pasteText(third), "quickconnect", "--new-administration", "Fietsen de Vries", "--code", "FdV",
		"--email", "administratie@devries.nl", "--start-date", "2026-01-01", "--sales", "--confirm")
	noSecretIn(t, res)
	if !regexp.MustCompile(`(?m)^Link 3 created: connection \d+ \(Basecone, ak_`).Match(res.stdout) ||
		!bytes.Contains(res.stdout, []byte("2026-01-01")) || !bytes.Contains(res.stdout, []byte("processed")) {
		t.Errorf("quickconnect output: %s", shortOut(res.stdout))
	}
	h.okJSON(&admins, "admin", "list", "--software", "basecone")
	if len(admins) != 1 || admins[0].Name != "Fietsen de Vries" || admins[0].Code != "FdV" || admins[0].OrganizationID == nil ||
		*admins[0].OrganizationID != 2 || admins[0].Email != "administratie@devries.nl" {
		t.Errorf("the administration quickconnect added: %+v", admins)
	}

	// link list and its filters.
	var links []map[string]json.RawMessage
	noSecretIn(t, h.okJSON(&links, "link", "list"))
	if len(links) != 3 || !slices.Equal(jsonKeys(links[0]), linkKeys) {
		t.Fatalf("link list --json: %d links, keys %v", len(links), jsonKeys(links[0]))
	}
	var ll []linkOut
	h.okJSON(&ll, "link", "list", "--status", "revoked")
	if len(ll) != 1 || ll[0].ID != 1 || ll[0].RevokedAt == nil {
		t.Errorf("link list --status revoked: %+v", ll)
	}
	h.okJSON(&ll, "link", "list", "--conn", second.AppKey)
	if len(ll) != 1 || ll[0].ID != secondLink {
		t.Errorf("link list --conn %s: %+v", second.AppKey, ll)
	}
	h.okJSON(&ll, "link", "list", "--org", "NL:KVK:87654321", "--status", "active")
	if len(ll) != 1 || ll[0].ID != 3 || ll[0].StartDate == nil || *ll[0].StartDate != "2026-01-01" || !ll[0].ProcessSales {
		t.Errorf("link list --org 2: %+v", ll)
	}
	res = h.ok("link", "list")
	noSecretIn(t, res)
	if !bytes.Contains(res.stdout, []byte(second.AppKey)) || !bytes.Contains(res.stdout, []byte("revoked")) {
		t.Errorf("link list: %s", shortOut(res.stdout))
	}

	// link test: no API runs, so the command starts one for the test.
	var tested map[string]json.RawMessage
	res = h.okJSON(&tested, "link", "test", fmt.Sprint(secondLink))
	noSecretIn(t, res)
	if got, want := jsonKeys(tested), []string{"ok", "parties", "problem"}; !slices.Equal(got, want) {
		t.Errorf("link test --json keys = %v, want %v", got, want)
	}
	var to testOut
	_ = json.Unmarshal(res.stdout, &to)
	if !to.OK || to.Problem != nil || len(to.Parties) != 1 || to.Parties[0].PartyID != "NL:KVK:12345678" ||
		to.Parties[0].Name != "Bakkerij Jansen BV" || to.Parties[0].CanSend || !to.Parties[0].CanReceive {
		t.Errorf("link test --json = %s", res.stdout)
	}
	res = h.ok("link", "test", fmt.Sprint(secondLink))
	if !bytes.HasPrefix(res.stdout, []byte("OK: link")) || !bytes.Contains(res.stdout, []byte("NL:KVK:12345678")) {
		t.Errorf("link test: %s", shortOut(res.stdout))
	}
	h.okJSON(&ll, "link", "list", "--conn", fmt.Sprint(second.ID))
	if len(ll) != 1 || ll[0].LastTestAt == nil || ll[0].LastTestResult != "ok: NL:KVK:12345678" {
		t.Errorf("the test was not recorded on the link: %+v", ll)
	}

	// The revoked connection's link cannot be tested; nor can a link whose
	// connection is revoked after it was made.
	expectCode(t, h, nil, exitRefused, "was revoked", "link", "test", "1")
	h.ok("conn", "revoke", fmt.Sprint(second.ID), "--reason", "routine")
	expectCode(t, h, nil, exitRefused, "was revoked", "link", "test", fmt.Sprint(secondLink))
	// Its keys no longer link either.
	expectCode(t, h, pasteText(second), exitRefused, "was revoked",
		"quickconnect", "--administration", "1", "--email", "boekhouding@jansen.nl", "--confirm")

	// link remove: the link and its credential go, the connection stays.
	var removed linkOut
	noSecretIn(t, h.okJSON(&removed, "link", "remove", "3"))
	if removed.ID != 3 || removed.Administration != "Fietsen de Vries" {
		t.Errorf("link remove --json: %+v", removed)
	}
	expectCode(t, h, nil, exitNotFound, "not found", "link", "remove", "3")
	expectCode(t, h, nil, exitNotFound, "not found", "link", "test", "3")
	h.okJSON(&conn, "conn", "show", third.AppKey)
	if conn.Status != "active" {
		t.Errorf("link remove changed its connection: %s", conn.Status)
	}
	if n := queryInt(t, h.dbPath(), "SELECT count(*) FROM links"); n != 2 {
		t.Errorf("%d links in the database, want 2", n)
	}
	// A revoked link keeps no credential.
	if n := queryInt(t, h.dbPath(), "SELECT count(*) FROM links WHERE sealed_credential IS NOT NULL"); n != 0 {
		t.Errorf("%d revoked links still hold a sealed credential", n)
	}
	res = h.ok("audit", "verify")
	if !bytes.Contains(res.stdout, []byte("intact")) {
		t.Errorf("audit verify: %s", shortOut(res.stdout))
	}
}

// TestLinkTestFailsWhenTheAPIRefuses: link test exits 1 with the tester's
// problem when the API that answers does not know the keys — here a
// `koppel serve` of another data folder.
func TestLinkTestFailsWhenTheAPIRefuses(t *testing.T) {
	h := newProcHome(t)
	addr := h.useFreeAPIAddr()
	h.ok("org", "add", "--name", "Bakkerij Jansen BV", "--party-id", "NL:KVK:12345678")
	k := parseIssued(t, h.ok("conn", "create", "--org", "1", "--software", "yuki", "--json"))
	h.okIn(pasteText(k), "quickconnect", "--new-administration", "Jansen", "--email", "a@jansen.nl", "--confirm")

	other := newProcHome(t)
	other.env = append(other.env, "KOPPEL_API_ADDR="+addr)
	other.ok("org", "add", "--name", "Ander BV", "--party-id", "NL:KVK:87654321")
	stop := startServe(t, other)
	defer stop()

	res := expectCode(t, h, nil, exitFailure, "The test of link 1 failed: The local API refused the keys", "link", "test", "1")
	if len(res.stdout) != 0 {
		t.Errorf("link test: a failed test printed %q", shortOut(res.stdout))
	}
	res = h.run("link", "test", "1", "--json")
	var to testOut
	if res.code != exitFailure || json.Unmarshal(res.stdout, &to) != nil || to.OK || to.Problem == nil || len(to.Parties) != 0 {
		t.Errorf("link test --json on refused keys: exit %d, stdout %s", res.code, shortOut(res.stdout))
	}
}

// TestLinkTestUsesRunningServe: with `koppel serve` running on the API
// address, link test asks that API (its token requests show as the
// connection's last use) rather than starting its own.
func TestLinkTestUsesRunningServe(t *testing.T) {
	h := newProcHome(t)
	addr := h.useFreeAPIAddr()
	h.ok("org", "add", "--name", "Bakkerij Jansen BV", "--party-id", "NL:KVK:12345678")
	k := parseIssued(t, h.ok("conn", "create", "--org", "1", "--software", "radar", "--json"))
	h.okIn(pasteText(k), "quickconnect", "--new-administration", "Jansen", "--email", "a@jansen.nl", "--confirm")
	stop := startServe(t, h)
	var to testOut
	noSecretIn(t, h.okJSON(&to, "link", "test", "1"))
	if !to.OK || len(to.Parties) != 1 || !to.Parties[0].CanSend || to.Parties[0].CanReceive {
		t.Errorf("link test through koppel serve: %+v", to)
	}
	stop()
	// Only serve started an API: every "listening" line in the log is its.
	data, err := os.ReadFile(filepath.Join(h.dir, "koppel.log"))
	if err != nil {
		t.Fatal(err)
	}
	var addrs []string
	for _, line := range strings.Split(string(data), "\n") {
		var entry struct{ Msg, Addr string }
		if json.Unmarshal([]byte(line), &entry) == nil && entry.Msg == "local API listening" {
			addrs = append(addrs, entry.Addr)
		}
	}
	if len(addrs) != 1 || addrs[0] != addr {
		t.Errorf("APIs started: %v; want only koppel serve's on %s", addrs, addr)
	}
}

// startServe runs `koppel serve` in h until the returned stop is called; stop
// returns what serve printed.
func startServe(t *testing.T, h *procHome) (stop func() string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	cmd := exec.CommandContext(ctx, h.exe, "serve")
	cmd.Env = h.env
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
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.Contains(line, "listens on") {
		cancel()
		_ = cmd.Wait()
		t.Fatalf("koppel serve did not start: %q, %v; stderr: %s", line, err, shortOut([]byte(stderr.String())))
	}
	done := false
	stop = func() string {
		if done {
			return stderr.String()
		}
		done = true
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		cancel()
		return stderr.String()
	}
	t.Cleanup(func() { stop() })
	return stop
}

// TestAdminCommands: add, list with its filters, edit keeping what is not
// named, and the CSV import with its preview, dry run and standard input.
func TestAdminCommands(t *testing.T) {
	h := newProcHome(t)
	h.ok("org", "add", "--name", "Bakkerij Jansen BV", "--party-id", "NL:KVK:12345678")
	h.ok("org", "add", "--name", "Fietsen de Vries", "--party-id", "NL:KVK:87654321")

	var a adminOut
	h.okJSON(&a, "admin", "add", "--software", "Yuki", "--name", "Bakkerij Jansen", "--org", "0106:12345678",
		"--code", "001", "--email", "Boekhouding@Jansen.NL")
	if a.ID != 1 || a.Software != "yuki" || a.OrganizationID == nil || *a.OrganizationID != 1 || a.Organization == nil ||
		*a.Organization != "Bakkerij Jansen BV" || a.Code != "001" || a.Email != "Boekhouding@jansen.nl" || a.LinkedConnectionID != nil {
		t.Errorf("admin add --json = %+v", a)
	}
	res := h.ok("admin", "add", "--software", "basecone", "--name", "Losse administratie")
	if !bytes.HasPrefix(res.stdout, []byte("Administration 2 added: Losse administratie in Basecone")) {
		t.Errorf("admin add: %s", shortOut(res.stdout))
	}
	h.ok("admin", "add", "--software", "yuki", "--name", "De Vries", "--org", "2")

	list := func(args ...string) []string {
		t.Helper()
		var out []adminOut
		h.okJSON(&out, append([]string{"admin", "list"}, args...)...)
		names := make([]string, len(out))
		for i, v := range out {
			names[i] = v.Name
		}
		return names
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{nil, []string{"Bakkerij Jansen", "De Vries", "Losse administratie"}},
		{[]string{"--software", "yuki"}, []string{"Bakkerij Jansen", "De Vries"}},
		{[]string{"--org", "1"}, []string{"Bakkerij Jansen", "Losse administratie"}}, // and those tied to none
		{[]string{"--search", "jansen"}, []string{"Bakkerij Jansen"}},
		{[]string{"--search", "%"}, []string{}},
		{[]string{"--software", "basecone", "--org", "2"}, []string{"Losse administratie"}},
	} {
		if got := list(tc.args...); !slices.Equal(got, tc.want) {
			t.Errorf("admin list %v = %v, want %v", tc.args, got, tc.want)
		}
	}

	// edit changes what it names and keeps the rest.
	h.okJSON(&a, "admin", "edit", "1", "--name", "Bakkerij Jansen BV")
	if a.Name != "Bakkerij Jansen BV" || a.Code != "001" || a.Email != "Boekhouding@jansen.nl" || a.Software != "yuki" ||
		a.OrganizationID == nil || *a.OrganizationID != 1 {
		t.Errorf("admin edit --name: %+v", a)
	}
	h.okJSON(&a, "admin", "edit", "1", "--no-org", "--code", "")
	if a.OrganizationID != nil || a.Organization != nil || a.Code != "" || a.Name != "Bakkerij Jansen BV" {
		t.Errorf("admin edit --no-org --code '': %+v", a)
	}
	h.okJSON(&a, "admin", "edit", "1", "--org", "NL:KVK:12345678", "--software", "basecone", "--email", "")
	if a.OrganizationID == nil || *a.OrganizationID != 1 || a.Software != "basecone" || a.Email != "" {
		t.Errorf("admin edit --org --software --email '': %+v", a)
	}
	expectCode(t, h, nil, exitUsage, "either --org ORG or --no-org", "admin", "edit", "1", "--org", "1", "--no-org")
	expectCode(t, h, nil, exitUsage, "needs something to change", "admin", "edit", "1")

	// import: a CSV with a good row, a bad row, an existing row.
	csv := "naam;administratiecode;emailadres;organisatie\n" +
		"Fietsen de Vries;002;info@devries.nl;NL:KVK:87654321\n" +
		";003;;\n" +
		"De Vries;;;2\n" +
		"Kapper Knip;004;geen-email;\n" +
		"Onbekend BV;005;;NL:KVK:99999999\n" +
		"\n" +
		"Kaaswinkel;006;;\n"
	file := filepath.Join(h.root, "administraties.csv")
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	before := dbSnapshot(t, h.dbPath())
	res = h.run("admin", "import", "--software", "yuki", file, "--dry-run")
	if res.code != exitFailure || !strings.Contains(string(res.stderr), "3 of 6 rows cannot be imported") {
		t.Errorf("admin import --dry-run: exit %d, stderr %s", res.code, shortOut(res.stderr))
	}
	out := string(res.stdout)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^2\s+Fietsen de Vries\s+002\s.*would be added$`),
		regexp.MustCompile(`(?m)^3\s+-\s+003\s.*problem: The administration name is required\.$`),
		regexp.MustCompile(`(?m)^4\s+De Vries\s.*already exists, skipped$`),
		regexp.MustCompile(`(?m)^5\s+Kapper Knip\s.*problem: .*not an email address`),
		regexp.MustCompile(`(?m)^6\s+Onbekend BV\s.*problem: .*not found`),
		regexp.MustCompile(`(?m)^8\s+Kaaswinkel\s.*would be added$`),
		regexp.MustCompile(`(?m)^Dry run: 2 of 6 rows would be added to Yuki; nothing was changed\.$`),
	} {
		if !want.MatchString(out) {
			t.Errorf("admin import --dry-run output does not match %s:\n%s", want, out)
		}
	}
	if after := dbSnapshot(t, h.dbPath()); after != before {
		t.Fatalf("admin import --dry-run changed the database:\n%s", firstDiff(before, after))
	}
	var preview struct {
		Software string `json:"software"`
		DryRun   bool   `json:"dryRun"`
		Rows     []struct {
			Line    int     `json:"line"`
			Result  string  `json:"result"`
			Problem *string `json:"problem"`
		} `json:"rows"`
		Valid int        `json:"valid"`
		Added []adminOut `json:"added"`
	}
	res = h.run("admin", "import", "--software", "yuki", file, "--dry-run", "--json")
	if err := json.Unmarshal(res.stdout, &preview); err != nil || res.code != exitFailure {
		t.Fatalf("admin import --dry-run --json: exit %d, %v", res.code, err)
	}
	var results []string
	for _, r := range preview.Rows {
		results = append(results, fmt.Sprintf("%d:%s:%v", r.Line, r.Result, r.Problem != nil))
	}
	if want := []string{"2:add:false", "3:problem:true", "4:exists:false", "5:problem:true", "6:problem:true", "8:add:false"}; !slices.Equal(results, want) ||
		preview.Software != "yuki" || !preview.DryRun || preview.Valid != 2 || preview.Added == nil || len(preview.Added) != 0 {
		t.Errorf("admin import --dry-run --json: rows %v (want %v), software %q, dryRun %v, valid %d, added %v",
			results, want, preview.Software, preview.DryRun, preview.Valid, preview.Added)
	}
	if dbSnapshot(t, h.dbPath()) != before {
		t.Fatal("admin import --dry-run --json changed the database")
	}

	// The real import reads standard input and adds the valid rows.
	res = h.runIn([]byte(csv), "admin", "import", "--software", "yuki", "-")
	if res.code != exitFailure || !regexp.MustCompile(`(?m)^Added 2 administrations to Yuki\.$`).Match(res.stdout) ||
		!regexp.MustCompile(`(?m)^2\s+Fietsen de Vries\s.*added$`).Match(res.stdout) {
		t.Errorf("admin import -: exit %d, stdout %s", res.code, shortOut(res.stdout))
	}
	if got, want := list("--software", "yuki"), []string{"De Vries", "Fietsen de Vries", "Kaaswinkel"}; !slices.Equal(got, want) {
		t.Errorf("after the import: %v, want %v", got, want)
	}
	// Again: everything valid now exists; a file without problems exits 0.
	clean := filepath.Join(h.root, "clean.csv")
	if err := os.WriteFile(clean, []byte("name,code\nFietsen de Vries,002\nNieuw,009\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var imported struct {
		Rows []struct {
			Result string `json:"result"`
		} `json:"rows"`
		Added []adminOut `json:"added"`
	}
	h.okJSON(&imported, "admin", "import", "--software", "yuki", clean)
	// "Fietsen de Vries" with code 002 but no organization is another
	// administration than the one tied to organization 2.
	if len(imported.Rows) != 2 || imported.Rows[0].Result != "add" || len(imported.Added) != 2 {
		t.Errorf("admin import of a clean file: %+v", imported)
	}
	res = h.ok("admin", "import", "--software", "yuki", clean)
	if !bytes.Contains(res.stdout, []byte("already exists, skipped")) || !bytes.Contains(res.stdout, []byte("Added 0 administrations")) {
		t.Errorf("admin import twice: %s", shortOut(res.stdout))
	}
}
