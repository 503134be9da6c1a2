#!/usr/bin/env bash
# Consumer tests: install diaggauss into a temporary prefix, then build the examples the way an outside project
# does — through the CMake package and through pkg-config — and run them.  Registered by examples/CMakeLists.txt.
#
#   consumer_test.sh install BUILD_DIR                       cmake --install BUILD_DIR into $DG_PREFIX (fresh),
#                                                            then check the installed tree
#   consumer_test.sh cmake EXAMPLE_DIR WORK_DIR shared|static      find_package(diaggauss) build of EXAMPLE_DIR
#   consumer_test.sh pkgconfig EXAMPLE_DIR WORK_DIR shared|static  plain compiler + pkg-config build
#
# Environment (set by CMake): DG_PREFIX, DG_CMAKE, DG_GENERATOR, DG_MAKE_PROGRAM, DG_CC, DG_CXX, DG_PKG_CONFIG,
# DG_READELF.  Any failed check exits non-zero with a line saying what failed.
set -euo pipefail

: "${DG_PREFIX:?}"
CMAKE=${DG_CMAKE:-cmake}
CC=${DG_CC:-cc}
CXX=${DG_CXX:-c++}
PKG_CONFIG=${DG_PKG_CONFIG:-pkg-config}
READELF=${DG_READELF:-readelf}
PY=/usr/bin/python3

say() { printf '[consumer] %s\n' "$*"; }
fail() {
  printf '[consumer] FAILED: %s\n' "$*" >&2
  exit 1
}
run() {
  printf '[consumer] $ %s\n' "$*"
  "$@"
}

# NEEDED entries of an ELF file, one per line.
needed() { "$READELF" -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\].*/\1/p'; }

# Checks that a program linked the library the way it was asked to, then runs it.
check_and_run() {
  local exe=$1 linkage=$2 libdir=$3
  if [[ $linkage == static ]]; then
    ! needed "$exe" | grep -q '^libdiaggauss' || fail "$exe: linked libdiaggauss.so although static was asked for"
  else
    needed "$exe" | grep -q '^libdiaggauss\.so\.' || fail "$exe: no NEEDED libdiaggauss.so.N"
    # The shared library must come from the install prefix (RUNPATH / rpath), not from the build tree.
    local resolved
    resolved="$(ldd "$exe" | awk '/libdiaggauss/ { print $3 }')"
    [[ $(readlink -f "$resolved") == "$(readlink -f "$libdir")"/* ]] ||
      fail "$exe resolves libdiaggauss to '$resolved', not to $libdir"
    say "$exe: libdiaggauss from $resolved"
  fi
  run "$exe"
}

pc_file() { find "$DG_PREFIX" -name diaggauss.pc -print -quit; }

cmd_install() {
  local build=$1
  [[ -d $build ]] || fail "no build directory $build"
  rm -rf "$DG_PREFIX" "$DG_PREFIX.tmp"
  mkdir -p "$DG_PREFIX.tmp"
  run "$CMAKE" --install "$build" --prefix "$DG_PREFIX" >"$DG_PREFIX.log" 2>&1 || {
    cat "$DG_PREFIX.log"
    fail "cmake --install"
  }
  sed 's/^/  /' "$DG_PREFIX.log"
  local inc="$DG_PREFIX/include/diaggauss" cfg pc libdir
  for f in diaggauss.h diaggauss.hpp mc.h mc.hpp version.h; do [[ -f $inc/$f ]] || fail "missing include/diaggauss/$f"; done
  cfg="$(find "$DG_PREFIX" -name diaggaussConfig.cmake -print -quit)"
  [[ -n $cfg ]] || fail "no diaggaussConfig.cmake installed"
  for f in diaggaussConfigVersion.cmake diaggaussTargets.cmake; do
    [[ -f $(dirname "$cfg")/$f ]] || fail "missing $(dirname "$cfg")/$f"
  done
  pc="$(pc_file)"
  [[ -n $pc ]] || fail "no diaggauss.pc installed"
  libdir="$(PKG_CONFIG_PATH="$(dirname "$pc")" "$PKG_CONFIG" --variable=libdir diaggauss)"
  [[ $(readlink -f "$libdir") == "$(readlink -f "$DG_PREFIX")"/* ]] || fail "diaggauss.pc libdir '$libdir' is not in the prefix"
  for f in libdiaggauss.a libdiaggauss.so; do [[ -e $libdir/$f ]] || fail "missing $libdir/$f"; done
  local so
  so="$("$READELF" -d "$libdir/libdiaggauss.so" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')"
  [[ -n $so && -e $libdir/$so ]] || fail "SONAME '$so' of the installed library has no file in $libdir"
  if "$READELF" -d "$libdir/libdiaggauss.so" | grep -Eq '\((RPATH|RUNPATH)\)'; then
    fail "installed libdiaggauss.so still carries an RPATH/RUNPATH"
  fi
  # The public headers include only the standard library and each other: no ISA intrinsics, no Highway or xsimd.
  # (The optional eigen.hpp includes <Eigen/Core>, and only that beyond them.)
  if grep -HnE '^[[:space:]]*#[[:space:]]*include' "$inc"/* | grep -vE '<(stddef|stdint|algorithm|cmath|cstddef|cstdint|stdexcept|string|thread|type_traits|vector)(\.h)?>|"diaggauss/|eigen\.hpp:[0-9]+:#include <Eigen/Core>$' ; then
    fail "installed headers include something beyond the standard library"
  fi
  # ... and each compiles on its own with no ISA flag at all.
  local tmp="$DG_PREFIX.tmp"
  printf '#include <diaggauss/diaggauss.h>\nint main(void) { return dg_version()[0] == 0; }\n' >"$tmp/c.c"
  run "$CC" -std=c99 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$DG_PREFIX/include" "$tmp/c.c"
  printf '#include <diaggauss/diaggauss.hpp>\nint main() { return diaggauss::version().empty(); }\n' >"$tmp/cpp.cpp"
  run "$CXX" -std=c++17 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$DG_PREFIX/include" "$tmp/cpp.cpp"
  printf '#include <diaggauss/mc.h>\nint main(void) { dg_mc_config c = {0}; return (int)c.ncomp + DG_MC_SIMD; }\n' >"$tmp/mc.c"
  run "$CC" -std=c99 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$DG_PREFIX/include" "$tmp/mc.c"
  printf '#include <diaggauss/mc.hpp>\nint main() { return diaggauss::mc::chunk_count(1) != 1; }\n' >"$tmp/mc.cpp"
  run "$CXX" -std=c++17 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$DG_PREFIX/include" "$tmp/mc.cpp"
  if [[ -f /usr/include/eigen3/Eigen/Core ]]; then
    printf '#include <diaggauss/eigen.hpp>\nint main() { Eigen::MatrixXd X(1, 1); return (int)diaggauss::eigen::diag_logpdf(X, Eigen::VectorXd::Zero(1), Eigen::VectorXd::Ones(1)).size(); }\n' >"$tmp/eigen.cpp"
    run "$CXX" -std=c++17 -Wall -Wextra -Werror -fsyntax-only -I"$DG_PREFIX/include" -isystem /usr/include/eigen3 "$tmp/eigen.cpp"
  fi
  # The CLI, when it was built.
  if [[ -e $build/diaggauss && -f $build/diaggauss ]]; then
    [[ -x $DG_PREFIX/bin/diaggauss ]] || fail "bin/diaggauss not installed"
    run "$DG_PREFIX/bin/diaggauss" info >/dev/null || fail "installed bin/diaggauss info"
  fi
  # Version compatibility (SameMajorVersion): this major is found, the next one is not.
  local version major
  version="$(PKG_CONFIG_PATH="$(dirname "$pc")" "$PKG_CONFIG" --modversion diaggauss)"
  major=${version%%.*}
  mkdir -p "$tmp/ver"
  cat >"$tmp/ver/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.18)
project(vercheck LANGUAGES C)
find_package(diaggauss \${WANT} CONFIG QUIET)
if(NOT diaggauss_FOUND)
  message(FATAL_ERROR "diaggauss \${WANT} not found")
endif()
if(NOT diaggauss_VERSION STREQUAL "$version" OR NOT TARGET diaggauss::diaggauss OR NOT TARGET diaggauss::diaggauss_static)
  message(FATAL_ERROR "wrong package: \${diaggauss_VERSION}")
endif()
EOF
  "$CMAKE" -S "$tmp/ver" -B "$tmp/ver/b1" -DCMAKE_C_COMPILER="$CC" -DCMAKE_PREFIX_PATH="$DG_PREFIX" -DWANT="$major" \
    >"$tmp/ver.log" 2>&1 || { cat "$tmp/ver.log"; fail "find_package(diaggauss $major) failed"; }
  if "$CMAKE" -S "$tmp/ver" -B "$tmp/ver/b2" -DCMAKE_C_COMPILER="$CC" -DCMAKE_PREFIX_PATH="$DG_PREFIX" \
    -DWANT="$((major + 1))" >"$tmp/ver.log" 2>&1; then
    fail "find_package(diaggauss $((major + 1))) accepted version $version (SameMajorVersion expected)"
  fi
  say "find_package(diaggauss $major) found $version; find_package(diaggauss $((major + 1))) refused"
  # The Python package, when it was built and installed: importable from the prefix on its own.
  local pymod pkgdir
  pymod="$(find "$DG_PREFIX" -path '*/diaggauss/_core.cpython-*.so' -print -quit)"
  if [[ -n $pymod ]]; then
    pkgdir="$(dirname "$pymod")"
    PYTHONPATH="$(dirname "$pkgdir")" run "$PY" -c \
      "import diaggauss, numpy; assert diaggauss.__file__ == '$pkgdir/__init__.py', diaggauss.__file__; print('python:', diaggauss.info()['version'], diaggauss.solve_diag(numpy.array([2.0]), numpy.array([1.0])), diaggauss.Generator(1).standard_normal(2))"
    [[ -f $pkgdir/__init__.pyi && -f $pkgdir/py.typed ]] || fail "$pkgdir: type stubs not installed"
    # Self-contained: the module does not need libdiaggauss.so.
    ! needed "$pymod" | grep -q '^libdiaggauss' || fail "$pymod links libdiaggauss.so"
  fi
  say "installed tree in $DG_PREFIX: ok"
}

cmd_cmake() {
  local src=$1 work=$2 linkage=$3 static=OFF name
  name="$(basename "$src")"
  [[ $linkage == static ]] && static=ON
  rm -rf "$work"
  local gen=()
  [[ -n ${DG_GENERATOR:-} ]] && gen=(-G "$DG_GENERATOR")
  [[ -n ${DG_MAKE_PROGRAM:-} ]] && gen+=(-DCMAKE_MAKE_PROGRAM="$DG_MAKE_PROGRAM")
  run "$CMAKE" -S "$src" -B "$work" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$DG_PREFIX" \
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DEMBED_STATIC=$static --no-warn-unused-cli
  # The package found must be the one just installed.
  local dir
  dir="$(sed -n 's/^diaggauss_DIR:PATH=//p' "$work/CMakeCache.txt")"
  [[ $(readlink -f "$dir") == "$(readlink -f "$DG_PREFIX")"/* ]] || fail "found diaggauss in '$dir', not in $DG_PREFIX"
  run "$CMAKE" --build "$work" --verbose
  # Consumers compile with no ISA flag and no third-party include directory.
  if grep -E -- ' -m(arch|tune|avx|sse|fma|bmi|f16c|popcnt|cpu)|hwy|xsimd' "$work/compile_commands.json"; then
    fail "consumer compile command carries ISA flags or third-party include paths"
  fi
  local pc libdir
  pc="$(pc_file)"
  libdir="$(PKG_CONFIG_PATH="$(dirname "$pc")" "$PKG_CONFIG" --variable=libdir diaggauss 2>/dev/null || echo "$DG_PREFIX/lib")"
  check_and_run "$work/$name" "$linkage" "$libdir"
}

cmd_pkgconfig() {
  local src=$1 work=$2 linkage=$3 name pc
  name="$(basename "$src")"
  pc="$(pc_file)"
  [[ -n $pc ]] || fail "no diaggauss.pc under $DG_PREFIX"
  rm -rf "$work"
  mkdir -p "$work"
  export PKG_CONFIG_PATH
  PKG_CONFIG_PATH="$(dirname "$pc")"
  local version cflags libs libdir
  version="$("$PKG_CONFIG" --modversion diaggauss)"
  cflags="$("$PKG_CONFIG" --cflags diaggauss)"
  libdir="$("$PKG_CONFIG" --variable=libdir diaggauss)"
  if [[ $linkage == static ]]; then
    # diaggauss-static.pc names the archive itself (and -lhwy -lstdc++ -lm -lpthread): the line works as printed,
    # although libdiaggauss.so sits beside the archive.
    libs="$("$PKG_CONFIG" --libs diaggauss-static)"
  else
    libs="$("$PKG_CONFIG" --libs diaggauss) -Wl,-rpath,$libdir"
  fi
  say "PKG_CONFIG_PATH=$PKG_CONFIG_PATH  cflags: $cflags  libs: $libs"
  local flags=(-O2 -Wall -Wextra -pedantic -Werror -DEMBED_EXPECT_VERSION="\"$version\"")
  # shellcheck disable=SC2086  # word splitting of pkg-config output is intended
  if [[ -f $src/main.c ]]; then
    run "$CC" -std=c99 "${flags[@]}" $cflags "$src/main.c" -o "$work/$name" $libs -lm
  else
    run "$CXX" -std=c++17 "${flags[@]}" $cflags "$src/main.cpp" -o "$work/$name" $libs
  fi
  check_and_run "$work/$name" "$linkage" "$libdir"
}

cmd=${1:-}
shift || true
case $cmd in
  install) cmd_install "$@" ;;
  cmake) cmd_cmake "$@" ;;
  pkgconfig) cmd_pkgconfig "$@" ;;
  *) fail "usage: consumer_test.sh install|cmake|pkgconfig ..." ;;
esac
