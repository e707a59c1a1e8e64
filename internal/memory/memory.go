// Package memory gives memory that Koppel no longer uses back to the
// system: Go's free heap and, on Linux, the free pages of the C allocator
// that SQLite and GTK allocate from. The window calls Release when it has
// been quiet for a moment, so its idle footprint is what it holds, not what
// its last burst of work needed.
package memory

import "runtime/debug"

// Release runs a garbage collection, returns Go's free heap to the system
// and then the C allocator's free pages (see releaseC).
func Release() {
	debug.FreeOSMemory()
	releaseC()
}
