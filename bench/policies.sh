#!/usr/bin/env bash
# Expression policy benchmark:
#   1. Policies.Bench: evaluations/s of typical policies on the pool of Python worker processes (Python:Workers,
#      default max(2, cores)), many parallel callers;
#   2. the enrollment bench (Enrollment.Bench) against one server, without and with two expression policies bound
#      (--policies: a flow policy and a stage-binding policy), in the order A B, B A, … so drift in the shared
#      machine's load and the growing database hits both alike.
#   bench/policies.sh [N=300] [CONCURRENCY=50] [ROUNDS=3]        (PORT=9000 by default)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
n="${1:-300}"
concurrency="${2:-50}"
rounds="${3:-3}"
port="${PORT:-9000}"
data="$(mktemp -d -t enrollment-policy-bench.XXXXXX)"
log="$data/server.log"

echo "building (Release)…"
dotnet build "$root/Enrollment.csproj" -c Release -nologo -v q >/dev/null
dotnet build "$here/Enrollment.Bench/Enrollment.Bench.csproj" -c Release -nologo -v q >/dev/null
dotnet build "$here/Policies.Bench/Policies.Bench.csproj" -c Release -nologo -v q >/dev/null

echo "== $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo "== 1. evaluations per second"
dotnet "$here/Policies.Bench/bin/Release/net10.0/Policies.Bench.dll" --seconds 5

echo
echo "== 2. enrollment throughput without and with two expression policies"
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
  if curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then echo "the server exited:"; cat "$log"; exit 1; fi
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/" || { echo "the server did not answer in 60 s"; cat "$log"; exit 1; }
grep -q "Expression policies run on Python" "$log" || { echo "the server has no Python runtime:"; grep -i python "$log"; exit 1; }

# Not counted: a first pass with the policies bound, so the server's JIT has compiled both paths before round 1.
echo "warm-up pass (not counted)…"
dotnet "$here/Enrollment.Bench/bin/Release/net10.0/Enrollment.Bench.dll" "http://127.0.0.1:$port" \
  --db "$data/enrollment.db" --n 100 --concurrency "$concurrency" --hash-seconds 1 --policies >/dev/null

status=0
summary=()
for round in $(seq 1 "$rounds"); do
  modes=(without with); (( round % 2 == 0 )) && modes=(with without)   # A B, B A, …: drift hits both alike
  for mode in "${modes[@]}"; do
    flag=(); [[ $mode == with ]] && flag=(--policies)
    echo
    echo "---- round $round, $mode policies ($(date -u '+%H:%M:%S UTC'), load $(cut -d' ' -f1-3 /proc/loadavg))"
    out="$data/bench-$round-$mode.txt"
    dotnet "$here/Enrollment.Bench/bin/Release/net10.0/Enrollment.Bench.dll" "http://127.0.0.1:$port" \
      --db "$data/enrollment.db" --n "$n" --concurrency "$concurrency" --hash-seconds 2 --rounds 1 --server-pid "$server" "${flag[@]}" \
      | tee "$out" | sed -n '/==== report ====/,$p' || status=$?
    enroll=$(grep -oE "^  [0-9.]+ enrollments/s" "$out" | grep -oE "[0-9.]+" || echo "?")
    steps=$(grep -oE "^  [0-9.]+ walks/s; [0-9]+ requests/s" "$out" | grep -oE "[0-9]+ requests/s" || echo "?")
    # Server CPU per walk: less at the mercy of the other processes on the machine than the rates.
    cpu=($(grep -oE "CPU: server [0-9.]+ ms per walk" "$out" | grep -oE "[0-9.]+" || true))
    summary+=("round $round $mode policies: $enroll enrollments/s (server ${cpu[1]:-?} ms CPU each), non-hashing steps $steps (server ${cpu[0]:-?} ms CPU per 5-step walk)")
  done
done
if grep -qE " (fail|crit):" "$log"; then echo "server log errors:"; grep -E -A3 " (fail|crit):" "$log" | head -40; fi
echo
echo "==== summary ($(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%s\n' "${summary[@]}"
exit $status
