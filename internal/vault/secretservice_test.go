package vault

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"runtime"
	"testing"

	"github.com/99designs/keyring"

	"koppel/internal/koppel"
)

// TestSecretService runs against the real OS keychain (on Linux the Secret
// Service) when KOPPEL_TEST_SECRET_SERVICE=1; then an unusable keychain is a
// failure, not a skip.
func TestSecretService(t *testing.T) {
	if os.Getenv("KOPPEL_TEST_SECRET_SERVICE") != "1" {
		t.Skip("needs a running Secret Service; `make test` runs it (KOPPEL_TEST_SECRET_SERVICE=1 inside dbus-run-session with gnome-keyring unlocked)")
	}
	cfg := Config{Service: fmt.Sprintf("Koppel test %d-%x", os.Getpid(), randomBytes(t, 6))}

	first, err := Open(cfg, rand.Reader)
	if err != nil {
		t.Fatalf("the OS keychain is not usable: %v (cause: %v)", err, errors.Unwrap(err))
	}
	t.Cleanup(func() { removeItem(t, cfg, first.Backend()) })
	if runtime.GOOS == "linux" && first.Backend() != string(keyring.SecretServiceBackend) {
		t.Fatalf("Backend = %q, want %q", first.Backend(), keyring.SecretServiceBackend)
	}

	second, err := Open(cfg, rand.Reader)
	if err != nil {
		t.Fatalf("second open: %v (cause: %v)", err, errors.Unwrap(err))
	}
	if !bytes.Equal(first.KeyCheck(), second.KeyCheck()) {
		t.Fatal("a second open gave another key")
	}
	sealed, _ := first.Seal("ak_test", koppel.NewSecret(testSecret))
	if got, err := second.Open("ak_test", sealed); err != nil || got.Reveal() != testSecret {
		t.Fatalf("what one open sealed the other cannot open: %v", err)
	}
}

// removeItem deletes the test's master key item from backend and checks
// that it is gone.
func removeItem(t *testing.T, cfg Config, backend string) {
	kr, err := keyring.Open(keyringConfig(cfg, keyring.BackendType(backend)))
	if err != nil {
		t.Errorf("reopen %s to clean up: %v", backend, err)
		return
	}
	if err := kr.Remove(itemKey(cfg.Service)); err != nil {
		t.Errorf("remove test item: %v", err)
	}
	if _, err := kr.Get(itemKey(cfg.Service)); !errors.Is(err, keyring.ErrKeyNotFound) {
		t.Errorf("test item still there after removal: %v", err)
	}
}

// randomBytes returns n bytes from crypto/rand.
func randomBytes(t *testing.T, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}
