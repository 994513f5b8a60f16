#!/usr/bin/env bash
# `npm audit --omit=dev --audit-level=high`: fails on a high/critical advisory in what ships.
# When the registry in reach has no advisories endpoint (a mirror answering 405), says so
# loudly and does not pretend the audit passed.
set -uo pipefail
cd "$(dirname "$0")/.."
out="$(npm audit --omit=dev --audit-level=high 2>&1)"
rc=$?
if [ $rc -eq 0 ]; then
  echo "npm audit: no high or critical advisories in production dependencies"
  exit 0
fi
if grep -q "audit endpoint returned an error\|ENOTFOUND\|ECONNREFUSED\|ETIMEDOUT" <<<"$out"; then
  echo "npm audit: NOT RUN — the registry's advisories endpoint is unreachable from here:"
  grep -m2 "npm warn audit\|npm error audit" <<<"$out" | sed -E 's|https?://[^ ]+|<registry>|g'
  exit 0
fi
echo "$out"
exit 1
