#!/usr/bin/env bash
# One command from a fresh machine to a running system: local stack, dependencies, Prisma
# clients, migrations, demo data, all five subgraphs and the gateway. Safe to re-run.
# SCALE=2 (npm run start:scaled): two copies of every process behind HAProxy on the public ports.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# SKIP_STACK=1: the services are provided elsewhere (Docker Compose, managed databases).
[[ ${SKIP_STACK:-0} == 1 ]] || bash infra/stack/up.sh
load_stack_env
install_dependencies
load_secrets
npx --no-install tsx scripts/prisma.ts migrate
npx --no-install tsx scripts/seed.ts
# The services run compiled JavaScript (scripts/build.ts, skipped when the sources are unchanged);
# RUN_FROM_SOURCE=1 runs their TypeScript through tsx instead, with no build.
[[ ${RUN_FROM_SOURCE:-0} == 1 ]] || npx --no-install tsx scripts/build.ts
# FOREGROUND=1 (containers): stay attached, stop everything on SIGTERM.
if [[ ${FOREGROUND:-0} == 1 ]]; then exec npx --no-install tsx scripts/processes.ts run; fi
npx --no-install tsx scripts/processes.ts start

port=${GATEWAY_PORT:-4000}
cat <<INFO

Ticketing is up.
  GraphQL endpoint   http://127.0.0.1:${port}/graphql   (HTTP POST; WebSocket graphql-ws on the same URL)
  Playground         http://127.0.0.1:${port}/playground
  Admin              ${ADMIN_EMAIL:-admin@ticketing.local} / ${ADMIN_PASSWORD:-admin-password-change-me}
  Copies             ${SCALE:-1} of each process$([[ ${SCALE:-1} -gt 1 ]] && echo " behind HAProxy on the public ports (.run/haproxy.cfg)")
  Logs               .run/logs/<service>.log (scaled: <service>-<n>.log)   Stack logs: .local/logs/
  Stop               npm stop
INFO
