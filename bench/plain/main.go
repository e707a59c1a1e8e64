// Command plain is the ceiling the local API's figures are measured against
// (bench/api.sh): a plain net/http server that answers every request with
// the same 100-byte JSON body and does nothing else.
package main

import (
	"flag"
	"io"
	"log"
	"net/http"
	"strconv"
	"strings"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8643", "address to listen on")
	flag.Parse()
	body := []byte(`{"access_token":"` + strings.Repeat("x", 41) + `","expires_in":3600,"token_type":"Bearer"}`)
	if len(body) != 100 {
		log.Fatalf("the body has %d bytes, want 100", len(body))
	}
	srv := &http.Server{
		Addr:              *addr,
		ReadHeaderTimeout: 5 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			_, _ = w.Write(body)
		}),
	}
	log.Fatal(srv.ListenAndServe())
}
