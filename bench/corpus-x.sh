#!/usr/bin/env bash
# The scaled real corpus of issue 14: every submission of a corpus copied N times (real text, no
# synthetic padding), each copy in a folder of its own (`v1.34/gke` -> `v1.34/gke-c07`); the
# templates (`docs/`) copied once.
#   bash bench/corpus-x.sh [N=40] [OUT=/tmp/aiconf-corpus-x40] [FROM=../shared/corpus/head-b2c8969]
# Real copies (not hard links), so the bytes read are N times the corpus's. Put it under /tmp, never
# in the repository. Rebuilding an existing OUT is refused; remove it first.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
n="${1:-40}"
out="${2:-/tmp/aiconf-corpus-x$n}"
from="${3:-../shared/corpus/head-b2c8969}"
if [ -e "$out" ]; then
  echo "corpus-x: $out exists; remove it to rebuild" >&2
  exit 1
fi
mkdir -p "$out"
if [ -d "$from/docs" ]; then cp -r "$from/docs" "$out/docs"; fi
for version in "$from"/v*/; do
  v="$(basename "$version")"
  mkdir -p "$out/$v"
  for sub in "$version"*/; do
    s="$(basename "$sub")"
    for i in $(seq 1 "$n"); do
      cp -r "$sub" "$out/$v/$s-c$(printf '%02d' "$i")"
    done
  done
done
chmod -R u+w "$out"
du -sh "$out"
