#!/usr/bin/env python3
"""A/B two diaggauss_bench binaries (say, one built before a change and one after) on the same machine, rounds
interleaved (A, B, A, B, ...) so that load drifts hit both sides alike; prints the median of B/A throughput per
benchmark and a summary.

  bench/ab/ab_binaries.py OLD_BENCH NEW_BENCH [--filter REGEX] [--rounds N] [--min-time S] [--worse PCT] [--json F]
                          [--each] [--bench-arg=ARG ...]

--each runs every benchmark on its own, A then B back to back (one process each), which takes longer (a process
start per run) but keeps the two sides of a pair seconds apart instead of a whole suite apart: on a shared VM
whose speed drifts by 10-20 % over minutes, use it to confirm a row before believing it.
--bench-arg passes an argument to both binaries (repeatable), e.g. --bench-arg=--dg_point_dim=8.

Keep the old binary by copying it before rebuilding (`cp build/diaggauss_bench /tmp/bench_before`; it links the
library statically).  Exit status 0 always: a row marked `slower` is a place to look, not a verdict (machines are
shared and noisy); rerun that filter with more rounds before believing it.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile


# As bench/run_bench.sh: one BLAS/OpenMP thread, so that no idle worker spins beside the measured one (on a
# 2-core VM OpenBLAS's yielding worker took ~7 % of a core).
BENCH_ENV = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")


def names(binary, flt, extra=()):
    out = subprocess.run([binary, f"--benchmark_filter={flt}", "--benchmark_list_tests=true", *extra], check=True,
                         capture_output=True, text=True, env=BENCH_ENV).stdout
    return [line.strip() for line in out.splitlines() if line.strip()]


def run(binary, flt, min_time, extra):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    try:
        subprocess.run([binary, f"--benchmark_filter={flt}", f"--benchmark_min_time={min_time}",
                        f"--benchmark_out={out}", "--benchmark_out_format=json", *extra],
                       check=True, stdout=subprocess.DEVNULL, env=BENCH_ENV)
        with open(out) as fh:
            data = json.load(fh)
    finally:
        os.unlink(out)
    rates = {}
    for b in data.get("benchmarks", []):
        if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
            continue
        # Throughput when the benchmark reports one, else the inverse of the time.
        rate = b.get("items_per_second") or b.get("bytes_per_second") or 1.0 / b["real_time"]
        rates[b["name"]] = rate
    return rates


def write_ratios(path, ratios):
    """{name: [ratio, ...]} as JSON with each median, written whole or not at all (temp file, then rename)."""
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump({k: {"median_ratio": statistics.median(v), "ratios": v} for k, v in ratios.items()}, fh, indent=1)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a", help="bench binary A (before)")
    ap.add_argument("b", help="bench binary B (after)")
    ap.add_argument("--filter", default=".", help="Google Benchmark filter regex (default: all)")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds per side (default 5)")
    ap.add_argument("--min-time", default="0.05", help="--benchmark_min_time per run (default 0.05 s)")
    ap.add_argument("--worse", type=float, default=5.0, help="mark B slower when its median is this %% below A")
    ap.add_argument("--json", help="also write the per-benchmark medians and ratios to this file")
    ap.add_argument("--each", action="store_true", help="one benchmark at a time, A and B back to back")
    ap.add_argument("--bench-arg", action="append", default=[], metavar="ARG",
                    help="an argument for both binaries, e.g. --bench-arg=--dg_point_dim=8 (repeatable)")
    args = ap.parse_args()
    for path in (args.a, args.b):
        if not os.access(path, os.X_OK):
            sys.exit(f"ab_binaries.py: '{path}' is not an executable file")
    ratios = {}
    groups = [args.filter]
    if args.each:
        groups = ["^" + re.escape(n) + "$" for n in names(args.a, args.filter, args.bench_arg)]
    for r in range(args.rounds):
        print(f"[ab] round {r + 1}/{args.rounds}", file=sys.stderr, flush=True)
        for flt in groups:
            ra = run(args.a, flt, args.min_time, args.bench_arg)
            rb = run(args.b, flt, args.min_time, args.bench_arg)
            for name in ra.keys() & rb.keys():
                ratios.setdefault(name, []).append(rb[name] / ra[name])
    if not ratios:
        sys.exit(f"ab_binaries.py: no benchmark matched '{args.filter}' in both binaries")
    rows = sorted((statistics.median(v), k) for k, v in ratios.items())
    width = max(len(k) for _, k in rows)
    slower = 0
    for med, name in rows:
        mark = ""
        if med < 1.0 - args.worse / 100.0:
            mark, slower = "  slower", slower + 1
        print(f"{name:<{width}}  B/A {med:6.3f}{mark}")
    meds = [m for m, _ in rows]
    print(f"[ab] {len(rows)} benchmarks, {args.rounds} rounds: median B/A {statistics.median(meds):.3f}, "
          f"min {min(meds):.3f}, max {max(meds):.3f}; {slower} more than {args.worse:g}% slower")
    if args.json:
        write_ratios(args.json, ratios)


if __name__ == "__main__":
    main()
