#!/usr/bin/env bash
# Fetches the third-party sources the build compiles itself, from Debian's source packages, into
# build/_src (never committed): Dear ImGui 1.86 (Debian's libimgui-dev ships only a prebuilt
# library, and we compile ImGui with our own config: 32-bit draw indices and the test hooks) and,
# for the web build, SDL2. Uses a private apt state, so the machine's apt setup is untouched; the
# archive address comes from the machine's own apt sources.
#
#   scripts/fetch-sources.sh [imgui] [libsdl2]     (default: imgui)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/build/_src"
packages=("$@")
[ ${#packages[@]} -eq 0 ] && packages=(imgui)

declare -A dir_of=([imgui]=imgui-1.86 [libsdl2]=SDL2-2.26.5)
declare -A tar_of=([imgui]='imgui_*.orig.tar.*' [libsdl2]='libsdl2_*.orig.tar.*')

needed=()
for p in "${packages[@]}"; do
  [ -n "${dir_of[$p]:-}" ] || { echo "fetch-sources: unknown package '$p'" >&2; exit 2; }
  [ -d "$out/${dir_of[$p]}" ] || needed+=("$p")
done
[ ${#needed[@]} -eq 0 ] && exit 0

mkdir -p "$out/apt/lists/partial" "$out/download"
src_list="$out/apt/src.sources"
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$src_list"
  list_opt=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$out/apt/parts")
  mkdir -p "$out/apt/parts" && cp "$src_list" "$out/apt/parts/debian.sources"
else
  sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > "$out/apt/src.list"
  list_opt=(-o "Dir::Etc::SourceList=$out/apt/src.list" -o "Dir::Etc::SourceParts=/dev/null")
fi
apt_opts=("${list_opt[@]}" -o "Dir::State::Lists=$out/apt/lists" -o "Debug::NoLocking=1")

echo "fetch-sources: downloading ${needed[*]} from Debian's source packages"
apt-get "${apt_opts[@]}" -qq update
for p in "${needed[@]}"; do
  (cd "$out/download" && apt-get "${apt_opts[@]}" -qq source --download-only "$p")
  tarball=$(ls "$out/download/"${tar_of[$p]} | head -n1)
  tar -xf "$tarball" -C "$out"
  [ -d "$out/${dir_of[$p]}" ] || { echo "fetch-sources: $tarball did not unpack to ${dir_of[$p]}" >&2; exit 1; }
done
