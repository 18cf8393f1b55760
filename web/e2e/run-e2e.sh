#!/usr/bin/env bash
# Serves the built playground on a free local port and runs the browser end-to-end test against
# it, keeping its screenshots:   web/e2e/run-e2e.sh BUNDLE_DIR OUT_DIR
set -euo pipefail
bundle=$1 out=$2
here="$(cd "$(dirname "$0")" && pwd)"
[ -d "$here/node_modules/playwright-core" ] || (cd "$here" && npm ci --no-audit --no-fund --silent)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$bundle" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
python3 - "$port" <<'PY'
import sys, time, urllib.request
for _ in range(100):  # wait until the server answers
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/index.html", timeout=1)
        break
    except OSError:
        time.sleep(0.1)
PY
node "$here/playground.mjs" "http://127.0.0.1:$port/index.html" "$out"
node "$here/lessons.mjs" "http://127.0.0.1:$port/index.html" "$out/lessons"
