//go:build linux

package app

import "syscall"

// lowerPriority gives the calling thread the lowest CPU priority (nice 19):
// on Linux a priority is per thread.
func lowerPriority() {
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), 19)
}
