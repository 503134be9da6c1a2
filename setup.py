"""Builds the extension diaggauss._core through CMake (python/CMakeLists.txt), then lets setuptools package
python/diaggauss/.  pyproject.toml holds the metadata; this file only knows how to run CMake.

Environment:
  DIAGGAUSS_CMAKE_BUILD_DIR=DIR  reuse an already configured build tree (e.g. ./dg's build/): only the target
                                 diaggauss_python is brought up to date there and its module copied.  The tree must
                                 have been configured for this interpreter's version (checked: the file name's
                                 EXT_SUFFIX must match).  Used by `./dg test` to keep the pip stage fast.
  DIAGGAUSS_CMAKE_ARGS="..."     extra arguments for the CMake configure step (a fresh build only).
Build outputs stay out of the source tree: setuptools' build directory is build-pip/ (setup.cfg), ignored by git.
"""
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


def project_version():
    """The version in CMakeLists.txt's project() line: one place for the library, the headers and the wheel."""
    text = (ROOT / "CMakeLists.txt").read_text()
    m = re.search(r"project\(diaggauss\s+VERSION\s+([0-9.]+)", text)
    if not m:
        raise RuntimeError("setup.py: no 'project(diaggauss VERSION x.y.z' in CMakeLists.txt")
    return m.group(1)


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        dest = pathlib.Path(self.get_ext_fullpath(ext.name)).resolve()
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        reuse = os.environ.get("DIAGGAUSS_CMAKE_BUILD_DIR")
        if reuse:
            build = pathlib.Path(reuse).resolve()
            if not (build / "CMakeCache.txt").is_file():
                raise RuntimeError(f"DIAGGAUSS_CMAKE_BUILD_DIR={reuse}: not a configured CMake build tree")
        else:
            build = pathlib.Path(self.build_temp).resolve() / "cmake"
            build.mkdir(parents=True, exist_ok=True)
            args = ["cmake", "-S", str(ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                    "-DDG_BUILD_TESTS=OFF", "-DDG_BUILD_BENCH=OFF", "-DDG_BUILD_TOOLS=OFF",
                    "-DDG_BUILD_EXAMPLES=OFF", "-DDG_BUILD_PYTHON=ON", f"-DPython3_EXECUTABLE={sys.executable}"]
            args += shlex.split(os.environ.get("DIAGGAUSS_CMAKE_ARGS", ""))
            self._run(args)
        jobs = str(self.parallel or os.cpu_count() or 1)
        self._run(["cmake", "--build", str(build), "--target", "diaggauss_python", "-j", jobs])
        built = build / "python" / "diaggauss" / ("_core" + suffix)
        if not built.is_file():
            found = sorted(p.name for p in (build / "python" / "diaggauss").glob("_core*"))
            raise RuntimeError(
                f"setup.py: CMake did not build {built} (found: {found or 'nothing'}).  The Python module needs "
                "python3-dev, numpy and pybind11-dev for this interpreter; see CMake's 'diaggauss: Python module' "
                "message above.")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, dest)

    @staticmethod
    def _run(args):
        print("setup.py:", " ".join(shlex.quote(a) for a in args), flush=True)
        subprocess.run(args, check=True)


setup(
    version=project_version(),
    packages=["diaggauss"],
    package_dir={"": "python"},
    package_data={"diaggauss": ["*.pyi", "py.typed"]},
    ext_modules=[CMakeExtension("diaggauss._core")],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
)
