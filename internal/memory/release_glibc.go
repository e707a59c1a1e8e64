//go:build linux && cgo

package memory

/*
#include <malloc.h>
*/
import "C"

// releaseC returns the free pages of every glibc malloc arena to the
// system: glibc keeps freed memory for reuse, and SQLite's page caches and
// GTK's allocations come and go in bursts at startup.
func releaseC() { C.malloc_trim(0) }
