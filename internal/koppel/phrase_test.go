package koppel

import (
	"strings"
	"testing"
)

func TestPhraseSaysItsValuesInEnglish(t *testing.T) {
	p := Say("connection.replaces", "id", "12", "appKey", "ak_x", "reason", "lost")
	if got := p.English(); got != "replaces connection 12 (ak_x), reason: lost" {
		t.Errorf("English = %q", got)
	}
	if got := Say("connection.reason").English(); got != "reason: {reason}" {
		t.Errorf("a value not given stays a placeholder: %q", got)
	}
	if got := EnglishOf([]Phrase{Say("link.salesOn"), Say("link.replaces", "id", "4")}); got != "sales invoices on; replaces link 4" {
		t.Errorf("EnglishOf = %q", got)
	}
	if got := EnglishOf(nil); got != "" {
		t.Errorf("EnglishOf(nil) = %q", got)
	}
}

func TestPhraseWithLeavesTheOriginal(t *testing.T) {
	p := Say("refusal.sendOnly", "software", "Radar")
	q := p.With("receiver", "Radar #3")
	if _, ok := p.Params["receiver"]; ok {
		t.Error("With changed the phrase it was called on")
	}
	if got := q.English(); got != "Radar #3: Radar only sends invoices" {
		t.Errorf("English = %q", got)
	}
}

func TestSayRefusesAnUnknownPhrase(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "no.such.phrase") {
			t.Errorf("recover() = %v; want a panic naming the key", r)
		}
	}()
	Say("no.such.phrase")
}

// Every placeholder of the phrase book is a plain name, which the window's
// interpolation fills the same way.
func TestPhraseBookPlaceholders(t *testing.T) {
	for key, text := range EnglishPhrases() {
		if strings.Count(text, "{") != strings.Count(text, "}") || strings.Count(text, "{") != len(placeholder.FindAllString(text, -1)) {
			t.Errorf("%s: %q has a placeholder that is not {name}", key, text)
		}
	}
}
