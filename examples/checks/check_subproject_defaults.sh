#!/usr/bin/env bash
# ctest subproject_defaults: a parent project that does add_subdirectory(diaggauss) gets the library targets and
# nothing else by default — no tests, benchmarks, CLI, examples or Python module to switch off by hand (issue 17).
# Configure only (a few seconds); nothing is built.
# Usage: check_subproject_defaults.sh CMAKE SOURCE_DIR WORK_DIR
set -euo pipefail
cmake=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work/parent"
cat >"$work/parent/CMakeLists.txt" <<CML
cmake_minimum_required(VERSION 3.18)
project(parent LANGUAGES C CXX)
add_subdirectory("$src" diaggauss)
foreach(t diaggauss::diaggauss diaggauss::diaggauss_static)
  if(NOT TARGET \${t})
    message(FATAL_ERROR "target \${t} missing")
  endif()
endforeach()
foreach(t diaggauss_tests diaggauss_bench diaggauss_cli diaggauss_tune diaggauss_python embed_c_intree)
  if(TARGET \${t})
    message(FATAL_ERROR "target \${t} exists: a subproject should build the library only by default")
  endif()
endforeach()
CML
"$cmake" -S "$work/parent" -B "$work/build" >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }
for opt in DG_BUILD_TESTS DG_BUILD_BENCH DG_BUILD_TOOLS DG_BUILD_EXAMPLES DG_BUILD_PYTHON; do
  grep -q "^$opt:BOOL=OFF$" "$work/build/CMakeCache.txt" || { grep "^$opt" "$work/build/CMakeCache.txt"; echo "$opt is not OFF"; exit 1; }
done
echo "subproject_defaults: add_subdirectory(diaggauss) -> library targets only; DG_BUILD_{TESTS,BENCH,TOOLS,EXAMPLES,PYTHON}=OFF"
