//go:build windows

package main

import (
	"os"
	"syscall"
)

// attachConsole connects the command line to the console it was typed in.
// The Windows build is a GUI program, so Windows gives it no console of its
// own and its standard handles are empty unless they were redirected.
func attachConsole() {
	const attachParentProcess = ^uintptr(0) // (DWORD)-1
	attach := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")
	if ok, _, _ := attach.Call(attachParentProcess); ok == 0 {
		return // started without a console (e.g. from Explorer): nothing to attach to
	}
	if unusable(os.Stdout) {
		if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			os.Stdout = f
		}
	}
	if unusable(os.Stderr) {
		if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			os.Stderr = f
		}
	}
	if unusable(os.Stdin) {
		if f, err := os.Open("CONIN$"); err == nil {
			os.Stdin = f
		}
	}
}

// unusable reports whether f has no handle: a GUI program's standard
// handles are NULL (or invalid) when they were not redirected.
func unusable(f *os.File) bool {
	return f == nil || f.Fd() == 0 || syscall.Handle(f.Fd()) == syscall.InvalidHandle
}
