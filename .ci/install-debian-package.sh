#!/usr/bin/env bash
# Installs a Debian package when any of the commands it provides is missing (root only):
#   bash .ci/install-debian-package.sh PACKAGE COMMAND...
# e.g. `prometheus prometheus promtool` (live Prometheus tests), `chromium chromium` (platform dev UI test).
set -euo pipefail
package="$1"; shift
missing=0
for cmd in "$@"; do command -v "$cmd" >/dev/null 2>&1 || missing=1; done
[ "$missing" = "0" ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "install-debian-package: not root; install the Debian package '$package' yourself" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "$package" >/dev/null
# A package that starts a system service where systemd runs (prometheus) is stopped: tests start their own.
(service "$package" stop >/dev/null 2>&1 || true)
for cmd in "$@"; do command -v "$cmd" >/dev/null; done
