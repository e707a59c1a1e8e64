package keys

import (
	"strings"
	"unicode"

	"koppel/internal/koppel"
)

// quickConnectLabels are the words of the Quick Connect text in one language.
// ParsePaste knows the key labels of every language listed here.
type quickConnectLabels struct {
	title, appKey, secret, organization string
}

var (
	englishLabels = quickConnectLabels{
		title:        "Koppel Quick Connect",
		appKey:       "App Key",
		secret:       "Secret",
		organization: "Organization",
	}
	dutchLabels = quickConnectLabels{
		title:        "Snel koppelen met Koppel",
		appKey:       "Applicatiesleutel",
		secret:       "Geheime sleutel",
		organization: "Organisatie",
	}
)

// QuickConnectText returns the text "Copy for Quick Connect" puts on the
// clipboard (DESIGN §3):
//
//	Koppel Quick Connect
//	App Key: ak_…
//	Secret: sk_…
//	Organization: Bakkerij Jansen BV (NL:KVK:12345678)
//
// lang "nl" (or "nl-NL", "nl_BE", …) gives Dutch labels; any other gives
// English. The organization line is left out when orgName and party are both
// empty. Line breaks in orgName or party become spaces, so the text always
// reads back with ParsePaste.
func QuickConnectText(appKey string, s koppel.Secret, orgName string, party string, lang string) string {
	l := labelsFor(lang)
	var b strings.Builder
	b.WriteString(l.title + "\n")
	b.WriteString(l.appKey + ": " + appKey + "\n")
	b.WriteString(l.secret + ": " + s.Reveal() + "\n")
	if org := organizationText(oneLine(orgName), oneLine(party)); org != "" {
		b.WriteString(l.organization + ": " + org + "\n")
	}
	return b.String()
}

// labelsFor picks the labels for a language tag such as "nl" or "en-GB".
func labelsFor(lang string) quickConnectLabels {
	lang = strings.ToLower(lang)
	if lang == "nl" || strings.HasPrefix(lang, "nl-") || strings.HasPrefix(lang, "nl_") {
		return dutchLabels
	}
	return englishLabels
}

// organizationText writes "Name (PARTY)", or whichever of the two is present.
func organizationText(name, party string) string {
	switch {
	case name != "" && party != "":
		return name + " (" + party + ")"
	case name != "":
		return name
	}
	return party
}

// oneLine turns control characters and line separators into spaces and trims
// the ends.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}
