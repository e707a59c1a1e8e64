package app

// System is bound to the window: the state of Koppel itself.
type System struct{ session *Session }

// NewSystem binds to session.
func NewSystem(session *Session) *System { return &System{session} }

// Status tells whether the backend opened; if not, Error says why and what to
// do. It waits for startup to finish.
func (s *System) Status() StatusDTO {
	_, _, err := s.session.current()
	return StatusDTO{Ready: err == nil, Error: toErrorDTO(err)}
}
