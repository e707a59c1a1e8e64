//go:build !windows && !darwin

package clipboard

// Native returns nil: Koppel has no clipboard of its own on this system, so
// the caller uses another one (in the window, Wails' runtime clipboard).
func Native() Clipboard { return nil }
