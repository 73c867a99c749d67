#!/usr/bin/env bash
# The whole test suite from a fresh clone: installs what is missing, type-checks, lints,
# builds, runs the unit tier, starts the local servers (Kafka, MinIO, FerretDB,
# Alertmanager, rsyslog — or uses the ones named by env vars) and runs the integration tier.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true

step() { printf '\n\033[1m== %s\033[0m (%ss)\n' "$*" "$SECONDS"; }
results=$(mktemp -d)

step "install npm dependencies"
if [ -n "${CI:-}" ] || ! npm ls --depth=0 >/dev/null 2>&1; then
  # npm ci refuses a lock file without entries for other platforms' optional binaries,
  # which a registry serving only this platform's packages cannot provide; npm install
  # then installs exactly the locked versions.
  npm ci --no-audit --no-fund || npm install --no-audit --no-fund
fi

step "type-check"
npm run -s typecheck
step "lint"
npm run -s lint
step "build"
npm run -s build

step "unit tests"
npx jest -c jest.config.ts --json --outputFile="$results/unit.json"

step "tools the tests need"
bash tools/ci/ensure-docker-compose.sh
# Validators for deploy/ (built with Go on first use, then cached).
for tool in promtool amtool kustomize; do node tools/infra/infra.mjs tool "$tool" >/dev/null; done

step "local servers"
started_infra=0
if ! node tools/infra/infra.mjs status >/dev/null 2>&1; then started_infra=1; fi
node tools/infra/infra.mjs up
stop_infra() {
  if [ "$started_infra" = 1 ] && [ -z "${COSTWATCH_KEEP_INFRA:-}" ]; then node tools/infra/infra.mjs down || true; fi
}
trap stop_infra EXIT

step "integration tests (real servers)"
npx jest -c jest.integration.config.ts --runInBand --json --outputFile="$results/integration.json"

step "summary"
node -e '
  const files = process.argv.slice(1).map((f) => require(f));
  const sum = (k) => files.reduce((n, r) => n + r[k], 0);
  console.log(`suites: ${sum("numPassedTestSuites")} passed, ${sum("numFailedTestSuites")} failed`);
  console.log(`jest: ${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed, ${sum("numPendingTests") + sum("numTodoTests")} skipped`);
' "$results/unit.json" "$results/integration.json"
