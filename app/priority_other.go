//go:build !linux

package app

// lowerPriority does nothing: on macOS a priority set this way is the whole
// process's, and Windows has no such call in the standard library.
func lowerPriority() {}
