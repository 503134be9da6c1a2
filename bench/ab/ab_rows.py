#!/usr/bin/env python3
"""Two rows of one diaggauss_bench binary, paired: run row A then row B back to back (one process each), --rounds
times, and print the median of the per-pair throughput ratios B/A.  For the ratios the issues ask about within one
build: a sampler against `normal` per element, out of cache against in cache.
  bench/ab/ab_rows.py BENCH --pair A B [--pair A B ...] [--rounds N] [--min-time S] [--bench-arg=ARG ...]
                      [--json F]
A and B are whole benchmark names (e.g. BM_normal/avx2/intrinsics/f32/16384 BM_sample_gmm/avx2/intrinsics/f32/16384);
sizes that are not registered by default need --bench-arg=--dg_sizes=16384,67108864, and the samplers' point
dimension --bench-arg=--dg_point_dim=8.
Why pairs: on a shared VM a row's speed drifts by 10-30 % over minutes, so two rows' medians taken a suite apart
(or randomly interleaved in one process) moved such ratios by more than the targets being checked (the 2^25-vs-16K
ratio of `normal` read 0.78-1.03 across runs); a pair run seconds apart sees the same drift on both sides.
Exit status 0 always (a measurement, not a test).
"""
import argparse
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ab_binaries import names, run, write_ratios  # noqa: E402  (same directory; one way of running a benchmark)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bench", help="diaggauss_bench binary")
    ap.add_argument("--pair", nargs=2, action="append", required=True, metavar=("A", "B"),
                    help="two benchmark names; prints median B/A (repeatable)")
    ap.add_argument("--rounds", type=int, default=9, help="pairs per --pair (default 9)")
    ap.add_argument("--min-time", default="0.1", help="--benchmark_min_time per run (default 0.1 s)")
    ap.add_argument("--bench-arg", action="append", default=[], metavar="ARG",
                    help="an argument for every run, e.g. --bench-arg=--dg_point_dim=8 (repeatable)")
    ap.add_argument("--json", help="also write the per-pair ratios to this file")
    args = ap.parse_args()
    if not os.access(args.bench, os.X_OK):
        sys.exit(f"ab_rows.py: '{args.bench}' is not an executable file")
    exact = lambda n: "^" + re.escape(n) + "$"  # noqa: E731
    for a, b in args.pair:
        for n in (a, b):
            if not names(args.bench, exact(n), args.bench_arg):
                sys.exit(f"ab_rows.py: no benchmark named '{n}' (with {args.bench_arg or 'no extra arguments'})")
    ratios = {}
    for r in range(args.rounds):
        print(f"[ab_rows] round {r + 1}/{args.rounds}", file=sys.stderr, flush=True)
        for a, b in args.pair:
            ra = run(args.bench, exact(a), args.min_time, args.bench_arg)
            rb = run(args.bench, exact(b), args.min_time, args.bench_arg)
            if a in ra and b in rb:
                ratios.setdefault(f"{b} / {a}", []).append(rb[b] / ra[a])
    if not ratios:
        sys.exit("ab_rows.py: no pair ran")
    width = max(len(k) for k in ratios)
    for key, v in ratios.items():
        print(f"{key:<{width}}  throughput ratio: median {statistics.median(v):.3f}  (min {min(v):.3f}, "
              f"max {max(v):.3f}, {len(v)} pairs)")
    if args.json:
        write_ratios(args.json, ratios)


if __name__ == "__main__":
    main()
