#!/usr/bin/env bash
# Stops the local stack started by up.sh. Idempotent: stopping what is already
# stopped is a no-op. Data in $STACK_DIR is kept (rm -rf it for a full reset).
#
#   infra/stack/down.sh [--only kafka,ferretdb]
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_only_flag "$@"

# Reverse start order: Prometheus (started with the whole stack), the event store and broker, the database last.
if [[ ${#SERVICES[@]} -eq ${#ALL_SERVICES[@]} ]]; then
  stop_pid prometheus "$RUN_DIR/prometheus.pid" prometheus 30
fi

if wants ferretdb; then
  stop_pid ferretdb "$RUN_DIR/ferretdb.pid" ferretdb 15
fi

if wants kafka; then
  # Kafka flushes logs and writes a clean-shutdown marker on SIGTERM; that can take
  # a while, and a SIGKILL means log recovery on the next start.
  stop_pid kafka "$RUN_DIR/kafka.pid" kafka.Kafka 60
fi

if wants redis; then
  if redis_running; then
    pid=$(<"$RUN_DIR/redis.pid")
    # nosave: no RDB dump; the append-only file (fsynced on shutdown) holds the data.
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && die "redis (pid $pid) is still running"
    rm -f "$RUN_DIR/redis.pid"
    log "redis: stopped (pid $pid)"
  else
    log "redis: not running"
  fi
fi

if wants postgres; then
  if pg_running; then
    # fast: roll back open transactions and disconnect clients, but a clean checkpoint.
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
    log "postgres: stopped"
  else
    log "postgres: not running"
  fi
fi
