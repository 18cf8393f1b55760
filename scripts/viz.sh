#!/usr/bin/env bash
# Builds and starts the desktop visualiser (driftq-viz). Arguments go to it:
#   scripts/viz.sh                           lesson 1
#   scripts/viz.sh --lesson 15               a bundled lesson
#   scripts/viz.sh scenarios/05-*.json       a scenario file (or drop one on the window)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target driftq-viz >/dev/null
exec build/release/native/driftq-viz "$@"
