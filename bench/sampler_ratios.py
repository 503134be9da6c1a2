#!/usr/bin/env python3
"""Issue 13's sampler figures from a bundle's `run --sampler` results folder (or any diaggauss_bench JSON written
with --benchmark_repetitions and the same rows): per ISA, the normals against the fast-math anchor of that ISA,
uniform_u32 in G words/s, sample_diag / sample_gmm time per element against normal at dims 8 and 16, and normal
out of cache (2^26) against in cache — each from the medians of the interleaved repetitions of one run.
  bench/sampler_ratios.py RESULTS_DIR
RESULTS_DIR holds gbench-sampler-dim8.json, gbench-sampler-dim16.json and gbench-ooc.json (bundle/run --sampler).
"""
import json
import os
import sys


def medians(path):
    """{row name: (median real time, median items per second)} of a Google Benchmark JSON's median aggregates."""
    with open(path) as fh:
        data = json.load(fh)
    out = {}
    for b in data.get("benchmarks", []):
        if b.get("aggregate_name", "") == "median" or (b.get("run_type") == "iteration" and b["name"] not in out):
            name = b.get("run_name", b["name"])
            out[name] = (b["real_time"], b.get("items_per_second", 0.0))
    return out


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        sys.exit(0 if len(sys.argv) == 2 else 2)
    d = sys.argv[1]
    paths = {k: os.path.join(d, f"gbench-{k}.json") for k in ("sampler-dim8", "sampler-dim16", "ooc")}
    missing = [p for p in paths.values() if not os.path.exists(p)]
    if missing:
        sys.exit(f"sampler_ratios.py: missing {', '.join(missing)} (run the bundle with --sampler)")
    dim8, dim16, ooc = (medians(paths[k]) for k in ("sampler-dim8", "sampler-dim16", "ooc"))
    n = 16384
    isas = sorted({name.split("/")[1] for name in dim8 if name.startswith("BM_normal/")} - {"baseline"})
    print("isa     family      normal f64 / anchor  f32 / anchor  uniform_u32 Gw/s")
    for isa in isas:
        anchor = {t: dim8.get(f"BM_normal/{isa}/fastmath_boxmuller/{t}/{n}") for t in ("f64", "f32")}
        for fam in ("intrinsics", "highway", "xsimd"):
            row = {t: dim8.get(f"BM_normal/{isa}/{fam}/{t}/{n}") for t in ("f64", "f32")}
            if not row["f64"]:
                continue
            ratio = {t: (anchor[t][0] / row[t][0]) if anchor[t] and row[t] else float("nan") for t in row}
            words = dim8.get(f"BM_uniform_u32/{isa}/{fam}/u32/{n}")
            print(f"{isa:7} {fam:11} {ratio['f64']:19.2f}  {ratio['f32']:12.2f}  "
                  f"{(words[1] / 1e9) if words else float('nan'):16.2f}")
    print("\nper element / normal (time ratio; issue 13 asks <= 1.15)")
    cols = [f"{k} {t} d{dd}" for dd in (8, 16) for t in ("f64", "f32") for k in ("diag", "gmm")]
    print(f"{'isa':7} {'family':11} " + " ".join(f"{c:>12}" for c in cols))
    for isa in isas:
        for fam in ("intrinsics", "highway", "xsimd"):
            cells = []
            for rows in (dim8, dim16):
                for t in ("f64", "f32"):
                    base = rows.get(f"BM_normal/{isa}/{fam}/{t}/{n}")
                    for k in ("sample_diag", "sample_gmm"):
                        r = rows.get(f"BM_{k}/{isa}/{fam}/{t}/{n}")
                        cells.append(r[0] / base[0] if r and base else float("nan"))
            if all(c != c for c in cells):
                continue
            print(f"{isa:7} {fam:11} " + " ".join(f"{c:12.2f}" for c in cells))
    print("\nout of cache (2^26 / 16K, per-element throughput)")
    for name, (t, ips) in sorted(ooc.items()):
        if name.endswith("/67108864"):
            small = ooc.get(name.rsplit("/", 1)[0] + f"/{n}")
            if small and small[1]:
                print(f"  {name.rsplit('/', 1)[0]:40} {ips / small[1]:.2f}")


if __name__ == "__main__":
    main()
