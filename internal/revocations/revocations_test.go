package revocations

import (
	"os"
	"path/filepath"
	"testing"
)

func TestListSurvivesReopenAndTornLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "revoked-keys")
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if l.Has("ak_a") {
		t.Fatal("empty list has a key")
	}
	if err := l.Add("ak_a", "ak_b", "ak_a"); err != nil {
		t.Fatal(err)
	}
	// A crash mid-append leaves a torn line; the next append starts afresh.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("ak_tor")
	f.Close()
	l, _ = Open(path)
	if err := l.Add("ak_c"); err != nil {
		t.Fatal(err)
	}
	l, _ = Open(path)
	for _, k := range []string{"ak_a", "ak_b", "ak_c"} {
		if !l.Has(k) {
			t.Errorf("%s lost", k)
		}
	}
	if l.Has("ak_torak_c") {
		t.Error("a torn line merged with the next key")
	}
}

func TestListRefusesAnythingButAppKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "revoked-keys")
	l, _ := Open(path)
	l.Add("sk_notanappkey", "ak_ok", "ak_with space")
	b, _ := os.ReadFile(path)
	if string(b) != "\nak_ok\n" {
		t.Errorf("file = %q, want only the App Key", b)
	}
	if l.Has("sk_notanappkey") {
		t.Error("a non-App Key was remembered")
	}
}
