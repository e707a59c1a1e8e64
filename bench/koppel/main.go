// Command koppel is Koppel's command line without the window, so the
// figures of bench/api.sh can run `koppel serve` exactly as users do on a
// machine where the frontend was never built.
package main

import (
	"os"

	"koppel/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
