package memory

import (
	"runtime"
	"testing"
)

// Release hands back a heap that is no longer used: after dropping 64 MiB
// of garbage, the heap Go keeps from the system shrinks by most of it.
func TestRelease_ReturnsFreedHeap(t *testing.T) {
	sink = make([][]byte, 64)
	for i := range sink {
		sink[i] = make([]byte, 1<<20)
		sink[i][0] = 1
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	sink = nil
	Release()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	held := func(m runtime.MemStats) uint64 { return m.HeapSys - m.HeapReleased }
	if held(after)+48<<20 > held(before) {
		t.Fatalf("Release kept the heap: %d MiB held before, %d MiB after", held(before)>>20, held(after)>>20)
	}
}

// sink keeps the test's garbage reachable until the test drops it.
var sink [][]byte
