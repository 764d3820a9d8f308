#!/usr/bin/env bash
# The SMTP sink measured alone: builds bench/SmtpSink and bench/SmtpSink.Bench in Release, runs the protocol
# self-test, then MailKit sends N invitation-sized messages over 1 connection and over 4 in parallel:
#   1. to the sink running as its own process (127.0.0.1:PORT; its CPU time per message is reported),
#   2. to the sink hosted in the bench's own process (as a later bench would host it).
#   bench/smtp-sink.sh [N=10000] [CONNECTIONS=1,4]      (PORT=2525 by default)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
n="${1:-10000}"
connections="${2:-1,4}"
port="${PORT:-2525}"
log="$(mktemp -t smtp-sink.XXXXXX.log)"

echo "building (Release)…"
dotnet build "$here/SmtpSink/SmtpSink.csproj" -c Release -nologo -v q >/dev/null
dotnet build "$here/SmtpSink.Bench/SmtpSink.Bench.csproj" -c Release -nologo -v q >/dev/null
bench="$here/SmtpSink.Bench/bin/Release/net10.0/SmtpSink.Bench.dll"

# The sink stops by itself after 10 minutes whatever happens.
dotnet "$here/SmtpSink/bin/Release/net10.0/SmtpSink.dll" --port "$port" --seconds 600 >"$log" 2>&1 &
sink=$!
stop() {
  if kill -0 "$sink" 2>/dev/null; then kill "$sink"; wait "$sink" 2>/dev/null || true; fi
  rm -f "$log"
}
trap stop EXIT
for _ in $(seq 1 100); do
  if grep -q "^listening on" "$log"; then break; fi
  if ! kill -0 "$sink" 2>/dev/null; then echo "the sink exited:"; cat "$log"; exit 1; fi
  sleep 0.1
done
grep -q "^listening on" "$log" || { echo "the sink did not start in 10 s"; cat "$log"; exit 1; }

echo "== $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg): sink as its own process (pid $sink)"
status=0
dotnet "$bench" --n "$n" --connections "$connections" --server "127.0.0.1:$port" --sink-pid "$sink" || status=$?
kill "$sink"; wait "$sink" 2>/dev/null || true
echo "sink process: $(grep '^stopped:' "$log" || echo 'no final count')"
expected=$(( (n + 200) * $(tr ',' '\n' <<<"$connections" | wc -l) + 0 ))
got=$(sed -n 's/^stopped: messages \([0-9]*\),.*/\1/p' "$log")
if [ "${got:-0}" -ne "$expected" ]; then echo "the sink counted ${got:-0} messages, expected $expected (N + 200 warm-up per run)"; status=1; fi

echo "== $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg): sink in the bench's process"
dotnet "$bench" --n "$n" --connections "$connections" || status=$?
echo "== $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
