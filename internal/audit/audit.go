// Package audit reads Koppel's append-only, hash-chained audit trail and
// verifies it (R16).
package audit

import (
	"bytes"
	"context"
	"fmt"
	"strconv"

	"koppel/internal/koppel"
)

// Service reads and verifies the audit trail.
type Service struct {
	Store koppel.Store
	// Hash computes an event's hash the way the store wrote it.
	Hash func(*koppel.AuditEvent) []byte
}

// List returns events, newest first, optionally for one organization.
func (s *Service) List(ctx context.Context, orgRef string, limit int) ([]*koppel.AuditEvent, error) {
	var out []*koppel.AuditEvent
	err := s.Store.View(ctx, func(tx koppel.Tx) error {
		f := koppel.AuditFilter{Limit: limit}
		if orgRef != "" {
			o, err := koppel.FindOrganization(tx, orgRef)
			if err != nil {
				return err
			}
			f.OrganizationID = o.ID
		}
		var err error
		out, err = tx.AuditEvents(f)
		return err
	})
	return out, err
}

// Verified is the outcome of Verify.
type Verified struct {
	Events   int           // events checked
	BrokenAt int64         // id of the first event that does not fit the chain, 0 when sound
	Problem  string        // what is wrong with it, in English
	Says     koppel.Phrase // Problem, for the window's languages
}

// OK reports whether the chain is sound.
func (v *Verified) OK() bool { return v.BrokenAt == 0 }

// Verify walks the chain from the first event and reports the first event
// whose hash or link does not match: changed, inserted or removed rows.
func (s *Service) Verify(ctx context.Context) (*Verified, error) {
	res := &Verified{}
	var prev []byte
	var lastID int64
	errStop := fmt.Errorf("stop")
	err := s.Store.View(ctx, func(tx koppel.Tx) error {
		return tx.EachAuditEvent(func(e *koppel.AuditEvent) error {
			if prev == nil {
				prev = make([]byte, 32) // the first event links to zeros
			}
			switch {
			case lastID != 0 && e.ID != lastID+1:
				res.Says = koppel.Say("broken.missing", "from", strconv.FormatInt(lastID+1, 10), "to", strconv.FormatInt(e.ID-1, 10))
			case !bytes.Equal(e.PrevHash, prev):
				res.Says = koppel.Say("broken.unlinked")
			case !bytes.Equal(s.Hash(e), e.Hash):
				res.Says = koppel.Say("broken.changed")
			}
			if res.Says.Key != "" {
				res.Problem, res.BrokenAt = res.Says.English(), e.ID
				return errStop
			}
			res.Events++
			prev, lastID = e.Hash, e.ID
			return nil
		})
	})
	if err != nil && err != errStop {
		return nil, err
	}
	return res, nil
}
