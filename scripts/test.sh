#!/usr/bin/env bash
# Runs every test: the native build (unit tests, WAL crash test, corruption sweep, CLI), the
# sanitizer build, the WebAssembly build under node (including the native-vs-WebAssembly trace
# identity check), the web playground in headless Chromium, and a short libFuzzer run on the WAL
# reader.
# Set DRIFTQ_SKIP_ASAN=1 or DRIFTQ_SKIP_FUZZ=1 to skip those builds when iterating locally.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

jobs=$(nproc)
step() { printf '\n=== %s\n' "$*"; }

step "native (debug) build and tests"
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"
ctest --preset dev -j "$jobs"

if [ "${DRIFTQ_SKIP_ASAN:-0}" != 1 ]; then
  step "AddressSanitizer + UndefinedBehaviorSanitizer build and tests"
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$jobs"
  ctest --preset asan -j "$jobs"
fi

step "WebAssembly build; tests under node"
export NODE_PATH=/usr/share/nodejs  # Debian's emscripten needs its node modules (acorn)
cmake --preset wasm >/dev/null  # compares traces with build/dev/native/driftq-sim
cmake --build --preset wasm -j "$jobs"
ctest --preset wasm -j "$jobs"

step "the web playground: build, then its end-to-end test in headless Chromium"
cmake --preset web >/dev/null
cmake --build --preset web -j "$jobs"
web/e2e/run-e2e.sh build/web/web build/web/e2e
web/e2e/run-live-e2e.sh build/web/web build/dev/native/driftqd build/web/e2e-live  # the page mirroring driftqd
web/e2e/run-origins-e2e.sh build/dev/native/driftqd build/web/e2e-origins  # pages of other origins

if [ "${DRIFTQ_SKIP_FUZZ:-0}" != 1 ]; then
  step "libFuzzer smoke runs: WAL reader with replay, upstream importer, scenario parser (clang, ASan + UBSan)"
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$jobs" --target fuzz_wal_reader make_fuzz_corpus fuzz_upstream_wal fuzz_scenario_parser
  ctest --preset fuzz
fi

step "all tests passed"
