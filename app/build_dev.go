//go:build dev

package app

// contentSecurityPolicy under `wails dev`: the release policy plus the Vite
// dev server's websocket for hot reload, which does not go through the
// asset server.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws://localhost:* ws://127.0.0.1:*"

// devBuild: under `wails dev` the window's code is the dev server's, which
// may differ from the last server build (frontend/dist-ssr), so Go renders
// no first screen (FirstScreen).
const devBuild = true
