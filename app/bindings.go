package app

import (
	"context"

	"koppel/internal/clipboard"
)

// Bindings returns the structs bound to the window (options.App.Bind): the
// feature services of this package and nothing else. Every exported method
// of each is callable by any script in the window, so each validates its
// arguments; testdata/bound-methods.txt lists them all, and a test fails
// when the generated bindings differ from that list, so a new method is a
// reviewed change.
func Bindings(session *Session, openClipboard func(ctx context.Context) clipboard.Clipboard) []any {
	return []any{
		NewSystem(session),
		NewOrganizations(session),
		NewConnections(session),
		NewDocuments(session),
		NewAudit(session),
		NewSettings(session),
		NewClipboard(session, openClipboard),
		NewQuickConnect(session, openClipboard),
		NewAdministrations(session),
	}
}
