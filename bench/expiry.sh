#!/usr/bin/env bash
# Invitation expiry benchmark: builds Expiry.Bench in Release, fills a fresh SQLite database (temporary data
# directory, the app's migrations) with EXPIRED expired invitations (default 1,000,000) plus unexpired ones,
# ones without expiry and deliveries, runs the app's expiry job once, timing it, and checks the result.
#   bench/expiry.sh [EXPIRED] [more Expiry.Bench options: --layout chronological, --deliveries N, --show-sql,
#                              --setup-only (keep the filled database), --from DB (run on a copy of it)]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
expired="${1:-1000000}"
shift || true
echo "building (Release)…"
dotnet build "$here/Expiry.Bench/Expiry.Bench.csproj" -c Release -nologo -v q >/dev/null
echo "$(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet "$here/Expiry.Bench/bin/Release/net10.0/Expiry.Bench.dll" --expired "$expired" "$@"
echo "$(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
