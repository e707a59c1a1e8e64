#!/usr/bin/env bash
# Runs Koppel's benchmarks and prints each figure beside its target.
set -euo pipefail
cd "$(dirname "$0")/.."
export DBUS_SESSION_BUS_ADDRESS=disabled:
out=$(mktemp)
trap 'rm -f "$out"' EXIT
go test -run '^$' -bench . -benchmem -benchtime "${BENCHTIME:-2s}" \
  ./internal/keys/ ./internal/vault/ ./internal/connections/ ./internal/documents/ ./internal/quickconnect/ ./internal/overview/ \
  ./app/ | tee "$out"

# figure NAME UNIT TARGET: print the benchmark's value (the metric UNIT) beside TARGET.
figure() {
  awk -v name="$1" -v unit="$2" -v target="$3" -v label="$4" '
    $1 ~ "^"name"(-[0-9]+)?$" { for (i = 2; i < NF; i++) if ($(i+1) == unit) v = $i }
    END { if (v == "") v = "missing"; printf "  %-48s %12s %-9s target %s\n", label, v, unit, target }' "$out"
}
echo
echo "Figures (this machine: $(nproc) cores):"
figure BenchmarkCreate median-ms "≤ 1 ms" "create a connection (median)"
figure BenchmarkVerify ns/op "≤ 5000 ns" "verify a Secret"
figure BenchmarkParsePaste ns/op "≤ 20000 ns" "parse a Quick Connect paste"
figure BenchmarkRecognise median-ms "≤ 1 ms" "recognise a paste as a connection (median)"
figure BenchmarkApply median-ms "≤ 20 ms" "apply a Quick Connect link (median)"
figure BenchmarkListByOrganization median-ms "≤ 15 ms" "list 10,000 connections by organization"
figure BenchmarkOverviewSearch ns/op "≤ 50 ms" "search 10,000 connections (one keystroke)"
figure BenchmarkOverviewFirst ns/op "≤ 5 ms" "the window's first screen, index not read"
figure BenchmarkOverviewLoad ns/op "(after the page is up)" "read the index of 10,000 connections"
figure BenchmarkFirstScreenFor ns/op "≤ 1 ms" "find the first screen kept at close (page request)"
figure BenchmarkFirstScreenKeep ns/op "(as the window closes)" "render and keep the first screen (goja)"
figure BenchmarkReconcile median-ms "≤ 200 ms" "reconcile 10,000 connections"
figure BenchmarkImport10000 s/10k-files "≤ 10 s" "import 10,000 invoices"
figure BenchmarkListInbox100k median-ms "≤ 20 ms" "inbox page of 100,000 documents"
