package cli

import (
	"os"
	"testing"
)

// TestMain lets the test binary stand in for the koppel command: with
// KOPPEL_CLI_EXEC=1 it runs the command line on its arguments, so the
// process tests (leaks, crashes, bad input) run a real process without
// needing the window's built frontend.
func TestMain(m *testing.M) {
	if os.Getenv("KOPPEL_CLI_EXEC") == "1" {
		os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
