#!/usr/bin/env bash
# bench/ab/ab_normal.sh ISA A.cpp B.cpp [ILV_A [ILV_B]]: A/B-compare two versions of a sampler kernel file
# (e.g. kernels/avx2/sample_avx2.cpp as committed, `git show HEAD~1:kernels/avx2/sample_avx2.cpp > /tmp/old.cpp`)
# in one process, with Philox interleaves ILV_A and ILV_B.  ISA: avx2 | sse4 | avx512 (the kernel's namespace and
# flags, as cmake/DiaggaussIsa.cmake sets them).  Builds into a temporary folder; needs only g++.
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,5p' "$0"; exit 2; }
isa=$1 a=$(realpath "$2") b=$(realpath "$3")
shift 3
here=$(cd "$(dirname "$0")" && pwd) root=$(cd "$(dirname "$0")/../.." && pwd)
case $isa in
  sse4) flags="-msse4.2 -mpopcnt" ;;
  avx2) flags="-mavx2 -mfma -mbmi -mbmi2 -mf16c -mpopcnt" ;;
  avx512) flags="-mavx512f -mavx512vl -mavx512dq -mavx512bw -mavx2 -mfma -mbmi -mbmi2 -mf16c -mpopcnt" ;;
  *) echo "ab_normal.sh: ISA must be sse4, avx2 or avx512" >&2; exit 2 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cxx="g++ -O3 -DNDEBUG -std=c++17 -ffp-contract=off $flags -I$root"
for side in A B; do
  src=$a; [ $side = B ] && src=$b
  $cxx -Ddiaggauss=dg_ab_$side -c "$src" -o "$tmp/kernel_$side.o"
  $cxx -Ddiaggauss=dg_ab_$side -DAB_SIDE=$side -DAB_ISA=$isa -c "$here/ab_shim.cpp" -o "$tmp/shim_$side.o"
done
g++ -O2 -std=c++17 "$here/ab_main.cpp" "$tmp"/*.o -o "$tmp/ab"
"$tmp/ab" "$@"
