package psbapi

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"hash"
	"io"
	"sync"
	"time"
)

// Access tokens are opaque to clients and self-verifying: the bytes
//
//	version (1) | connection id (8) | expiry, Unix seconds (8) |
//	organization id the token is limited to, 0 for all grants (8) |
//	random nonce (32) | HMAC-SHA256 of everything before it (32)
//
// in unpadded base64url (119 characters). Nothing is stored per token, so
// memory stays flat however many are issued; whether a token still works is
// decided on each call by its MAC, its expiry and its connection's status.
const (
	tokenVersion  = 1
	tokenLifetime = 3600 * time.Second

	nonceSize    = 32
	payloadSize  = 1 + 8 + 8 + 8 + nonceSize
	rawTokenSize = payloadSize + sha256.Size
)

// tokenEncoding is unpadded base64url: safe in headers, URLs and JSON.
var tokenEncoding = base64.RawURLEncoding

// tokenLen is the length of an encoded token.
var tokenLen = tokenEncoding.EncodedLen(rawTokenSize)

// claims is what a token says.
type claims struct {
	connID  int64
	expires int64 // Unix seconds
	orgID   int64 // 0: every organization the connection is granted
}

// tokenMaker mints and checks tokens with one key.
type tokenMaker struct {
	macs sync.Pool // of hash.Hash (HMAC-SHA256 under the token key)
	rand io.Reader // nil: crypto/rand
}

func newTokenMaker(key []byte, r io.Reader) *tokenMaker {
	t := &tokenMaker{rand: r}
	t.macs.New = func() any { return hmac.New(sha256.New, key) }
	return t
}

// mint appends a new token for c to dst.
func (t *tokenMaker) mint(dst []byte, c claims) ([]byte, error) {
	var raw [rawTokenSize]byte
	raw[0] = tokenVersion
	binary.BigEndian.PutUint64(raw[1:], uint64(c.connID))
	binary.BigEndian.PutUint64(raw[9:], uint64(c.expires))
	binary.BigEndian.PutUint64(raw[17:], uint64(c.orgID))
	nonce := raw[25:payloadSize]
	if t.rand == nil {
		rand.Read(nonce) // never fails (crypto/rand, Go 1.24+)
	} else if _, err := io.ReadFull(t.rand, nonce); err != nil {
		return dst, err
	}
	t.sum(raw[:payloadSize], raw[payloadSize:payloadSize])
	return tokenEncoding.AppendEncode(dst, raw[:]), nil
}

// check verifies tok's MAC and returns its claims; it does not look at the
// expiry.
func (t *tokenMaker) check(tok string) (claims, bool) {
	if len(tok) != tokenLen {
		return claims{}, false
	}
	var raw [rawTokenSize]byte
	if n, err := tokenEncoding.Decode(raw[:], []byte(tok)); err != nil || n != rawTokenSize || raw[0] != tokenVersion {
		return claims{}, false
	}
	var want [sha256.Size]byte
	t.sum(raw[:payloadSize], want[:0])
	if !hmac.Equal(want[:], raw[payloadSize:]) {
		return claims{}, false
	}
	return claims{
		connID:  int64(binary.BigEndian.Uint64(raw[1:])),
		expires: int64(binary.BigEndian.Uint64(raw[9:])),
		orgID:   int64(binary.BigEndian.Uint64(raw[17:])),
	}, true
}

// sum appends the MAC of payload to out.
func (t *tokenMaker) sum(payload, out []byte) []byte {
	h := t.macs.Get().(hash.Hash)
	h.Reset()
	h.Write(payload)
	out = h.Sum(out)
	t.macs.Put(h)
	return out
}
