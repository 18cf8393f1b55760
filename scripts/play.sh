#!/usr/bin/env bash
# Builds the project and runs the main job. Until the visual playground lands this is the
# built-in teaching story of driftq-sim, printed as a trace on virtual time.
# Extra arguments go to driftq-sim (try --state, or --json).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target driftq-sim >/dev/null
exec build/release/native/driftq-sim demo "$@"
