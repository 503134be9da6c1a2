#!/usr/bin/env python3
"""The dispatched API against the implementations in the same run: for every (kernel, type, size) with a
`dispatched/api` row, the best direct implementation's median CPU time divided by the API's (1.00 = no cost;
issue 12's goal is >= 0.90).  Input: a diaggauss_bench --benchmark_out JSON file (optionally .gz) run with
--benchmark_repetitions and --benchmark_report_aggregates_only.  Usage: bench/api_ratio.py run.json[.gz]"""
import collections
import gzip
import json
import re
import sys


def main(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        runs = json.load(f)["benchmarks"]
    groups = collections.defaultdict(dict)
    for b in runs:
        if b.get("aggregate_name") != "median":
            continue
        m = re.match(r"BM_(\w+)/(\w+/\w+)/(f64|f32)/(\d+)$", b["run_name"])
        if m:
            kernel, impl, ty, size = m.groups()
            groups[(kernel, ty, int(size))][impl] = b["cpu_time"]
    for (kernel, ty, size), g in sorted(groups.items()):
        api = g.get("dispatched/api")
        rivals = {i: t for i, t in g.items() if i != "dispatched/api" and not i.startswith("lib/")}
        if api is None or not rivals:
            continue
        best = min(rivals, key=rivals.get)
        print(f"{kernel:16s} {ty} {size:>8d}  api {api:12.1f} ns  best {best:16s} {rivals[best]:12.1f} ns"
              f"  best/api {rivals[best] / api:.2f}")


if __name__ == "__main__":
    main(sys.argv[1])
