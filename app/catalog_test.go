package app

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"koppel/internal/koppel"
)

// keyUses finds the keys Go code names literally: WithKey("…"),
// Keyed(err, "…") and keyNotFound(err, "…"), and a key chosen into a
// variable first (key := "…"; WithKey(key, …)).
var keyUses = regexp.MustCompile(`(?:WithKey\(\s*|(?:Keyed|keyNotFound)\(\s*\w+,\s*|\bkey\s*:?=\s*)"([a-z0-9_.]+)"`)

// keyHelpers turn a key prefix built on (WithKey("prefix." + key)) into
// the concrete keys: the helper's calls in the same package name the rest.
var keyHelpers = map[string]*regexp.Regexp{
	// internal/documents/ubl.go: invalid(key, format, …) keys "document." + key.
	"document.": regexp.MustCompile(`\binvalid\(\s*"([a-z0-9_]+)"`),
}

// Every error key Go can send has a message in the window's catalogs, so no
// error reaches a Dutch user in English only. (nl.ts is type-checked to have
// en.ts's keys.)
func TestErrorKeys_HaveMessages(t *testing.T) {
	catalog, err := os.ReadFile(filepath.Join("..", "frontend", "src", "lib", "i18n", "en.ts"))
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string]string{}
	for _, dir := range []string{"../internal", "."} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			src, err := os.ReadFile(path)
			sources[path] = string(src)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	var missing []string
	check := func(key, path string) {
		if seen[key] {
			return
		}
		seen[key] = true
		if !strings.Contains(string(catalog), "'error."+key+"'") {
			missing = append(missing, "error."+key+" ("+path+")")
		}
	}
	paths := slices.Sorted(maps.Keys(sources))
	for _, path := range paths {
		for _, m := range keyUses.FindAllStringSubmatch(sources[path], -1) {
			key := m[1]
			if !strings.HasSuffix(key, ".") {
				check(key, path)
				continue
			}
			helper := keyHelpers[key]
			if helper == nil {
				t.Errorf("%s builds keys on %q; teach keyHelpers which keys it makes", path, key)
				continue
			}
			n := 0
			for _, other := range paths {
				if filepath.Dir(other) != filepath.Dir(path) {
					continue
				}
				for _, h := range helper.FindAllStringSubmatch(sources[other], -1) {
					check(key+h[1], other)
					n++
				}
			}
			if n == 0 {
				t.Errorf("%s builds keys on %q, but no call of its helper names one", path, key)
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("error keys without a message in frontend/src/lib/i18n/en.ts:\n  %s", strings.Join(missing, "\n  "))
	}
}

// actionUses finds audit actions where Go names them: Action: "…",
// event("…", audit(tx, actor, "…" and hookAudit(tx, c, "…", and an action
// chosen into a variable (action := "…"; action = "…").
var actionUses = regexp.MustCompile(`(?:Action:\s*|\bevent\(\s*|\b(?:audit|hookAudit)\(\s*tx,\s*[^,]+,\s*|\baction\s*:?=\s*)"([a-z]+\.[a-z-]+)"`)

// Every audit action has a label in the window's catalogs, so the Dutch
// audit trail says what happened in Dutch.
func TestAuditActions_HaveLabels(t *testing.T) {
	catalog, err := os.ReadFile(filepath.Join("..", "frontend", "src", "lib", "i18n", "en.ts"))
	if err != nil {
		t.Fatal(err)
	}
	var found, missing []string
	err = filepath.WalkDir("../internal", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		for _, m := range actionUses.FindAllStringSubmatch(string(src), -1) {
			if !slices.Contains(found, m[1]) {
				found = append(found, m[1])
				if !strings.Contains(string(catalog), "'action."+m[1]+"'") {
					missing = append(missing, "action."+m[1]+" ("+path+")")
				}
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) < 15 {
		t.Fatalf("found only %d audit actions (%v): the pattern no longer matches how Go names them", len(found), found)
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		t.Errorf("audit actions without a label in frontend/src/lib/i18n/en.ts:\n  %s", strings.Join(missing, "\n  "))
	}
}

// sayUses finds the phrases of the window's catalogs: 'say.KEY': 'TEXT'.
var sayUses = regexp.MustCompile(`(?m)^\s*'say\.([^']+)':\s*'([^']*)',`)

// Go's phrase book and the window's English catalog say each phrase the
// same, word for word, and know the same phrases: the Dutch window then
// says every audit detail Go writes (nl.ts is type-checked to have en.ts's
// keys), and the English window what the command line prints.
func TestAuditPhrases_SayTheSame(t *testing.T) {
	catalog, err := os.ReadFile(filepath.Join("..", "frontend", "src", "lib", "i18n", "en.ts"))
	if err != nil {
		t.Fatal(err)
	}
	window := map[string]string{}
	for _, m := range sayUses.FindAllStringSubmatch(string(catalog), -1) {
		window[m[1]] = m[2]
	}
	book := koppel.EnglishPhrases()
	if len(book) < 40 {
		t.Fatalf("the phrase book has only %d phrases", len(book))
	}
	for _, key := range koppel.PhraseKeys() {
		switch text, ok := window[key]; {
		case !ok:
			t.Errorf("en.ts lacks 'say.%s': %q", key, book[key])
		case text != book[key]:
			t.Errorf("'say.%s': en.ts says %q, Go %q", key, text, book[key])
		}
	}
	for key := range window {
		if _, ok := book[key]; !ok {
			t.Errorf("en.ts has 'say.%s', which Go's phrase book lacks", key)
		}
	}
}
