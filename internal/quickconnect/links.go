package quickconnect

import (
	"context"
	"strings"

	"koppel/internal/koppel"
)

// LinkView is a link with its administration and connection.
type LinkView struct {
	*koppel.Link
	Administration *koppel.Administration
	Connection     *koppel.Connection
}

// Tester requests a token from the local API with a credential, as the
// software would, and lists the parties it reaches.
type Tester interface {
	Test(ctx context.Context, appKey string, secret koppel.Secret) (*TestResult, error)
}

// TestResult is what a link test found. A refused credential or an API that
// does not answer is a result with OK false and a Problem, not an error.
type TestResult struct {
	OK      bool
	Parties []TestParty
	// Problem says, when not OK, what went wrong, in English; ProblemKey
	// and ProblemParams name it for translation.
	Problem       string
	ProblemKey    string
	ProblemParams map[string]string
}

// TestParty is one party the credential reaches.
type TestParty struct {
	PartyID    string
	Name       string
	CanSend    bool
	CanReceive bool
}

// Links returns the links that match f, oldest first.
func (s *Service) Links(ctx context.Context, f koppel.LinkFilter) ([]*LinkView, error) {
	var out []*LinkView
	err := s.Store.View(ctx, func(tx koppel.Tx) error {
		links, err := tx.Links(f)
		if err != nil {
			return err
		}
		conns := map[int64]*koppel.Connection{}
		for _, l := range links {
			v, err := view(tx, l, conns)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

// Link returns the link with id.
func (s *Service) Link(ctx context.Context, id int64) (*LinkView, error) {
	var v *LinkView
	err := s.Store.View(ctx, func(tx koppel.Tx) error {
		l, err := tx.Link(id)
		if err != nil {
			return err
		}
		v, err = view(tx, l, map[int64]*koppel.Connection{})
		return err
	})
	return v, err
}

func view(tx koppel.Tx, l *koppel.Link, conns map[int64]*koppel.Connection) (*LinkView, error) {
	a, err := tx.Administration(l.AdministrationID)
	if err != nil {
		return nil, err
	}
	c, ok := conns[l.ConnectionID]
	if !ok {
		if c, err = tx.Connection(l.ConnectionID); err != nil {
			return nil, err
		}
		conns[l.ConnectionID] = c
	}
	return &LinkView{Link: l, Administration: a, Connection: c}, nil
}

// Remove deletes a link and its sealed credential; the connection stays.
func (s *Service) Remove(ctx context.Context, id int64) (*LinkView, error) {
	var v *LinkView
	err := s.Store.Update(ctx, func(tx koppel.Tx) error {
		l, err := tx.Link(id)
		if err != nil {
			return err
		}
		if v, err = view(tx, l, map[int64]*koppel.Connection{}); err != nil {
			return err
		}
		if err := tx.DeleteLink(id); err != nil {
			return err
		}
		return tx.AppendAudit(s.event("link.remove", v.Connection, id, koppel.Say("link.removed",
			"id", itoa(v.Connection.ID), "appKey", v.Connection.AppKey, "administration", v.Administration.Name)))
	})
	return v, err
}

// Test requests a token from the local API with the link's sealed
// credential and lists the parties it reaches; the outcome is recorded on
// the link.
func (s *Service) Test(ctx context.Context, id int64) (*TestResult, *LinkView, error) {
	v, err := s.Link(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if v.Status != koppel.StatusActive || len(v.SealedCredential) == 0 {
		return nil, nil, koppel.Errorf(koppel.EConflict, "Link %d was revoked with its connection; it cannot be tested. Replace the keys and use Quick Connect again.", id).
			WithKey("link.revoked", "id", itoa(id))
	}
	secret, err := s.Vault.Open(v.Connection.AppKey, v.SealedCredential)
	if err != nil {
		return nil, nil, err
	}
	var res *TestResult
	if s.Tester == nil {
		res = &TestResult{Problem: "The local API is not running.", ProblemKey: "link.api_down"}
	} else if res, err = s.Tester.Test(ctx, v.Connection.AppKey, secret); err != nil {
		return nil, nil, err
	}
	err = s.Store.Update(ctx, func(tx koppel.Tx) error {
		return tx.RecordLinkTest(id, s.Now(), summary(res))
	})
	if err != nil {
		return nil, nil, err
	}
	v.LastTestResult = summary(res)
	now := s.Now()
	v.LastTestAt = &now
	return res, v, nil
}

// summary is the one line stored as a link's last test result.
func summary(r *TestResult) string {
	if !r.OK {
		return "failed: " + r.Problem
	}
	ids := make([]string, len(r.Parties))
	for i, p := range r.Parties {
		ids[i] = p.PartyID
	}
	return "ok: " + strings.Join(ids, ", ")
}
