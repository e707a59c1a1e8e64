//go:build !linux || !cgo

package memory

// releaseC does nothing here: the system allocators of Windows and macOS
// return free memory themselves.
func releaseC() {}
