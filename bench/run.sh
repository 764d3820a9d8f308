#!/usr/bin/env bash
# Builds the app in Release, starts it on the embedded default (SQLite) with a fresh data directory on 127.0.0.1,
# waits for it, runs the enrollment bench against it, prints the report and stops the server.
#   bench/run.sh [N] [CONCURRENCY]        (defaults: 800 50; PORT=9000, WARMUP=800 walks of each flow by default)
# The warm-up is long enough for the server's tiered JIT to settle: the targets are about a server in service.
# With 20 warm-up walks the measured phases still paid for compiling the hot code; with 200-300 the first
# enrollment round still cost 4-5 ms CPU more per enrollment than the later ones (not so with
# DOTNET_TieredCompilation=0: flat from the start), with 800 it no longer did.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
n="${1:-800}"
concurrency="${2:-50}"
port="${PORT:-9000}"
data="$(mktemp -d -t enrollment-bench.XXXXXX)"
log="$data/server.log"

echo "building (Release)…"
dotnet build "$root/Enrollment.csproj" -c Release -nologo -v q >/dev/null
dotnet build "$here/Enrollment.Bench/Enrollment.Bench.csproj" -c Release -nologo -v q >/dev/null

echo "starting the server on http://127.0.0.1:$port with data in $data"
cd "$root"   # content root: appsettings.json, wwwroot
ASPNETCORE_URLS="http://127.0.0.1:$port" DataDirectory="$data" ASPNETCORE_ENVIRONMENT=Production RateLimits__Enabled=false \
  dotnet "$root/bin/Release/net10.0/Enrollment.dll" >"$log" 2>&1 &
server=$!
stop() {
  if kill -0 "$server" 2>/dev/null; then kill "$server"; wait "$server" 2>/dev/null || true; fi
  rm -rf "$data"
}
trap stop EXIT

for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$port/"; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then echo "the server exited:"; cat "$log"; exit 1; fi
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/" || { echo "the server did not answer in 60 s"; cat "$log"; exit 1; }

status=0
dotnet "$here/Enrollment.Bench/bin/Release/net10.0/Enrollment.Bench.dll" "http://127.0.0.1:$port" \
  --db "$data/enrollment.db" --n "$n" --concurrency "$concurrency" --warmup "${WARMUP:-800}" --server-pid "$server" || status=$?
if grep -qE " (fail|crit):" "$log"; then echo "server log errors:"; grep -E -A3 " (fail|crit):" "$log" | head -40; fi
exit $status
