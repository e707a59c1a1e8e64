package backend

import (
	"context"
	"testing"

	"koppel/internal/connections"
	"koppel/internal/koppel"
	"koppel/internal/organizations"
	"koppel/internal/vault"
)

func fileConfig(home, pass string) Config {
	return Config{Home: home, Actor: "test (cli)",
		Vault: vault.Config{Backend: vault.BackendFile, Passphrase: pass, FileDir: home + "/keyring", Service: "Koppel"}}
}

func TestOpenCreatesAndReopens(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	ctx := context.Background()
	home := t.TempDir()
	b, err := Open(ctx, fileConfig(home, "pass one"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Organizations.Add(ctx, organizations.NewOrganization{Name: "A", PartyID: "NL:KVK:12345678"}); err != nil {
		t.Fatal(err)
	}
	is, err := b.Connections.Create(ctx, connections.CreateRequest{Organization: "NL:KVK:12345678", Software: "yuki"})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()

	b, err = Open(ctx, fileConfig(home, "pass one"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := b.Connections.Authenticate(ctx, is.Connection.AppKey, is.Secret); err != nil {
		t.Fatalf("keys do not work after reopening: %v", err)
	}
}

// TestWrongMasterKeyIsRefused: a data folder opened with another keychain's
// master key says so instead of failing every key.
func TestWrongMasterKeyIsRefused(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	ctx := context.Background()
	home := t.TempDir()
	b, err := Open(ctx, fileConfig(home, "pass one"))
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	cfg := fileConfig(home, "another")
	cfg.Vault.FileDir = t.TempDir() // a fresh keyring: a new master key
	_, err = Open(ctx, cfg)
	if koppel.ErrorCode(err) != koppel.EConflict {
		t.Fatalf("opening with a different master key: %v", err)
	}
}

func TestFileKeyringNeedsPassphrase(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	_, err := Open(context.Background(), fileConfig(t.TempDir(), ""))
	if err == nil || koppel.ErrorMessage(err) == "" {
		t.Fatalf("no passphrase: %v", err)
	}
	t.Log(koppel.ErrorMessage(err))
}
