#!/usr/bin/env bash
# Figures of the local API (DESIGN §5, issue 4), printed, not asserted:
# side by side in one run, `hey` at 32 connections against `koppel serve` on
# loopback and against bench/plain (a net/http handler that answers every
# request with a fixed 100-byte JSON body), for token requests and for an
# authenticated GET /api/v1/me/party; then the server's RSS after 10,000 and
# 1,000,000 issued tokens.
#
# Targets: tokens ≥ 0.7 × plain's requests/s with p99 ≤ 1.5 × plain's p99;
# /me/party ≥ 0.8 × plain's requests/s; RSS after 1M tokens within 10% of
# RSS after 10k.
#
#   bench/api.sh            (DURATION=6s CONNECTIONS=32 ROUNDS=5 to change)
#
# Needs hey (Debian package hey) and gcc for go-sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-6s}
CONNECTIONS=${CONNECTIONS:-32}
ROUNDS=${ROUNDS:-5}
command -v hey >/dev/null || { echo "bench/api.sh needs hey: apt-get install hey" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/bin/" ./bench/koppel ./bench/plain

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
api_port=$(free_port)
plain_port=$(free_port)

export KOPPEL_HOME="$work/home" KOPPEL_KEYRING=file KOPPEL_KEYRING_PASSPHRASE="bench only" DBUS_SESSION_BUS_ADDRESS=disabled:
koppel="$work/bin/koppel"
"$koppel" org add --name "Bakkerij Jansen" --party-id NL:KVK:12345678 >/dev/null
issued=$("$koppel" conn create --org NL:KVK:12345678 --software yuki --json)
app_key=$(sed -n 's/.*"appKey": "\([^"]*\)".*/\1/p' <<<"$issued")
secret=$(sed -n 's/.*"secret": "\([^"]*\)".*/\1/p' <<<"$issued")
form="grant_type=client_credentials&client_id=$app_key&client_secret=$secret"

KOPPEL_API_ADDR="127.0.0.1:$api_port" "$koppel" serve >"$work/serve.log" 2>&1 &
pids+=($!)
"$work/bin/plain" -addr "127.0.0.1:$plain_port" 2>"$work/plain.log" &
pids+=($!)
api="http://127.0.0.1:$api_port"
plain="http://127.0.0.1:$plain_port"
for _ in $(seq 100); do
  curl -fsS "$api/.well-known/openid-configuration" >/dev/null 2>&1 && curl -fsS -X POST "$plain/" >/dev/null 2>&1 && break
  sleep 0.1
done
token=$(curl -fsS -d "$form" "$api/connect/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "no token from $api" >&2; cat "$work/serve.log" >&2; exit 1; }

# run NAME hey-args…: prints "rps p99-ms" of one hey run.
run() {
  local out
  out=$(hey -z "$DURATION" -c "$CONNECTIONS" "$@")
  local codes
  codes=$(sed -n '/Status code distribution:/,/^$/p' <<<"$out" | grep -o '\[[0-9]*\]' | sort -u | tr -d '\n')
  if [ "$codes" != "[200]" ]; then
    echo "a run answered other than 200 ($codes):" >&2
    sed -n '/Status code distribution:/,$p' <<<"$out" >&2
    kill $$
  fi
  local rps p99
  rps=$(awk '/Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '/ 99% in / {print $3 * 1000}' <<<"$out")
  echo "$rps $p99"
}

post=(-m POST -T application/x-www-form-urlencoded -d "$form")
get=(-H "Authorization: Bearer $token")
# Warm up both servers.
hey -z 2s -c "$CONNECTIONS" "${post[@]}" "$api/connect/token" >/dev/null
hey -z 2s -c "$CONNECTIONS" "${post[@]}" "$plain/" >/dev/null

echo "hey, $CONNECTIONS connections, $DURATION per run, $ROUNDS rounds, $(nproc) CPUs; runs alternate between the two servers"
printf '%-28s %12s %10s %12s %10s %8s %8s\n' "" "plain r/s" "p99 ms" "koppel r/s" "p99 ms" "× r/s" "× p99"
rows=()
for round in $(seq "$ROUNDS"); do
  read -r pt pt99 <<<"$(run "${post[@]}" "$plain/")"
  read -r kt kt99 <<<"$(run "${post[@]}" "$api/connect/token")"
  read -r pg pg99 <<<"$(run "$plain/")"
  read -r kg kg99 <<<"$(run "${get[@]}" "$api/api/v1/me/party")"
  rows+=("token $pt $pt99 $kt $kt99" "party $pg $pg99 $kg $kg99")
  awk -v r="$round" -v pt="$pt" -v pt99="$pt99" -v kt="$kt" -v kt99="$kt99" \
      -v pg="$pg" -v pg99="$pg99" -v kg="$kg" -v kg99="$kg99" 'BEGIN {
    printf "%-28s %12.0f %10.2f %12.0f %10.2f %8.2f %8.2f\n", "POST /connect/token #" r, pt, pt99, kt, kt99, kt/pt, kt99/pt99
    printf "%-28s %12.0f %10.2f %12.0f %10.2f %8.2f %8.2f\n", "GET /api/v1/me/party #" r, pg, pg99, kg, kg99, kg/pg, kg99/pg99
  }'
done
# Medians of the ratios over the rounds: the machine's other load moves
# single runs a lot.
printf '%s\n' "${rows[@]}" | awk '
  { n[$1]++; rps[$1, n[$1]] = $4 / $2; p99[$1, n[$1]] = $5 / $3 }
  function median(a, k, m,   i, j, t, v) {
    for (i = 1; i <= m; i++) v[i] = a[k, i]
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
  }
  END {
    printf "median: tokens %.2f × plain r/s (target ≥ 0.70), p99 %.2f × (target ≤ 1.50); /me/party %.2f × plain r/s (target ≥ 0.80)\n",
      median(rps, "token", n["token"]), median(p99, "token", n["token"]), median(rps, "party", n["party"])
  }'
echo
echo "RSS after 10,000 and after 1,000,000 issued tokens (target: within 10%):"
DBUS_SESSION_BUS_ADDRESS=disabled: go test -run '^$' -bench '^BenchmarkTokenMemory$' -benchtime 1x ./internal/psbapi/ |
  awk '/BenchmarkTokenMemory/ {printf "  %s MiB after 10k, %s MiB after 1M, ratio %s\n", $5, $7, $9}'
