package app

import (
	"encoding/json"
	"strings"
	"testing"

	"koppel/internal/koppel"
)

// The bound Quick Connect and Administrations services on a real data
// folder: what the window calls, with the Secret kept out of every answer.
func TestQuickConnect_Bound(t *testing.T) {
	w := openWindow(t)
	o := w.addOrg(t, "Bakkerij Jansen BV", "NL:KVK:12345678")
	yuki := w.softwareID(t, "yuki")
	issued, err := w.conns.Create(CreateInput{OrganizationID: o.ID, SoftwareID: yuki})
	if err != nil {
		t.Fatal(err)
	}
	secret := issued.Secret
	noSecret := func(what string, v any) {
		t.Helper()
		b, _ := json.Marshal(v)
		if strings.Contains(string(b), secret) || strings.Contains(string(b), secret[3:20]) {
			t.Fatalf("%s holds the Secret: %s", what, b)
		}
	}

	// Administrations: add, update, list, CSV preview and import.
	admin, err := w.admins.Add(AdministrationInput{SoftwareID: yuki, OrganizationID: o.ID, Name: "Jansen", Email: "boekhouding@jansen.nl"})
	if err != nil || admin.SoftwareName != "Yuki" || admin.OrganizationName != o.Name {
		t.Fatalf("Add = %+v, %v", admin, err)
	}
	if admin, err = w.admins.Update(admin.ID, AdministrationInput{SoftwareID: yuki, OrganizationID: o.ID, Name: "Jansen", Code: "J1",
		Email: "boekhouding@jansen.nl"}); err != nil || admin.Code != "J1" {
		t.Fatalf("Update = %+v, %v", admin, err)
	}
	_, err = w.admins.Update(0, AdministrationInput{Name: "x"})
	wantKey(t, err, koppel.EInvalid, "input.id")
	_, err = w.admins.Add(AdministrationInput{SoftwareID: yuki, Name: strings.Repeat("n", 201)})
	wantKey(t, err, koppel.EInvalid, "text.too_long")
	csv := "name;code;e-mailadres\nFiliaal Noord;F2;noord@jansen.nl\nKapot;K1;geen-adres\n"
	preview, err := w.admins.PreviewCSV(yuki, csv)
	if err != nil || preview.Valid != 1 || len(preview.Rows) != 2 || preview.Rows[1].Problem == nil || preview.Rows[1].Line != 3 {
		t.Fatalf("PreviewCSV = %+v, %v", preview, err)
	}
	imported, err := w.admins.ImportCSV(yuki, csv)
	if err != nil || len(imported.Added) != 1 || imported.Added[0].Name != "Filiaal Noord" {
		t.Fatalf("ImportCSV = %+v, %v", imported, err)
	}
	if list, err := w.admins.List(AdministrationQuery{SoftwareID: yuki}); err != nil || len(list) != 2 {
		t.Fatalf("List = %+v, %v", list, err)
	}

	// Quick Connect: the paste is recognised, the Secret stays in Go.
	ctx, err := w.qc.Context(issued.Connection.ID)
	if err != nil || ctx.Connection.ID != issued.Connection.ID || len(ctx.Administrations) != 2 {
		t.Fatalf("Context = %+v, %v", ctx, err)
	}
	rec, err := w.qc.Recognise(issued.QuickConnectText)
	if err != nil || rec.Token == "" || rec.AppKey != issued.Connection.AppKey || !strings.HasSuffix(rec.SecretMasked, secret[len(secret)-4:]) {
		t.Fatalf("Recognise = %+v, %v", rec, err)
	}
	noSecret("Recognise", rec)
	_, err = w.qc.Apply(ApplyInput{Token: rec.Token, AdministrationID: admin.ID, Email: "boekhouding@jansen.nl"})
	wantKey(t, err, koppel.EInvalid, "quickconnect.confirm")
	_, err = w.qc.Apply(ApplyInput{AdministrationID: admin.ID, Email: "boekhouding@jansen.nl", Confirmed: true})
	wantKey(t, err, koppel.EInvalid, "quickconnect.paste_first")
	applied, err := w.qc.Apply(ApplyInput{Token: rec.Token, AdministrationID: admin.ID, Email: "boekhouding@jansen.nl",
		StartDate: "2026-01-01", ProcessSales: true, Confirmed: true})
	if err != nil || applied.Link.AdministrationID != admin.ID || !applied.Link.ProcessSales || applied.Link.Status != "active" {
		t.Fatalf("Apply = %+v, %v", applied, err)
	}
	noSecret("Apply", applied)
	// The token is spent.
	_, err = w.qc.Apply(ApplyInput{Token: rec.Token, AdministrationID: admin.ID, Email: "boekhouding@jansen.nl", Confirmed: true})
	wantKey(t, err, koppel.EInvalid, "quickconnect.paste_expired")

	// The Paste button reads the clipboard in Go; a refusal is keyed.
	w.clip.WriteText("ak_only", false)
	_, err = w.qc.PasteFromClipboard()
	if toErrorDTO(err) == nil || !strings.HasPrefix(toErrorDTO(err).Key, "paste.") {
		t.Fatalf("PasteFromClipboard of half a paste: %+v", toErrorDTO(err))
	}

	// Links, a test with no local API answering, removal.
	links, err := w.qc.Links(LinkQuery{OrganizationID: o.ID})
	if err != nil || len(links) != 1 || links[0].ID != applied.Link.ID {
		t.Fatalf("Links = %+v, %v", links, err)
	}
	noSecret("Links", links)
	if _, err := w.qc.TestLink(0); err == nil {
		t.Error("TestLink(0) was accepted")
	}
	if _, err := w.qc.RemoveLink(applied.Link.ID); err != nil {
		t.Fatal(err)
	}
	if links, _ := w.qc.Links(LinkQuery{ConnectionID: issued.Connection.ID}); len(links) != 0 {
		t.Errorf("links after RemoveLink: %+v", links)
	}
	w.qc.Forget(strings.Repeat("x", 65)) // an oversized token is ignored, not an error
}
