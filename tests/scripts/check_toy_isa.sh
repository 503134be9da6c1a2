#!/usr/bin/env bash
# check_toy_isa.sh SOURCE_DIR: proves the checklist "adding an ISA" of docs/implementing-a-target.md.  In a copy
# of the tree it makes exactly the checklist's edits for a toy ISA (a folder that provides one kernel and takes
# the rest from the scalar oracle), builds the library with that folder only (DG_IMPLS=toy, Debug, no Highway or
# xsimd: a minute on two cores), and runs tests/toy_isa/toy_check.c against it.  Fails when an edit no longer
# applies (the checklist is stale) or when the toy is not registered, selectable and used.
set -euo pipefail
[ $# -eq 1 ] || { sed -n '2,6p' "$0"; exit 2; }
src=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tree="$tmp/src"
mkdir -p "$tree"

# The tree as a checkout holds it: what git tracks (and new files it does not ignore), or everything but the
# build folders when the sources are not a git checkout.
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$src" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
     [ -f "$f" ] && printf '%s\0' "$f"
   done | xargs -0 cp --parents -t "$tree")
else
  tar -C "$src" --exclude='./build*' --exclude='./dist' -cf - . | tar -C "$tree" -xf -
fi

edit() {  # edit FILE SED-SCRIPT DESCRIPTION: one checklist step; fails when the file did not change
  local file="$tree/$1"
  cp "$file" "$file.orig"
  sed -i "$2" "$file"
  if cmp -s "$file" "$file.orig"; then
    echo "check_toy_isa: checklist step no longer applies: $3 ($1)" >&2
    exit 1
  fi
  rm "$file.orig"
  echo "check_toy_isa: edit $1: $3"
}
# Step 1: one line in the ISA list (rank 0: never preferred over a real ISA by the default dispatcher).
edit kernels/common/isa_list.hpp '/^  X(scalar, 0, true, "")/a\  X(toy, 0, true, "")                                                                   \\' \
  "X(toy, 0, true, \"\") in DG_ISA_LIST"
# Step 2: its compile flags (none) and its place in the architecture's list of intrinsics folders.
edit cmake/DiaggaussIsa.cmake 's/^set(DG_FLAGS_neon "")$/&\nset(DG_FLAGS_toy "")/' "DG_FLAGS_toy"
edit cmake/DiaggaussIsa.cmake 's/^\(  set(DG_INTRINSIC_ISAS [^)"]*\))$/\1 toy)/' "toy in DG_INTRINSIC_ISAS"
# Step 3: the folder.
mkdir -p "$tree/kernels/toy"
cp "$src/tests/toy_isa/table_toy.cpp" "$tree/kernels/toy/table_toy.cpp"
echo "check_toy_isa: folder kernels/toy/ (table_toy.cpp: kernel_table, default_blocking, kDescription)"

cmake -S "$tree" -B "$tmp/build" -DCMAKE_BUILD_TYPE=Debug -DDG_IMPLS=toy -DDG_WITH_HIGHWAY=OFF -DDG_WITH_XSIMD=OFF \
  -DDG_BUILD_TESTS=OFF -DDG_BUILD_TOOLS=OFF -DDG_BUILD_BENCH=OFF -DDG_BUILD_EXAMPLES=OFF -DDG_BUILD_PYTHON=OFF \
  -DDG_WITH_MPI=OFF -DDG_SANITIZE=OFF >"$tmp/configure.log" 2>&1 || { cat "$tmp/configure.log"; exit 1; }
grep -qx 'DG_INTRINSICS_IMPL(toy)' "$tmp/build/generated/dg_implementations.inc" ||
  { echo "check_toy_isa: the build does not register kernels/toy/" >&2; cat "$tmp/build/generated/dg_implementations.inc"; exit 1; }
cmake --build "$tmp/build" --target diaggauss_static -j "${DG_JOBS:-$(nproc)}" >"$tmp/build.log" 2>&1 ||
  { tail -40 "$tmp/build.log"; exit 1; }
lib=$(find "$tmp/build" -maxdepth 1 -name 'libdiaggauss*.a' | head -1)
cc -std=c11 -I"$tree/include" -I"$tmp/build/generated" -c "$src/tests/toy_isa/toy_check.c" -o "$tmp/toy_check.o"
c++ "$tmp/toy_check.o" "$lib" -pthread -lm -o "$tmp/toy_check"
DIAGGAUSS_PROFILE=/nonexistent "$tmp/toy_check"
