"""Strided and column-major points matrices: numpy strides go to the C API's _ld functions (no copy), and
F-order arrays, transposes and sliced views give what a C-order copy gives."""
import numpy as np
import pytest

import diaggauss as dg

RNG = np.random.default_rng(1717)


def views(np_, dim, dtype):
    """The same (np_, dim) matrix as a C array, an F array, a row-sliced view of a wider C array, a column-sliced
    view of an F array, and a transpose."""
    base = RNG.normal(0, 2, size=(np_, dim)).astype(dtype)
    wide = np.zeros((np_, dim + 4), dtype)
    wide[:, 2:2 + dim] = base
    tall = np.asfortranarray(np.zeros((np_ + 3, dim), dtype))
    tall[1:1 + np_] = base
    return base, {
        "F": np.asfortranarray(base),
        "row-view": wide[:, 2:2 + dim],
        "F-view": tall[1:1 + np_],
        "transpose": np.ascontiguousarray(base.T).T,
    }


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(1, 1), (5, 3), (300, 7), (2000, 2)])
def test_whiten_and_log_densities_on_every_layout(dtype, shape):
    base, vs = views(*shape, dtype)
    dim = shape[1]
    mean = np.linspace(-1, 1, dim).astype(dtype)
    sd = np.linspace(0.5, 2, dim).astype(dtype)
    var = sd * sd
    w = np.array([0.3, 0.7], dtype)
    means = np.stack([mean, -mean])
    vars_ = np.stack([var, var * 2])
    z_ref = dg.whiten(base, mean, sd)
    lp_ref = dg.diag_logpdf(base, mean, var)
    g_ref, c_ref = dg.gmm_logpdf(base, w, means, vars_, return_component_logpdf=True)
    tol = dict(rtol=1e-13, atol=1e-13) if dtype == np.float64 else dict(rtol=2e-6, atol=1e-4)
    for name, X in vs.items():
        assert not X.flags.c_contiguous or shape[0] == 1 or shape[1] == 1, name
        z = dg.whiten(X, mean, sd)
        np.testing.assert_array_equal(z, z_ref, err_msg=name)
        np.testing.assert_allclose(dg.diag_logpdf(X, mean, var), lp_ref, **tol, err_msg=name)
        g, c = dg.gmm_logpdf(X, w, means, vars_, return_component_logpdf=True)
        np.testing.assert_allclose(g, g_ref, **tol, err_msg=name)
        np.testing.assert_allclose(c, c_ref, **tol, err_msg=name)
        _, resp = dg.gmm_logpdf(X, w, means, vars_, return_resp=True)
        np.testing.assert_allclose(resp.sum(axis=1), 1, rtol=1e-5)


def test_whiten_keeps_the_memory_order_and_writes_strided_out_in_place():
    base, vs = views(40, 6, np.float64)
    mean, sd = np.zeros(6), np.full(6, 2.0)
    Z = dg.whiten(vs["F"], mean, sd)
    assert Z.flags.f_contiguous  # like numpy's ufuncs (order='K')
    ref = dg.whiten(base, mean, sd)
    big = np.full((40, 10), -7.0)
    out = big[:, 3:9]
    assert dg.whiten(vs["row-view"], mean, sd, out=out) is out
    np.testing.assert_array_equal(out, ref)
    assert np.all(big[:, :3] == -7) and np.all(big[:, 9:] == -7)
    fout = np.asfortranarray(np.empty((40, 6)))
    dg.whiten(base, mean, sd, out=fout)  # C input, F output: one layout per call, X converted
    np.testing.assert_array_equal(fout, ref)
    X = vs["F"].copy(order="F")
    dg.whiten(X, mean, sd, out=X)  # in place, Fortran order
    np.testing.assert_array_equal(X, ref)
    with pytest.raises(TypeError, match="contiguous"):
        dg.whiten(base, mean, sd, out=np.empty((80, 12))[::2, ::2])


def test_samplers_fill_strided_and_fortran_out_with_the_c_order_values():
    mean, sd = np.array([1.0, -1.0, 3.0]), np.array([0.5, 1.0, 2.0])
    ref = dg.sample_diag(50, mean, sd, seed=4, stream=2, offset=9)
    fout = np.asfortranarray(np.empty((50, 3)))
    assert dg.sample_diag(50, mean, sd, seed=4, stream=2, offset=9, out=fout) is fout
    np.testing.assert_array_equal(fout, ref)
    big = np.zeros((50, 8))
    dg.sample_diag(50, mean, variances=sd * sd, seed=4, stream=2, offset=9, out=big[:, 2:5])
    np.testing.assert_array_equal(big[:, 2:5], ref)
    w, means, sds = np.array([0.5, 0.5]), np.stack([mean, -mean]), np.stack([sd, sd])
    pts, lab = dg.sample_gmm(50, w, means, sds, seed=8)
    fpts = np.asfortranarray(np.empty((50, 3)))
    _, flab = dg.sample_gmm(50, w, means, sds, seed=8, out=fpts)
    np.testing.assert_array_equal(fpts, pts)
    np.testing.assert_array_equal(flab, lab)


def test_eigen_like_column_major_gives_the_c_order_answer():
    """The issue's example: a column-major buffer read as row-major gave -7.76 where -4.26 is right."""
    X = np.array([[0.5, -1.0, 2.0], [1.0, 0.0, -0.5]])
    mean, var = np.zeros(3), np.ones(3)
    expect = -0.5 * (X ** 2).sum(axis=1) - 1.5 * np.log(2 * np.pi)
    np.testing.assert_allclose(dg.diag_logpdf(np.asfortranarray(X), mean, var), expect, rtol=1e-14)
