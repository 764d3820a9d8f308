#!/usr/bin/env bash
# Side by side: builds the app and the peer (bench/IdentityPeer: ASP.NET Core Identity's default UI Register page on
# SQLite) in Release, starts both in Production with fresh data directories on 127.0.0.1, waits for them, and runs
# the enrollment bench client once against both: authentik's example internal flow on ours, the Register page on the
# peer, N accounts each after a warm-up, in alternating rounds; then stops both.
#   bench/peer.sh [N] [CONCURRENCY]      (defaults: 1000 50; PORT=9000, PEER_PORT=9001, WARMUP=600, ROUNDS=5)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
n="${1:-1000}"
concurrency="${2:-50}"
port="${PORT:-9000}"
peer_port="${PEER_PORT:-9001}"
data="$(mktemp -d -t enrollment-peer-bench.XXXXXX)"

echo "building (Release)…"
dotnet build "$root/Enrollment.csproj" -c Release -nologo -v q >/dev/null
dotnet build "$here/IdentityPeer/IdentityPeer.csproj" -c Release -nologo -v q >/dev/null
dotnet build "$here/Enrollment.Bench/Enrollment.Bench.csproj" -c Release -nologo -v q >/dev/null

mkdir -p "$data/ours" "$data/peer"
echo "starting ours on http://127.0.0.1:$port and the peer on http://127.0.0.1:$peer_port, data in $data"
(cd "$root" && ASPNETCORE_URLS="http://127.0.0.1:$port" DataDirectory="$data/ours" ASPNETCORE_ENVIRONMENT=Production RateLimits__Enabled=false \
  exec dotnet "$root/bin/Release/net10.0/Enrollment.dll" >"$data/ours.log" 2>&1) &
ours=$!
(cd "$here/IdentityPeer" && ASPNETCORE_URLS="http://127.0.0.1:$peer_port" ASPNETCORE_ENVIRONMENT=Production \
  ConnectionStrings__DefaultConnection="DataSource=$data/peer/app.db;Cache=Shared" \
  exec dotnet "$here/IdentityPeer/bin/Release/net10.0/IdentityPeer.dll" >"$data/peer.log" 2>&1) &
peer=$!
stop() {
  for pid in "$ours" "$peer"; do
    if kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$data"
}
trap stop EXIT

wait_for() { # URL PID LOG
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    if ! kill -0 "$2" 2>/dev/null; then echo "a server exited:"; cat "$3"; exit 1; fi
    sleep 0.5
  done
  echo "$1 did not answer in 60 s"; cat "$3"; exit 1
}
wait_for "http://127.0.0.1:$port/" "$ours" "$data/ours.log"
wait_for "http://127.0.0.1:$peer_port/Identity/Account/Register" "$peer" "$data/peer.log"

status=0
dotnet "$here/Enrollment.Bench/bin/Release/net10.0/Enrollment.Bench.dll" "http://127.0.0.1:$port" \
  --db "$data/ours/enrollment.db" --server-pid "$ours" \
  --peer "http://127.0.0.1:$peer_port" --peer-pid "$peer" --peer-db "$data/peer/app.db" \
  --n "$n" --concurrency "$concurrency" --warmup "${WARMUP:-600}" --rounds "${ROUNDS:-5}" || status=$?
for log in ours peer; do
  if grep -qE "(fail|crit):" "$data/$log.log"; then echo "$log server log errors:"; grep -E -A3 "(fail|crit):" "$data/$log.log" | head -40; fi
done
exit $status
