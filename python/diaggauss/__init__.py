"""diaggauss: hand-vectorized diagonal-covariance Gaussian kernels (diagonal solves, log-densities,
counter-based Philox4x32-10 sampling) for numpy arrays.

The kernels live in the extension module diaggauss._core (pybind11 over the C API, linked statically); this
package checks for numpy first, so that an interpreter without numpy gets a message that says so instead of
pybind11's bare "initialization failed".  See docs/python.md.
"""
try:
    import numpy as _np  # noqa: F401  (the extension needs numpy's C API at import time)
except ImportError as _e:  # pragma: no cover - exercised by test_import_without_numpy in a subprocess
    raise ImportError(
        "diaggauss needs numpy, which this Python (" + __import__("sys").executable + ") cannot import: "
        "install it (Debian: apt-get install python3-numpy; a venv: python3 -m venv --system-site-packages, "
        "or pip install numpy)") from _e

from ._core import *  # noqa: F401,F403
from ._core import __version__, Error  # noqa: F401  (not covered by *: dunder / explicit)
from ._generator import Generator  # noqa: E402,F401
