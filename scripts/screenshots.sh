#!/usr/bin/env bash
# Regenerates the README's and docs/ui.md's screenshots (docs/screenshots/*.png) with driftq-viz
# under a virtual X server, at fixed moments of bundled lessons.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target driftq-viz >/dev/null
viz=build/release/native/driftq-viz
out=docs/screenshots
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
shot() {  # name, then driftq-viz arguments
  local name=$1; shift
  xvfb-run -a -s "-screen 0 1600x900x24" "$viz" "$@" --size 1600x900 --scale 1 \
    --data-dir "$tmp/data" --frames 12 --screenshot "$tmp/$name.ppm"
  convert "$tmp/$name.ppm" -strip "$out/$name.png"
  echo "$out/$name.png"
}
shot lesson08-dlq --lesson 8 --at 1600 --select orders:1:0
shot lesson15-crash --lesson 15 --at 1600
shot lesson15-recovered --lesson 15 --at 6000 --show wal
shot lesson17-lag --lesson 17 --at 4000 --show "lag and throughput"
shot lesson04-lease --lesson 4 --at 1200 --select orders:0:0
