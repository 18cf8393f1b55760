#!/usr/bin/env bash
# Serves the built playground on a free local port and runs the browser smoke test against it:
#   web/e2e/run-smoke.sh BUNDLE_DIR OUT.png
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
node "$here/smoke.mjs" "http://127.0.0.1:$port/index.html" "$out"
colours=$(convert "$out" -format '%k' info:)
echo "web smoke: $out has $colours colours"
[ "$colours" -ge 200 ] || { echo "web smoke: the page looks blank ($colours colours)" >&2; exit 1; }
