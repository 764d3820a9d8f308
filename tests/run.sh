#!/usr/bin/env bash
# The whole test suite, as the README's Quick start and CI run it:
#   1. migrations: no provider has model changes without a migration; the SQL Server script is generated;
#   2. every test on the embedded default (SQLite files), browser tests included;
#   3. the integration suite again on PostgreSQL (ENROLLMENT_TEST_POSTGRES, default 127.0.0.1:5432 postgres/postgres);
#   4. the cluster suite: the published server twice on a PostgreSQL server of its own, behind nginx.
# A missing PostgreSQL, Chromium or nginx is a visible skip, except with CI=true where it is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p artifacts
passed=0 failed=0 skipped=0 status=0

count() { # adds up the totals of one dotnet test log (minimal "Passed!  - Failed: a, Passed: b, Skipped: c" or normal verbosity)
  local f p s
  if grep -qE "^Total tests: [0-9]+" "$1"; then
    p=$(grep -E "^ +Passed: +[0-9]+$" "$1" | tail -1 | grep -oE "[0-9]+"); f=$(grep -E "^ +Failed: +[0-9]+$" "$1" | tail -1 | grep -oE "[0-9]+")
    s=$(grep -E "^ +Skipped: +[0-9]+$" "$1" | tail -1 | grep -oE "[0-9]+")
  else
    local line
    line=$(grep -E "(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+" "$1" | tail -1)
    if [[ -z "$line" ]]; then echo "!! no test summary in $1"; status=1; return; fi
    f=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$line"); p=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$line"); s=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$line")
  fi
  grep -qE "^Test Run (Successful|Failed)\.|(Passed|Failed)! +- " "$1" || { echo "!! the test run in $1 did not finish"; status=1; }
  grep -qE "^Test Run Failed\.|Failed! +- " "$1" && status=1
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
}

# What of dotnet test's output is worth reading here: failures with their messages, skips with their reasons, totals.
shown='^\s+(Failed|Skipped) Enrollment|Error Message|Skip reason|^Test Run|^Total tests|^ +(Passed|Failed|Skipped): +[0-9]+$'

echo "== build"
dotnet tool restore >/dev/null || { echo "!! dotnet tool restore failed"; exit 1; }
dotnet build tests/Enrollment.Tests -nologo -v q -clp:ErrorsOnly || exit 1

echo "== migrations: one per provider, none missing"
for ctx in SqliteAppDbContext PostgresAppDbContext SqlServerAppDbContext; do
  if dotnet ef migrations has-pending-model-changes --no-build --context "$ctx" >artifacts/ef-$ctx.log 2>&1; then
    echo "   $ctx: up to date"; passed=$((passed + 1))
  else
    echo "!! $ctx has model changes without a migration:"; cat artifacts/ef-$ctx.log; failed=$((failed + 1))
  fi
done
if dotnet ef migrations script --no-build --idempotent --context SqlServerAppDbContext -o artifacts/sqlserver.sql >artifacts/ef-script.log 2>&1; then
  echo "   SQL Server script: artifacts/sqlserver.sql ($(wc -l <artifacts/sqlserver.sql) lines)"; passed=$((passed + 1))
else
  echo "!! generating the SQL Server script failed:"; cat artifacts/ef-script.log; failed=$((failed + 1))
fi

echo "== tests on SQLite (browser tests included)"
dotnet test tests/Enrollment.Tests --no-build -nologo --filter "FullyQualifiedName!~Enrollment.Tests.Cluster." \
  --logger "console;verbosity=normal" 2>&1 | tee artifacts/test-sqlite.log | grep -E "$shown" || true
count artifacts/test-sqlite.log

echo "== tests on PostgreSQL"
pg="${ENROLLMENT_TEST_POSTGRES:-Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres}"
pghost=$(sed -nE 's/.*Host=([^;]+).*/\1/p' <<<"$pg"); pgport=$(sed -nE 's/.*Port=([0-9]+).*/\1/p' <<<"$pg")
if timeout 3 bash -c "</dev/tcp/${pghost:-127.0.0.1}/${pgport:-5432}" 2>/dev/null; then
  ENROLLMENT_TEST_DB=postgres ENROLLMENT_TEST_POSTGRES="$pg" dotnet test tests/Enrollment.Tests --no-build -nologo \
    --filter "FullyQualifiedName!~Browser&FullyQualifiedName!~Enrollment.Tests.Cluster." --logger "console;verbosity=normal" 2>&1 | tee artifacts/test-postgres.log \
    | grep -E "$shown" || true
  count artifacts/test-postgres.log
elif [[ "${CI:-}" == "true" ]]; then
  echo "!! PostgreSQL is not reachable at ${pghost:-127.0.0.1}:${pgport:-5432}, and CI=true requires it"; failed=$((failed + 1))
else
  echo "SKIPPED: the PostgreSQL suite: no server at ${pghost:-127.0.0.1}:${pgport:-5432} (set ENROLLMENT_TEST_POSTGRES, or run .ci/run which starts one)"
  skipped=$((skipped + 1))
fi

echo "== cluster suite: two published instances on PostgreSQL behind nginx"
dotnet test tests/Enrollment.Tests --no-build -nologo --filter "FullyQualifiedName~Enrollment.Tests.Cluster." \
  --logger "console;verbosity=normal" 2>&1 | tee artifacts/test-cluster.log | grep -E "$shown" || true
count artifacts/test-cluster.log

echo
echo "Tests: $passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 && $status -eq 0 ]]
