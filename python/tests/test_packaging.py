"""The package around the extension: a clear message without numpy, type stubs shipped, and (under ctest) that
the suite runs against the pip-installed copy."""
import os
import pathlib
import subprocess
import sys

import numpy as np

import diaggauss as dg


def test_import_without_numpy_says_so():
    # sys.modules['numpy'] = None makes `import numpy` raise ImportError, as in an interpreter without numpy.
    code = "import sys; sys.modules['numpy'] = None; import diaggauss"
    pkg_parent = str(pathlib.Path(dg.__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=pkg_parent)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.returncode != 0
    assert "diaggauss needs numpy" in r.stderr, r.stderr
    assert "initialization failed" not in r.stderr


def test_stubs_and_py_typed_beside_the_module():
    here = pathlib.Path(dg.__file__).resolve().parent
    assert (here / "py.typed").is_file()
    stub = (here / "__init__.pyi").read_text()
    for name in ("class Generator", "def standard_normal", "def gmm_logpdf", "def sample_gmm"):
        assert name in stub


def test_public_names_in_the_stub():
    """Every public name of the module appears in the stub (a new function without a stub fails here)."""
    stub = (pathlib.Path(dg.__file__).resolve().parent / "__init__.pyi").read_text()
    public = [n for n in dir(dg) if not n.startswith("_") and n not in ("Generator",)]
    missing = [n for n in public if f"def {n}(" not in stub and f"{n}:" not in stub and f"class {n}" not in stub]
    assert not missing, missing


def test_installed_copy_is_the_one_imported():
    venv = os.environ.get("DIAGGAUSS_EXPECT_INSTALLED")
    if not venv:
        import pytest
        pytest.skip("not run by pip_install_test.sh (DIAGGAUSS_EXPECT_INSTALLED unset)")
    assert pathlib.Path(dg.__file__).resolve().is_relative_to(pathlib.Path(venv).resolve()), dg.__file__


def test_stub_parameters_match_the_extension():
    """Every keyword of every extension function (from pybind11's signature line) appears in its stub."""
    import re
    stub = (pathlib.Path(dg.__file__).resolve().parent / "__init__.pyi").read_text()
    for name in dir(dg._core):
        f = getattr(dg._core, name)
        if name.startswith("_") or not callable(f) or isinstance(f, type):
            continue
        m = re.search(rf"^def {name}\((.*?)\) ->", stub, re.S | re.M)
        assert m, f"no stub for {name}"
        sig = f.__doc__.splitlines()[0]
        params = [p.split(":")[0].strip() for p in sig[sig.index("(") + 1:sig.rindex(")")].split(",") if ":" in p]
        for p in params:
            assert re.search(rf"\b{p}\b", m.group(1)), f"{name}: parameter {p} missing from the stub"


def test_stub_scalar_draws_are_numpy_scalars_of_the_dtype():
    """Generator.standard_normal / random with size=None return numpy.float64 or numpy.float32 (the stub said
    float, which numpy.float32 is not)."""
    import ast
    tree = ast.parse((pathlib.Path(dg.__file__).resolve().parent / "__init__.pyi").read_text())
    gen = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Generator")
    for name in ("standard_normal", "random"):
        returns = [ast.unparse(f.returns) for f in gen.body if isinstance(f, ast.FunctionDef) and f.name == name]
        assert "float" not in returns and "np.float32" in returns and "np.float64" in returns, returns
        g = dg.Generator(1)
        assert type(getattr(g, name)(dtype=np.float32)) is np.float32
        assert type(getattr(g, name)()) is np.float64
