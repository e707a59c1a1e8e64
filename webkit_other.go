//go:build !linux

package main

// tuneWebKit does nothing: Windows and macOS have their own web views.
func tuneWebKit() {}
