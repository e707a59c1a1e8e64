package app

// Connections is bound to the window: the issued key sets. No method returns
// a Secret.
type Connections struct{ session *Session }

// NewConnections binds to session's backend.
func NewConnections(session *Session) *Connections { return &Connections{session} }

// List returns the connections matching q.
func (c *Connections) List(q ConnectionQuery) ([]ConnectionDTO, error) {
	filter, err := q.filter()
	if err != nil {
		return nil, err
	}
	b, ctx, err := c.session.current()
	if err != nil {
		return nil, err
	}
	list, err := b.Connections.List(ctx, filter)
	return mapAll(list, toConnectionDTO), err
}
