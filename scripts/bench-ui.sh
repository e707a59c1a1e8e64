#!/usr/bin/env bash
# bench-ui.sh (`make bench-ui`): the window figures of issue 3, Koppel
# against the bare Wails svelte-ts template, measured in the same run:
#   (a) process start → template DOM ready vs → Koppel overview rendered
#   (b) search keystroke → updated list (in Koppel's WebKit window)
#   (c) idle PSS of the process tree, template vs Koppel
# with 10,000 connections over 1,000 organizations in Koppel's data folder.
#
#   scripts/bench-ui.sh
#
# Steps: seed a temporary data folder (scripts/seed); build Koppel from a
# copy of this working tree and the template from `wails init`, each with
# e2e/bench/bench-mark.js linked into its page (the copy is never the
# product); then run both alternately on a virtual X display
# (e2e/bench-ui.mjs) and print the table. Both are production builds with
# the same flags (`wails build -m -trimpath`; Koppel's with -tags libsqlite3,
# as `make build`); Koppel's adds -s -skipbindings only because its bindings
# and frontend are built in the steps before, as `wails build` would. The
# template's figure is its DOM ready, before it has painted anything, while
# Koppel's is its overview painted; beside them the table shows the like-for-
# like pairs: Koppel's overview in the DOM, unpainted, and each program's
# first frame painted after DOM ready. Figures are reported, not
# asserted: it exits non-zero only when something could not be built or
# measured.
#
# Environment: BENCH_RUNS (default 11: with 5, the start-up ratio's median
# moved by ±0.1× from one run of the script to the next), BENCH_ORGS (1000),
# BENCH_PER_ORG (10), BENCH_UI_JSON=FILE to also write every run's figures as
# JSON, BENCH_KEEP=1 to keep the temporary folder, WAILS (the Wails CLI).
# Needs: Go, the Wails CLI v2.16.0, Node.js + npm (the npm registry for the
# template's packages), xvfb, libgtk-3-dev, libwebkit2gtk-4.0-dev.
set -euo pipefail

# Linux builds link the system's SQLite, as `make` does (Makefile: GOFLAGS).
export GOFLAGS=${GOFLAGS--tags=libsqlite3}
wails_tags=(-tags "${KOPPEL_WAILS_TAGS-libsqlite3}")

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${BENCH_RUNS:-11}
orgs=${BENCH_ORGS:-1000}
per_org=${BENCH_PER_ORG:-10}
wails=${WAILS:-$(command -v wails || echo "$(go env GOPATH)/bin/wails")}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/koppel-bench-ui.XXXXXX")
session=""
started=$SECONDS

say() { echo "bench-ui: $*" >&2; }
fail() {
  say "FAIL: $*"
  exit 1
}

# end_session ends every process of the session this script started.
end_session() {
  local sid=$1 pids
  [[ -n $sid ]] || return 0
  pids=$(ps -eo pid=,sid= | awk -v s="$sid" '$2 == s { print $1 }')
  [[ -n $pids ]] || return 0
  kill -TERM $pids 2>/dev/null || true
  for _ in $(seq 50); do
    pids=$(ps -eo pid=,sid= | awk -v s="$sid" '$2 == s { print $1 }')
    [[ -n $pids ]] || return 0
    sleep 0.1
  done
  kill -KILL $pids 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  end_session "$session"
  if [[ ${BENCH_KEEP:-} == 1 ]]; then say "kept $tmp"; else rm -rf "$tmp"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# quiet LOG CMD...: runs CMD with its output in LOG, shown only on failure.
quiet() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 || { tail -n 40 "$log" | sed 's/\x1b\[[0-9;]*m//g' >&2; fail "$* failed"; }
}

for tool in xvfb-run node npm go; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps.sh)"
done
[[ -x $wails ]] || fail "no Wails CLI at $wails (go install github.com/wailsapp/wails/v2/cmd/wails@v2.16.0)"

export DBUS_SESSION_BUS_ADDRESS=disabled:
export KOPPEL_HOME=$tmp/home
export KOPPEL_KEYRING=file
export KOPPEL_KEYRING_PASSPHRASE=bench-ui-passphrase-not-a-secret
# The window's local API on a free port: another Koppel may hold 8642.
KOPPEL_API_ADDR=127.0.0.1:$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })')
export KOPPEL_API_ADDR

stamp=$root/e2e/node_modules/.koppel-lock
if [[ ! -f $stamp ]] || ! cmp -s "$root/e2e/package-lock.json" "$stamp"; then
  say "npm ci (e2e)"
  quiet "$tmp/npm-e2e.log" npm --prefix "$root/e2e" ci --no-audit --no-fund
  cp "$root/e2e/package-lock.json" "$stamp"
fi

# link_bench_mark DIR: puts bench-mark.js into the frontend in DIR and
# links it from its index.html, ahead of the app's own scripts.
link_bench_mark() {
  local frontend=$1/frontend
  mkdir -p "$frontend/public"
  cp "$root/e2e/bench/bench-mark.js" "$frontend/public/bench-mark.js"
  grep -q '</head>' "$frontend/index.html" || fail "$frontend/index.html has no </head>"
  sed -i 's#</head>#  <script src="/bench-mark.js"></script>\n</head>#' "$frontend/index.html"
}

say "seeding $orgs organizations with $per_org connections each"
(cd "$root" && go build -o "$tmp/seed" ./scripts/seed)
"$tmp/seed" -orgs "$orgs" -per-org "$per_org" >&2

say "building Koppel (a copy of the working tree, with bench-mark.js)"
mkdir -p "$tmp/koppel"
tar -C "$root" --exclude=./.git --exclude=node_modules --exclude=./build/bin --exclude=./frontend/dist \
  --exclude='./frontend/dist-ssr/*.js' --exclude=./screenshots --exclude=./bench-results -cf - . | tar -C "$tmp/koppel" -xf -
[[ -d $root/frontend/node_modules ]] || quiet "$tmp/npm-frontend.log" npm --prefix "$root/frontend" ci --no-audit --no-fund
# Hard links (a copy across file systems): the build writes nothing into the tree.
cp -al "$root/frontend/node_modules" "$tmp/koppel/frontend/node_modules" 2>/dev/null ||
  cp -a "$root/frontend/node_modules" "$tmp/koppel/frontend/node_modules"
link_bench_mark "$tmp/koppel"
# Bindings first (the frontend imports them), then the frontend, then the
# program around it — what `wails build` does, with the page script added.
# Generating bindings compiles main.go, whose go:embed needs a dist folder.
mkdir -p "$tmp/koppel/frontend/dist" && touch "$tmp/koppel/frontend/dist/.placeholder"
(cd "$tmp/koppel" && quiet "$tmp/koppel-bindings.log" "$wails" generate module)
(cd "$tmp/koppel/frontend" && quiet "$tmp/koppel-vite.log" npm run build)
grep -q 'bench-mark.js' "$tmp/koppel/frontend/dist/index.html" || fail "bench-mark.js is not in Koppel's built page"
(cd "$tmp/koppel" && quiet "$tmp/koppel-build.log" "$wails" build -m -s -skipbindings -trimpath "${wails_tags[@]}")
koppel_bin=$tmp/koppel/build/bin/koppel

say "building the bare Wails svelte-ts template (with bench-mark.js)"
(cd "$tmp" && quiet "$tmp/template-init.log" "$wails" init -n benchtpl -t svelte-ts -d "$tmp/template")
# DESIGN §8: Vite 8 needs @sveltejs/vite-plugin-svelte 7, and Svelte 5
# mounts with mount(), not new App().
sed -i 's#"@sveltejs/vite-plugin-svelte": "[^"]*"#"@sveltejs/vite-plugin-svelte": "^7.0.0"#' "$tmp/template/frontend/package.json"
cat >"$tmp/template/frontend/src/main.ts" <<'EOF'
import './style.css'
import { mount } from 'svelte'
import App from './App.svelte'

const app = mount(App, { target: document.getElementById('app')! })

export default app
EOF
link_bench_mark "$tmp/template"
(cd "$tmp/template" && quiet "$tmp/template-build.log" env GOFLAGS= "$wails" build -m -trimpath -o benchtpl)
template_bin=$tmp/template/build/bin/benchtpl
grep -q 'bench-mark.js' "$tmp/template/frontend/dist/index.html" || fail "bench-mark.js is not in the template's built page"

say "measuring ($runs runs each after a warm-up) on a virtual display"
setsid xvfb-run -a -s "-screen 0 1440x900x24 -nolisten tcp" \
  node "$root/e2e/bench-ui.mjs" --template "$template_bin" --koppel "$koppel_bin" --runs "$runs" \
  ${BENCH_UI_JSON:+--json "$BENCH_UI_JSON"} </dev/null &
session=$!
rc=0
wait "$session" || rc=$?
say "done in $((SECONDS - started))s"
exit "$rc"
