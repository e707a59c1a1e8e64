//go:build windows

package clipboard

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"koppel/internal/koppel"
)

// Native returns the Windows clipboard.
func Native() Clipboard { return winClipboard{} }

// user32 and kernel32 are KnownDLLs: Windows always loads them from the
// system directory, so loading them by name cannot pick up a planted copy.
var (
	user32                         = syscall.NewLazyDLL("user32.dll")
	procOpenClipboard              = user32.NewProc("OpenClipboard")
	procCloseClipboard             = user32.NewProc("CloseClipboard")
	procEmptyClipboard             = user32.NewProc("EmptyClipboard")
	procGetClipboardData           = user32.NewProc("GetClipboardData")
	procSetClipboardData           = user32.NewProc("SetClipboardData")
	procIsClipboardFormatAvailable = user32.NewProc("IsClipboardFormatAvailable")
	procRegisterClipboardFormatW   = user32.NewProc("RegisterClipboardFormatW")

	kernel32          = syscall.NewLazyDLL("kernel32.dll")
	procGlobalAlloc   = kernel32.NewProc("GlobalAlloc")
	procGlobalFree    = kernel32.NewProc("GlobalFree")
	procGlobalLock    = kernel32.NewProc("GlobalLock")
	procGlobalUnlock  = kernel32.NewProc("GlobalUnlock")
	procGlobalSize    = kernel32.NewProc("GlobalSize")
	procRtlMoveMemory = kernel32.NewProc("RtlMoveMemory")
)

const (
	cfUnicodeText = 13     // CF_UNICODETEXT
	gmemMoveable  = 0x0002 // GMEM_MOVEABLE, which SetClipboardData requires

	// Another program may hold the clipboard open for a moment (clipboard
	// managers do right after every change); OpenClipboard is retried.
	openTimeout = 500 * time.Millisecond
	openRetry   = 10 * time.Millisecond
)

// Registered formats that keep a secret out of clipboard monitors, Windows'
// clipboard history (Win+V) and the cloud clipboard. The names are
// documented by Microsoft under "Clipboard Formats → Cloud Clipboard and
// Clipboard History Formats".
var sensitiveFormats = []struct {
	name string
	data uint32
}{
	{"ExcludeClipboardContentFromMonitorProcessing", 1}, // presence counts; the data is ignored
	{"CanIncludeInClipboardHistory", 0},
	{"CanUploadToCloudClipboard", 0},
}

// registeredFormats returns the ids of sensitiveFormats, registering them on
// first use. The ids are the same for every program in the session.
var registeredFormats = sync.OnceValues(func() ([]uintptr, error) {
	ids := make([]uintptr, len(sensitiveFormats))
	for i, f := range sensitiveFormats {
		name, err := syscall.UTF16PtrFromString(f.name)
		if err != nil {
			return nil, err
		}
		id, _, err := procRegisterClipboardFormatW.Call(uintptr(unsafe.Pointer(name)))
		if id == 0 {
			return nil, fmt.Errorf("register clipboard format %s: %w", f.name, err)
		}
		ids[i] = id
	}
	return ids, nil
})

type winClipboard struct{}

func (winClipboard) WriteText(text string, sensitive bool) error {
	const op = "copy to the clipboard"
	buf, err := syscall.UTF16FromString(text)
	if err != nil {
		return koppel.Internal(op, err) // text holds a NUL character
	}
	defer clear(buf)
	var formats []uintptr
	if sensitive {
		if formats, err = registeredFormats(); err != nil {
			return koppel.Internal(op, err)
		}
	}
	err = withClipboard(func() error {
		if r, _, err := procEmptyClipboard.Call(); r == 0 {
			return fmt.Errorf("EmptyClipboard: %w", err)
		}
		for i, id := range formats {
			data := sensitiveFormats[i].data
			if err := setData(id, unsafe.Pointer(&data), unsafe.Sizeof(data)); err != nil {
				return err
			}
		}
		return setData(cfUnicodeText, unsafe.Pointer(&buf[0]), uintptr(len(buf))*2)
	})
	if err != nil {
		return koppel.Internal(op, err)
	}
	return nil
}

func (winClipboard) ReadText() (string, error) {
	var text string
	err := withClipboard(func() error {
		if r, _, _ := procIsClipboardFormatAvailable.Call(cfUnicodeText); r == 0 {
			return nil // no text on the clipboard
		}
		h, _, err := procGetClipboardData.Call(cfUnicodeText)
		if h == 0 {
			return fmt.Errorf("GetClipboardData: %w", err)
		}
		p, _, err := procGlobalLock.Call(h)
		if p == 0 {
			return fmt.Errorf("GlobalLock: %w", err)
		}
		defer procGlobalUnlock.Call(h)
		size, _, _ := procGlobalSize.Call(h)
		buf := make([]uint16, size/2)
		if len(buf) > 0 {
			procRtlMoveMemory.Call(uintptr(unsafe.Pointer(&buf[0])), p, uintptr(len(buf))*2)
		}
		text = syscall.UTF16ToString(buf) // stops at the terminating NUL
		clear(buf)
		return nil
	})
	if err != nil {
		return "", koppel.Internal("read the clipboard", err)
	}
	return text, nil
}

func (winClipboard) Clear() error {
	err := withClipboard(func() error {
		if r, _, err := procEmptyClipboard.Call(); r == 0 {
			return fmt.Errorf("EmptyClipboard: %w", err)
		}
		return nil
	})
	if err != nil {
		return koppel.Internal("clear the clipboard", err)
	}
	return nil
}

// withClipboard opens the clipboard, runs fn and closes the clipboard again.
// Windows ties an open clipboard to the thread that opened it, so the
// goroutine stays on one OS thread throughout. If fn fails after emptying
// the clipboard, the clipboard is emptied again before it is closed, so no
// half-written contents (a secret without its exclusion formats) are left
// for clipboard monitors to see: they look when it is closed.
func withClipboard(fn func() error) (err error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := openClipboard(); err != nil {
		return err
	}
	defer func() {
		if r, _, cerr := procCloseClipboard.Call(); r == 0 {
			err = errors.Join(err, fmt.Errorf("CloseClipboard: %w", cerr))
		}
	}()
	if err = fn(); err != nil {
		procEmptyClipboard.Call()
	}
	return err
}

// openClipboard opens the clipboard, retrying for a moment while another
// program holds it.
func openClipboard() error {
	deadline := time.Now().Add(openTimeout)
	for {
		r, _, err := procOpenClipboard.Call(0)
		if r != 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("OpenClipboard (another program holds the clipboard): %w", err)
		}
		time.Sleep(openRetry)
	}
}

// setData puts a copy of the size bytes at src on the open clipboard as
// format. On success the clipboard owns the copy.
func setData(format uintptr, src unsafe.Pointer, size uintptr) error {
	h, _, err := procGlobalAlloc.Call(gmemMoveable, size)
	if h == 0 {
		return fmt.Errorf("GlobalAlloc: %w", err)
	}
	p, _, err := procGlobalLock.Call(h)
	if p == 0 {
		procGlobalFree.Call(h)
		return fmt.Errorf("GlobalLock: %w", err)
	}
	procRtlMoveMemory.Call(p, uintptr(src), size)
	procGlobalUnlock.Call(h)
	if r, _, err := procSetClipboardData.Call(format, h); r == 0 {
		procGlobalFree.Call(h)
		return fmt.Errorf("SetClipboardData: %w", err)
	}
	return nil
}
