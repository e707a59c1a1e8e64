package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"koppel/internal/koppel"
)

// secretForms are the ways a leaked Secret could be written: as is, without
// its prefix, hex-encoded and base64-encoded (a []byte in JSON).
func secretForms(secret string) map[string][]byte {
	return map[string][]byte{
		"plain":  []byte(secret),
		"body":   []byte(strings.TrimPrefix(secret, "sk_")),
		"hex":    []byte(hex.EncodeToString([]byte(secret))),
		"HEX":    []byte(strings.ToUpper(hex.EncodeToString([]byte(secret)))),
		"base64": []byte(base64.StdEncoding.EncodeToString([]byte(secret))),
	}
}

// leakFinder searches raw bytes for any of a set of Secrets. It reports a
// find by the App Key the Secret belongs to, never by the Secret.
type leakFinder struct {
	secrets map[string]string // Secret → its App Key
}

// find returns one line per Secret found in data, naming the forms found.
func (f *leakFinder) find(where string, data []byte, except string) []string {
	var out []string
	for secret, appKey := range f.secrets {
		if secret == except {
			continue
		}
		var forms []string
		for form, needle := range secretForms(secret) {
			if bytes.Contains(data, needle) {
				forms = append(forms, form)
			}
		}
		if len(forms) > 0 {
			slices.Sort(forms)
			out = append(out, fmt.Sprintf("%s: the Secret of %s (as %s)", where, appKey, strings.Join(forms, ", ")))
		}
	}
	slices.Sort(out)
	return out
}

// findInTree searches every regular file under root.
func (f *leakFinder) findInTree(t testing.TB, root string) (found []string, files int) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		files++
		found = append(found, f.find(rel, data, "")...)
		return nil
	})
	if err != nil {
		t.Fatalf("search %s: %v", root, err)
	}
	return found, files
}

// TestLeakFinderFindsPlantedSecrets shows the search in TestNoSecretLeaks
// would catch a leak: a Secret planted in a file, in any form, deep in a
// folder and past the first few KiB, is found; a file without it is not.
func TestLeakFinderFindsPlantedSecrets(t *testing.T) {
	const secret = "sk_" + "PlantedPlantedPlantedPlantedPlantedXYZ" + "99" + "0a1B2c"
	f := &leakFinder{secrets: map[string]string{secret: "ak_planted"}}
	for form, needle := range secretForms(secret) {
		root := t.TempDir()
		dir := filepath.Join(root, "a", "b")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		clean := bytes.Repeat([]byte{0, 1, 2, 'x'}, 5000)
		if err := os.WriteFile(filepath.Join(root, "clean"), clean, 0o600); err != nil {
			t.Fatal(err)
		}
		planted := append(append(bytes.Clone(clean), needle...), clean...)
		if err := os.WriteFile(filepath.Join(dir, "koppel.db-wal"), planted, 0o600); err != nil {
			t.Fatal(err)
		}
		found, files := f.findInTree(t, root)
		if files != 2 || len(found) == 0 || !strings.Contains(strings.Join(found, "\n"), filepath.Join("a", "b", "koppel.db-wal")) {
			t.Errorf("%s form: searched %d files, found %q; want the planted file found", form, files, found)
		}
		for _, line := range found {
			if strings.Contains(line, "PlantedPlanted") {
				t.Errorf("the report shows the Secret: %s", line)
			}
		}
	}
	if got := f.find("output", []byte("App Key: ak_x\nSecret:  "+secret+"\n"), ""); len(got) == 0 {
		t.Error("a Secret in command output is not found")
	}
	if got := f.find("output", []byte("Secret:  "+secret+"\n"), secret); len(got) != 0 {
		t.Errorf("the excepted Secret is reported: %q", got)
	}
}

// TestNoSecretLeaks runs a whole CLI session and then searches, as raw
// bytes, every file the session left (database and its -wal/-shm, log,
// revocation list, keychain file, backups) and the output of every command:
// no Secret may appear anywhere but in the one output that issued it (R2).
// The session pipes Secrets into quickconnect and tests links with them, so
// they pass through the command line, the vault and the local API too.
func TestNoSecretLeaks(t *testing.T) {
	h := newProcHome(t)
	h.useFreeAPIAddr() // link test starts its own API, not someone's window
	backups := filepath.Join(h.root, "backups")
	if err := os.MkdirAll(backups, 0o700); err != nil {
		t.Fatal(err)
	}

	type step struct {
		res    procResult
		issued *issued // the keys this command printed, if any
	}
	var steps []step
	do := func(args ...string) procResult {
		t.Helper()
		res := h.ok(args...)
		steps = append(steps, step{res: res})
		return res
	}
	doIn := func(stdin []byte, args ...string) procResult {
		t.Helper()
		res := h.okIn(stdin, args...)
		steps = append(steps, step{res: res})
		return res
	}
	printed := map[string][]byte{} // App Key → the output that issued it
	issue := func(args ...string) issued {
		t.Helper()
		res := h.ok(args...)
		k := parseIssued(t, res)
		steps = append(steps, step{res: res, issued: &k})
		printed[k.AppKey] = res.stdout
		return k
	}
	refusedIn := func(code int, stdin []byte, args ...string) {
		t.Helper()
		res := h.runIn(stdin, args...)
		if res.code != code {
			t.Fatalf("%s: exit %d, want %d; stderr: %s", res.cmdline(), res.code, code, shortOut(res.stderr))
		}
		steps = append(steps, step{res: res})
	}
	refused := func(code int, args ...string) {
		t.Helper()
		refusedIn(code, nil, args...)
	}

	do("org", "add", "--name", "Bakkerij Jansen BV", "--party-id", "NL:KVK:12345678", "--email", "info@jansen.nl")
	do("org", "add", "--name", "Fietsen de Vries", "--party-id", "NL:VAT:NL123456789B01", "--kvk", "87654321", "--json")
	do("org", "list")
	do("software", "list")
	do("software", "list", "--json")

	// Keys issued every way the CLI can: human text, JSON, Quick Connect
	// text, with grants.
	human := issue("conn", "create", "--org", "1", "--software", "yuki")
	asJSON := issue("conn", "create", "--org", "NL:VAT:NL123456789B01", "--software", "basecone", "--json")
	qc := issue("conn", "create", "--org", "NL:KVK:12345678", "--software", "radar", "--quick-connect")
	granted := issue("conn", "create", "--org", "1", "--software", "exact-multivers", "--grant", "2", "--json")
	grantedHuman := issue("conn", "create", "--org", "2", "--software", "whitevision", "--grant", "1")
	shared := issue("conn", "create", "--org", "1", "--software", "Yuki", "--grant", "NL:VAT:NL123456789B01", "--quick-connect")
	qcJSON := issue("conn", "create", "--org", "2", "--software", "radar", "--quick-connect", "--json")

	do("conn", "list")
	do("conn", "list", "--json")
	do("conn", "list", "--org", "1", "--status", "active")
	do("conn", "list", "--software", "yuki", "--json")
	for _, k := range []issued{human, asJSON, qc, granted, grantedHuman, shared, qcJSON} {
		do("conn", "show", k.AppKey)
		do("conn", "show", k.ref(), "--json")
	}

	// Quick Connect: the keys go in on standard input in several layouts
	// (the printed Quick Connect text, labelled lines, JSON), a conflict is
	// refused and then resolved, links are listed, tested through the API
	// the command starts, and removed.
	do("admin", "add", "--software", "yuki", "--name", "Jansen Yuki", "--org", "1", "--code", "001")
	do("admin", "add", "--software", "yuki", "--name", "Jansen Yuki 2", "--org", "1", "--json")
	do("admin", "list")
	do("admin", "list", "--software", "yuki", "--json")
	jansen := "--email=boekhouding@jansen.nl"
	doIn(pasteText(human), "quickconnect", "--administration", "1", jansen, "--confirm")
	doIn(printed[shared.AppKey], "quickconnect", "--administration", "2", "--email", "yuki2@jansen.nl",
		"--start-date", "2026-01-01", "--sales", "--confirm", "--json")
	refusedIn(exitRefused, printed[shared.AppKey], "quickconnect", "--administration", "1", jansen, "--confirm")
	refusedIn(exitRefused, printed[shared.AppKey], "quickconnect", "--administration", "1", jansen, "--confirm", "--json")
	doIn(printed[shared.AppKey], "quickconnect", "--administration", "1", jansen, "--confirm", "--revoke-conflicting", human.AppKey)
	asJSONPaste := []byte(fmt.Sprintf(`{"appKey": %q, "secret": %q}`, qcJSON.AppKey, qcJSON.Secret))
	doIn(asJSONPaste, "quickconnect", "--new-administration", "De Vries Radar", "--admin-org", "2",
		"--email", "info@devries.nl", "--confirm", "--json")
	// Refused pastes: a Secret with one character changed, one too large,
	// the keys of a revoked connection.
	bent := []byte(shared.Secret)
	if bent[10] = 'A'; shared.Secret[10] == 'A' {
		bent[10] = 'B'
	}
	refusedIn(exitUsage, []byte("App Key: "+shared.AppKey+"\nSecret: "+string(bent)+"\n"),
		"quickconnect", "--administration", "2", jansen, "--confirm")
	refusedIn(exitUsage, append(pasteText(shared), bytes.Repeat([]byte(" "), 64<<10)...),
		"quickconnect", "--administration", "2", jansen, "--confirm", "--json")
	refusedIn(exitRefused, printed[human.AppKey], "quickconnect", "--administration", "2", jansen, "--confirm")
	do("link", "list")
	do("link", "list", "--json")
	do("link", "list", "--conn", shared.AppKey, "--status", "active", "--json")
	do("link", "test", "3")
	do("link", "test", "3", "--json")
	refused(exitRefused, "link", "test", "1")
	do("link", "remove", "2")
	do("link", "remove", "4", "--json")
	do("admin", "list")
	do("admin", "edit", "2", "--name", "Jansen Yuki (oud)", "--json")

	// Replace, every output form.
	human2 := issue("conn", "replace", human.AppKey, "--reason", "lost")
	asJSON2 := issue("conn", "replace", fmt.Sprint(asJSON.ID), "--reason", "compromised", "--json")
	qc2 := issue("conn", "replace", qc.ref(), "--reason", "routine", "--quick-connect")
	do("conn", "show", human.AppKey)
	do("conn", "show", human2.AppKey, "--json")

	// Revoke, end a partnership, delete; a refused delete's message too.
	do("conn", "revoke", granted.AppKey, "--reason", "switch")
	do("conn", "revoke", fmt.Sprint(grantedHuman.ID), "--reason", "other", "--json")
	do("org", "end-partnership", "NL:VAT:NL123456789B01")
	do("conn", "delete", fmt.Sprint(human.ID))
	do("conn", "delete", granted.AppKey, "--json")
	refused(exitRefused, "conn", "delete", human2.AppKey)
	refused(exitRefused, "conn", "revoke", grantedHuman.AppKey, "--reason", "lost", "--json")
	refused(exitNotFound, "conn", "revoke", fmt.Sprint(granted.ID+100), "--reason", "lost")
	refused(exitNotFound, "conn", "show", "ak_00000000000000000000")

	do("conn", "list", "--json")
	do("conn", "list", "--status", "revoked")
	do("org", "list", "--all", "--json")
	do("org", "show", "2")
	do("audit")
	do("audit", "--json")
	do("audit", "--org", "1", "--limit", "5")
	do("audit", "verify")
	do("audit", "verify", "--json")
	do("settings", "list")
	do("settings", "set", "account-email", "boekhouder@kantoor.nl")
	refusedIn(exitUsage, pasteText(human2), "quickconnect", "--new-administration", "Privé", "--email", "boekhouder@kantoor.nl", "--confirm")
	do("settings", "set", "clipboard-clear-seconds", "45", "--json")
	do("settings", "list", "--json")
	do("backup", filepath.Join(backups, "koppel-backup.db"))
	do("backup", filepath.Join(backups, "koppel-backup-2.db"), "--json")
	do("help")

	// The Secrets were really issued: as many as issuing commands, all
	// different, each of the right form (parseIssued checked form and
	// checksum), each appearing exactly once in its issuing stdout and
	// never in that command's stderr.
	finder := &leakFinder{secrets: map[string]string{}}
	var issuing int
	for _, s := range steps {
		if s.issued == nil {
			continue
		}
		issuing++
		if _, dup := finder.secrets[s.issued.Secret]; dup {
			t.Fatalf("%s: the Secret of %s was issued before", s.res.cmdline(), s.issued.AppKey)
		}
		finder.secrets[s.issued.Secret] = s.issued.AppKey
		if n := bytes.Count(s.res.stdout, []byte(s.issued.Secret)); n != 1 {
			t.Errorf("%s: the Secret of %s appears %d times in its output, want exactly once", s.res.cmdline(), s.issued.AppKey, n)
		}
		if bytes.Contains(s.res.stderr, []byte(s.issued.Secret)) {
			t.Errorf("%s: the Secret of %s is on stderr", s.res.cmdline(), s.issued.AppKey)
		}
	}
	if issuing != 10 || len(finder.secrets) != 10 {
		t.Fatalf("%d issuing commands gave %d Secrets; want 10 and 10", issuing, len(finder.secrets))
	}

	// No output but the issuing one holds any Secret — neither stdout nor
	// stderr, in any form; and nothing that merely looks like one.
	var leaks []string
	for _, s := range steps {
		except := ""
		if s.issued != nil {
			except = s.issued.Secret
		}
		leaks = append(leaks, finder.find(s.res.cmdline()+" stdout", s.res.stdout, except)...)
		leaks = append(leaks, finder.find(s.res.cmdline()+" stderr", s.res.stderr, "")...)
		if s.issued == nil && (anySecret.Match(s.res.stdout) || anySecret.Match(s.res.stderr)) {
			leaks = append(leaks, s.res.cmdline()+": output holds something shaped like a Secret")
		}
	}

	// No file holds any Secret: the data folder (database, -wal, -shm, log,
	// revocation list, keychain), the backups, the child's home.
	for _, want := range []string{"koppel-home/koppel.db", "koppel-home/koppel.log", "koppel-home/revoked-keys",
		"koppel-home/keyring", "backups/koppel-backup.db", "backups/koppel-backup-2.db"} {
		if _, err := os.Stat(filepath.Join(h.root, want)); err != nil {
			t.Errorf("the session left no %s to search: %v", want, err)
		}
	}
	found, files := finder.findInTree(t, h.root)
	leaks = append(leaks, found...)
	for _, l := range leaks {
		t.Error("leak: " + l)
	}
	// What the database keeps of a pasted Secret is the sealed credential of
	// the active link (and nothing of revoked or removed ones).
	if n := queryInt(t, h.dbPath(), "SELECT count(*) FROM links WHERE status = 'active' AND length(sealed_credential) > 0"); n != 1 {
		t.Errorf("%d active links with a sealed credential, want 1 (link 3)", n)
	}
	if n := queryInt(t, h.dbPath(), "SELECT count(*) FROM links WHERE status <> 'active' AND sealed_credential IS NOT NULL"); n != 0 {
		t.Errorf("%d revoked links keep a sealed credential", n)
	}
	t.Logf("%d commands run, %d Secrets issued, %d files searched", len(steps), len(finder.secrets), files)

	// The Secrets found by parsing are the real ones: those still active
	// authenticate, the others are refused. (After the search: opening the
	// folder writes to it.)
	b, err := h.open(context.Background())
	if err != nil {
		t.Fatalf("open the data folder: %v", err)
	}
	defer b.Close()
	for _, tc := range []struct {
		k      issued
		active bool
	}{
		{human, false}, {asJSON, false}, {qc, false}, {granted, false}, {grantedHuman, false},
		{shared, true}, {qcJSON, false}, {human2, true}, {asJSON2, false}, {qc2, true},
	} {
		_, err := b.Connections.Authenticate(context.Background(), tc.k.AppKey, koppel.NewSecret(tc.k.Secret))
		if tc.active && err != nil {
			t.Errorf("the Secret printed for %s does not authenticate: %v", tc.k.AppKey, err)
		}
		if !tc.active && koppel.ErrorCode(err) != koppel.EForbidden {
			t.Errorf("the revoked or deleted %s: Authenticate gives %v, want forbidden", tc.k.AppKey, err)
		}
	}
}
