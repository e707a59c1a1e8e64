package documents_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"koppel/internal/documents"
	"koppel/internal/koppel"
)

// copyTree copies testdata/import into a temp folder and returns it.
func copyTree(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "inbox")
	err := filepath.WalkDir(filepath.Join("testdata", "import"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join("testdata", "import"), p)
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

// writeHuge writes an otherwise valid invoice of just over 10 MiB.
func writeHuge(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	body := ubl(inv{Number: "HUGE-1"})
	head, tail, _ := bytes.Cut(body, []byte("<cac:LegalMonetaryTotal>"))
	f.Write(head)
	f.WriteString("<!-- ")
	io.CopyN(f, repeatReader('x'), documents.MaxSize)
	f.WriteString(" --><cac:LegalMonetaryTotal>")
	f.Write(tail)
}

type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// TestImportFolder imports a folder of valid and hostile files: the good ones
// are stored, each bad one is reported with its own plain message, and the
// batch goes on.
func TestImportFolder(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	w.org("Groente Pieters", "NL:VAT:NL123456789B01")
	w.create("NL:KVK:12345678", "yuki")
	dir := copyTree(t)
	writeHuge(t, filepath.Join(dir, "bad-huge.xml"))
	missing := filepath.Join(dir, "no-such-file.xml")

	var calls [][2]int
	results := w.docs.ImportFiles(w.ctx, "", []string{dir, missing}, func(done, total int) { calls = append(calls, [2]int{done, total}) })

	good := map[string]string{ // file → number
		"creditnote.xml":               "MOL-2026-C007",
		"invoice-basic.xml":            "MOL-2026-0142",
		"invoice-bom.xml":              "MOL-2026-0143",
		"invoice-legal-entity.xml":     "INV 88-A",
		"invoice-vat-customer.xml":     "2026/00031",
		"sub/invoice-in-subfolder.xml": "MOL-2026-0200",
	}
	bad := map[string]string{ // file → message key
		"bad-bad-date.xml":         "document.issue_date",
		"bad-billion-laughs.xml":   "document.doctype",
		"bad-doctype-xxe.xml":      "document.doctype",
		"bad-empty.xml":            "document.empty",
		"bad-entity-lowercase.xml": "document.doctype",
		"bad-huge.xml":             "document.too_large",
		"bad-latin1.xml":           "document.encoding",
		"bad-malformed.xml":        "document.xml_closed_by",
		"bad-missing-customer.xml": "document.no_party",
		"bad-missing-number.xml":   "document.no_number",
		"bad-not-xml.xml":          "document.not_xml",
		"bad-order.xml":            "document.not_invoice",
		"bad-two-roots.xml":        "document.two_roots",
		"bad-unknown-customer.xml": "document.unknown_customer",
		"bad-utf16.xml":            "document.encoding",
		"bad-wrong-namespace.xml":  "document.namespace",
		"no-such-file.xml":         "document.file_missing",
	}
	if len(results) != len(good)+len(bad) {
		var names []string
		for _, r := range results {
			names = append(names, r.Path)
		}
		t.Fatalf("%d results, want %d (hidden files and notes.txt skipped): %v", len(results), len(good)+len(bad), names)
	}
	for _, r := range results {
		rel, _ := filepath.Rel(dir, r.Path)
		rel = filepath.ToSlash(rel)
		if number, ok := good[rel]; ok {
			if r.Err != nil || r.Document == nil || r.Document.Number != number {
				t.Errorf("%s: %v, %+v", rel, r.Err, r.Document)
			}
			continue
		}
		key, ok := bad[rel]
		if !ok {
			t.Errorf("unexpected file %s", rel)
			continue
		}
		if r.Err == nil || r.Document != nil {
			t.Errorf("%s was imported", rel)
			continue
		}
		if k, _ := koppel.ErrorKey(r.Err); k != key {
			t.Errorf("%s: key %q (%s), want %q", rel, k, koppel.ErrorMessage(r.Err), key)
		}
		if m := koppel.ErrorMessage(r.Err); strings.ContainsAny(m, "\n\r") || strings.Contains(m, ".go:") || strings.Contains(m, dir) {
			t.Errorf("%s: message %q", rel, m)
		}
	}
	if len(calls) != len(results) || calls[len(calls)-1] != [2]int{len(results), len(results)} {
		t.Errorf("progress calls %v", calls)
	}
	page, err := w.docs.List(w.ctx, koppel.DocumentFilter{})
	if err != nil || len(page.Documents) != len(good) {
		t.Fatalf("%d documents stored, want %d (%v)", len(page.Documents), len(good), err)
	}
	// The receiving organization came from the customer's party ID.
	byNumber := map[string]*koppel.Document{}
	for _, d := range page.Documents {
		byNumber[d.Number] = d
	}
	if d := byNumber["2026/00031"]; d.OrganizationID != 2 || d.CustomerParty != "9944:NL123456789B01" {
		t.Errorf("the VAT-addressed invoice went to organization %d (%s)", d.OrganizationID, d.CustomerParty)
	}
	if d := byNumber["MOL-2026-0142"]; d.FileName != "invoice-basic.xml" || d.Size != 4012 || len(d.SHA256) != 32 || d.PayableAmount != "1210.00" {
		t.Errorf("stored %+v", d)
	}
	body, _ := w.docs.Body(w.ctx, byNumber["MOL-2026-0142"].ID)
	if want, _ := os.ReadFile(filepath.Join(dir, "invoice-basic.xml")); !bytes.Equal(body, want) {
		t.Error("the stored body differs from the file")
	}
}

// TestImportNamedOrganization: a named organization takes documents that do
// not name another organization of Koppel's; those that do are refused.
func TestImportNamedOrganization(t *testing.T) {
	w := newWorld(t)
	o, err := w.orgs.Add(w.ctx, organizationsNew("Bakkerij Jansen BV", "NL:VAT:NL111111111B01", "12345678"))
	if err != nil {
		t.Fatal(err)
	}
	w.org("Groente Pieters", "NL:VAT:NL123456789B01")
	dir := copyTree(t)

	// Addressed by KvK number, which is this organization's KvK field.
	d, err := w.docs.ImportFile(w.ctx, "NL:VAT:NL111111111B01", filepath.Join(dir, "invoice-basic.xml"))
	if err != nil || d.OrganizationID != o.ID || d.Direction != koppel.Purchase {
		t.Fatalf("import: %v, %+v", err, d)
	}
	// Found without naming it, by the KvK field too.
	if d, err := w.docs.ImportFile(w.ctx, "", filepath.Join(dir, "creditnote.xml")); err != nil || d.OrganizationID != o.ID {
		t.Fatalf("import by KvK field: %v", err)
	}
	_, err = w.docs.ImportFile(w.ctx, fmt.Sprint(o.ID), filepath.Join(dir, "invoice-vat-customer.xml"))
	wantKey(t, err, "document.other_organization")
	if m := koppel.ErrorMessage(err); m != "The invoice is addressed to Groente Pieters (NL:VAT:NL123456789B01), not Bakkerij Jansen BV." {
		t.Errorf("message %q", m)
	}
	// An invoice for a party Koppel does not know goes where it is told.
	d, err = w.docs.ImportFile(w.ctx, fmt.Sprint(o.ID), filepath.Join(dir, "bad-unknown-customer.xml"))
	if err != nil || d.OrganizationID != o.ID {
		t.Fatalf("import of an unknown customer's invoice into a named organization: %v", err)
	}
	// Not named: an invoice whose supplier is an organization and whose
	// customer is none is that organization's sales invoice.
	sale := ubl(inv{Number: "VK-9", Supplier: "0106:12345678", Customer: "0106:44443333"})
	if d, err := w.docs.Import(w.ctx, "", "vk-9.xml", bytes.NewReader(sale), ""); err != nil || d.Direction != koppel.Sales || d.OrganizationID != o.ID {
		t.Fatalf("sales invoice found by its supplier: %v, %+v", err, d)
	}
	// Forced the other way round, it is refused: its customer is unknown.
	_, err = w.docs.Import(w.ctx, "", "vk-10.xml", bytes.NewReader(ubl(inv{Number: "VK-10", Supplier: "0106:12345678", Customer: "0106:44443333"})), koppel.Purchase)
	wantKey(t, err, "document.unknown_customer")
	_, err = w.docs.ImportFile(w.ctx, "NL:KVK:99999999", filepath.Join(dir, "invoice-basic.xml"))
	wantCode(t, err, koppel.ENotFound)
	_, err = w.docs.ImportFile(w.ctx, "", dir)
	wantKey(t, err, "document.is_folder")
	_, err = w.docs.Import(w.ctx, "", "x.xml", strings.NewReader("x"), "outbound")
	wantKey(t, err, "document.direction")
}

// TestImportBatchesGoOn: bad files at the edges of the 200-file transactions
// do not cost the good ones; results keep their order.
func TestImportBatchesGoOn(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	dir := t.TempDir()
	badAt := []int{0, 199, 200, 201, 449}
	var paths []string
	for i := range 450 {
		p := filepath.Join(dir, fmt.Sprintf("%04d.xml", i))
		body := ubl(inv{Number: fmt.Sprintf("N-%04d", i)})
		if slices.Contains(badAt, i) {
			body = []byte("<Invoice>")
		}
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	results := w.docs.ImportFiles(w.ctx, "NL:KVK:12345678", paths, nil)
	for i, r := range results {
		if r.Path != paths[i] {
			t.Fatalf("result %d is for %s", i, r.Path)
		}
		if bad := slices.Contains(badAt, i); bad != (r.Err != nil) {
			t.Errorf("file %d: err %v", i, r.Err)
		}
	}
	page, _ := w.docs.List(w.ctx, koppel.DocumentFilter{Limit: 500})
	if len(page.Documents) != 445 {
		t.Errorf("%d documents stored, want 445", len(page.Documents))
	}
}

// TestImportStopped: a cancelled import keeps what was committed and says
// which files were not saved.
func TestImportStopped(t *testing.T) {
	w := newWorld(t)
	w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	dir := t.TempDir()
	var paths []string
	for i := range 450 {
		p := filepath.Join(dir, fmt.Sprintf("%04d.xml", i))
		os.WriteFile(p, ubl(inv{Number: fmt.Sprintf("S-%04d", i)}), 0o644)
		paths = append(paths, p)
	}
	ctx, cancel := contextWithCancel(w)
	results := w.docs.ImportFiles(ctx, "", paths, func(done, total int) {
		if done == 250 {
			cancel()
		}
	})
	var saved, stopped int
	for _, r := range results {
		switch {
		case r.Err == nil:
			saved++
		case koppel.ErrorCode(r.Err) == koppel.EConflict:
			stopped++
		default:
			t.Fatalf("%s: %v", r.Path, r.Err)
		}
	}
	page, _ := w.docs.List(w.ctx, koppel.DocumentFilter{Limit: 500})
	if saved != 200 || stopped != 250 || len(page.Documents) != 200 {
		t.Errorf("saved %d, stopped %d, stored %d; want 200, 250, 200", saved, stopped, len(page.Documents))
	}
}
