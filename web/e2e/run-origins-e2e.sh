#!/usr/bin/env bash
# driftqd against pages of other origins in headless Chromium (origins.mjs): starts a guarded
# driftqd and one with both checks off, each on a free port with a fresh WAL:
#   web/e2e/run-origins-e2e.sh DRIFTQD OUT_DIR
set -euo pipefail
driftqd=$1 out=$2
here="$(cd "$(dirname "$0")" && pwd)"
[ -d "$here/node_modules/playwright-core" ] || (cd "$here" && npm ci --no-audit --no-fund --silent)
tmp=$(mktemp -d)
mkdir -p "$out"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
start() {  # NAME FLAGS...: starts a driftqd; its port is in its startup line
  local name=$1; shift
  "$driftqd" --addr 127.0.0.1:0 --wal "$tmp/$name" --log-level warn "$@" > "$tmp/$name.out" 2> "$out/driftqd-$name.log" &
  pids+=($!)
  for _ in $(seq 100); do grep -q 'listening on' "$tmp/$name.out" && break; sleep 0.1; done
}
start guarded
start open --allow-host '*' --allow-origin '*'
port() { sed -nE 's/driftqd listening on 127\.0\.0\.1:([0-9]+),.*/\1/p' "$tmp/$1.out"; }
node "$here/origins.mjs" "$(port guarded)" "$(port open)" "$out"
