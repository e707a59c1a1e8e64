package vault

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/99designs/keyring"

	"koppel/internal/koppel"
)

// noBus keeps a test away from any D-Bus session bus: the keyring package
// would otherwise start a dbus-daemon that outlives the test.
func noBus(t *testing.T) { t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:") }

// noRand is a random source that must not be read.
var noRand = iotest.ErrReader(errors.New("test: rand must not be read"))

// wantCode fails t unless err is a *koppel.Error with code and, for internal
// errors, a cause.
func wantCode(t *testing.T, err error, code string) *koppel.Error {
	t.Helper()
	var kerr *koppel.Error
	if !errors.As(err, &kerr) || kerr.Code != code {
		t.Fatalf("error = %#v, want a *koppel.Error with code %q", err, code)
	}
	if code == koppel.EInternal && kerr.Err == nil {
		t.Fatalf("internal error %q has no cause", kerr.Message)
	}
	return kerr
}

func TestOpenKeyringCreatesThenLoadsTheKey(t *testing.T) {
	kr := keyring.NewArrayKeyring(nil)
	first, err := openKeyring(kr, "array", "Koppel", bytes.NewReader(testMaster(0x42)))
	if err != nil {
		t.Fatal(err)
	}
	if first.Backend() != "array" {
		t.Errorf("Backend = %q", first.Backend())
	}
	item, err := kr.Get("Koppel master key")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(item.Data, testMaster(0x42)) {
		t.Error("the stored item is not the key read from rand")
	}
	if item.Label != "Koppel master key" || item.Description == "" || !item.KeychainNotSynchronizable {
		t.Errorf("stored item = %+v", item)
	}
	if !bytes.Equal(first.KeyCheck(), newTestVault(t, 0x42).KeyCheck()) {
		t.Error("the vault does not use the created key")
	}

	second, err := openKeyring(kr, "array", "Koppel", noRand)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.KeyCheck(), second.KeyCheck()) {
		t.Error("a second open gave another key")
	}
}

func TestOpenKeyringSeparatesServices(t *testing.T) {
	kr := keyring.NewArrayKeyring(nil)
	a, err := openKeyring(kr, "array", "A", bytes.NewReader(testMaster(1)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := openKeyring(kr, "array", "B", bytes.NewReader(testMaster(2)))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a.KeyCheck(), b.KeyCheck()) {
		t.Error("two services share a key")
	}
}

func TestOpenKeyringRefusesWrongLengthItem(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33, 44} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			stored := bytes.Repeat([]byte{'x'}, n)
			kr := keyring.NewArrayKeyring([]keyring.Item{{Key: "Koppel master key", Data: bytes.Clone(stored)}})
			_, err := openKeyring(kr, "array", "Koppel", bytes.NewReader(testMaster(1)))
			kerr := wantCode(t, err, koppel.EInternal)
			if !strings.Contains(kerr.Message, "Koppel master key") || !strings.Contains(kerr.Message, "wrong length") {
				t.Errorf("message %q does not name the item and the problem", kerr.Message)
			}
			item, err := kr.Get("Koppel master key")
			if err != nil || !bytes.Equal(item.Data, stored) {
				t.Errorf("the item was changed: %q, %v", item.Data, err)
			}
		})
	}
}

func TestOpenKeyringRandFailureStoresNothing(t *testing.T) {
	kr := keyring.NewArrayKeyring(nil)
	_, err := openKeyring(kr, "array", "Koppel", iotest.ErrReader(errors.New("no entropy")))
	wantCode(t, err, koppel.EInternal)
	if keys, _ := kr.Keys(); len(keys) != 0 {
		t.Errorf("stored %v after a failed read of rand", keys)
	}
}

// racingKeyring stands for another process that stores its own key between
// our Get and Set: Set stores winner instead of what it is given.
type racingKeyring struct {
	*keyring.ArrayKeyring
	winner []byte
}

func (k racingKeyring) Set(i keyring.Item) error {
	i.Data = k.winner
	return k.ArrayKeyring.Set(i)
}

func TestOpenKeyringUsesWhatIsStoredAfterARace(t *testing.T) {
	kr := racingKeyring{keyring.NewArrayKeyring(nil), testMaster(0x77)}
	v, err := openKeyring(kr, "array", "Koppel", bytes.NewReader(testMaster(0x11)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(v.KeyCheck(), newTestVault(t, 0x77).KeyCheck()) {
		t.Error("the vault uses its own new key instead of the stored one")
	}
}

// brokenKeyring fails every call with err.
type brokenKeyring struct {
	keyring.Keyring
	err error
}

func (k brokenKeyring) Get(string) (keyring.Item, error) { return keyring.Item{}, k.err }
func (k brokenKeyring) Set(keyring.Item) error           { return k.err }

// forgetfulKeyring accepts Set but never finds anything.
type forgetfulKeyring struct{ keyring.Keyring }

func (forgetfulKeyring) Get(string) (keyring.Item, error) {
	return keyring.Item{}, keyring.ErrKeyNotFound
}
func (forgetfulKeyring) Set(keyring.Item) error { return nil }

func TestOpenKeyringReportsKeyringFailures(t *testing.T) {
	cause := errors.New("dbus: locked")
	cases := map[string]keyring.Keyring{
		"get fails":          brokenKeyring{err: cause},
		"set fails":          failingSetKeyring{keyring.NewArrayKeyring(nil), cause},
		"set does not stick": forgetfulKeyring{},
	}
	for name, kr := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := openKeyring(kr, "secret-service", "Koppel", bytes.NewReader(testMaster(1)))
			kerr := wantCode(t, err, koppel.EInternal)
			if !strings.Contains(kerr.Message, "Secret Service") {
				t.Errorf("message %q does not name the keychain", kerr.Message)
			}
		})
	}
}

// failingSetKeyring finds nothing and cannot store.
type failingSetKeyring struct {
	*keyring.ArrayKeyring
	err error
}

func (k failingSetKeyring) Set(keyring.Item) error { return k.err }

func TestOpenFileBackend(t *testing.T) {
	noBus(t)
	dir := filepath.Join(t.TempDir(), "keyring")
	cfg := Config{Backend: "file", Passphrase: "correct horse", FileDir: dir}

	first, err := Open(cfg, bytes.NewReader(testMaster(0x33)))
	if err != nil {
		t.Fatal(err)
	}
	if first.Backend() != "file" {
		t.Errorf("Backend = %q", first.Backend())
	}
	second, err := Open(cfg, noRand)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.KeyCheck(), second.KeyCheck()) {
		t.Error("a second open gave another key")
	}

	path := filepath.Join(dir, "Koppel master key")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, testMaster(0x33)) || bytes.Contains(data, []byte("MzMz")) {
		t.Error("the keychain file holds the key in the clear")
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Errorf("keychain file mode %v, want 0600", fi.Mode().Perm())
		}
	}

	cfg.Passphrase = "wrong"
	_, err = Open(cfg, bytes.NewReader(testMaster(0x44)))
	kerr := wantCode(t, err, koppel.EInternal)
	if !strings.Contains(kerr.Message, "KOPPEL_KEYRING_PASSPHRASE") {
		t.Errorf("message %q does not point at the passphrase", kerr.Message)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(after, data) {
		t.Error("a wrong passphrase changed the keychain file")
	}
}

func TestOpenFileBackendNeedsPassphrase(t *testing.T) {
	noBus(t)
	dir := filepath.Join(t.TempDir(), "keyring")
	_, err := Open(Config{Backend: "file", FileDir: dir}, bytes.NewReader(testMaster(1)))
	kerr := wantCode(t, err, koppel.EInvalid)
	if !strings.Contains(kerr.Message, "KOPPEL_KEYRING_PASSPHRASE") {
		t.Errorf("message %q does not name KOPPEL_KEYRING_PASSPHRASE", kerr.Message)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the keychain folder was created: %v", err)
	}
}

func TestFixedPassphraseNeverPrompts(t *testing.T) {
	if p, err := fixedPassphrase("pw")("Enter passphrase"); p != "pw" || err != nil {
		t.Errorf("fixedPassphrase(pw) = %q, %v", p, err)
	}
	if _, err := fixedPassphrase("")("Enter passphrase"); err == nil {
		t.Error("an empty passphrase gave no error")
	}
}

func TestOpenRefusesUnknownBackend(t *testing.T) {
	noBus(t)
	_, err := Open(Config{Backend: "pass"}, noRand)
	kerr := wantCode(t, err, koppel.EInvalid)
	if !strings.Contains(kerr.Message, `"pass"`) || !strings.Contains(kerr.Message, `"file"`) {
		t.Errorf("message %q does not name the value and the choices", kerr.Message)
	}
}

func TestOpenWithoutAvailableBackend(t *testing.T) {
	noBus(t)
	backend := "wincred" // not built into the keyring package outside Windows
	if runtime.GOOS == "windows" {
		backend = "keychain"
	}
	_, err := Open(Config{Backend: backend}, noRand)
	kerr := wantCode(t, err, koppel.EInternal)
	if !errors.Is(err, keyring.ErrNoAvailImpl) {
		t.Errorf("cause %v is not keyring.ErrNoAvailImpl", kerr.Err)
	}
	for _, want := range []string{"KOPPEL_KEYRING=file", "KOPPEL_KEYRING_PASSPHRASE", "Start or unlock"} {
		if !strings.Contains(kerr.Message, want) {
			t.Errorf("message %q does not say %q", kerr.Message, want)
		}
	}
}

func TestNoBackendErrorNamesTheOptions(t *testing.T) {
	tests := []struct {
		goos string
		want []string
	}{
		{"linux", []string{"Secret Service", "gnome-keyring", "KWallet", "Start or unlock", "KOPPEL_KEYRING=file", "KOPPEL_KEYRING_PASSPHRASE"}},
		{"darwin", []string{"macOS Keychain", "Start or unlock", "KOPPEL_KEYRING=file", "KOPPEL_KEYRING_PASSPHRASE"}},
		{"windows", []string{"Windows Credential Manager", "Start or unlock", "KOPPEL_KEYRING=file", "KOPPEL_KEYRING_PASSPHRASE"}},
	}
	for _, tt := range tests {
		t.Run(tt.goos, func(t *testing.T) {
			err := noBackendError(osBackends(tt.goos), tt.goos)
			if err.Code != koppel.EInternal || !errors.Is(err, keyring.ErrNoAvailImpl) {
				t.Errorf("error = %#v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Message, w) {
					t.Errorf("message %q does not say %q", err.Message, w)
				}
			}
		})
	}
}

func TestAllowedBackends(t *testing.T) {
	ss, kw := keyring.SecretServiceBackend, keyring.KWalletBackend
	tests := []struct {
		name, goos string
		want       []keyring.BackendType
	}{
		{"", "linux", []keyring.BackendType{ss, kw}},
		{"", "darwin", []keyring.BackendType{keyring.KeychainBackend}},
		{"", "windows", []keyring.BackendType{keyring.WinCredBackend}},
		{"file", "darwin", []keyring.BackendType{keyring.FileBackend}},
		{"secret-service", "linux", []keyring.BackendType{ss}},
		{"kwallet", "linux", []keyring.BackendType{kw}},
	}
	for _, tt := range tests {
		got, err := allowedBackends(tt.name, tt.goos)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("allowedBackends(%q, %s) = %v, %v; want %v", tt.name, tt.goos, got, err, tt.want)
		}
	}
	for _, bad := range []string{"keyctl", "pass", "auto", "File"} {
		if _, err := allowedBackends(bad, "linux"); koppel.ErrorCode(err) != koppel.EInvalid {
			t.Errorf("allowedBackends(%q) error = %v, want invalid", bad, err)
		}
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Setenv("KOPPEL_KEYRING", " File ")
	t.Setenv("KOPPEL_KEYRING_PASSPHRASE", "pw with spaces ")
	dataDir := t.TempDir()
	got := ConfigFromEnv(dataDir)
	want := Config{Backend: "file", Passphrase: "pw with spaces ", FileDir: filepath.Join(dataDir, "keyring"), Service: "Koppel"}
	if got != want {
		t.Errorf("ConfigFromEnv = %#v, want %#v (passphrase %q)", got, want, got.Passphrase)
	}
}

func TestConfigPrintsNoPassphrase(t *testing.T) {
	cfg := Config{Backend: "file", Passphrase: "hunter2", FileDir: "/d", Service: "Koppel"}
	out := fmt.Sprintf("%v %+v %#v %s", cfg, cfg, &cfg, cfg)
	if strings.Contains(out, "hunter2") {
		t.Errorf("printing the config shows the passphrase: %s", out)
	}
	if !strings.Contains(out, "/d") {
		t.Errorf("printing the config hides too much: %s", out)
	}
}
