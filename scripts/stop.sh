#!/usr/bin/env bash
# Stops the application processes, then the local stack (keeping its data in .local/).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

if [[ -x node_modules/.bin/tsx ]]; then npx --no-install tsx scripts/processes.ts stop; fi
[[ ${KEEP_STACK:-0} == 1 ]] || bash infra/stack/down.sh
