//go:build !windows

package main

// attachConsole is needed on Windows only, where the program is a GUI one.
func attachConsole() {}
