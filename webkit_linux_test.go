//go:build linux

package main

import (
	"os"
	"testing"
)

func TestTuneWebKit_TurnsOffTheOptimizingJIT(t *testing.T) {
	t.Setenv("JSC_useDFGJIT", "")
	os.Unsetenv("JSC_useDFGJIT")
	tuneWebKit()
	if got := os.Getenv("JSC_useDFGJIT"); got != "false" {
		t.Fatalf("JSC_useDFGJIT = %q, want false", got)
	}
}

func TestTuneWebKit_KeepsTheUsersChoice(t *testing.T) {
	t.Setenv("JSC_useDFGJIT", "true")
	tuneWebKit()
	if got := os.Getenv("JSC_useDFGJIT"); got != "true" {
		t.Fatalf("JSC_useDFGJIT = %q, want the user's true", got)
	}
}
