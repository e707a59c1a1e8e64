package vault

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/99designs/keyring"

	"koppel/internal/koppel"
)

// itemDesc describes the keychain item that holds the master key.
const itemDesc = "The key that protects Koppel's data. Without it Koppel's stored credentials cannot be read."

// itemKey returns the key (and label) of the master key's keychain item for
// service. It names the service because on the Secret Service the item
// shares a collection with other programs' items.
func itemKey(service string) string { return service + " master key" }

// DefaultService is the keyring service name used when Config.Service is
// empty.
const DefaultService = "Koppel"

// BackendFile is the Config.Backend value for the passphrase-protected file.
const BackendFile = string(keyring.FileBackend)

// Config says where the master key lives.
type Config struct {
	// Backend is "" for the OS keychain (macOS Keychain; Windows Credential
	// Manager; on Linux the Secret Service, then KWallet), "file" for an
	// encrypted file, or one OS backend by name: "keychain", "wincred",
	// "secret-service", "kwallet".
	Backend string
	// Passphrase unlocks the "file" backend. It is required there; Koppel
	// never prompts on a terminal.
	Passphrase string `json:"-"`
	// FileDir is the folder of the "file" backend.
	FileDir string
	// Service is the keyring service name; default DefaultService.
	Service string
}

// Format prints the Config without its passphrase, whatever the verb.
func (c Config) Format(f fmt.State, _ rune) {
	_, _ = fmt.Fprintf(f, "{Backend:%q FileDir:%q Service:%q Passphrase:[redacted]}", c.Backend, c.FileDir, c.Service)
}

// ConfigFromEnv reads KOPPEL_KEYRING and KOPPEL_KEYRING_PASSPHRASE. The file
// backend keeps its file in dataDir/keyring.
func ConfigFromEnv(dataDir string) Config {
	return Config{
		Backend:    strings.ToLower(strings.TrimSpace(os.Getenv("KOPPEL_KEYRING"))),
		Passphrase: os.Getenv("KOPPEL_KEYRING_PASSPHRASE"),
		FileDir:    filepath.Join(dataDir, "keyring"),
		Service:    DefaultService,
	}
}

// Open loads the master key from the keyring cfg names, creating it from rand
// on first start, and returns a ready Vault; Vault.Backend tells which
// backend was used. Backends are tried only in the order allowed for this
// OS; when none is available, Open returns an error that says what to do.
func Open(cfg Config, rand io.Reader) (*Vault, error) {
	if cfg.Service == "" {
		cfg.Service = DefaultService
	}
	backends, err := allowedBackends(cfg.Backend, runtime.GOOS)
	if err != nil {
		return nil, err
	}
	if cfg.Backend == BackendFile {
		if err := checkFileConfig(cfg); err != nil {
			return nil, err
		}
	}
	for _, b := range backends {
		kr, err := keyring.Open(keyringConfig(cfg, b))
		if errors.Is(err, keyring.ErrNoAvailImpl) {
			continue
		}
		if err != nil {
			return nil, koppel.Internal("open "+describeBackend(b), err)
		}
		return openKeyring(kr, string(b), cfg.Service, rand)
	}
	return nil, noBackendError(backends, runtime.GOOS)
}

// allowedBackends returns the backends to try, in order, for the configured
// name on the OS goos.
func allowedBackends(name, goos string) ([]keyring.BackendType, error) {
	switch keyring.BackendType(name) {
	case "":
		return osBackends(goos), nil
	case keyring.FileBackend, keyring.KeychainBackend, keyring.WinCredBackend,
		keyring.SecretServiceBackend, keyring.KWalletBackend:
		return []keyring.BackendType{keyring.BackendType(name)}, nil
	}
	return nil, koppel.Errorf(koppel.EInvalid,
		"KOPPEL_KEYRING is %q, which Koppel does not know. Leave it empty to use the system keychain, "+
			"or set it to \"file\" (with KOPPEL_KEYRING_PASSPHRASE), \"keychain\", \"wincred\", \"secret-service\" or \"kwallet\".", name)
}

// osBackends returns the OS keychain backends for goos, in order of
// preference.
func osBackends(goos string) []keyring.BackendType {
	switch goos {
	case "darwin":
		return []keyring.BackendType{keyring.KeychainBackend}
	case "windows":
		return []keyring.BackendType{keyring.WinCredBackend}
	default:
		return []keyring.BackendType{keyring.SecretServiceBackend, keyring.KWalletBackend}
	}
}

// checkFileConfig refuses a file backend without a passphrase or folder.
func checkFileConfig(cfg Config) error {
	if cfg.Passphrase == "" {
		return koppel.Errorf(koppel.EInvalid,
			"The file keychain needs a passphrase: set KOPPEL_KEYRING_PASSPHRASE, or leave KOPPEL_KEYRING empty to use the system keychain.")
	}
	if cfg.FileDir == "" {
		return koppel.Internal("open the keychain file", errors.New("vault: file backend without a folder"))
	}
	return nil
}

// keyringConfig returns the keyring configuration that allows only b.
func keyringConfig(cfg Config, b keyring.BackendType) keyring.Config {
	kc := keyring.Config{
		AllowedBackends:                []keyring.BackendType{b},
		ServiceName:                    cfg.Service,
		KeychainTrustApplication:       true,
		KeychainSynchronizable:         false,
		KeychainAccessibleWhenUnlocked: true,
		KWalletAppID:                   cfg.Service,
		KWalletFolder:                  cfg.Service,
		WinCredPrefix:                  cfg.Service,
		FileDir:                        cfg.FileDir,
		FilePasswordFunc:               fixedPassphrase(cfg.Passphrase),
	}
	if b == keyring.SecretServiceBackend {
		kc.LibSecretCollectionName = secretServiceCollection()
	}
	return kc
}

// fixedPassphrase returns a keyring prompt that answers with p and never
// reads a terminal; an empty p is an error.
func fixedPassphrase(p string) keyring.PromptFunc {
	return func(string) (string, error) {
		if p == "" {
			return "", errors.New("vault: no passphrase for the keychain file")
		}
		return p, nil
	}
}

// openKeyring loads service's master key from kr, creating it from rand
// when kr has none, and returns a Vault that reports backend.
func openKeyring(kr keyring.Keyring, backend, service string, rand io.Reader) (*Vault, error) {
	master, err := loadOrCreate(kr, backend, itemKey(service), rand)
	if err != nil {
		return nil, err
	}
	defer clear(master)
	v, err := New(master)
	if err != nil {
		return nil, err
	}
	v.backend = backend
	return v, nil
}

// loadOrCreate returns the stored master key, or stores a new one. After
// storing it reads the item back and returns what is stored, so two first
// starts racing each other end up with the key that won.
func loadOrCreate(kr keyring.Keyring, backend, key string, rand io.Reader) ([]byte, error) {
	master, err := load(kr, backend, key)
	if !errors.Is(err, keyring.ErrKeyNotFound) {
		return master, err
	}
	fresh := make([]byte, KeySize)
	defer clear(fresh)
	if _, err := io.ReadFull(rand, fresh); err != nil {
		return nil, koppel.Internal("create a master key", err)
	}
	err = kr.Set(keyring.Item{
		Key:                       key,
		Data:                      bytes.Clone(fresh), // the keyring may keep it
		Label:                     key,
		Description:               itemDesc,
		KeychainNotSynchronizable: true,
	})
	if err != nil {
		return nil, keyringError(backend, "store its new master key in", err)
	}
	master, err = load(kr, backend, key)
	if errors.Is(err, keyring.ErrKeyNotFound) {
		return nil, keyringError(backend, "find its new master key in", err)
	}
	return master, err
}

// load reads the master key item. A missing item gives an error matching
// keyring.ErrKeyNotFound; an item of the wrong length is an error and is
// left as it is.
func load(kr keyring.Keyring, backend, key string) ([]byte, error) {
	item, err := kr.Get(key)
	if errors.Is(err, keyring.ErrKeyNotFound) {
		return nil, err
	}
	if err != nil {
		return nil, keyringError(backend, "read its master key from", err)
	}
	if len(item.Data) != KeySize {
		return nil, &koppel.Error{
			Code: koppel.EInternal,
			Message: fmt.Sprintf("The item %q in %s is not a Koppel master key (it has the wrong length). "+
				"Koppel has left it untouched; restore the right item, for example from a backup of your keychain.", key, describeBackend(keyring.BackendType(backend))),
			Err: fmt.Errorf("vault: keychain item %q is %d bytes, want %d", key, len(item.Data), KeySize),
		}
	}
	return bytes.Clone(item.Data), nil // the keyring may keep item.Data
}

// keyringError reports a keyring failure in plain words: what Koppel could
// not do with which backend.
func keyringError(backend, what string, err error) *koppel.Error {
	msg := fmt.Sprintf("Koppel could not %s %s.", what, describeBackend(keyring.BackendType(backend)))
	if backend == BackendFile {
		msg += " Check that KOPPEL_KEYRING_PASSPHRASE is the passphrase the file was made with."
	} else {
		msg += " Check that it is unlocked."
	}
	return &koppel.Error{Code: koppel.EInternal, Message: msg, Err: fmt.Errorf("vault: %s: %w", backend, err)}
}

// noBackendError says that none of backends could be opened and what the
// user can do about it.
func noBackendError(backends []keyring.BackendType, goos string) *koppel.Error {
	names := make([]string, len(backends))
	for i, b := range backends {
		names[i] = describeBackend(b)
	}
	msg := fmt.Sprintf("Koppel could not reach %s to keep its master key. ", strings.Join(names, " or "))
	if goos == "darwin" || goos == "windows" {
		msg += "Start or unlock your system keychain, "
	} else {
		msg += "Start or unlock your system keychain (a Secret Service such as gnome-keyring, or KWallet), "
	}
	msg += "or set KOPPEL_KEYRING=file and KOPPEL_KEYRING_PASSPHRASE to keep the key in an encrypted file in Koppel's data folder."
	return &koppel.Error{
		Code:    koppel.EInternal,
		Message: msg,
		Err:     fmt.Errorf("vault: backends %v on %s: %w", backends, goos, keyring.ErrNoAvailImpl),
	}
}

// describeBackend names a backend for people, with its article.
func describeBackend(b keyring.BackendType) string {
	switch b {
	case keyring.KeychainBackend:
		return "the macOS Keychain"
	case keyring.WinCredBackend:
		return "the Windows Credential Manager"
	case keyring.SecretServiceBackend:
		return "the Secret Service (such as gnome-keyring)"
	case keyring.KWalletBackend:
		return "KWallet"
	case keyring.FileBackend:
		return "the encrypted keychain file"
	}
	return "the " + string(b) + " keychain"
}
