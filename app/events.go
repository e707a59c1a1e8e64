package app

import (
	"context"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Event names; frontend/src/lib/events.ts holds the same list. The frontend
// subscribes once at boot (Wails does not buffer events).
const (
	// EventOrganizationsChanged: an organization was added, changed or ended.
	EventOrganizationsChanged = "organizations:changed"
	// EventConnectionsChanged: a connection was created, revoked, replaced or
	// deleted; data is the organization ids it concerns.
	EventConnectionsChanged = "connections:changed"
	// EventClipboardCountdown: the clipboard is cleared in data's Remaining
	// seconds (CountdownDTO), sent once a second after a sensitive copy.
	EventClipboardCountdown = "clipboard:countdown"
	// EventClipboardDone: the countdown ended; data (ClipboardDoneDTO) says
	// whether the clipboard was cleared or held something else by then.
	EventClipboardDone = "clipboard:done"
	// EventDocumentsChanged: documents were imported, re-offered or marked
	// original; data is the organization ids it concerns (empty: any).
	EventDocumentsChanged = "documents:changed"
	// EventImportProgress: an import has done data's Done of Total files
	// (ImportProgressDTO); the last one has Done == Total.
	EventImportProgress = "documents:import-progress"
)

// Emitter sends events to the frontend. Bound code emits through it, never
// through runtime.* directly: runtime calls with a context that is not the
// window's end the process, so tests use another Emitter.
type Emitter interface {
	Emit(name string, data ...any)
}

// WailsEmitter returns the Emitter of the window whose context ctx is (the
// one OnStartup receives).
func WailsEmitter(ctx context.Context) Emitter { return wailsEmitter{ctx} }

type wailsEmitter struct{ ctx context.Context }

func (e wailsEmitter) Emit(name string, data ...any) { runtime.EventsEmit(e.ctx, name, data...) }

// NopEmitter drops every event.
type NopEmitter struct{}

// Emit does nothing.
func (NopEmitter) Emit(string, ...any) {}
