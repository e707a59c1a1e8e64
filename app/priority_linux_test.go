//go:build linux

package app

import (
	"runtime/debug"
	"syscall"
	"testing"
	"time"
)

// niceOfThisThread returns the nice value of the calling thread (the
// getpriority system call answers 20 - nice).
func niceOfThisThread(t *testing.T) int {
	t.Helper()
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	if err != nil {
		t.Fatal(err)
	}
	return 20 - p
}

// Startup's work runs at the lowest priority with the collector paused;
// afterwards the caller's thread and the collector are as they were.
func TestBackground_LowPriorityNoGCThenAsBefore(t *testing.T) {
	before := niceOfThisThread(t)
	gcBefore := debug.SetGCPercent(100)
	defer debug.SetGCPercent(gcBefore)
	var nice, gcDuring int
	background(func() {
		nice = niceOfThisThread(t)
		gcDuring = debug.SetGCPercent(-1)
	})
	if nice != 19 {
		t.Fatalf("the work ran at nice %d, want 19", nice)
	}
	if gcDuring != -1 {
		t.Fatalf("the collector ran at GC percent %d during the work, want it paused (-1)", gcDuring)
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GC percent after the work = %d, want 100 again", got)
	}
	if after := niceOfThisThread(t); after != before {
		t.Fatalf("the caller's thread went from nice %d to %d", before, after)
	}
}

// Work that takes long (a keychain prompt) gets the collector back.
func TestBackground_CollectsAgainWhenTheWorkTakesLong(t *testing.T) {
	gcBefore := debug.SetGCPercent(100)
	defer debug.SetGCPercent(gcBefore)
	var late int
	background(func() {
		time.Sleep(backgroundGCPause + 500*time.Millisecond)
		late = debug.SetGCPercent(100)
	})
	if late != 100 {
		t.Fatalf("GC percent after %v of work = %d, want the collector back at 100", backgroundGCPause, late)
	}
}
