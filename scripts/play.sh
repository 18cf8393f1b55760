#!/usr/bin/env bash
# The main job: builds the web playground if needed and serves it on 127.0.0.1.
#   scripts/play.sh                        serve the playground (prints the URL; Ctrl+C stops it)
#   scripts/play.sh --port 8080            on a given port
#   scripts/play.sh --trace [ARGS]         the text trace instead (driftq-sim demo; ARGS: --state, --json)
#   scripts/play.sh --trace scenarios/05-*.json   a lesson as text, with its explanations and checks
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

if [ "${1:-}" = "--trace" ]; then
  shift
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)" --target driftq-sim >/dev/null
  sim=build/release/native/driftq-sim
  if [ $# -gt 0 ] && [ "${1%.json}" != "$1" ]; then
    exec "$sim" run "$@" --play
  fi
  exec "$sim" demo "$@"
fi

port=8080
if [ "${1:-}" = "--port" ]; then port=${2:?--port needs a number}; fi
export NODE_PATH=/usr/share/nodejs  # Debian's emscripten needs its node modules
cmake --preset web >/dev/null
cmake --build --preset web -j "$(nproc)" >/dev/null
echo "DriftQ Playground: http://127.0.0.1:$port/  (Ctrl+C stops it)"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory build/web/web
