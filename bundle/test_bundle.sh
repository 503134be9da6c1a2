#!/usr/bin/env bash
# ctest `bundle`: pack the built programs (bundle/make_bundle.sh), unpack the tarball into an empty folder and run
# it there the way a foreign machine would: `env -i` (no HOME, no LD_LIBRARY_PATH, PATH=/usr/bin:/bin only) and
# `run --smoke` (a few seconds).  Checks that the bundled loader resolves every library inside the bundle (so the
# host's libc, libstdc++ or MPI are never used), that (as root) `info` runs in a chroot of the bare bundle, and
# that each step wrote its result.
#
#   test_bundle.sh CLI BENCH VERSION [TESTS]
# With TESTS (the unit-test program) the bundle carries it and its known-answer files, and `run --smoke --tests
# --sampler` must run a few of them from the bundle and write the sampler step's files.
set -euo pipefail

if (($# != 3 && $# != 4)); then
  echo "usage: $0 CLI BENCH VERSION [TESTS]" >&2
  exit 2
fi
cli=$1 bench=$2 version=$3 tests=${4:-}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
  echo "bundle: FAIL: $*"
  exit 1
}

tarball=$("$here/make_bundle.sh" "$cli" "$bench" "$work/dist" "$version" ${tests:+"$tests"} | tail -n 1)
[[ -f $tarball ]] || fail "make_bundle.sh wrote no tarball"
echo "bundle: $(basename "$tarball"), $(du -k "$tarball" | cut -f1) KiB"

mkdir "$work/empty"
cd "$work/empty"
tar -xzf "$tarball"
dir="$PWD/diaggauss-bench-$version-$(uname -m)"
[[ -x $dir/run && -x $dir/diaggauss && -x $dir/diaggauss_bench ]] || fail "run or a wrapper is missing: $(ls "$dir")"

# 1. The bundled loader must find every library in lib/ and nothing outside it.
loader=$(ls "$dir/lib" | grep -m1 '^ld-linux') || fail "no ld-linux loader in lib/"
progs="diaggauss diaggauss_bench${tests:+ diaggauss_tests}"
for prog in $progs; do
  listing=$(env -i "$dir/lib/$loader" --inhibit-cache --library-path "$dir/lib" --list "$dir/bin/$prog") ||
    fail "$loader --list $prog failed"
  outside=$(grep '=>' <<<"$listing" | grep -v "=> $dir/lib/" || true)
  [[ -z $outside ]] || fail "$prog loads libraries from outside the bundle:"$'\n'"$outside"
  echo "bundle: $prog: $(grep -c '=>' <<<"$listing") libraries, all from the bundle"
done
echo "bundle: libraries: $(ls "$dir/lib" | tr '\n' ' ')"

# 1b. As root: the programs run in a chroot holding nothing but the bundle (no host /lib, /usr, /proc at all), the
#     closest this machine gets to "a Linux with another C library".
if [[ $(id -u) == 0 ]] && chroot=$(command -v chroot); then
  name=$(basename "$dir")
  jail_json=$(env -i "$chroot" "$work/empty" "/$name/lib/$loader" --inhibit-cache --library-path "/$name/lib" \
    "/$name/bin/diaggauss" info --json) || fail "diaggauss info in a chroot of the bare bundle failed"
  grep -q '"cpu_table"' <<<"$jail_json" || fail "info --json in the chroot printed no cpu_table"
  echo "bundle: diaggauss info runs in a chroot holding only the bundle"
else
  echo "bundle: chroot check skipped (needs root)"
fi

# 2. The run script in a minimal environment, from another folder.
mkdir "$work/elsewhere"
cd "$work/elsewhere"
set +e
env -i PATH=/usr/bin:/bin "$dir/run" --smoke --out results ${tests:+--tests --sampler}
rc=$?
set -e
((rc == 0)) || { cat results/run.log 2>/dev/null; fail "run --smoke exited $rc"; }

# 3. Every step left its result.
r="$PWD/results"
grep -q '"cpu_table"' "$r/info.json" || fail "info.json names no CPU table"
grep -q '"compiled"' "$r/info.json" || fail "info.json is incomplete"
grep -q '^CPU' "$r/info.txt" || fail "info.txt is empty"
[[ -s $r/bench.json || -s $r/bench.txt ]] || fail "no bench output"
grep -q '"benchmarks"' "$r/gbench-quick.json" || fail "gbench-quick.json has no benchmarks"
grep -q 'BM_solve_diag/scalar/scalar/f64/1024' "$r/gbench-quick.json" || fail "the scalar row is missing"
grep -q '"diaggauss-profile"' "$r/tune-quick.json" || fail "tune wrote no profile"
grep -q '^uname:' "$r/system.txt" || fail "system.txt is empty"
if [[ -n $tests ]]; then
  grep -qE '^\[  PASSED  \] [1-9]' "$r/tests.txt" || fail "run --tests passed no test: $(tail -5 "$r/tests.txt")"
  grep -q 'CurandRawWords' "$r/tests.xml" || fail "tests.xml lacks the known-answer test (data files not found?)"
  for f in gbench-sampler-dim8.json gbench-sampler-dim16.json gbench-ooc.json; do
    grep -q '"benchmarks"' "$r/$f" || fail "$f has no benchmarks"
  done
fi
echo "bundle: ok (results: $(ls "$r" | tr '\n' ' '))"
