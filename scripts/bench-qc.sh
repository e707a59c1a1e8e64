#!/usr/bin/env bash
# bench-qc.sh (part of `make bench`): the Quick Connect window figures of
# issue 5 — button → view ready, Ctrl+V → recognised keys shown — measured
# by e2e/bench-qc.mjs in Chromium against the real Go services, run by
# scripts/e2e.sh (wails dev on a virtual display, a temporary data folder).
# BENCH_QC_RUNS (default 20) sets the number of measured runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
E2E_SCRIPT=$root/e2e/bench-qc.mjs E2E_SCREENSHOTS=${TMPDIR:-/tmp}/koppel-bench-qc-shots exec "$root/scripts/e2e.sh"
