package app

import "net/http"

// SecurityHeaders is the asset server middleware that sends the window's
// Content-Security-Policy (contentSecurityPolicy; `wails dev` builds use a
// looser one, see csp_dev.go) with every asset.
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}
