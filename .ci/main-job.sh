#!/usr/bin/env bash
# The main job on the example, for a fresh clone: install, build, generate the artifacts from
# examples/platform.yaml, then run the instrumented orders-service (and, when the `prometheus`
# binary is present, a local Prometheus that scrapes it with the generated SLO rules loaded).
# Stops everything on Ctrl-C. PLATFORM_MAIN_JOB_SECONDS=N stops it by itself after N seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build --silent
node packages/generator/dist/cli.js generate --manifest examples/platform.yaml --out .

PORT="${PORT:-8080}"
METRICS_PORT="${PLATFORM_METRICS_PORT:-9464}"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

echo "starting orders-service on http://127.0.0.1:${PORT} (metrics on :${METRICS_PORT}/metrics)"
PORT="$PORT" PLATFORM_METRICS_PORT="$METRICS_PORT" OTEL_SERVICE_NAME=orders-service \
  node --import @platform/telemetry/register examples/orders-service/dist/server.js &
pids+=($!)

if command -v prometheus >/dev/null 2>&1; then
  work="$(mktemp -d)"
  rules_dir="$(pwd)/collector/prometheus-rules"
  cat > "$work/prometheus.yml" <<YAML
global: { scrape_interval: 5s, evaluation_interval: 15s }
rule_files: [ "${rules_dir}/*.rules.yaml" ]
scrape_configs:
  - job_name: orders-service
    static_configs: [ { targets: [ "127.0.0.1:${METRICS_PORT}" ], labels: { telemetry_source: scrape } } ]
YAML
  echo "starting prometheus on http://127.0.0.1:9090 (generated rules from ${rules_dir})"
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
    --web.listen-address=127.0.0.1:9090 --enable-feature=exemplar-storage --log.level=warn &
  pids+=($!)
else
  echo "prometheus not installed (apt-get install -y prometheus): skipping the local Prometheus"
fi

echo "try: curl http://127.0.0.1:${PORT}/orders ; curl -H 'Accept: application/openmetrics-text' http://127.0.0.1:${METRICS_PORT}/metrics"
if [ -n "${PLATFORM_MAIN_JOB_SECONDS:-}" ]; then
  sleep "$PLATFORM_MAIN_JOB_SECONDS"
else
  wait -n "${pids[@]}"
fi
