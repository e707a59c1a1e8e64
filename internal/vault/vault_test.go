package vault

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"koppel/internal/koppel"
)

// testMaster returns a master key whose bytes are all b.
func testMaster(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

// newTestVault returns a Vault for testMaster(b).
func newTestVault(t testing.TB, b byte) *Vault {
	t.Helper()
	v, err := New(testMaster(b))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

const testSecret = "sk_0123456789abcdefghijABCDEFGHIJ0123456789abcdef"

func TestNewRefusesWrongLength(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33, 64} {
		_, err := New(make([]byte, n))
		if koppel.ErrorCode(err) != koppel.EInternal {
			t.Errorf("New(%d bytes) = %v, want an internal error", n, err)
		}
	}
}

func TestNewKeepsNoReferenceToMaster(t *testing.T) {
	master := testMaster(1)
	v, err := New(master)
	if err != nil {
		t.Fatal(err)
	}
	before := v.KeyCheck()
	clear(master)
	if !bytes.Equal(v.KeyCheck(), before) {
		t.Fatal("clearing the caller's slice changed the vault")
	}
}

func TestDeriveKeyIsHKDFSHA256WithPurposeAsInfo(t *testing.T) {
	master := testMaster(2)
	v := newTestVault(t, 2)
	for _, purpose := range []string{"", "psbapi/token/v1", "a", "b"} {
		want, err := hkdf.Key(sha256.New, master, nil, purpose, KeySize)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.DeriveKey(purpose); !bytes.Equal(got, want) {
			t.Errorf("DeriveKey(%q) = %x, want %x", purpose, got, want)
		}
	}
}

func TestDeriveKeySeparatesPurposesAndMasters(t *testing.T) {
	v1, v2 := newTestVault(t, 1), newTestVault(t, 2)
	purposes := []string{"", "a", "b", "ab", purposeVerifier, purposeSeal, purposeKeyCheck}
	seen := map[string]string{}
	for _, v := range []*Vault{v1, v2} {
		for _, p := range purposes {
			k := v.DeriveKey(p)
			if len(k) != KeySize {
				t.Fatalf("DeriveKey(%q) has %d bytes", p, len(k))
			}
			if !bytes.Equal(k, v.DeriveKey(p)) {
				t.Fatalf("DeriveKey(%q) is not stable", p)
			}
			id := fmt.Sprintf("%s %q", v.KeyCheck(), p)
			if other, dup := seen[hex.EncodeToString(k)]; dup {
				t.Fatalf("%s and %s derive the same key", id, other)
			}
			seen[hex.EncodeToString(k)] = id
		}
	}
	for _, m := range []byte{1, 2} {
		if _, dup := seen[hex.EncodeToString(testMaster(m))]; dup {
			t.Fatal("a derived key equals the master key")
		}
	}
}

func TestOwnKeysDeriveFromTheirPurposes(t *testing.T) {
	v := newTestVault(t, 3)
	s := koppel.NewSecret(testSecret)

	h := hmac.New(sha256.New, v.DeriveKey(purposeVerifier))
	h.Write([]byte(testSecret))
	if !bytes.Equal(v.Verifier(s), h.Sum(nil)) {
		t.Error("Verifier is not HMAC-SHA256 under the verifier purpose's key")
	}

	block, err := aes.NewCipher(v.DeriveKey(purposeSeal))
	if err != nil {
		t.Fatal(err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := v.Seal("ak_x", s)
	plain, err := gcm.Open(nil, sealed[:12], sealed[12:], []byte("ak_x"))
	if err != nil || string(plain) != testSecret {
		t.Errorf("Seal is not AES-256-GCM under the seal purpose's key with a 12-byte nonce prefix: %v", err)
	}

	check := v.KeyCheck()
	for _, p := range []string{purposeVerifier, purposeSeal, purposeKeyCheck} {
		if bytes.Equal(check, v.DeriveKey(p)) {
			t.Errorf("KeyCheck equals the key for %q", p)
		}
	}
}

func TestKeyCheck(t *testing.T) {
	a, b := newTestVault(t, 4), newTestVault(t, 4)
	if !bytes.Equal(a.KeyCheck(), b.KeyCheck()) {
		t.Error("KeyCheck differs for the same master key")
	}
	if bytes.Equal(a.KeyCheck(), newTestVault(t, 5).KeyCheck()) {
		t.Error("KeyCheck is the same for different master keys")
	}
	c := a.KeyCheck()
	c[0] ^= 0xff
	if bytes.Equal(a.KeyCheck(), c) {
		t.Error("KeyCheck returned the vault's own slice")
	}
}

func TestVerify(t *testing.T) {
	v := newTestVault(t, 6)
	s := koppel.NewSecret(testSecret)
	good := v.Verifier(s)
	if len(good) != sha256.Size {
		t.Fatalf("verifier has %d bytes", len(good))
	}
	flipped := bytes.Clone(good)
	flipped[len(flipped)-1] ^= 1

	tests := []struct {
		name     string
		vault    *Vault
		secret   string
		verifier []byte
		want     bool
	}{
		{"same secret", v, testSecret, good, true},
		{"other secret", v, testSecret[:len(testSecret)-1] + "x", good, false},
		{"empty secret", v, "", good, false},
		{"flipped bit", v, testSecret, flipped, false},
		{"truncated", v, testSecret, good[:16], false},
		{"nil", v, testSecret, nil, false},
		{"other master key", newTestVault(t, 7), testSecret, good, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.vault.Verify(koppel.NewSecret(tt.secret), tt.verifier); got != tt.want {
				t.Errorf("Verify = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSealOpenRoundTrip(t *testing.T) {
	v := newTestVault(t, 8)
	for _, secret := range []string{testSecret, "", "0123456789abcdef0123456789abcdef", strings.Repeat("é", 300)} {
		sealed, err := v.Seal("ak_one", koppel.NewSecret(secret))
		if err != nil {
			t.Fatal(err)
		}
		if want := 12 + len(secret) + 16; len(sealed) != want {
			t.Errorf("sealed %d bytes into %d, want %d", len(secret), len(sealed), want)
		}
		if secret != "" && bytes.Contains(sealed, []byte(secret)) {
			t.Error("sealed data holds the plain Secret")
		}
		got, err := v.Open("ak_one", sealed)
		if err != nil {
			t.Fatal(err)
		}
		if got.Reveal() != secret {
			t.Errorf("Open = %q, want %q", got.Reveal(), secret)
		}
	}
}

func TestSealUsesFreshNonces(t *testing.T) {
	v := newTestVault(t, 9)
	a, _ := v.Seal("ak", koppel.NewSecret(testSecret))
	b, _ := v.Seal("ak", koppel.NewSecret(testSecret))
	if bytes.Equal(a[:12], b[:12]) || bytes.Equal(a, b) {
		t.Error("two seals of the same Secret are equal")
	}
}

func TestOpenRefusesTamperedOrMisboundData(t *testing.T) {
	v := newTestVault(t, 10)
	sealed, _ := v.Seal("ak_one", koppel.NewSecret(testSecret))

	cases := map[string]struct {
		vault  *Vault
		appKey string
		data   []byte
	}{
		"wrong app key":    {v, "ak_two", sealed},
		"empty app key":    {v, "", sealed},
		"other master key": {newTestVault(t, 11), "ak_one", sealed},
		"truncated":        {v, "ak_one", sealed[:len(sealed)-1]},
		"too short":        {v, "ak_one", sealed[:20]},
		"empty":            {v, "ak_one", nil},
		"appended byte":    {v, "ak_one", append(bytes.Clone(sealed), 0)},
	}
	for i := range sealed {
		tampered := bytes.Clone(sealed)
		tampered[i] ^= 0x80
		cases[fmt.Sprintf("byte %d flipped", i)] = struct {
			vault  *Vault
			appKey string
			data   []byte
		}{v, "ak_one", tampered}
	}
	for name, c := range cases {
		got, err := c.vault.Open(c.appKey, c.data)
		var kerr *koppel.Error
		if !errors.As(err, &kerr) || kerr.Code != koppel.EInternal || kerr.Err == nil {
			t.Errorf("%s: Open error = %#v, want a *koppel.Error with code internal and a cause", name, err)
			continue
		}
		if !got.IsZero() {
			t.Errorf("%s: Open returned a Secret with its error", name)
		}
		if strings.Contains(kerr.Error(), testSecret) {
			t.Errorf("%s: the error holds the Secret", name)
		}
	}
}

func TestVaultPrintsNoKeyMaterial(t *testing.T) {
	v := newTestVault(t, 0xab)
	out := fmt.Sprintf("%v %+v %#v %s %x %q", v, v, v, v, v, v) +
		fmt.Sprintf("%+v", struct{ V *Vault }{v})
	js, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out += string(js)
	secrets := [][]byte{testMaster(0xab), v.prk, v.DeriveKey(purposeVerifier), v.DeriveKey(purposeSeal)}
	for _, k := range secrets {
		for _, form := range []string{string(k), hex.EncodeToString(k), fmt.Sprint(k), fmt.Sprintf("%x", k[:4])} {
			if strings.Contains(out, form) {
				t.Fatalf("printing the vault shows key material: %s", out)
			}
		}
	}
}

func TestVaultIsSafeForConcurrentUse(t *testing.T) {
	v := newTestVault(t, 12)
	s := koppel.NewSecret(testSecret)
	verifier := v.Verifier(s)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			appKey := fmt.Sprintf("ak_%d", i)
			for range 100 {
				sealed, _ := v.Seal(appKey, s)
				if got, err := v.Open(appKey, sealed); err != nil || got.Reveal() != testSecret {
					t.Errorf("Open: %v", err)
				}
				if !v.Verify(s, verifier) {
					t.Error("Verify failed")
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkVerify(b *testing.B) {
	v := newTestVault(b, 13)
	s := koppel.NewSecret(testSecret)
	verifier := v.Verifier(s)
	for b.Loop() {
		if !v.Verify(s, verifier) {
			b.Fatal("Verify failed")
		}
	}
}

func BenchmarkSeal(b *testing.B) {
	v := newTestVault(b, 14)
	s := koppel.NewSecret(testSecret)
	for b.Loop() {
		if _, err := v.Seal("ak_0123456789abcdefghij", s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	v := newTestVault(b, 15)
	sealed, _ := v.Seal("ak_0123456789abcdefghij", koppel.NewSecret(testSecret))
	for b.Loop() {
		if _, err := v.Open("ak_0123456789abcdefghij", sealed); err != nil {
			b.Fatal(err)
		}
	}
}
