package koppel

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"testing"
)

func TestParsePartyID(t *testing.T) {
	ok := map[string]string{
		"NL:KVK:12345678":              "0106:12345678",
		" nl:kvk:12345678 ":            "0106:12345678",
		"0106:12345678":                "0106:12345678",
		"NL:VAT:NL123456789B01":        "9944:NL123456789B01",
		"9944:NL123456789B01":          "9944:NL123456789B01",
		"NL:OIN:00000001234567890000":  "0190:00000001234567890000",
		"NL:OINO:00000001234567890000": "NL:OINO:00000001234567890000",
		"BE:EN:0123456749":             "0208:0123456749",
		"0208:0123456749":              "0208:0123456749",
	}
	for in, canonical := range ok {
		p, err := ParsePartyID(in)
		if err != nil {
			t.Errorf("ParsePartyID(%q): %v", in, err)
			continue
		}
		if p.Canonical() != canonical {
			t.Errorf("Canonical(%q) = %q, want %q", in, p.Canonical(), canonical)
		}
	}
	bad := map[string]string{
		"":                       "required",
		"12345678":               "no scheme",
		"NL:XYZ:12345678":        "not known",
		"NL:KVK:1234567":         "8 digits",
		"NL:KVK:1234567a":        "digits only",
		"NL:VAT:DE123456789B01":  "starts with NL",
		"NL:VAT:NL12345678B01":   "9 digits after NL",
		"NL:VAT:NL123456789X01":  "letter B",
		"NL:VAT:NL123456789B1":   "B and 2 digits",
		"NL:OIN:123":             "20 digits",
		"BE:EN:0123456789":       "check digits",
		"BE:EN:2123456789":       "starts with 0 or 1",
		strings.Repeat("9", 100): "too long",
	}
	for in, want := range bad {
		_, err := ParsePartyID(in)
		if ErrorCode(err) != EInvalid || !strings.Contains(ErrorMessage(err), want) {
			t.Errorf("ParsePartyID(%q) = %v, want an invalid error saying %q", in, err, want)
		}
	}
}

func TestSecretCannotBePrintedByAccident(t *testing.T) {
	s := NewSecret("sk_supersecret")
	type holder struct{ S Secret }
	outputs := []string{
		fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q %x %d", s, s, s, s, s, s, s),
		fmt.Sprintf("%+v %#v", holder{s}, holder{s}), s.String(), s.GoString(),
	}
	b, _ := json.Marshal(holder{s})
	outputs = append(outputs, string(b))
	tb, _ := s.MarshalText()
	outputs = append(outputs, string(tb))
	for _, out := range outputs {
		if strings.Contains(out, "supersecret") || strings.Contains(out, "73757065") {
			t.Errorf("Secret leaked: %s", out)
		}
	}
	if s.Reveal() != "sk_supersecret" {
		t.Error("Reveal lost the value")
	}
}

func TestCleanText(t *testing.T) {
	cases := []struct {
		in, want, err string
	}{
		{"  Bakkerij  ", "Bakkerij", ""},
		{"a\tb", "", "control character"},
		{"\xff", "", "UTF-8"},
		{strings.Repeat("x", 201), "", "too long"},
		{strings.Repeat("é", 200), strings.Repeat("é", 200), ""},
	}
	for _, c := range cases {
		got, err := CleanText("name", c.in, 200)
		if c.err == "" && (err != nil || got != c.want) {
			t.Errorf("CleanText(%q) = %q, %v", c.in, got, err)
		}
		if c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("CleanText(%q) error = %v, want %q", c.in, err, c.err)
		}
	}
}

func TestCleanEmail(t *testing.T) {
	for in, want := range map[string]string{"Info@Jansen.NL": "Info@jansen.nl", "": ""} {
		if got, err := CleanEmail("email", in); err != nil || got != want {
			t.Errorf("CleanEmail(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"info", "info@", "@jansen.nl", "a@b@c.nl", "info@jansen", "in fo@jansen.nl", "info@jansen..nl"} {
		if _, err := CleanEmail("email", in); ErrorCode(err) != EInvalid {
			t.Errorf("CleanEmail(%q) accepted", in)
		}
	}
}

// TestErrorKeys: party ID, text and email errors name their message and the
// values it shows, for edges that translate.
func TestErrorKeys(t *testing.T) {
	cases := []struct {
		err    error
		key    string
		params map[string]string
	}{
		{func() error { _, err := ParsePartyID(" "); return err }(), "party.required", nil},
		{func() error { _, err := ParsePartyID("12345678"); return err }(), "party.no_scheme",
			map[string]string{"input": "12345678", "formats": PartyIDFormats}},
		{func() error { _, err := ParsePartyID("NL:XYZ:1"); return err }(), "party.unknown_scheme",
			map[string]string{"scheme": "NL:XYZ:", "formats": PartyIDFormats}},
		{func() error { _, err := ParsePartyID("nl:kvk:1234"); return err }(), "party.kvk_length",
			map[string]string{"input": "NL:KVK:1234", "value": "1234", "count": "4"}},
		{func() error { _, err := ParsePartyID("NL:KVK:1234567A"); return err }(), "party.kvk_digits",
			map[string]string{"input": "NL:KVK:1234567A", "value": "1234567A"}},
		{func() error { _, err := ParsePartyID("NL:VAT:NL123456789X01"); return err }(), "party.vat_letter",
			map[string]string{"input": "NL:VAT:NL123456789X01", "value": "NL123456789X01"}},
		{func() error { _, err := ParsePartyID("BE:EN:0123456789"); return err }(), "party.be_check_digits",
			map[string]string{"input": "BE:EN:0123456789", "value": "0123456789"}},
		{func() error { _, err := RequiredText("organization name", "", 200); return err }(), "text.required",
			map[string]string{"field": "organization name"}},
		{func() error { _, err := CleanText("name", strings.Repeat("x", 9), 8); return err }(), "text.too_long",
			map[string]string{"field": "name", "max": "8"}},
		{func() error { _, err := CleanEmail("email address", "info@jansen"); return err }(), "email.domain",
			map[string]string{"field": "email address", "input": "info@jansen"}},
		{Internal("read the database", fmt.Errorf("disk")), "internal", map[string]string{"op": "read the database"}},
	}
	for _, c := range cases {
		key, params := ErrorKey(c.err)
		if key != c.key || !maps.Equal(params, c.params) {
			t.Errorf("%v: key %q params %v, want %q %v", c.err, key, params, c.key, c.params)
		}
	}
}

func TestKeyedLeavesTheOriginalAlone(t *testing.T) {
	orig := Errorf(ENotFound, "Connection 7 was not found.")
	err := Keyed(fmt.Errorf("get: %w", orig), "connection.not_found", "ref", "7")
	if k, p := ErrorKey(err); k != "connection.not_found" || p["ref"] != "7" || ErrorMessage(err) != orig.Message {
		t.Fatalf("Keyed: key %q params %v message %q", k, p, ErrorMessage(err))
	}
	if orig.Key != "" {
		t.Error("Keyed changed the original error")
	}
	if k, _ := ErrorKey(Keyed(Errorf(EConflict, "x").WithKey("first"), "second")); k != "first" {
		t.Errorf("Keyed replaced a key: %q", k)
	}
}
