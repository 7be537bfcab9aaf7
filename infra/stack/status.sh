#!/usr/bin/env bash
# Prints which stack services run, with their URL. Exit code 0 when every selected
# service is up, 1 otherwise (usable as a CI pre-check).
#
#   infra/stack/status.sh [--only postgres,redis]
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_only_flag "$@"

down=0
line() { printf '%-9s %-5s %-32s %s\n' "$1" "$2" "$3" "$4"; }
pid_of() { if [[ -s "$1" ]]; then echo "pid $(<"$1")"; fi; }

if wants postgres; then
  if pg_running; then line postgres up "postgresql://127.0.0.1:$PGPORT" "pid $(head -1 "$PG_DATA/postmaster.pid")"
  else line postgres down "postgresql://127.0.0.1:$PGPORT" ""; down=1; fi
fi
if wants redis; then
  if redis_running; then line redis up "redis://127.0.0.1:$REDIS_PORT" "$(pid_of "$RUN_DIR/redis.pid")"
  else line redis down "redis://127.0.0.1:$REDIS_PORT" ""; down=1; fi
fi
if wants kafka; then
  # Alive but not yet serving metadata (still starting) is shown separately.
  if kafka_running && port_open "$KAFKA_PORT"; then line kafka up "127.0.0.1:$KAFKA_PORT" "$(pid_of "$RUN_DIR/kafka.pid")"
  elif kafka_running; then line kafka start "127.0.0.1:$KAFKA_PORT" "$(pid_of "$RUN_DIR/kafka.pid"), not listening yet"; down=1
  else line kafka down "127.0.0.1:$KAFKA_PORT" ""; down=1; fi
fi
if wants ferretdb; then
  if ferretdb_running && port_open "$FERRETDB_PORT"; then line ferretdb up "mongodb://127.0.0.1:$FERRETDB_PORT" "$(pid_of "$RUN_DIR/ferretdb.pid")"
  else line ferretdb down "mongodb://127.0.0.1:$FERRETDB_PORT" ""; down=1; fi
fi
echo "data: $STACK_DIR   logs: $LOG_DIR"
exit "$down"
