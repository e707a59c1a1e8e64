//go:build linux

package main

import "os"

// tuneWebKit sets an option of the window's JavaScript engine. WebKitGTK
// starts its web process with this process's environment, and
// JavaScriptCore reads its options from JSC_* variables there.
//
// Koppel's page runs short bursts of work (a screenful of rows; Go filters,
// searches and counts), where JavaScriptCore's optimizing compilers (DFG,
// and FTL above it) cost more than they save: the first DFG compile alone
// pages in about 4 MiB of compiler code. Without them the page keeps its
// baseline JIT and its web process holds 5 MiB less (make bench-ui). A
// value the user set wins.
func tuneWebKit() {
	if _, set := os.LookupEnv("JSC_useDFGJIT"); !set {
		_ = os.Setenv("JSC_useDFGJIT", "false")
	}
}
