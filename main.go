// Command koppel manages e-invoicing connection keys. With no arguments it
// opens the window; with arguments it is the command line.
package main

import (
	"context"
	"embed"
	"fmt"
	"net"
	"net/http"
	"os"

	"github.com/sirupsen/logrus"
	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"koppel/app"
	"koppel/internal/backend"
	"koppel/internal/cli"
	"koppel/internal/logging"
	"koppel/internal/psbapi"
)

//go:embed all:frontend/dist
var assets embed.FS

// serverBuild holds the server build of the window (frontend/src/ssr.ts,
// `npm run build`), with which Go renders its first screen
// (app.FirstScreen). The folder's .gitkeep lets a fresh clone compile
// before the frontend is built (Wails generates the bindings first); the
// window then has no first screen until it is.
//
//go:embed all:frontend/dist-ssr
var serverBuild embed.FS

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

// The smallest window the layout is made for.
const minWidth, minHeight = 760, 480

// runWindow starts opening the data folder and opens the window. Binding
// generation runs this too (built with -tags bindings, where Wails only
// writes the bindings and exits): then nothing is opened.
func runWindow() error {
	tuneWebKit()
	stderrLog := logging.New(os.Stderr, logrus.InfoLevel) // until the data folder's log is open
	api := &localAPI{stop: func() {}}
	session := app.NewSession(api.openBackend, stderrLog, app.WailsEmitter)
	firstScreenJS, _ := serverBuild.ReadFile("frontend/dist-ssr/first-screen.js") // none: no first screen
	first := app.NewFirstScreen(session, firstScreenJS)
	if !bindingsBuild {
		session.Begin()
	}
	return wails.Run(&options.App{
		Title:            "Koppel",
		Width:            1100,
		Height:           720,
		BackgroundColour: options.NewRGB(246, 247, 249),
		AssetServer: &assetserver.Options{Assets: assets, Middleware: func(h http.Handler) http.Handler {
			return app.SecurityHeaders(app.BootPage(session, first)(h))
		}},
		OnStartup: session.Startup,
		// The minimum size is set once the page is up: set at creation,
		// WebKitGTK keeps a second window-sized buffer for the life of the
		// window (1.5 MiB more in make bench-ui's memory figure).
		OnDomReady: func(ctx context.Context) {
			wruntime.WindowSetMinSize(ctx, minWidth, minHeight)
			session.DomReady(ctx)
		},
		OnShutdown:     func(ctx context.Context) { api.stop(); session.Shutdown(ctx) },
		ErrorFormatter: app.ErrorFormatter(session),
		Logger:         logging.WailsLogger{L: stderrLog},
		Bind:           app.Bindings(session, app.SystemClipboard),
		// Files dropped on the window reach the import dialog as paths.
		DragAndDrop: &options.DragAndDrop{EnableFileDrop: true},
	})
}

// localAPI runs the PSB-compatible API beside the window while it is open.
type localAPI struct {
	stop func()
}

// openBackend opens the data folder and starts the local API on it. An API
// that cannot start (its port taken, say by `koppel serve`) is logged and
// leaves the window working.
func (a *localAPI) openBackend(ctx context.Context) (*backend.Backend, error) {
	cfg, err := backend.ConfigFromEnv("gui")
	if err != nil {
		return nil, err
	}
	b, err := backend.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	addr, err := psbapi.Addr(ctx, b)
	if err == nil {
		var ln net.Listener
		if ln, err = psbapi.Listen(addr); err == nil {
			srv := psbapi.Attach(b)
			apiCtx, cancel := context.WithCancel(context.Background())
			go srv.Serve(apiCtx, ln)
			a.stop = func() { cancel(); srv.Close() }
			bound := ln.Addr().String()
			psbapi.AttachTester(b, func(context.Context) (string, error) { return bound, nil }, false)
			return b, nil
		}
	}
	b.Log.WithError(err).Warn("the local API did not start; the window works without it")
	// Link tests go to whatever answers at the configured address (say,
	// `koppel serve`).
	psbapi.AttachTester(b, func(ctx context.Context) (string, error) { return psbapi.Addr(ctx, b) }, false)
	return b, nil
}
