package keys

import (
	"errors"
	"maps"
	"os"
	"regexp"
	"strings"
	"testing"

	"koppel/internal/koppel"
)

// keyCase is a refused input and the key and params its error must carry.
type keyCase struct {
	name, in string
	key      string
	params   map[string]string
}

// pasteRefusals has a paste for every key ParsePaste can refuse with.
// FuzzParsePaste fails on a key that is not here, and
// TestRefusalKeysInCatalogs checks that the window can say each of them.
var pasteRefusals = func() []keyCase {
	const a, s = testAppKey, testSecret
	secret := func(extra ...string) map[string]string {
		return params(append([]string{"what", "secret"}, extra...)...)
	}
	appKey := func(extra ...string) map[string]string {
		return params(append([]string{"what", "appKey"}, extra...)...)
	}
	return []keyCase{
		{"too large", a + " " + s + strings.Repeat(" ", maxPaste), "paste.too_large", params("max", "64 KiB")},
		{"not UTF-8", a + " \xff " + s, "paste.not_utf8", nil},
		{"empty", "\ufeff \u200b", "paste.empty", nil},
		{"invalid JSON", `{"appKey":"` + a + `","secret":"` + s + `",}`, "paste.json_invalid", nil},
		{"JSON secret not text", `{"appKey":"` + a + `","secret":42}`, "paste.json_not_text", secret()},
		{"JSON email not text", `{"appKey":"` + a + `","secret":"` + s + `","email":["x"]}`, "paste.json_not_text", params("what", "email address")},
		{"JSON app key empty", `{"appKey":null,"secret":"` + s + `"}`, "paste.json_empty", appKey()},
		{"nothing found", "Hello, no keys here", "paste.none_found", nil},
		{"only the App Key", a, "paste.only_app_key", nil},
		{"only the Secret", "Secret: " + s, "paste.only_secret", nil},
		{"Koppel and eConnect keys", a + " " + foreignSecret, "paste.mixed_kinds", nil},
		{"bad email", a + "\t" + s + "\tjan@localhost", "paste.email", nil},
		{"two App Keys", a + " " + otherAppKey + " " + s, "paste.two_app_keys", nil},
		{"two Secrets", a + "\n" + s + "\n" + otherSecret, "paste.two_secrets", nil},
		{"two emails", a + "\t" + s + "\tjan@example.nl\nEmail: piet@example.nl", "paste.two_emails", nil},
		{"App Key of no known form", "App Key: hello\nSecret: " + s, "paste.app_key_form", nil},
		{"Secret of no known form", "App Key: " + a + "\nSecret: " + s[3:], "paste.secret_form", nil},
		{"client ID length", "Client ID: " + foreignID[:15] + "\nClient Secret: " + foreignSecret, "paste.client_id_length", params("count", "15", "want", "16")},
		{"client secret length", "Client ID: " + foreignID + "\nClient Secret: " + foreignSecret[:31], "paste.client_secret_length", params("count", "31", "want", "32")},
		{"App Key prefix", "AK_" + a[3:] + " " + s, "paste.app_key_prefix", nil},
		{"Secret prefix", a + " SK_" + s[3:], "paste.secret_prefix", nil},
		{"character in the Secret", "Your keys are " + a + " and " + s + ".", "paste.character", secret("pos", "50", "prefix", "sk_", "char", ".")},
		{"character in the App Key", a[:10] + "-" + a[11:] + " " + s, "paste.character", appKey("pos", "11", "prefix", "ak_", "char", "-")},
		{"space in a JSON Secret", `{"appKey":"` + a + `","secret":"` + s[:10] + " " + s[11:] + `"}`, "paste.character_space", secret("pos", "11", "prefix", "sk_")},
		{"invisible character", a + "\t" + s[:20] + "\u200b" + s[20:], "paste.character_invisible", secret("pos", "21", "prefix", "sk_", "code", "U+200B")},
		{"unreadable character", a + "\t" + s[:10] + "\ufffd" + s[10:], "paste.character_unreadable", secret("pos", "11", "prefix", "sk_")},
		{"Secret too short", a + "\t" + s[:40], "paste.too_short", secret("count", "40", "want", "49")},
		{"App Key too short", a[:12] + "\t" + s, "paste.too_short", appKey("count", "12", "want", "23")},
		{"App Key too long", a + "x\t" + s, "paste.too_long", appKey("count", "24", "want", "23")},
		{"Secret too long", "Secret: " + s + "AB\nApp Key: " + a, "paste.too_long", secret("count", "51", "want", "49")},
		{"checksum", a + " " + s[:30] + "A" + s[31:], "paste.checksum", nil},
	}
}()

// secretRefusals has a Secret for every key CheckSecret can refuse with.
var secretRefusals = func() []keyCase {
	const s = testSecret
	secret := func(extra ...string) map[string]string {
		return params(append([]string{"what", "secret"}, extra...)...)
	}
	return []keyCase{
		{"empty", "", "paste.unusable.key_empty", secret()},
		{"an App Key", testAppKey, "paste.unusable.secret_is_app_key", nil},
		{"prefix", "pk_" + s[3:], "paste.unusable.secret_prefix", nil},
		{"character", s[:10] + "-" + s[11:], "paste.unusable.character", secret("pos", "11", "prefix", "sk_", "char", "-")},
		{"space", s[:10] + " " + s[11:], "paste.unusable.character_space", secret("pos", "11", "prefix", "sk_")},
		{"invisible", s[:10] + "\u00ad" + s[10:], "paste.unusable.character_invisible", secret("pos", "11", "prefix", "sk_", "code", "U+00AD")},
		{"unreadable", s[:10] + "\xff", "paste.unusable.character_unreadable", secret("pos", "11", "prefix", "sk_")},
		{"too short", s[:45], "paste.unusable.too_short", secret("count", "45", "want", "49")},
		{"too long", s + "A", "paste.unusable.too_long", secret("count", "50", "want", "49")},
		{"checksum", s[:20] + "Z" + s[21:], "paste.unusable.checksum", nil},
	}
}()

func params(pairs ...string) map[string]string {
	m := make(map[string]string, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	return m
}

func TestParsePasteRefusalKeys(t *testing.T) {
	for _, tc := range pasteRefusals {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParsePaste(tc.in)
			assertKeyed(t, err, tc)
		})
	}
}

func TestCheckSecretRefusalKeys(t *testing.T) {
	for _, tc := range secretRefusals {
		t.Run(tc.name, func(t *testing.T) {
			assertKeyed(t, CheckSecret(tc.in), tc)
		})
	}
}

// assertKeyed checks err's code, key and params against tc, and that no
// param holds a part of a Secret.
func assertKeyed(t *testing.T, err error, tc keyCase) {
	t.Helper()
	var e *koppel.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want a *koppel.Error", err, err)
	}
	if e.Code != koppel.EInvalid {
		t.Errorf("code = %q, want %q", e.Code, koppel.EInvalid)
	}
	if e.Key != tc.key {
		t.Errorf("key = %q, want %q (message %q)", e.Key, tc.key, e.Message)
	}
	if len(e.Params) != 0 || len(tc.params) != 0 {
		if !maps.Equal(e.Params, tc.params) {
			t.Errorf("params = %v, want %v", e.Params, tc.params)
		}
	}
	for _, v := range e.Params {
		for _, secret := range []string{testSecret, otherSecret} {
			assertNoSecretIn(t, v, secret)
		}
	}
}

// TestRefusalKeysInCatalogs checks that the window's catalogs, English and
// Dutch, have a message for every refusal key and use only the params the
// refusal gives.
func TestRefusalKeysInCatalogs(t *testing.T) {
	message := regexp.MustCompile(`'error\.([a-z0-9_.]+)':\s*'((?:[^'\\]|\\.)*)'`)
	placeholder := regexp.MustCompile(`\{([^}]+)\}`)
	for _, file := range []string{"en.ts", "nl.ts"} {
		src, err := os.ReadFile("../../frontend/src/lib/i18n/" + file)
		if errors.Is(err, os.ErrNotExist) {
			t.Skipf("no frontend catalog: %v", err)
		}
		if err != nil {
			t.Fatal(err)
		}
		catalog := map[string]string{}
		for _, m := range message.FindAllStringSubmatch(string(src), -1) {
			catalog[m[1]] = m[2]
		}
		for _, tc := range append(pasteRefusals[:len(pasteRefusals):len(pasteRefusals)], secretRefusals...) {
			msg, ok := catalog[tc.key]
			if !ok {
				t.Errorf("%s has no message error.%s", file, tc.key)
				continue
			}
			for _, m := range placeholder.FindAllStringSubmatch(msg, -1) {
				if _, ok := tc.params[m[1]]; !ok {
					t.Errorf("%s: error.%s names {%s}, which the refusal %q does not give", file, tc.key, m[1], tc.name)
				}
			}
		}
	}
}
