// Package keys makes and checks Koppel's connection keys, writes the Quick
// Connect text and reads whatever a user pastes (DESIGN §3).
//
// An App Key is "ak_" and 20 base62 characters. A Secret is "sk_", 40 base62
// characters and 6 base62 characters of CRC32 over everything before them, so
// a typo or a half-copied Secret is caught before it reaches a server.
package keys

import (
	"crypto/rand"
	"fmt"
	"hash/crc32"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"koppel/internal/koppel"
)

// The parts of Koppel's key formats.
const (
	appKeyPrefix = "ak_"
	secretPrefix = "sk_"
	appKeyRandom = 20 // random characters in an App Key
	secretRandom = 40 // random characters in a Secret
	checksumLen  = 6  // checksum characters at the end of a Secret

	appKeyLen = len(appKeyPrefix) + appKeyRandom               // 23
	secretLen = len(secretPrefix) + secretRandom + checksumLen // 49
)

// The lengths of keys issued by eConnect, in hexadecimal characters.
const (
	foreignClientIDLen = 16
	foreignSecretLen   = 32
)

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// isBase62 tells which ASCII characters are in base62.
var isBase62 = func() (t [utf8.RuneSelf]bool) {
	for i := 0; i < len(base62); i++ {
		t[base62[i]] = true
	}
	return t
}()

// unbiasedLimit is the largest multiple of 62 that a byte can hold (4 × 62).
// Random bytes at or above it are dropped, so every character is equally likely.
const unbiasedLimit = 248

// maxRandomReads bounds the reads for one key, so a broken source that only
// yields rejected bytes fails instead of hanging.
const maxRandomReads = 100

// Generator makes key material from Rand: crypto/rand.Reader in production, a
// fixed reader in tests. A nil Rand means crypto/rand.Reader.
type Generator struct{ Rand io.Reader }

// AppKey returns a new App Key: "ak_" and 20 random base62 characters.
func (g Generator) AppKey() (string, error) {
	body, err := g.randomBase62(appKeyRandom)
	if err != nil {
		return "", err
	}
	return appKeyPrefix + body, nil
}

// Secret returns a new Secret: "sk_", 40 random base62 characters and their
// 6-character checksum.
func (g Generator) Secret() (koppel.Secret, error) {
	body, err := g.randomBase62(secretRandom)
	if err != nil {
		return koppel.Secret{}, err
	}
	s := secretPrefix + body
	sum := checksum(s)
	return koppel.NewSecret(s + string(sum[:])), nil
}

// randomBase62 returns n base62 characters drawn uniformly from g.Rand, by
// rejection sampling: a byte below unbiasedLimit picks character b%62, any
// other byte is dropped. It reads only as many bytes as it still needs.
func (g Generator) randomBase62(n int) (string, error) {
	src := g.Rand
	if src == nil {
		src = rand.Reader
	}
	out := make([]byte, 0, n)
	buf := make([]byte, n)
	for reads := 0; len(out) < n; reads++ {
		if reads == maxRandomReads {
			return "", koppel.Internal("generate key material", fmt.Errorf("random source gave too few usable bytes"))
		}
		chunk := buf[:n-len(out)]
		if _, err := io.ReadFull(src, chunk); err != nil {
			return "", koppel.Internal("generate key material", err)
		}
		for _, b := range chunk {
			if b < unbiasedLimit {
				out = append(out, base62[b%62])
			}
		}
	}
	return string(out), nil
}

// checksum returns the CRC32 (IEEE) of s as 6 base62 characters, most
// significant first, padded with zeros. 62^6 exceeds 2^32, so every CRC fits.
func checksum(s string) [checksumLen]byte {
	n := crc32.Update(0, crc32.IEEETable, []byte(s))
	var b [checksumLen]byte
	for i := checksumLen - 1; i >= 0; i-- {
		b[i] = base62[n%62]
		n /= 62
	}
	return b
}

// ValidAppKey reports whether s has the form of a Koppel App Key. It checks
// the format only, not whether the key was ever issued.
func ValidAppKey(s string) bool { return appKeyProblem(s) == nil }

// CheckSecret returns nil if s has the form of a Koppel Secret with a
// matching checksum, or an EInvalid error that says what is wrong. The error
// never contains the characters of s. Its key is "paste.unusable." and the
// problem's key (see secretProblem), with the same params as ParsePaste's.
func CheckSecret(s string) error {
	if p := secretProblem(s); p != nil {
		return p.asError(secretSentence, secretKeyPrefix)
	}
	return nil
}

// IsForeignClientID reports whether s has the form of an eConnect client id:
// 16 hexadecimal characters.
func IsForeignClientID(s string) bool { return len(s) == foreignClientIDLen && isHex(s) }

// IsForeignSecret reports whether s has the form of an eConnect client secret:
// 32 hexadecimal characters.
func IsForeignSecret(s string) bool { return len(s) == foreignSecretLen && isHex(s) }

// appKeyProblem says what is wrong with s as a Koppel App Key, or returns
// nil. It never quotes s.
func appKeyProblem(s string) *problem {
	if s == "" {
		return newProblem("key_empty", "the App Key is empty.", "what", fieldAppKey.param())
	}
	body, ok := strings.CutPrefix(s, appKeyPrefix)
	if !ok {
		return newProblem("app_key_prefix", `an App Key starts with "ak_"; this one does not.`)
	}
	if p := charProblem(fieldAppKey, appKeyPrefix, body); p != nil {
		return p
	}
	return lengthProblem(fieldAppKey, len(s), appKeyLen)
}

// secretProblem says what is wrong with s as a Koppel Secret, or returns
// nil. It never quotes s.
func secretProblem(s string) *problem {
	if s == "" {
		return newProblem("key_empty", "the Secret is empty.", "what", fieldSecret.param())
	}
	if strings.HasPrefix(s, appKeyPrefix) {
		return newProblem("secret_is_app_key", `this is an App Key, not a Secret; a Secret starts with "sk_".`)
	}
	body, ok := strings.CutPrefix(s, secretPrefix)
	if !ok {
		return newProblem("secret_prefix", `a Secret starts with "sk_"; this one does not.`)
	}
	if p := charProblem(fieldSecret, secretPrefix, body); p != nil {
		return p
	}
	if p := lengthProblem(fieldSecret, len(s), secretLen); p != nil {
		return p
	}
	split := secretLen - checksumLen
	if sum := checksum(s[:split]); string(sum[:]) != s[split:] {
		return newProblem("checksum", "the Secret's checksum does not match — was it copied whole?")
	}
	return nil
}

// charProblem names the first character of body that is not base62, with its
// position counted from the start of the key, or returns nil. Its key is
// "character" (param char), or for a character that cannot be shown in
// quotes "character_space", "character_invisible" (param code, "U+200B")
// or "character_unreadable"; all have the params what, pos and prefix.
func charProblem(what field, prefix, body string) *problem {
	pos := utf8.RuneCountInString(prefix)
	for _, r := range body {
		pos++
		if r >= utf8.RuneSelf || !isBase62[r] {
			key, desc, params := describeRune(r)
			return newProblem(key,
				fmt.Sprintf("the %s contains %s at position %d; only letters and digits may follow %q.", what.name(), desc, pos, prefix),
				append([]string{"what", what.param(), "pos", strconv.Itoa(pos), "prefix", prefix}, params...)...)
		}
	}
	return nil
}

// lengthProblem compares a key's length with the length it should have:
// "too_short" or "too_long", with the params what, count and want.
func lengthProblem(what field, got, want int) *problem {
	params := []string{"what", what.param(), "count", strconv.Itoa(got), "want", strconv.Itoa(want)}
	switch {
	case got < want:
		return newProblem("too_short",
			fmt.Sprintf("the %s has %d characters instead of %d, so part of it is missing.", what.name(), got, want), params...)
	case got > want:
		return newProblem("too_long",
			fmt.Sprintf("the %s has %d characters instead of %d; was something else copied with it?", what.name(), got, want), params...)
	}
	return nil
}

// describeRune names a character for a message: visible characters in
// quotes, others by their code point. It returns the key of charProblem, the
// English description and the params that name the character.
func describeRune(r rune) (key, desc string, params []string) {
	switch {
	case r == ' ':
		return "character_space", "a space", nil
	case r == utf8.RuneError:
		return "character_unreadable", "an unreadable character", nil
	case unicode.IsGraphic(r) && !unicode.IsSpace(r):
		return "character", fmt.Sprintf("%q", string(r)), []string{"char", string(r)}
	}
	code := fmt.Sprintf("U+%04X", r)
	return "character_invisible", "an invisible character (" + code + ")", []string{"code", code}
}

// isHex reports whether s is non-empty and all hexadecimal digits.
func isHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
