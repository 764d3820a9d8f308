#!/usr/bin/env bash
# Two instances behind nginx against one instance behind the same nginx, in one run on one machine: the published
# server (Release) on PostgreSQL, each instance with its own data directory, nginx round robin without stickiness
# (the set-up of docs/operations.md). The enrollment bench drives each configuration through nginx with the same
# settings; each configuration gets a fresh database.
#   bench/cluster.sh [N] [CONCURRENCY]      (defaults: 300 50; WARMUP=300 walks of each flow, ROUNDS=2)
#   ENROLLMENT_BENCH_POSTGRES: a PostgreSQL superuser connection (default 127.0.0.1:5432 postgres/postgres, as the tests)
# Rate limits are off on the instances: every invitee of the bench comes from one address.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
n="${1:-300}"
concurrency="${2:-50}"
pg="${ENROLLMENT_BENCH_POSTGRES:-Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres}"
pghost=$(sed -nE 's/.*Host=([^;]+).*/\1/p' <<<"$pg"); pgport=$(sed -nE 's/.*Port=([0-9]+).*/\1/p' <<<"$pg")
pguser=$(sed -nE 's/.*Username=([^;]+).*/\1/p' <<<"$pg"); pgpass=$(sed -nE 's/.*Password=([^;]+).*/\1/p' <<<"$pg")
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
[[ -x "$nginx_bin" ]] || { echo "nginx is not installed (apt-get install nginx)"; exit 1; }
command -v psql >/dev/null || { echo "psql is not installed (apt-get install postgresql-client)"; exit 1; }
work="$(mktemp -d -t enrollment-cluster-bench.XXXXXX)"
pids=()
stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
trap 'stop_all; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
psql_admin() { PGPASSWORD="$pgpass" psql -q -h "$pghost" -p "$pgport" -U "$pguser" -d postgres -v ON_ERROR_STOP=1 -c "$1"; }

echo "publishing (Release)…"
dotnet publish "$root/Enrollment.csproj" -c Release -o "$work/app" -nologo -v q >/dev/null
dotnet build "$here/Enrollment.Bench/Enrollment.Bench.csproj" -c Release -nologo -v q >/dev/null

# run <label> <instances>
run() {
  local label="$1" count="$2" db="bench_cluster_$(date +%s)_$2" nginx_port upstreams="" ports=()
  psql_admin "CREATE DATABASE $db"
  local cs="Host=$pghost;Port=$pgport;Username=$pguser;Password=$pgpass;Database=$db"
  nginx_port=$(free_port)
  for i in $(seq 1 "$count"); do ports+=("$(free_port)"); done
  for p in "${ports[@]}"; do upstreams+="        server 127.0.0.1:$p;"$'\n'; done
  mkdir -p "$work/nginx-$count"
  cat >"$work/nginx-$count/nginx.conf" <<CONF
$([[ $(id -u) == 0 ]] && echo "user root;")
worker_processes 1;
error_log $work/nginx-$count/error.log warn;
pid $work/nginx-$count/nginx.pid;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/nginx-$count/body;
    proxy_temp_path $work/nginx-$count/proxy;
    fastcgi_temp_path $work/nginx-$count/fastcgi;
    uwsgi_temp_path $work/nginx-$count/uwsgi;
    scgi_temp_path $work/nginx-$count/scgi;
    upstream enrollment {
$upstreams        keepalive 64;
    }
    server {
        listen 127.0.0.1:$nginx_port;
        location / {
            proxy_pass http://enrollment;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$remote_addr;
            proxy_set_header X-Forwarded-Proto \$scheme;
        }
    }
}
CONF
  "$nginx_bin" -p "$work/nginx-$count" -c "$work/nginx-$count/nginx.conf" -g "daemon off;" &
  pids+=($!)
  local first=1
  for p in "${ports[@]}"; do
    mkdir -p "$work/data-$count-$p"
    (cd "$work/app" && ASPNETCORE_URLS="http://127.0.0.1:$p" DataDirectory="$work/data-$count-$p" ASPNETCORE_ENVIRONMENT=Production \
      Database__Provider=Postgres Database__ConnectionString="$cs" RateLimits__Enabled=false \
      BaseUrl="http://127.0.0.1:$nginx_port" Proxy__KnownProxies=127.0.0.1 \
      exec dotnet "$work/app/Enrollment.dll" >"$work/server-$count-$p.log" 2>&1) &
    pids+=($!)
    # The first instance migrates; the others would wait for it anyway (start-up lock).
    if ((first)); then
      for _ in $(seq 1 240); do curl -fsS -o /dev/null "http://127.0.0.1:$p/-/health/ready/" && break; sleep 0.5; done
      first=0
    fi
  done
  for p in "${ports[@]}"; do
    for _ in $(seq 1 240); do curl -fsS -o /dev/null "http://127.0.0.1:$p/-/health/ready/" && break; sleep 0.5; done
    curl -fsS -o /dev/null "http://127.0.0.1:$p/-/health/ready/" || { echo "instance on $p did not start:"; cat "$work/server-$count-$p.log"; exit 1; }
  done
  echo
  echo "==== $label: $count instance(s) behind nginx on :$nginx_port, database $db"
  dotnet "$here/Enrollment.Bench/bin/Release/net10.0/Enrollment.Bench.dll" "http://127.0.0.1:$nginx_port" \
    --provider Postgres --connection-string "$cs" --n "$n" --concurrency "$concurrency" --warmup "${WARMUP:-300}" \
    --rounds "${ROUNDS:-2}" --paced-rate 0 | tee "$work/report-$count.txt"
  for p in "${ports[@]}"; do
    if grep -qE " (fail|crit):" "$work/server-$count-$p.log"; then echo "server :$p log errors:"; grep -E -A3 " (fail|crit):" "$work/server-$count-$p.log" | head -20; fi
  done
  stop_all
  psql_admin "DROP DATABASE $db WITH (FORCE)" || true
}

run "one instance" 1
run "two instances" 2
echo
echo "==== summary (same machine, same run)"
for c in 1 2; do
  echo "-- $c instance(s):"
  sed -n '/^complete enrollments: /,/^  all requests/p' "$work/report-$c.txt"
  grep -E "^machine load" "$work/report-$c.txt"
done
