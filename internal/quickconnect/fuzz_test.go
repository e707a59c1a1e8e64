package quickconnect_test

import (
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"koppel/internal/administrations"
	"koppel/internal/connections"
	"koppel/internal/keys"
	"koppel/internal/koppel"
	"koppel/internal/koppeltest"
	"koppel/internal/quickconnect"
)

// fuzzFolder is a data folder made once per fuzz run: two organizations,
// connections in every state, administrations of every kind. Its keys come
// from a fixed seed, so every run has the same ones and an input always
// means the same thing.
type fuzzFolder struct {
	dir     string
	yuki    *connections.Issued // active, Jansen
	yuki2   *connections.Issued // active, Jansen, linked to busy
	radar   *connections.Issued // active, send-only
	revoked *connections.Issued // WhiteVision, revoked
	// Administrations by fuzz choice.
	jansen, free, basecone, pieters, busy, radarAdm *koppel.Administration
	active                                          map[string]*connections.Issued // by App Key
}

func makeFuzzFolder(f *testing.F) *fuzzFolder {
	ff := &fuzzFolder{dir: f.TempDir()}
	kw := koppeltest.Open(f, ff.dir)
	w := wrap(f, kw)
	kw.Conns.Keys = keys.Generator{Rand: rand.NewChaCha8([32]byte{'k', 'o', 'p', 'p', 'e', 'l'})}
	w.Org("Bakkerij Jansen BV", "NL:KVK:12345678")
	w.Org("Groente Pieters", "NL:KVK:23456789")
	ff.yuki = w.Create("NL:KVK:12345678", "yuki")
	ff.yuki2 = w.Create("NL:KVK:12345678", "yuki")
	ff.radar = w.Create("NL:KVK:12345678", "radar")
	ff.revoked = w.Create("NL:KVK:12345678", "whitevision")
	if _, err := kw.Conns.Revoke(kw.Ctx, ff.revoked.Connection.AppKey, koppel.ReasonLost); err != nil {
		f.Fatal(err)
	}
	ff.jansen = w.admin("yuki", "NL:KVK:12345678", "Bakkerij Jansen", "jan@example.nl")
	ff.free = w.admin("yuki", "", "Jansen Holding", "")
	ff.basecone = w.admin("basecone", "NL:KVK:12345678", "Jansen in Basecone", "")
	ff.pieters = w.admin("yuki", "NL:KVK:23456789", "Groente Pieters", "")
	ff.busy = w.admin("yuki", "NL:KVK:12345678", "Jansen Filiaal", "filiaal@example.nl")
	ff.radarAdm = w.admin("radar", "NL:KVK:12345678", "Jansen in Radar", "")
	w.apply(form(ff.yuki2, ff.busy, "filiaal@example.nl"))
	ff.active = map[string]*connections.Issued{}
	for _, is := range []*connections.Issued{ff.yuki, ff.yuki2, ff.radar} {
		ff.active[is.Connection.AppKey] = is
	}
	if err := kw.DB.Close(); err != nil { // checkpoints the WAL into koppel.db
		f.Fatal(err)
	}
	return ff
}

// open copies the folder for one input and opens the copy.
func (ff *fuzzFolder) open(t *testing.T) *koppeltest.World {
	dir := t.TempDir()
	entries, err := os.ReadDir(ff.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		copyFile(t, filepath.Join(ff.dir, e.Name()), filepath.Join(dir, e.Name()))
	}
	return koppeltest.Open(t, dir)
}

func copyFile(t *testing.T, from, to string) {
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// choose fills the administration part of req for a fuzz choice and
// returns the administration a successful Apply must have linked (nil for a
// new one) and whether any connection could succeed with it.
func (ff *fuzzFolder) choose(choice uint8, req *quickconnect.ApplyRequest) (a *koppel.Administration, possible bool) {
	switch choice % 10 {
	case 0:
		return ff.pick(req, ff.jansen), true
	case 1:
		return ff.pick(req, ff.free), true
	case 2:
		req.NewAdministration = &administrations.Input{Name: "Nieuwe administratie", Code: "N1"}
		return nil, true
	case 3:
		return ff.pick(req, ff.basecone), false // no active Basecone keys
	case 4:
		return ff.pick(req, ff.pieters), false // no keys granted Pieters
	case 5:
		return ff.pick(req, ff.busy), true // only yuki2 itself, replacing its link
	case 6:
		req.RevokeConflicting = ff.yuki2.Connection.ID
		return ff.pick(req, ff.busy), true
	case 7:
		return nil, false // nothing chosen
	case 8:
		req.AdministrationID = 9999
		return nil, false
	}
	return ff.pick(req, ff.radarAdm), true
}

func (ff *fuzzFolder) pick(req *quickconnect.ApplyRequest, a *koppel.Administration) *koppel.Administration {
	req.AdministrationID = a.ID
	return a
}

// FuzzQuickConnect feeds Apply a paste and the form's values. It must never
// panic, never fail inside (EInternal), never show a Secret in a refusal,
// and create a link only from a valid form with the keys of an active
// connection: a refused Apply leaves the links as they were.
func FuzzQuickConnect(f *testing.F) {
	ff := makeFuzzFolder(f)
	qc := func(is *connections.Issued) string {
		return keys.QuickConnectText(is.Connection.AppKey, is.Secret, "Bakkerij Jansen BV", "NL:KVK:12345678", "en")
	}
	y, s := ff.yuki.Connection.AppKey, ff.yuki.Secret.Reveal()
	for _, seed := range []struct {
		paste, email, start string
		sales, confirmed    bool
		choice              uint8
	}{
		{qc(ff.yuki), "jan@example.nl", "", false, true, 0},
		{qc(ff.yuki), "jan@example.nl", "2026-03-01", true, true, 0},
		{y + "\t" + s + "\tjan@example.nl", "Jan@Example.NL", "", false, true, 0},
		{`{"appKey":"` + y + `","secret":"` + s + `"}`, "holding@example.nl", " 2026-12-31 ", false, true, 1},
		{"Applicatiesleutel: " + y + "\nGeheime sleutel: " + s, "nieuw@example.nl", "", true, true, 2},
		{qc(ff.yuki), "jan@example.nl", "", false, false, 0},             // not confirmed
		{qc(ff.yuki), "boekhouder@kantoor.nl", "", false, true, 1},       // the account email
		{qc(ff.yuki), "piet@example.nl", "", false, true, 0},             // not the administration's
		{qc(ff.yuki), "jan@example.nl", "2026-02-30", false, true, 0},    // no such date
		{qc(ff.yuki), "jan@example.nl", "", false, true, 3},              // other package
		{qc(ff.yuki), "jan@example.nl", "", false, true, 4},              // other organization
		{qc(ff.yuki), "filiaal@example.nl", "", false, true, 5},          // conflict
		{qc(ff.yuki), "filiaal@example.nl", "", false, true, 6},          // revoke the other
		{qc(ff.yuki2), "filiaal@example.nl", "", true, true, 5},          // replace its own
		{qc(ff.radar), "radar@example.nl", "", false, true, 9},           // send-only
		{qc(ff.radar), "radar@example.nl", "2026-01-01", false, true, 9}, // send-only with a date
		{qc(ff.radar), "radar@example.nl", "", true, true, 9},            // send-only with sales
		{qc(ff.revoked), "jan@example.nl", "", false, true, 0},           // revoked keys
		{y + "\t" + s[:30] + "A" + s[31:], "jan@example.nl", "", false, true, 0},
		{y + "\t" + ff.radar.Secret.Reveal(), "jan@example.nl", "", false, true, 0},
		{"0123456789abcdef 0123456789abcdef0123456789abcdef", "jan@example.nl", "", false, true, 0},
		{"", "", "", false, true, 7},
	} {
		f.Add(seed.paste, seed.email, seed.start, seed.sales, seed.confirmed, seed.choice)
	}
	secrets := []string{s, ff.yuki2.Secret.Reveal(), ff.radar.Secret.Reveal(), ff.revoked.Secret.Reveal()}

	f.Fuzz(func(t *testing.T, paste, email, start string, sales, confirmed bool, choice uint8) {
		kw := ff.open(t)
		req := quickconnect.ApplyRequest{Paste: paste, Email: email, StartDate: start, ProcessSales: sales, Confirmed: confirmed}
		a, possible := ff.choose(choice, &req)
		links := func() int {
			var n int
			err := kw.DB.View(kw.Ctx, func(tx koppel.Tx) error {
				l, err := tx.Links(koppel.LinkFilter{Status: koppel.StatusActive})
				n = len(l)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := links()
		out, err := kw.QC.Apply(kw.Ctx, req)
		after := links()
		if err != nil {
			if after != before {
				t.Fatalf("a refused Apply changed the number of links from %d to %d", before, after)
			}
			if code := koppel.ErrorCode(err); code == koppel.EInternal || koppel.ErrorMessage(err) == "" {
				t.Fatalf("refused with %s: %v", code, err)
			}
			_, params := koppel.ErrorKey(err)
			for _, sec := range secrets {
				assertNoSecret(t, "refusal", err.Error(), sec)
				for k, v := range params {
					assertNoSecret(t, "parameter "+k, v, sec)
				}
			}
			return
		}

		// Applied: everything must have been valid.
		p, perr := keys.ParsePaste(paste)
		is := ff.active[p.AppKey]
		switch {
		case perr != nil || is == nil || p.Secret.Reveal() != is.Secret.Reveal():
			t.Fatalf("applied with keys that are not an active connection's (parse: %v)", perr)
		case !confirmed:
			t.Fatal("applied without confirmation")
		case !possible:
			t.Fatalf("applied with administration choice %d", choice%10)
		}
		cleaned, eerr := koppel.CleanEmail("email", email)
		if eerr != nil || cleaned == "" || strings.EqualFold(cleaned, accountEmail) {
			t.Fatalf("applied with email %q", email)
		}
		if d := strings.TrimSpace(start); d != "" {
			if _, derr := time.Parse(time.DateOnly, d); derr != nil {
				t.Fatalf("applied with start date %q", start)
			}
			if !is.Connection.Software.Direction.CanReceive() {
				t.Fatalf("applied a start date to send-only %s", is.Connection.Software.Name)
			}
		}
		if sales && !is.Connection.Software.ReceivesSales {
			t.Fatalf("applied sales invoices to %s", is.Connection.Software.Name)
		}
		l := out.Link
		if l.ConnectionID != is.Connection.ID || l.Status != koppel.StatusActive || l.ProcessSales != sales {
			t.Fatalf("link %+v for connection %d", l.Link, is.Connection.ID)
		}
		if a != nil {
			if l.AdministrationID != a.ID || a.SoftwareID != is.Connection.Software.ID {
				t.Fatalf("linked administration %d of package %d, want %d of %d", l.AdministrationID,
					a.SoftwareID, a.ID, is.Connection.Software.ID)
			}
			if a.Email != "" && !strings.EqualFold(a.Email, cleaned) {
				t.Fatalf("linked %s with email %q", a.Name, cleaned)
			}
		}
		if a == ff.busy && is != ff.yuki2 && (out.Revoked == nil || out.Revoked.ID != ff.yuki2.Connection.ID) {
			t.Fatal("linked a busy administration without revoking the other connection")
		}
		gone := 0 // active links no longer active: the replaced one, the revoked connection's
		if out.Replaced != nil {
			gone++
		}
		if out.Revoked != nil {
			gone++
		}
		if after != before+1-gone {
			t.Fatalf("active links %d → %d (%d replaced or revoked)", before, after, gone)
		}
		sealed, oerr := kw.Vault.Open(is.Connection.AppKey, l.SealedCredential)
		if oerr != nil || sealed.Reveal() != is.Secret.Reveal() {
			t.Fatalf("the sealed credential does not open to the Secret: %v", oerr)
		}
	})
}
