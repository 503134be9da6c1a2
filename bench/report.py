#!/usr/bin/python3
"""Turns diaggauss_bench's JSON (and optionally the numpy anchors' JSON) into a Markdown report and plots.

usage: report.py RESULTS.json [--numpy NUMPY.json] [--out-prefix bench/results/<cpu-key>] [--no-plots]

Reads the median aggregates (or the single iteration rows when the run had no repetitions), then writes
  <prefix>.md                  a table per kernel and element type: rows isa/family (anchors included), columns
                               sizes, cells "throughput · % of the bound that limits it"; ★ marks the fastest row
  <prefix>-bars-<kernel>.png/.svg      throughput per implementation and anchor, in cache and out of cache
  <prefix>-roofline-<kernel>.png/.svg  throughput versus working-set size with the measured roofline bounds
Throughput is items per CPU-second (Google Benchmark's items_per_second; elements for the elementwise kernels,
(x - mu)^2/var terms for gmm_logpdf).  docs/benchmarks.md explains the bounds.
Debian's /usr/bin/python3; the plots need python3-matplotlib (the Markdown report does not).
"""
import argparse
import bisect
import gzip
import json
import math
import os
import re
import statistics
import sys
from collections import defaultdict

ISA_ORDER = ["avx512", "avx2", "sse4", "neon", "scalar", "dispatched", "baseline", "lib"]
FAMILY_ORDER = ["intrinsics", "highway", "xsimd", "scalar", "api", "autovec", "fastmath_boxmuller", "eigen",
                "std_mt19937_64", "std_mt19937", "lapack_dgesv", "openblas_gemm", "numpy", "numpy_linalg_solve",
                "numpy_default_rng"]
LIBRARY_FAMILIES = {"intrinsics", "highway", "xsimd", "scalar"}
KERNELS = ["solve_diag", "reciprocal", "solve_diag_inv", "solve_diag_multi", "whiten", "diag_logpdf", "gmm_logpdf",
           "uniform_u32", "normal", "sample_diag", "sample_gmm"]
SAMPLERS = {"uniform_u32", "normal", "sample_diag", "sample_gmm"}
ROOFLINE_KERNELS = {"triad", "triad_mt", "peak_div", "peak_fma"}
ITEM_UNIT = {"gmm_logpdf": "G terms/s"}
SMALL_LIMIT = 1024  # sizes below this go to the small-call table (ns per call)


# ---- loading --------------------------------------------------------------------------------------------------
class Result:
    __slots__ = ("kernel", "isa", "family", "dtype", "size", "ips", "bps", "ips_max", "bps_max", "cpu_ns",
                 "real_ns", "counters", "label", "error")

    def __init__(self, **kw):
        for k in self.__slots__:
            setattr(self, k, kw.get(k))


def to_ns(value, unit):
    return value * {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}.get(unit, 1.0)


def load(path):
    # .json.gz too: the README report's JSON is committed gzipped (bench/results/README-report/).
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        doc = json.load(f)
    groups = defaultdict(list)  # run name -> rows
    medians = {}
    for b in doc.get("benchmarks", []):
        run_name = b.get("run_name") or re.sub(r"_(mean|median|stddev|cv)$", "", b["name"])
        run_name = re.sub(r"/(real_time|process_time|manual_time)$", "", run_name)  # Google Benchmark suffixes
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                medians[run_name] = b
        else:
            groups[run_name].append(b)
    rows = dict(medians)
    for name, its in groups.items():
        if name in rows:
            continue
        if any(i.get("error_occurred") for i in its):
            rows[name] = next(i for i in its if i.get("error_occurred"))
            continue
        # No aggregate (a single repetition): the median of the iteration rows.
        pick = sorted(its, key=lambda i: i.get("items_per_second", 0.0))[len(its) // 2]
        rows[name] = pick
    # Errors reported per repetition also appear without a median.
    for name, its in groups.items():
        for i in its:
            if i.get("error_occurred"):
                rows[name] = i
    results = []
    for name, b in rows.items():
        parts = name.split("/")
        if len(parts) != 5 or not parts[0].startswith("BM_"):
            continue
        kernel, isa, family, dtype, size = parts[0][3:], parts[1], parts[2], parts[3], parts[4]
        unit = b.get("time_unit", "ns")
        its = [i for i in groups.get(name, []) if not i.get("error_occurred")] or [b]
        ips_max = max(float(i.get("items_per_second", 0.0)) for i in its)
        bps_max = max(float(i.get("bytes_per_second", 0.0)) for i in its)
        counters = {k: b[k] for k in ("bytes_per_item", "footprint", "div_per_item", "fma_per_item", "lanes",
                                      "threads") if k in b}
        results.append(Result(kernel=kernel, isa=isa, family=family, dtype=dtype, size=size,
                              ips=float(b.get("items_per_second", 0.0)), bps=float(b.get("bytes_per_second", 0.0)),
                              ips_max=ips_max, bps_max=bps_max,
                              cpu_ns=to_ns(float(b.get("cpu_time", 0.0)), unit),
                              real_ns=to_ns(float(b.get("real_time", 0.0)), unit), counters=counters,
                              label=b.get("label", ""),
                              error=b.get("error_message") if b.get("error_occurred") else None))
    return doc.get("context", {}), results


# ---- roofline -------------------------------------------------------------------------------------------------
class Roofline:
    """The measured bounds.  Peaks take the best repetition (noise only ever lowers a peak); kernels, the median."""

    def __init__(self, results, context):
        self.div = defaultdict(dict)   # isa -> dtype -> lanes/s
        self.fma = defaultdict(dict)
        self.triad = defaultdict(list)  # isa -> [(footprint, bytes/s)]
        self.triad_mt = {}
        for r in results:
            if r.error:
                continue
            if r.kernel == "peak_div":
                self.div[r.isa][r.dtype] = r.ips_max
            elif r.kernel == "peak_fma":
                self.fma[r.isa][r.dtype] = r.ips_max
            elif r.kernel == "triad":
                self.triad[r.isa].append((r.counters.get("footprint", 0.0), r.bps_max))
            elif r.kernel == "triad_mt":
                self.triad_mt[(r.isa, r.size)] = (r.bps_max, int(r.counters.get("threads", 0)))
        for isa, pts in self.triad.items():
            # A smaller working set is never slower: take the envelope, so that one noisy point cannot lower a
            # cache level's bound below what a larger working set achieved.
            pts.sort()
            for i in range(len(pts) - 2, -1, -1):
                pts[i] = (pts[i][0], max(pts[i][1], pts[i + 1][1]))
        self.caches = [int(context.get(k, "0") or 0) for k in ("dg_cache_l1d", "dg_cache_l2", "dg_cache_l3")]
        widths = {isa: v.get("f64", 0.0) for isa, v in self.fma.items()}
        self.best = max(widths, key=widths.get) if widths else None

    def isa_for(self, r):
        isa = r.isa
        if isa == "dispatched":
            isa = (r.label or "").split("/")[0] or self.best
        if isa == "scalar":
            isa = "baseline"
        if isa not in self.div and isa not in self.triad:
            isa = self.best
        return isa

    def bandwidth(self, isa, footprint):
        pts = self.triad.get(isa) or self.triad.get(self.best) or []
        if not pts or footprint <= 0:
            return None
        xs = [p[0] for p in pts]
        if footprint <= xs[0]:
            return pts[0][1]
        if footprint >= xs[-1]:
            return pts[-1][1]
        i = bisect.bisect_left(xs, footprint)
        (x0, y0), (x1, y1) = pts[i - 1], pts[i]
        if x1 == x0:
            return y1
        t = (math.log(footprint) - math.log(x0)) / (math.log(x1) - math.log(x0))
        return math.exp(math.log(y0) + t * (math.log(y1) - math.log(y0)))

    def level(self, footprint):
        l1, l2, l3 = self.caches
        if l1 and footprint <= l1:
            return "L1"
        if l2 and footprint <= l2:
            return "L2"
        if l3 and footprint <= l3:
            return "LLC"
        return "mem" if l3 else "?"

    def bound(self, r):
        """(items/s, kind) of the tightest measured bound for a result, or (None, reason)."""
        isa = self.isa_for(r)
        c = r.counters
        fp = c.get("footprint", 0.0)
        terms = []
        if c.get("div_per_item", 0) > 0 and self.div.get(isa, {}).get(r.dtype):
            terms.append((self.div[isa][r.dtype] / c["div_per_item"], "div"))
        if c.get("fma_per_item", 0) > 0 and self.fma.get(isa, {}).get(r.dtype):
            terms.append((self.fma[isa][r.dtype] / c["fma_per_item"], "fma"))
        lvl = self.level(fp)
        if c.get("bytes_per_item", 0) > 0:
            if r.kernel in SAMPLERS and lvl != "mem":
                pass  # compute-bound in cache, and there is no measured compute peak for Philox + log + sincos
            else:
                bw = self.bandwidth(isa, fp)
                if bw:
                    terms.append((bw / c["bytes_per_item"], "ld/st" if lvl == "L1" else lvl + " bw"))
        if not terms:
            return None, ""
        return min(terms)


def choice_of(label):
    """("avx2/intrinsics", "l1") from a dispatched row's label "avx2/intrinsics@l1" (older runs: no "@class")."""
    impl, _, cls = (label or "").partition("@")
    return impl, cls


# ---- formatting ------------------------------------------------------------------------------------------------
def size_key(s):
    m = re.match(r"N(\d+)_K(\d+)_D(\d+)", s)
    if m:
        n, k, d = map(int, m.groups())
        return (1, n * k * d, k, d)
    try:
        return (0, int(s), 0, 0)
    except ValueError:
        return (2, 0, 0, 0)


def human_size(s):
    try:
        n = int(s)
    except ValueError:
        m = re.match(r"N(\d+)_K(\d+)_D(\d+)", s)
        return f"N={int(m.group(1)):,} K={m.group(2)} D={m.group(3)}" if m else s
    for unit, v in (("M", 1 << 20), ("K", 1 << 10)):
        if n >= v and n % v == 0:
            return f"{n // v}{unit}"
    return str(n)


def human_bytes(b):
    for unit, v in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if b >= v:
            return f"{b / v:.3g} {unit}"
    return f"{b:.0f} B"


def row_key(isa, family):
    ia = ISA_ORDER.index(isa) if isa in ISA_ORDER else len(ISA_ORDER)
    fa = FAMILY_ORDER.index(family) if family in FAMILY_ORDER else len(FAMILY_ORDER)
    lib = 0 if family in LIBRARY_FAMILIES else (1 if isa == "dispatched" else 2)
    return (lib, ia, fa) if lib < 2 else (lib, fa, ia)


def fmt_rate(ips):
    g = ips / 1e9
    if g >= 100:
        return f"{g:.0f}"
    if g >= 10:
        return f"{g:.1f}"
    if g >= 0.01:
        return f"{g:.2f}"
    return f"{g:.4f}"


def fmt_ns(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.1f} ns"


# ---- Markdown --------------------------------------------------------------------------------------------------
def kernel_tables(results, roof, kernel):
    """{dtype: (sizes, rows)} with rows = [(name, {size: Result})] for sizes >= SMALL_LIMIT (or gmm shapes)."""
    out = {}
    by_dtype = defaultdict(lambda: defaultdict(dict))
    for r in results:
        if r.kernel != kernel:
            continue
        if size_key(r.size)[0] == 0 and int(r.size) < SMALL_LIMIT:
            continue
        by_dtype[r.dtype][(r.isa, r.family)][r.size] = r
    for dtype in sorted(by_dtype, key=lambda d: ["f64", "f32", "u32"].index(d) if d in ("f64", "f32", "u32") else 9):
        rows = by_dtype[dtype]
        sizes = sorted({s for cells in rows.values() for s in cells}, key=size_key)
        ordered = sorted(rows.items(), key=lambda kv: row_key(*kv[0]))
        out[dtype] = (sizes, ordered)
    return out


def markdown(context, results, roof, numpy_ctx):
    L = []
    brand = context.get("dg_cpu_brand", "?")
    key = context.get("dg_cpu_key", "?")
    reps = None
    L.append(f"# diaggauss benchmarks — {brand}")
    L.append("")
    L.append(f"- CPU key `{key}`, {context.get('num_cpus', '?')} CPUs at {context.get('mhz_per_cpu', '?')} MHz; "
             f"caches L1d {human_bytes(roof.caches[0])}, L2 {human_bytes(roof.caches[1])}, "
             f"L3 {human_bytes(roof.caches[2])}")
    L.append(f"- diaggauss {context.get('dg_version', '?')}, run {context.get('date', '?')}, "
             f"{'quick' if context.get('dg_quick') == '1' else 'full'} mode; load average at start "
             f"{', '.join(f'{x:.2f}' for x in context.get('load_avg', []))}")
    if context.get("dg_skipped"):
        L.append(f"- not run on this CPU: {context['dg_skipped']}")
    if numpy_ctx:
        L.append(f"- numpy {numpy_ctx.get('numpy_version', '?')} anchors from bench/anchors_numpy.py")
    L.append("- Cells: median throughput over the repetitions, in G items per CPU-second (elements; gmm_logpdf: "
             "(x−μ)²/σ² terms), then the share of the bound that limits the kernel at that size (`div` division "
             "peak, `fma` multiply-add peak, `ld/st` L1 triad, `L2/LLC/mem bw` triad bandwidth at the same working "
             "set; docs/benchmarks.md). ★ = fastest row; ◆ = fastest diaggauss implementation when an anchor wins.")
    L.append("")

    # Roofline summary
    L.append("## Roofline references (measured in-process)")
    L.append("")
    L.append("| ISA | div f64 (G/s) | div f32 (G/s) | FMA f64 (G/s) | FMA f32 (G/s) | triad smallest → largest (GB/s) |")
    L.append("|---|---:|---:|---:|---:|---|")
    for isa in sorted(set(roof.div) | set(roof.triad), key=lambda i: ISA_ORDER.index(i) if i in ISA_ORDER else 9):
        tri = roof.triad.get(isa, [])
        tri_s = ", ".join(f"{human_bytes(fp)}: {bw / 1e9:.1f}" for fp, bw in tri)
        cells = [fmt_rate(v) if v else "—" for v in (roof.div[isa].get("f64"), roof.div[isa].get("f32"),
                                                       roof.fma[isa].get("f64"), roof.fma[isa].get("f32"))]
        L.append(f"| {isa} | " + " | ".join(cells) + f" | {tri_s or '—'} |")
    for (isa, size), (bw, th) in sorted(roof.triad_mt.items()):
        L.append("")
        L.append(f"STREAM triad on all {th} threads ({isa}, {human_bytes(24 * int(size))}): {bw / 1e9:.1f} GB/s "
                 f"(wall clock; the kernels above are single-threaded).")
    L.append("")

    for kernel in KERNELS:
        tables = kernel_tables(results, roof, kernel)
        if not tables:
            continue
        L.append(f"## {kernel}")
        L.append("")
        for dtype, (sizes, rows) in tables.items():
            unit = ITEM_UNIT.get(kernel, "G elements/s")
            L.append(f"### {kernel} {dtype} ({unit})")
            L.append("")
            L.append("| isa / family | " + " | ".join(human_size(s) for s in sizes) + " |")
            L.append("|---|" + "---:|" * len(sizes))
            best = {}
            best_lib = {}
            for s in sizes:
                cands = [(cells[s].ips, name) for name, cells in rows if s in cells and not cells[s].error]
                if cands:
                    best[s] = max(cands)[1]
                libs = [(cells[s].ips, name) for name, cells in rows
                        if s in cells and not cells[s].error and name[1] in LIBRARY_FAMILIES]
                if libs:
                    best_lib[s] = max(libs)[1]
            for name, cells in rows:
                label = f"{name[0]}/{name[1]}"
                # Dispatched cells are labelled "impl@class" per size (bench_kernels.cpp label_active): the row
                # lists what ran in each size class, and each cell names its implementation when they differ.
                chosen = {s: choice_of(c.label) for s, c in cells.items()} if name[0] == "dispatched" else {}
                if chosen:
                    by_class = {}
                    for s in sizes:
                        if s in cells and chosen[s][0]:
                            by_class.setdefault(chosen[s][1] or "?", chosen[s][0])
                    if by_class:
                        label += " (" + ", ".join(f"{cls}: {impl}" for cls, impl in by_class.items()) + ")"
                mixed = len({impl for impl, _ in chosen.values() if impl}) > 1
                out = [label]
                for s in sizes:
                    r = cells.get(s)
                    if r is None:
                        out.append("")
                        continue
                    if r.error:
                        out.append("n/a")
                        continue
                    b, kind = roof.bound(r)
                    cell = fmt_rate(r.ips)
                    if b:
                        cell += f" · {100 * r.ips / b:.0f}% {kind}"
                    if mixed and chosen.get(s, ("", ""))[0]:
                        cell += f" [{chosen[s][0]}]"
                    if best.get(s) == name:
                        cell = f"**{cell}** ★"
                    elif best_lib.get(s) == name and best.get(s) and best[s][1] not in LIBRARY_FAMILIES:
                        cell = f"{cell} ◆"
                    out.append(cell)
                L.append("| " + " | ".join(out) + " |")
            L.append("")

    # Small calls
    small = [r for r in results if size_key(r.size)[0] == 0 and int(r.size) < SMALL_LIMIT and not r.error]
    if small:
        L.append("## Small calls: time per call (CPU), dispatch cost and the dense-solve story")
        L.append("")
        sizes = sorted({int(r.size) for r in small})
        rows = defaultdict(dict)
        for r in small:
            rows[(r.kernel, r.dtype, r.isa, r.family)][int(r.size)] = r
        L.append("| kernel | isa / family | " + " | ".join(f"n={n}" for n in sizes) + " |")
        L.append("|---|---|" + "---:|" * len(sizes))
        for (k, dt, isa, fam), cells in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1],
                                                                            row_key(kv[0][2], kv[0][3]))):
            L.append(f"| {k} {dt} | {isa}/{fam} | " +
                     " | ".join(fmt_ns(cells[n].cpu_ns) if n in cells else "" for n in sizes) + " |")
        L.append("")
        for k in ("solve_diag_inv", "solve_diag", "normal"):
            api = rows.get((k, "f64", "dispatched", "api"), {}).get(1)
            if not api:
                continue
            # Like with like: the direct table call of the very implementation the API ran for this n = 1 call.
            impl = choice_of(api.label)[0]
            direct = [c[1] for (kk, dt, isa, fam), c in rows.items()
                      if kk == k and dt == "f64" and f"{isa}/{fam}" == impl and 1 in c]
            if direct:
                L.append(f"- {k} n=1: public API {fmt_ns(api.cpu_ns)} vs a direct call of the same implementation "
                         f"({impl}) {fmt_ns(direct[0].cpu_ns)}: validation + dispatch cost "
                         f"{fmt_ns(api.cpu_ns - direct[0].cpu_ns)} per call.")
            else:
                L.append(f"- {k} n=1: public API {fmt_ns(api.cpu_ns)} ran {impl or '?'}, which has no direct row in "
                         f"this run: no dispatch-cost figure.")
        L.append("")
    return "\n".join(L) + "\n"


# ---- plots -----------------------------------------------------------------------------------------------------
ISA_MARKERS = {"avx512": "D", "avx2": "o", "sse4": "s", "neon": "^", "scalar": "x", "dispatched": "*",
               "baseline": "v", "lib": "P"}


def plots(results, roof, prefix, kernels_written, quick=False):
    """quick: a --quick run measures too few sizes for a curve, so points are drawn unconnected (no line is
    drawn through two points as if the sizes between had been measured); so is any series of fewer than 3."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, NullLocator

    plt.rcParams.update({"font.size": 10, "axes.titlesize": 11, "axes.labelsize": 10, "legend.fontsize": 8})
    files = []
    for kernel in KERNELS:
        tables = kernel_tables(results, roof, kernel)
        if not tables:
            continue
        dtypes = list(tables)
        # --- bars: per implementation, smallest and largest size (in cache / out of cache) -------------------
        nrows = max(len(rows) for _, rows in tables.values())
        fig, axes = plt.subplots(1, len(dtypes), figsize=(6.5 * len(dtypes), 1.2 + 0.42 * nrows), squeeze=False)
        for ax, dtype in zip(axes[0], dtypes):
            sizes, rows = tables[dtype]
            pick = sizes if kernel == "gmm_logpdf" else sorted({sizes[0], sizes[-1]}, key=size_key)
            names = [f"{i}/{f}" for (i, f), _ in rows]
            h = 0.8 / len(pick)
            cmap = plt.get_cmap("viridis")
            for j, s in enumerate(pick):
                vals = [(cells[s].ips / 1e9 if s in cells and not cells[s].error else 0.0) for _, cells in rows]
                ys = [i + (j - (len(pick) - 1) / 2) * h for i in range(len(rows))]
                lvl = "" if kernel == "gmm_logpdf" else \
                    f" ({roof.level(next(c[s].counters.get('footprint', 0) for _, c in rows if s in c))})"
                ax.barh(ys, vals, height=h, color=cmap(0.15 + 0.7 * j / max(1, len(pick) - 1)),
                        label=f"{human_size(s)}{lvl}")
            ax.set_yticks(range(len(rows)))
            ax.set_yticklabels(names)
            ax.invert_yaxis()
            ax.set_xlabel(f"throughput ({ITEM_UNIT.get(kernel, 'G elements/s')}, per CPU-second)")
            ax.set_title(f"{kernel} {dtype}")
            ax.grid(axis="x", alpha=0.3)
            ax.legend(title="size", loc="lower right")
        fig.tight_layout()
        for ext in ("png", "svg"):
            path = f"{prefix}-bars-{kernel}.{ext}"
            fig.savefig(path, dpi=110)
            files.append(path)
        plt.close(fig)

        # --- roofline: throughput vs working set, with bounds --------------------------------------------------
        if kernel == "gmm_logpdf":
            continue
        fig, axes = plt.subplots(1, len(dtypes), figsize=(7.5 * len(dtypes), 5.2), squeeze=False)
        for ax, dtype in zip(axes[0], dtypes):
            sizes, rows = tables[dtype]
            sample = None
            palette = plt.get_cmap("tab20")
            for idx, ((isa, fam), cells) in enumerate(rows):
                pts = sorted((c.counters.get("footprint", 0), c.ips / 1e9) for c in cells.values()
                             if not c.error and c.counters.get("footprint", 0) > 0)
                if len(pts) < 2:
                    continue
                sample = sample or next(iter(cells.values()))
                lib = fam in LIBRARY_FAMILIES
                # Ten distinct hues first (tab20's even entries), then their light variants.
                color = palette((2 * idx) % 20 + (idx // 10) % 2)
                connect = not quick and len(pts) >= 3
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker=ISA_MARKERS.get(isa, "o"),
                        color=color, linestyle=("-" if lib else "--") if connect else "none",
                        linewidth=1.6 if lib else 1.0, markersize=5, label=f"{isa}/{fam}")
            if sample is not None and roof.best:
                # Bounds for the widest ISA (the machine's roofline for this kernel).
                c = sample.counters
                xs = [float(x) for x in sorted({p[0] for p in roof.triad.get(roof.best, [])})]
                if xs and c.get("bytes_per_item", 0) > 0:
                    measured_curve = not quick and len(xs) >= 3
                    ax.plot(xs, [roof.bandwidth(roof.best, x) / c["bytes_per_item"] / 1e9 for x in xs],
                            color="k", linewidth=2.2, alpha=0.35, linestyle="-" if measured_curve else "none",
                            marker=None if measured_curve else "_", markersize=14,
                            label=f"bandwidth bound ({roof.best} triad{'' if measured_curve else ', measured points'})")
                if c.get("div_per_item", 0) > 0 and roof.div.get(roof.best, {}).get(dtype):
                    ax.axhline(roof.div[roof.best][dtype] / c["div_per_item"] / 1e9, color="r", linestyle=":",
                               linewidth=1.5, label=f"division bound ({roof.best})")
                if c.get("fma_per_item", 0) > 0 and roof.fma.get(roof.best, {}).get(dtype):
                    ax.axhline(roof.fma[roof.best][dtype] / c["fma_per_item"] / 1e9, color="m", linestyle=":",
                               linewidth=1.5, label=f"FMA bound ({roof.best})")
            for cap, name in zip(roof.caches, ("L1d", "L2", "L3")):
                if cap:
                    ax.axvline(cap, color="grey", linewidth=0.8, alpha=0.6)
                    ax.text(cap, 1.0, f" {name}", transform=ax.get_xaxis_transform(), fontsize=8, color="grey",
                            va="top")
            ax.set_xscale("log", base=2)
            ax.set_yscale("log")
            # Plain-text tick labels: matplotlib's default log labels go through mathtext, which is slow.
            lo, hi = ax.get_xlim()
            ticks = [2.0 ** k for k in range(int(math.log2(max(lo, 1))), int(math.log2(hi)) + 2, 2)]
            ax.xaxis.set_major_locator(FixedLocator(ticks))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: human_bytes(v).replace(".0 ", " ")))
            ax.xaxis.set_minor_locator(NullLocator())
            ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax.yaxis.set_minor_locator(NullLocator())
            ax.set_xlabel("working set (bytes touched per call)")
            ax.set_ylabel("throughput (G elements/s, per CPU-second)")
            ax.set_title(f"{kernel} {dtype}: throughput vs size" + (" (quick run: measured points only)" if quick else ""))
            ax.grid(which="major", alpha=0.25)
        handles, labels = axes[0][0].get_legend_handles_labels()
        for ax in axes[0][1:]:
            for h, l in zip(*ax.get_legend_handles_labels()):
                if l not in labels:
                    handles.append(h)
                    labels.append(l)
        fig.legend(handles, labels, loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8)
        fig.tight_layout()
        for ext in ("png", "svg"):
            path = f"{prefix}-roofline-{kernel}.{ext}"
            fig.savefig(path, dpi=110, bbox_inches="tight")
            files.append(path)
        plt.close(fig)
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results")
    ap.add_argument("--numpy", help="JSON written by bench/anchors_numpy.py")
    ap.add_argument("--out-prefix", help="default: the results path without .json")
    ap.add_argument("--no-plots", action="store_true")
    a = ap.parse_args()
    context, results = load(a.results)
    numpy_ctx = None
    if a.numpy and os.path.exists(a.numpy):
        numpy_ctx, np_results = load(a.numpy)
        results += np_results
    roof = Roofline(results, context)
    prefix = a.out_prefix or re.sub(r"\.json(\.gz)?$", "", a.results)
    md = markdown(context, results, roof, numpy_ctx)
    with open(prefix + ".md", "w") as f:
        f.write(md)
    print(f"report: {prefix}.md")
    if a.no_plots:
        return 0
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("report: python3-matplotlib is missing (apt-get install -y python3-matplotlib): no plots",
              file=sys.stderr)
        return 0
    files = plots(results, roof, prefix, KERNELS, quick=context.get("dg_quick") == "1")
    print(f"report: {len(files)} plots, {prefix}-bars-*.png/svg and {prefix}-roofline-*.png/svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
