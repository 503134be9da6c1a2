#!/usr/bin/env python3
"""Out of cache against in cache, paired: for each benchmark matching --filter, run it at size A and at size B
back to back (one process each), --rounds times, and print the median of the per-pair throughput ratios B/A.
  bench/ab/ab_sizes.py BENCH --filter REGEX [--sizes A,B] [--rounds N] [--min-time S] [--bench-arg=ARG ...]
                       [--json F]
Why pairs: on a shared VM a benchmark row's speed drifts by 10-30 % over minutes, so two sizes' medians taken a
suite apart (or even randomly interleaved in one process) moved the 2^25-vs-16K ratio of `normal` between 0.78
and 1.03 across runs; a pair run seconds apart sees the same drift on both sides.
The filter names the benchmark without its size (e.g. 'BM_normal/avx2/intrinsics/f(32|64)'); sizes other than
the registered ones are passed with --dg_sizes.  Exit status 0 always (a measurement, not a test).
"""
import argparse
import json
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ab_binaries import names, run  # noqa: E402  (same directory; one way of running a benchmark)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bench", help="diaggauss_bench binary")
    ap.add_argument("--filter", required=True, help="benchmark name regex without the size, e.g. BM_normal/avx2/")
    ap.add_argument("--sizes", default="16384,67108864", help="A,B: the in-cache and out-of-cache sizes")
    ap.add_argument("--rounds", type=int, default=7, help="pairs per benchmark (default 7)")
    ap.add_argument("--min-time", default="0.2", help="--benchmark_min_time per run (default 0.2 s)")
    ap.add_argument("--bench-arg", action="append", default=[], metavar="ARG",
                    help="an argument for every run, e.g. --bench-arg=--dg_point_dim=8 (repeatable)")
    ap.add_argument("--json", help="also write the per-benchmark ratios to this file")
    args = ap.parse_args()
    if not os.access(args.bench, os.X_OK):
        sys.exit(f"ab_sizes.py: '{args.bench}' is not an executable file")
    try:
        size_a, size_b = (int(s) for s in args.sizes.split(","))
    except ValueError:
        sys.exit(f"ab_sizes.py: --sizes wants two integers 'A,B', got '{args.sizes}'")
    extra = [f"--dg_sizes={size_a},{size_b}", *args.bench_arg]
    # The benchmarks at size A; each has its size-B twin.
    listed = names(args.bench, f"({args.filter}).*{size_a}$", extra)
    bases = sorted({n[: -len(str(size_a))] for n in listed if n.endswith(f"/{size_a}")})
    if not bases:
        sys.exit(f"ab_sizes.py: no benchmark matches '{args.filter}' at size {size_a}")
    ratios = {}
    for r in range(args.rounds):
        print(f"[ab_sizes] round {r + 1}/{args.rounds}", file=sys.stderr, flush=True)
        for base in bases:
            ra = run(args.bench, "^" + re.escape(f"{base}{size_a}") + "$", args.min_time, extra)
            rb = run(args.bench, "^" + re.escape(f"{base}{size_b}") + "$", args.min_time, extra)
            if f"{base}{size_a}" in ra and f"{base}{size_b}" in rb:
                ratios.setdefault(base.rstrip("/"), []).append(rb[f"{base}{size_b}"] / ra[f"{base}{size_a}"])
    if not ratios:
        sys.exit("ab_sizes.py: no pair ran")
    width = max(len(k) for k in ratios)
    for name in sorted(ratios):
        v = ratios[name]
        print(f"{name:<{width}}  {size_b}/{size_a} per-element throughput: median {statistics.median(v):.3f}  "
              f"(min {min(v):.3f}, max {max(v):.3f}, {len(v)} pairs)")
    if args.json:
        tmp = args.json + ".tmp"
        with open(tmp, "w") as fh:
            json.dump({k: {"median_ratio": statistics.median(v), "ratios": v} for k, v in ratios.items()}, fh,
                      indent=1)
        os.replace(tmp, args.json)


if __name__ == "__main__":
    main()
