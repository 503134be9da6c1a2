#!/usr/bin/env bash
# The ctest `python` test: the user's way in, exactly as issue 17's "Done when" writes it --
#   python3 -m venv --system-site-packages V && V/bin/pip install --no-build-isolation . && V/bin/python -m pytest
# then the suite runs against the pip-installed package (never the checkout's python/diaggauss).
# Usage: pip_install_test.sh PYTHON SOURCE_DIR CMAKE_BUILD_DIR WORK_DIR
# DIAGGAUSS_CMAKE_BUILD_DIR makes setup.py reuse the already built tree (no second compile of the library: the
# stage stays a few seconds).  Offline: --no-build-isolation uses the interpreter's own setuptools, and numpy comes
# from the system site-packages, so pip has nothing to download.
set -euo pipefail
py=$1 src=$2 build=$3 work=$4
venv="$work/venv"
rm -rf "$venv"
"$py" -m venv --system-site-packages "$venv"
# No pip version check (a network call) and no wheel cache under $HOME: the test touches nothing outside its dirs.
(cd "$src" && DIAGGAUSS_CMAKE_BUILD_DIR="$build" PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 \
  "$venv/bin/pip" install -q --no-build-isolation --no-index .)
cd "$work"  # not the checkout: `import diaggauss` must find the installed package
DIAGGAUSS_EXPECT_INSTALLED="$venv" PYTHONDONTWRITEBYTECODE=1 \
  "$venv/bin/python" -m pytest -q -p no:cacheprovider "$src/python/tests"
