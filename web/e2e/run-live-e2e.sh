#!/usr/bin/env bash
# The web playground as a live view of driftqd: starts `driftqd --web BUNDLE_DIR` on a free port
# with a fresh WAL and runs live.mjs against it in headless Chromium, keeping its screenshots:
#   web/e2e/run-live-e2e.sh BUNDLE_DIR DRIFTQD OUT_DIR
set -euo pipefail
bundle=$1 driftqd=$2 out=$3
here="$(cd "$(dirname "$0")" && pwd)"
[ -d "$here/node_modules/playwright-core" ] || (cd "$here" && npm ci --no-audit --no-fund --silent)
tmp=$(mktemp -d)
"$driftqd" --addr 127.0.0.1:0 --wal "$tmp/wal" --web "$bundle" --log-level warn > "$tmp/out" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do grep -q 'listening on' "$tmp/out" && break; sleep 0.1; done
addr=$(sed -nE 's/driftqd listening on ([^,]+),.*/\1/p' "$tmp/out")
node "$here/live.mjs" "http://$addr" "$out"
