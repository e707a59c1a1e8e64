//go:build !bindings

package main

// bindingsBuild says this build only generates the window's bindings.
const bindingsBuild = false
