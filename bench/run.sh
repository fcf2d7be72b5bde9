#!/usr/bin/env bash
# Benchmarks at scale (see bench/run.py): installs the peers when missing, then runs.
#   bash bench/run.sh [--sizes real,1k,10k,100k] [--runs 10] [--reuse]
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v rg >/dev/null || need+=(ripgrep)
command -v hyperfine >/dev/null || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi
python3 -c 'import yaml' 2>/dev/null || python3 -m pip install --quiet pyyaml
exec python3 bench/run.py "$@"
