"""One parameter convention: a fitted scikit-learn GaussianMixture(covariance_type='diag') scores and samples with
its own attributes, unconverted (weights_, means_, covariances_ = variances)."""
import numpy as np
import pytest

import diaggauss as dg

mixture = pytest.importorskip("sklearn.mixture", reason="scikit-learn not installed (Debian: python3-sklearn): "
                                                        "the GaussianMixture comparison is skipped")


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(17)
    centres = np.array([[-4.0, 0.0, 1.0], [3.0, 2.0, -1.0], [0.0, -5.0, 4.0]])
    X = np.concatenate([c + rng.normal(0, s, size=(300, 3)) for c, s in zip(centres, (0.5, 1.0, 1.5))])
    gm = mixture.GaussianMixture(n_components=3, covariance_type="diag", random_state=0).fit(X)
    return gm, X


def test_scores_and_responsibilities_equal_sklearn(fitted):
    gm, X = fitted
    out, resp = dg.gmm_logpdf(X, gm.weights_, gm.means_, gm.covariances_, return_resp=True)
    np.testing.assert_allclose(out, gm.score_samples(X), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(resp, gm.predict_proba(X), rtol=1e-8, atol=1e-12)


def test_float32_rounded_weights_are_normalised(fitted):
    gm, X = fitted
    w32 = gm.weights_.astype(np.float32)
    args = [a.astype(np.float32) for a in (X, gm.means_, gm.covariances_)]
    out = dg.gmm_logpdf(args[0], w32, args[1], args[2])
    np.testing.assert_allclose(out, gm.score_samples(X), rtol=2e-5, atol=2e-4)
    # Unnormalised weights (counts) give the same mixture as their normalised form.
    np.testing.assert_allclose(dg.gmm_logpdf(X, gm.weights_ * 900, gm.means_, gm.covariances_),
                               dg.gmm_logpdf(X, gm.weights_, gm.means_, gm.covariances_), rtol=1e-14, atol=1e-13)


def test_samples_with_covariances_unconverted(fitted):
    gm, _ = fitted
    n = 60000
    pts, labels = dg.sample_gmm(n, gm.weights_, gm.means_, variances=gm.covariances_, seed=5)
    # The same numbers as the stddev form with sqrt(covariances_): variances= is only the other convention.
    ref, ref_labels = dg.sample_gmm(n, gm.weights_, gm.means_, np.sqrt(gm.covariances_), seed=5)
    np.testing.assert_array_equal(pts, ref)
    np.testing.assert_array_equal(labels, ref_labels)
    freq = np.bincount(labels, minlength=3) / n
    np.testing.assert_allclose(freq, gm.weights_, atol=4 * np.sqrt(0.25 / n))
    for k in range(3):
        sel = pts[labels == k]
        se = np.sqrt(gm.covariances_[k] / len(sel))
        assert np.all(np.abs(sel.mean(axis=0) - gm.means_[k]) < 5 * se)
        np.testing.assert_allclose(sel.var(axis=0), gm.covariances_[k], rtol=0.05)
    # The sampled points score under scikit-learn's own model like its own samples do (mean log-likelihood).
    own, _ = gm.sample(20000)
    assert abs(gm.score(pts) - gm.score(own)) < 0.05


def test_sample_diag_variances_keyword():
    mean, var = np.array([1.0, -2.0]), np.array([4.0, 0.25])
    a = dg.sample_diag(5, mean, variances=var, seed=3)
    np.testing.assert_array_equal(a, dg.sample_diag(5, mean, np.sqrt(var), seed=3))
    with pytest.raises(TypeError, match="exactly one"):
        dg.sample_diag(5, mean, np.sqrt(var), variances=var, seed=3)
    with pytest.raises(TypeError, match="exactly one"):
        dg.sample_diag(5, mean, seed=3)
    with pytest.raises(dg.Error, match=r"var\[1\]"):
        dg.sample_diag(5, mean, variances=np.array([1.0, -1.0]), seed=3)
