#!/usr/bin/env bash
# Builds the project and runs the main job. Until the visual playground lands this is driftq-sim
# on virtual time:
#   scripts/play.sh                        the built-in teaching story, as a trace
#   scripts/play.sh --state                ... followed by the broker's state dump
#   scripts/play.sh scenarios/05-*.json    a lesson, with its texts, and its checks
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target driftq-sim >/dev/null
sim=build/release/native/driftq-sim
if [ $# -gt 0 ] && [ "${1%.json}" != "$1" ]; then
  exec "$sim" run "$@" --play
fi
exec "$sim" demo "$@"
