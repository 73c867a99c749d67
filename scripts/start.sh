#!/usr/bin/env bash
# The main job from a fresh clone: install, build, bring up the local servers and the four
# services, run 60 days of labelled synthetic billing through the whole pipeline and print
# what was detected and where the alerts went. The services keep running afterwards;
# `npm run services:down && npm run infra:down` stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true

if ! npm ls --depth=0 >/dev/null 2>&1; then npm ci --no-audit --no-fund || npm install --no-audit --no-fund; fi
npm run -s build
node tools/infra/infra.mjs up
eval "$(node tools/infra/infra.mjs env)"

# The demo deployment has its own topics, database and bucket, so it never mixes with data
# collected for real (or by an earlier demo with other settings).
export KAFKA_TOPIC_PREFIX="${KAFKA_TOPIC_PREFIX-demo.}" MONGO_DB="${MONGO_DB:-costwatch_demo}" S3_BUCKET="${S3_BUCKET:-costwatch-demo}"
# The demo's history, shared by the collector service (so its schedule generates the same
# series) and the backfill below: 2 domains x 4 projects x 5 services, 10 injected anomalies.
export SYNTHETIC_START="${SYNTHETIC_START:-2026-09-01}" SYNTHETIC_DAYS="${SYNTHETIC_DAYS:-60}"
export SYNTHETIC_DOMAINS="${SYNTHETIC_DOMAINS:-2}" SYNTHETIC_PROJECTS_PER_DOMAIN="${SYNTHETIC_PROJECTS_PER_DOMAIN:-4}"
export SYNTHETIC_SERVICES_PER_PROJECT="${SYNTHETIC_SERVICES_PER_PROJECT:-5}" SYNTHETIC_ANOMALIES="${SYNTHETIC_ANOMALIES:-10}"
# The detector runs its default preset (billing), as docker-compose and Kubernetes do.

node scripts/services.mjs up
node dist/tools/demo/demo.js
cat <<MSG

costwatch keeps running: collector :8081  baseline :8082  detector :8083  notifier :8084
(each serves /health/live, /health/ready and /metrics on 127.0.0.1).
Stop with: npm run services:down && npm run infra:down
MSG
