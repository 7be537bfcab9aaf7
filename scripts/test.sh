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
status=0
npx --no-install jest --ci --json --outputFile=.run/jest-results.json "$@" || status=$?
# A plain closing line that any CI reader understands.
node -e '
  const r = require("./.run/jest-results.json");
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
  if (r.numTotalTests === 0) { console.error("no tests ran"); process.exit(1); }
' || status=1
exit $status
