// Package quickconnect takes pasted connection keys and binds their
// connection to a bookkeeping administration: a link (DESIGN §1, R7, R8,
// R13). It recognises a paste, applies a link with the pasted credential
// sealed by the vault, lists, tests and removes links.
package quickconnect

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strings"
	"sync"
	"time"

	"koppel/internal/administrations"
	"koppel/internal/connections"
	"koppel/internal/keys"
	"koppel/internal/koppel"
	"koppel/internal/settings"
)

// Service recognises pastes and applies, lists, tests and removes links.
type Service struct {
	Store           koppel.Store
	Vault           koppel.Vault
	Connections     *connections.Service
	Administrations *administrations.Service
	// Tester requests a token with a link's credential; nil reports that no
	// local API is available.
	Tester Tester
	Now    koppel.Clock
	Actor  string

	mu      sync.Mutex
	pending map[string]*pending
}

// pending is a recognised paste waiting for Apply. The Secret stays in Go:
// the window gets a token for it, never the Secret.
type pending struct {
	appKey  string
	secret  koppel.Secret
	expires time.Time
}

// Limits of what Recognise keeps.
const (
	pendingTTL = 15 * time.Minute
	maxPending = 16
)

// Recognised is what a paste was found to hold and where it belongs.
type Recognised struct {
	// Token names the paste for Apply; "" when Recognise was asked not to
	// keep it.
	Token         string
	AppKey        string
	SecretMasked  string // "sk_…" with all but the last four characters hidden
	Email         string // from the paste (the three-item layout), or ""
	Connection    *koppel.Connection
	Organizations []*koppel.Organization
	// Administrations may be chosen: of the connection's package and of its
	// organizations or of none.
	Administrations []*administrations.View
}

// Recognise reads the keys in text (any layout of DESIGN §3) and checks them
// against an active connection. It keeps the Secret for Apply under the
// returned token for 15 minutes.
func (s *Service) Recognise(ctx context.Context, text string) (*Recognised, error) {
	r, secret, err := s.recognise(ctx, text)
	if err != nil {
		return nil, err
	}
	r.Token = s.keep(r.AppKey, secret)
	return r, nil
}

func (s *Service) recognise(ctx context.Context, text string) (*Recognised, koppel.Secret, error) {
	p, err := keys.ParsePaste(text)
	if err != nil {
		return nil, koppel.Secret{}, err
	}
	if p.Foreign {
		return nil, koppel.Secret{}, koppel.Errorf(koppel.EInvalid,
			"These are eConnect keys, not keys Koppel issued. Quick Connect in Koppel takes the App Key and Secret of a Koppel connection.").
			WithKey("quickconnect.foreign")
	}
	r := &Recognised{AppKey: p.AppKey, SecretMasked: Mask(p.Secret.Reveal()), Email: p.Email}
	err = s.Store.View(ctx, func(tx koppel.Tx) error {
		c, err := s.check(tx, p.AppKey, p.Secret)
		if err != nil {
			return err
		}
		r.Connection = c
		if r.Organizations, err = organizationsOf(tx, c); err != nil {
			return err
		}
		r.Administrations, err = s.eligible(tx, c)
		return err
	})
	if err != nil {
		return nil, koppel.Secret{}, err
	}
	return r, p.Secret, nil
}

// check finds the connection of appKey and verifies secret against it.
func (s *Service) check(tx koppel.Tx, appKey string, secret koppel.Secret) (*koppel.Connection, error) {
	c, err := tx.ConnectionByAppKey(appKey)
	if koppel.ErrorCode(err) == koppel.ENotFound {
		return nil, koppel.Errorf(koppel.EInvalid,
			"Koppel has no connection with App Key %s. Was it deleted, or created in another Koppel? Create new connection keys and copy those.", appKey).
			WithKey("quickconnect.unknown_app_key", "appKey", appKey)
	}
	if err != nil {
		return nil, err
	}
	if !c.Active() {
		return nil, koppel.Errorf(koppel.EConflict,
			"Connection %d (%s) was revoked; its keys no longer work. Replace its keys and paste the new ones.", c.ID, c.AppKey).
			WithKey("quickconnect.revoked", "id", itoa(c.ID), "appKey", c.AppKey)
	}
	verifier, err := tx.Verifier(c.ID)
	if err != nil {
		return nil, err
	}
	if !s.Vault.Verify(secret, verifier) {
		return nil, koppel.Errorf(koppel.EInvalid,
			"The Secret does not belong to App Key %s. Copy both keys again from where they were shown; if the Secret is lost, replace the keys.", c.AppKey).
			WithKey("quickconnect.secret_mismatch", "appKey", c.AppKey)
	}
	return c, nil
}

// eligible lists the administrations c may be linked to.
func (s *Service) eligible(tx koppel.Tx, c *koppel.Connection) ([]*administrations.View, error) {
	list, err := tx.Administrations(koppel.AdministrationFilter{SoftwareID: c.Software.ID, OrganizationIDs: c.OrganizationIDs})
	if err != nil {
		return nil, err
	}
	out := make([]*administrations.View, len(list))
	for i, a := range list {
		out[i] = &administrations.View{Administration: a, Software: &c.Software}
		if a.OrganizationID != 0 {
			if out[i].Organization, err = tx.Organization(a.OrganizationID); err != nil {
				return nil, err
			}
		}
		links, err := tx.Links(koppel.LinkFilter{AdministrationID: a.ID, Status: koppel.StatusActive})
		if err != nil {
			return nil, err
		}
		if len(links) > 0 {
			out[i].LinkedConnectionID = links[0].ConnectionID
		}
	}
	return out, nil
}

// Forget drops a recognised paste (the window closed without applying).
func (s *Service) Forget(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.pending, token)
}

// keep stores the Secret under a new token, dropping expired and, past
// maxPending, the oldest pastes.
func (s *Service) keep(appKey string, secret koppel.Secret) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending == nil {
		s.pending = map[string]*pending{}
	}
	var oldest string
	for t, p := range s.pending {
		if now.After(p.expires) {
			delete(s.pending, t)
		} else if oldest == "" || p.expires.Before(s.pending[oldest].expires) {
			oldest = t
		}
	}
	if len(s.pending) >= maxPending {
		delete(s.pending, oldest)
	}
	s.pending[token] = &pending{appKey: appKey, secret: secret, expires: now.Add(pendingTTL)}
	return token
}

// take returns the paste kept under token.
func (s *Service) take(token string) (*pending, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pending[token]
	if !ok || s.Now().After(p.expires) {
		delete(s.pending, token)
		return nil, koppel.Errorf(koppel.EInvalid, "The pasted keys are no longer held (after 15 minutes they are forgotten). Paste them again.").
			WithKey("quickconnect.paste_expired")
	}
	return p, nil
}

// accountEmail returns the account email from Settings, or "".
func accountEmail(tx koppel.Tx) (string, error) {
	v, ok, err := tx.Setting(settings.AccountEmail)
	if err != nil || !ok {
		return "", err
	}
	return v, nil
}

func organizationsOf(tx koppel.Tx, c *koppel.Connection) ([]*koppel.Organization, error) {
	out := make([]*koppel.Organization, 0, len(c.OrganizationIDs))
	for _, id := range c.OrganizationIDs {
		o, err := tx.Organization(id)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// Mask hides all but the last four characters of a Secret after its prefix:
// "sk_••••••••3fA9". Shorter or unknown values are hidden whole.
func Mask(secret string) string {
	const keep = 4
	prefix := ""
	if strings.HasPrefix(secret, "sk_") {
		prefix, secret = "sk_", secret[3:]
	}
	if len(secret) <= 2*keep {
		return prefix + "••••••••"
	}
	return prefix + "••••••••" + secret[len(secret)-keep:]
}

// MaskEmail shows enough of an address to recognise it without spelling it
// out: "j•••@bakkerij.nl".
func MaskEmail(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" {
		return "•••"
	}
	r := []rune(local)
	return string(r[0]) + "•••@" + domain
}

func containsID(ids []int64, id int64) bool { return slices.Contains(ids, id) }
