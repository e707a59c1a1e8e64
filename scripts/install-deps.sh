#!/usr/bin/env bash
# Installs what building and testing Koppel needs on Debian or Ubuntu:
# the Debian packages of DESIGN §8, the Wails CLI pinned at v2.16.0, and the
# frontend's npm packages. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

WAILS_VERSION=v2.16.0
PACKAGES=(
  build-essential pkg-config curl
  libgtk-3-dev libwebkit2gtk-4.0-dev   # the window (webkit2gtk 4.0: what Wails v2 links)
  libsqlite3-dev                        # Linux builds link the system's SQLite (Makefile: GOFLAGS)
  xvfb xauth xdotool xclip imagemagick x11-utils   # run and screenshot the window headless
  chromium                              # the browser journey against wails dev
  dbus dbus-x11 gnome-keyring libsecret-tools  # a real Secret Service for the keychain tests
)
# Extra packages named on the command line (e.g. `install-deps.sh hey` for make bench-api).
PACKAGES+=("$@")

missing=()
if command -v dpkg-query >/dev/null; then
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "install-deps: not a Debian/Ubuntu machine; install these yourself: ${missing[*]}" >&2
    exit 1
  fi
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

GOBIN="$(go env GOPATH)/bin"
if ! "$GOBIN/wails" version 2>/dev/null | grep -q "$WAILS_VERSION"; then
  echo "install-deps: installing the Wails CLI $WAILS_VERSION"
  go install "github.com/wailsapp/wails/v2/cmd/wails@$WAILS_VERSION"
fi

# npm ci in each Node folder, only when its lock file changed since the last install.
for dir in frontend e2e scripts/oidc-conformance; do
  [ -f "$dir/package-lock.json" ] || continue
  stamp=$dir/node_modules/.koppel-lock
  if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    echo "install-deps: installing the npm packages of $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
done
