package keys

import (
	"bytes"
	"errors"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"koppel/internal/koppel"
)

// Keys used throughout the tests. The first pair is what a Generator makes
// from the bytes 0, 1, 2, …; the second from 100, 101, 102, ….
const (
	testAppKey     = "ak_0123456789ABCDEFGHIJ"
	testSecret     = "sk_KLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx4Mqwt3"
	otherAppKey    = "ak_cdefghijklmnopqrstuv"
	otherSecret    = "sk_wxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ1qwFi7"
	foreignID      = "0123456789abcdef"
	foreignSecret  = "fedcba9876543210FEDCBA9876543210"
	secretFromZero = "sk_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcd2IbYnP"
)

// counting returns a reader of the bytes start, start+1, … (n of them).
func counting(start, n int) io.Reader {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(start + i)
	}
	return bytes.NewReader(b)
}

func TestGeneratorFixedReaderGivesFixedKeys(t *testing.T) {
	for _, tc := range []struct {
		start             int
		appKey, secretKey string
	}{
		{0, testAppKey, testSecret},
		{100, otherAppKey, otherSecret},
	} {
		g := Generator{Rand: counting(tc.start, 60)}
		a, err := g.AppKey()
		if err != nil || a != tc.appKey {
			t.Errorf("AppKey from %d = %q, %v; want %q", tc.start, a, err, tc.appKey)
		}
		s, err := g.Secret()
		if err != nil || s.Reveal() != tc.secretKey {
			t.Errorf("Secret from %d = %q, %v; want %q", tc.start, s.Reveal(), err, tc.secretKey)
		}
	}
	s, err := Generator{Rand: counting(0, 40)}.Secret()
	if err != nil || s.Reveal() != secretFromZero {
		t.Errorf("Secret from 0 = %q, %v; want %q", s.Reveal(), err, secretFromZero)
	}
}

func TestGeneratorDropsBytesThatWouldBias(t *testing.T) {
	// 248…255 are dropped; 62 and 247 wrap to the first and last character.
	in := []byte{248, 255, 0, 61, 250, 62, 247, 124}
	in = append(in, bytes.Repeat([]byte{1}, 16)...)
	a, err := Generator{Rand: bytes.NewReader(in)}.AppKey()
	if want := "ak_0z0z0" + strings.Repeat("1", 15); err != nil || a != want {
		t.Errorf("AppKey = %q, %v; want %q", a, err, want)
	}
}

func TestGeneratorFormatAndDistribution(t *testing.T) {
	g := Generator{Rand: rand.NewChaCha8([32]byte{7})}
	var counts [256]int
	const n = 3000
	for range n {
		a, err := g.AppKey()
		if err != nil || !ValidAppKey(a) {
			t.Fatalf("AppKey = %q, %v", a, err)
		}
		s, err := g.Secret()
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckSecret(s.Reveal()); err != nil {
			t.Fatalf("generated Secret fails its check: %v", err)
		}
		for _, c := range []byte(a[len(appKeyPrefix):] + s.Reveal()[len(secretPrefix):secretLen-checksumLen]) {
			counts[c]++
		}
	}
	// Chi-square over the 62 characters (61 degrees of freedom): around 61
	// for a uniform source; the bias of b%62 without rejection gives over 600.
	total := n * (appKeyRandom + secretRandom)
	expected := float64(total) / 62
	var chi2 float64
	for i := 0; i < len(base62); i++ {
		d := float64(counts[base62[i]]) - expected
		chi2 += d * d / expected
		counts[base62[i]] = 0
	}
	for c, k := range counts {
		if k != 0 {
			t.Fatalf("character %q is not base62", rune(c))
		}
	}
	if chi2 > 120 {
		t.Errorf("chi-square = %.1f over 62 characters; the draw is not uniform", chi2)
	}
}

func TestGeneratorDefaultsToCryptoRand(t *testing.T) {
	a1, err1 := Generator{}.AppKey()
	a2, err2 := Generator{}.AppKey()
	if err1 != nil || err2 != nil || !ValidAppKey(a1) || a1 == a2 {
		t.Errorf("AppKey() = %q, %v and %q, %v", a1, err1, a2, err2)
	}
}

func TestGeneratorReportsBrokenRandomness(t *testing.T) {
	for name, r := range map[string]io.Reader{
		"short":       counting(0, 10),
		"failing":     iotestErrReader{},
		"all rejects": bytes.NewReader(bytes.Repeat([]byte{0xff}, 1<<16)),
	} {
		if _, err := (Generator{Rand: r}).Secret(); koppel.ErrorCode(err) != koppel.EInternal {
			t.Errorf("%s: Secret() error = %v, want an internal error", name, err)
		}
	}
}

type iotestErrReader struct{}

func (iotestErrReader) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

// TestChecksumIsCRC32 decodes a Secret's last 6 characters independently and
// compares them with the CRC32 of the rest.
func TestChecksumIsCRC32(t *testing.T) {
	for _, s := range []string{testSecret, otherSecret, secretFromZero} {
		var n uint64
		for _, c := range []byte(s[secretLen-checksumLen:]) {
			n = n*62 + uint64(strings.IndexByte(base62, c))
		}
		if want := crc32.ChecksumIEEE([]byte(s[:secretLen-checksumLen])); n != uint64(want) {
			t.Errorf("checksum of %q decodes to %d, want %d", s, n, want)
		}
	}
	// A CRC below 62^5 is written with a leading zero.
	padded := false
	for i := 0; i < len(base62) && !padded; i++ {
		body := "sk_" + strings.Repeat(base62[i:i+1], secretRandom)
		if crc32.ChecksumIEEE([]byte(body)) < 62*62*62*62*62 {
			sum := checksum(body)
			padded = sum[0] == '0'
			if !padded || CheckSecret(body+string(sum[:])) != nil {
				t.Errorf("checksum(%q) = %q, want a leading zero and a valid Secret", body, sum)
			}
		}
	}
	if !padded {
		t.Error("found no body with a small CRC to test the padding")
	}
}

func TestCheckSecretDetectsAnySingleCharacterChange(t *testing.T) {
	for i := len(secretPrefix); i < secretLen; i++ {
		for j := 0; j < len(base62); j++ {
			if base62[j] == testSecret[i] {
				continue
			}
			changed := testSecret[:i] + base62[j:j+1] + testSecret[i+1:]
			if CheckSecret(changed) == nil {
				t.Fatalf("changing position %d to %q went unnoticed", i+1, base62[j])
			}
		}
	}
}

func TestCheckSecret(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string // want: a part of the message, "" for valid
	}{
		{"valid", testSecret, ""},
		{"valid from zero", secretFromZero, ""},
		{"empty", "", "the Secret is empty"},
		{"wrong prefix", "pk_" + testSecret[3:], `a Secret starts with "sk_"`},
		{"upper-case prefix", "SK_" + testSecret[3:], `a Secret starts with "sk_"`},
		{"an App Key", testAppKey, "this is an App Key, not a Secret"},
		{"bad character", testSecret[:10] + "-" + testSecret[11:], `contains "-" at position 11`},
		{"space", testSecret[:10] + " " + testSecret[11:], "contains a space at position 11"},
		{"zero-width space", testSecret[:10] + "\u200b" + testSecret[10:], "invisible character (U+200B) at position 11"},
		{"trailing full stop", testSecret + ".", `contains "." at position 50`},
		{"invalid UTF-8", testSecret[:10] + "\xff", "an unreadable character at position 11"},
		{"truncated", testSecret[:45], "has 45 characters instead of 49, so part of it is missing"},
		{"too long", testSecret + "A", "has 50 characters instead of 49"},
		{"checksum", testSecret[:20] + "Z" + testSecret[21:], "the Secret's checksum does not match — was it copied whole?"},
		{"foreign", foreignSecret, `a Secret starts with "sk_"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckSecret(tc.in)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("CheckSecret = %v, want nil", err)
				}
				return
			}
			assertInvalid(t, err, tc.want)
		})
	}
}

func TestValidAppKey(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{testAppKey, true},
		{otherAppKey, true},
		{"", false},
		{"ak_", false},
		{testAppKey[:22], false},
		{testAppKey + "A", false},
		{"AK_" + testAppKey[3:], false},
		{"sk_" + testAppKey[3:], false},
		{"ak_0123456789ABCDEFGH-J", false},
		{"ak_0123456789ABCDEFGHé", false},
		{foreignID, false},
	} {
		if got := ValidAppKey(tc.in); got != tc.want {
			t.Errorf("ValidAppKey(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestIsForeign(t *testing.T) {
	for _, tc := range []struct {
		in             string
		id, secretForm bool
	}{
		{foreignID, true, false},
		{strings.ToUpper(foreignID), true, false},
		{foreignSecret, false, true},
		{foreignID[:15], false, false},
		{foreignID + "0", false, false},
		{"0123456789abcdeg", false, false},
		{foreignSecret[:31] + "x", false, false},
		{testAppKey, false, false},
		{"", false, false},
	} {
		if got := IsForeignClientID(tc.in); got != tc.id {
			t.Errorf("IsForeignClientID(%q) = %v, want %v", tc.in, got, tc.id)
		}
		if got := IsForeignSecret(tc.in); got != tc.secretForm {
			t.Errorf("IsForeignSecret(%q) = %v, want %v", tc.in, got, tc.secretForm)
		}
	}
}

// assertInvalid checks that err is a *koppel.Error with code EInvalid whose
// message contains want.
func assertInvalid(t *testing.T, err error, want string) {
	t.Helper()
	var e *koppel.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want a *koppel.Error", err, err)
	}
	if e.Code != koppel.EInvalid {
		t.Errorf("code = %q, want %q", e.Code, koppel.EInvalid)
	}
	if !strings.Contains(e.Message, want) {
		t.Errorf("message = %q\nwant it to contain %q", e.Message, want)
	}
}

func BenchmarkCheckSecret(b *testing.B) {
	for b.Loop() {
		if err := CheckSecret(testSecret); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	var g Generator // crypto/rand, as in production
	for b.Loop() {
		if _, err := g.AppKey(); err != nil {
			b.Fatal(err)
		}
		if _, err := g.Secret(); err != nil {
			b.Fatal(err)
		}
	}
}
