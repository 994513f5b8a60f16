#!/usr/bin/env bash
# Installs the Debian `prometheus` package (prometheus + promtool) when it is missing.
set -euo pipefail
if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "install-prometheus: not root; install the Debian package 'prometheus' yourself" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends prometheus >/dev/null
# The package starts a system service where systemd runs; tests start their own server.
(service prometheus stop >/dev/null 2>&1 || true)
command -v prometheus >/dev/null && command -v promtool >/dev/null
