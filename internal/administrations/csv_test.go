package administrations_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"koppel/internal/administrations"
	"koppel/internal/koppel"
	"koppel/internal/koppeltest"

	_ "github.com/mattn/go-sqlite3"
)

func newWorld(t *testing.T) *koppeltest.World {
	t.Helper()
	w := koppeltest.New(t)
	w.Org("Bakkerij Jansen BV", "NL:KVK:12345678")
	w.Org("Groente Pieters", "NL:KVK:23456789")
	return w
}

func wantKey(t *testing.T, err error, code, key string) {
	t.Helper()
	if got := koppel.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
	if got, _ := koppel.ErrorKey(err); got != key {
		t.Fatalf("error key = %q (%v), want %q", got, err, key)
	}
}

// row is what a test expects of one row: "ok", "exists" or a problem key.
type row struct {
	line int
	name string
	want string
}

func checkRows(t *testing.T, p *administrations.Preview, want []row) {
	t.Helper()
	if len(p.Rows) != len(want) {
		t.Fatalf("%d rows, want %d: %+v", len(p.Rows), len(want), p.Rows)
	}
	for i, r := range p.Rows {
		got := "ok"
		switch {
		case r.Problem != nil:
			got = r.Problem.Key
		case r.Exists:
			got = "exists"
		}
		if r.Line != want[i].line || r.Name != want[i].name || got != want[i].want {
			t.Errorf("row %d = line %d %q %s, want line %d %q %s", i, r.Line, r.Name, got, want[i].line, want[i].name, want[i].want)
		}
	}
}

func TestCSV_CommaEnglish(t *testing.T) {
	w := newWorld(t)
	csv := "Name,Code,Email,Organization\n" +
		"Bakkerij Jansen,001,jan@example.nl,NL:KVK:12345678\n" +
		`"Pieters, Groente",002,piet@example.nl,0106:23456789` + "\n" +
		"Zonder organisatie,,,\n"
	p, err := w.Admins.PreviewCSV(w.Ctx, "yuki", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, p, []row{{2, "Bakkerij Jansen", "ok"}, {3, "Pieters, Groente", "ok"}, {4, "Zonder organisatie", "ok"}})
	if p.Valid != 3 || p.Software.Slug != "yuki" {
		t.Errorf("valid %d, software %s", p.Valid, p.Software.Slug)
	}
	// A preview changes nothing.
	if list, _ := w.Admins.List(w.Ctx, koppel.AdministrationFilter{}); len(list) != 0 {
		t.Errorf("preview added %d administrations", len(list))
	}
}

// TestCSV_SemicolonDutch: a Dutch spreadsheet's export, with a BOM, ';',
// Dutch headers in another order, and rows that cannot be imported.
func TestCSV_SemicolonDutch(t *testing.T) {
	w := newWorld(t)
	if _, err := w.Admins.Add(w.Ctx, administrations.Input{Software: "basecone", Organization: "NL:KVK:12345678", Name: "Bakkerij Jansen", Code: "001"}); err != nil {
		t.Fatal(err)
	}
	csv := "\ufeffOrganisatie;Naam;E-mailadres;Code\r\n" +
		"NL:KVK:12345678;Bakkerij Jansen;jan@example.nl;001\r\n" + // exists already
		"NL:KVK:12345678;Jansen Filiaal;filiaal@example.nl;002\r\n" +
		"NL:KVK:23456789;Groente Pieters;piet at example.nl;010\r\n" + // bad email
		"NL:KVK:99999999;Onbekend BV;onbekend@example.nl;020\r\n" + // unknown organization
		";;;\r\n" + // blank: skipped
		";Zonder organisatie;;030\r\n" +
		"NL:KVK:12345678;Jansen Filiaal;filiaal@example.nl;002\r\n" + // repeats a row above
		"NL:KVK:23456789;;piet@example.nl;011\r\n" // no name
	p, err := w.Admins.PreviewCSV(w.Ctx, "Basecone", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	want := []row{
		{2, "Bakkerij Jansen", "exists"},
		{3, "Jansen Filiaal", "ok"},
		{4, "Groente Pieters", "email.at"},
		{5, "Onbekend BV", "organization.not_found"},
		{7, "Zonder organisatie", "ok"},
		{8, "Jansen Filiaal", "exists"},
		{9, "", "text.required"},
	}
	checkRows(t, p, want)
	if p.Valid != 2 {
		t.Errorf("valid %d, want 2", p.Valid)
	}
	if r := p.Rows[1]; r.Email != "filiaal@example.nl" || r.Code != "002" || r.Organization != "NL:KVK:12345678" {
		t.Errorf("row 3 read as %+v", r)
	}

	// Import adds the valid rows only, each with its audit event.
	before := countAudit(t, w, "administration.add")
	out, err := w.Admins.ImportCSV(w.Ctx, "basecone", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, &out.Preview, want)
	var added []string
	for _, v := range out.Added {
		added = append(added, v.Name)
	}
	if strings.Join(added, ", ") != "Jansen Filiaal, Zonder organisatie" {
		t.Errorf("added %v", added)
	}
	list, _ := w.Admins.List(w.Ctx, koppel.AdministrationFilter{})
	if len(list) != 3 {
		t.Errorf("%d administrations after the import, want 3", len(list))
	}
	for _, v := range list {
		if v.Name == "Jansen Filiaal" && (v.Organization == nil || v.Organization.PartyID != "NL:KVK:12345678" || v.Email != "filiaal@example.nl" || v.Software.Slug != "basecone") {
			t.Errorf("imported %+v", v.Administration)
		}
	}
	if n := countAudit(t, w, "administration.add") - before; n != 2 {
		t.Errorf("%d administration.add events for 2 rows", n)
	}
	// Importing the same file again adds nothing: every valid row exists.
	out, err = w.Admins.ImportCSV(w.Ctx, "basecone", strings.NewReader(csv))
	if err != nil || len(out.Added) != 0 || out.Valid != 0 {
		t.Errorf("second import: added %d, valid %d, %v", len(out.Added), out.Valid, err)
	}
}

// TestCSV_LineNumbers: a row's line is the line of the file it starts on,
// past empty lines and line breaks inside quotes.
func TestCSV_LineNumbers(t *testing.T) {
	w := newWorld(t)
	csv := "name,email\n\nA,a@example.nl\n\"B\nsecond line\",b@example.nl\n\n\nC,c@\n"
	p, err := w.Admins.PreviewCSV(w.Ctx, "yuki", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, p, []row{{3, "A", "ok"}, {4, "B\nsecond line", "text.control"}, {8, "C", "email.at"}})
}

// TestCSV_OneTransaction: when adding a row fails halfway, none of the file
// is kept.
func TestCSV_OneTransaction(t *testing.T) {
	w := newWorld(t)
	csv := "name,organization\nEerste,NL:KVK:12345678\nTweede,NL:KVK:23456789\n"
	// A trigger makes the database refuse the second row.
	mustExec(t, w, `CREATE TRIGGER refuse_second BEFORE INSERT ON administrations WHEN NEW.name = 'Tweede'
		BEGIN SELECT RAISE(ABORT, 'refused'); END`)
	_, err := w.Admins.ImportCSV(w.Ctx, "yuki", strings.NewReader(csv))
	if err == nil {
		t.Fatal("import succeeded although the database refused a row")
	}
	if list, _ := w.Admins.List(w.Ctx, koppel.AdministrationFilter{}); len(list) != 0 {
		t.Errorf("%d administrations kept from a failed import", len(list))
	}
	if n := countAudit(t, w, "administration.add"); n != 0 {
		t.Errorf("%d audit events kept from a failed import", n)
	}
}

func TestCSV_Refusals(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct {
		name, software, csv, code, key string
	}{
		{"no name column", "yuki", "code;email\n001;jan@example.nl\n", koppel.EInvalid, "administration.csv_header"},
		{"no header", "yuki", "Bakkerij Jansen,001\n", koppel.EInvalid, "administration.csv_header"},
		{"empty", "yuki", "", koppel.EInvalid, "administration.csv_empty"},
		{"only a BOM", "yuki", "\ufeff", koppel.EInvalid, "administration.csv_empty"},
		{"over 1 MiB", "yuki", "name\n" + strings.Repeat("Bakkerij Jansen\n", administrations.MaxCSVBytes/16+1), koppel.EInvalid, "administration.csv_too_large"},
		{"not UTF-8", "yuki", "name\nBakkerij J\xe4nsen\n", koppel.EInvalid, "administration.csv_not_utf8"},
		{"too many rows", "yuki", "name\n" + strings.Repeat("a\n", administrations.MaxCSVRows+1), koppel.EInvalid, "administration.csv_too_many"},
		{"unknown package", "no such package", "name\nJansen\n", koppel.ENotFound, "software.not_found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.Admins.PreviewCSV(w.Ctx, tc.software, strings.NewReader(tc.csv))
			wantKey(t, err, tc.code, tc.key)
			_, err = w.Admins.ImportCSV(w.Ctx, tc.software, strings.NewReader(tc.csv))
			wantKey(t, err, tc.code, tc.key)
		})
	}
	// Exactly 1 MiB is read.
	body := "name\n" + strings.Repeat("x", administrations.MaxCSVBytes-len("name\n")-1) + "\n"
	_, err := w.Admins.PreviewCSV(w.Ctx, "yuki", strings.NewReader(body))
	if k, _ := koppel.ErrorKey(err); k == "administration.csv_too_large" {
		t.Errorf("a file of exactly 1 MiB was refused as too large")
	}
	if list, _ := w.Admins.List(w.Ctx, koppel.AdministrationFilter{}); len(list) != 0 {
		t.Errorf("refused files added %d administrations", len(list))
	}
}

func countAudit(t *testing.T, w *koppeltest.World, action string) int {
	t.Helper()
	events, err := w.Audit.List(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range events {
		if e.Action == action {
			n++
		}
	}
	return n
}

// mustExec runs q on the World's database through a connection of its own.
func mustExec(t *testing.T, w *koppeltest.World, q string) {
	t.Helper()
	raw, err := sql.Open("sqlite3", filepath.Join(w.Dir, "koppel.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(q); err != nil {
		t.Fatal(err)
	}
}
