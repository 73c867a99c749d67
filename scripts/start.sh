#!/usr/bin/env bash
# The main job from a fresh clone: install, build, bring up the local servers and the four
# services, and print where everything is. `npm run services:down && npm run infra:down` stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true

if ! npm ls --depth=0 >/dev/null 2>&1; then npm ci --no-audit --no-fund || npm install --no-audit --no-fund; fi
npm run -s build
node tools/infra/infra.mjs up
node scripts/services.mjs up
eval "$(node tools/infra/infra.mjs env)"
cat <<MSG

costwatch is running.
  services      collector :8081  baseline :8082  detector :8083  notifier :8084
                each serves /health/live, /health/ready and /metrics on 127.0.0.1
  Kafka         $KAFKA_BROKERS   (topics billing.records.v1, billing.hourly.v1, billing.daily-totals.v1, billing.anomalies.v1)
  MongoDB wire  $MONGO_URL (database costwatch)
  S3 (MinIO)    $S3_ENDPOINT (bucket costwatch-billing)
  Alertmanager  $ALERTMANAGER_URL
  syslog file   $SYSLOG_FILE
Stop with: npm run services:down && npm run infra:down
MSG
