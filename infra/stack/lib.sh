# shellcheck shell=bash
# shellcheck disable=SC2034  # variables are used by the scripts that source this file
# Shared helpers for up.sh / down.sh / status.sh. Sourced, never executed.
#
# Everything the stack writes lives under $STACK_DIR (default <repo>/.local) so a
# checkout stays self-contained and `rm -rf .local` is a full reset.

STACK_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$STACK_SCRIPT_DIR/../.." && pwd)"
STACK_DIR="$(realpath -m "${STACK_DIR:-$REPO_ROOT/.local}")"   # absolute: paths end up in configs

PG_MAJOR=15
PG_BIN="/usr/lib/postgresql/$PG_MAJOR/bin"
PGPORT="${PGPORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
FERRETDB_PORT="${FERRETDB_PORT:-27017}"
FERRETDB_VERSION="v1.24.2"

PG_DATA="$STACK_DIR/postgres/data"
# Our own socket directory: /var/run/postgresql belongs to Debian's cluster and may
# not even exist on a box without systemd-tmpfiles.
PG_SOCKET_DIR="$STACK_DIR/run/postgres"
LOG_DIR="$STACK_DIR/logs"
RUN_DIR="$STACK_DIR/run"
KAFKA_HOME="$STACK_DIR/kafka"
FERRETDB_BIN="$STACK_DIR/bin/ferretdb"

ALL_SERVICES=(postgres redis kafka ferretdb)
# The registry's PostgreSQL databases (packages/contracts/src/services.ts); a unit spec checks they agree.
APP_DATABASES=(user concert queue booking payment)

log()  { printf '[stack] %s\n' "$*"; }
warn() { printf '[stack] WARNING: %s\n' "$*" >&2; }
die()  { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

# "--only postgres,redis" → SERVICES=(postgres redis); default is every service.
parse_only_flag() {
  SERVICES=("${ALL_SERVICES[@]}")
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --only) [[ $# -ge 2 ]] || die "--only needs a list, e.g. --only postgres,redis"
              IFS=',' read -r -a SERVICES <<<"$2"; shift 2 ;;
      --only=*) IFS=',' read -r -a SERVICES <<<"${1#--only=}"; shift ;;
      -h|--help) printf 'usage: %s [--only %s]\n' "$0" "$(IFS=,; echo "${ALL_SERVICES[*]}")"; exit 0 ;;
      *) die "unknown argument: $1" ;;
    esac
  done
  local s
  for s in "${SERVICES[@]}"; do
    [[ " ${ALL_SERVICES[*]} " == *" $s "* ]] || die "unknown service '$s' (known: ${ALL_SERVICES[*]})"
  done
}

wants() { [[ " ${SERVICES[*]} " == *" $1 "* ]]; }

# A bare TCP connect via bash's /dev/tcp: needs no client tools, so it works
# before anything is installed. `timeout` guards against a hung connect.
port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# wait_for_port PORT TIMEOUT_S NAME [PID] [LOGFILE]
# Fails early if PID dies, so a crashed daemon is reported at once rather than
# after the full timeout.
wait_for_port() {
  local port=$1 timeout_s=$2 name=$3 pid=${4:-} logfile=${5:-}
  local deadline=$((SECONDS + timeout_s))
  until port_open "$port"; do
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      fail_with_log "$name exited before listening on 127.0.0.1:$port" "$logfile"
    fi
    ((SECONDS < deadline)) || fail_with_log "$name did not listen on 127.0.0.1:$port within ${timeout_s}s" "$logfile"
    sleep 0.2
  done
}

fail_with_log() {
  local msg=$1 logfile=${2:-}
  if [[ -n "$logfile" && -f "$logfile" ]]; then
    printf '[stack] ---- last lines of %s ----\n' "$logfile" >&2
    tail -n 30 "$logfile" >&2
    printf '[stack] ----\n' >&2
    die "$msg (see $logfile)"
  fi
  die "$msg"
}

# pid_alive PIDFILE PATTERN: true when the pidfile names a live process whose
# command line contains PATTERN (guards against a recycled pid after a reboot).
pid_alive() {
  local pidfile=$1 pattern=$2 pid
  [[ -s "$pidfile" ]] || return 1
  pid=$(<"$pidfile")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pattern"
}

# stop_pid NAME PIDFILE PATTERN GRACE_S: SIGTERM, wait, SIGKILL as a last resort.
stop_pid() {
  local name=$1 pidfile=$2 pattern=$3 grace=$4 pid deadline
  if ! pid_alive "$pidfile" "$pattern"; then
    rm -f "$pidfile"
    log "$name: not running"
    return 0
  fi
  pid=$(<"$pidfile")
  kill -TERM "$pid"
  deadline=$((SECONDS + grace))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      warn "$name (pid $pid) ignored SIGTERM for ${grace}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  rm -f "$pidfile"
  log "$name: stopped (pid $pid)"
}

# Run a command as the OS user that owns the PostgreSQL cluster. initdb/postgres
# refuse to run as root, so as root we switch to Debian's `postgres` user.
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_running() { [[ -f "$PG_DATA/PG_VERSION" ]] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

redis_running() { pid_alive "$RUN_DIR/redis.pid" redis-server; }
kafka_running() { pid_alive "$RUN_DIR/kafka.pid" kafka.Kafka; }
ferretdb_running() { pid_alive "$RUN_DIR/ferretdb.pid" ferretdb; }

kafka_classpath() { printf '%s/lib/*' "$KAFKA_HOME"; }

# A real MongoDB wire-protocol round trip ({ping: 1} as OP_MSG), so readiness
# means "answers commands", not just "accepts TCP". Python is part of the base
# image; without it we fall back to the TCP check.
mongo_ping() {
  local port=$1
  command -v python3 >/dev/null || { port_open "$port"; return; }
  python3 - "$port" <<'PY' 2>/dev/null
import socket, struct, sys
def cstr(s): return s.encode() + b"\0"
body = (b"\x10" + cstr("ping") + struct.pack("<i", 1)
        + b"\x02" + cstr("$db") + struct.pack("<i", 6) + cstr("admin") + b"\0")
doc = struct.pack("<i", len(body) + 4) + body
msg = struct.pack("<I", 0) + b"\0" + doc              # flagBits, section kind 0
hdr = struct.pack("<iiii", 16 + len(msg), 1, 0, 2013)  # OP_MSG
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
s.sendall(hdr + msg)
buf = b""
while len(buf) < 4 or len(buf) < struct.unpack("<i", buf[:4])[0]:
    chunk = s.recv(65536)
    if not chunk: sys.exit(1)
    buf += chunk
# {ok: 1.0} is encoded as type 0x01, "ok\0", little-endian double 1.0
sys.exit(0 if b"\x01ok\x00" + struct.pack("<d", 1.0) in buf else 1)
PY
}

print_env() {
  local db
  for db in "${APP_DATABASES[@]}"; do
    printf '%s_DATABASE_URL=postgresql://ticketing:ticketing@127.0.0.1:%s/ticketing_%s\n' "${db^^}" "$PGPORT" "$db"
  done
  printf 'REDIS_URL=redis://127.0.0.1:%s\n' "$REDIS_PORT"
  printf 'KAFKA_BROKERS=127.0.0.1:%s\n' "$KAFKA_PORT"
  printf 'EVENT_STORE_URL=mongodb://127.0.0.1:%s/ticketing_events\n' "$FERRETDB_PORT"
}
