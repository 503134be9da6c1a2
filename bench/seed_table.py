#!/usr/bin/env python3
"""The seed table: the numpy story's stages and diaggauss's three Monte Carlo paths on one model, in one run.

Usage: seed_table.py [--diaggauss build/diaggauss] [--samples 100000] [--components 3] [--dim 4] [--threads 1]
                     [--markdown]
Prints stage, time for N samples (the whole Monte Carlo: drawing the samples and evaluating them; the median of
five runs where a run takes under a second), and speed-up over stage (a).  Run with Debian's /usr/bin/python3.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--diaggauss", default=os.path.join(HERE, "..", "build", "diaggauss"))
    ap.add_argument("--samples", type=int, default=100000)
    ap.add_argument("--components", type=int, default=3)
    ap.add_argument("--dim", type=int, default=4)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "model.json")
        # Five runs, each path's median time: the fast paths take milliseconds, where one run is mostly noise.
        # The estimates are bit-identical run to run.
        runs = [json.loads(subprocess.run(
            [args.diaggauss, "mc", "--path", "all", "--json", "--samples", str(args.samples), "--components",
             str(args.components), "--dim", str(args.dim), "--threads", str(args.threads), "--save-model", model],
            check=True, capture_output=True, text=True).stdout) for _ in range(5)]
        mc = runs[0]
        for name, r in mc.get("paths", {}).items():
            r["seconds"] = statistics.median(run["paths"][name]["seconds"] for run in runs)
        env = dict(os.environ)
        pydir = os.path.join(os.path.dirname(os.path.abspath(args.diaggauss)), "python")
        env["PYTHONPATH"] = pydir + os.pathsep + env.get("PYTHONPATH", "")
        npy = json.loads(subprocess.run(
            [sys.executable, os.path.join(HERE, "seed_numpy.py"), "--model", model, "--samples", str(args.samples),
             "--json"], check=True, capture_output=True, text=True, env=env).stdout)
    rows = []
    for s in npy["stages"]:
        rows.append((f"({s['stage']}) {s['name']}", s.get("seconds"), s.get("estimate"), s.get("skipped")))
    labels = {"generic": "diaggauss mc --path generic (LAPACK dgesv per sample)",
              "diagonal": "diaggauss mc --path diagonal (scalar kernels)",
              "simd": f"diaggauss mc --path simd ({args.threads} thread{'s' if args.threads > 1 else ''})"}
    for name, r in mc.get("paths", {}).items():
        rows.append((labels[name], r["seconds"], r["estimate"], None))
    base = rows[0][1]
    title = f"Monte Carlo entropy, K={args.components} D={args.dim}, N={args.samples} (same model)"
    if args.markdown:
        print(f"**{title}**\n\n| stage | time (s) | speed-up over (a) | estimate |\n|---|---:|---:|---:|")
        for label, sec, est, skipped in rows:
            print(f"| {label} | {sec:.4f} | {base / sec:,.0f}x | {est:.5f} |" if sec else f"| {label} | – | – | {skipped} |")
    else:
        print(title)
        print(f"{'stage':58s} {'time (s)':>10s} {'speed-up':>10s} {'estimate':>10s}")
        for label, sec, est, skipped in rows:
            if sec:
                print(f"{label:58s} {sec:10.4f} {base / sec:9.0f}x {est:10.5f}")
            else:
                print(f"{label:58s} {'-':>10s} {'-':>10s}  {skipped}")
        print("numpy stages sample with numpy's generator, diaggauss paths with Philox: estimates agree within their "
              "standard errors, not to the last digit.")


if __name__ == "__main__":
    main()
