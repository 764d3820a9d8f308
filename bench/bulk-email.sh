#!/usr/bin/env bash
# The bulk invitation email benchmark: builds the app and bench/BulkEmail.Bench in Release; the bench hosts the SMTP sink on a
# free loopback port, measures it alone (MailKit, one connection), starts the app on the embedded default (SQLite)
# with a fresh data directory and Email:* pointing at the sink, signs in as the bootstrap admin, posts a bulk
# invitation of N pasted addresses and times their delivery; then it stops the server and prints the report.
#   bench/bulk-email.sh [N=10000]        (PORT: the app's port, default a free one; the app's settings pass through, e.g. Jobs__Workers=4)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
n="${1:-10000}"
port="${PORT:-0}"
pidfile="$(mktemp -t bulk-email-server.XXXXXX)"

echo "building (Release)…"
dotnet build "$root/Enrollment.csproj" -c Release -nologo -v q >/dev/null
dotnet build "$here/BulkEmail.Bench/BulkEmail.Bench.csproj" -c Release -nologo -v q >/dev/null

# The bench stops the server itself; should the bench die first, stop the server it started (its pid is in the file).
stop() {
  server="$(cat "$pidfile" 2>/dev/null || true)"
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill "$server" || true; fi
  rm -f "$pidfile"
}
trap stop EXIT

echo "== $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
dotnet "$here/BulkEmail.Bench/bin/Release/net10.0/BulkEmail.Bench.dll" --app "$root/bin/Release/net10.0/Enrollment.dll" \
  --content-root "$root" --n "$n" --port "$port" --pid-file "$pidfile" || status=$?
echo "== $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
