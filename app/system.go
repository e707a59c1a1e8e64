package app

import (
	"regexp"
	"slices"
	"strconv"

	"koppel/internal/koppel"
	"koppel/internal/settings"
)

// System is bound to the window: the state of Koppel itself.
type System struct{ session *Session }

// NewSystem binds to session.
func NewSystem(session *Session) *System { return &System{session} }

// Status tells whether the backend opened; if not, Error says why and what to
// do. It waits for startup to finish. Language is the language setting ("":
// follow the system), so the window starts in the right one.
func (s *System) Status() StatusDTO {
	b, ctx, err := s.session.current()
	if err != nil {
		return StatusDTO{Ready: false, Error: toErrorDTO(err)}
	}
	lang, _ := b.Settings.Get(ctx, settings.Language) // a failure here is not worth a startup error
	return StatusDTO{Ready: true, Language: lang, Changes: s.session.changes.Load()}
}

// Bounds of a window's description (WindowOpened).
const (
	maxWindowSide      = 20000
	maxWindowLanguages = 16
)

// languageTag is a language tag as navigator.languages gives them (nl-NL,
// en, zh-Hant-TW), at most 35 characters (RFC 5646's practical limit).
var languageTag = regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8}){0,4}$`)

// WindowOpened takes the window's description, which its page sends once
// after its first frame: the first screen kept when the window closes is
// rendered for a window like it (FirstScreen). A description that is not
// one is refused.
func (s *System) WindowOpened(w OpenedWindowDTO) error {
	bad := w.Width < 1 || w.Width > maxWindowSide || w.Height < 1 || w.Height > maxWindowSide ||
		len(w.Languages) > maxWindowLanguages
	for _, tag := range w.Languages {
		bad = bad || len(tag) > 35 || !languageTag.MatchString(tag)
	}
	if bad {
		return koppel.Errorf(koppel.EInvalid, "The window's description is not valid (%d by %d).", w.Width, w.Height).
			WithKey("input.window", "width", strconv.Itoa(w.Width), "height", strconv.Itoa(w.Height))
	}
	w.Languages = slices.Clone(w.Languages)
	s.session.window.Store(&w)
	return nil
}
