#!/usr/bin/env bash
# The whole test suite from a fresh machine: local stack, dependencies, static checks
# (types, lint, module boundaries, generated code up to date), unit and integration tests.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

bash infra/stack/up.sh
load_stack_env
install_dependencies

log check "typecheck, lint, dependency rules, codegen freshness"
npm run --silent check

log test "jest: unit + integration (real PostgreSQL, Redis, Kafka, FerretDB)"
mkdir -p .run
touch .run/started
status=0
npx --no-install jest --ci --json --outputFile=.run/jest-results.json "$@" || status=$?
# A plain closing line that any CI reader understands.
node -e '
  const r = require("./.run/jest-results.json");
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
  if (r.numTotalTests === 0) { console.error("no tests ran"); process.exit(1); }
' || status=1
# CI keeps only this output: on failure, show what the services of this run logged as errors.
if [ "$status" -ne 0 ]; then
  log test "service errors logged during this run (newest last):"
  # Every isolated system logs under .run/<label>-logs/<run>/ (the label is the spec's).
  find .run -name '*.log' -newer .run/started 2>/dev/null | while read -r file; do
    grep -h '"level":"\(error\|fatal\)"' "$file" | grep -v '"logger":"kafkajs"' | tail -n 15 | cut -c1-600 | sed "s|^|  ${file#.run/}: |"
  done
fi
exit $status
