package keys

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"koppel/internal/koppel"
)

// quickConnect is the English Quick Connect text of the test keys.
var quickConnect = QuickConnectText(testAppKey, koppel.NewSecret(testSecret), "Bakkerij Jansen BV", "NL:KVK:12345678", "en")

func TestParsePasteAccepts(t *testing.T) {
	const (
		a, s  = testAppKey, testSecret
		fa    = foreignID
		fs    = foreignSecret
		email = "administratie@bakkerij-jansen.nl"
	)
	for _, tc := range []struct {
		name, in                  string
		appKey, secret, wantEmail string
		foreign                   bool
	}{
		// The Quick Connect text.
		{"quick connect english", quickConnect, a, s, "", false},
		{"quick connect dutch", QuickConnectText(a, koppel.NewSecret(s), "Bakkerij Jansen BV", "NL:KVK:12345678", "nl"), a, s, "", false},
		{"quick connect with CRLF", strings.ReplaceAll(quickConnect, "\n", "\r\n"), a, s, "", false},
		{"quick connect with BOM, NBSP and zero-width", "\ufeff\u00a0" + strings.ReplaceAll(quickConnect, "\n", "\u200b \n\u2060") + "\u200d", a, s, "", false},
		{"quick connect twice", quickConnect + quickConnect, a, s, "", false},
		{"quick connect with an email line", quickConnect + "Email: " + email, a, s, email, false},

		// Two keys, separated.
		{"tab", a + "\t" + s, a, s, "", false},
		{"spaces", a + "   " + s, a, s, "", false},
		{"newline", a + "\n" + s + "\n", a, s, "", false},
		{"blank lines", "\n\n" + a + "\n\n\n" + s + "\n\n", a, s, "", false},
		{"semicolon", a + ";" + s, a, s, "", false},
		{"semicolon and spaces", a + " ; " + s + ";", a, s, "", false},
		{"comma", a + "," + s, a, s, "", false},
		{"secret first", s + "\t" + a, a, s, "", false},
		{"surrounded by NBSP and zero-width", "\u00a0\u200b" + a + "\u200c\t\u2060" + s + "\ufeff", a, s, "", false},

		// Three items: the keys and an email (SnelStart-style).
		{"three items tab", a + "\t" + s + "\t" + email, a, s, email, false},
		{"three items newline", a + "\n" + s + "\n" + email, a, s, email, false},
		{"three items email first", email + ";" + s + ";" + a, a, s, email, false},

		// JSON.
		{"json appKey", `{"appKey":"` + a + `","secret":"` + s + `"}`, a, s, "", false},
		{"json client_id", `{"client_id": "` + fa + `", "client_secret": "` + fs + `"}`, fa, fs, "", true},
		{"json consumerKey with email", "{\n  \"consumerSecret\": \"" + s + "\",\n  \"consumerKey\": \"" + a + "\",\n  \"email\": \"" + email + "\"\n}", a, s, email, false},
		{"json unknown fields ignored", `{"name":"Yuki","appKey":"` + a + `","secret":"` + s + `","expires":null,"scopes":["a"]}`, a, s, "", false},
		{"json zero-width escapes trimmed", `{"appKey":"\u200b` + a + `","secret":"` + s + `\ufeff"}`, a, s, "", false},

		// Labelled lines, English and Dutch.
		{"app key and secret", "App Key: " + a + "\nSecret: " + s, a, s, "", false},
		{"consumer key with equals", "Consumer Key = " + a + "\nConsumer Secret = " + s, a, s, "", false},
		{"client id with tab", "Client ID\t" + fa + "\nClient Secret\t" + fs, fa, fs, "", true},
		{"applicatiesleutel", "Applicatiesleutel: " + a + "\nGeheime sleutel: " + s, a, s, "", false},
		{"klant key", "Klant Key: " + a + "\nKlantgeheim: " + s, a, s, "", false},
		{"labels in any case", "APP KEY: " + a + "\nsecret=" + s, a, s, "", false},
		{"label spelled as a name", "client_id=" + fa + "\nclient_secret=" + fs, fa, fs, "", true},
		{"secret line first", "Secret: " + s + "\nApp Key: " + a, a, s, "", false},
		{"value on the next line", "App Key:\n" + a + "\nSecret:\n\n" + s, a, s, "", false},
		{"labels without separators", "App Key\n" + a + "\nSecret\n" + s, a, s, "", false},
		{"labels swapped", "App Key: " + s + "\nSecret: " + a, a, s, "", false},
		{"unknown labels ignored", "Software: Yuki\nAdministratie: 0012 (a@b)\nApp Key: " + a + "\nDatum = 1-1-2025\nSecret: " + s, a, s, "", false},
		{"one line", "App Key: " + a + " Secret: " + s, a, s, "", false},
		{"remark after the value", "App Key: " + a + "\nSecret: " + s + " (keep this safe)", a, s, "", false},
		{"markdown", "- **App Key:** " + a + "\n- **Secret:** " + s, a, s, "", false},
		{"in a sentence", "Here are your keys: " + a + " and " + s, a, s, "", false},
		{"zero-width around a value", "App Key: \u200b" + a + "\u200b\nSecret:\u00a0" + s, a, s, "", false},

		// Email lines.
		{"email label", "App Key: " + a + "\nSecret: " + s + "\nEmail: " + email, a, s, email, false},
		{"e-mail label", "App Key: " + a + "\nSecret: " + s + "\nE-mail: " + email, a, s, email, false},
		{"e-mailadres label", "Applicatiesleutel: " + a + "\nGeheime sleutel: " + s + "\nE-mailadres:\t" + email, a, s, email, false},
		{"email address label", "App Key: " + a + "\nSecret: " + s + "\nEmail address = " + email, a, s, email, false},
		{"email in free text is not taken", "Mail jan@example.nl for help\n" + a + "\n" + s, a, s, "", false},

		// eConnect keys.
		{"foreign separated", fa + " " + fs, fa, fs, "", true},
		{"foreign secret first", fs + "\n" + fa, fa, fs, "", true},
		{"foreign upper case", strings.ToUpper(fa) + "\t" + fs, strings.ToUpper(fa), fs, "", true},
		{"foreign with email", fa + "\t" + fs + "\t" + email, fa, fs, email, true},

		// Size.
		{"exactly 64 KiB", a + " " + s + strings.Repeat(" ", maxPaste-len(a)-len(s)-1), a, s, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParsePaste(tc.in)
			if err != nil {
				t.Fatalf("ParsePaste(%q) error: %v", tc.in, err)
			}
			if p.AppKey != tc.appKey || p.Secret.Reveal() != tc.secret || p.Email != tc.wantEmail || p.Foreign != tc.foreign {
				t.Errorf("ParsePaste(%q) = {%q %q %q %v}\nwant {%q %q %q %v}", tc.in,
					p.AppKey, p.Secret.Reveal(), p.Email, p.Foreign, tc.appKey, tc.secret, tc.wantEmail, tc.foreign)
			}
		})
	}
}

func TestParsePasteRefuses(t *testing.T) {
	const a, s = testAppKey, testSecret
	badChecksum := s[:30] + "A" + s[31:]
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", "The pasted text is empty"},
		{"only invisible characters", "\ufeff \u00a0\u200b\n\t\u2060\r\n", "The pasted text is empty"},
		{"over 64 KiB", a + " " + s + strings.Repeat(" ", maxPaste), "refused: it is larger than 64 KiB"},
		{"over 64 KiB and not UTF-8", strings.Repeat("\xff", maxPaste+1), "refused: it is larger than 64 KiB"},
		{"not UTF-8", a + " \xff\xfe " + s, "not UTF-8"},
		{"nothing like a key", "Hello, I could not find the keys", "no App Key or Secret was found"},
		{"only an email", "jan@example.nl", "no App Key or Secret was found"},
		{"only the app key", a, "only the App Key was found; copy the Secret too."},
		{"only the app key, labelled", "App Key: " + a + "\nSecret:", "only the App Key was found; copy the Secret too."},
		{"only the secret", "Secret: " + s, "only the Secret was found; copy the App Key too."},
		{"only a client id", foreignID, "only the App Key was found"},
		{"two app keys", a + " " + otherAppKey + " " + s, "two different App Keys were found"},
		{"two secrets", a + "\n" + s + "\n" + otherSecret, "two different Secrets were found"},
		{"app key and client id", "App Key: " + a + "\nClient ID: " + foreignID + "\nSecret: " + s, "two different App Keys were found"},
		{"two emails", a + "\t" + s + "\tjan@example.nl\nEmail: piet@example.nl", "two different email addresses"},
		{"checksum", a + " " + badChecksum, "the Secret's checksum does not match — was it copied whole?"},
		{"checksum, labelled", "App Key: " + a + "\nSecret: " + badChecksum, "the Secret's checksum does not match"},
		{"truncated secret", a + "\t" + s[:40], "the Secret has 40 characters instead of 49, so part of it is missing."},
		{"truncated app key", a[:12] + "\t" + s, "the App Key has 12 characters instead of 23, so part of it is missing."},
		{"app key too long", a + "x\t" + s, "the App Key has 24 characters instead of 23"},
		{"zero-width inside the secret", a + "\t" + s[:20] + "\u200b" + s[20:], "the Secret contains an invisible character (U+200B) at position 21"},
		{"trailing full stop", "Your keys are " + a + " and " + s + ".", `the Secret contains "." at position 50`},
		{"upper-case prefix", a + " SK_" + s[3:], `a Secret starts with "sk_"`},
		{"labelled app key malformed", "App Key: hello\nSecret: " + s, "the App Key is not in a form Koppel knows"},
		{"labelled secret malformed", "App Key: " + a + "\nGeheime sleutel: geheim", "the Secret is not in a form Koppel knows"},
		{"labelled secret is an email", "App Key: " + a + "\nSecret: jan@example.nl", "the Secret is not in a form Koppel knows"},
		{"labelled words without a key", "App Key: see the other mail\nSecret: " + s, "the App Key is not in a form Koppel knows"},
		{"client id truncated", "Client ID: 0123456789abcde\nClient Secret: " + foreignSecret, "the App Key has 15 hexadecimal characters; an eConnect client ID has 16."},
		{"client secret truncated", "Client ID: " + foreignID + "\nClient Secret: " + foreignSecret[:31], "the Secret has 31 hexadecimal characters; an eConnect client secret has 32."},
		{"labelled email malformed", a + "\n" + s + "\nEmail: jan@", "the email address does not look like one"},
		{"third item not an email", a + "\t" + s + "\tjan@localhost", "the email address does not look like one"},
		{"email with a space", "E-mail: jan @example.nl\n" + a + "\n" + s, "the email address does not look like one"},
		{"koppel key with eConnect secret", a + " " + foreignSecret, "do not belong together"},
		{"eConnect id with koppel secret", foreignID + " " + s, "do not belong together"},
		{"invalid json", "{appKey: " + a + ", secret: " + s + "}", "looks like JSON but is not valid JSON"},
		{"json with trailing text", `{"appKey":"` + a + `","secret":"` + s + `"} thanks`, "not valid JSON"},
		{"json value not text", `{"appKey":"` + a + `","secret":42}`, "the Secret in the JSON is not text."},
		{"json value empty", `{"appKey":"` + a + `","secret":""}`, "the Secret in the JSON is empty."},
		{"json value null", `{"appKey":null,"secret":"` + s + `"}`, "the App Key in the JSON is empty."},
		{"json without keys", `{"name":"Yuki"}`, "no App Key or Secret was found"},
		{"json only app key", `{"appKey":"` + a + `"}`, "only the App Key was found"},
		{"json bad email", `{"appKey":"` + a + `","secret":"` + s + `","email":"nobody"}`, "the email address does not look like one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParsePaste(tc.in)
			if err == nil {
				t.Fatalf("ParsePaste(%q) = %+v, want an error", tc.in, p)
			}
			assertInvalid(t, err, tc.want)
			if p != (Paste{}) {
				t.Errorf("a refused paste returned %+v, want the zero Paste", p)
			}
		})
	}
}

// TestParsePasteNeverEchoesSecret feeds broken pastes that hold a Secret (a
// valid one, or one with a typo) and checks that no 6 characters of it in a
// row appear in the message.
func TestParsePasteNeverEchoesSecret(t *testing.T) {
	random, err := Generator{Rand: rand.NewChaCha8([32]byte{1})}.Secret()
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{testSecret, random.Reveal()} {
		typo := secret[:25] + "0" + secret[26:]
		if typo == secret {
			typo = secret[:25] + "1" + secret[26:]
		}
		for _, in := range []string{
			secret,
			typo,
			testAppKey + " " + typo,
			testAppKey + " " + secret[:30],
			testAppKey + " " + secret + "!",
			testAppKey + " " + secret + " " + otherSecret,
			testAppKey + " " + secret + " " + secret + "@example",
			testAppKey + "\t" + secret + "\tjan@",
			"App Key: " + secret + "x\nSecret: " + secret,
			"Secret: " + secret + "\u200b" + secret,
			"Email: " + secret + "@nowhere",
			"Client ID: " + secret[3:19] + "\nClient Secret: " + secret[3:35],
			`{"appKey":"` + testAppKey + `","secret":"` + typo + `"}`,
			`{"appKey":"` + secret + `","secret":"` + secret + `x"}`,
			`{"appKey":"` + testAppKey + `","secret":"` + secret + `",}`,
			foreignID + " " + secret,
			"SK" + secret[2:] + " " + testAppKey,
		} {
			_, err := ParsePaste(in)
			if err == nil {
				t.Fatalf("ParsePaste(%q) succeeded; the test expects an error", in)
			}
			assertNoSecretIn(t, err.Error(), secret)
			if err := CheckSecret(typo); err != nil {
				assertNoSecretIn(t, err.Error(), secret)
			}
		}
	}
}

// assertNoSecretIn fails if msg holds 6 characters in a row of secret's random
// part or checksum.
func assertNoSecretIn(t *testing.T, msg, secret string) {
	t.Helper()
	const window = 6
	body := secret[len(secretPrefix):]
	for i := 0; i+window <= len(body); i++ {
		if strings.Contains(msg, body[i:i+window]) {
			t.Fatalf("message %q holds part of the Secret (%q)", msg, body[i:i+window])
		}
	}
}

// FuzzParsePaste checks that ParsePaste never panics, refuses only with an
// EInvalid message and a key that pasteRefusals tests (so the catalogs have
// it), and accepts only well-formed keys found in the paste.
// The seed corpus is in testdata/fuzz/FuzzParsePaste.
func FuzzParsePaste(f *testing.F) {
	f.Add(quickConnect)
	known := map[string]bool{}
	for _, tc := range pasteRefusals {
		known[tc.key] = true
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, err := ParsePaste(text)
		if err != nil {
			var e *koppel.Error
			if !errors.As(err, &e) || e.Code != koppel.EInvalid || e.Message == "" {
				t.Fatalf("error %v (%T) is not an EInvalid *koppel.Error with a message", err, err)
			}
			if !known[e.Key] {
				t.Fatalf("refusal %q has the key %q, which pasteRefusals does not test", e.Message, e.Key)
			}
			for _, w := range strings.FieldsFunc(text, func(r rune) bool { return r != '_' && (r >= 128 || !isBase62[r]) }) {
				if CheckSecret(w) == nil {
					assertNoSecretIn(t, e.Message, w)
					for _, v := range e.Params {
						assertNoSecretIn(t, v, w)
					}
				}
			}
			return
		}
		secret := p.Secret.Reveal()
		if p.Foreign {
			if !IsForeignClientID(p.AppKey) || !IsForeignSecret(secret) {
				t.Fatalf("accepted malformed eConnect keys %q, %q", p.AppKey, secret)
			}
		} else if !ValidAppKey(p.AppKey) || CheckSecret(secret) != nil {
			t.Fatalf("accepted malformed Koppel keys %q, %q", p.AppKey, secret)
		}
		json := strings.HasPrefix(trimInvisible(text), "{") // may spell the keys with escapes
		if !json && (!strings.Contains(text, p.AppKey) || !strings.Contains(text, secret) || !strings.Contains(text, p.Email)) {
			t.Fatalf("ParsePaste returned text that is not in the paste: %q, %q, %q", p.AppKey, secret, p.Email)
		}
		if p.Email != "" && !validEmail(p.Email) {
			t.Fatalf("accepted malformed email %q", p.Email)
		}
	})
}

func BenchmarkParsePaste(b *testing.B) {
	b.SetBytes(int64(len(quickConnect)))
	for b.Loop() {
		if _, err := ParsePaste(quickConnect); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParsePasteLargest measures the worst case the size limit allows:
// 64 KiB of words, with the keys at the end.
func BenchmarkParsePasteLargest(b *testing.B) {
	keys := "\n" + testAppKey + "\t" + testSecret
	text := strings.Repeat("lorem ipsum dolor sit amet;\n", maxPaste/28)
	text = text[:maxPaste-len(keys)] + keys
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := ParsePaste(text); err != nil {
			b.Fatal(err)
		}
	}
}
