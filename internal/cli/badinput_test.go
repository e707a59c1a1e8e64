package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"koppel/internal/backend"
)

// Hostile inputs used throughout.
const (
	sqlDrop  = "'; DROP TABLE connections; --"
	sqlOr    = "1 OR 1=1"
	notUTF8  = "\xff\xfe\xc3"
	noAppKey = "ak_00000000000000000000"
)

// osMaxArg is the longest single argument Linux lets a process be started
// with (MAX_ARG_STRLEN, 128 KiB with its NUL): a 1 MiB argument cannot reach
// a real process, so processes get this and TestBadInputHugeArgument gives
// 1 MiB to the command line in this process.
const osMaxArg = 128<<10 - 1

// allCommands are a valid call of every command — each would change
// something or print something if run as is — for the cases every command
// must refuse the same way.
func allCommands(activeConn, revokedConn, root string) [][]string {
	return [][]string{
		{"org", "add", "--name", "Nieuw BV", "--party-id", "NL:KVK:55555555"},
		{"org", "list"},
		{"org", "show", "1"},
		{"org", "end-partnership", "2"},
		{"software", "list"},
		{"software", "add", "--name", "Eigen Pakket", "--direction", "receive"},
		{"conn", "create", "--org", "1", "--software", "yuki"},
		{"conn", "list"},
		{"conn", "show", activeConn},
		{"conn", "revoke", activeConn, "--reason", "lost"},
		{"conn", "delete", revokedConn},
		{"conn", "replace", activeConn, "--reason", "lost"},
		{"audit"},
		{"audit", "verify"},
		{"backup", filepath.Join(root, "new-backup.db")},
		{"settings", "list"},
		{"settings", "set", "language", "nl"},
		{"admin", "add", "--software", "yuki", "--name", "Nieuwe administratie"},
		{"admin", "list"},
		{"admin", "edit", "1", "--name", "Andere naam"},
		{"admin", "import", "--software", "yuki", filepath.Join(root, "administrations.csv")},
		{"quickconnect", "--administration", "1", "--email", "boekhouding@jansen.nl", "--confirm"},
		{"link", "list"},
		{"link", "test", "1"},
		{"link", "remove", "1"},
	}
}

// badCase is one call that must be refused (or, with code 0, harmlessly
// answered) without changing anything.
type badCase struct {
	name string
	args []string
	code int
	msg  string // the message contains this, case-insensitively
	out  string // code 0: stdout with --json, trimmed
}

// TestBadInput calls every command wrongly, through real processes: each
// call must exit with the documented code, say so in one plain line starting
// with "koppel: " (with --json: one JSON error object), never show a Go panic
// or stack trace, and leave the database exactly as it was.
func TestBadInput(t *testing.T) {
	h := newProcHome(t)
	h.ok("org", "add", "--name", "Bakkerij Jansen BV", "--party-id", "NL:KVK:12345678")
	h.ok("org", "add", "--name", "Fietsen de Vries", "--party-id", "NL:KVK:87654321")
	h.ok("org", "add", "--name", "Gestopt BV", "--party-id", "NL:KVK:11223344")
	h.ok("org", "end-partnership", "3")
	var active, revoked issued
	active = parseIssued(t, h.ok("conn", "create", "--org", "1", "--software", "yuki", "--json"))
	revoked = parseIssued(t, h.ok("conn", "create", "--org", "1", "--software", "radar", "--json"))
	h.ok("conn", "revoke", revoked.AppKey, "--reason", "routine")
	existing := filepath.Join(h.root, "existing-backup.db")
	h.ok("backup", existing)
	a, r := fmt.Sprint(active.ID), fmt.Sprint(revoked.ID)
	h.ok("admin", "add", "--software", "yuki", "--name", "Bakkerij Jansen", "--org", "1", "--email", "boekhouding@jansen.nl")
	csvFile := filepath.Join(h.root, "administrations.csv")
	if err := os.WriteFile(csvFile, []byte("name,code\nNieuw,1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	qc := func(extra ...string) []string {
		return append([]string{"quickconnect", "--administration", "1", "--email", "boekhouding@jansen.nl", "--confirm"}, extra...)
	}

	cases := []badCase{
		{"unknown command", []string{"frobnicate"}, exitUsage, "not a Koppel command", ""},
		{"unknown subcommand", []string{"conn", "frobnicate"}, exitUsage, "not a Koppel command", ""},
		{"group alone", []string{"conn"}, exitUsage, "not a Koppel command", ""},
		{"non-UTF-8 command", []string{notUTF8}, exitUsage, "not UTF-8", ""},

		// Missing required flags and values.
		{"org add without --name", []string{"org", "add", "--party-id", "NL:KVK:55555555"}, exitUsage, "--name is required", ""},
		{"org add with a blank --name", []string{"org", "add", "--name", "  ", "--party-id", "NL:KVK:55555555"}, exitUsage, "--name is required", ""},
		{"org add without --party-id", []string{"org", "add", "--name", "Nieuw BV"}, exitUsage, "--party-id is required", ""},
		{"org add --email without value", []string{"org", "add", "--name", "Nieuw BV", "--party-id", "NL:KVK:55555555", "--email"}, exitUsage, "needs a value", ""},
		{"software add without --name", []string{"software", "add", "--direction", "send"}, exitUsage, "--name is required", ""},
		{"software add without --direction", []string{"software", "add", "--name", "Eigen Pakket"}, exitUsage, "--direction is required", ""},
		{"conn create without --org", []string{"conn", "create", "--software", "yuki"}, exitUsage, "--org is required", ""},
		{"conn create without --software", []string{"conn", "create", "--org", "1"}, exitUsage, "--software is required", ""},
		{"conn create --software without value", []string{"conn", "create", "--org", "1", "--software"}, exitUsage, "needs a value", ""},
		{"conn revoke without --reason", []string{"conn", "revoke", a}, exitUsage, "--reason is required", ""},
		{"conn replace without --reason", []string{"conn", "replace", a}, exitUsage, "--reason is required", ""},

		// Too few positional arguments.
		{"org show without org", []string{"org", "show"}, exitUsage, "needs an organization", ""},
		{"org end-partnership without org", []string{"org", "end-partnership"}, exitUsage, "needs an organization", ""},
		{"conn show without conn", []string{"conn", "show"}, exitUsage, "needs a connection", ""},
		{"conn revoke without conn", []string{"conn", "revoke", "--reason", "lost"}, exitUsage, "needs a connection", ""},
		{"conn delete without conn", []string{"conn", "delete"}, exitUsage, "needs a connection", ""},
		{"conn replace without conn", []string{"conn", "replace", "--reason", "lost"}, exitUsage, "needs a connection", ""},
		{"backup without file", []string{"backup"}, exitUsage, "needs the file", ""},
		{"settings set without anything", []string{"settings", "set"}, exitUsage, "needs a setting and its value", ""},
		{"settings set without value", []string{"settings", "set", "language"}, exitUsage, "needs a setting and its value", ""},

		// Unknown ids.
		{"org show unknown id", []string{"org", "show", "999"}, exitNotFound, "Organization 999 was not found", ""},
		{"org show unknown party", []string{"org", "show", "NL:KVK:99999999"}, exitNotFound, "not found", ""},
		{"org show zero", []string{"org", "show", "0"}, exitNotFound, "No organization", ""},
		{"org show huge number", []string{"org", "show", "99999999999999999999"}, exitNotFound, "No organization", ""},
		{"org end-partnership unknown", []string{"org", "end-partnership", "999"}, exitNotFound, "not found", ""},
		{"conn create unknown org", []string{"conn", "create", "--org", "999", "--software", "yuki"}, exitNotFound, "Organization 999 was not found", ""},
		{"conn create unknown software", []string{"conn", "create", "--org", "1", "--software", "nosuch"}, exitNotFound, "No software package", ""},
		{"conn create unknown grant", []string{"conn", "create", "--org", "1", "--software", "yuki", "--grant", "999"}, exitNotFound, "Organization 999 was not found", ""},
		{"conn list unknown org", []string{"conn", "list", "--org", "999"}, exitNotFound, "not found", ""},
		{"conn list unknown software", []string{"conn", "list", "--software", "nosuch"}, exitNotFound, "No software package", ""},
		{"conn show unknown id", []string{"conn", "show", "999"}, exitNotFound, "Connection 999 was not found", ""},
		{"conn show unknown App Key", []string{"conn", "show", noAppKey}, exitNotFound, "No connection", ""},
		{"conn revoke unknown", []string{"conn", "revoke", "999", "--reason", "lost"}, exitNotFound, "not found", ""},
		{"conn delete unknown", []string{"conn", "delete", noAppKey}, exitNotFound, "No connection", ""},
		{"conn replace unknown", []string{"conn", "replace", "999", "--reason", "lost"}, exitNotFound, "not found", ""},
		{"audit unknown org", []string{"audit", "--org", "999"}, exitNotFound, "not found", ""},

		// SQL-looking input is data: not found, invalid, or matched literally.
		{"org show SQL", []string{"org", "show", sqlDrop}, exitNotFound, "No organization", ""},
		{"org show OR", []string{"org", "show", sqlOr}, exitNotFound, "No organization", ""},
		{"org end-partnership SQL", []string{"org", "end-partnership", sqlDrop}, exitNotFound, "No organization", ""},
		{"org add SQL party", []string{"org", "add", "--name", "Nieuw BV", "--party-id", sqlDrop}, exitUsage, "party ID", ""},
		{"org add OR party", []string{"org", "add", "--name", "Nieuw BV", "--party-id", sqlOr}, exitUsage, "party ID", ""},
		{"org add SQL email", []string{"org", "add", "--name", "Nieuw BV", "--party-id", "NL:KVK:55555555", "--email", sqlDrop}, exitUsage, "email", ""},
		{"org list SQL search", []string{"org", "list", "--search", sqlDrop}, exitOK, "", "[]"},
		{"org list OR search", []string{"org", "list", "--search", sqlOr}, exitOK, "", "[]"},
		{"org list LIKE wildcard", []string{"org", "list", "--search", "%"}, exitOK, "", "[]"},
		{"org list LIKE one char", []string{"org", "list", "--search", "_"}, exitOK, "", "[]"},
		{"software add SQL direction", []string{"software", "add", "--name", "Eigen Pakket", "--direction", sqlDrop}, exitUsage, "direction", ""},
		{"conn create SQL org", []string{"conn", "create", "--org", sqlDrop, "--software", "yuki"}, exitNotFound, "No organization", ""},
		{"conn create SQL software", []string{"conn", "create", "--org", "1", "--software", sqlDrop}, exitNotFound, "No software package", ""},
		{"conn create OR software", []string{"conn", "create", "--org", "1", "--software", sqlOr}, exitNotFound, "No software package", ""},
		{"conn create OR grant", []string{"conn", "create", "--org", "1", "--software", "yuki", "--grant", sqlOr}, exitNotFound, "No organization", ""},
		{"conn list SQL org", []string{"conn", "list", "--org", sqlDrop}, exitNotFound, "No organization", ""},
		{"conn list OR software", []string{"conn", "list", "--software", sqlOr}, exitNotFound, "No software package", ""},
		{"conn list SQL status", []string{"conn", "list", "--status", sqlDrop}, exitUsage, "status must be", ""},
		{"conn show SQL", []string{"conn", "show", sqlDrop}, exitNotFound, "No connection", ""},
		{"conn show OR", []string{"conn", "show", sqlOr}, exitNotFound, "No connection", ""},
		{"conn revoke SQL", []string{"conn", "revoke", sqlDrop, "--reason", "lost"}, exitNotFound, "No connection", ""},
		{"conn revoke SQL reason", []string{"conn", "revoke", a, "--reason", sqlDrop}, exitUsage, "reason must be", ""},
		{"conn delete OR", []string{"conn", "delete", sqlOr}, exitNotFound, "No connection", ""},
		{"conn replace SQL", []string{"conn", "replace", sqlDrop, "--reason", "lost"}, exitNotFound, "No connection", ""},
		{"audit SQL org", []string{"audit", "--org", sqlDrop}, exitNotFound, "No organization", ""},
		{"settings set SQL key", []string{"settings", "set", sqlDrop, "x"}, exitUsage, "no setting", ""},
		{"settings set SQL email", []string{"settings", "set", "account-email", sqlDrop}, exitUsage, "email", ""},
		{"settings set OR language", []string{"settings", "set", "language", sqlOr}, exitUsage, "language must be", ""},

		// Text that is not text, or carries control characters.
		{"org add non-UTF-8 name", []string{"org", "add", "--name", "Bakkerij " + notUTF8, "--party-id", "NL:KVK:55555555"}, exitUsage, "not UTF-8", ""},
		{"org add tab in name", []string{"org", "add", "--name", "Bakkerij\tJansen", "--party-id", "NL:KVK:55555555"}, exitUsage, "control character", ""},
		{"org add newline in name", []string{"org", "add", "--name", "Bakkerij\nJansen", "--party-id", "NL:KVK:55555555"}, exitUsage, "control character", ""},
		{"org add CR in name", []string{"org", "add", "--name", "Bakkerij\rJansen", "--party-id", "NL:KVK:55555555"}, exitUsage, "control character", ""},
		{"org add escape in name", []string{"org", "add", "--name", "Bakkerij\x1b[31mJansen", "--party-id", "NL:KVK:55555555"}, exitUsage, "control character", ""},
		{"org add DEL in name", []string{"org", "add", "--name", "Bakkerij\x7f", "--party-id", "NL:KVK:55555555"}, exitUsage, "control character", ""},
		{"org add C1 control in name", []string{"org", "add", "--name", "Bakkerij\u0085Jansen", "--party-id", "NL:KVK:55555555"}, exitUsage, "control character", ""},
		{"org add newline in email", []string{"org", "add", "--name", "Nieuw BV", "--party-id", "NL:KVK:55555555", "--email", "a\n@b.nl"}, exitUsage, "control character", ""},
		{"org list newline in search", []string{"org", "list", "--search", "a\nb"}, exitUsage, "control character", ""},
		{"software add escape in name", []string{"software", "add", "--name", "Pakket\x1b]0;x\x07", "--direction", "send"}, exitUsage, "control character", ""},
		{"conn show newline", []string{"conn", "show", "1\n2"}, exitNotFound, "No connection", ""},

		// Refused by a rule.
		{"delete an active connection", []string{"conn", "delete", a}, exitRefused, "Revoke it first", ""},
		{"delete an active connection by App Key", []string{"conn", "delete", active.AppKey}, exitRefused, "Revoke it first", ""},
		{"revoke a revoked connection", []string{"conn", "revoke", r, "--reason", "lost"}, exitRefused, "already revoked", ""},
		{"create for an ended partnership", []string{"conn", "create", "--org", "3", "--software", "yuki"}, exitRefused, "has ended", ""},
		{"grant to an ended partnership", []string{"conn", "create", "--org", "1", "--software", "yuki", "--grant", "NL:KVK:11223344"}, exitRefused, "has ended", ""},
		{"end an ended partnership", []string{"org", "end-partnership", "3"}, exitRefused, "already ended", ""},
		{"keys for an Autopilot package", []string{"conn", "create", "--org", "1", "--software", "Exact Online"}, exitRefused, "Autopilot", ""},
		{"add a party twice", []string{"org", "add", "--name", "Dubbel BV", "--party-id", "0106:12345678"}, exitRefused, "already exists", ""},
		{"add a package twice", []string{"software", "add", "--name", "YUKI", "--direction", "receive"}, exitRefused, "already has", ""},
		{"backup over a file", []string{"backup", existing}, exitRefused, "already exists", ""},

		// Other wrong values.
		{"audit --limit 0", []string{"audit", "--limit", "0"}, exitUsage, "--limit", ""},
		{"audit --limit not a number", []string{"audit", "--limit", "abc"}, exitUsage, "limit", ""},
		{"audit --limit negative", []string{"audit", "--limit=-5"}, exitUsage, "--limit", ""},
		{"conn list --status pending", []string{"conn", "list", "--status", "pending"}, exitUsage, "status must be", ""},
		{"revoke with a reason only Koppel gives", []string{"conn", "revoke", a, "--reason", "partnership ended"}, exitUsage, "reason must be", ""},
		{"replace with a revoke-only reason", []string{"conn", "replace", a, "--reason", "switch"}, exitUsage, "reason must be", ""},
		{"software add bad direction", []string{"software", "add", "--name", "Eigen Pakket", "--direction", "sideways"}, exitUsage, "direction must be", ""},
		{"software add send-only with sales", []string{"software", "add", "--name", "Eigen Pakket", "--direction", "send", "--sales"}, exitUsage, "only sends", ""},
		{"settings set unknown key", []string{"settings", "set", "colour", "blue"}, exitUsage, "no setting", ""},
		{"settings set API on the network", []string{"settings", "set", "api-addr", "0.0.0.0:8642"}, exitUsage, "only listens on this computer", ""},
		{"settings set clipboard too long", []string{"settings", "set", "clipboard-clear-seconds", "601"}, exitUsage, "600", ""},
		{"settings set too many", []string{"settings", "set", "language", "nl", "en"}, exitUsage, "one too many", ""},
		{"backup into a missing folder", []string{"backup", filepath.Join(h.root, "no", "such", "folder", "b.db")}, exitFailure, "could not write the backup", ""},

		// Administrations.
		{"admin add without --software", []string{"admin", "add", "--name", "Nieuw"}, exitUsage, "--software is required", ""},
		{"admin add without --name", []string{"admin", "add", "--software", "yuki"}, exitUsage, "--name is required", ""},
		{"admin add blank --name", []string{"admin", "add", "--software", "yuki", "--name", " "}, exitUsage, "--name is required", ""},
		{"admin add unknown software", []string{"admin", "add", "--software", "nosuch", "--name", "Nieuw"}, exitNotFound, "No software package", ""},
		{"admin add SQL software", []string{"admin", "add", "--software", sqlDrop, "--name", "Nieuw"}, exitNotFound, "No software package", ""},
		{"admin add unknown org", []string{"admin", "add", "--software", "yuki", "--name", "Nieuw", "--org", "999"}, exitNotFound, "Organization 999 was not found", ""},
		{"admin add SQL email", []string{"admin", "add", "--software", "yuki", "--name", "Nieuw", "--email", sqlDrop}, exitUsage, "email", ""},
		{"admin add newline in name", []string{"admin", "add", "--software", "yuki", "--name", "Nieuw\nBV"}, exitUsage, "control character", ""},
		{"admin add code too long", []string{"admin", "add", "--software", "yuki", "--name", "Nieuw", "--code", strings.Repeat("9", 51)}, exitUsage, "code", ""},
		{"admin list unknown software", []string{"admin", "list", "--software", "nosuch"}, exitNotFound, "No software package", ""},
		{"admin list unknown org", []string{"admin", "list", "--org", sqlOr}, exitNotFound, "No organization", ""},
		{"admin list SQL search", []string{"admin", "list", "--search", sqlDrop}, exitOK, "", "[]"},
		{"admin list LIKE wildcard", []string{"admin", "list", "--search", "%"}, exitOK, "", "[]"},
		{"admin edit without A", []string{"admin", "edit", "--name", "Nieuw"}, exitUsage, "needs an administration", ""},
		{"admin edit nothing to change", []string{"admin", "edit", "1"}, exitUsage, "needs something to change", ""},
		{"admin edit --org and --no-org", []string{"admin", "edit", "1", "--org", "1", "--no-org"}, exitUsage, "not both", ""},
		{"admin edit blank --software", []string{"admin", "edit", "1", "--software", ""}, exitUsage, "--software", ""},
		{"admin edit unknown", []string{"admin", "edit", "999", "--name", "Nieuw"}, exitNotFound, "Administration 999 was not found", ""},
		{"admin edit SQL", []string{"admin", "edit", sqlDrop, "--name", "Nieuw"}, exitNotFound, "No administration", ""},
		{"admin edit zero", []string{"admin", "edit", "0", "--name", "Nieuw"}, exitNotFound, "No administration", ""},
		{"admin edit unknown software", []string{"admin", "edit", "1", "--software", "nosuch"}, exitNotFound, "No software package", ""},
		{"admin edit blank name", []string{"admin", "edit", "1", "--name", ""}, exitUsage, "name", ""},
		{"admin import without file", []string{"admin", "import", "--software", "yuki"}, exitUsage, "needs a CSV file", ""},
		{"admin import without --software", []string{"admin", "import", csvFile}, exitUsage, "--software is required", ""},
		{"admin import missing file", []string{"admin", "import", "--software", "yuki", filepath.Join(h.root, "nosuch.csv")}, exitUsage, "does not exist", ""},
		{"admin import a folder", []string{"admin", "import", "--software", "yuki", h.root}, exitUsage, "is a folder", ""},
		{"admin import unknown software", []string{"admin", "import", "--software", "nosuch", csvFile}, exitNotFound, "No software package", ""},
		{"admin import empty stdin", []string{"admin", "import", "--software", "yuki", "-"}, exitUsage, "empty", ""},
		{"admin import --dry-run=maybe", []string{"admin", "import", "--software", "yuki", csvFile, "--dry-run=maybe"}, exitUsage, "does not take the value", ""},

		// Quick Connect: wrong calls are refused before the keys are read.
		{"quickconnect without --confirm", []string{"quickconnect", "--administration", "1", "--email", "boekhouding@jansen.nl"}, exitUsage, "--confirm", ""},
		{"quickconnect without administration", []string{"quickconnect", "--email", "boekhouding@jansen.nl", "--confirm"}, exitUsage, "Name the administration", ""},
		{"quickconnect blank new administration", []string{"quickconnect", "--new-administration", " ", "--email", "a@b.nl", "--confirm"}, exitUsage, "Name the administration", ""},
		{"quickconnect both administrations", qc("--new-administration", "Nieuw"), exitUsage, "not both", ""},
		{"quickconnect --code with --administration", qc("--code", "7"), exitUsage, "--new-administration", ""},
		{"quickconnect without --email", []string{"quickconnect", "--administration", "1", "--confirm"}, exitUsage, "--email is required", ""},
		{"quickconnect bad date", qc("--start-date", "2026-13-01"), exitUsage, "not a date", ""},
		{"quickconnect Dutch date", qc("--start-date", "01-02-2026"), exitUsage, "YYYY-MM-DD", ""},
		{"quickconnect February 30", qc("--start-date", "2026-02-30"), exitUsage, "not a date", ""},
		{"quickconnect SQL date", qc("--start-date", sqlDrop), exitUsage, "not a date", ""},
		{"quickconnect --sales=maybe", qc("--sales=maybe"), exitUsage, "does not take the value", ""},
		{"quickconnect --confirm=no", []string{"quickconnect", "--administration", "1", "--email", "a@b.nl", "--confirm=false"}, exitUsage, "--confirm", ""},
		{"quickconnect unknown administration name", []string{"quickconnect", "--administration", "Bakkerij Jansen", "--email", "a@b.nl", "--confirm"}, exitNotFound, "No administration", ""},
		{"quickconnect SQL administration", []string{"quickconnect", "--administration", sqlDrop, "--email", "a@b.nl", "--confirm"}, exitNotFound, "No administration", ""},
		{"quickconnect empty paste", qc(), exitUsage, "empty", ""},

		// Links.
		{"link list bad status", []string{"link", "list", "--status", "pending"}, exitUsage, "status must be", ""},
		{"link list SQL status", []string{"link", "list", "--status", sqlDrop}, exitUsage, "status must be", ""},
		{"link list unknown conn", []string{"link", "list", "--conn", "999"}, exitNotFound, "Connection 999 was not found", ""},
		{"link list SQL conn", []string{"link", "list", "--conn", sqlDrop}, exitNotFound, "No connection", ""},
		{"link list unknown org", []string{"link", "list", "--org", "999"}, exitNotFound, "not found", ""},
		{"link test without link", []string{"link", "test"}, exitUsage, "needs a link", ""},
		{"link test unknown", []string{"link", "test", "999"}, exitNotFound, "Link 999 was not found", ""},
		{"link test not a number", []string{"link", "test", "abc"}, exitNotFound, "No link", ""},
		{"link test zero", []string{"link", "test", "0"}, exitNotFound, "No link", ""},
		{"link test SQL", []string{"link", "test", sqlOr}, exitNotFound, "No link", ""},
		{"link remove without link", []string{"link", "remove"}, exitUsage, "needs a link", ""},
		{"link remove unknown", []string{"link", "remove", "999"}, exitNotFound, "Link 999 was not found", ""},
		{"link remove SQL", []string{"link", "remove", sqlDrop}, exitNotFound, "No link", ""},
		{"link remove huge number", []string{"link", "remove", "99999999999999999999"}, exitNotFound, "No link", ""},
	}

	// Every command refuses the same things the same way.
	bigArg := strings.Repeat("a", osMaxArg)
	for _, cmd := range allCommands(a, r, h.root) {
		name, _ := lookup(cmd)
		with := func(extra ...string) []string { return append(append([]string(nil), cmd...), extra...) }
		cases = append(cases,
			badCase{name + ": unknown option", with("--bogus"), exitUsage, "Unknown option --bogus", ""},
			badCase{name + ": unknown option with value", with("--bogus=1"), exitUsage, "Unknown option --bogus", ""},
			badCase{name + ": non-UTF-8 argument", with(notUTF8), exitUsage, "not UTF-8", ""},
			badCase{name + ": argument too long", with(bigArg), exitUsage, "too long", ""},
			badCase{name + ": SQL as an extra argument", with(sqlDrop), exitUsage, "", ""},
		)
		cases = append(cases, badCase{name + ": one argument too many", with("extra"), exitUsage, "one too many", ""})
	}

	before := dbSnapshot(t, h.dbPath())
	revList := func() string { b, _ := os.ReadFile(filepath.Join(h.dir, "revoked-keys")); return string(b) }
	revBefore := revList()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := h.withT(t)
			human := h.run(tc.args...)
			asJSON := h.run(append(append([]string(nil), tc.args...), "--json")...)
			humanMsg := checkRefusal(t, human, tc, false)
			jsonMsg := checkRefusal(t, asJSON, tc, true)
			if tc.code != exitOK && humanMsg != jsonMsg {
				t.Errorf("the JSON message %q differs from the plain one %q", shortOut([]byte(jsonMsg)), shortOut([]byte(humanMsg)))
			}
			if after := dbSnapshot(t, h.dbPath()); after != before {
				t.Fatalf("%s changed the database:\n%s", human.cmdline(), firstDiff(before, after))
			}
			if revList() != revBefore {
				t.Fatalf("%s changed the revocation list", human.cmdline())
			}
		})
	}

	// Where a name is valid, SQL in it is stored literally and harms nothing.
	t.Run("SQL as a name is stored literally", func(t *testing.T) {
		h := h.withT(t)
		connsBefore := queryInt(t, h.dbPath(), "SELECT count(*) FROM connections")
		var o struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		}
		h.okJSON(&o, "org", "add", "--name", sqlDrop, "--party-id", "NL:KVK:55555555")
		if dbSnapshot(t, h.dbPath()) == before {
			t.Error("the snapshot did not change when an organization was added; it would miss changes")
		}
		var shown struct {
			Name string `json:"name"`
		}
		h.okJSON(&shown, "org", "show", fmt.Sprint(o.ID))
		if o.Name != sqlDrop || shown.Name != sqlDrop {
			t.Errorf("the name was stored as %q, shown as %q; want %q", o.Name, shown.Name, sqlDrop)
		}
		var found []struct {
			Name string `json:"name"`
		}
		h.okJSON(&found, "org", "list", "--search", sqlDrop)
		if len(found) != 1 || found[0].Name != sqlDrop {
			t.Errorf("searching for the name literally found %v", found)
		}
		h.okJSON(&found, "org", "list", "--search", "%")
		if len(found) != 0 {
			t.Errorf("searching for %% found %d organizations; it is not a wildcard", len(found))
		}
		var sw struct {
			Slug string `json:"slug"`
			Name string `json:"name"`
		}
		h.okJSON(&sw, "software", "add", "--name", sqlOr, "--direction", "send")
		if sw.Name != sqlOr || sw.Slug != "1-or-1-1" {
			t.Errorf("software %q stored as name %q, slug %q", sqlOr, sw.Name, sw.Slug)
		}
		var c struct {
			Software string `json:"software"`
		}
		h.okJSON(&c, "conn", "show", a)
		if c.Software != "yuki" {
			t.Errorf("connection %s now has software %q", a, c.Software)
		}
		var settings map[string]string
		h.okJSON(&settings, "settings", "list")
		if n := queryInt(t, h.dbPath(), "SELECT count(*) FROM connections"); n != connsBefore {
			t.Errorf("connections: %d, were %d", n, connsBefore)
		}
		if n := queryInt(t, h.dbPath(), "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'connections'"); n != 1 {
			t.Error("the connections table is gone")
		}
		res := h.ok("audit", "verify")
		if !bytes.Contains(res.stdout, []byte("intact")) {
			t.Errorf("audit verify: %s", shortOut(res.stdout))
		}
	})
}

// TestBadInputQuickConnectPaste gives quickconnect bad keys on standard
// input: each is refused with the paste parser's or the service's message,
// in one line, never echoing the paste, changing nothing.
func TestBadInputQuickConnectPaste(t *testing.T) {
	h := newProcHome(t)
	h.ok("org", "add", "--name", "Bakkerij Jansen BV", "--party-id", "NL:KVK:12345678")
	h.ok("org", "add", "--name", "Fietsen de Vries", "--party-id", "NL:KVK:87654321")
	active := parseIssued(t, h.ok("conn", "create", "--org", "1", "--software", "yuki", "--json"))
	revoked := parseIssued(t, h.ok("conn", "create", "--org", "1", "--software", "radar", "--json"))
	h.ok("conn", "revoke", revoked.AppKey, "--reason", "routine")
	h.ok("admin", "add", "--software", "yuki", "--name", "Bakkerij Jansen", "--org", "1", "--email", "boekhouding@jansen.nl")
	h.ok("admin", "add", "--software", "basecone", "--name", "Jansen in Basecone", "--org", "1")
	h.ok("admin", "add", "--software", "yuki", "--name", "De Vries", "--org", "2")
	h.ok("settings", "set", "account-email", "boekhouder@kantoor.nl")

	good := pasteText(active)
	qc := func(extra ...string) []string {
		return append([]string{"quickconnect", "--administration", "1", "--email", "boekhouding@jansen.nl", "--confirm"}, extra...)
	}
	bent := []byte(active.Secret)
	if bent[20] = 'A'; active.Secret[20] == 'A' {
		bent[20] = 'B'
	}
	cases := []struct {
		badCase
		stdin []byte
	}{
		{badCase{"paste one byte over 64 KiB", qc(), exitUsage, "larger than 64 KiB", ""}, append(bytes.Repeat([]byte(" "), 64<<10-len(good)+1), good...)},
		{badCase{"paste of 1 MiB", qc(), exitUsage, "larger than 64 KiB", ""}, bytes.Repeat(good, (1<<20)/len(good)+1)},
		{badCase{"empty paste", qc(), exitUsage, "empty", ""}, []byte{}},
		{badCase{"blank paste", qc(), exitUsage, "empty", ""}, []byte(" \n\t\u00a0\ufeff\n")},
		{badCase{"paste not UTF-8", qc(), exitUsage, "not UTF-8", ""}, append([]byte(notUTF8), good...)},
		{badCase{"paste of other text", qc(), exitUsage, "", ""}, []byte("Beste boekhouder, hierbij de gegevens.\n")},
		{badCase{"paste with a bent Secret", qc(), exitUsage, "checksum", ""}, []byte("App Key: " + active.AppKey + "\nSecret: " + string(bent) + "\n")},
		{badCase{"paste with only the App Key", qc(), exitUsage, "Secret", ""}, []byte("App Key: " + active.AppKey + "\n")},
		{badCase{"eConnect keys", qc(), exitUsage, "eConnect keys", ""}, []byte("0123456789abcdef 0123456789abcdef0123456789abcdef\n")},
		{badCase{"unknown App Key", qc(), exitUsage, "no connection with App Key", ""}, []byte("App Key: " + noAppKey + "\nSecret: " + active.Secret + "\n")},
		{badCase{"Secret of another connection", qc(), exitUsage, "does not belong", ""}, []byte("App Key: " + active.AppKey + "\nSecret: " + revoked.Secret + "\n")},
		{badCase{"keys of a revoked connection", qc(), exitRefused, "was revoked", ""}, pasteText(revoked)},
		{badCase{"unknown administration", []string{"quickconnect", "--administration", "999", "--email", "a@b.nl", "--confirm"}, exitNotFound, "Administration 999 was not found", ""}, good},
		{badCase{"administration of another package", []string{"quickconnect", "--administration", "2", "--email", "a@b.nl", "--confirm"}, exitUsage, "not kept in Yuki", ""}, good},
		{badCase{"administration of an organization not granted", []string{"quickconnect", "--administration", "3", "--email", "a@b.nl", "--confirm"}, exitUsage, "not granted", ""}, good},
		{badCase{"email other than the administration's", []string{"quickconnect", "--administration", "1", "--email", "iemand@anders.nl", "--confirm"}, exitUsage, "is not the email address linked to Bakkerij Jansen", ""}, good},
		{badCase{"the account email", []string{"quickconnect", "--administration", "1", "--email", "BOEKHOUDER@kantoor.nl", "--confirm"}, exitUsage, "email address of your Koppel account", ""}, good},
		{badCase{"new administration for an unknown org", []string{"quickconnect", "--new-administration", "Nieuw", "--admin-org", "999", "--email", "a@b.nl", "--confirm"}, exitNotFound, "Organization 999 was not found", ""}, good},
		{badCase{"new administration for an org not granted", []string{"quickconnect", "--new-administration", "Nieuw", "--admin-org", "2", "--email", "a@b.nl", "--confirm"}, exitUsage, "not granted", ""}, good},
		{badCase{"new administration named with a newline", []string{"quickconnect", "--new-administration", "Nieuw\nBV", "--email", "a@b.nl", "--confirm"}, exitUsage, "control character", ""}, good},
		{badCase{"unknown --revoke-conflicting", qc("--revoke-conflicting", "999"), exitNotFound, "Connection 999 was not found", ""}, good},
		{badCase{"SQL --revoke-conflicting", qc("--revoke-conflicting", sqlDrop), exitNotFound, "No connection", ""}, good},
	}
	before := dbSnapshot(t, h.dbPath())
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := h.withT(t)
			human := h.runIn(tc.stdin, tc.args...)
			asJSON := h.runIn(tc.stdin, append(append([]string(nil), tc.args...), "--json")...)
			humanMsg := checkRefusal(t, human, tc.badCase, false)
			jsonMsg := checkRefusal(t, asJSON, tc.badCase, true)
			if humanMsg != jsonMsg {
				t.Errorf("the JSON message %q differs from the plain one %q", jsonMsg, humanMsg)
			}
			for _, msg := range []string{humanMsg, jsonMsg} {
				if strings.Contains(msg, active.Secret[3:20]) || strings.Contains(msg, revoked.Secret[3:20]) || strings.Contains(msg, string(bent[3:20])) {
					t.Errorf("the message repeats the pasted Secret")
				}
			}
			if after := dbSnapshot(t, h.dbPath()); after != before {
				t.Fatalf("%s changed the database:\n%s", human.cmdline(), firstDiff(before, after))
			}
		})
	}
}

// checkRefusal checks one run of a bad case and returns its message.
func checkRefusal(t *testing.T, res procResult, tc badCase, asJSON bool) string {
	t.Helper()
	for _, out := range [][]byte{res.stdout, res.stderr} {
		if bytes.Contains(out, []byte("panic")) || bytes.Contains(out, []byte("goroutine ")) ||
			bytes.Contains(out, []byte(".go:")) || bytes.Contains(out, []byte("DATA RACE")) {
			t.Errorf("%s: output shows a panic or stack trace:\n%s", res.cmdline(), shortOut(out))
		}
		if anySecret.Match(out) {
			t.Errorf("%s: output holds something shaped like a Secret", res.cmdline())
		}
	}
	if res.code != tc.code {
		t.Errorf("%s: exit %d, want %d; stderr: %s", res.cmdline(), res.code, tc.code, shortOut(res.stderr))
	}
	if tc.code == exitOK {
		if len(res.stderr) != 0 {
			t.Errorf("%s: stderr %q, want none", res.cmdline(), shortOut(res.stderr))
		}
		if asJSON && tc.out != "" && strings.TrimSpace(string(res.stdout)) != tc.out {
			t.Errorf("%s: stdout %q, want %q", res.cmdline(), shortOut(res.stdout), tc.out)
		}
		return ""
	}
	if len(res.stdout) != 0 {
		t.Errorf("%s: a refused command printed to stdout: %q", res.cmdline(), shortOut(res.stdout))
	}
	line, rest, _ := strings.Cut(string(res.stderr), "\n")
	if rest != "" || !strings.HasSuffix(string(res.stderr), "\n") {
		t.Errorf("%s: stderr is not one line: %q", res.cmdline(), shortOut(res.stderr))
	}
	if !utf8.ValidString(line) || strings.ContainsFunc(line, func(r rune) bool { return r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) }) {
		t.Errorf("%s: stderr has control characters or invalid text: %q", res.cmdline(), shortOut(res.stderr))
	}
	var msg string
	if asJSON {
		var e struct {
			Error *struct {
				Code    *string `json:"code"`
				Message *string `json:"message"`
			} `json:"error"`
		}
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil || e.Error == nil || e.Error.Code == nil || e.Error.Message == nil {
			t.Errorf("%s: stderr is not {\"error\":{\"code\",\"message\"}}: %q (%v)", res.cmdline(), shortOut(res.stderr), err)
			return ""
		}
		wantCodes := map[int][]string{exitFailure: {"internal"}, exitUsage: {"usage", "invalid"},
			exitNotFound: {"not_found"}, exitRefused: {"conflict", "forbidden"}}[tc.code]
		if !slices.Contains(wantCodes, *e.Error.Code) {
			t.Errorf("%s: error code %q, want one of %v", res.cmdline(), *e.Error.Code, wantCodes)
		}
		msg = *e.Error.Message
	} else {
		var ok bool
		if msg, ok = strings.CutPrefix(line, "koppel: "); !ok {
			t.Errorf("%s: stderr does not start with \"koppel: \": %q", res.cmdline(), shortOut(res.stderr))
		}
	}
	if strings.TrimSpace(msg) == "" || len(msg) > 400 {
		t.Errorf("%s: message %q is empty or too long to read", res.cmdline(), shortOut([]byte(msg)))
	}
	if !strings.Contains(strings.ToLower(msg), strings.ToLower(tc.msg)) {
		t.Errorf("%s: message %q does not say %q", res.cmdline(), shortOut([]byte(msg)), tc.msg)
	}
	return msg
}

// TestBadInputHugeArgument gives every command a 1 MiB argument — more than
// a process can be started with on Linux, so in this process — and checks it
// is refused as too long before any data folder is opened.
func TestBadInputHugeArgument(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	for _, cmd := range allCommands("1", "2", t.TempDir()) {
		for _, pos := range []int{len(cmd), 1} { // as the last argument, and in place of the second word
			args := append(append([]string(nil), cmd[:pos]...), huge)
			args = append(args, cmd[pos:]...)
			for _, asJSON := range []bool{false, true} {
				a := args
				if asJSON {
					a = append(append([]string(nil), args...), "--json")
				}
				var stdout, stderr bytes.Buffer
				opened := false
				code := run(context.Background(), a, strings.NewReader(""), &stdout, &stderr,
					func(context.Context) (*backend.Backend, error) {
						opened = true
						return nil, errors.New("the test refuses to open a data folder")
					})
				what := fmt.Sprintf("koppel %s with a 1 MiB argument at %d (json %v)", strings.Join(cmd[:min(2, len(cmd))], " "), pos, asJSON)
				if code != exitUsage || opened || stdout.Len() != 0 {
					t.Errorf("%s: exit %d (want 2), opened the data folder %v, stdout %d bytes", what, code, opened, stdout.Len())
				}
				msg := stderr.String()
				if strings.Count(msg, "\n") != 1 || len(msg) > 400 || !strings.Contains(msg, "too long") {
					t.Errorf("%s: stderr %q, want one short line that says too long", what, shortOut(stderr.Bytes()))
				}
				if asJSON != strings.HasPrefix(msg, `{"error":{"code":"usage"`) || !asJSON && !strings.HasPrefix(msg, "koppel: ") {
					t.Errorf("%s: stderr %q", what, shortOut(stderr.Bytes()))
				}
			}
		}
	}
}

// TestBadInputOptionNamesAreQuoted: a mistyped option is user input, and
// the message that names it must stay one plain line — no line break and no
// terminal escape from the input reaches stderr.
func TestBadInputOptionNamesAreQuoted(t *testing.T) {
	h := newProcHome(t)
	h.ok("org", "add", "--name", "Bakkerij Jansen BV", "--party-id", "NL:KVK:12345678")
	before := dbSnapshot(t, h.dbPath())
	for _, tc := range []badCase{
		{"line break in an unknown option", []string{"org", "list", "--se\narch", "x"}, exitUsage, "Unknown option", ""},
		{"escape in an unknown option", []string{"conn", "list", "--\x1b[2Jstatus"}, exitUsage, "Unknown option", ""},
		{"escape in bad option syntax", []string{"org", "list", "---\x1b[31mred"}, exitUsage, "option", ""},
		{"line break in bad option syntax", []string{"audit", "-=\nx"}, exitUsage, "option", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := h.withT(t)
			checkRefusal(t, h.run(tc.args...), tc, false)
			checkRefusal(t, h.run(append(tc.args, "--json")...), tc, true)
			if dbSnapshot(t, h.dbPath()) != before {
				t.Fatal("the database changed")
			}
		})
	}
}

// TestBadInputFileNamesAreQuoted: the backup file's name is user input too;
// refusing to overwrite a file whose name holds a line break or a terminal
// escape must still give one plain line.
func TestBadInputFileNamesAreQuoted(t *testing.T) {
	h := newProcHome(t)
	h.ok("org", "add", "--name", "Bakkerij Jansen BV", "--party-id", "NL:KVK:12345678")
	name := filepath.Join(h.root, "backup\n\x1b[2Jcleared.db")
	if err := os.WriteFile(name, []byte("not Koppel's"), 0o600); err != nil {
		t.Skipf("this file system does not take such a name: %v", err)
	}
	before := dbSnapshot(t, h.dbPath())
	tc := badCase{"backup over a file with a line break in its name", []string{"backup", name}, exitRefused, "already exists", ""}
	checkRefusal(t, h.run(tc.args...), tc, false)
	checkRefusal(t, h.run(append(tc.args, "--json")...), tc, true)
	if dbSnapshot(t, h.dbPath()) != before {
		t.Fatal("the database changed")
	}
	if b, _ := os.ReadFile(name); string(b) != "not Koppel's" {
		t.Fatal("the existing file was overwritten")
	}
}

// firstDiff shows where two snapshots first differ.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, x, y)
		}
	}
	return "(equal)"
}
