#!/usr/bin/env bash
# bundle/make_bundle.sh — pack `diaggauss` and `diaggauss_bench` with every shared library they load, their own
# dynamic loader and the `run` script into one tarball that runs on any x86-64 (or aarch64) Linux, whatever C
# library it has (`./dg bundle`; docs/benchmarks.md "Measuring other machines").
#
#   bundle/make_bundle.sh CLI BENCH OUTDIR VERSION [TESTS]
#     CLI      the built diaggauss CLI          BENCH    the built diaggauss_bench
#     OUTDIR   where the tarball goes (created)  VERSION  e.g. 0.1.0
#     TESTS    optional: the built diaggauss_tests, packed with tests/data so that `run --tests` runs the unit tests
#              natively there (the AVX-512 kernels, say, on a machine that has AVX-512)
#   writes OUTDIR/diaggauss-bench-VERSION-ARCH.tar.gz and prints its path.
#
# Why the loader too: a program built here asks for this glibc's symbol versions; an older system's libc lacks
# them and a newer system's ld.so must not be mixed with our libc.  So the wrappers start the programs with the
# bundled ld.so (`ld.so --library-path lib --inhibit-cache prog`), which loads only the bundled libraries; no
# environment variable, install step or root is needed.  The kernel is the one thing used from the host (glibc
# needs Linux >= 3.2).
set -euo pipefail

if (($# != 4 && $# != 5)); then
  echo "usage: $0 CLI BENCH OUTDIR VERSION [TESTS]" >&2
  exit 2
fi
cli=$(readlink -f "$1") bench=$(readlink -f "$2") outdir=$3 version=$4 tests=${5:+$(readlink -f "$5")}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
arch=$(uname -m)
name="diaggauss-bench-$version-$arch"
for f in "$cli" "$bench" ${tests:+"$tests"}; do
  [[ -x $f ]] || { echo "make_bundle: $f is not a built program" >&2; exit 1; }
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
mkdir -p "$root/bin" "$root/lib"
cp "$cli" "$root/bin/diaggauss"
cp "$bench" "$root/bin/diaggauss_bench"
progs="diaggauss diaggauss_bench"
if [[ -n $tests ]]; then
  cp "$tests" "$root/bin/diaggauss_tests"
  mkdir -p "$root/tests-data"
  cp "$here/../tests/data/"*.txt "$root/tests-data/"  # the known-answer files (run --tests points the tests there)
  progs="$progs diaggauss_tests"
fi

# The loader named in the program's PT_INTERP, e.g. /lib64/ld-linux-x86-64.so.2.
interp=$(readelf -l "$cli" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
[[ -n $interp && -e $interp ]] || { echo "make_bundle: no program interpreter found in $cli" >&2; exit 1; }
loader=$(basename "$interp")
cp -L "$interp" "$root/lib/$loader"

# Every library ldd resolves for either program, copied under its soname (the name the programs ask for).
copy_libs() {
  local prog=$1 line lib path
  while read -r line; do
    # "libfoo.so.1 => /usr/lib/x86_64-linux-gnu/libfoo.so.1 (0x...)"; vdso and the loader line have no "=> /".
    [[ $line == *"=> /"* ]] || continue
    lib=${line%% =>*}
    path=${line#*=> }
    path=${path%% (*}
    [[ -e $root/lib/$lib ]] || cp -L "$path" "$root/lib/$lib"
  done < <(ldd "$prog")
  if ldd "$prog" | grep -q "not found"; then
    echo "make_bundle: $prog needs a library ldd cannot find:" >&2
    ldd "$prog" | grep "not found" >&2
    exit 1
  fi
}
for prog in $progs; do copy_libs "$root/bin/$prog"; done

# Wrappers: plain POSIX sh (the one thing every Linux has), resolving their own folder so the bundle can live
# anywhere.  --argv0 (glibc >= 2.33) keeps the program's own name in its messages.
for prog in $progs; do
  cat >"$root/$prog" <<WRAP
#!/bin/sh
# Runs bin/$prog with the bundled loader and libraries only (see README.txt).
here=\$(cd "\$(dirname "\$0")" && pwd)
exec "\$here/lib/$loader" --inhibit-cache --library-path "\$here/lib" --argv0 "$prog" "\$here/bin/$prog" "\$@"
WRAP
  chmod +x "$root/$prog"
done
cp "$here/run" "$root/run"
chmod +x "$root/run"
{
  echo "diaggauss benchmark bundle $version ($arch), built $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "from commit $(git -C "$here/.." rev-parse --short HEAD 2>/dev/null || echo unknown) on $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") with $(ldd --version | head -n 1)"
  echo
  sed -n '2,/^$/s/^# \{0,1\}//p' "$here/run"
  echo "Contents: run, wrappers for $progs, bin/ (the programs), lib/ (their loader and libraries)$(
    [[ -n $tests ]] && echo ', tests-data/ (the unit tests'"'"' known answers)'):"
  (cd "$root/lib" && ls | sed 's/^/  /')
} >"$root/README.txt"

mkdir -p "$outdir"
out="$(cd "$outdir" && pwd)/$name.tar.gz"
tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "$out.tmp" "$name"
mv "$out.tmp" "$out"  # whole or not at all
echo "$out"
