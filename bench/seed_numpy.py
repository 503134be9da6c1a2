#!/usr/bin/env python3
"""The numpy story's stages on one Gaussian-mixture model: Monte Carlo entropy H = -E[log p(X)].

  (a) a per-sample loop calling np.linalg.solve per component (generic LU on diagonal covariances)
  (b) the same loop with the reciprocal of the diagonal (reciprocal-and-multiply)
  (c) fully vectorised numpy
  (d) the same loop as (a) with its inner solve replaced by the diaggauss Python module (when importable)

Usage: seed_numpy.py --model MODEL.json [--samples N] [--seed S] [--json] [--stages abcd] [--repeat R]
Samples come from numpy's own generator (numpy.random.default_rng(seed)); every stage draws the same samples.
A stage's time is the whole Monte Carlo, drawing the samples included, as `diaggauss mc` times its paths.
Stages that take under a second are run R times (default 5) and report the median.
Run with Debian's /usr/bin/python3 (python3-numpy).
"""
import argparse
import json
import math
import sys
import time

import numpy as np

LOG2PI = math.log(2 * math.pi)


def load_model(path):
    with open(path) as f:
        m = json.load(f)
    w = np.asarray(m["weights"], dtype=np.float64)
    mu = np.asarray(m["means"], dtype=np.float64)
    var = np.asarray(m["variances"], dtype=np.float64)
    return w, mu, var


def sample(rng, w, mu, var, n):
    comps = rng.choice(len(w), size=n, p=w)
    return mu[comps] + np.sqrt(var[comps]) * rng.standard_normal((n, mu.shape[1]))


def logsumexp(l):
    m = max(l)
    return m + math.log(sum(math.exp(v - m) for v in l))


def stage_a(X, w, mu, var):
    """What the original code did: a dense solve per sample and component."""
    K, D = mu.shape
    covs = [np.diag(var[k]) for k in range(K)]
    consts = [math.log(w[k]) - 0.5 * (D * LOG2PI + np.sum(np.log(var[k]))) for k in range(K)]
    total = 0.0
    for x in X:
        l = []
        for k in range(K):
            diff = x - mu[k]
            y = np.linalg.solve(covs[k], diff)
            l.append(consts[k] - 0.5 * float(diff @ y))
        total += logsumexp(l)
    return -total / len(X)


def stage_b(X, w, mu, var):
    """The fix from the story: reciprocal once, then multiply."""
    K, D = mu.shape
    inv = 1.0 / var
    consts = [math.log(w[k]) - 0.5 * (D * LOG2PI + np.sum(np.log(var[k]))) for k in range(K)]
    total = 0.0
    for x in X:
        l = []
        for k in range(K):
            diff = x - mu[k]
            l.append(consts[k] - 0.5 * float(diff @ (diff * inv[k])))
        total += logsumexp(l)
    return -total / len(X)


def stage_c(X, w, mu, var):
    """Fully vectorised numpy."""
    D = mu.shape[1]
    consts = np.log(w) - 0.5 * (D * LOG2PI + np.log(var).sum(axis=1))
    diff = X[:, None, :] - mu[None, :, :]
    l = consts[None, :] - 0.5 * (diff * diff / var[None, :, :]).sum(axis=2)
    m = l.max(axis=1)
    return -float(np.mean(m + np.log(np.exp(l - m[:, None]).sum(axis=1))))


def stage_d(X, w, mu, var):
    """Stage (a)'s loop with the inner solve done by diaggauss."""
    import diaggauss  # noqa: E402  (the module built by this project)
    K, D = mu.shape
    consts = [math.log(w[k]) - 0.5 * (D * LOG2PI + np.sum(np.log(var[k]))) for k in range(K)]
    total = 0.0
    for x in X:
        l = []
        for k in range(K):
            diff = x - mu[k]
            y = diaggauss.solve_diag(var[k], diff)
            l.append(consts[k] - 0.5 * float(diff @ y))
        total += logsumexp(l)
    return -total / len(X)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--samples", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--stages", default="abcd")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    w, mu, var = load_model(args.model)

    def run_once(fn):
        t0 = time.perf_counter()
        X = sample(np.random.default_rng(args.seed), w, mu, var, args.samples)
        est = fn(X, w, mu, var)
        return time.perf_counter() - t0, est
    stages = {"a": ("numpy loop + np.linalg.solve", stage_a), "b": ("numpy loop + reciprocal", stage_b),
              "c": ("numpy vectorised", stage_c), "d": ("numpy loop + diaggauss.solve_diag", stage_d)}
    out = []
    for key in args.stages:
        name, fn = stages[key]
        try:
            sec, est = run_once(fn)
            if sec < 1.0 and args.repeat > 1:
                sec = float(np.median([sec] + [run_once(fn)[0] for _ in range(args.repeat - 1)]))
            out.append({"stage": key, "name": name, "seconds": sec, "estimate": est})
        except ImportError as e:
            out.append({"stage": key, "name": name, "skipped": f"diaggauss module not importable ({e})"})
        if not args.json:
            r = out[-1]
            print(f"({key}) {name:36s} " + (f"{r['seconds']:9.4f} s  H = {r['estimate']:.6f}" if "seconds" in r else r["skipped"]),
                  file=sys.stderr)
    if args.json:
        print(json.dumps({"samples": args.samples, "stages": out}, indent=1))


if __name__ == "__main__":
    main()
