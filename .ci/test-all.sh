#!/usr/bin/env bash
# The whole test suite for a fresh clone: installs what it needs, builds, tests, checks drift.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-debian-package.sh prometheus prometheus promtool || { [ "${CI:-}" = "true" ] && exit 1; echo "prometheus not installed: live Prometheus tests will skip"; }
# The real OpenTelemetry Collector and k6 binaries (../shared/tools) for the collector-path, otelcol validate and k6 tests.
bash .ci/install-real-tools.sh || { [ "${CI:-}" = "true" ] && exit 1; echo "otelcol/k6 not unpacked: real collector and k6 tests will skip"; }
bash .ci/install-debian-package.sh chromium chromium || { [ "${CI:-}" = "true" ] && exit 1; echo "chromium not installed: the platform dev browser test will skip"; }
npm ci --no-audit --no-fund
bash .ci/audit-dependencies.sh
# One formatter and one linter: the code reads the same everywhere, and `export *` stays banned.
npx --no-install prettier --check .
npx --no-install eslint .
npm run build
npx vitest run
# The committed collector/, dashboards/, loadtests/ (and their kubernetes/ folders) must match examples/platform.yaml.
npx --no-install platform generate --manifest examples/platform.yaml --out . --check
npx --no-install platform generate --manifest examples/platform.yaml --out . --check --target kubernetes
# The benchmark harness must keep working (it reports targets; it fails only if a figure breaks).
npm run bench -- --quick
