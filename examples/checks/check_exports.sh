#!/usr/bin/env bash
# abi_exports test: the shared library exports only the public API and has the expected SONAME.
#   usage: check_exports.sh NM READELF CXXFILT LIBRARY EXPECTED_SONAME
# Allowed dynamic symbols: dg_* (C API), diaggauss::... and typeinfo / typeinfo name / vtable for diaggauss::...
# (C++ API, demangled), and the linker's own _init, _fini, _edata, _end, __bss_start.
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
# Every function declared in the public C header is exported.
hdr="$(dirname "$0")/../../include/diaggauss/diaggauss.h"
for f in $(grep -o 'DG_API [^(]*(' "$hdr" | grep -o 'dg_[a-z0-9_]*'); do
  grep -qx "$f" <<<"$syms" || { echo "abi_exports: $f declared in diaggauss.h but not exported"; bad=1; }
done
got_soname="$("$readelf" -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')"
if [[ $got_soname != "$soname" ]]; then
  echo "abi_exports: SONAME '$got_soname', want '$soname'"
  bad=1
fi
echo "abi_exports: $n exported symbols ($ndg dg_*), SONAME $got_soname: $([[ $bad == 0 ]] && echo ok || echo FAILED)"
exit $bad
