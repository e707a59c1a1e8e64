#!/usr/bin/env bash
# e2e.sh: Koppel's whole journey in a real browser against the real Go
# services. Copies the working tree to a temporary folder (so that files
# saved meanwhile, or another `wails dev` in the tree, cannot disturb the run,
# and the run writes nothing into the tree but the screenshots), starts
# `wails dev` there on a virtual X display (xvfb-run) with a temporary data
# folder, waits for http://localhost:34115, runs e2e/journey.mjs
# (playwright-core driving Debian's Chromium, axe-core on every screen, the
# clipboard read back from the X display), and tears it all down again, also
# on failure or Ctrl+C. Prints the screenshot folder; exits non-zero when
# anything fails.
#
#   scripts/e2e.sh
#
# Environment (all optional):
#   E2E_PORT             wails dev server port (default 34115, or a free one when that is taken)
#   E2E_SCREENSHOTS      screenshot folder (default screenshots/e2e)
#   E2E_BOOT_SECONDS     how long wails dev may take to serve (default 300:
#                        a cold Go build cache compiles go-sqlite3 and WebKit glue)
#   E2E_JOURNEY_SECONDS  how long the journey may take (default 300)
#   CHROMIUM             the browser (default /usr/bin/chromium)
#   E2E_KEEP=1           keep the temporary folder (logs, data folder)
#   E2E_DEBUG=1          print how long screenshots, axe and heap snapshots take
#   E2E_SCRIPT           the script to run instead of e2e/journey.mjs (the
#                        window benchmarks use this: scripts/bench-qc.sh)
#
# Needs: Go, the Wails CLI, Node.js + npm, and the Debian packages xvfb xauth
# xclip chromium libgtk-3-dev libwebkit2gtk-4.0-dev (scripts/install-deps.sh).
set -euo pipefail

# Linux builds link the system's SQLite, as `make` does (Makefile: GOFLAGS).
export GOFLAGS=${GOFLAGS--tags=libsqlite3}
wails_tags=(-tags "${KOPPEL_WAILS_TAGS-libsqlite3}")

root=$(cd "$(dirname "$0")/.." && pwd)
port=${E2E_PORT:-34115}
shots=${E2E_SCREENSHOTS:-$root/screenshots/e2e}
boot_seconds=${E2E_BOOT_SECONDS:-300}
journey_seconds=${E2E_JOURNEY_SECONDS:-300}
wails=${WAILS:-$(command -v wails || echo "$(go env GOPATH)/bin/wails")}
chromium=${CHROMIUM:-/usr/bin/chromium}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/koppel-e2e.XXXXXX")
sessions=() # ids of the process sessions this script started
src=$tmp/src # the copy of the working tree the app runs from
phase=prepare
started=$SECONDS

say() { echo "e2e: $*" >&2; }
fail() {
  say "FAIL: $*"
  exit 1
}

# kill_session ends every process of session $1 (one this script created
# with setsid): TERM, then KILL after 10 s. Processes that changed their
# process group (Vite does) are still in the session.
kill_session() {
  local sid=$1 pids
  pids=$(ps -eo pid=,sid= | awk -v s="$sid" '$2 == s { print $1 }')
  [[ -n $pids ]] || return 0
  kill -TERM $pids 2>/dev/null || true
  for _ in $(seq 100); do
    pids=$(ps -eo pid=,sid= | awk -v s="$sid" '$2 == s { print $1 }')
    [[ -n $pids ]] || return 0
    sleep 0.1
  done
  say "killing what did not stop: $(ps -o pid=,args= -p "${pids//$'\n'/,}" | cut -c1-80 | tr '\n' ';')"
  kill -KILL $pids 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for sid in "${sessions[@]}"; do kill_session "$sid"; done
  # The journey reports its own failures; the app's output helps when it
  # never got that far.
  if ((rc != 0)) && [[ $phase != journey && -s $tmp/wails-dev.log ]]; then
    say "wails dev output (last 40 lines):"
    tail -n 40 "$tmp/wails-dev.log" | sed 's/\x1b\[[0-9;]*m//g' >&2
  fi
  if [[ ${E2E_KEEP:-} == 1 ]]; then
    say "kept $tmp"
  else
    rm -rf "$tmp"
  fi
  say "$( ((rc == 0)) && echo passed || echo FAILED) in $((SECONDS - started))s"
  echo "screenshots: $shots"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start LOG CMD...: runs CMD in a new session (so that teardown finds all of
# its descendants) with output to LOG; sets $last_sid.
start() {
  local log=$1
  shift
  setsid "$@" >"$log" 2>&1 </dev/null &
  last_sid=$!
  sessions+=("$last_sid")
}

check_tools() {
  local missing=()
  for tool in xvfb-run Xvfb xauth xclip curl node npm go; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  [[ -x $wails ]] || missing+=("wails ($wails)")
  [[ -x $chromium ]] || missing+=("chromium ($chromium)")
  ((${#missing[@]} == 0)) || fail "missing: ${missing[*]} (scripts/install-deps.sh; apt-get install -y chromium xclip)"
}

prepare() {
  cd "$root"
  if [[ ! -d frontend/node_modules ]]; then
    say "npm ci (frontend)"
    npm --prefix frontend ci --no-audit --no-fund --loglevel=error >&2
  fi
  local stamp=e2e/node_modules/.koppel-lock
  if [[ ! -f $stamp ]] || ! cmp -s e2e/package-lock.json "$stamp"; then
    say "npm ci (e2e)"
    npm --prefix e2e ci --no-audit --no-fund --loglevel=error >&2
    cp e2e/package-lock.json "$stamp"
  fi
  # The copy the app runs from: the working tree as it is, with the
  # frontend's packages hard-linked (copied across file systems).
  mkdir -p "$src"
  tar -C "$root" --exclude=./.git --exclude=node_modules --exclude=./build/bin --exclude=./frontend/dist \
    --exclude=./screenshots --exclude=./bench-results -cf - . | tar -C "$src" -xf -
  cp -al frontend/node_modules "$src/frontend/node_modules" 2>/dev/null ||
    cp -a frontend/node_modules "$src/frontend/node_modules"
  # The command line, to check what the window did. The cli test binary
  # stands in for `koppel` (KOPPEL_CLI_EXEC=1) and needs no built frontend.
  say "building the command line"
  (cd "$src" && go test -c -o "$tmp/koppel.test" ./internal/cli) >&2
  mkdir -p "$tmp/bin"
  printf '#!/bin/sh\nKOPPEL_CLI_EXEC=1 exec %q "$@"\n' "$tmp/koppel.test" >"$tmp/bin/koppel"
  chmod +x "$tmp/bin/koppel"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })'; }

start_app() {
  if port_in_use "$port"; then
    [[ -z ${E2E_PORT:-} ]] || fail "port $port is in use (another wails dev?)"
    port=$(free_port)
    say "port 34115 is in use (another wails dev?); using $port"
  fi
  export KOPPEL_HOME=$tmp/home
  export KOPPEL_KEYRING=file
  export KOPPEL_KEYRING_PASSPHRASE=e2e-passphrase-not-a-secret
  export DBUS_SESSION_BUS_ADDRESS=disabled:
  # The window's local API on a free port: another Koppel may hold 8642.
  KOPPEL_API_ADDR=127.0.0.1:$(free_port)
  export KOPPEL_API_ADDR
  say "starting wails dev on :$port (display via xvfb-run)"
  # -m: no go mod tidy. -s: Vite's dev server serves the frontend.
  # -nogorebuild/-noreload: nothing may restart the app during the run.
  # The wrapper records xvfb-run's DISPLAY and XAUTHORITY for xclip and
  # Chromium.
  cd "$src"
  start "$tmp/wails-dev.log" xvfb-run -a -s "-screen 0 1440x900x24 -nolisten tcp" \
    sh -c 'printf "%s\n%s\n" "$DISPLAY" "$XAUTHORITY" >"$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' "$tmp/display" \
    "$wails" dev -m -s -nogorebuild -noreload -nocolour "${wails_tags[@]}" -devserver "localhost:$port"

  local deadline=$((SECONDS + boot_seconds))
  until curl -sf -o /dev/null "http://localhost:$port/"; do
    kill -0 "$last_sid" 2>/dev/null || fail "wails dev exited before serving"
    ((SECONDS < deadline)) || fail "wails dev did not serve http://localhost:$port within ${boot_seconds}s"
    sleep 0.5
  done
  [[ -s $tmp/display ]] || fail "xvfb-run gave no display"
  say "wails dev serves http://localhost:$port after $((SECONDS - started))s"
}

run_journey() {
  local display xauthority rc=0
  { read -r display && read -r xauthority; } <"$tmp/display"
  mkdir -p "$shots"
  rm -f "$shots"/*.png
  say "journey"
  phase=journey
  # The journey runs in its own session too, so that a browser it leaves
  # behind is ended with it.
  setsid env DISPLAY="$display" XAUTHORITY="$xauthority" PATH="$tmp/bin:$PATH" \
    E2E_URL="http://localhost:$port/" E2E_SCREENSHOTS="$shots" E2E_TMP="$tmp" E2E_DEBUG="${E2E_DEBUG:-}" CHROMIUM="$chromium" \
    timeout -k 10 "$journey_seconds" node "${E2E_SCRIPT:-$root/e2e/journey.mjs}" </dev/null &
  sessions+=("$!")
  wait "$!" || rc=$?
  ((rc != 124)) || fail "the journey took longer than ${journey_seconds}s"
  ((rc == 0)) || fail "the journey failed (exit $rc)"
}

check_tools
prepare
start_app
run_journey
