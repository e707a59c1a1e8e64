package clipboard

import (
	"crypto/sha256"
	"sync"
	"time"

	"koppel/internal/koppel"
)

// Guard copies text to a Clipboard and clears it again after a delay, but
// only if the clipboard still holds exactly that text: what the user copied
// in the meantime is left alone. To tell, it keeps a SHA-256 digest of the
// text, never the text itself.
//
// One countdown runs at a time; a new Copy ends the previous one. The
// countdown's callbacks run on the Guard's own goroutine. They must return
// promptly (emit an event, say) and must not call the Guard: Copy, Cancel
// and ClearNow wait for a running callback to return. In exchange, once
// Copy, Cancel or ClearNow has returned, an ended countdown calls nothing
// more.
//
// A Guard is safe for concurrent use.
type Guard struct {
	cb    Clipboard
	after func(time.Duration) <-chan time.Time

	mu  sync.Mutex // serialises Copy, Cancel and ClearNow; guards cur
	cur *countdown // the latest countdown, running or finished; nil if none

	// clip is held while the Guard writes the clipboard or clears it, so a
	// countdown that is about to clear never sees the text of the Copy that
	// ends it (it could be the same text).
	clip sync.Mutex
}

// countdown is the wait of one Copy.
type countdown struct {
	sum    [sha256.Size]byte // of the copied text
	onDone func(cleared bool)
	stop   chan struct{} // closed to end the countdown early
	done   chan struct{} // closed when the countdown's goroutine has returned
	// finished is set by the goroutine when it ran to its end and called
	// onDone; read it only after done is closed.
	finished bool
}

// NewGuard returns a Guard over cb. after makes the timer for each step of a
// countdown (at most one second long); pass time.After, or nil for it.
// Tests pass a fake and fire its channels themselves.
func NewGuard(cb Clipboard, after func(d time.Duration) <-chan time.Time) *Guard {
	if after == nil {
		after = time.After
	}
	return &Guard{cb: cb, after: after}
}

// Copy puts text on the clipboard (sensitive as in Clipboard.WriteText) and,
// unless clearAfter is 0, starts a countdown that clears it after clearAfter
// if the clipboard then still holds exactly text.
//
// A successful Copy ends the previous countdown, which then calls nothing
// more: not its onTick, not its onDone. A failed Copy leaves it running, as
// its text may still be on the clipboard.
//
// onTick, if not nil, is called at once with clearAfter and then once a
// second with the time remaining (30s, 29s, … 1s). onDone, if not nil, is
// called once at the end: cleared is false when the clipboard held
// something else by then, or could not be read or cleared.
func (g *Guard) Copy(text string, sensitive bool, clearAfter time.Duration, onTick func(remaining time.Duration), onDone func(cleared bool)) error {
	if clearAfter < 0 {
		return koppel.Errorf(koppel.EInvalid, "The time after which the clipboard is cleared cannot be negative.")
	}
	g.mu.Lock()
	defer g.mu.Unlock()

	g.clip.Lock()
	err := g.cb.WriteText(text, sensitive)
	prev := g.cur
	if err == nil && prev != nil {
		close(prev.stop)
	}
	g.clip.Unlock()
	if err != nil {
		return err
	}
	if prev != nil {
		<-prev.done
		g.cur = nil
	}
	if clearAfter == 0 {
		return nil
	}

	c := &countdown{
		sum:    sha256.Sum256([]byte(text)),
		onDone: onDone,
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
	g.cur = c
	go g.run(c, clearAfter, onTick)
	return nil
}

// Cancel ends the countdown, if any, without clearing the clipboard and
// without calling its onDone.
func (g *Guard) Cancel() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.endLocked()
}

// ClearNow ends the countdown at once as if its time were up: it clears the
// clipboard if it still holds the copied text, calls onDone and reports
// whether it cleared. Call it when Koppel quits, so a secret does not
// outlive the window on the clipboard. Without a running countdown it does
// nothing and returns false.
func (g *Guard) ClearNow() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	c := g.cur
	if c == nil {
		return false
	}
	g.endLocked()
	if c.finished {
		return false
	}
	g.clip.Lock()
	cleared := g.clearIfUnchanged(c.sum)
	g.clip.Unlock()
	if c.onDone != nil {
		c.onDone(cleared)
	}
	return cleared
}

// endLocked ends the current countdown and waits for its goroutine. g.mu
// must be held.
func (g *Guard) endLocked() {
	if c := g.cur; c != nil {
		close(c.stop)
		<-c.done
		g.cur = nil
	}
}

// run is the goroutine of countdown c.
func (g *Guard) run(c *countdown, remaining time.Duration, onTick func(time.Duration)) {
	defer close(c.done)
	for remaining > 0 {
		if c.stopped() {
			return
		}
		if onTick != nil {
			onTick(remaining)
		}
		step := min(remaining, time.Second)
		select {
		case <-g.after(step):
			remaining -= step
		case <-c.stop:
			return
		}
	}

	g.clip.Lock()
	if c.stopped() {
		g.clip.Unlock()
		return
	}
	cleared := g.clearIfUnchanged(c.sum)
	g.clip.Unlock()
	c.finished = true
	if c.onDone != nil {
		c.onDone(cleared)
	}
}

// clearIfUnchanged clears the clipboard if its text has digest sum, and
// reports whether it did. g.clip must be held.
func (g *Guard) clearIfUnchanged(sum [sha256.Size]byte) bool {
	text, err := g.cb.ReadText()
	if err != nil || sha256.Sum256([]byte(text)) != sum {
		return false
	}
	return g.cb.Clear() == nil
}

func (c *countdown) stopped() bool {
	select {
	case <-c.stop:
		return true
	default:
		return false
	}
}
