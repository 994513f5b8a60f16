#!/usr/bin/env bash
# Unpacks the prebuilt OpenTelemetry Collector (0.117, 0.156) and k6 binaries of ../shared/tools
# into the git-ignored .tools/ (checksums verified; idempotent). xz comes from Debian when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="../shared/tools"
[ -f "$tools/install.sh" ] || { echo "install-real-tools: $tools/install.sh not found" >&2; exit 1; }
if ! command -v xz >/dev/null 2>&1; then
  [ "$(id -u)" = "0" ] || { echo "install-real-tools: xz missing (apt-get install -y xz-utils)" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends xz-utils >/dev/null
fi
command -v openssl >/dev/null 2>&1 || { [ "$(id -u)" = "0" ] && apt-get install -y -qq --no-install-recommends openssl >/dev/null; }
bash "$tools/install.sh" .tools
