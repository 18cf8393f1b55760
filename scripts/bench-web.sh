#!/usr/bin/env bash
# The web playground's figures for docs/benchmarks.md (issue 9), each printed by what measures it:
#   1. the core benchmark and a 1,000,000-event simulation, native and under node (WebAssembly);
#   2. the bundle's size, gzipped;
#   3. in headless Chromium (web/e2e/bench.mjs): cold load, IndexedDB, UI frames, memory.
# (node runs Emscripten 3.1.6 output with --no-experimental-fetch: its fetch cannot read a path.)
# Usage: scripts/bench-web.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs

cmake --preset release >/dev/null && cmake --build --preset release --target bench_cycles bench_sim >/dev/null
cmake --preset wasm-bench >/dev/null && cmake --build --preset wasm-bench --target bench_cycles bench_sim >/dev/null
cmake --preset web >/dev/null && cmake --build --preset web >/dev/null

# "| relaxed (in-flight 1024, caps off) | best | median | retries |" -> best
relaxed_best() { grep '^| relaxed (in-flight 1024, caps off)' | awk -F'|' '{gsub(/ /, "", $3); print $3}'; }
# "| simulated events/s | N |" -> N
sim_rate() { grep '^| simulated events/s' | awk -F'|' '{gsub(/ /, "", $3); print $3}'; }

echo "### Core and simulator: native and under node"
echo
echo "| benchmark | native | node (WebAssembly) | node / native time |"
echo "|---|---:|---:|---:|"
native_cycles=$(build/release/bench/bench_cycles | relaxed_best)
node_cycles=$(node --no-experimental-fetch build/wasm-bench/bench/bench_cycles.js | relaxed_best)
echo "| bench_cycles, relaxed, best cycles/s | $native_cycles | $node_cycles | $(python3 -c "print(f'{$native_cycles / $node_cycles:.2f}x')") |"
native_sim=$(build/release/bench/bench_sim 250000 | sim_rate)
node_sim=$(node --no-experimental-fetch build/wasm-bench/bench/bench_sim.js 250000 | sim_rate)
echo "| bench_sim 250,000 messages (1,001,628 events), events/s | $native_sim | $node_sim | $(python3 -c "print(f'{$native_sim / $node_sim:.2f}x')") |"

echo
echo "### Bundle (build/web/web)"
echo
echo "| file | bytes | gzip -9 |"
echo "|---|---:|---:|"
total=0
for f in driftq.wasm driftq.js index.html share_link.js driftq.data; do
  raw=$(stat -c %s "build/web/web/$f")
  gz=$(gzip -9 -c "build/web/web/$f" | wc -c)
  echo "| $f | $raw | $gz |"
  [ "$f" = driftq.data ] || total=$((total + gz))
done
echo "| code and page (all but driftq.data) | | $total |"

echo
echo "### In the browser (headless Chromium, SwiftShader)"
echo
here=web/e2e
[ -d "$here/node_modules/playwright-core" ] || (cd "$here" && npm ci --no-audit --no-fund --silent)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory build/web/web >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 1
node "$here/bench.mjs" "http://127.0.0.1:$port/index.html" "${DRIFTQ_BENCH_UI_MESSAGES:-1000000}" 250000
