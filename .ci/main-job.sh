#!/usr/bin/env bash
# The main job on the example, for a fresh clone: install, build, generate the artifacts from
# examples/platform.yaml, start `platform dev` (OTLP receiver + web UI with the manifest's SLOs),
# run the instrumented orders-service exporting to it, send a little traffic so the UI is not
# empty (and, when the `prometheus` binary is present, a local Prometheus that scrapes the
# service with the generated SLO rules loaded). The UI URL is the first line it prints.
# Stops everything on Ctrl-C and removes its temp dir. Knobs (environment): PORT (8080),
# PLATFORM_METRICS_PORT (9464), PLATFORM_DEV_OTLP_PORT (4318), PLATFORM_DEV_UI_PORT (4000),
# PLATFORM_PROMETHEUS_PORT (9090), PLATFORM_MAIN_JOB_SECONDS=N (stop by itself after N seconds),
# PLATFORM_MAIN_JOB_SKIP_BUILD=1 (reuse the current build). Documented in README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# PLATFORM_MAIN_JOB_SKIP_BUILD=1: reuse the current build and generated files (a quick restart;
# the test of this script, which must not rewrite files other tests read).
if [ "${PLATFORM_MAIN_JOB_SKIP_BUILD:-}" != "1" ]; then
  npm run build --silent
  node packages/generator/dist/cli.js generate --manifest examples/platform.yaml --out . >/dev/null
fi

PORT="${PORT:-8080}"
METRICS_PORT="${PLATFORM_METRICS_PORT:-9464}"
DEV_OTLP_PORT="${PLATFORM_DEV_OTLP_PORT:-4318}"
DEV_UI_PORT="${PLATFORM_DEV_UI_PORT:-4000}"
PROMETHEUS_PORT="${PLATFORM_PROMETHEUS_PORT:-9090}"
pids=()
work=""
# Stops what this job started, once, and removes its temp dir (Ctrl-C reaches the children too).
cleanup() {
  trap - EXIT INT TERM
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT INT TERM

# Polls a URL until it answers (at most 15 s).
wait_for() { node -e 'const u=process.argv[1];const end=Date.now()+15e3;(async()=>{for(;;){try{const r=await fetch(u);if(r.ok)return;}catch{}if(Date.now()>end){console.error("no answer from "+u);process.exit(1);}await new Promise(r=>setTimeout(r,100));}})()' "$1"; }

# platform dev prints "platform dev: open http://127.0.0.1:4000/" first: the UI to open.
node packages/generator/dist/cli.js dev --manifest examples/platform.yaml \
  --port "127.0.0.1:${DEV_OTLP_PORT}" --ui "127.0.0.1:${DEV_UI_PORT}" &
pids+=($!)
wait_for "http://127.0.0.1:${DEV_UI_PORT}/api/stats"

echo "starting orders-service on http://127.0.0.1:${PORT} (metrics on :${METRICS_PORT}/metrics), traces and logs to platform dev"
PORT="$PORT" PLATFORM_METRICS_PORT="$METRICS_PORT" OTEL_SERVICE_NAME=orders-service \
  OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:${DEV_OTLP_PORT}" OTEL_BSP_SCHEDULE_DELAY=500 OTEL_BLRP_SCHEDULE_DELAY=500 \
  node --import @platform/telemetry/register examples/orders-service/dist/server.js &
pids+=($!)
wait_for "http://127.0.0.1:${PORT}/healthz"
# A little traffic so the UI has something to show: reads, the downstream call, a create, a 404, a 400.
node -e 'const b=process.argv[1];(async()=>{const get=(p)=>fetch(b+p).then(r=>r.arrayBuffer());for(let i=0;i<5;i++){await get("/orders");await get("/orders/1");await get("/orders/2/inventory");await get("/orders/999");}
await fetch(b+"/orders",{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify({sku:"widget",quantity:2})}).then(r=>r.arrayBuffer());
await fetch(b+"/orders",{method:"POST",headers:{"content-type":"application/json"},body:"{}"}).then(r=>r.arrayBuffer());})()' "http://127.0.0.1:${PORT}"
echo "sent 22 example requests; platform dev UI: http://127.0.0.1:${DEV_UI_PORT}/"

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
  echo "starting prometheus on http://127.0.0.1:${PROMETHEUS_PORT} (generated rules from ${rules_dir})"
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
    --web.listen-address=127.0.0.1:${PROMETHEUS_PORT} --enable-feature=exemplar-storage --log.level=warn &
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
