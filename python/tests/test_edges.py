"""Edges of the Python module (issue 15): out= overlapping an input, integer arguments, names and paths.
Each test failed before: overlapping out= gave implementation-dependent garbage, bad integers gave pybind11's
"incompatible function arguments", a surrogate-escaped path raised RuntimeError("Unable to cast"), and NUL bytes
were silently cut (force_isa('avx2\\x00junk') succeeded)."""
import os
import pathlib

import numpy as np
import pytest

import diaggauss as dg

RNG = np.random.default_rng(15)


# ---- out= overlapping an input -----------------------------------------------------------------------------------
def test_solve_diag_out_overlapping_b_is_buffered():
    base = RNG.uniform(1, 2, 1001)
    d = RNG.uniform(0.5, 2, 1000)
    want = base[:1000] / d
    out = base[1:]  # out[i] is b[i + 1]: a partial overlap, shifted by one element
    got = dg.solve_diag(d, base[:1000], out=out)
    assert got is out
    np.testing.assert_array_equal(out, want)


def test_solve_diag_out_overlapping_d_is_buffered():
    buf = RNG.uniform(1, 2, 1003)
    d, b = buf[3:].copy(), RNG.uniform(-1, 1, 1000)
    buf[3:] = d
    want = b / d
    dg.solve_diag(buf[3:], b, out=buf[:1000])
    np.testing.assert_array_equal(buf[:1000], want)


def test_documented_alias_still_in_place():
    b = RNG.uniform(-1, 1, 257)
    d = RNG.uniform(0.5, 2, 257)
    want = b / d
    assert dg.solve_diag(d, b, out=b) is b
    np.testing.assert_array_equal(b, want)


def test_whiten_out_overlapping_mean_is_buffered():
    X = RNG.normal(size=(64, 8))
    buf = np.empty(64 * 8 + 8)
    mean, sd = RNG.normal(size=8), RNG.uniform(0.5, 2, 8)
    buf[:8] = mean
    want = (X - mean) / sd
    out = buf[:512].reshape(64, 8)  # out's first row is where mean lives
    dg.whiten(X, buf[:8], sd, out=out)
    np.testing.assert_allclose(out, want, rtol=0, atol=0)


def test_diag_logpdf_out_overlapping_x_is_buffered():
    X = RNG.normal(size=(100, 4))
    mean, var = np.zeros(4), np.ones(4)
    want = dg.diag_logpdf(X.copy(), mean, var)
    flat = X.reshape(-1)
    got = dg.diag_logpdf(X, mean, var, out=flat[:100])  # out overwrites the first 25 points as it goes
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-12)


def test_solve_diag_multi_out_overlapping_b_is_buffered():
    d = RNG.uniform(0.5, 2, 16)
    big = RNG.normal(size=(17, 8))
    B = big[:16]
    want = B * (1.0 / d)[:, None]  # the documented reciprocal-and-multiply
    out = big[1:]  # rows shifted by one
    dg.solve_diag_multi(d, B, out=out)
    np.testing.assert_array_equal(out, want)


def test_sample_diag_mean_or_stddev_a_row_of_out_is_read_first():
    buf = np.zeros((2, 3))
    buf[0] = [10, 20, 30]
    got = dg.sample_diag(2, buf[0], np.zeros(3), seed=1, out=buf)
    assert got is buf
    np.testing.assert_array_equal(buf, [[10, 20, 30], [10, 20, 30]])
    sd = np.array([0.5, 2.0, 3.0])
    want = dg.sample_diag(4, np.ones(3), sd, seed=2)
    buf = np.empty((4, 3))
    buf[3] = sd  # the last row: read after the first three are written
    dg.sample_diag(4, np.ones(3), buf[3], seed=2, out=buf)
    np.testing.assert_array_equal(buf, want)
    buf = np.empty((4, 3), order="F")  # Fortran-order out (the _ld path) and variances=
    buf[:3, 0] = sd ** 2
    np.testing.assert_array_equal(dg.sample_diag(4, np.ones(3), variances=buf[:3, 0], seed=2, out=buf), want)


@pytest.mark.parametrize("which", ["weights", "means", "stddevs"])
def test_sample_gmm_inputs_overlapping_out_are_read_first(which):
    w, M, S = np.array([0.25, 0.75]), np.array([[0.0, 0, 0], [10, 10, 10]]), np.array([[1.0, 2, 3], [0.5, 0.5, 0.5]])
    want, want_labels = dg.sample_gmm(6, w, M, S, seed=3)
    out = np.empty((6, 3))
    args = {"weights": w, "means": M, "stddevs": S}
    flat = out.reshape(-1)
    flat[-args[which].size:] = args[which].ravel()  # the input lives in out's last elements
    args[which] = flat[-args[which].size:].reshape(args[which].shape)
    got, labels = dg.sample_gmm(6, args["weights"], args["means"], args["stddevs"], seed=3, out=out)
    assert got is out
    np.testing.assert_array_equal(out, want)
    np.testing.assert_array_equal(labels, want_labels)


def test_sample_gmm_inputs_overlapping_labels_out_are_read_first():
    w, M, S = np.array([0.5, 0.5]), np.array([[0.0, 1.0], [10.0, 11.0]]), np.ones((2, 2))
    n = 4096
    want, want_labels = dg.sample_gmm(n, w, M, S, seed=4)
    raw = np.zeros(n, np.uint32)
    means = raw[n - 8:].view(np.float64).reshape(2, 2)  # means in the last labels' memory
    means[:] = M
    weights = raw[:4].view(np.float64)  # weights in the first labels'
    weights[:] = w
    pts, labels = dg.sample_gmm(n, weights, means, S, seed=4, labels_out=raw)
    assert labels is raw
    np.testing.assert_array_equal(labels, want_labels)
    np.testing.assert_array_equal(pts, want)


def test_sample_gmm_labels_out_overlapping_out_is_refused():
    # The audit's crash: labels written into the points, then points read as component indices (SIGSEGV).
    w, M, S = np.array([0.5, 0.5]), np.array([[0.0, 0, 0], [10, 10, 10]]), np.ones((2, 3))
    buf = np.zeros((4, 3))
    with pytest.raises(dg.Error, match="labels_out and out overlap") as e:
        dg.sample_gmm(4, w, M, S, seed=1, out=buf, labels_out=buf.view(np.uint32).ravel()[:4])
    assert isinstance(e.value, ValueError) and e.value.status == dg.E_INVALID_ARGUMENT
    assert not buf.any()  # nothing written
    with pytest.raises(dg.Error, match="labels_out and out overlap"):
        dg.sample_gmm(4, w, M, S, seed=1, out=buf, labels_out=buf.view(np.uint32)[3, 2:])


# ---- inputs numpy cannot convert ---------------------------------------------------------------------------------
@pytest.mark.parametrize("call, where", [
    (lambda: dg.solve_diag(np.array([1, "a", 2], dtype=object), np.ones(3)), "solve_diag: d "),
    (lambda: dg.solve_diag("abc", np.ones(3)), "solve_diag: d "),
    (lambda: dg.solve_diag([1, [2]], [1, 1]), "solve_diag: d "),
    (lambda: dg.solve_diag(np.ones(2), [1, [2]]), "solve_diag: b "),
    (lambda: dg.whiten(np.array([[1, "a"]], dtype=object), [0, 0], [1, 1]), "whiten: X "),
    (lambda: dg.gmm_logpdf(np.zeros((2, 1)), [1.0], [["x"]], [[1.0]]), "gmm_logpdf: means "),
    (lambda: dg.sample_diag(2, ["m"], [1.0], seed=1), "sample_diag: mean "),
])
def test_unconvertible_input_names_function_and_argument(call, where):
    # Before: RuntimeError("Internal error: pybind11::error_already_set called while Python error indicator not set")
    with pytest.raises(TypeError, match=where + "must be an array of real numbers"):
        call()


# ---- sizes -------------------------------------------------------------------------------------------------------
def test_zero_d_integer_array_is_a_size():
    np.testing.assert_array_equal(dg.normal(np.array(3), seed=1), dg.normal(3, seed=1))
    assert dg.uniform(np.array(4, dtype=np.uint8), seed=1).shape == (4,)
    assert dg.uniform_u32(np.array([2, 3]), seed=1).shape == (2, 3)
    with pytest.raises(TypeError, match="normal: n must be an integer"):
        dg.normal(np.array(3.0), seed=1)


# ---- integer arguments -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, arg", [
    (dict(n=-1, seed=1), "n"),
    (dict(n=4, seed=-1), "seed"),
    (dict(n=4, seed=1, stream=-5), "stream"),
    (dict(n=4, seed=1, offset=2**64), "offset"),
    (dict(n=4, seed=2**70), "seed"),
])
def test_integer_out_of_range_names_argument(kwargs, arg):
    n = kwargs.pop("n")
    with pytest.raises(dg.Error) as e:
        dg.normal(n, **kwargs)
    assert f"normal: {arg} = " in str(e.value)
    assert e.value.status == dg.E_INVALID_ARGUMENT


@pytest.mark.parametrize("fn", ["normal", "uniform", "uniform_u32"])
def test_integer_wrong_type_names_argument(fn):
    with pytest.raises(TypeError, match=f"{fn}: seed must be an integer, got float"):
        getattr(dg, fn)(4, seed=1.5)
    with pytest.raises(TypeError, match=f"{fn}: n must be an integer, got str"):
        getattr(dg, fn)("4", seed=1)


def test_integer_numpy_and_index_types_accepted():
    a = dg.normal(np.int64(5), seed=np.uint64(2**64 - 1), stream=np.int32(3), offset=np.uint8(7))
    b = dg.normal(5, seed=2**64 - 1, stream=3, offset=7)
    np.testing.assert_array_equal(a, b)


def test_sampling_npoints_validated():
    with pytest.raises(dg.Error, match="sample_diag: npoints = -3 is negative"):
        dg.sample_diag(-3, [0.0], [1.0], seed=1)
    with pytest.raises(dg.Error, match="sample_gmm: offset = -1 is negative"):
        dg.sample_gmm(3, [1.0], [[0.0]], [[1.0]], seed=1, offset=-1)


# ---- names and paths ---------------------------------------------------------------------------------------------
def test_nul_byte_in_name_refused():
    with pytest.raises(dg.Error, match="force_isa: isa contains a NUL byte"):
        dg.force_isa("scalar\x00junk")
    with pytest.raises(dg.Error, match="force_impl: family contains a NUL byte"):
        dg.force_impl("scalar\x00junk")
    with pytest.raises(dg.Error, match="active: kernel contains a NUL byte"):
        dg.active("normal\x00junk")
    with pytest.raises(TypeError, match="force_isa: isa must be a str"):
        dg.force_isa(3)


def test_nul_byte_in_path_refused():
    with pytest.raises(dg.Error, match="load_profile: path contains a NUL byte"):
        dg.load_profile("/tmp/x\x00y.json")
    with pytest.raises(dg.Error, match="load_profile: path contains a NUL byte"):
        dg.load_profile(b"/tmp/x\x00y.json")
    with pytest.raises(TypeError, match="load_profile: path must be str, bytes or os.PathLike"):
        dg.load_profile(12)


@pytest.mark.parametrize("kind", ["str", "bytes", "pathlike"])
def test_paths_with_surrogate_escapes_reach_the_file(tmp_path, kind):
    # A file name that is not valid UTF-8: Python sees it as a str with a surrogate escape.
    raw = os.fsencode(str(tmp_path)) + b"/profile-\xff.json"
    with open(raw, "wb") as f:
        f.write(b"{ not json")
    path = {"str": os.fsdecode(raw), "bytes": raw, "pathlike": pathlib.Path(os.fsdecode(raw))}[kind]
    # The library opens the file and reports it as a bad profile: the path arrived intact (no "Unable to cast",
    # no "cannot open").
    with pytest.raises(dg.Error) as e:
        dg.load_profile(path)
    assert e.value.status == dg.E_PROFILE, str(e.value)
    assert "no file at" not in str(e.value), str(e.value)


def test_status_nomem_exported():
    assert dg.E_NOMEM == -12
    assert dg.status_string(dg.E_NOMEM) == "out of memory"


def test_library_errors_name_the_python_function_not_the_c_one():
    # The library's messages start with the C function ("dg_diag_logpdf_ld_f64: var[0] ..."); a Python caller
    # called diag_logpdf, so the message says that.
    cases = [
        ("diag_logpdf", lambda: dg.diag_logpdf(np.zeros((2, 2)), [0, 0], [0, 1])),
        ("gmm_logpdf", lambda: dg.gmm_logpdf(np.zeros((2, 1)), [1, 1], [[0], [1]], [[1], [0]])),
        ("sample_gmm", lambda: dg.sample_gmm(3, [1, -1], [[0], [1]], [[1], [1]], seed=1)),
        ("sample_diag", lambda: dg.sample_diag(3, [0.0], [-1.0], seed=1)),
        ("solve_diag", lambda: dg.solve_diag([1.0, 0.0], [1.0, 1.0])),
        ("force_isa", lambda: dg.force_isa("bogus")),
    ]
    for name, f in cases:
        with pytest.raises(dg.Error) as e:
            f()
        assert str(e.value).startswith(name + ": "), str(e.value)
        assert "dg_" not in str(e.value), str(e.value)
