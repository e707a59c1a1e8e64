package settings

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"koppel/internal/koppel"
	"koppel/internal/sqlite"
)

func TestSettings(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := &Service{Store: db, Now: time.Now, Actor: "test"}
	ctx := context.Background()
	if v, _ := s.Get(ctx, APIAddr); v != "127.0.0.1:8642" {
		t.Errorf("default api-addr = %q", v)
	}
	good := map[string][2]string{
		AccountEmail:          {"Me@Office.NL", "Me@office.nl"},
		Language:              {" NL ", "nl"},
		APIAddr:               {"[::1]:9000", "[::1]:9000"},
		ClipboardClearSeconds: {"0", "0"},
	}
	for key, c := range good {
		got, err := s.Set(ctx, key, c[0])
		if err != nil || got != c[1] {
			t.Errorf("Set(%s, %q) = %q, %v; want %q", key, c[0], got, err, c[1])
		}
		if v, _ := s.Get(ctx, key); v != c[1] {
			t.Errorf("Get(%s) = %q after set", key, v)
		}
	}
	bad := [][2]string{
		{AccountEmail, "nope"}, {Language, "de"}, {APIAddr, "0.0.0.0:8642"}, {APIAddr, "192.168.1.2:80"},
		{APIAddr, "localhost:0"}, {ClipboardClearSeconds, "601"}, {ClipboardClearSeconds, "soon"}, {"colour", "blue"},
	}
	for _, c := range bad {
		if _, err := s.Set(ctx, c[0], c[1]); koppel.ErrorCode(err) != koppel.EInvalid {
			t.Errorf("Set(%s, %q) = %v, want invalid", c[0], c[1], err)
		}
	}
	list, _ := s.List(ctx)
	if len(list) != len(Defaults) {
		t.Errorf("List has %d settings, want %d", len(list), len(Defaults))
	}
}
