# Koppel. `make run` opens the app; `make test` installs what the tests need
# (Debian/Ubuntu) and runs them all. See README.md.

SHELL := /bin/bash
export CGO_ENABLED := 1
GOBIN := $(shell go env GOPATH)/bin
WAILS := $(GOBIN)/wails
FUZZTIME ?= 60s

# Linux builds and tests link the system's SQLite (libsqlite3-dev) instead of
# compiling it in: the window's WebKit processes have it loaded already, so
# its pages are shared, and the binary is 1.2 MB smaller (issue 3's memory
# figure). Windows and macOS builds compile SQLite in. `go` commands take the
# tag from GOFLAGS; the Wails CLI needs it on its command line.
ifeq ($(shell uname -s),Linux)
export GOFLAGS := -tags=libsqlite3
export KOPPEL_WAILS_TAGS := libsqlite3
endif
WAILS_TAGS := $(if $(KOPPEL_WAILS_TAGS),-tags $(KOPPEL_WAILS_TAGS))

.PHONY: all deps frontend build run test test-go test-frontend test-window test-e2e vet bench bench-ui bench-api fuzz build-windows clean

all: build

## deps: install Debian packages, the Wails CLI and npm packages (only what is missing)
deps:
	./scripts/install-deps.sh

## frontend: build frontend/dist and the server build frontend/dist-ssr, which the Go binary embeds
frontend: deps
	cd frontend && npm run build

## build: the desktop app in build/bin/koppel
# Binding generation runs the program; without a session bus the keyring
# package would start a dbus-daemon that outlives it.
NOBUS := DBUS_SESSION_BUS_ADDRESS=$${DBUS_SESSION_BUS_ADDRESS:-disabled:}

# The frontend first: Wails compiles the Go program to write the bindings
# before it would build the frontend, and the program embeds it.
build: frontend
	$(NOBUS) $(WAILS) build -m -s -trimpath $(WAILS_TAGS)

## run: build and open the app
run: build
	./build/bin/koppel

## test: everything CI runs
test: deps frontend vet test-frontend test-window test-e2e test-go

# vet: also the Windows and macOS code, as far as it builds without cgo (no
# machine of either runs in CI).
vet:
	$(NOBUS) go vet ./...
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go vet ./...
	GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 go vet ./...

## test-go: Go tests, with the keychain tests against a real Secret Service (gnome-keyring)
# A throwaway XDG_DATA_HOME gives gnome-keyring a fresh login keyring whose password is ours.
test-go:
	dbus-run-session -- env XDG_DATA_HOME="$$(mktemp -d)" bash -c 'echo -n koppel-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \
		KOPPEL_TEST_SECRET_SERVICE=1 KOPPEL_TEST_NODE=1 go test -race -count=1 ./...'

test-frontend:
	cd frontend && npm run check && npm test

## test-e2e: the whole journey in Chromium against wails dev, axe-core on every screen (screenshots/e2e/)
test-e2e: deps
	./scripts/e2e.sh

## test-window: build the app, open it under Xvfb with a seeded data folder, screenshot it
test-window: build
	./scripts/window-smoke.sh build/bin/koppel

## bench: the performance figures of DESIGN and the issues
bench: frontend
	./scripts/bench.sh
	./scripts/bench-qc.sh

## bench-ui: window figures against the bare Wails template, with 10,000 connections
bench-ui: deps
	./scripts/bench-ui.sh

## bench-api: the local API against a plain net/http ceiling, with hey
bench-api:
	command -v hey >/dev/null || ./scripts/install-deps.sh hey
	./bench/api.sh

## fuzz: fuzz the paste parser, the UBL reader and Quick Connect's Apply, FUZZTIME each (default 60s)
fuzz:
	go test -run '^$$' -fuzz '^FuzzParsePaste$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s ./internal/keys/
	go test -run '^$$' -fuzz '^FuzzParseUBL$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s ./internal/documents/
	go test -run '^$$' -fuzz '^FuzzQuickConnect$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s ./internal/quickconnect/

## build-windows: cross-compile the Windows .exe and NSIS installer (needs nsis, gcc-mingw-w64-x86-64)
build-windows: frontend
	$(NOBUS) GOFLAGS= CC=x86_64-w64-mingw32-gcc $(WAILS) build -m -s -platform windows/amd64 -nsis -trimpath

clean:
	rm -rf build/bin frontend/dist
	rm -f frontend/dist-ssr/*.js
