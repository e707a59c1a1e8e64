// Package vault keeps Koppel's master key and does everything that needs it:
// Secret verifiers, sealing of link credentials, the key check and derived
// keys. The master key lives in the OS keychain (see Open); it never leaves
// this package.
package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"hash"
	"sync"

	"koppel/internal/koppel"
)

// KeySize is the length of the master key in bytes.
const KeySize = 32

// Purposes of the vault's own derived keys, used as HKDF info. Callers of
// DeriveKey must choose other purpose strings.
const (
	purposeVerifier = "koppel/vault/verifier/v1"
	purposeSeal     = "koppel/vault/seal/v1"
	purposeKeyCheck = "koppel/vault/key-check/v1"
)

// Vault holds the master key and the keys derived from it. It is safe for
// concurrent use. It implements koppel.Vault.
type Vault struct {
	prk       []byte      // HKDF pseudorandom key extracted from the master key
	verifiers sync.Pool   // of HMAC-SHA256 hashes keyed for Secret verifiers
	aead      cipher.AEAD // AES-256-GCM with random nonces, for link credentials
	keyCheck  []byte
	backend   string
}

var _ koppel.Vault = (*Vault)(nil)

// New returns a Vault for master, which must be KeySize bytes. The Vault
// keeps no reference to master; the caller may clear it afterwards.
func New(master []byte) (*Vault, error) {
	if len(master) != KeySize {
		return nil, &koppel.Error{
			Code:    koppel.EInternal,
			Message: "Koppel's master key has the wrong length.",
			Err:     fmt.Errorf("vault: master key is %d bytes, want %d", len(master), KeySize),
		}
	}
	prk, err := hkdf.Extract(sha256.New, master, nil)
	if err != nil {
		return nil, koppel.Internal("derive keys from the master key", err)
	}
	v := &Vault{prk: prk}
	verifyKey := v.DeriveKey(purposeVerifier)
	v.verifiers.New = func() any { return hmac.New(sha256.New, verifyKey) }
	block, err := aes.NewCipher(v.DeriveKey(purposeSeal))
	if err != nil {
		return nil, koppel.Internal("set up encryption", err)
	}
	if v.aead, err = cipher.NewGCMWithRandomNonce(block); err != nil {
		return nil, koppel.Internal("set up encryption", err)
	}
	v.keyCheck = mac(v.DeriveKey(purposeKeyCheck), []byte(purposeKeyCheck))
	return v, nil
}

// Backend returns the name of the keyring backend the master key came from
// ("secret-service", "keychain", "wincred", "kwallet", "file"), or "" for a
// Vault made with New.
func (v *Vault) Backend() string { return v.backend }

// DeriveKey returns a 32-byte key for purpose: HKDF-SHA256 of the master key
// with purpose as info. Distinct purposes give independent keys. Purposes
// beginning with "koppel/vault/" are reserved for the vault itself.
func (v *Vault) DeriveKey(purpose string) []byte {
	key, err := hkdf.Expand(sha256.New, v.prk, purpose, KeySize)
	if err != nil {
		// Expand fails only for lengths over 255 hash sizes.
		panic("vault: " + err.Error())
	}
	return key
}

// Verifier returns HMAC-SHA256 of the Secret under the verifier key.
func (v *Vault) Verifier(s koppel.Secret) []byte {
	h := v.verifiers.Get().(hash.Hash)
	defer v.verifiers.Put(h)
	h.Reset()
	h.Write([]byte(s.Reveal()))
	return h.Sum(nil)
}

// Verify reports whether verifier belongs to s, comparing in constant time.
func (v *Vault) Verify(s koppel.Secret, verifier []byte) bool {
	return hmac.Equal(v.Verifier(s), verifier)
}

// Seal encrypts s with AES-256-GCM under the sealing key, binding appKey as
// associated data. The result is a random 12-byte nonce followed by the
// ciphertext and tag.
func (v *Vault) Seal(appKey string, s koppel.Secret) ([]byte, error) {
	return v.aead.Seal(nil, nil, []byte(s.Reveal()), []byte(appKey)), nil
}

// Open decrypts what Seal made for the same appKey. Damaged data, another
// appKey or another master key give an error with code EInternal.
func (v *Vault) Open(appKey string, sealed []byte) (koppel.Secret, error) {
	plain, err := v.aead.Open(nil, nil, sealed, []byte(appKey))
	if err != nil {
		return koppel.Secret{}, &koppel.Error{
			Code:    koppel.EInternal,
			Message: "Koppel could not decrypt the stored credential of this link. Paste the keys again to replace it.",
			Err:     fmt.Errorf("open sealed credential for %s: %w", appKey, err),
		}
	}
	return koppel.NewSecret(string(plain)), nil
}

// KeyCheck returns a value that identifies the master key without revealing
// it or any key derived from it, so a data folder can tell a wrong keychain
// item.
func (v *Vault) KeyCheck() []byte {
	return append([]byte(nil), v.keyCheck...)
}

// Format prints the Vault without any key material, whatever the verb.
func (v *Vault) Format(f fmt.State, _ rune) {
	_, _ = fmt.Fprintf(f, "vault(%s)", v.backend)
}

// mac returns HMAC-SHA256 of msg under key.
func mac(key, msg []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(msg)
	return h.Sum(nil)
}
