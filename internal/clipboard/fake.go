package clipboard

import (
	"slices"
	"sync"
)

// Fake is a Clipboard in memory, for tests. It records every write with its
// sensitive flag. The zero value is an empty clipboard; a Fake is safe for
// concurrent use.
type Fake struct {
	mu     sync.Mutex
	text   string
	writes []Write
	clears int
	errs   FakeErrors
}

var _ Clipboard = (*Fake)(nil)

// Write is one WriteText call on a Fake.
type Write struct {
	Text      string
	Sensitive bool
}

// FakeErrors are the errors a Fake's methods return; nil means succeed.
type FakeErrors struct {
	Write, Read, Clear error
}

// WriteText replaces the text and records the write, or returns the Write
// error without doing either.
func (f *Fake) WriteText(text string, sensitive bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.errs.Write != nil {
		return f.errs.Write
	}
	f.text = text
	f.writes = append(f.writes, Write{Text: text, Sensitive: sensitive})
	return nil
}

// ReadText returns the text, or the Read error.
func (f *Fake) ReadText() (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.errs.Read != nil {
		return "", f.errs.Read
	}
	return f.text, nil
}

// Clear empties the clipboard and counts the call, or returns the Clear
// error without doing either.
func (f *Fake) Clear() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.errs.Clear != nil {
		return f.errs.Clear
	}
	f.text = ""
	f.clears++
	return nil
}

// SetText puts text on the clipboard as another program would: it is not
// recorded as a write.
func (f *Fake) SetText(text string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.text = text
}

// SetErrors makes the Fake's methods fail with errs from now on.
func (f *Fake) SetErrors(errs FakeErrors) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errs = errs
}

// Writes returns the successful WriteText calls so far, oldest first.
func (f *Fake) Writes() []Write {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.writes)
}

// Clears returns how many times Clear has emptied the clipboard.
func (f *Fake) Clears() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.clears
}
