// Package settings reads and changes the user's settings, validating each.
package settings

import (
	"context"
	"net"
	"slices"
	"sort"
	"strconv"
	"strings"

	"koppel/internal/koppel"
)

// The settings a user can change, with their defaults.
const (
	AccountEmail          = "account-email"
	Language              = "language"
	APIAddr               = "api-addr"
	ClipboardClearSeconds = "clipboard-clear-seconds"
)

// Defaults holds the value of every setting nobody has set.
var Defaults = map[string]string{
	AccountEmail:          "",
	Language:              "", // empty: follow the operating system
	APIAddr:               "127.0.0.1:8642",
	ClipboardClearSeconds: "30",
}

// Service lists and changes settings.
type Service struct {
	Store koppel.Store
	Now   koppel.Clock
	Actor string
}

// Setting is one setting's key and current value.
type Setting struct {
	Key     string
	Value   string
	Default bool // the value is the default
}

// List returns every setting, by key.
func (s *Service) List(ctx context.Context) ([]Setting, error) {
	var stored map[string]string
	if err := s.Store.View(ctx, func(tx koppel.Tx) (err error) {
		stored, err = tx.Settings()
		return err
	}); err != nil {
		return nil, err
	}
	var out []Setting
	for key, def := range Defaults {
		v, ok := stored[key]
		if !ok {
			v = def
		}
		out = append(out, Setting{Key: key, Value: v, Default: !ok})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// Get returns one setting's value.
func (s *Service) Get(ctx context.Context, key string) (string, error) {
	def, ok := Defaults[key]
	if !ok {
		return "", unknown(key)
	}
	var v string
	var set bool
	err := s.Store.View(ctx, func(tx koppel.Tx) (err error) {
		v, set, err = tx.Setting(key)
		return err
	})
	if !set {
		v = def
	}
	return v, err
}

// Set validates value and stores it under key.
func (s *Service) Set(ctx context.Context, key, value string) (string, error) {
	if _, ok := Defaults[key]; !ok {
		return "", unknown(key)
	}
	value, err := validate(key, value)
	if err != nil {
		return "", err
	}
	return value, s.Store.Update(ctx, func(tx koppel.Tx) error {
		if err := tx.SetSetting(key, value); err != nil {
			return err
		}
		e := &koppel.AuditEvent{At: s.Now(), Actor: s.Actor, Action: "settings.set", SubjectType: "setting"}
		return tx.AppendAudit(e.SetDetail(koppel.Say("setting", "setting", key, "value", value)))
	})
}

func unknown(key string) error {
	keys := make([]string, 0, len(Defaults))
	for k := range Defaults {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return koppel.Errorf(koppel.EInvalid, "There is no setting %q. The settings are: %s.", shorten(key), strings.Join(keys, ", ")).
		WithKey("settings.unknown", "key", shorten(key), "keys", strings.Join(keys, ", "))
}

func validate(key, value string) (string, error) {
	switch key {
	case AccountEmail:
		return koppel.CleanEmail("account email", value)
	case Language:
		v := strings.ToLower(strings.TrimSpace(value))
		if v != "" && v != "en" && v != "nl" {
			return "", koppel.Errorf(koppel.EInvalid, "The language must be en (English) or nl (Nederlands).").WithKey("settings.language")
		}
		return v, nil
	case APIAddr:
		return validateAddr(value)
	case ClipboardClearSeconds:
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil || n < 0 || n > 600 {
			return "", koppel.Errorf(koppel.EInvalid, "The clipboard clear time is a number of seconds from 0 (never) to 600.").
				WithKey("settings.clipboard_seconds", "max", "600")
		}
		return strconv.Itoa(n), nil
	}
	return "", unknown(key)
}

// validateAddr accepts a loopback host and a port: the local API never
// listens on a network.
func validateAddr(value string) (string, error) {
	host, port, err := net.SplitHostPort(strings.TrimSpace(value))
	if err != nil {
		return "", koppel.Errorf(koppel.EInvalid, "The API address is a host and port, such as 127.0.0.1:8642.").WithKey("settings.api_addr")
	}
	ip := net.ParseIP(host)
	if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", koppel.Errorf(koppel.EInvalid, "The local API only listens on this computer: use 127.0.0.1, ::1 or localhost, not %q.", shorten(host)).
			WithKey("settings.api_loopback", "host", shorten(host))
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", koppel.Errorf(koppel.EInvalid, "The port must be a number from 1 to 65535.").WithKey("settings.api_port")
	}
	return net.JoinHostPort(host, port), nil
}

func shorten(s string) string {
	if len(s) > 40 {
		return strings.ToValidUTF8(s[:40], "") + "…"
	}
	return strings.ToValidUTF8(s, "?")
}
