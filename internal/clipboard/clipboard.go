// Package clipboard puts text on the operating system's clipboard and takes
// it off again. Native is the platform clipboard on Windows and macOS; Guard
// clears what Koppel copied after a delay, unless the user has copied
// something else since (DESIGN §3, clipboard hygiene).
package clipboard

// Clipboard is the OS clipboard.
//
// Implementations return errors that are already a *koppel.Error (code
// internal, with the cause), so callers pass them on without wrapping.
type Clipboard interface {
	// WriteText replaces the clipboard's contents with text. sensitive marks
	// text as a secret, so clipboard managers and clipboard history skip it:
	// on Windows through the formats ExcludeClipboardContentFromMonitorProcessing,
	// CanIncludeInClipboardHistory=0 and CanUploadToCloudClipboard=0, on macOS
	// through org.nspasteboard.ConcealedType.
	WriteText(text string, sensitive bool) error
	// ReadText returns the clipboard's text, or "" when it holds no text.
	ReadText() (string, error)
	// Clear empties the clipboard.
	Clear() error
}
