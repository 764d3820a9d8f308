#!/usr/bin/env bash
# Blueprint import benchmark: builds Blueprints.Bench in Release and imports a generated blueprint of
# ENTRIES entries (default 5000) into a fresh SQLite database in a temporary data directory, timing the import.
#   bench/blueprints.sh [ENTRIES]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
entries="${1:-5000}"
echo "building (Release)…"
dotnet build "$here/Blueprints.Bench/Blueprints.Bench.csproj" -c Release -nologo -v q >/dev/null
dotnet "$here/Blueprints.Bench/bin/Release/net10.0/Blueprints.Bench.dll" --entries "$entries"
