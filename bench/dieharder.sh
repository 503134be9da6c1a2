#!/usr/bin/env bash
# Runs the dieharder battery (Debian package `dieharder`) on diaggauss's raw Philox stream and records the result
# in bench/results/dieharder-<date>.txt.  Long (an hour or more for -a): not part of CI.
#   bench/dieharder.sh [dieharder options]     default: -a (all tests)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dieharder >/dev/null || { echo "dieharder is not installed: apt-get install -y dieharder" >&2; exit 1; }
[ -x build/diaggauss ] || ./dg build
mkdir -p bench/results
out="bench/results/dieharder-$(date +%Y%m%d).txt"
opts=("$@")
[ ${#opts[@]} -gt 0 ] || opts=(-a)
echo "# diaggauss $(build/diaggauss info --json | grep -m1 '"version"') seed=20261125 stream=0" | tee "$out"
build/diaggauss sample --raw --seed 20261125 | dieharder -g 200 "${opts[@]}" | tee -a "$out"
echo "written: $out"
