#!/usr/bin/env bash
# driftqd's benchmarks (docs/benchmarks.md#driftqd), on loopback with the WAL on and every
# answered request durable (--durability always): produce requests/s and latency at 1, 16 and 256
# connections, then consumed-and-acked messages/s. bench/bench_driftqd.cpp is the load generator.
# Backpressure caps are off so that a benchmark measures produce, not 429s; logging is upstream's
# default (info, one line per request) sent to /dev/null.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target driftqd bench_driftqd >/dev/null
bin=build/release
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
seconds=${SECONDS_PER_RUN:-10}

start() {  # starts driftqd on a fresh WAL with extra flags; sets $addr
  rm -rf "$tmp/wal"
  "$bin/native/driftqd" --addr 127.0.0.1:0 --wal "$tmp/wal" --max-partition-messages 0 --max-partition-bytes 0 "$@" \
    > "$tmp/out" 2>/dev/null &
  for _ in $(seq 50); do grep -q listening "$tmp/out" 2>/dev/null && break; sleep 0.1; done
  addr=$(sed -E 's/driftqd listening on ([^,]+),.*/\1/' "$tmp/out")
  curl -s -X POST "http://$addr/v1/topics?name=bench&partitions=16" >/dev/null
}
stop() { kill %1; wait %1 2>/dev/null || true; }

echo "== produce, durability always (one WAL sync per round of queued requests)"
for c in 1 16 256; do
  start
  "$bin/bench/bench_driftqd" produce "$addr" "$c" "$seconds"
  stop
done
echo "== produce, 16 connections, wrk (HTTP/1.1 keep-alive, one thread)"
start
printf 'wrk.method = "POST"\nwrk.path = "/v1/produce?topic=bench&key=k&value=%s"\n' "$(printf 'v%.0s' $(seq 100))" > "$tmp/produce.lua"
wrk -t1 -c16 -d"${seconds}s" --latency -s "$tmp/produce.lua" "http://$addr" | grep -E 'Requests/sec|50%|99%|Non-2xx'
stop
echo "== the WAL's sync alone: produce on 1 connection with --durability none"
start --durability none
"$bin/bench/bench_driftqd" produce "$addr" 1 "$seconds"
stop
echo "== consume: 16 streams in one group read and ack 20,000 messages (each ack durable)"
start
"$bin/bench/bench_driftqd" consume "$addr" 16 20000
stop
start --max-in-flight 0
echo "   the same with no in-flight cap (--max-in-flight 0):"
"$bin/bench/bench_driftqd" consume "$addr" 16 20000
stop
