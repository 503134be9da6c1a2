#!/usr/bin/env bash
# isa_leak: objdump the library's object files and fail when code meant for an older CPU uses newer instructions.
# A global -mavx2 (or an inline helper compiled with AVX flags) in baseline code crashes with SIGILL on an older
# CPU before dispatch can choose anything (docs/pitfalls.md: xsimd #633, Highway #131, xsimd #668).
#
#   check_isa_leak.sh OBJDUMP OBJECT_LIST
# OBJECT_LIST: a file with one object path per line ($<TARGET_OBJECTS:diaggauss_obj>, written by tests/CMakeLists.txt).
#
# Classes, by the source path inside the object directory (CMakeFiles/diaggauss_obj.dir/<source path>.o):
#   baseline  src/, dispatch/, mc/, kernels/scalar/ (everything not in an ISA folder): plain x86-64 — no VEX or
#             EVEX instruction at all (no v* mnemonic, no ymm/zmm/opmask register)
#   sse4      kernels/sse4/, kernels/xsimd/*_sse4*: same rule as baseline (SSE4.2 is legacy-encoded)
#   avx2      kernels/avx2/, kernels/xsimd/*_avx2*: no AVX-512 (no zmm, no opmask k0-k7, no xmm/ymm16-31)
#   other     kernels/avx512/, kernels/highway/ (all targets in one file), other xsimd: not checked
set -euo pipefail

if (($# != 2)); then
  echo "usage: $0 OBJDUMP OBJECT_LIST" >&2
  exit 2
fi
objdump=$1
list=$2
[[ -r $list ]] || { echo "isa_leak: cannot read object list $list" >&2; exit 2; }

classify() {
  local rel=${1#*/diaggauss_obj.dir/}
  case $rel in
    kernels/sse4/* | kernels/xsimd/*_sse4*) echo sse4 ;;
    kernels/avx2/* | kernels/xsimd/*_avx2*) echo avx2 ;;
    kernels/avx512/* | kernels/neon/* | kernels/highway/* | kernels/xsimd/*) echo other ;;
    *) echo baseline ;;
  esac
}

# Prints "function: instruction" for every offending instruction of one object (at most 20), given the class.
# Mnemonic tests look at the mnemonic only (after legacy prefixes); register tests at the operands, with symbol
# names (<...>) and comments (# ...) removed first.
scan() {
  local cls=$1 obj=$2
  "$objdump" -d --no-show-raw-insn -C "$obj" | awk -v cls="$cls" '
    BEGIN {
      # VMX/segment-check instructions start with v but are legacy-encoded.
      split("vmcall vmlaunch vmresume vmxoff vmxon vmread vmwrite vmptrld vmptrst vmclear vmfunc verr verw", a, " ")
      for (i in a) legacy_v[a[i]] = 1
      split("rep repz repnz repe repne lock notrack bnd data16 addr32 cs ds es fs gs ss xacquire xrelease", b, " ")
      for (i in b) prefix[b[i]] = 1
      n = 0
    }
    /^[0-9a-f]+ <.*>:$/ { fn = $0; sub(/^[0-9a-f]+ </, "", fn); sub(/>:$/, "", fn); next }
    /^ *[0-9a-f]+:\t/ {
      line = $0
      sub(/^ *[0-9a-f]+:\t/, "", line)
      ins = line
      sub(/[ \t]*#.*$/, "", ins)
      sub(/<.*$/, "", ins)
      k = split(ins, tok, /[ \t]+/)
      j = 1
      while (j <= k && (tok[j] in prefix || tok[j] ~ /^\{.*\}$/ || tok[j] ~ /^rex/)) j++
      mnem = (j <= k) ? tok[j] : ""
      bad = 0
      if (cls == "baseline" || cls == "sse4") {
        if (mnem ~ /^v[a-z0-9]+$/ && !(mnem in legacy_v)) bad = 1
        if (ins ~ /%[yz]mm[0-9]/ || ins ~ /%k[0-7]([^0-9]|$)/) bad = 1
      } else if (cls == "avx2") {
        if (ins ~ /%zmm[0-9]/ || ins ~ /%k[0-7]([^0-9]|$)/ || ins ~ /%[xy]mm(1[6-9]|2[0-9]|3[01])([^0-9]|$)/) bad = 1
      }
      if (bad) {
        n++
        if (n <= 20) printf "    %s: %s\n", fn, line
      }
    }
    END { if (n > 20) printf "    ... and %d more\n", n - 20 }
  '
}

declare -A count=([baseline]=0 [sse4]=0 [avx2]=0 [other]=0)
fail=0
while IFS= read -r obj; do
  [[ -n $obj ]] || continue
  if [[ ! -f $obj ]]; then
    echo "isa_leak: FAIL: object file missing (build first): $obj"
    fail=1
    continue
  fi
  cls=$(classify "$obj")
  count[$cls]=$((count[$cls] + 1))
  [[ $cls == other ]] && continue
  out=$(scan "$cls" "$obj")
  if [[ -n $out ]]; then
    case $cls in
      avx2) what="AVX-512 instructions (zmm, opmask or xmm/ymm16-31 registers)" ;;
      *) what="VEX/EVEX instructions (v* mnemonics or ymm/zmm/opmask registers)" ;;
    esac
    echo "isa_leak: FAIL: ${obj#*/diaggauss_obj.dir/} ($cls) contains $what:"
    echo "$out"
    fail=1
  fi
done <"$list"

total=$((count[baseline] + count[sse4] + count[avx2] + count[other]))
echo "isa_leak: checked ${count[baseline]} baseline, ${count[sse4]} sse4 and ${count[avx2]} avx2 objects" \
  "(${count[other]} of other ISAs not checked; $total in all)"
if ((count[baseline] == 0)); then
  echo "isa_leak: FAIL: no baseline objects in the list — wrong object list?"
  exit 1
fi
if ((fail)); then
  echo "isa_leak: FAIL — code compiled for an older CPU contains newer instructions (see docs/pitfalls.md)"
  exit 1
fi
echo "isa_leak: ok"
