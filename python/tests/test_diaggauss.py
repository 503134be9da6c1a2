"""Tests of the diaggauss Python module: results against numpy / scipy references, errors, dtype rules, in-place
output.  Run by ctest (test `python`): PYTHONPATH=<build>/python /usr/bin/python3 -m pytest -q python/tests"""
import pickle

import numpy as np
import pytest

import diaggauss as dg

RNG = np.random.default_rng(20240611)
F32_TOL = dict(rtol=2e-6, atol=1e-4)  # the library's float contract for log-densities


def diag(n, dtype=np.float64):
    """A diagonal with mixed signs and magnitudes, never zero."""
    d = RNG.uniform(0.25, 4.0, n) * RNG.choice([-1.0, 1.0], n)
    return d.astype(dtype)


# ---- module, dispatcher -------------------------------------------------------------------------------------------
KERNELS = ["solve_diag", "reciprocal", "solve_diag_inv", "solve_diag_multi", "whiten", "diag_logpdf", "gmm_logpdf",
           "uniform_u32", "uniform", "normal", "sample_diag", "sample_gmm"]


def test_info_and_version():
    info = dg.info()
    assert info["version"] == dg.version() == dg.__version__ == info["header_version"]
    assert [int(p) for p in info["version"].split(".")] and len(info["version"].split(".")) == 3
    assert dg.stream_version() == 2  # docs/random-stream.md: bumped only with a CHANGELOG entry
    assert sorted(info["kernels"]) == sorted(KERNELS)
    for kernel, where in info["kernels"].items():
        isa, family = where.split("/")
        assert isa in ("scalar", "sse4", "avx2", "avx512", "neon"), where
        assert family in ("intrinsics", "highway", "xsimd", "scalar"), where
        assert dg.active(kernel) == where


def test_force_isa_and_impl():
    try:
        dg.force_impl("auto")  # a DIAGGAUSS_IMPL family from the environment may have no scalar implementation
        dg.force_isa("scalar")
        assert dg.active("solve_diag").startswith("scalar/")
        assert all(v.startswith("scalar/") for v in dg.info()["kernels"].values())
        d, b = diag(100), RNG.normal(size=100)
        np.testing.assert_array_equal(dg.solve_diag(d, b), np.divide(b, d))
        dg.force_impl("scalar")
        assert dg.active("normal") == "scalar/scalar"
    finally:
        dg.force_isa("auto")
        dg.force_impl("auto")
    with pytest.raises(dg.Error) as e:
        dg.force_isa("pentium-mmx")
    assert e.value.status == dg.E_UNKNOWN_NAME and "pentium-mmx" in str(e.value)
    with pytest.raises(dg.Error) as e:
        dg.force_impl("cuda")
    assert e.value.status == dg.E_UNKNOWN_NAME
    with pytest.raises(dg.Error) as e:
        dg.active("no_such_kernel")
    assert e.value.status == dg.E_UNKNOWN_NAME


def test_load_profile_errors(tmp_path):
    with pytest.raises(dg.Error) as e:
        dg.load_profile(tmp_path / "missing.json")
    assert e.value.status == dg.E_PROFILE
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    with pytest.raises(dg.Error) as e:
        dg.load_profile(str(bad))
    assert e.value.status == dg.E_PROFILE
    # The dispatcher still works after a refused profile.
    assert "/" in dg.active("solve_diag")


# ---- solve family: exact equality with numpy ------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n", [0, 1, 7, 64, 1000, 4099])
def test_solve_family_exact(dtype, n):
    d = diag(n, dtype)
    b = RNG.normal(size=n).astype(dtype)
    x = dg.solve_diag(d, b)
    assert x.dtype == dtype and x.shape == (n,)
    np.testing.assert_array_equal(x, np.divide(b, d))
    inv = dg.reciprocal(d)
    assert inv.dtype == dtype
    np.testing.assert_array_equal(inv, np.divide(dtype(1), d))
    np.testing.assert_array_equal(dg.solve_diag_inv(inv, b), np.multiply(b, inv))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_solve_diag_multi_exact(dtype):
    n, nrhs = 333, 5
    d = diag(n, dtype)
    B = RNG.normal(size=(n, nrhs)).astype(dtype)
    X = dg.solve_diag_multi(d, B)
    assert X.dtype == dtype and X.shape == (n, nrhs)
    np.testing.assert_array_equal(X, B * np.divide(dtype(1), d)[:, None])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_whiten_exact(dtype):
    X = RNG.normal(3.0, 2.0, size=(257, 9)).astype(dtype)
    mean = RNG.normal(size=9).astype(dtype)
    sd = RNG.uniform(0.5, 3.0, 9).astype(dtype)
    Z = dg.whiten(X, mean, sd)
    assert Z.dtype == dtype
    np.testing.assert_array_equal(Z, np.divide(X - mean, sd))


def test_dtype_rules():
    d32, b32 = diag(10, np.float32), RNG.normal(size=10).astype(np.float32)
    assert dg.solve_diag(d32, b32).dtype == np.float32
    # Mixed float32 / float64 -> float64, computed on the float64 values of the inputs.
    x = dg.solve_diag(d32, b32.astype(np.float64))
    assert x.dtype == np.float64
    np.testing.assert_array_equal(x, np.divide(b32.astype(np.float64), d32.astype(np.float64)))
    # Lists and integer arrays are converted (float64).
    x = dg.solve_diag([1, 2, 4], np.array([1, 1, 1]))
    assert x.dtype == np.float64
    np.testing.assert_array_equal(x, [1.0, 0.5, 0.25])
    assert dg.normal(3, seed=1, dtype=np.float32).dtype == np.float32
    assert dg.normal(3, seed=1, dtype="float64").dtype == np.float64
    assert dg.uniform(3, seed=1, dtype=np.float32).dtype == np.float32
    with pytest.raises(TypeError):
        dg.normal(3, seed=1, dtype=np.int32)


def test_non_contiguous_inputs_are_converted():
    d = diag(40)
    b = RNG.normal(size=80)
    # Strided b (converted once), Fortran-order X, big-endian input.
    np.testing.assert_array_equal(dg.solve_diag(d, b[::2]), np.divide(b[::2], d))
    X = np.asfortranarray(RNG.normal(size=(30, 4)))
    mean, sd = np.zeros(4), np.full(4, 2.0)
    np.testing.assert_array_equal(dg.whiten(X, mean, sd), X / 2.0)
    dbe = d.astype(">f8")
    np.testing.assert_array_equal(dg.solve_diag(dbe, b[:40]), np.divide(b[:40], d))


# ---- in place: out= is written, never copied -----------------------------------------------------------------------
def test_out_is_written_in_place():
    d, b = diag(500), RNG.normal(size=500)
    out = np.empty(500)
    r = dg.solve_diag(d, b, out=out)
    assert r is out
    np.testing.assert_array_equal(out, np.divide(b, d))
    # out may be b itself (x == b is allowed by the C API): b is overwritten.
    b2 = b.copy()
    r = dg.solve_diag(d, b2, out=b2)
    assert r is b2
    np.testing.assert_array_equal(b2, np.divide(b, d))
    # reciprocal in place, float32
    d32 = diag(100, np.float32)
    keep = d32.copy()
    assert dg.reciprocal(d32, out=d32) is d32
    np.testing.assert_array_equal(d32, np.float32(1) / keep)
    # whiten in place
    X = RNG.normal(size=(20, 3))
    X0 = X.copy()
    assert dg.whiten(X, np.ones(3), np.full(3, 0.5), out=X) is X
    np.testing.assert_array_equal(X, (X0 - 1.0) / 0.5)
    # diag_logpdf into a preallocated buffer
    lp = np.zeros(20)
    assert dg.diag_logpdf(X0, np.zeros(3), np.ones(3), out=lp) is lp
    assert np.all(lp < 0)


def test_solve_diag_multi_row_strided_in_place():
    # B is a view with contiguous rows and a longer row stride: used without a copy, and out=B writes into the
    # parent array, leaving the other columns alone.
    n = 50
    big = RNG.normal(size=(n, 8))
    ref = big.copy()
    B = big[:, 2:5]
    assert not B.flags.c_contiguous
    d = diag(n)
    r = dg.solve_diag_multi(d, B, out=B)
    assert r is B
    np.testing.assert_array_equal(big[:, 2:5], ref[:, 2:5] * (1.0 / d)[:, None])
    np.testing.assert_array_equal(big[:, :2], ref[:, :2])
    np.testing.assert_array_equal(big[:, 5:], ref[:, 5:])
    # Column-strided input (not row-contiguous): converted once, same result.
    Bt = np.asfortranarray(ref[:, 2:5])
    np.testing.assert_array_equal(dg.solve_diag_multi(d, Bt), ref[:, 2:5] * (1.0 / d)[:, None])


def test_bad_out_arrays():
    d, b = diag(10), RNG.normal(size=10)
    with pytest.raises(TypeError, match="dtype"):
        dg.solve_diag(d, b, out=np.empty(10, np.float32))
    with pytest.raises(dg.Error, match="shape"):
        dg.solve_diag(d, b, out=np.empty(11))
    ro = np.empty(10)
    ro.flags.writeable = False
    with pytest.raises(TypeError, match="read-only"):
        dg.solve_diag(d, b, out=ro)
    with pytest.raises(TypeError, match="contiguous"):
        dg.solve_diag(d, b, out=np.empty(20)[::2])
    with pytest.raises(TypeError):
        dg.solve_diag(d, b, out=[0.0] * 10)


# ---- errors -----------------------------------------------------------------------------------------------------------
def test_zero_diagonal_raises_and_writes_nothing():
    d = np.array([1.0, 2.0, 0.0, 4.0])
    b = np.ones(4)
    out = np.full(4, -7.0)
    with pytest.raises(dg.Error) as e:
        dg.solve_diag(d, b, out=out)
    err = e.value
    assert isinstance(err, ValueError)
    assert err.status == dg.E_SINGULAR
    assert err.index == 2
    assert "d[2]" in str(err)
    np.testing.assert_array_equal(out, -7.0)
    with pytest.raises(dg.Error, match=r"d\[2\]"):
        dg.reciprocal(d)
    with pytest.raises(dg.Error, match=r"d\[2\]"):
        dg.solve_diag_multi(d, np.ones((4, 3)))
    with pytest.raises(ValueError):  # catchable as a plain ValueError
        dg.solve_diag(d.astype(np.float32), b.astype(np.float32))


def test_other_library_errors():
    with pytest.raises(dg.Error) as e:
        dg.solve_diag(np.array([1.0, np.nan]), np.ones(2))
    assert e.value.status == dg.E_NON_FINITE and e.value.index == 1
    with pytest.raises(dg.Error) as e:
        dg.diag_logpdf(np.zeros((2, 2)), np.zeros(2), np.array([1.0, -1.0]))
    assert e.value.status == dg.E_INVALID_ARGUMENT
    with pytest.raises(dg.Error) as e:
        dg.whiten(np.zeros((2, 2)), np.zeros(2), np.array([1.0, 0.0]))
    assert e.value.status == dg.E_INVALID_ARGUMENT
    with pytest.raises(dg.Error) as e:
        dg.gmm_logpdf(np.zeros((2, 2)), np.array([0.5, -0.1]), np.zeros((2, 2)), np.ones((2, 2)))
    assert e.value.status == dg.E_BAD_WEIGHTS
    with pytest.raises(dg.Error, match="positive") as e:
        dg.gmm_logpdf(np.zeros((2, 2)), np.array([0.0, 0.0]), np.zeros((2, 2)), np.ones((2, 2)))
    assert e.value.status == dg.E_BAD_WEIGHTS
    with pytest.raises(dg.Error) as e:
        dg.sample_diag(3, np.zeros(2), np.array([1.0, -1.0]), seed=1)
    assert e.value.status == dg.E_INVALID_ARGUMENT


def test_shape_errors():
    with pytest.raises(dg.Error, match="shape") as e:
        dg.solve_diag(np.ones(3), np.ones(4))
    assert e.value.status == dg.E_INVALID_ARGUMENT
    with pytest.raises(dg.Error, match="1-D"):
        dg.solve_diag(np.ones((2, 2)), np.ones((2, 2)))
    with pytest.raises(dg.Error, match="rows"):
        dg.solve_diag_multi(np.ones(3), np.ones((4, 2)))
    with pytest.raises(dg.Error, match="2-D"):
        dg.diag_logpdf(np.ones(3), np.ones(3), np.ones(3))
    with pytest.raises(dg.Error, match="means"):
        dg.gmm_logpdf(np.ones((2, 3)), np.array([1.0]), np.ones((1, 2)), np.ones((1, 3)))


def test_error_pickles_with_status():
    with pytest.raises(dg.Error) as e:
        dg.solve_diag(np.zeros(1), np.ones(1))
    again = pickle.loads(pickle.dumps(e.value))
    assert type(again) is dg.Error and again.status == dg.E_SINGULAR and str(again) == str(e.value)
    assert issubclass(dg.Error, ValueError) and dg.Error.__module__ == "diaggauss"


# ---- log-densities against scipy ---------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_diag_logpdf_matches_scipy(dtype):
    stats = pytest.importorskip("scipy.stats")
    dim, npts = 6, 300
    mean = RNG.normal(size=dim)
    var = RNG.uniform(0.2, 5.0, dim)
    X = RNG.normal(mean, np.sqrt(var) * 2, size=(npts, dim))
    X, mean, var = X.astype(dtype), mean.astype(dtype), var.astype(dtype)
    got = dg.diag_logpdf(X, mean, var)
    assert got.dtype == dtype and got.shape == (npts,)
    X64, m64, v64 = X.astype(np.float64), mean.astype(np.float64), var.astype(np.float64)
    ref_mvn = stats.multivariate_normal(m64, np.diag(v64)).logpdf(X64)
    ref_norm = stats.norm.logpdf(X64, loc=m64, scale=np.sqrt(v64)).sum(axis=1)
    tol = dict(rtol=1e-12, atol=1e-12) if dtype == np.float64 else F32_TOL
    np.testing.assert_allclose(got, ref_norm, **tol)
    np.testing.assert_allclose(got, ref_mvn, **tol)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gmm_logpdf_matches_scipy(dtype):
    stats = pytest.importorskip("scipy.stats")
    special = pytest.importorskip("scipy.special")
    k, dim, npts = 4, 3, 200
    w = RNG.dirichlet(np.ones(k))
    w[1] = 0.0  # a zero weight is allowed
    w /= w.sum()
    means = RNG.normal(0, 3, size=(k, dim))
    vars_ = RNG.uniform(0.3, 2.0, size=(k, dim))
    X = RNG.normal(0, 3, size=(npts, dim))
    w, means, vars_, X = (a.astype(dtype) for a in (w, means, vars_, X))
    out, resp, comp_lp = dg.gmm_logpdf(X, w, means, vars_, return_resp=True, return_component_logpdf=True)
    assert out.dtype == dtype and out.shape == (npts,) and resp.shape == comp_lp.shape == (npts, k)
    out2 = dg.gmm_logpdf(X, w, means, vars_)
    np.testing.assert_array_equal(out, out2)
    X64 = X.astype(np.float64)
    comp = np.stack([stats.multivariate_normal(means[c].astype(np.float64),
                                               np.diag(vars_[c].astype(np.float64))).logpdf(X64)
                     for c in range(k)], axis=1)
    w64 = w.astype(np.float64) / w.astype(np.float64).sum()  # the library normalises the weights
    with np.errstate(divide="ignore"):
        weighted = comp + np.log(w64)
    ref = special.logsumexp(weighted, axis=1)
    tol = dict(rtol=1e-12, atol=1e-12) if dtype == np.float64 else F32_TOL
    np.testing.assert_allclose(comp_lp, comp, **tol)
    np.testing.assert_allclose(out, ref, **tol)
    # Responsibilities: normalised posteriors (rows sum to 1), zero for the zero-weight component.
    np.testing.assert_allclose(resp, np.exp(weighted - ref[:, None]), rtol=1e-9 if dtype == np.float64 else 1e-4,
                               atol=1e-12 if dtype == np.float64 else 1e-6)
    np.testing.assert_allclose(resp.sum(axis=1), 1.0, rtol=1e-12 if dtype == np.float64 else 1e-5)
    assert np.all(resp[:, 1] == 0)


# ---- sampling --------------------------------------------------------------------------------------------------------
def test_uniform_u32_known_answer():
    # Random123 Philox4x32-10, key 0, counter 0 (= seed 0, stream 0, words 0..3).
    words = dg.uniform_u32(4, seed=0)
    assert words.dtype == np.uint32
    np.testing.assert_array_equal(words, np.array([0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8], np.uint32))


def test_uniform_formulas():
    seed, stream = 123456789, 3
    w = dg.uniform_u32(64, seed=seed, stream=stream).astype(np.uint64)
    u32 = dg.uniform(64, seed=seed, stream=stream, dtype=np.float32)
    np.testing.assert_array_equal(u32, (((w >> np.uint64(9)).astype(np.float64) + 0.5) * 2.0**-23).astype(np.float32))
    a = w[0::2] | (w[1::2] << np.uint64(32))
    u64 = dg.uniform(32, seed=seed, stream=stream)
    np.testing.assert_array_equal(u64, ((a >> np.uint64(12)).astype(np.float64) + 0.5) * 2.0**-52)
    assert np.all((u64 > 0) & (u64 < 1))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_normal_is_index_pure(dtype):
    full = dg.normal(1000, seed=42, stream=7, dtype=dtype)
    assert full.dtype == dtype and full.shape == (1000,)
    np.testing.assert_array_equal(dg.normal(1000, seed=42, stream=7, dtype=dtype), full)
    np.testing.assert_array_equal(dg.normal(100, seed=42, stream=7, offset=333, dtype=dtype), full[333:433])
    assert not np.array_equal(dg.normal(1000, seed=42, stream=8, dtype=dtype), full)
    assert not np.array_equal(dg.normal(1000, seed=43, stream=7, dtype=dtype), full)


def test_normal_statistics():
    stats = pytest.importorskip("scipy.stats")
    z = dg.normal(200_000, seed=2024)
    assert abs(z.mean()) < 0.02 and abs(z.std() - 1.0) < 0.02
    assert stats.kstest(z, "norm").pvalue > 1e-6


def test_sampling_keywords():
    with pytest.raises(TypeError):
        dg.normal(10, 5)  # seed is keyword-only
    with pytest.raises(TypeError):
        dg.normal(10)  # seed is required
    assert dg.uniform_u32(0, seed=1).shape == (0,)
    big = np.iinfo(np.uint64).max
    assert dg.normal(4, seed=big, stream=big, offset=big - 1).shape == (4,)  # wraps modulo 2^64


def test_sample_offsets_that_wrap_are_refused():
    # sample_gmm's offset counts points: with dim 16, point 2^60 would reach normal 2^64 = normal 0 (issue 13).
    w, mu, sd = np.ones(1), np.zeros((1, 16)), np.ones((1, 16))
    with pytest.raises(dg.Error, match="offset"):
        dg.sample_gmm(4, w, mu, sd, seed=1, offset=1 << 60)
    pts, _ = dg.sample_gmm(4, w, mu, sd, seed=1, offset=(1 << 60) - 4)  # the last points that fit
    np.testing.assert_array_equal(pts.ravel(), dg.normal(64, seed=1, offset=(1 << 64) - 64))
    with pytest.raises(dg.Error, match="offset"):
        dg.sample_diag(2, np.zeros(3), np.ones(3), seed=1, offset=np.iinfo(np.uint64).max - 4)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sample_diag_is_scaled_normals(dtype):
    mean = np.array([1.0, -2.0, 0.0, 10.0], dtype)
    sd = np.array([0.5, 2.0, 0.0, 3.0], dtype)
    pts = dg.sample_diag(50, mean, sd, seed=9, stream=2, offset=40)
    assert pts.dtype == dtype and pts.shape == (50, 4)
    z = dg.normal(200, seed=9, stream=2, offset=40, dtype=dtype).reshape(50, 4)
    tol = 1e-14 if dtype == np.float64 else 1e-6
    np.testing.assert_allclose(pts, mean + sd * z, rtol=tol, atol=tol)
    np.testing.assert_array_equal(pts[:, 2], 0.0)


def test_sample_gmm():
    w = np.array([0.2, 0.8])
    means = np.array([[-10.0, 0.0], [10.0, 5.0]])
    sds = np.full((2, 2), 0.1)
    pts, labels = dg.sample_gmm(5000, w, means, sds, seed=77)
    assert pts.shape == (5000, 2) and labels.shape == (5000,) and labels.dtype == np.uint32
    assert set(np.unique(labels)) <= {0, 1}
    np.testing.assert_array_less(np.abs(pts - means[labels]), 1.0)
    assert 0.77 < labels.mean() < 0.83
    # offset counts points: the tail of a longer draw.
    pts2, labels2 = dg.sample_gmm(1000, w, means, sds, seed=77, offset=4000)
    np.testing.assert_array_equal(labels2, labels[4000:])
    np.testing.assert_array_equal(pts2, pts[4000:])
    p32, l32 = dg.sample_gmm(10, w.astype(np.float32), means.astype(np.float32), sds.astype(np.float32), seed=77)
    assert p32.dtype == np.float32
    np.testing.assert_array_equal(l32, labels[:10])


def test_threads_share_the_module():
    # Kernels run with the GIL released; concurrent calls give the same results as sequential ones.
    from concurrent.futures import ThreadPoolExecutor
    d, b = diag(100_000), RNG.normal(size=100_000)
    ref = np.divide(b, d)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda s: (dg.solve_diag(d, b), dg.normal(10_000, seed=s)), range(8)))
    for x, z in results:
        np.testing.assert_array_equal(x, ref)
    for s, (_, z) in enumerate(results):
        np.testing.assert_array_equal(z, dg.normal(10_000, seed=s))
