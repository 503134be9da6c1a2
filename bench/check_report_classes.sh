#!/usr/bin/env bash
# ctest bench_report_classes: the report tells the truth on a profile whose size classes choose different
# implementations (issue 17).  A hand-written profile sends `normal` to one implementation in the l1 class and to
# another in the mem class; a short filtered bench run then must show
#   - the dispatched row labelled per size class (l1 -> A, mem -> B), each cell naming what ran, and
#   - the small-call dispatch cost measured against a direct call of A (the API's n = 1 choice), not another one.
# Usage: check_report_classes.sh DIAGGAUSS_BENCH DIAGGAUSS_CLI PYTHON SOURCE_DIR WORK_DIR
set -euo pipefail
bench=$1 cli=$2 py=$3 src=$4 work=$5
mkdir -p "$work"
say() { printf '[report_classes] %s\n' "$*"; }
fail() { printf '[report_classes] FAILED: %s\n' "$*" >&2; exit 1; }

# Two implementations this CPU runs, from the CLI (avx2 machines: avx2/intrinsics and avx2/highway, say).
read -r implA implB < <("$cli" info --json | "$py" -c '
import json, sys
d = json.load(sys.stdin)
have = [c["name"] for c in d["compiled"] if c["runs_here"] and c["family"] != "scalar"]
print(*(have[:2] if len(have) >= 2 else ["", ""]))' 2>/dev/null || true)
if [[ -z ${implA:-} || -z ${implB:-} ]]; then say "fewer than two implementations on this CPU: skipped"; exit 0; fi
"$cli" info --json | "$py" -c '
import json, sys
info, a, b, out = json.load(sys.stdin), sys.argv[1], sys.argv[2], sys.argv[3]
def choice(name):
    isa, fam = name.split("/")
    return {"isa": isa, "family": fam, "params": {}, "throughput": 1.0, "default_throughput": 1.0}
prof = {"format": "diaggauss-profile", "format_version": 1, "library_version": info["version"],
        "created": "2026-12-07T00:00:00Z", "mode": "test", "cpu": {"key": info["cpu"]["key"]},
        "kernels": {"normal": {"l1": choice(a), "l2": choice(a), "llc": choice(b), "mem": choice(b)}}}
json.dump(prof, open(out, "w"))' "$implA" "$implB" "$work/profile.json"
export DIAGGAUSS_PROFILE="$work/profile.json"
say "profile: normal l1/l2 -> $implA, llc/mem -> $implB"

# 1K doubles (8 KiB: l1) and the smallest power of two of doubles, at least 4M (32 MiB), whose output passes half
# the LLC the CPU reports (the library's mem class: dispatch/selection.cpp size_class_limits).  Virtual machines
# may report a whole socket's L3 (512 MiB was seen on a Zen 5 guest), so no fixed size is "beyond the LLC".
big=$("$cli" info --json | "$py" -c '
import json, sys
l3 = json.load(sys.stdin)["cpu"]["cache_bytes"].get("l3", 0)
n = 4 << 20
while n * 8 <= l3 // 2: n *= 2
print(n)')
"$bench" --dg_quick --dg_sizes=1024,$big --benchmark_min_time=0.01 \
  --benchmark_filter="^BM_normal/[^/]+/[^/]+/f64/(1|1024|$big)\$" \
  --benchmark_out="$work/run.json" --benchmark_out_format=json >"$work/bench.log" 2>&1 || { cat "$work/bench.log"; fail "bench run"; }
"$py" "$src/bench/report.py" "$work/run.json" --no-plots --out-prefix "$work/report" >/dev/null

"$py" - "$work/run.json" "$work/report.md" "$implA" "$implB" <<'PY'
import json, sys
run, md, a, b = json.load(open(sys.argv[1])), open(sys.argv[2]).read(), sys.argv[3], sys.argv[4]
labels = {r["name"]: r.get("label", "") for r in run["benchmarks"] if r.get("run_type") != "aggregate"}
def expect(cond, what):
    if not cond:
        sys.exit(f"[report_classes] FAILED: {what}")
expect(labels.get("BM_normal/dispatched/api/f64/1024") == f"{a}@l1", f"1K label {labels.get('BM_normal/dispatched/api/f64/1024')!r}")
big = max(int(n.rsplit("/", 1)[1]) for n in labels if n.startswith("BM_normal/dispatched/api/f64/"))
expect(big >= 4194304 and labels.get(f"BM_normal/dispatched/api/f64/{big}") == f"{b}@mem",
       f"{big} label {labels.get(f'BM_normal/dispatched/api/f64/{big}')!r}")
expect(labels.get("BM_normal/dispatched/api/f64/1") == f"{a}@l1", f"n=1 label {labels.get('BM_normal/dispatched/api/f64/1')!r}")
expect(f"BM_normal/{a}/f64/1" in labels, f"no direct n=1 row for {a}: {sorted(labels)}")
row = next((l for l in md.splitlines() if l.startswith("| dispatched/api")), "")
expect(f"l1: {a}" in row and f"mem: {b}" in row, f"dispatched row label: {row!r}")
expect(f"[{a}]" in row and f"[{b}]" in row, f"dispatched cells do not name what ran: {row!r}")
line = next((l for l in md.splitlines() if l.startswith("- normal n=1")), "")
expect(f"same implementation ({a})" in line, f"small-call line: {line!r}")
print(f"[report_classes] ok: {row}\n[report_classes] ok: {line}")
PY
