package koppel

import (
	"fmt"
	"strconv"
	"strings"
)

// PartyID identifies an organization on the e-invoicing network, written
// either as SCHEME:TYPE:VALUE (NL:KVK:12345678) or as ICD:VALUE
// (0106:12345678). A PartyID made by ParsePartyID is valid and normalized.
type PartyID string

type partyScheme struct {
	prefix string // as written, upper case, with the trailing colon
	icd    string // the ISO 6523 code that means the same, or ""
	check  func(v string) *partyProblem
}

// partyProblem is what is wrong with the number of a party ID: a message key
// (frontend/src/lib/i18n has the same keys) and the English words.
type partyProblem struct {
	key   string
	msg   string
	extra []string // more parameters, name and value pairs
}

var partySchemes = []partyScheme{
	{"NL:KVK:", "0106", checkKvK},
	{"0106:", "0106", checkKvK},
	{"NL:VAT:", "9944", checkDutchVAT},
	{"9944:", "9944", checkDutchVAT},
	{"NL:OIN:", "0190", checkOIN},
	{"0190:", "0190", checkOIN},
	{"NL:OINO:", "", checkOIN},
	{"BE:EN:", "0208", checkBelgianEnterprise},
	{"0208:", "0208", checkBelgianEnterprise},
}

// PartyIDFormats lists the accepted notations, for messages and help.
const PartyIDFormats = "NL:KVK:12345678, 0106:12345678, NL:VAT:NL123456789B01, 9944:NL123456789B01, NL:OIN:…, 0190:…, NL:OINO:…, BE:EN:0123456789 or 0208:0123456789"

// ParsePartyID validates s and returns it normalized (upper case, no
// surrounding spaces). The error says which part is wrong.
func ParsePartyID(s string) (PartyID, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return "", Errorf(EInvalid, "A party ID is required, for example NL:KVK:12345678.").WithKey("party.required")
	}
	if len(s) > 64 {
		return "", Errorf(EInvalid, "The party ID is too long; it has at most 64 characters.").WithKey("party.too_long", "max", "64")
	}
	for _, sc := range partySchemes {
		if v, ok := strings.CutPrefix(s, sc.prefix); ok {
			if p := sc.check(v); p != nil {
				return "", Errorf(EInvalid, "The party ID %s is not valid: %s", quoteInput(s), p.msg).
					WithKey(p.key, append([]string{"input", shortInput(s), "value", shortInput(v)}, p.extra...)...)
			}
			return PartyID(s), nil
		}
	}
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return "", Errorf(EInvalid, "The party ID %s has no scheme. Write it as one of: %s.", quoteInput(s), PartyIDFormats).
			WithKey("party.no_scheme", "input", shortInput(s), "formats", PartyIDFormats)
	}
	scheme := s[:i+1]
	return "", Errorf(EInvalid, "The party ID scheme %s is not known. Use one of: %s.", quoteInput(scheme), PartyIDFormats).
		WithKey("party.unknown_scheme", "scheme", shortInput(scheme), "formats", PartyIDFormats)
}

// Canonical returns the notation used to tell whether two party IDs name the
// same party: the ICD form where one exists (NL:KVK:12345678 → 0106:12345678).
func (p PartyID) Canonical() string {
	s := string(p)
	for _, sc := range partySchemes {
		if v, ok := strings.CutPrefix(s, sc.prefix); ok && sc.icd != "" {
			return sc.icd + ":" + v
		}
	}
	return s
}

// Value returns the part after the scheme (the number itself).
func (p PartyID) Value() string {
	s := string(p)
	return s[strings.LastIndexByte(s, ':')+1:]
}

func (p PartyID) String() string { return string(p) }

func checkKvK(v string) *partyProblem {
	if !allDigits(v) {
		return problem("party.kvk_digits", "the KvK number %s must be digits only.", v)
	}
	if len(v) != 8 {
		return &partyProblem{"party.kvk_length", fmt.Sprintf("a KvK number has 8 digits; %s has %d.", quoteInput(v), len(v)),
			[]string{"count", strconv.Itoa(len(v))}}
	}
	return nil
}

// problem words a partyProblem whose message names the value once.
func problem(key, format, v string) *partyProblem {
	return &partyProblem{key: key, msg: fmt.Sprintf(format, quoteInput(v))}
}

// checkDutchVAT checks NL + 9 digits + B + 2 digits.
func checkDutchVAT(v string) *partyProblem {
	switch {
	case !strings.HasPrefix(v, "NL"):
		return problem("party.vat_country", "a Dutch VAT number starts with NL; %s does not.", v)
	case len(v) < 11 || !allDigits(v[2:11]):
		return problem("party.vat_digits", "a Dutch VAT number has 9 digits after NL, as in NL123456789B01; %s does not.", v)
	case len(v) < 12 || v[11] != 'B':
		return problem("party.vat_letter", "a Dutch VAT number has the letter B after its 9 digits, as in NL123456789B01; %s does not.", v)
	case len(v) != 14 || !allDigits(v[12:]):
		return problem("party.vat_suffix", "a Dutch VAT number ends in B and 2 digits, as in NL123456789B01; %s does not.", v)
	}
	return nil
}

func checkOIN(v string) *partyProblem {
	if !allDigits(v) || len(v) != 20 {
		return problem("party.oin_length", "an OIN has 20 digits; %s does not.", v)
	}
	return nil
}

// checkBelgianEnterprise checks a 10-digit enterprise number whose last two
// digits are 97 minus the first eight modulo 97.
func checkBelgianEnterprise(v string) *partyProblem {
	if !allDigits(v) || len(v) != 10 {
		return problem("party.be_length", "a Belgian enterprise number has 10 digits, as in 0123456749; %s does not.", v)
	}
	if v[0] != '0' && v[0] != '1' {
		return problem("party.be_first_digit", "a Belgian enterprise number starts with 0 or 1; %s does not.", v)
	}
	var n int
	for _, c := range v[:8] {
		n = n*10 + int(c-'0')
	}
	want := 97 - n%97
	if got := int(v[8]-'0')*10 + int(v[9]-'0'); got != want {
		return problem("party.be_check_digits", "the check digits of %s do not match; was a digit mistyped?", v)
	}
	return nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// quoteInput quotes a piece of user input for a message, shortened so a huge
// or hostile input cannot flood it.
func quoteInput(s string) string {
	const max = 40
	if len(s) > max {
		s = s[:max] + "…"
	}
	return fmt.Sprintf("%q", s)
}

// shortInput is a piece of user input as a message parameter: shortened like
// quoteInput, valid UTF-8, without quotes (the translations add their own).
func shortInput(s string) string {
	const max = 40
	if len(s) > max {
		s = s[:max] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}
