//go:build bindings

package main

// bindingsBuild says this build only generates the window's bindings
// (`wails generate module` builds with -tags bindings).
const bindingsBuild = true
