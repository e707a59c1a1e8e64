package psbapi

import (
	"context"
	"os"

	"koppel/internal/backend"
	"koppel/internal/settings"
)

// Attach builds the server for an open data folder and wires it to the
// services: revocations invalidate its cache at once, new offers fire hooks.
// The window and `koppel serve` both run the API through it.
func Attach(b *backend.Backend) *Server {
	srv := New(Config{
		Connections:   b.Connections,
		Organizations: b.Organizations,
		Documents:     b.Documents,
		Keys:          b.Vault,
		Log:           b.Log,
		// The list grows whenever any process revokes keys; the server
		// watches it for revocations made elsewhere.
		RevocationFile: b.RevocationsPath(),
	})
	b.Connections.OnRevoke = srv.Invalidate
	b.Documents.OnOffered = srv.OnOffered
	return srv
}

// Addr returns the address the API should listen on: KOPPEL_API_ADDR, or
// else the api-addr setting.
func Addr(ctx context.Context, b *backend.Backend) (string, error) {
	if addr := os.Getenv("KOPPEL_API_ADDR"); addr != "" {
		return addr, nil
	}
	return b.Settings.Get(ctx, settings.APIAddr)
}

// AttachTester lets b's link tests request tokens from the local API at
// addr. With standalone set (the command line, where no window runs the
// API), a test that finds no API answering starts one for itself on a free
// loopback port.
func AttachTester(b *backend.Backend, addr func(ctx context.Context) (string, error), standalone bool) {
	t := &Tester{Addr: addr}
	if standalone {
		t.Fallback = func(ctx context.Context) (string, func(), error) {
			ln, err := Listen("127.0.0.1:0")
			if err != nil {
				return "", nil, err
			}
			srv := Attach(b)
			apiCtx, cancel := context.WithCancel(context.Background())
			go srv.Serve(apiCtx, ln)
			return ln.Addr().String(), func() { cancel(); srv.Close() }, nil
		}
	}
	b.QuickConnect.Tester = t
}
