#!/usr/bin/env bash
# Starts the local service stack (no Docker): PostgreSQL 15, Redis 7, Kafka 3.9
# (KRaft) and FerretDB (MongoDB wire protocol), all on 127.0.0.1, data in $STACK_DIR.
#
# Idempotent: installs only what is missing, starts only what is not running, so a
# re-run with everything up takes about a second. Works on a fresh Debian 12 box.
#
#   infra/stack/up.sh                    # everything
#   infra/stack/up.sh --only postgres,redis
#   STACK_DIR=/tmp/stack PGPORT=5433 infra/stack/up.sh
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_only_flag "$@"

mkdir -p "$STACK_DIR" "$LOG_DIR" "$RUN_DIR"
# Several developers share one checkout: serialise concurrent up.sh runs so two of
# them never initdb or format Kafka storage at the same time.
# Daemons are started with 9>&- so they don't inherit (and keep holding) the lock.
exec 9>"$RUN_DIR/stack.lock"
flock -w 900 9 || die "another up.sh still holds $RUN_DIR/stack.lock"

STARTED_AT=$EPOCHREALTIME
step_start() { STEP_T=$EPOCHREALTIME; }
step_secs() { awk -v a="$STEP_T" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1fs", b - a }'; }
# One line per service: name, URL, what happened.
report() { printf '[stack] %-9s %-40s %s\n' "$1" "$2" "$3"; }

# ---------------------------------------------------------------- packages
ensure_packages() {
  local -a pkgs=()
  if wants postgres && [[ ! -x "$PG_BIN/initdb" ]]; then pkgs+=(postgresql); fi
  if wants redis && ! command -v redis-server >/dev/null; then pkgs+=(redis-server); fi
  if wants kafka; then
    command -v kcat >/dev/null || pkgs+=(kcat)                 # readiness probe + handy CLI
    command -v java >/dev/null || pkgs+=(openjdk-17-jre-headless)
    command -v mvn  >/dev/null || pkgs+=(maven)
  fi
  # Browser tests drive Debian's Chromium with playwright-core (whose own download does not work
  # here); only with the whole stack, which is what `npm test` and jest's global setup bring up.
  if [[ ${#SERVICES[@]} -eq ${#ALL_SERVICES[@]} && ! -x /usr/bin/chromium ]]; then pkgs+=(chromium); fi
  # HAProxy balances the copies of `npm run start:scaled` and the scaled tests; with the whole stack too.
  if [[ ${#SERVICES[@]} -eq ${#ALL_SERVICES[@]} ]] && ! command -v haproxy >/dev/null; then pkgs+=(haproxy); fi
  # Prometheus 2.42 with promtool (the alert-rule tests need it); with the whole stack, like Chromium.
  if wants_prometheus && ! command -v promtool >/dev/null; then pkgs+=(prometheus); fi
  [[ ${#pkgs[@]} -eq 0 ]] && return 0
  [[ $EUID -eq 0 ]] || die "missing packages (${pkgs[*]}); run as root or install them first"
  step_start
  log "installing ${pkgs[*]} (apt)"
  # Output to a log: apt's chatter drowns the one line per service otherwise.
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}"; } \
    >"$LOG_DIR/apt.log" 2>&1 || fail_with_log "apt-get install ${pkgs[*]} failed" "$LOG_DIR/apt.log"
  log "apt install done in $(step_secs)"
}

# ---------------------------------------------------------------- postgres
# postgres must reach its data dir through every parent; a checkout under a 0700
# home directory would otherwise fail with a confusing "permission denied".
ensure_pg_traversal() {
  [[ $EUID -eq 0 ]] || return 0
  runuser -u postgres -- test -x "$STACK_DIR" && return 0
  # Top-down, so only the directories that actually block the way are changed.
  local d="" part
  local -a parts
  IFS=/ read -r -a parts <<<"${STACK_DIR#/}"
  for part in "${parts[@]}"; do
    d="$d/$part"
    if ! runuser -u postgres -- test -x "$d"; then
      log "postgres: granting o+x on $d so the postgres user can reach its data"
      chmod o+x "$d"
    fi
  done
}

# Debian's postinst creates (and, where policy allows, starts) cluster 15/main on
# 5432. It is not ours: stop it rather than fight over the port.
stop_debian_cluster_on_our_port() {
  command -v pg_lsclusters >/dev/null || return 0
  local ver name port status
  while read -r ver name port status _; do
    if [[ "$port" == "$PGPORT" && "$status" == online* ]]; then
      log "postgres: Debian's cluster $ver/$name is running on port $PGPORT; stopping it (pg_ctlcluster $ver $name stop)"
      pg_ctlcluster "$ver" "$name" stop
    fi
  done < <(pg_lsclusters -h 2>/dev/null)
}

write_pg_config() {
  # Settings live in their own file so initdb's postgresql.conf stays pristine
  # and our tuning is rewritten on every start (edits here apply after a restart).
  cat >"$PG_DATA/stack.conf" <<EOF
# Written by infra/stack/up.sh on every start; edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$PG_SOCKET_DIR'
max_connections = 300
shared_buffers = 512MB
# Benchmarks must be honest: never trade durability for speed here.
fsync = on
synchronous_commit = on
full_page_writes = on
password_encryption = scram-sha-256
log_line_prefix = '%m [%p] %q%u@%d '
log_timezone = 'UTC'
timezone = 'UTC'
EOF
  chown postgres:postgres "$PG_DATA/stack.conf" 2>/dev/null || true
  grep -q "^include_if_exists = 'stack.conf'" "$PG_DATA/postgresql.conf" ||
    echo "include_if_exists = 'stack.conf'" >>"$PG_DATA/postgresql.conf"
}

start_postgres() {
  local url="postgresql://127.0.0.1:$PGPORT" what
  step_start
  if pg_running; then
    what="already running"
  else
    ensure_pg_traversal
    # Owned by postgres: initdb and the server run as that user.
    install -d -m 0755 "$STACK_DIR/postgres"
    install -d -m 0700 "$PG_DATA"
    install -d -m 0755 "$PG_SOCKET_DIR"
    touch "$LOG_DIR/postgres.log"
    if [[ $EUID -eq 0 ]]; then
      chown postgres:postgres "$STACK_DIR/postgres" "$PG_DATA" "$PG_SOCKET_DIR" "$LOG_DIR/postgres.log"
    fi
    if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
      log "postgres: initdb $PG_DATA"
      # peer for the local socket (admin as the postgres OS user), scram over TCP.
      as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=peer --auth-host=scram-sha-256 >>"$LOG_DIR/postgres.log" 2>&1 ||
        fail_with_log "initdb failed" "$LOG_DIR/postgres.log"
    fi
    write_pg_config
    stop_debian_cluster_on_our_port
    port_open "$PGPORT" && die "port $PGPORT is taken by another process (ss -ltnp 'sport = :$PGPORT'); set PGPORT to use another"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$LOG_DIR/postgres.log" -w -t 60 start >/dev/null 9>&- ||
      fail_with_log "postgres did not start" "$LOG_DIR/postgres.log"
    what="started in $(step_secs)"
  fi
  ensure_pg_roles
  report postgres "$url" "$what"
}

# Cheap enough (one psql call) to run on every up, so a deleted database comes back.
ensure_pg_roles() {
  local dbs
  dbs=$(printf "'ticketing_%s'," "${APP_DATABASES[@]}")
  as_pg "$PG_BIN/psql" -h "$PG_SOCKET_DIR" -p "$PGPORT" -U postgres -d postgres \
    -v ON_ERROR_STOP=1 -qAt >/dev/null <<SQL || die "creating role/databases failed"
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ticketing') THEN
    -- SUPERUSER: tests create/drop databases and may need extensions; dev box only.
    CREATE ROLE ticketing LOGIN SUPERUSER CREATEDB PASSWORD 'ticketing';
  END IF;
END \$\$;
SELECT format('CREATE DATABASE %I OWNER ticketing', d)
  FROM unnest(ARRAY[${dbs%,}]) AS d
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = d)
\gexec
SQL
}

# ---------------------------------------------------------------- redis
start_redis() {
  local url="redis://127.0.0.1:$REDIS_PORT" what
  step_start
  if redis_running; then
    what="already running"
    # A Redis started by an older up.sh ran without the append-only file: turn it on in place.
    if [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" config get appendonly 2>/dev/null | tail -1)" != yes ]]; then
      redis-cli -h 127.0.0.1 -p "$REDIS_PORT" config set appendfsync everysec >/dev/null &&
        redis-cli -h 127.0.0.1 -p "$REDIS_PORT" config set appendonly yes >/dev/null ||
        fail_with_log "redis: could not turn on the append-only file" "$LOG_DIR/redis.log"
      what="already running (append-only file turned on)"
    fi
  else
    install -d -m 0755 "$STACK_DIR/redis"
    if port_open "$REDIS_PORT"; then
      # Debian's redis-server service, if its postinst managed to start it.
      if [[ -s /run/redis/redis-server.pid ]] && kill -0 "$(cat /run/redis/redis-server.pid)" 2>/dev/null; then
        log "redis: Debian's redis-server service occupies port $REDIS_PORT; stopping it"
        service redis-server stop >/dev/null 2>&1 || kill -TERM "$(cat /run/redis/redis-server.pid)"
        sleep 0.5
      fi
      port_open "$REDIS_PORT" && die "port $REDIS_PORT is taken by another process (ss -ltnp 'sport = :$REDIS_PORT')"
    fi
    # Plain arguments instead of a config file: everything that matters is here. The waiting
    # room lives in Redis, so it is durable: an append-only file fsynced every second (ADR 0011);
    # what that last second can lose, the queue restores from PostgreSQL.
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
      --dir "$STACK_DIR/redis" --logfile "$LOG_DIR/redis.log" --pidfile "$RUN_DIR/redis.pid" \
      --appendonly yes --appendfsync everysec --save '' 9>&- || fail_with_log "redis-server did not start" "$LOG_DIR/redis.log"
    wait_for_port "$REDIS_PORT" 20 redis "" "$LOG_DIR/redis.log"
    what="started in $(step_secs)"
  fi
  # The port opens before the append-only file is loaded; until then PING answers LOADING.
  local answer=""
  for _ in $(seq 150); do
    answer=$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>&1 || true)
    [[ $answer == PONG ]] && break
    sleep 0.2
  done
  [[ $answer == PONG ]] || fail_with_log "redis does not answer PING (last answer: $answer)" "$LOG_DIR/redis.log"
  report redis "$url" "$what"
}

# ---------------------------------------------------------------- kafka
ensure_kafka_libs() {
  local pom="$STACK_SCRIPT_DIR/kafka/pom.xml" marker="$KAFKA_HOME/lib/.pom.sha256" sum
  sum=$(sha256sum "$pom" | cut -d' ' -f1)
  [[ -f "$marker" && "$(<"$marker")" == "$sum" ]] && return 0
  local t=$EPOCHREALTIME
  log "kafka: fetching jars with Maven (once; pom changed or first run)"
  rm -rf "${KAFKA_HOME:?}/lib"
  mvn -B -Dstyle.color=never -f "$pom" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$KAFKA_HOME/lib" >"$LOG_DIR/maven.log" 2>&1 ||
    fail_with_log "mvn dependency:copy-dependencies failed" "$LOG_DIR/maven.log"
  echo "$sum" >"$marker"
  log "kafka: $(find "$KAFKA_HOME/lib" -name '*.jar' | wc -l) jars in $(awk -v a="$t" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1fs", b-a}')"
}

write_kafka_config() {
  install -d "$KAFKA_HOME/config" "$KAFKA_HOME/data"
  cat >"$KAFKA_HOME/config/server.properties" <<EOF
# Written by infra/stack/up.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_HOME/data
num.partitions=6
auto.create.topics.enable=true
# Single node: internal topics must not ask for replicas that cannot exist,
# otherwise consumer groups and transactions never become available.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# Tests start consumers constantly; don't wait 3 s for more group members.
group.initial.rebalance.delay.ms=0
EOF
  # Everything to stdout (redirected to logs/kafka.log); the per-request and
  # state-change loggers are too chatty for a dev box.
  cat >"$KAFKA_HOME/config/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.network.RequestChannel$=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.controller=INFO
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.org.apache.kafka.storage.internals.log=WARN
log4j.logger.kafka.authorizer.logger=WARN
EOF
}

# Builds KAFKA_JAVA=(java ... -cp lib/*): same GC flags as kafka-run-class.sh,
# heap overridable (KAFKA_HEAP_OPTS) for small boxes.
kafka_java_cmd() {
  local -a heap
  read -r -a heap <<<"${KAFKA_HEAP_OPTS:--Xms512m -Xmx1g}"
  KAFKA_JAVA=(java "${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$KAFKA_HOME/config/log4j.properties" "-Dkafka.logs.dir=$LOG_DIR"
    -cp "$(kafka_classpath)")
}

kafka_ready() { timeout 5 kcat -b "127.0.0.1:$KAFKA_PORT" -L -m 3 >/dev/null 2>&1; }

start_kafka() {
  local url="127.0.0.1:$KAFKA_PORT (KRaft, controller :$KAFKA_CONTROLLER_PORT)" what
  step_start
  if kafka_running; then
    what="already running"
  else
    ensure_kafka_libs
    write_kafka_config
    kafka_java_cmd
    local p
    for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
      port_open "$p" && die "port $p is taken by another process (ss -ltnp 'sport = :$p')"
    done
    if [[ ! -f "$KAFKA_HOME/data/meta.properties" ]]; then
      # The cluster id is kept so a wiped data dir is re-formatted with the same id.
      # Never one starting with '-': the format tool's argument parser takes that for an option
      # ("argument --cluster-id/-t: expected one argument"; a CI run hit it, 1 in 64). Kafka's
      # own Uuid.randomUuid() draws again for the same reason.
      while [[ ! -s "$KAFKA_HOME/cluster-id" || "$(<"$KAFKA_HOME/cluster-id")" == -* ]]; do
        head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$KAFKA_HOME/cluster-id"
      done
      log "kafka: formatting storage (cluster id $(<"$KAFKA_HOME/cluster-id"))"
      "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format -t "$(<"$KAFKA_HOME/cluster-id")" \
        -c "$KAFKA_HOME/config/server.properties" >>"$LOG_DIR/kafka.log" 2>&1 ||
        fail_with_log "kafka storage format failed" "$LOG_DIR/kafka.log"
    fi
    # Kafka holds a file per partition segment open: a day of test runs leaves thousands of test
    # topics behind, and at the default 20,000 descriptors the broker shut itself down ("Too many
    # open files", every log dir failed). Raise the limit for Kafka alone where the host allows.
    ulimit -n 262144 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    # setsid: its own session, so killing the shell/job that ran up.sh leaves it alone.
    setsid nohup "${KAFKA_JAVA[@]}" kafka.Kafka "$KAFKA_HOME/config/server.properties" \
      >>"$LOG_DIR/kafka.log" 2>&1 </dev/null 9>&- &
    echo $! >"$RUN_DIR/kafka.pid"
    wait_for_port "$KAFKA_PORT" 120 kafka "$(<"$RUN_DIR/kafka.pid")" "$LOG_DIR/kafka.log"
    what="started in $(step_secs)"
  fi
  # Listening is not enough: wait until the broker serves metadata.
  local deadline=$((SECONDS + 60))
  until kafka_ready; do
    kafka_running || fail_with_log "kafka exited during startup" "$LOG_DIR/kafka.log"
    ((SECONDS < deadline)) || fail_with_log "kafka does not answer metadata requests on 127.0.0.1:$KAFKA_PORT" "$LOG_DIR/kafka.log"
    sleep 0.5
  done
  report kafka "$url" "$what"
}

# ---------------------------------------------------------------- ferretdb
# Why not plain `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`:
#  1. here it dies before building: "loading deprecation for github.com/FerretDB/FerretDB:
#     reading .../@v/list: 403 Forbidden" (the proxy serves the version, not the list);
#  2. even where it builds, the binary panics at start with "Invalid
#     build/version/version.txt file content" because that file is generated by
#     FerretDB's own build (`bin/task gen-version`) and is not in the module zip
#     (upstream issue FerretDB/FerretDB#2982).
# So: download exactly that module version, copy it, write the version.txt their
# build would write, and `go build` it. Same source, same flags, no substitutes.
ensure_ferretdb_bin() {
  local marker="$STACK_DIR/bin/.ferretdb-version"
  [[ -x "$FERRETDB_BIN" && -f "$marker" && "$(<"$marker")" == "$FERRETDB_VERSION" ]] && return 0
  local go
  go=$(command -v go || echo /usr/local/go/bin/go)
  [[ -x "$go" ]] || die "ferretdb: Go is needed to build FerretDB $FERRETDB_VERSION (expected /usr/local/go/bin/go)"
  local t=$EPOCHREALTIME modsrc build
  log "ferretdb: building $FERRETDB_VERSION from source with Go (once; about 2 minutes)"
  modsrc=$("$go" mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" 2>>"$LOG_DIR/ferretdb-build.log" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  [[ -n "$modsrc" && -d "$modsrc" ]] || die "ferretdb: go mod download github.com/FerretDB/FerretDB@$FERRETDB_VERSION failed"
  build=$(mktemp -d "${TMPDIR:-/tmp}/ferretdb-build.XXXXXX")
  cp -r "$modsrc/." "$build/"
  chmod -R u+w "$build"
  echo "$FERRETDB_VERSION" >"$build/build/version/version.txt"
  mkdir -p "$STACK_DIR/bin"
  # -buildvcs=false: the copy is no git checkout (and must not pick up ours).
  (cd "$build" && "$go" build -buildvcs=false -trimpath -o "$FERRETDB_BIN" ./cmd/ferretdb) >>"$LOG_DIR/ferretdb-build.log" 2>&1 ||
    { rm -rf "$build"; fail_with_log "ferretdb: go build of FerretDB $FERRETDB_VERSION failed" "$LOG_DIR/ferretdb-build.log"; }
  rm -rf "$build"
  # Read the whole answer first: `grep -q` stops at the first line, the binary then dies of SIGPIPE
  # writing the rest, and pipefail turned that into a failed build about one run in a few.
  local reported
  reported=$("$FERRETDB_BIN" --version)
  grep -qx "version: $FERRETDB_VERSION" <<<"$reported" ||
    die "ferretdb: built binary does not report version $FERRETDB_VERSION"
  echo "$FERRETDB_VERSION" >"$marker"
  log "ferretdb: built in $(awk -v a="$t" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1fs", b-a}')"
}

start_ferretdb() {
  local url="mongodb://127.0.0.1:$FERRETDB_PORT (sqlite)" what
  step_start
  if ferretdb_running; then
    what="already running"
  else
    ensure_ferretdb_bin
    install -d "$STACK_DIR/ferretdb/sqlite" "$STACK_DIR/ferretdb/state"
    port_open "$FERRETDB_PORT" && die "port $FERRETDB_PORT is taken by another process (ss -ltnp 'sport = :$FERRETDB_PORT')"
    # SQLite backend: no dependency on PostgreSQL being up, one file per database.
    # --debug-addr=- : no extra HTTP listener; telemetry off (no network here anyway).
    FERRETDB_TELEMETRY=disable setsid nohup "$FERRETDB_BIN" \
      --listen-addr="127.0.0.1:$FERRETDB_PORT" \
      --handler=sqlite --sqlite-url="file:$STACK_DIR/ferretdb/sqlite/" \
      --state-dir="$STACK_DIR/ferretdb/state" \
      --telemetry=disable --debug-addr=- --log-level=INFO \
      >>"$LOG_DIR/ferretdb.log" 2>&1 </dev/null 9>&- &
    echo $! >"$RUN_DIR/ferretdb.pid"
    wait_for_port "$FERRETDB_PORT" 30 ferretdb "$(<"$RUN_DIR/ferretdb.pid")" "$LOG_DIR/ferretdb.log"
    what="started in $(step_secs)"
  fi
  local deadline=$((SECONDS + 15))
  until mongo_ping "$FERRETDB_PORT"; do
    ((SECONDS < deadline)) || fail_with_log "ferretdb does not answer {ping: 1}" "$LOG_DIR/ferretdb.log"
    sleep 0.3
  done
  report ferretdb "$url" "$what"
}

# ---------------------------------------------------------------- prometheus
# Debian's binary with our own config and data folder, not Debian's service. The scrape config is
# generated from the service registry (infra/prometheus/scrape-config.ts, one job per process);
# without node_modules yet (a fresh box before npm ci) Prometheus waits for the next run.
PROMETHEUS_PORT="${PROMETHEUS_PORT:-9090}"
PROMETHEUS_DIR="$STACK_DIR/prometheus"
wants_prometheus() { [[ ${#SERVICES[@]} -eq ${#ALL_SERVICES[@]} && "${PROMETHEUS:-1}" != 0 ]]; }
prometheus_running() { pid_alive "$RUN_DIR/prometheus.pid" prometheus; }

start_prometheus() {
  local url="http://127.0.0.1:$PROMETHEUS_PORT" what tsx="$REPO_ROOT/node_modules/.bin/tsx"
  step_start
  if [[ ! -x "$tsx" ]]; then
    report prometheus "$url" "not started: run npm ci first (its scrape config is generated with tsx)"
    return 0
  fi
  install -d "$PROMETHEUS_DIR/data"
  "$tsx" "$REPO_ROOT/infra/prometheus/scrape-config.ts" "$PROMETHEUS_DIR/prometheus.yml" "$REPO_ROOT/infra/prometheus/alerts.yml" \
    >>"$LOG_DIR/prometheus.log" 2>&1 || fail_with_log "prometheus: could not generate its scrape config" "$LOG_DIR/prometheus.log"
  if prometheus_running; then
    # The registry or the rules may have changed since it started: reload them (--web.enable-lifecycle).
    curl -fsS -X POST "$url/-/reload" >/dev/null 2>&1 || warn "prometheus: reload failed"
    what="already running (config reloaded)"
  else
    port_open "$PROMETHEUS_PORT" && die "port $PROMETHEUS_PORT is taken by another process (Debian's prometheus service? ss -ltnp 'sport = :$PROMETHEUS_PORT')"
    setsid nohup prometheus \
      --config.file="$PROMETHEUS_DIR/prometheus.yml" \
      --storage.tsdb.path="$PROMETHEUS_DIR/data" \
      --storage.tsdb.retention.time=7d \
      --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" \
      --web.enable-lifecycle \
      >>"$LOG_DIR/prometheus.log" 2>&1 </dev/null 9>&- &
    echo $! >"$RUN_DIR/prometheus.pid"
    wait_for_port "$PROMETHEUS_PORT" 30 prometheus "$(<"$RUN_DIR/prometheus.pid")" "$LOG_DIR/prometheus.log"
    what="started in $(step_secs)"
  fi
  report prometheus "$url" "$what"
}

# ---------------------------------------------------------------- main
ensure_packages
wants postgres && start_postgres
wants redis    && start_redis
wants kafka    && start_kafka
wants ferretdb && start_ferretdb
if wants_prometheus; then start_prometheus; fi

# Also written to a file so scripts can `set -a; . .local/stack.env; set +a`.
print_env >"$STACK_DIR/stack.env"
log "ready in $(awk -v a="$STARTED_AT" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1fs", b-a}'); logs in $LOG_DIR; env (also in $STACK_DIR/stack.env):"
print_env | sed 's/^/  /'
