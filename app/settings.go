package app

import (
	"context"
	"strconv"

	"koppel/internal/backend"
	"koppel/internal/settings"
)

// Settings is bound to the window: the user's settings and the keychain in
// use.
type Settings struct{ session *Session }

// NewSettings binds to session's backend.
func NewSettings(session *Session) *Settings { return &Settings{session} }

// settingKeys are the settings the window may change.
var settingKeys = []string{settings.AccountEmail, settings.Language, settings.APIAddr, settings.ClipboardClearSeconds}

// Get returns the settings.
func (s *Settings) Get() (SettingsDTO, error) {
	b, ctx, err := s.session.current()
	if err != nil {
		return SettingsDTO{}, err
	}
	return readSettings(ctx, b)
}

// Set validates value and stores it under key (account-email, language,
// api-addr, clipboard-clear-seconds); it returns all settings as they are
// now.
func (s *Settings) Set(key, value string) (SettingsDTO, error) {
	if err := checkChoice("setting", key, settingKeys...); err != nil {
		return SettingsDTO{}, err
	}
	if err := checkText("value", value, 300); err != nil {
		return SettingsDTO{}, err
	}
	b, ctx, err := s.session.current()
	if err != nil {
		return SettingsDTO{}, err
	}
	if _, err := b.Settings.Set(ctx, key, value); err != nil {
		return SettingsDTO{}, err
	}
	return readSettings(ctx, b)
}

func readSettings(ctx context.Context, b *backend.Backend) (SettingsDTO, error) {
	list, err := b.Settings.List(ctx)
	if err != nil {
		return SettingsDTO{}, err
	}
	dto := SettingsDTO{DataFolder: b.Home, Keychain: KeychainDTO{Backend: b.Vault.Backend(), Unlocked: true}}
	for _, st := range list {
		switch st.Key {
		case settings.AccountEmail:
			dto.AccountEmail = st.Value
		case settings.Language:
			dto.Language = st.Value
		case settings.APIAddr:
			dto.APIAddr = st.Value
		case settings.ClipboardClearSeconds:
			dto.ClipboardClearSeconds, _ = strconv.Atoi(st.Value)
		}
	}
	return dto, nil
}

// clipboardClearSeconds returns the clipboard clear time setting.
func clipboardClearSeconds(ctx context.Context, b *backend.Backend) (int, error) {
	v, err := b.Settings.Get(ctx, settings.ClipboardClearSeconds)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		n = 30 // the default; a value the service never stores
	}
	return n, nil
}
