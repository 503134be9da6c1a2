#!/usr/bin/env python3
"""Per-ISA throughput of several machines side by side (docs/benchmarks.md, "Comparing machines").

    bench/compare_machines.py A [B ...] [--label NAME ...] [--info INFO.json ...] [--out-prefix PREFIX]
                              [--kernels k1,k2] [--min-share S]

Each input is a Google Benchmark JSON written by diaggauss_bench (bench/run_bench.sh, or the bundle's `run`:
gbench-quick.json), optionally gzipped, or a bundle results folder (its gbench-quick.json is read).  For every
kernel, element type and size the inputs share, it prints one markdown row: per machine, the best library
implementation of each ISA (the fastest of intrinsics / highway / xsimd, its family named), the dispatched API
and the dispatched share of that machine's best.  Cells are medians over the repetitions, in G items per
CPU-second.  With that machine's `diaggauss info --json` (--info, once per input in order, or the info.json of a
bundle results folder) it also shows the implementation the dispatcher chooses for each cell's size class (from
the row's working-set footprint and the cache sizes, as the library does) and that implementation's share of the
best; the dispatched API's share also includes the API's own work (argument checks), which weighs at small n.
It ends with the cells whose choice or API share is below --min-share (default 0.90; n = 1 rows, which measure
call overhead, are left out); one input is enough for that check.  With --out-prefix it writes PREFIX.md and, when matplotlib is installed, PREFIX-<kernel>.png (one
bar group per ISA, one bar per machine).  Standard library only, apart from the optional plot.
"""
import argparse
import gzip
import json
import os
import statistics
import sys
from collections import defaultdict

ISAS = ["scalar", "sse4", "avx2", "avx512", "neon"]
LIB_FAMILIES = {"intrinsics", "highway", "xsimd", "scalar"}


def load(path):
    if os.path.isdir(path):
        path = os.path.join(path, "gbench-quick.json")
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return json.load(f)


def medians(doc):
    """{(kernel, dtype, size): {(isa, family): median items/s}}: the median of the "iteration" rows, or Google
    Benchmark's own "median" aggregate when the file holds aggregates only."""
    runs, aggregate, footprint = defaultdict(list), {}, {}
    for b in doc.get("benchmarks", []):
        if "items_per_second" not in b or b.get("error_occurred"):
            continue
        parts = b.get("run_name", b["name"]).split("/")
        if len(parts) != 5 or not parts[0].startswith("BM_"):
            continue
        key = (parts[0][3:], parts[3], parts[4], parts[1], parts[2])  # kernel, dtype, size, isa, family
        if "footprint" in b and b["footprint"] > 0:
            footprint[key[:3]] = b["footprint"]
        if b.get("run_type", "iteration") == "iteration":
            runs[key].append(b["items_per_second"])
        elif b.get("aggregate_name") == "median":
            aggregate[key] = b["items_per_second"]
    out = defaultdict(dict)
    for key in set(runs) | set(aggregate):
        kernel, dtype, size, isa, family = key
        out[(kernel, dtype, size)][(isa, family)] = statistics.median(runs[key]) if runs[key] else aggregate[key]
    return out, footprint


def load_info(path):
    if os.path.isdir(path):
        path = os.path.join(path, "info.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def chosen(info, kernel, footprint):
    """The implementation `diaggauss info --json` reports for the size class of a working set (dispatch/selection:
    the classes end at half of L1d, L2 and L3), as (isa, family); None when unknown."""
    if not info or footprint is None:
        return None
    per_class = info.get("kernels_by_size_class", {}).get(kernel)
    if not per_class:
        return None
    c = info["cpu"]["cache_bytes"]
    l1d, l2 = c.get("l1d") or 32768, c.get("l2") or 524288
    l3 = c.get("l3") or 4 * l2
    limits = [l1d // 2, l2 // 2, l3 // 2]
    cls = ["l1", "l2", "llc", "mem"][sum(footprint > x for x in limits)]
    impl = per_class.get(cls)
    return tuple(impl.split("/")) if impl and "/" in impl else None


def machine_label(doc, path):
    c = doc.get("context", {})
    key = c.get("dg_cpu_key") or c.get("host_name") or os.path.basename(path)
    brand = c.get("dg_cpu_brand", "")
    return "%s (%s)" % (brand, key) if brand else key


def size_key(size):
    digits = "".join(ch for ch in size if ch.isdigit())
    return (0, int(digits)) if size.isdigit() else (1, size)


def best_per_isa(cells):
    """{isa: (items/s, family)} for the library's implementations."""
    best = {}
    for (isa, family), v in cells.items():
        if isa in ISAS and family in LIB_FAMILIES and (isa not in best or v > best[isa][0]):
            best[isa] = (v, family)
    return best


def fmt(v):
    return "%.2f" % (v / 1e9) if v is not None else "–"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+", help="Google Benchmark JSON (.json or .json.gz) or bundle results folders")
    ap.add_argument("--label", action="append", default=[], help="a name per input, in order (default: CPU key)")
    ap.add_argument("--out-prefix", help="write PREFIX.md and PREFIX-<kernel>.png")
    ap.add_argument("--info", action="append", default=[],
                    help="`diaggauss info --json` of each machine, in input order (bundle folders: automatic)")
    ap.add_argument("--kernels", help="comma-separated kernels to show (default: all)")
    ap.add_argument("--min-share", type=float, default=0.90, help="flag api/best below this (default 0.90)")
    args = ap.parse_args(argv)
    if args.label and len(args.label) != len(args.inputs):
        ap.error("--label must be given once per input")
    if args.info and len(args.info) != len(args.inputs):
        ap.error("--info must be given once per input")

    docs = [load(p) for p in args.inputs]
    labels = args.label or [machine_label(d, p) for d, p in zip(docs, args.inputs)]
    parsed = [medians(d) for d in docs]
    data = [p[0] for p in parsed]
    footprints = [p[1] for p in parsed]
    infos = [load_info(p) for p in args.info] if args.info else [load_info(p) if os.path.isdir(p) else None
                                                                 for p in args.inputs]
    shared = set(data[0])
    for d in data[1:]:
        shared &= set(d)
    if args.kernels:
        wanted = set(args.kernels.split(","))
        shared = {k for k in shared if k[0] in wanted}
    if not shared:
        print("compare_machines: the inputs share no benchmark (different suites or sizes?)", file=sys.stderr)
        return 1
    isas = [i for i in ISAS if any(i in best_per_isa(d[k]) for d in data for k in shared)]

    lines = ["# diaggauss per-ISA throughput, %d machines" % len(docs), ""]
    for i, (doc, label, path) in enumerate(zip(docs, labels, args.inputs)):
        c = doc.get("context", {})
        lines.append("- **M%d** %s: `%s`, %s CPUs, run %s, load average at start %s, quick=%s" % (
            i + 1, label, os.path.basename(os.path.normpath(path)), c.get("num_cpus", "?"), c.get("date", "?"),
            ", ".join("%.2f" % x for x in c.get("load_avg", [])) or "?", c.get("dg_quick", "?")))
    lines += ["",
              "Cells: median G items per CPU-second of the fastest library implementation of each ISA (its family "
              "as a letter: i intrinsics, h highway, x xsimd); `choice/best`: the share of that best reached by the "
              "implementation the dispatcher picks for the row's size class (needs the machine's info.json); `api`: "
              "the dispatched API (argument checks included) and its share of the best. – = not run or unknown.", ""]
    low = []
    by_kernel = defaultdict(list)
    for k in shared:
        by_kernel[k[0]].append(k)
    extra = ["choice/best", "api", "api/best"]
    header = "| kernel | " + " | ".join("M%d %s" % (m + 1, isa) for m in range(len(docs)) for isa in isas + extra) + " |"
    for kernel in sorted(by_kernel):
        lines += ["## %s" % kernel, "", header, "|---|" + "---:|" * (len(docs) * (len(isas) + len(extra)))]
        for k in sorted(by_kernel[kernel], key=lambda k: (k[1], size_key(k[2]))):
            row = ["%s %s %s" % k]
            for m, d in enumerate(data):
                best = best_per_isa(d[k])
                for isa in isas:
                    row.append("%s %s" % (fmt(best[isa][0]), best[isa][1][0]) if isa in best else "–")
                api = d[k].get(("dispatched", "api"))
                top = max((v for v, _ in best.values()), default=None)
                ch = chosen(infos[m], k[0], footprints[m].get(k))
                ch_v = d[k].get(ch) if ch else None
                row.append("%.2f %s/%s" % (ch_v / top, ch[0], ch[1][0]) if ch_v and top else "–")
                row.append(fmt(api))
                row.append("%.2f" % (api / top) if api and top else "–")
                if k[2] != "1" and ch_v and top and ch_v / top < args.min_share:
                    low.append((labels[m], "%s %s %s" % k, "choice %s/%s" % ch, ch_v / top))
                if k[2] != "1" and api and top and api / top < args.min_share:
                    low.append((labels[m], "%s %s %s" % k, "api", api / top))
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    lines.append("## Below %.2f of the machine's best implementation" % args.min_share)
    lines.append("")
    lines += ["- %s: %s: %s %.2f" % x for x in low] or ["- none"]
    lines.append("")
    text = "\n".join(lines)
    print(text)

    if args.out_prefix:
        os.makedirs(os.path.dirname(os.path.abspath(args.out_prefix)), exist_ok=True)
        plots = plot(args.out_prefix, by_kernel, data, labels, isas)
        if plots:
            text += "\n## Plots\n\n" + "\n".join("![%s](%s)" % (k, os.path.basename(p)) for k, p in plots) + "\n"
        with open(args.out_prefix + ".md.tmp", "w") as f:
            f.write(text + "\n")
        os.replace(args.out_prefix + ".md.tmp", args.out_prefix + ".md")
    return 0


def plot(prefix, by_kernel, data, labels, isas):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("compare_machines: no matplotlib (apt-get install python3-matplotlib): no plots", file=sys.stderr)
        return []
    written = []
    for kernel in sorted(by_kernel):
        # n = 1 rows measure call overhead, not the kernel: table only.
        keys = sorted((k for k in by_kernel[kernel] if k[2] != "1"), key=lambda k: (k[1], size_key(k[2])))
        if not keys:
            continue
        fig, axes = plt.subplots(1, len(keys), figsize=(3.2 * len(keys) + 1, 3.4), squeeze=False)
        cols = isas + ["api"]
        width = 0.8 / len(data)
        for ax, k in zip(axes[0], keys):
            for m, d in enumerate(data):
                best = best_per_isa(d[k])
                vals = [best[i][0] / 1e9 if i in best else 0 for i in isas] + [d[k].get(("dispatched", "api"), 0) / 1e9]
                ax.bar([x + m * width for x in range(len(cols))], vals, width, label=labels[m])
            ax.set_xticks([x + width * (len(data) - 1) / 2 for x in range(len(cols))])
            ax.set_xticklabels(cols, rotation=30, fontsize=8)
            ax.set_title("%s %s n=%s" % k, fontsize=9)
            ax.tick_params(axis="y", labelsize=8)
        axes[0][0].set_ylabel("G items / CPU-s (median)", fontsize=8)
        handles, names = axes[0][0].get_legend_handles_labels()
        fig.legend(handles, names, loc="upper center", ncol=len(data), fontsize=8, frameon=False)
        fig.tight_layout(rect=(0, 0, 1, 0.9))
        path = "%s-%s.png" % (prefix, kernel)
        fig.savefig(path, dpi=80)
        plt.close(fig)
        written.append((kernel, path))
    return written


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
