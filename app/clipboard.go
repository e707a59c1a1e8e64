package app

import (
	"context"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"koppel/internal/clipboard"
	"koppel/internal/koppel"
)

// Clipboard is bound to the window: it copies text for the user and, for
// sensitive text (a Secret, the Quick Connect text), clears the clipboard
// after the configured time if it still holds that text (DESIGN §3). The
// countdown reaches the window as EventClipboardCountdown and
// EventClipboardDone. Nothing here reads the clipboard back to the window.
type Clipboard struct {
	session *Session
	open    func(ctx context.Context) clipboard.Clipboard

	mu    sync.Mutex
	guard *clipboard.Guard // made on first use, from the window's context
}

// NewClipboard binds to session. open returns the clipboard to use for the
// window whose context it gets: SystemClipboard in main, a fake in tests.
// Whatever is still counting down is cleared when the window closes.
func NewClipboard(session *Session, open func(ctx context.Context) clipboard.Clipboard) *Clipboard {
	c := &Clipboard{session: session, open: open}
	session.atShutdown(c.clearOnQuit)
	return c
}

// SystemClipboard is the operating system's clipboard: the native one on
// Windows (kept out of clipboard history) and macOS (concealed), Wails' on
// other systems.
func SystemClipboard(ctx context.Context) clipboard.Clipboard {
	if cb := clipboard.Native(); cb != nil {
		return cb
	}
	return wailsClipboard{ctx}
}

// Copy puts text on the clipboard. When sensitive, the clipboard is cleared
// after the clipboard-clear-seconds setting (unless that is 0, or the user
// copied something else meanwhile); the answer says after how long.
func (c *Clipboard) Copy(text string, sensitive bool) (CopyDTO, error) {
	if text == "" || len(text) > maxCopy || !utf8.ValidString(text) {
		return CopyDTO{}, koppel.Errorf(koppel.EInvalid, "Only text of 1 to %d bytes can be copied.", maxCopy).
			WithKey("clipboard.text")
	}
	b, ctx, err := c.session.current()
	if err != nil {
		return CopyDTO{}, err
	}
	seconds := 0
	if sensitive {
		if seconds, err = clipboardClearSeconds(ctx, b); err != nil {
			return CopyDTO{}, err
		}
	}
	onTick := func(remaining time.Duration) {
		c.session.Emit(EventClipboardCountdown, CountdownDTO{Remaining: int((remaining + time.Second - 1) / time.Second)})
	}
	onDone := func(cleared bool) { c.session.Emit(EventClipboardDone, ClipboardDoneDTO{Cleared: cleared}) }
	if err := c.guardFor(ctx).Copy(text, sensitive, time.Duration(seconds)*time.Second, onTick, onDone); err != nil {
		return CopyDTO{}, err
	}
	return CopyDTO{ClearAfterSeconds: seconds}, nil
}

// ClearNow ends the countdown at once, clearing the clipboard if it still
// holds what Koppel copied; it reports whether it did.
func (c *Clipboard) ClearNow() bool {
	c.mu.Lock()
	g := c.guard
	c.mu.Unlock()
	return g != nil && g.ClearNow()
}

func (c *Clipboard) guardFor(ctx context.Context) *clipboard.Guard {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.guard == nil {
		c.guard = clipboard.NewGuard(c.open(ctx), nil)
	}
	return c.guard
}

// quitWait bounds how long closing the window waits to clear the clipboard:
// where the clipboard belongs to the window's toolkit it may already be gone.
const quitWait = time.Second

// clearOnQuit clears a secret that is still counting down, so it does not
// outlive the window on the clipboard.
func (c *Clipboard) clearOnQuit() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.ClearNow()
	}()
	select {
	case <-done:
	case <-time.After(quitWait):
	}
}

// wailsClipboard is the clipboard of the Wails window whose context it
// holds. It cannot mark text as sensitive: the toolkit has no such notion.
type wailsClipboard struct{ ctx context.Context }

func (w wailsClipboard) WriteText(text string, _ bool) error {
	if err := runtime.ClipboardSetText(w.ctx, text); err != nil {
		return koppel.Internal("copy to the clipboard", err)
	}
	return nil
}

func (w wailsClipboard) ReadText() (string, error) {
	text, err := runtime.ClipboardGetText(w.ctx)
	if err != nil {
		return "", koppel.Internal("read the clipboard", err)
	}
	return text, nil
}

func (w wailsClipboard) Clear() error {
	if err := runtime.ClipboardSetText(w.ctx, ""); err != nil {
		return koppel.Internal("clear the clipboard", err)
	}
	return nil
}
