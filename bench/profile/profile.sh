#!/usr/bin/env bash
# CPU profile of the server under the bench's load, with Linux perf (cpu-clock sampling, frame-pointer stacks).
#   bench/profile/profile.sh OUT [bench args for the measured run, e.g. --n 1 --steps-n 3000]
# The server runs without ReadyToRun and without tiering (every method JIT-optimised once, named in
# /tmp/perf-PID.map) and without W^X double mapping, so perf can name managed frames. A warm-up bench run
# comes first (JIT), then perf records the server process during a second bench run. Then:
#   python3 bench/profile/summary.py OUT.script            # where the CPU went, by area
#   python3 bench/profile/summary.py OUT.script focus REGEX # what runs under the frames matching REGEX
# Needs perf (Debian: linux-perf) and root; the figures are CPU of the server only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$(realpath -m "$1")"; shift
port="${PORT:-9051}"
data="$(mktemp -d -t enrollment-profile.XXXXXX)"
dotnet build "$root/Enrollment.csproj" -c Release -nologo -v q >/dev/null
dotnet build "$root/bench/Enrollment.Bench/Enrollment.Bench.csproj" -c Release -nologo -v q >/dev/null
cd "$root"
ASPNETCORE_URLS="http://127.0.0.1:$port" DataDirectory="$data" ASPNETCORE_ENVIRONMENT=Production RateLimits__Enabled=false \
  DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 DOTNET_ReadyToRun=0 DOTNET_TieredCompilation=0 \
  dotnet "$root/bin/Release/net10.0/Enrollment.dll" >"$out.server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break; sleep 0.5; done
bench="$root/bench/Enrollment.Bench/bin/Release/net10.0/Enrollment.Bench.dll"
dotnet "$bench" "http://127.0.0.1:$port" --db "$data/enrollment.db" --server-pid "$server" --n 20 --steps-n 200 --warmup 20 --hash-seconds 0.2 >"$out.warm.txt" 2>&1
perf record -e cpu-clock -F 999 -g -p "$server" -o "$out.perf.data" 2>/dev/null &
perf=$!
sleep 0.5
dotnet "$bench" "http://127.0.0.1:$port" --db "$data/enrollment.db" --server-pid "$server" --warmup 0 --hash-seconds 0.2 "$@" >"$out.bench.txt" 2>&1 || true
kill -INT $perf; wait $perf || true
perf script -i "$out.perf.data" -F tid,ip,sym,dso 2>/dev/null >"$out.script"
echo "profile: $out.script ($(grep -c '^$' "$out.script") samples); bench report: $out.bench.txt"
