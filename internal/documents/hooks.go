package documents

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"koppel/internal/koppel"
)

// maxHooks bounds the hooks one connection may register per organization.
const maxHooks = 20

// CheckHookURL validates a webhook URL: http to a loopback host
// (127.0.0.1, localhost or [::1]) with an optional port, no user
// information and no fragment. It returns the URL as Koppel stores it.
func CheckHookURL(raw string) (string, error) {
	bad := func(why string) error {
		return koppel.Errorf(koppel.EInvalid, "The hook URL %s is refused: %s.", quoted(raw), why).
			WithKey("hook.url", "url", short(raw), "reason", why)
	}
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", koppel.Errorf(koppel.EInvalid, "The hook needs a URL.").WithKey("hook.url_required")
	}
	if len(raw) > 2048 {
		return "", bad("it is longer than 2048 characters")
	}
	if strings.IndexFunc(raw, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		return "", bad("it contains spaces or control characters")
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "", bad("it is not a URL")
	case u.Scheme != "http":
		return "", bad("hooks go to software on this computer over http://, such as http://127.0.0.1:8080/hook")
	case u.User != nil:
		return "", bad("it carries a user name or password")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return "", bad("it has a fragment (#…)")
	case u.Opaque != "":
		return "", bad("it is not a URL")
	}
	host := u.Hostname()
	switch strings.ToLower(host) {
	case "127.0.0.1", "localhost", "::1":
	default:
		return "", bad("hooks go only to this computer: 127.0.0.1, localhost or [::1]")
	}
	if strings.Contains(host, ":") && !strings.HasPrefix(u.Host, "[") {
		return "", bad("an IPv6 address is written in brackets, as [::1]")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return "", bad("the port must be a number from 1 to 65535")
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return "", bad("the port is empty")
	}
	u.Host = strings.ToLower(u.Host)
	return u.String(), nil
}

// hookTarget is a hook URL without its query, for the audit trail: a query
// may carry a token the receiving software checks.
func hookTarget(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unreadable URL)"
	}
	u.RawQuery, u.ForceQuery = "", false
	host := u.Host
	if _, _, err := net.SplitHostPort(host); err != nil {
		host = u.Hostname()
	}
	return u.Scheme + "://" + host + u.EscapedPath()
}

// PutHook registers a webhook (PUT …/hook): url must be a loopback http URL
// (CheckHookURL) and topic InvoiceReceived. Registering the same URL and
// topic again returns the existing hook.
func (s *Service) PutHook(ctx context.Context, connID, orgID int64, rawURL, topic string) (*koppel.Hook, error) {
	u, err := CheckHookURL(rawURL)
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(strings.TrimSpace(topic), koppel.HookTopicInvoiceReceived) {
		topic = koppel.HookTopicInvoiceReceived
	} else {
		return nil, koppel.Errorf(koppel.EInvalid, "The hook topic %s is not known; Koppel sends %s.", quoted(topic), koppel.HookTopicInvoiceReceived).
			WithKey("hook.topic", "topic", short(topic))
	}
	var h *koppel.Hook
	err = s.Store.Update(ctx, func(tx koppel.Tx) error {
		c, err := apiConnection(tx, connID, orgID)
		if err != nil {
			return err
		}
		hooks, err := tx.Hooks(connID, orgID)
		if err != nil {
			return err
		}
		for _, old := range hooks {
			if old.URL == u && old.Topic == topic {
				h = old
				return nil
			}
		}
		if len(hooks) >= maxHooks {
			return koppel.Errorf(koppel.EConflict, "This connection already has %d hooks for the organization; delete one first.", maxHooks).
				WithKey("hook.too_many", "max", strconv.Itoa(maxHooks))
		}
		h = &koppel.Hook{ConnectionID: connID, OrganizationID: orgID, URL: u, Topic: topic, CreatedAt: s.Now()}
		if err := tx.CreateHook(h); err != nil {
			return err
		}
		return s.hookAudit(tx, c, "hook.add", h)
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// Hooks lists the connection's hooks for the organization.
func (s *Service) Hooks(ctx context.Context, connID, orgID int64) ([]*koppel.Hook, error) {
	var hooks []*koppel.Hook
	err := s.Store.View(ctx, func(tx koppel.Tx) (err error) {
		if _, err = apiConnection(tx, connID, orgID); err != nil {
			return err
		}
		hooks, err = tx.Hooks(connID, orgID)
		return err
	})
	return hooks, err
}

// Hook returns one of the connection's hooks for the organization.
func (s *Service) Hook(ctx context.Context, connID, orgID, hookID int64) (*koppel.Hook, error) {
	var h *koppel.Hook
	err := s.Store.View(ctx, func(tx koppel.Tx) (err error) {
		if _, err = apiConnection(tx, connID, orgID); err != nil {
			return err
		}
		h, err = ownHook(tx, connID, orgID, hookID)
		return err
	})
	return h, err
}

// DeleteHook removes one of the connection's hooks for the organization.
func (s *Service) DeleteHook(ctx context.Context, connID, orgID, hookID int64) error {
	return s.Store.Update(ctx, func(tx koppel.Tx) error {
		c, err := apiConnection(tx, connID, orgID)
		if err != nil {
			return err
		}
		h, err := ownHook(tx, connID, orgID, hookID)
		if err != nil {
			return err
		}
		if err := tx.DeleteHook(h.ID); err != nil {
			return err
		}
		return s.hookAudit(tx, c, "hook.delete", h)
	})
}

// ownHook returns the hook when it is the connection's for the organization;
// anyone else's is not found.
func ownHook(tx koppel.Tx, connID, orgID, hookID int64) (*koppel.Hook, error) {
	h, err := tx.Hook(hookID)
	if (err == nil && (h.ConnectionID != connID || h.OrganizationID != orgID)) || koppel.ErrorCode(err) == koppel.ENotFound {
		return nil, koppel.Errorf(koppel.ENotFound, "Hook %d was not found.", hookID).WithKey("hook.not_found", "id", fmt.Sprint(hookID))
	}
	return h, err
}

func (s *Service) hookAudit(tx koppel.Tx, c *koppel.Connection, action string, h *koppel.Hook) error {
	e := &koppel.AuditEvent{At: s.Now(), Actor: apiActor(c), Action: action, SubjectType: "hook",
		SubjectID: h.ID, OrganizationIDs: []int64{h.OrganizationID}}
	return tx.AppendAudit(e.SetDetail(koppel.Say("hook", "topic", h.Topic, "target", hookTarget(h.URL),
		"id", strconv.FormatInt(c.ID, 10))))
}
