//go:build darwin && !cgo

package clipboard

import (
	"errors"

	"koppel/internal/koppel"
)

// Native returns a clipboard that always fails: on macOS the pasteboard is
// reached through cgo, and this program was built without it.
func Native() Clipboard { return noCgo{} }

var errNoCgo = errors.New("the macOS pasteboard needs a build with cgo")

type noCgo struct{}

func (noCgo) WriteText(string, bool) error { return koppel.Internal("copy to the clipboard", errNoCgo) }
func (noCgo) ReadText() (string, error)    { return "", koppel.Internal("read the clipboard", errNoCgo) }
func (noCgo) Clear() error                 { return koppel.Internal("clear the clipboard", errNoCgo) }
