#!/usr/bin/env bash
# bench/run_bench.sh — run diaggauss_bench with repetitions, the numpy anchors, and the report (`./dg bench`).
#
#   bench/run_bench.sh [--quick] [--reps N] [--min-time S] [--filter REGEX] [--build DIR] [--pin CPU]
#                      [--no-numpy] [--no-report] [-- extra diaggauss_bench arguments]
#
#   --quick        3 repetitions, 0.01 s minimum per benchmark, fewer sizes, smaller mixtures: about two
#                  minutes on a quiet 2-core machine.  Writes <cpu-key>-quick.* so that it never overwrites the
#                  full run's results.
#   (default)      5 repetitions, 0.2 s minimum, sizes 1K 16K 256K 4M 32M elements (L1, L2, LLC, memory):
#                  about half an hour; take final numbers on a quiet machine.
#   --filter R     only benchmarks matching the Google Benchmark regex R (writes <cpu-key>-filtered.*)
#   --build DIR    build directory (default: build, or $DG_BUILD_DIR); built with -j${DG_JOBS:-2} when the
#                  binaries are missing
#   --pin CPU      run under `taskset -c CPU`
#   --readme       also refresh bench/results/README-report/ (the report the README quotes): the report, the
#                  three plots the README shows, and the run's JSON gzipped beside them (<key>*.json.gz, checked
#                  < 2 MB), so that anyone can `compare.py` a run of their own against it (docs/benchmarks.md)
# Outputs in bench/results/: <key>.json (Google Benchmark), <key>-numpy.json, <key>.md, <key>-bars-*.png/svg,
# <key>-roofline-*.png/svg, where <key> is `diaggauss info --json`'s cpu.key.  docs/benchmarks.md explains them.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

PY=/usr/bin/python3
BUILD="${DG_BUILD_DIR:-build}"
QUICK=0 REPS="" MIN_TIME="" FILTER="" PIN="" NUMPY=1 REPORT=1 README=0
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --reps) REPS="$2"; shift ;;
    --min-time) MIN_TIME="$2"; shift ;;
    --filter) FILTER="$2"; shift ;;
    --build) BUILD="$2"; shift ;;
    --pin) PIN="$2"; shift ;;
    --no-numpy) NUMPY=0 ;;
    --no-report) REPORT=0 ;;
    --readme) README=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "run_bench.sh: unknown option '$1' (--help)" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '[bench] %s\n' "$*"; }

BIN="$BUILD/diaggauss_bench"
CLI="$BUILD/diaggauss"
if [ ! -x "$BIN" ] || [ ! -x "$CLI" ]; then
  [ -f "$BUILD/CMakeCache.txt" ] || { echo "run_bench.sh: no build in '$BUILD' (run ./dg build first)" >&2; exit 1; }
  say "building diaggauss_bench and the CLI in $BUILD (-j${DG_JOBS:-2})"
  cmake --build "$BUILD" --target diaggauss_bench diaggauss_cli -j "${DG_JOBS:-2}"
fi
[ -x "$BIN" ] || { echo "run_bench.sh: $BIN was not built (is libbenchmark-dev installed?)" >&2; exit 1; }

KEY="$("$CLI" info --json | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["cpu"]["key"])')"
mkdir -p bench/results
SUFFIX=""
if [ -n "$FILTER" ]; then SUFFIX="-filtered"; elif [ "$QUICK" = 1 ]; then SUFFIX="-quick"; fi
BASE="bench/results/${KEY}${SUFFIX}"

if [ "$QUICK" = 1 ]; then
  REPS="${REPS:-3}" MIN_TIME="${MIN_TIME:-0.01}"
  ARGS=(--dg_quick)
  NP_SIZES="1024,4194304" NP_SMALL="1,4,16,64"
else
  REPS="${REPS:-5}" MIN_TIME="${MIN_TIME:-0.2}"
  ARGS=()
  NP_SIZES="1024,16384,262144,4194304,33554432" NP_SMALL="1,2,4,8,16,32,64"
fi
# Random interleaving runs the repetitions of all benchmarks in a shuffled order, so the slow drifts of a shared
# machine hit every row alike instead of whichever rows happened to run during a busy minute (before, rows of one
# quick run disagreed with a re-run of the same pair by up to 2x).
ARGS+=(--benchmark_repetitions="$REPS" --benchmark_min_time="$MIN_TIME"
       --benchmark_enable_random_interleaving=true
       --benchmark_display_aggregates_only=true
       --benchmark_out="$BASE.json" --benchmark_out_format=json)
[ -n "$FILTER" ] && ARGS+=(--benchmark_filter="$FILTER")
RUN=()
[ -n "$PIN" ] && RUN=(taskset -c "$PIN")

export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
say "cpu key $KEY; load average: $(cut -d' ' -f1-3 /proc/loadavg); $REPS repetitions, min time ${MIN_TIME}s"
start=$(date +%s)
"${RUN[@]}" "$BIN" "${ARGS[@]}" "${EXTRA[@]}"
say "diaggauss_bench: $(( $(date +%s) - start )) s -> $BASE.json"

NP_JSON=""
if [ "$NUMPY" = 1 ] && [ -z "$FILTER" ]; then
  if "$PY" -c 'import numpy' 2>/dev/null; then
    NP_JSON="$BASE-numpy.json"
    "${RUN[@]}" "$PY" bench/anchors_numpy.py --sizes "$NP_SIZES" --small-sizes "$NP_SMALL" --reps "$REPS" \
      --min-time "$MIN_TIME" --out "$NP_JSON" 2>/dev/null
    say "numpy anchors -> $NP_JSON"
  else
    say "numpy anchors skipped: python3-numpy is not installed for $PY (apt-get install -y python3-numpy)"
  fi
fi

if [ "$REPORT" = 1 ]; then
  if ! "$PY" -c 'import matplotlib' 2>/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "installing python3-matplotlib for the plots"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-matplotlib >/dev/null || true
    else
      say "plots need python3-matplotlib: sudo apt-get install -y python3-matplotlib"
    fi
  fi
  "$PY" bench/report.py "$BASE.json" ${NP_JSON:+--numpy "$NP_JSON"} --out-prefix "$BASE"
fi
if [ "$README" = 1 ]; then
  [ "$REPORT" = 1 ] && [ -z "$FILTER" ] || { echo "run_bench.sh: --readme needs the report of a whole run" >&2; exit 2; }
  DEST=bench/results/README-report
  NAME="$(basename "$BASE")"
  # Replace this machine's previous report only: the folder also holds machine comparisons (compare_machines.py)
  # and their inputs, which a run here must not delete.
  mkdir -p "$DEST"
  rm -f "$DEST/$NAME.md" "$DEST/$NAME"-bars-*.png "$DEST/$NAME"-roofline-*.png "$DEST/$NAME.json.gz" \
    "$DEST/$NAME-numpy.json.gz"
  cp "$BASE.md" "$BASE-bars-normal.png" "$BASE-bars-gmm_logpdf.png" "$BASE-roofline-solve_diag.png" "$DEST/"
  for j in "$BASE.json" ${NP_JSON:+"$NP_JSON"}; do
    gzip -9 -n -c "$j" >"$DEST/$(basename "$j").gz"
    size=$(stat -c %s "$DEST/$(basename "$j").gz")
    [ "$size" -lt 2000000 ] || { echo "run_bench.sh: $DEST/$(basename "$j").gz is $size bytes (limit 2 MB)" >&2; exit 1; }
  done
  say "README report -> $DEST/ ($NAME.md, plots, JSON gzipped)"
fi
say "done in $(( $(date +%s) - start )) s"
