package quickconnect_test

import (
	"crypto/rand"
	"strings"
	"testing"

	"koppel/internal/keys"
	"koppel/internal/koppel"
)

// TestRecognise_Layouts: every layout of DESIGN §3 is recognised, through
// the service, as the right connection, with the Secret masked and nowhere
// in the result.
func TestRecognise_Layouts(t *testing.T) {
	w := newWorld(t)
	w.Org("Bakkerij Jansen BV", "NL:KVK:12345678")
	w.Create("NL:KVK:12345678", "yuki") // another connection of the organization
	is := w.Create("NL:KVK:12345678", "basecone")
	a, s := is.Connection.AppKey, is.Secret.Reveal()
	masked := "sk_••••••••" + s[len(s)-4:]
	const email = "administratie@bakkerij-jansen.nl"
	invisible := func(v string) string { return "\ufeff\u00a0\u200b" + v + "\u200d\u00a0\u2060" }
	for _, tc := range []struct {
		name, in, email string
	}{
		{"quick connect text", keys.QuickConnectText(a, is.Secret, "Bakkerij Jansen BV", "NL:KVK:12345678", "en"), ""},
		{"quick connect text, Dutch", keys.QuickConnectText(a, is.Secret, "Bakkerij Jansen BV", "NL:KVK:12345678", "nl"), ""},
		{"tab", a + "\t" + s, ""},
		{"spaces", a + "   " + s, ""},
		{"newline", a + "\n" + s, ""},
		{"CRLF", a + "\r\n" + s + "\r\n", ""},
		{"semicolon", a + ";" + s, ""},
		{"secret first", s + "\t" + a, ""},
		{"json appKey", `{"appKey":"` + a + `","secret":"` + s + `"}`, ""},
		{"json client_id", `{"client_id":"` + a + `","client_secret":"` + s + `"}`, ""},
		{"json consumerKey", `{"consumerSecret":"` + s + `","consumerKey":"` + a + `"}`, ""},
		{"json with email", `{"appKey":"` + a + `","secret":"` + s + `","email":"` + email + `"}`, email},
		{"labelled English", "App Key: " + a + "\nSecret: " + s, ""},
		{"labelled Consumer", "Consumer Key = " + a + "\nConsumer Secret = " + s, ""},
		{"labelled Client", "Client ID\t" + a + "\nClient Secret\t" + s, ""},
		{"labelled Dutch", "Applicatiesleutel: " + a + "\nGeheime sleutel: " + s, ""},
		{"labelled Klant", "Klant Key: " + a + "\nKlantgeheim: " + s, ""},
		{"labelled, secret first", "Secret: " + s + "\nApp Key: " + a, ""},
		{"labelled with email", "App Key: " + a + "\nSecret: " + s + "\nE-mailadres: " + email, email},
		{"three items", a + "\t" + s + "\t" + email, email},
		{"three items, email first", email + ";" + s + ";" + a, email},
		{"BOM, NBSP, zero-width", invisible(a + "\t" + s), ""},
		{"BOM, NBSP, zero-width around the text", invisible(keys.QuickConnectText(a, is.Secret, "Bakkerij Jansen BV", "NL:KVK:12345678", "en")), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := w.qc.Recognise(w.ctx, tc.in)
			if err != nil {
				assertNoSecret(t, "refusal", err.Error(), s)
				key, _ := koppel.ErrorKey(err)
				t.Fatalf("refused (%s): %v", key, err)
			}
			if r.AppKey != a || r.Connection == nil || r.Connection.ID != is.Connection.ID || r.Email != tc.email {
				t.Errorf("recognised %s / connection %v / email %q", r.AppKey, r.Connection, r.Email)
			}
			if r.SecretMasked != masked {
				t.Errorf("masked Secret %q, want %q", r.SecretMasked, masked)
			}
			if r.Token == "" || len(r.Organizations) != 1 || r.Organizations[0].PartyID != "NL:KVK:12345678" {
				t.Errorf("token %t, organizations %v", r.Token != "", r.Organizations)
			}
			noSecretIn(t, r, s)
		})
	}
}

// TestRecognise_Refusals: each paste that cannot be used is refused with a
// code and a key that say why, and a message without the Secret.
func TestRecognise_Refusals(t *testing.T) {
	w := newWorld(t)
	w.Org("Bakkerij Jansen BV", "NL:KVK:12345678")
	is := w.Create("NL:KVK:12345678", "yuki")
	other := w.Create("NL:KVK:12345678", "basecone")
	gone := w.Create("NL:KVK:12345678", "whitevision")
	if _, err := w.Conns.Revoke(w.ctx, gone.Connection.AppKey, koppel.ReasonLost); err != nil {
		t.Fatal(err)
	}
	a, s := is.Connection.AppKey, is.Secret.Reveal()
	g := keys.Generator{Rand: rand.Reader}
	strangerKey, _ := g.AppKey()
	strangerSecret, _ := g.Secret()
	badChecksum := s[:30] + flip(s[30]) + s[31:]
	for _, tc := range []struct {
		name, in, code, key, secret string
	}{
		{"wrong checksum", a + "\t" + badChecksum, koppel.EInvalid, "paste.checksum", s},
		{"revoked connection", keys.QuickConnectText(gone.Connection.AppKey, gone.Secret, "", "", "en"), koppel.EConflict, "quickconnect.revoked", gone.Secret.Reveal()},
		{"unknown App Key", strangerKey + "\t" + strangerSecret.Reveal(), koppel.EInvalid, "quickconnect.unknown_app_key", strangerSecret.Reveal()},
		{"Secret of another connection", a + "\t" + other.Secret.Reveal(), koppel.EInvalid, "quickconnect.secret_mismatch", other.Secret.Reveal()},
		{"App Key of another connection", other.Connection.AppKey + "\t" + s, koppel.EInvalid, "quickconnect.secret_mismatch", s},
		{"only the App Key", "App Key: " + a, koppel.EInvalid, "paste.only_app_key", ""},
		{"only the Secret", s, koppel.EInvalid, "paste.only_secret", s},
		{"eConnect keys", "Client ID: 0123456789abcdef\nClient Secret: 0123456789abcdef0123456789abcdef", koppel.EInvalid, "quickconnect.foreign", ""},
		{"empty", " \ufeff\u200b\n", koppel.EInvalid, "paste.empty", ""},
		{"over 64 KiB", a + "\t" + s + strings.Repeat(" ", 64<<10), koppel.EInvalid, "paste.too_large", s},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := w.qc.Recognise(w.ctx, tc.in)
			if err == nil {
				t.Fatalf("recognised %s", r.AppKey)
			}
			wantRefused(t, err, tc.code, tc.key, tc.secret)
			if r != nil {
				t.Errorf("a refusal returned %+v", r)
			}
		})
	}
	// The revoked connection's refusal names it, to replace its keys.
	_, err := w.qc.Recognise(w.ctx, gone.Connection.AppKey+" "+gone.Secret.Reveal())
	if _, p := koppel.ErrorKey(err); p["appKey"] != gone.Connection.AppKey {
		t.Errorf("revoked params %v", p)
	}
}

// flip returns another base62 character than c.
func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}
