#!/usr/bin/env bash
# window-smoke.sh: opens Koppel's window on a virtual X display with a seeded
# data folder and checks that it appears and renders (and how many font faces
# its first screen set up in WebKitGTK, counted by scripts/fontmatch-count.c,
# which it builds with the system's C compiler); then the real desktop
# paste of issue 5: a Quick Connect text on the X clipboard (xclip), the
# Quick Connect view opened and Ctrl+V sent with xdotool, the link applied
# from the keyboard, checked with a screenshot and through the CLI.
#
#   scripts/window-smoke.sh            build with `wails build`, then check
#   scripts/window-smoke.sh BINARY     check an existing build (e.g. build/bin/koppel)
#
# Needs xvfb, xdotool, imagemagick, a C compiler, pkg-config and fontconfig's
# headers (scripts/install-deps.sh; the last come with libgtk-3-dev). Uses a
# temporary KOPPEL_HOME with the file keyring and no D-Bus; never the user's
# data. Prints the screenshot's path (SMOKE_SCREENSHOT, default
# screenshots/window-smoke.png); exits non-zero on any failure.
set -euo pipefail

# Linux builds link the system's SQLite, as `make` does (Makefile: GOFLAGS).
export GOFLAGS=${GOFLAGS--tags=libsqlite3}
wails_tags=(-tags "${KOPPEL_WAILS_TAGS-libsqlite3}")

root=$(cd "$(dirname "$0")/.." && pwd)
wait_seconds=30
shot=${SMOKE_SCREENSHOT:-$root/screenshots/window-smoke.png}
min_colours=64  # a blank or half-painted window has a handful
stable_shots=3  # unchanged shots in a row (1.5 s) before the screen counts as settled

tmp=$(mktemp -d "${TMPDIR:-/tmp}/koppel-smoke.XXXXXX")
app_pid=""
xvfb_pid=""

say() { echo "window-smoke: $*" >&2; }
fail() {
  say "FAIL: $*"
  if [[ -s $tmp/app.log ]]; then
    say "app output:"
    tail -n 40 "$tmp/app.log" >&2
  fi
  exit 1
}

cleanup() {
  stop "$app_pid"
  stop "$xvfb_pid"
  rm -rf "$tmp"
}
trap cleanup EXIT

# stop ends one process we started: TERM, then KILL after 5 s.
stop() {
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

build() {
  local wails=${WAILS:-$(command -v wails || echo "$HOME/go/bin/wails")}
  [[ -x $wails ]] || fail "no wails CLI (go install github.com/wailsapp/wails/v2/cmd/wails@v2.16.0)"
  cd "$root"
  # Binding generation compiles main.go, whose go:embed needs a built
  # frontend: build it first on a fresh clone.
  if [[ ! -f frontend/dist/index.html || ! -f frontend/dist-ssr/first-screen.js ]]; then
    say "building the frontend first"
    npm --prefix frontend ci --no-audit --no-fund >&2
    npm --prefix frontend run build >&2
  fi
  say "wails build"
  # -m: never run `go mod tidy` behind the project's back.
  "$wails" build -m "${wails_tags[@]}" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; fail "wails build failed"; }
  echo "$root/build/bin/koppel"
}

# seed adds an organization with an active and a revoked connection, and a
# second organization, through the CLI. A CLI that does not know these
# commands yet (usage error, exit 2) leaves the folder empty, with a notice.
seed() {
  local bin=$1 rc=0 out
  out=$("$bin" org add --name "Bakkerij Jansen BV" --party-id NL:KVK:12345678 2>&1) || rc=$?
  if [[ $rc -eq 2 ]]; then
    say "NOTICE: the CLI cannot add organizations yet; the window opens empty ($out)"
    return 0
  fi
  [[ $rc -eq 0 ]] || fail "koppel org add: exit $rc: $out"
  "$bin" org add --name "Zuiderzee Installatietechniek BV" --party-id NL:KVK:87654321 >/dev/null ||
    fail "koppel org add (second)"
  # conn create prints the Secret: keep only the App Key, print nothing else.
  out=$("$bin" conn create --org NL:KVK:12345678 --software yuki --json 2>/dev/null) || rc=$?
  if [[ $rc -eq 2 ]]; then
    say "NOTICE: the CLI cannot create connections yet; organizations only"
    return 0
  fi
  [[ $rc -eq 0 ]] || fail "koppel conn create: exit $rc"
  local app_key
  app_key=$(grep -o '"appKey": *"ak_[A-Za-z0-9]*"' <<<"$out" | grep -o 'ak_[A-Za-z0-9]*') ||
    fail "koppel conn create --json gave no App Key"
  out=""
  "$bin" conn revoke "$app_key" --reason lost >/dev/null || fail "koppel conn revoke"
  "$bin" conn create --org NL:KVK:12345678 --software basecone >/dev/null || fail "koppel conn create (second)"
  # For the paste: an administration with its email on record, and a Yuki
  # connection whose Quick Connect text goes to a private file, never to
  # the output.
  "$bin" admin add --software yuki --name "Bakkerij Jansen" --code BJ01 --org NL:KVK:12345678 \
    --email administratie@bakkerij-jansen.nl >/dev/null || fail "koppel admin add"
  (umask 077 && "$bin" conn create --org NL:KVK:12345678 --software yuki --quick-connect >"$tmp/qc.txt" 2>/dev/null) ||
    fail "koppel conn create --quick-connect"
  say "seeded 2 organizations, 3 connections (1 revoked), 1 administration"
}

start_display() {
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$tmp/display" 2>"$tmp/xvfb.log" &
  xvfb_pid=$!
  for _ in $(seq 100); do
    [[ -s $tmp/display ]] && break
    kill -0 "$xvfb_pid" 2>/dev/null || fail "Xvfb did not start: $(cat "$tmp/xvfb.log")"
    sleep 0.1
  done
  [[ -s $tmp/display ]] || fail "Xvfb gave no display number"
  export DISPLAY=":$(head -n 1 "$tmp/display")"
}

# wait_for_window waits, within the deadline, for a window titled exactly
# "Koppel" while the app keeps running.
wait_for_window() {
  local deadline=$1
  until xdotool search --name '^Koppel$' >/dev/null 2>&1; do
    kill -0 "$app_pid" 2>/dev/null || fail "koppel exited before its window appeared"
    ((SECONDS < deadline)) || fail "no window titled Koppel within ${wait_seconds}s"
    sleep 0.2
  done
}

# screenshot takes a shot every half second until the screen is painted
# (enough colours) and has stopped changing (the data has arrived), within
# the deadline.
screenshot() {
  local deadline=$1 colours=0 same=0 prev="" sum
  while ((SECONDS < deadline)); do
    sleep 0.5
    import -window root "$tmp/shot.png" 2>/dev/null || continue
    colours=$(identify -format %k "$tmp/shot.png")
    sum=$(identify -format %# "$tmp/shot.png")
    if ((colours >= min_colours)) && [[ $sum == "$prev" ]]; then
      ((++same >= stable_shots)) && break
    else
      same=0
    fi
    prev=$sum
  done
  ((colours >= min_colours)) || fail "the window stayed blank ($colours colours)"
  ((same >= stable_shots)) || fail "the window kept changing for ${wait_seconds}s"
  cp "$tmp/shot.png" "$shot"
  [[ $(identify -format %m "$shot") == PNG ]] || fail "$shot is not a PNG"
  say "screenshot has $colours colours"
}

# check_api checks that the window runs the local API beside it: discovery
# answers on KOPPEL_API_ADDR and names its token endpoint.
check_api() {
  local body
  body=$(curl -sS --max-time 5 "http://$KOPPEL_API_ADDR/.well-known/openid-configuration") ||
    fail "the local API does not answer on $KOPPEL_API_ADDR while the window is open"
  grep -q '"token_endpoint"' <<<"$body" || fail "the local API's discovery document has no token_endpoint: $body"
  say "the local API answers on $KOPPEL_API_ADDR"
}

# check_min_size checks that the window tells the window manager its
# minimum size (main.go sets it once the page is up, not at creation).
check_min_size() {
  local wid hints
  wid=$(xdotool search --onlyvisible --name '^Koppel$' | head -n 1)
  hints=$(xprop -id "$wid" WM_NORMAL_HINTS) || fail "xprop could not read the window's size hints"
  grep -q 'minimum size: 760 by 480' <<<"$hints" || fail "the window has no minimum size of 760 by 480: $hints"
  say "the window's minimum size is 760 by 480"
}

# web_process prints the pid of the app's WebKit web process.
web_process() {
  local web
  web=$(pgrep -P "$app_pid" -x WebKitWebProces | head -n 1)
  [[ -n $web ]] || fail "no WebKit web process under the app"
  echo "$web"
}

# check_webkit_tuning checks that the window's web process runs with the
# JavaScript engine option main.go sets (webkit_linux.go).
check_webkit_tuning() {
  local web
  web=$(web_process)
  tr '\0' '\n' <"/proc/$web/environ" | grep -qx 'JSC_useDFGJIT=false' ||
    fail "the web process runs without JSC_useDFGJIT=false"
  say "the web process runs without JavaScriptCore's optimizing JIT"
}

# The first screen's font faces: WebKitGTK matches a font with fontconfig
# for every face it sets up, 1-2 ms each before its first frame (app.css,
# the type scale). The window runs with scripts/fontmatch-count.c preloaded,
# which writes one line per match; the web process may have made at most
# this many when the first screen has settled: the four faces of the type
# scale the overview uses, and WebKit's default one. (It made eight when a
# search field's hidden clear button and the brand's semibold base size took
# faces of their own, and six while column headers and badges were
# semibold.)
max_font_faces=5

# build_fontmatch_count compiles the preload library into the temporary
# folder.
build_fontmatch_count() {
  local cc=${CC:-cc}
  command -v "$cc" >/dev/null || fail "no C compiler ($cc) for scripts/fontmatch-count.c"
  # shellcheck disable=SC2046 # the flags are words
  "$cc" -shared -fPIC -O2 -Wall -o "$tmp/fontmatch-count.so" "$root/scripts/fontmatch-count.c" -ldl \
    $(pkg-config --cflags fontconfig) 2>"$tmp/cc.log" || { cat "$tmp/cc.log" >&2; fail "could not build scripts/fontmatch-count.c"; }
}

# check_font_faces counts the web process's font matches so far.
check_font_faces() {
  local web faces
  web=$(web_process)
  [[ -s $KOPPEL_FONTMATCH_LOG ]] || fail "the preload library counted no font matches ($KOPPEL_FONTMATCH_LOG is empty)"
  faces=$(grep -cx "$web" "$KOPPEL_FONTMATCH_LOG" || true)
  ((faces > 0)) || fail "the web process made no font matches: was the preload library loaded?"
  ((faces <= max_font_faces)) || fail "the first screen set up $faces font faces in WebKitGTK (at most $max_font_faces)"
  say "the first screen set up $faces font faces (at most $max_font_faces)"
}

# quick_connect_paste is the desktop paste test: the Quick Connect text on
# the X clipboard, the view opened with its shortcut (Ctrl+Shift+K), Ctrl+V
# sent to the window, then (the administration and its email filled in from
# the record, focus on the confirmation box) Space and Enter. The CLI must
# then list an active link of that App Key to the administration.
quick_connect_paste() {
  local bin=$1 app_key wid links=""
  app_key=$(grep -o 'ak_[A-Za-z0-9]*' "$tmp/qc.txt" | head -n 1) || fail "no App Key in the Quick Connect text"
  xclip -selection clipboard -i "$tmp/qc.txt" || fail "xclip could not take the clipboard"
  wid=$(xdotool search --onlyvisible --name '^Koppel$' | head -n 1)
  [[ -n $wid ]] || fail "no visible window titled Koppel"
  # No window manager runs: focus follows the pointer, and a click on the
  # page's empty space gives the page the keyboard.
  xdotool windowfocus "$wid" 2>/dev/null || true
  xdotool mousemove --window "$wid" 700 20 click 1
  sleep 0.5
  xdotool key --clearmodifiers ctrl+shift+k
  sleep 1.5
  xdotool key --clearmodifiers ctrl+v
  sleep 2
  snap "$root/screenshots/quick-connect-pasted.png"
  xdotool key --clearmodifiers space
  sleep 0.3
  xdotool key --clearmodifiers Return
  local deadline=$((SECONDS + 15))
  while ((SECONDS < deadline)); do
    links=$("$bin" link list --json 2>/dev/null) || true
    if grep -q "\"appKey\": *\"$app_key\"" <<<"$links" && grep -q '"status": *"active"' <<<"$links"; then
      break
    fi
    links=""
    sleep 0.5
  done
  snap "$root/screenshots/quick-connect-applied.png"
  [[ -n $links ]] || fail "no active link for $app_key after the desktop paste (see screenshots/quick-connect-*.png)"
  grep -q '"administration": *"Bakkerij Jansen"' <<<"$links" || fail "the link is not to the administration: $links"
  say "desktop paste: Ctrl+V imported the keys and the link was applied (screenshots/quick-connect-applied.png)"
}

# first_screen closes the window as a user does, which keeps its first
# screen in the data folder (app/firstscreen.go), and opens it again: the
# page must carry that screen, and the window must then be live over it
# (Ctrl+Shift+K opens Quick Connect, which an inert first screen would not).
first_screen() {
  local bin=$1 deadline wid
  kill -TERM "$app_pid"
  deadline=$((SECONDS + 15))
  while kill -0 "$app_pid" 2>/dev/null; do
    ((SECONDS < deadline)) || fail "koppel did not close within 15s of SIGTERM"
    sleep 0.2
  done
  head -c 22 "$KOPPEL_HOME/first-screen.html" 2>/dev/null | grep -q '^koppel-first-screen-1 ' ||
    fail "closing the window kept no first screen in $KOPPEL_HOME/first-screen.html"
  grep -q '"first screen: ' "$KOPPEL_HOME/koppel.log" && fail "first screen errors: $(grep '"first screen: ' "$KOPPEL_HOME/koppel.log")"
  "$bin" >"$tmp/app2.log" 2>&1 &
  app_pid=$!
  deadline=$((SECONDS + wait_seconds))
  wait_for_window "$deadline"
  # The window is up before its page is served: give the page a moment.
  until grep -q 'the page carries the first screen kept when the window closed' "$KOPPEL_HOME/koppel.log"; do
    ((SECONDS < deadline)) || fail "the page opened without the first screen kept at close"
    sleep 0.2
  done
  sleep 2
  snap "$tmp/first-screen-overview.png"
  wid=$(xdotool search --onlyvisible --name '^Koppel$' | head -n 1)
  xdotool mousemove --window "$wid" 700 20 click 1
  sleep 0.5
  xdotool key --clearmodifiers ctrl+shift+k
  sleep 1.5
  snap "$root/screenshots/first-screen-live.png"
  local changed
  # AE: the pixels that differ (ImageMagick may write 2e+06).
  changed=$(compare -metric AE "$tmp/first-screen-overview.png" "$root/screenshots/first-screen-live.png" null: 2>&1 | awk '{ printf "%d", $1 }' || true)
  ((changed > 20000)) ||
    fail "the window did not answer Ctrl+Shift+K after opening with its first screen ($changed pixels changed; screenshots/first-screen-live.png)"
  say "reopened with the first screen kept at close, then live: Ctrl+Shift+K opened Quick Connect ($changed pixels changed)"
}

# snap saves a screenshot of the whole display to $1.
snap() {
  sleep 0.3
  import -window root "$1" 2>/dev/null || fail "could not take a screenshot"
}

main() {
  local bin=${1:-}
  [[ -n $bin ]] || bin=$(build)
  [[ -x $bin ]] || fail "$bin is not an executable"
  for tool in Xvfb xdotool xprop import identify curl pkg-config; do
    command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps.sh)"
  done

  export KOPPEL_HOME=$tmp/home
  export KOPPEL_KEYRING=file
  export KOPPEL_KEYRING_PASSPHRASE=window-smoke-passphrase
  export DBUS_SESSION_BUS_ADDRESS=disabled:
  export KOPPEL_API_ADDR=127.0.0.1:$((20000 + RANDOM % 20000))
  seed "$bin"

  mkdir -p "$(dirname "$shot")"
  rm -f "$shot"
  build_fontmatch_count
  export KOPPEL_FONTMATCH_LOG=$tmp/fontmatch.log
  start_display
  local deadline=$((SECONDS + wait_seconds))
  LD_PRELOAD=$tmp/fontmatch-count.so "$bin" >"$tmp/app.log" 2>&1 &
  app_pid=$!
  wait_for_window "$deadline"
  say "window appeared after $((SECONDS + wait_seconds - deadline))s"
  screenshot "$deadline"
  kill -0 "$app_pid" 2>/dev/null || fail "koppel exited while on screen"
  check_api
  check_min_size
  check_webkit_tuning
  check_font_faces
  quick_connect_paste "$bin"
  kill -0 "$app_pid" 2>/dev/null || fail "koppel exited during the desktop paste"
  first_screen "$bin"
  echo "$shot"
}

main "$@"
