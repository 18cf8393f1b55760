#!/usr/bin/env bash
# Regenerates the README's and docs/ui.md's screenshots (docs/screenshots/*.png) with driftq-viz
# under a virtual X server, at fixed moments of bundled lessons.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target driftq-viz driftqd >/dev/null
viz=build/release/native/driftq-viz
out=docs/screenshots
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
shot() {  # name, then driftq-viz arguments; SIZE=WxH for another window size
  local name=$1; shift
  xvfb-run -a -s "-screen 0 1600x900x24" "$viz" "$@" --size "${SIZE:-1600x900}" --scale 1 \
    --data-dir "$tmp/data" --frames 12 --screenshot "$tmp/$name.ppm"
  convert "$tmp/$name.ppm" -strip "$out/$name.png"
  echo "$out/$name.png"
}
shot lesson08-dlq --lesson 8 --at 1600 --select orders:1:0
shot lesson15-crash --lesson 15 --at 1600
shot lesson15-recovered --lesson 15 --at 6000 --show wal
shot lesson17-lag --lesson 17 --at 4000 --show "lag and throughput"
shot lesson04-lease --lesson 4 --at 1200 --select orders:0:0
shot lesson09-skipped --lesson 9 --at 1200 --select orders:0:0
shot lesson09-compare --lesson 9 --at 1100 --compare
shot flow-lesson04 --lesson 4 --at 520 --show flow --layout inspect
shot flow-lesson15 --lesson 15 --at 700 --show flow --layout inspect
# The Learn layout at a laptop's size: lesson 1 moving, lesson 8's redrive task, lesson 15's refill.
SIZE=1280x720 shot learn-lesson01 --lesson 1 --at 75 --layout learn
SIZE=1280x720 shot learn-lesson08-task --lesson 8 --at 2000 --layout learn
SIZE=1280x720 shot learn-lesson15-refill --lesson 15 --at 1900 --layout learn

# The live view: driftq-viz --listen with curl traffic sent while it runs.
python3 - "$viz" "$tmp" <<'PY'
import json, subprocess, sys, time, urllib.request
viz, tmp = sys.argv[1], sys.argv[2]
p = subprocess.Popen(["xvfb-run", "-a", "-s", "-screen 0 1600x900x24", viz, "--listen", "127.0.0.1:0", "--size", "1600x900",
                      "--scale", "1", "--data-dir", tmp + "/live", "--seconds", "6", "--screenshot", tmp + "/viz-live.ppm"],
                     stdout=subprocess.PIPE, text=True)
addr = p.stdout.readline().split()[3].rstrip(",")
base = "http://" + addr
def post(path, body=None):
    urllib.request.urlopen(urllib.request.Request(base + path, data=body.encode() if body else b"", method="POST")).read()
post("/v1/topics?name=orders&partitions=3")
for i in range(8):
    post(f"/v1/produce?topic=orders&key=order-{i}&value=item-{i}")
stream = urllib.request.urlopen(base + "/v1/consume?topic=orders&group=billing&owner=alice&lease_ms=60000")
first = json.loads(stream.readline())
post(f"/v1/ack?topic=orders&group=billing&owner=alice&partition={first['partition']}&offset={first['offset']}")
second = json.loads(stream.readline())
post("/v1/nack", json.dumps({"topic": "orders", "group": "billing", "owner": "alice", "partition": second["partition"],
                             "offset": second["offset"], "reason": "card declined"}))
p.wait()
PY
convert "$tmp/viz-live.ppm" -strip "$out/viz-live.png"
echo "$out/viz-live.png"

# The web playground's, from its end-to-end test in headless Chromium.
NODE_PATH=/usr/share/nodejs cmake --preset web >/dev/null
NODE_PATH=/usr/share/nodejs cmake --build --preset web >/dev/null
web/e2e/run-e2e.sh build/web/web "$tmp/web" >/dev/null
for pair in 04-lesson15-after-reload:web-reload 06-tampered-link:web-tampered-link 05-share-link:web-share-link; do
  convert "$tmp/web/${pair%%:*}.png" -strip "$out/${pair##*:}.png"
  echo "$out/${pair##*:}.png"
done
