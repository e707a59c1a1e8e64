package app

import "koppel/internal/settings"

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
