#!/usr/bin/env bash
# Installs what the build and tests need on Debian 12, from Debian's own packages. Packages
# already present are left alone, so this is quick on a prepared machine.
set -euo pipefail

packages=(
  cmake ninja-build g++        # native build
  doctest-dev                  # unit tests
  nlohmann-json3-dev           # JSON at the boundaries (scenarios, HTTP)
  emscripten nodejs            # WebAssembly build; core tests run under node
  clang libclang-rt-14-dev     # libFuzzer target for the WAL reader
  python3-jsonschema           # validates scenario files against docs/scenario.schema.json
  libsdl2-dev libgl-dev        # desktop visualiser (SDL2 + OpenGL 3)
  fonts-dejavu-core            # the visualiser's text font (ImGui's built-in one is a tiny bitmap)
  xvfb xauth imagemagick       # the visualiser's screenshot test runs under a virtual X server
  chromium                     # the web playground's browser test (driven by npm's playwright-core)
  libboost1.81-dev             # driftqd: Boost.Beast parses HTTP (header-only; every answer is ours)
  wrk                          # driftqd benchmarks (scripts/bench-driftqd.sh)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# npm: the machine's own if it has one (it may not be Debian's), else Debian's.
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
