#!/usr/bin/env bash
# make scale-demo (issue 22 part 6; README "Scaling out"): on this one machine, a PostgreSQL
# primary with a streaming replica, two stateless Yimen app servers (gunicorn) behind HAProxy,
# Redis for the cache, the read-your-writes marks and the task queue. It then measures, with the
# same load client (scripts/scale_load.py, loopback only, bounded in time):
#   1. creates through one app server and through both behind the load balancer;
#   2. a run during which one app server is killed (SIGKILL): every acknowledged case must be in
#      the primary afterwards, and retries with the same Idempotency-Key must make no duplicate;
#   3. the replica: report reads (GET /api/v1/kpis) served by it, and it holds every case.
# Everything lives in $SCALE_DIR (default /tmp/yimen-scale) and is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=${SCALE_DIR:-/tmp/yimen-scale}
SECONDS_PER_RUN=${SCALE_SECONDS:-20}
CLIENTS=${SCALE_CLIENTS:-8}
PY=$ROOT/.venv/bin/python
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PRIMARY=5441 REPLICA_PORT=5442 APP1=8101 APP2=8102 LB=8100 LB_ONE=8099

command -v haproxy >/dev/null || { apt-get update -qq && apt-get install -y -qq haproxy >/dev/null; }
as_pg() { runuser -u postgres -- "$@"; }

cleanup() {
  set +e
  [ -f "$WORK/haproxy.pid" ] && kill "$(cat "$WORK/haproxy.pid")" 2>/dev/null
  for port in $APP1 $APP2; do [ -f "$WORK/app$port.pid" ] && kill "$(cat "$WORK/app$port.pid")" 2>/dev/null; done
  [ -n "${HUEY_PID:-}" ] && kill "$HUEY_PID" 2>/dev/null
  for db in replica primary; do [ -d "$WORK/$db" ] && as_pg "$PGBIN/pg_ctl" -D "$WORK/$db" -m fast stop >/dev/null 2>&1; done
}
trap cleanup EXIT

rm -rf "$WORK" && mkdir -p "$WORK/var" && chown postgres "$WORK"
echo "== PostgreSQL primary :$PRIMARY and streaming replica :$REPLICA_PORT"
as_pg "$PGBIN/initdb" -D "$WORK/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
cat >> "$WORK/primary/postgresql.conf" <<CONF
port = $PRIMARY
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK'
wal_level = replica
max_wal_senders = 4
jit = off
CONF
as_pg "$PGBIN/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -w start >/dev/null
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p $PRIMARY yimen
as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p $PRIMARY -U postgres -D "$WORK/replica" -R -X stream
echo "port = $REPLICA_PORT" >> "$WORK/replica/postgresql.conf"
as_pg "$PGBIN/pg_ctl" -D "$WORK/replica" -l "$WORK/replica.log" -w start >/dev/null

export DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY/yimen"
export YIMEN_REPLICA_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/yimen"
export REDIS_URL="redis://127.0.0.1:6379/5" YIMEN_VAR_DIR="$WORK/var" YIMEN_DEMO=true PYTHONPATH=.
redis-cli -n 5 flushdb >/dev/null
echo "== the demo town on the primary"
$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
$PY manage.py seed_demo >/dev/null
$PY manage.py run_huey --quiet & HUEY_PID=$!

start_app() {
  YIMEN_BIND=127.0.0.1:$1 "$ROOT/.venv/bin/gunicorn" -c gunicorn.conf.py --pid "$WORK/app$1.pid" \
    --access-logfile /dev/null >"$WORK/app$1.log" 2>&1 &
}
start_app $APP1
start_app $APP2
cat > "$WORK/haproxy.cfg" <<CONF
global
  pidfile $WORK/haproxy.pid
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  retries 2
  option redispatch
frontend both
  bind 127.0.0.1:$LB
  default_backend apps
frontend one
  bind 127.0.0.1:$LB_ONE
  default_backend app1
backend apps
  balance roundrobin
  option httpchk GET /accounts/login/
  server app1 127.0.0.1:$APP1 check inter 500ms fall 2
  server app2 127.0.0.1:$APP2 check inter 500ms fall 2
backend app1
  server app1 127.0.0.1:$APP1 check inter 500ms
CONF
haproxy -D -f "$WORK/haproxy.cfg"
for port in $APP1 $APP2 $LB; do
  for _ in $(seq 60); do curl -fsS -o /dev/null "http://127.0.0.1:$port/accounts/login/" && break; sleep 0.5; done
done

load() { $PY scripts/scale_load.py --clients "$CLIENTS" --seconds "$SECONDS_PER_RUN" "$@"; }
echo "== creates (POST /api/v1/cases, $CLIENTS clients, ${SECONDS_PER_RUN} s each)"
load --url "http://127.0.0.1:$LB_ONE" --label "1 app server"
load --url "http://127.0.0.1:$LB" --label "2 app servers"

echo "== one app server killed mid-run"
load --url "http://127.0.0.1:$LB" --label "2 → 1 app servers" --codes "$WORK/acknowledged" &
LOAD_PID=$!
sleep "$((SECONDS_PER_RUN / 3))"
victim=$(cat "$WORK/app$APP2.pid")
pkill -KILL -P "$victim" || true  # its workers, mid-request, then the master: no graceful anything
kill -KILL "$victim"
echo "app server :$APP2 killed (SIGKILL) $((SECONDS_PER_RUN / 3)) s into the run"
wait $LOAD_PID
$PY manage.py shell --no-imports -c "
from yimen.cases.models import Case
codes = open('$WORK/acknowledged').read().split()
kept = Case.unscoped.filter(code__in=codes).count()
print(f'acknowledged {len(codes)}, in the primary {kept}, lost {len(codes) - kept}, duplicated codes {len(codes) - len(set(codes))}')
assert kept == len(codes) == len(set(codes)), 'an acknowledged write was lost'
"

echo "== the replica"
sleep 1
served() { psql -h 127.0.0.1 -p $REPLICA_PORT -U postgres -Atc "select xact_commit from pg_stat_database where datname = 'yimen'"; }
before=$(served)
load --url "http://127.0.0.1:$LB" --user leader --reads /api/v1/kpis --max-requests 50 --label "reports via the replica"
echo "transactions the replica served during those reads: $(( $(served) - before ))"
$PY manage.py shell --no-imports -c "
from django.db import connections
from yimen.cases.models import Case
primary = Case.unscoped.using('default').count()
replica = Case.unscoped.using('replica').count()
with connections['replica'].cursor() as c:
    c.execute('select pg_is_in_recovery()')
    standby = c.fetchone()[0]
print(f'cases on the primary {primary}, on the replica {replica} (replica in recovery: {standby})')
"
echo "scale-demo: done"
