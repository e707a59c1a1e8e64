//go:build !dev

package app

// contentSecurityPolicy allows only the app's own files: no inline or remote
// scripts, no remote connections.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'"

// devBuild says this is a `wails dev` build (build_dev.go).
const devBuild = false
