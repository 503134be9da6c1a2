#!/usr/bin/python3
"""numpy anchors for diaggauss_bench (Debian's /usr/bin/python3 with python3-numpy).

Times, single-threaded (OPENBLAS_NUM_THREADS=1), what a numpy user writes:
  BM_solve_diag/lib/numpy/<dtype>/<n>               x = b / d          (allocates x, as the expression does)
  BM_solve_diag/lib/numpy_linalg_solve/f64/<n>      np.linalg.solve(np.diag(d), b)   (the generic dense solve)
  BM_normal/lib/numpy_default_rng/<dtype>/<n>       rng.standard_normal(n, dtype)    (PCG64 + ziggurat)
and prints one JSON document shaped like Google Benchmark's (median aggregates; times in ns; items_per_second
from CPU time like diaggauss_bench's, so the report can merge both).

usage: anchors_numpy.py [--sizes 1024,16384,...] [--small-sizes 2,4,...] [--reps 5] [--min-time 0.1] [--out FILE]
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402  (after the thread settings)


def measure(fn, reps, min_time):
    """Median CPU and wall seconds per call: each repetition runs enough calls to last min_time CPU seconds."""
    fn()  # warm-up (page faults, caches)
    calls = 1
    while True:
        t0 = time.process_time()
        for _ in range(calls):
            fn()
        dt = time.process_time() - t0
        if dt >= min_time or calls >= 1 << 24:
            break
        calls = max(calls * 2, int(calls * min_time / max(dt, 1e-9) * 1.2))
    cpu, wall = [], []
    for _ in range(reps):
        t0, w0 = time.process_time(), time.perf_counter()
        for _ in range(calls):
            fn()
        cpu.append((time.process_time() - t0) / calls)
        wall.append((time.perf_counter() - w0) / calls)
    return statistics.median(cpu), statistics.median(wall), calls


def entry(name, cpu_s, wall_s, calls, reps, items, bytes_moved, footprint, div_per_item):
    return {
        "name": name + "_median",
        "run_name": name,
        "run_type": "aggregate",
        "aggregate_name": "median",
        "repetitions": reps,
        "iterations": calls,
        "real_time": wall_s * 1e9,
        "cpu_time": cpu_s * 1e9,
        "time_unit": "ns",
        "items_per_second": items / cpu_s if cpu_s > 0 else 0.0,
        "bytes_per_second": bytes_moved / cpu_s if cpu_s > 0 else 0.0,
        "bytes_per_item": bytes_moved / items if items else 0.0,
        "footprint": float(footprint),
        "div_per_item": float(div_per_item),
        "fma_per_item": 0.0,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1024,16384,262144,4194304,33554432")
    ap.add_argument("--small-sizes", default="1,2,4,8,16,32,64")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--min-time", type=float, default=0.1)
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",") if s]
    small = [int(s) for s in a.small_sizes.split(",") if s]
    rng = np.random.default_rng(42)
    out = []

    def run(name, fn, items, moved, footprint, div=0):
        cpu, wall, calls = measure(fn, a.reps, a.min_time)
        out.append(entry(name, cpu, wall, calls, a.reps, items, moved, footprint, div))
        print(f"  {name:48s} {items / cpu / 1e9:8.3f} G/s", file=sys.stderr)

    for dt, dname in ((np.float64, "f64"), (np.float32, "f32")):
        s = np.dtype(dt).itemsize
        for n in small + sizes:
            d = (0.5 + 1.5 * rng.random(n)).astype(dt)
            b = (2.0 * rng.random(n) - 1.0).astype(dt)
            run(f"BM_solve_diag/lib/numpy/{dname}/{n}", lambda: b / d, n, 3 * s * n, 3 * s * n, 1)
        for n in sizes:
            run(f"BM_normal/lib/numpy_default_rng/{dname}/{n}", lambda: rng.standard_normal(n, dtype=dt), n, s * n,
                s * n)
    for n in small:
        if n < 2:
            continue
        d = 0.5 + 1.5 * rng.random(n)
        b = 2.0 * rng.random(n) - 1.0
        run(f"BM_solve_diag/lib/numpy_linalg_solve/f64/{n}", lambda: np.linalg.solve(np.diag(d), b), n, 24 * n,
            8 * (n * n + 2 * n), 1)

    doc = {
        "context": {
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "executable": "bench/anchors_numpy.py",
            "numpy_version": np.__version__,
            "python_version": platform.python_version(),
            "library_build_type": "release",
        },
        "benchmarks": out,
    }
    text = json.dumps(doc, indent=1)
    if a.out == "-":
        print(text)
    else:
        with open(a.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
