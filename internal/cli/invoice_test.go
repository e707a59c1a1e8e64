package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"koppel/internal/koppel"
)

// sampleDir is the folder of valid and hostile UBL files the document
// service is tested with.
var sampleDir = filepath.Join("..", "documents", "testdata", "import")

// writeInvoices writes n invoices of Bakkerij Jansen (0106:12345678) into a
// new folder, numbered prefix-0 …, and returns it.
func writeInvoices(t *testing.T, root, prefix string, n int) string {
	t.Helper()
	basic, err := os.ReadFile(filepath.Join(sampleDir, "invoice-basic.xml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, prefix)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		body := bytes.Replace(basic, []byte("MOL-2026-0142"), fmt.Appendf(nil, "%s-%d", prefix, i), 1)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%02d.xml", prefix, i)), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// copySamples copies the sample folder into root/samples.
func copySamples(t *testing.T, root string) string {
	t.Helper()
	dst := filepath.Join(root, "samples")
	err := filepath.WalkDir(sampleDir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(sampleDir, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func noPanic(t *testing.T, res procResult) {
	t.Helper()
	for _, out := range [][]byte{res.stdout, res.stderr} {
		if bytes.Contains(out, []byte("panic")) || bytes.Contains(out, []byte("goroutine ")) || bytes.Contains(out, []byte(".go:")) {
			t.Errorf("%s: output shows a panic or stack trace:\n%s", res.cmdline(), shortOut(out))
		}
	}
}

// TestInvoiceImportCommand imports the sample folder: the good files are
// stored, each bad one is named on standard error with its reason, the
// command exits 1 and says how many failed.
func TestInvoiceImportCommand(t *testing.T) {
	h := newProcHome(t)
	h.ok("org", "add", "--name", "Bakkerij Jansen BV", "--party-id", "NL:KVK:12345678")
	h.ok("org", "add", "--name", "Groente Pieters", "--party-id", "NL:VAT:NL123456789B01")
	h.ok("conn", "create", "--org", "1", "--software", "yuki", "--json")
	samples := copySamples(t, h.root)

	res := h.run("invoice", "import", samples)
	noPanic(t, res)
	if res.code != exitFailure {
		t.Fatalf("exit %d, want 1; stderr %s", res.code, shortOut(res.stderr))
	}
	stderr := string(res.stderr)
	for _, want := range []string{
		"koppel: " + filepath.Join(samples, "bad-doctype-xxe.xml") + ": The document contains a DOCTYPE or ENTITY declaration",
		"koppel: " + filepath.Join(samples, "bad-order.xml") + ": The document is a UBL Order, not an invoice or credit note.",
		"koppel: " + filepath.Join(samples, "bad-unknown-customer.xml") + ": The customer 0106:99999999 (Onbekend BV) is not an organization in Koppel.",
		"koppel: 15 of 21 files could not be imported (listed above).",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, shortOut(res.stderr))
		}
	}
	if got := strings.Count(stderr, "\n"); got != 16 {
		t.Errorf("stderr has %d lines, want 15 files and the summary", got)
	}
	if want := "Imported 6 of 21 files: 5 offered, 1 waiting for a connection.\n"; !strings.HasPrefix(string(res.stdout), want) {
		t.Errorf("stdout %q, want %q", res.stdout, want)
	}

	// --json: the same in one object; the failure as a JSON error.
	h2 := newProcHome(t)
	h2.ok("org", "add", "--name", "Bakkerij Jansen BV", "--party-id", "NL:KVK:12345678")
	res = h2.run("invoice", "import", "--org", "NL:KVK:12345678", samples, "--json")
	if res.code != exitFailure {
		t.Fatalf("--json: exit %d", res.code)
	}
	var out struct {
		Imported []map[string]json.RawMessage `json:"imported"`
		Failed   []failedJSON                 `json:"failed"`
	}
	if err := json.Unmarshal(res.stdout, &out); err != nil {
		t.Fatalf("--json stdout: %v", err)
	}
	// Named, the unknown customers' invoices are taken (Groente Pieters is
	// not an organization in this data folder).
	if len(out.Imported) != 7 || len(out.Failed) != 14 {
		t.Errorf("--json: %d imported, %d failed", len(out.Imported), len(out.Failed))
	}
	wantKeys := []string{"customer", "direction", "file", "id", "issueDate", "number", "organizationId", "status", "supplier"}
	if got := jsonKeys(out.Imported[0]); !slices.Equal(got, wantKeys) {
		t.Errorf("imported keys %v, want %v", got, wantKeys)
	}
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(res.stderr, &e); err != nil || e.Error.Message != "14 of 21 files could not be imported (listed above)." {
		t.Errorf("--json stderr %s (%v)", shortOut(res.stderr), err)
	}

	// Many files: progress on standard error.
	dir := writeInvoices(t, h.root, "many", 60)
	res = h.ok("invoice", "import", dir)
	if !strings.Contains(string(res.stderr), "Importing 60 files…") || !strings.Contains(string(res.stderr), "  60 of 60\n") || strings.Count(string(res.stderr), "\n") != 21 {
		t.Errorf("no progress shown: %s", shortOut(res.stderr))
	}
}

// TestInvoiceCommands walks list, show, candidates, reoffer and
// mark-original through real processes.
func TestInvoiceCommands(t *testing.T) {
	h := newProcHome(t)
	h.ok("org", "add", "--name", "Bakkerij Jansen BV", "--party-id", "NL:KVK:12345678")
	old := parseIssued(t, h.ok("conn", "create", "--org", "1", "--software", "yuki", "--json"))
	h.ok("invoice", "import", writeInvoices(t, h.root, "A", 3))
	h.ok("conn", "revoke", old.ref(), "--reason", "switch")
	late := writeInvoices(t, h.root, "B", 1)
	h.ok("invoice", "import", late)

	var list []map[string]json.RawMessage
	h.okJSON(&list, "invoice", "list")
	want := []string{"customer", "direction", "id", "issueDate", "number", "organizationId", "status", "supplier"}
	if len(list) != 4 || !slices.Equal(jsonKeys(list[0]), want) {
		t.Fatalf("invoice list --json: %d, keys %v", len(list), jsonKeys(list[0]))
	}
	if string(list[0]["number"]) != `"B-0"` || string(list[0]["status"]) != `"Validated"` || string(list[3]["status"]) != `"Routed"` ||
		string(list[0]["supplier"]) != `"Meelfabriek De Molen BV"` || string(list[0]["direction"]) != `"purchase"` {
		t.Errorf("invoice list --json: %s …", mustJSON(list[0]))
	}
	h.okJSON(&list, "invoice", "list", "--status", "validated", "--org", "NL:KVK:12345678", "--direction", "purchase")
	if len(list) != 1 {
		t.Errorf("--status validated: %d", len(list))
	}
	h.okJSON(&list, "invoice", "list", "--limit", "2")
	if len(list) != 2 {
		t.Errorf("--limit 2: %d", len(list))
	}
	res := h.ok("invoice", "list", "--limit", "2")
	if !strings.Contains(string(res.stdout), "there are more") || !strings.Contains(string(res.stdout), "Meelfabriek De Molen BV") {
		t.Errorf("invoice list:\n%s", res.stdout)
	}

	// The frozen offer shows, with the R14 warning once the old keys are tried.
	res = h.ok("invoice", "show", "1")
	for _, w := range []string{"Pending", "Validated", "Routed", "ready, frozen", "revoked", "koppel invoice reoffer 1"} {
		if !strings.Contains(string(res.stdout), w) {
			t.Errorf("invoice show lacks %q:\n%s", w, res.stdout)
		}
	}
	xml := h.ok("invoice", "show", "1", "--xml")
	if !bytes.Contains(xml.stdout, []byte("<cbc:ID>A-0</cbc:ID>")) || !bytes.HasPrefix(xml.stdout, []byte("<?xml")) {
		t.Errorf("invoice show --xml: %s", shortOut(xml.stdout))
	}
	var detail map[string]json.RawMessage
	h.okJSON(&detail, "invoice", "show", "1")
	for _, k := range []string{"history", "offers", "sha256", "payableAmount", "supplierParty"} {
		if _, ok := detail[k]; !ok {
			t.Errorf("invoice show --json lacks %q", k)
		}
	}

	var cands []map[string]any
	h.okJSON(&cands, "invoice", "candidates", "--org", "1")
	if len(cands) != 4 {
		t.Fatalf("candidates: %v", cands)
	}
	// Reconnect, then re-offer all.
	h.ok("conn", "replace", old.ref(), "--reason", "lost", "--json")
	var results []reofferJSON
	h.okJSON(&results, "invoice", "reoffer", "--org", "1", "--all")
	if len(results) != 4 {
		t.Fatalf("reoffer: %v", results)
	}
	for _, r := range results {
		if r.Error != nil || !slices.Equal(r.OfferedTo, []int64{2}) {
			t.Errorf("reoffer %d: %+v", r.DocumentID, r)
		}
	}
	res = h.ok("invoice", "reoffer", "1", "2")
	if !strings.Contains(string(res.stdout), "Document 1 is already offered to Yuki (connection 2).") {
		t.Errorf("second reoffer: %s", res.stdout)
	}
	res = h.ok("invoice", "reoffer", "--org", "1", "--all")
	if !strings.Contains(string(res.stdout), "Nothing waits to be re-offered.") {
		t.Errorf("reoffer --all with nothing left: %s", res.stdout)
	}

	// Duplicates: imported again, then marked original and re-offered.
	res = h.ok("invoice", "import", late)
	if !strings.Contains(string(res.stdout), "1 duplicate") {
		t.Errorf("duplicate import: %s", res.stdout)
	}
	res = h.run("invoice", "reoffer", "5")
	if res.code != exitRefused || !strings.Contains(string(res.stderr), "mark it as original first") {
		t.Errorf("reoffer a duplicate: exit %d, %s", res.code, res.stderr)
	}
	var marked map[string]any
	h.okJSON(&marked, "invoice", "mark-original", "5")
	if marked["status"] != "Validated" {
		t.Errorf("mark-original: %v", marked)
	}
	h.ok("invoice", "reoffer", "5")

	// Refusals, each with its exit code and no stack.
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"invoice", "show", "abc"}, exitNotFound, "No document"},
		{[]string{"invoice", "show", "999"}, exitNotFound, "Document 999 was not found"},
		{[]string{"invoice", "show"}, exitUsage, "needs a document"},
		{[]string{"invoice", "import"}, exitUsage, "needs files or folders"},
		{[]string{"invoice", "import", filepath.Join(h.root, "nothing-here")}, exitFailure, "1 of 1 files could not be imported"},
		{[]string{"invoice", "reoffer"}, exitUsage, "needs documents"},
		{[]string{"invoice", "reoffer", "--all"}, exitUsage, "--org"},
		{[]string{"invoice", "reoffer", "--org", "1"}, exitUsage, "--all"},
		{[]string{"invoice", "reoffer", "1", "--org", "1", "--all"}, exitUsage, "not both"},
		{[]string{"invoice", "reoffer", "999"}, exitNotFound, "Document 999 was not found"},
		{[]string{"invoice", "reoffer", "1", "999"}, exitRefused, "1 of 2 documents could not be re-offered"},
		{[]string{"invoice", "mark-original", "1"}, exitRefused, "is not a duplicate"},
		{[]string{"invoice", "list", "--status", "lost"}, exitUsage, "--status must be one of"},
		{[]string{"invoice", "list", "--direction", "inbound"}, exitUsage, "--direction must be"},
		{[]string{"invoice", "list", "--limit", "0"}, exitUsage, "--limit"},
		{[]string{"invoice", "list", "--org", "999"}, exitNotFound, "not found"},
		{[]string{"invoice", "list", "--search", "' OR 1=1 --", "--json"}, exitOK, ""},
		{[]string{"invoice", "candidates"}, exitUsage, "--org is required"},
	} {
		res := h.run(tc.args...)
		noPanic(t, res)
		if res.code != tc.code || !strings.Contains(string(res.stderr), tc.msg) {
			t.Errorf("%s: exit %d, stderr %s; want %d with %q", res.cmdline(), res.code, shortOut(res.stderr), tc.code, tc.msg)
		}
	}
}

// TestRule_R14_InvoiceShowNamesRevokedKeysInUse: a document frozen on
// revoked keys that software still tries says so, with the count.
func TestRule_R14_InvoiceShowNamesRevokedKeysInUse(t *testing.T) {
	h := newProcHome(t)
	h.ok("org", "add", "--name", "Bakkerij Jansen BV", "--party-id", "NL:KVK:12345678")
	k := parseIssued(t, h.ok("conn", "create", "--org", "1", "--software", "basecone", "--json"))
	h.ok("invoice", "import", writeInvoices(t, h.root, "R", 1))
	h.ok("conn", "revoke", k.ref(), "--reason", "compromised")

	b, err := h.open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := b.Connections.Authenticate(context.Background(), k.AppKey, koppel.NewSecret(k.Secret)); koppel.ErrorCode(err) != koppel.EForbidden {
			t.Fatalf("revoked keys: %v", err)
		}
	}
	b.Close()
	res := h.ok("invoice", "show", "1")
	if !strings.Contains(string(res.stdout), "software still uses these revoked keys: 3 attempts, last ") {
		t.Errorf("invoice show:\n%s", res.stdout)
	}
	if anySecret.Match(res.stdout) {
		t.Error("invoice show prints a Secret")
	}
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }
