package cli

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"koppel/internal/psbapi"
)

func init() {
	register("serve", "serve   (the local API, on the api-addr setting or KOPPEL_API_ADDR, until Ctrl+C)", serve)
}

// serve runs the local API without the window until Ctrl+C or SIGTERM.
func serve(e *env, args []string) error {
	_, b, err := e.start(newFlags("serve"), args, 0, 0, "")
	if err != nil {
		return err
	}
	addr, err := psbapi.Addr(e.ctx, b)
	if err != nil {
		return err
	}
	ln, err := psbapi.Listen(addr)
	if err != nil {
		return err
	}
	srv := psbapi.Attach(b)
	defer srv.Close()
	ctx, stop := signal.NotifyContext(e.ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	url := "http://" + ln.Addr().String()
	if e.json {
		if err := e.printJSON(map[string]string{"listening": url}); err != nil {
			ln.Close()
			return err
		}
	} else {
		fmt.Fprintf(e.stdout, "Koppel's local API listens on %s (discovery: %s/.well-known/openid-configuration).\nPress Ctrl+C to stop it.\n", url, url)
	}
	if err := srv.Serve(ctx, ln); err != nil {
		return err
	}
	if !e.json {
		fmt.Fprintln(e.stdout, "The local API has stopped.")
	}
	return nil
}
