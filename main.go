// Command koppel manages e-invoicing connection keys. With no arguments it
// opens the window; with arguments it is the command line.
package main

import (
	"context"
	"embed"
	"fmt"
	"os"

	"github.com/sirupsen/logrus"
	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"

	"koppel/app"
	"koppel/internal/backend"
	"koppel/internal/cli"
	"koppel/internal/logging"
)

//go:embed all:frontend/dist
var assets embed.FS

func main() {
	if len(os.Args) > 1 {
		attachConsole()
		os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	if err := runWindow(); err != nil {
		fmt.Fprintln(os.Stderr, "koppel:", err)
		os.Exit(1)
	}
}

// runWindow constructs everything and opens nothing: binding generation runs
// this with -tags bindings, so the backend opens in OnStartup only.
func runWindow() error {
	stderrLog := logging.New(os.Stderr, logrus.InfoLevel) // until the data folder's log is open
	session := app.NewSession(openBackend, stderrLog, app.WailsEmitter)
	return wails.Run(&options.App{
		Title:            "Koppel",
		Width:            1100,
		Height:           720,
		MinWidth:         760,
		MinHeight:        480,
		BackgroundColour: options.NewRGB(246, 247, 249),
		AssetServer:      &assetserver.Options{Assets: assets, Middleware: app.SecurityHeaders},
		OnStartup:        session.Startup,
		OnShutdown:       session.Shutdown,
		ErrorFormatter:   app.ErrorFormatter(session),
		Logger:           logging.WailsLogger{L: stderrLog},
		Bind: []any{
			app.NewSystem(session),
			app.NewOrganizations(session),
			app.NewConnections(session),
		},
	})
}

func openBackend(ctx context.Context) (*backend.Backend, error) {
	cfg, err := backend.ConfigFromEnv("gui")
	if err != nil {
		return nil, err
	}
	return backend.Open(ctx, cfg)
}
