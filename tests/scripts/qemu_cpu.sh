#!/usr/bin/env bash
# qemu_westmere / qemu_haswell: run the host build on an emulated older CPU and check the dispatcher picks the
# right implementation by itself (no DIAGGAUSS_ISA/DIAGGAUSS_IMPL forcing) and that nothing raises SIGILL.
#
#   qemu_cpu.sh QEMU CPU ISA CLI TESTS PYTHON
#     QEMU    qemu-x86_64-static
#     CPU     qemu CPU model: Westmere (SSE4.2, no AVX) or Haswell (AVX2+FMA, no AVX-512)
#     ISA     the best ISA that CPU has: sse4 or avx2
#     CLI     build/diaggauss            TESTS  build/diaggauss_tests
#     PYTHON  Debian's /usr/bin/python3 (standard library only)
#
# 1. `diaggauss info --json` under qemu: the implementations of ISAs the CPU lacks must say runs_here=false, those
#    it has runs_here=true, and every kernel must be chosen from the best compiled ISA the CPU has (ISA/... when
#    ISA's intrinsics are compiled in; the dispatcher falls back to the next one otherwise, which is reported).
# 2. The unit tests under qemu for ISA's implementations, scalar, CPU detection, dispatch and API tests; none of
#    ISA's implementations may be skipped (the detector must see the emulated features).
set -euo pipefail

if (($# != 6)); then
  echo "usage: $0 QEMU CPU ISA CLI TESTS PYTHON" >&2
  exit 2
fi
qemu=$1 cpu=$2 isa=$3 cli=$(readlink -f "$4") tests=$(readlink -f "$5") py=$6

ulimit -S -c 0  # no core files in the build tree; explain_crash makes its own

# After a SIGILL (132) or SIGSEGV (139) under qemu: run the same command again in a scratch folder with core dumps
# on and print where it died (function and instruction), when gdb is installed.
explain_crash() {
  local rc=$1 prog=$2
  shift 2
  ((rc == 132 || rc == 139)) || return 0
  command -v gdb >/dev/null || return 0
  local dir core
  dir=$(mktemp -d)
  (cd "$dir" && ulimit -S -c "$(ulimit -H -c)" && "$qemu" -cpu "$cpu" "$prog" "$@" >/dev/null 2>&1) 2>/dev/null || true
  core=$(ls "$dir"/*.core 2>/dev/null | head -n 1 || true)
  if [[ -n $core ]]; then
    echo "-- where it died (gdb on qemu's core file):"
    gdb -batch -ex bt -ex 'x/i $pc' "$prog" "$core" 2>/dev/null | grep -E '^#|=>' | awk '!seen[$0]++' | head -n 15 || true
  fi
  rm -rf "$dir"
}
# No forcing, no tuning profile: the dispatcher must choose on its own.
unset DIAGGAUSS_ISA DIAGGAUSS_IMPL
export DIAGGAUSS_PROFILE=/nonexistent

case $isa in
  sse4) ladder="sse4 scalar" ;;
  avx2) ladder="avx2 sse4 scalar" ;;
  *) echo "qemu_cpu: unknown ISA $isa" >&2; exit 2 ;;
esac

echo "== $qemu -cpu $cpu $cli info --json"
set +e
json=$("$qemu" -cpu "$cpu" "$cli" info --json)
rc=$?
set -e
if ((rc != 0)); then
  echo "$json"
  explain_crash "$rc" "$cli" info --json
  echo "qemu_cpu: FAIL: 'diaggauss info --json' exited $rc on $cpu (132 = SIGILL: an instruction this CPU lacks)"
  exit 1
fi

DG_INFO_JSON=$json "$py" - "$cpu" "$isa" "$ladder" <<'EOF' || exit 1
import json, os, sys
cpu, isa, ladder = sys.argv[1], sys.argv[2], sys.argv[3].split()
j = json.loads(os.environ["DG_INFO_JSON"])
ok = True
def fail(msg):
    global ok
    ok = False
    print("qemu_cpu: FAIL: " + msg)
print("cpu        %s, features: %s" % (j["cpu"]["brand"] or "?", " ".join(j["cpu"]["features"])))
names = [c["name"] for c in j["compiled"]]
print("compiled   " + ", ".join(names))
for c in j["compiled"]:
    should = c["isa"] in ladder
    if c["runs_here"] != should:
        fail("%s: runs_here=%s on %s, expected %s (missing: %s)" % (c["name"], c["runs_here"], cpu, should, c["missing"]))
expected = next((i for i in ladder if i == "scalar" or i + "/intrinsics" in names), "scalar")
if expected != isa:
    print("qemu_cpu: NOTE: %s/intrinsics is not compiled into this build; the dispatcher should fall back to %s"
          % (isa, expected))
for kernel, impl in j["kernels"].items():
    good = impl.split("/")[0] == expected
    print("  %-18s %-20s %s" % (kernel, impl, "ok" if good else "WRONG (expected %s/...)" % expected))
    if not good:
        fail("kernel %s chose %s on %s, expected %s/..." % (kernel, impl, cpu, expected))
if j["forced"]["isa"] or j["forced"]["family"]:
    fail("selection reports forcing: %s" % j["forced"])
sys.exit(0 if ok else 1)
EOF

# Parameterised tests are named Suite.Test/<isa>_<family>; the rest by suite name.
filter="*/${isa}_*:*/scalar_*:CpuDetect.*:PhiloxKat.*:*Dispatch*:*Selection*:*Force*:*Api*:*API*:*Capi*:*CApi*:*Cpp*"
echo "== $qemu -cpu $cpu $tests --gtest_filter=$filter"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
"$qemu" -cpu "$cpu" "$tests" --gtest_filter="$filter" --gtest_color=no >"$log" 2>&1
rc=$?
set -e
# gtest lists every test; keep the log short: failures, skips and the summary.
grep -E '^\[  (FAILED|SKIPPED|PASSED) |^\[==========\]|Failure|error' "$log" | head -200 || true
if ((rc != 0)); then
  tail -n 40 "$log"
  explain_crash "$rc" "$tests" --gtest_filter="$filter"
  echo "qemu_cpu: FAIL: unit tests exited $rc on $cpu (132 = SIGILL: an instruction this CPU lacks)"
  exit 1
fi
# Sse4NormalBound measures sse4 (no FMA) against the oracle and skips every FMA implementation by design.
if grep -E "^\[  SKIPPED \] .*/${isa}_" "$log" | grep -qv 'Sse4NormalBound'; then
  echo "qemu_cpu: FAIL: ${isa} implementations were skipped on $cpu: the CPU detector does not see its features"
  exit 1
fi
ran=$(grep -cE "^\[       OK \] .*/${isa}_" "$log" || true)
echo "qemu_cpu: ok ($cpu: dispatcher chose by itself, $ran ${isa} implementation tests passed, no SIGILL)"
