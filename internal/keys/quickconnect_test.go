package keys

import (
	"testing"

	"koppel/internal/koppel"
)

func TestQuickConnectText(t *testing.T) {
	s := koppel.NewSecret(testSecret)
	for _, tc := range []struct {
		name, org, party, lang, want string
	}{
		{"english", "Bakkerij Jansen BV", "NL:KVK:12345678", "en",
			"Koppel Quick Connect\nApp Key: " + testAppKey + "\nSecret: " + testSecret +
				"\nOrganization: Bakkerij Jansen BV (NL:KVK:12345678)\n"},
		{"dutch", "Bakkerij Jansen BV", "NL:KVK:12345678", "nl",
			"Snel koppelen met Koppel\nApplicatiesleutel: " + testAppKey + "\nGeheime sleutel: " + testSecret +
				"\nOrganisatie: Bakkerij Jansen BV (NL:KVK:12345678)\n"},
		{"dutch region tag", "X", "", "nl-BE",
			"Snel koppelen met Koppel\nApplicatiesleutel: " + testAppKey + "\nGeheime sleutel: " + testSecret +
				"\nOrganisatie: X\n"},
		{"unknown language is english", "", "0106:12345678", "de",
			"Koppel Quick Connect\nApp Key: " + testAppKey + "\nSecret: " + testSecret +
				"\nOrganization: 0106:12345678\n"},
		{"no organization", "", "", "",
			"Koppel Quick Connect\nApp Key: " + testAppKey + "\nSecret: " + testSecret + "\n"},
		{"line breaks in the name", "Bakkerij\nSecret: sk_x\r\n", "NL:KVK:12345678", "en",
			"Koppel Quick Connect\nApp Key: " + testAppKey + "\nSecret: " + testSecret +
				"\nOrganization: Bakkerij Secret: sk_x (NL:KVK:12345678)\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := QuickConnectText(testAppKey, s, tc.org, tc.party, tc.lang); got != tc.want {
				t.Errorf("QuickConnectText =\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestQuickConnectTextReadsBack(t *testing.T) {
	for _, lang := range []string{"en", "nl"} {
		for _, org := range []string{"Bakkerij Jansen BV", "Ak_ne & Sk_ip B.V.", "Jan@Bakkerij"} {
			text := QuickConnectText(testAppKey, koppel.NewSecret(testSecret), org, "NL:KVK:12345678", lang)
			p, err := ParsePaste(text)
			if err != nil || p.AppKey != testAppKey || p.Secret.Reveal() != testSecret || p.Foreign || p.Email != "" {
				t.Errorf("%s, %q: ParsePaste(QuickConnectText) = %+v, %v", lang, org, p, err)
			}
		}
	}
}
