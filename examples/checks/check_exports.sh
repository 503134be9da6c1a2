#!/usr/bin/env bash
# abi_exports test: the shared library exports only the public API and has the expected SONAME.
#   usage: check_exports.sh NM READELF CXXFILT LIBRARY EXPECTED_SONAME
# Allowed dynamic symbols: dg_* (C API), diaggauss::... and typeinfo / typeinfo name / vtable for diaggauss::...
# (C++ API, demangled), and the linker's own _init, _fini, _edata, _end, __bss_start.
# Also: no tuner code at all, exported or not (the autotuner is the CLI's static library diaggauss_tune, tune/).
set -euo pipefail
nm=$1 readelf=$2 cxxfilt=$3 lib=$4 soname=$5

syms="$("$nm" -D --defined-only "$lib" | awk 'NF >= 3 { print $3 }')"
[[ -n $syms ]] || { echo "abi_exports: no dynamic symbols in $lib"; exit 1; }
bad=0 n=0 ndg=0
while IFS=$'\t' read -r raw dem; do
  n=$((n + 1))
  case "$dem" in
    dg_*) ndg=$((ndg + 1)) ;;
    diaggauss::* | "typeinfo for diaggauss::"* | "typeinfo name for diaggauss::"* | "vtable for diaggauss::"*) ;;
    _init | _fini | _edata | _end | __bss_start) ;;
    *)
      echo "abi_exports: unexpected exported symbol: $dem ($raw)"
      bad=1
      ;;
  esac
done < <(paste <(printf '%s\n' "$syms") <(printf '%s\n' "$syms" | "$cxxfilt"))
# Every function declared in the public C headers (diaggauss.h, mc.h) is exported.
for hdr in "$(dirname "$0")"/../../include/diaggauss/*.h; do
  for f in $(grep -o 'DG_API [^(]*(' "$hdr" | grep -o 'dg_[a-z0-9_]*'); do
    grep -qx "$f" <<<"$syms" || { echo "abi_exports: $f declared in $(basename "$hdr") but not exported"; bad=1; }
  done
done
# The full symbol table (local symbols too): the tuner's entry points must not be in the library.
tuner="$("$nm" -C "$lib" | grep -E 'diaggauss::detail::(run_tuner|verify_profile|measure_implementations|tunable_operations)\(' || true)"
if [[ -n $tuner ]]; then
  echo "abi_exports: tuner code in $lib (tune/ belongs to diaggauss_tune, not the library):"
  head -5 <<<"$tuner"
  bad=1
fi
got_soname="$("$readelf" -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')"
if [[ $got_soname != "$soname" ]]; then
  echo "abi_exports: SONAME '$got_soname', want '$soname'"
  bad=1
fi
echo "abi_exports: $n exported symbols ($ndg dg_*), SONAME $got_soname: $([[ $bad == 0 ]] && echo ok || echo FAILED)"
exit $bad
