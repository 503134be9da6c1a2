// The numeric corner-case contract (docs/numerics.md, diaggauss.h "Corner cases") on every implementation the
// CPU can run, through the public API with the implementation forced:
//   - variances / standard deviations that are subnormal (reciprocal overflows) or whose reciprocal is subnormal
//     are refused, naming the argument and index, writing nothing;
//   - variances at the edges of the accepted range give the long-double reference's value;
//   - NaN in X gives NaN (out and resp), +-Inf in X gives -inf, -0 behaves as +0, dim 0 and empty mixtures have
//     one documented result.
// Before issue 15 var = 1e-310 was accepted and gave NaN / -14.1 / 696 / 2115 depending on the implementation,
// and NaN in X gave -inf on scalar but NaN elsewhere.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "diaggauss/diaggauss.h"
#include "tests/impl_fixture.hpp"
#include "tests/logpdf_reference.hpp"
#include "tests/test_util.hpp"

namespace diaggauss::test {
namespace {

template <class T>
long double ref_mixture(std::size_t dim, std::size_t K, const T* x, const T* w, const T* mu, const T* var) {
  long double m = -std::numeric_limits<long double>::infinity();
  std::vector<long double> l(K);
  for (std::size_t k = 0; k < K; ++k) {
    l[k] = std::log((long double)w[k]) + ref_component(dim, x, mu + k * dim, var + k * dim);
    m = std::max(m, l[k]);
  }
  if (std::isinf(m)) return m;
  long double s = 0;
  for (long double v : l) s += std::exp(v - m);
  return m + std::log(s);
}

template <class T> constexpr double kAbsTol = sizeof(T) == 8 ? 1e-12 : 1e-4;
template <class T> constexpr double kRelTol = sizeof(T) == 8 ? 1e-13 : 2e-6;

// `got` against the reference: within the accuracy contract, or -inf where the reference is below T's range.
template <class T>
void expect_matches_ref(T got, long double want, const std::string& what) {
  if (want < -(long double)std::numeric_limits<T>::max()) {
    EXPECT_EQ(got, -std::numeric_limits<T>::infinity()) << what << ": reference " << (double)want;
    return;
  }
  ASSERT_TRUE(std::isfinite(got)) << what << " = " << got << ", want " << (double)want;
  const double tol = kAbsTol<T> + kRelTol<T> * std::fabs((double)want);
  EXPECT_LE(std::fabs((long double)got - want), tol) << what << " = " << got << ", want " << (double)want;
}

template <class T>
int api_diag(std::size_t np, std::size_t dim, const T* X, const T* mu, const T* var, T* out) {
  if constexpr (sizeof(T) == 8) return dg_diag_logpdf_f64(np, dim, X, mu, var, out);
  else return dg_diag_logpdf_f32(np, dim, X, mu, var, out);
}
template <class T>
int api_gmm(std::size_t np, std::size_t dim, std::size_t K, const T* X, const T* w, const T* mu, const T* var, T* out,
            T* resp) {
  if constexpr (sizeof(T) == 8) return dg_gmm_logpdf_f64(np, dim, K, X, w, mu, var, out, resp);
  else return dg_gmm_logpdf_f32(np, dim, K, X, w, mu, var, out, resp);
}
template <class T>
int api_whiten(std::size_t np, std::size_t dim, const T* X, const T* mu, const T* sd, T* Z) {
  if constexpr (sizeof(T) == 8) return dg_whiten_f64(np, dim, X, mu, sd, Z);
  else return dg_whiten_f32(np, dim, X, mu, sd, Z);
}
template <class T>
int api_sample_diag(std::size_t np, std::size_t dim, const T* mu, const T* sd, T* out) {
  if constexpr (sizeof(T) == 8) return dg_sample_diag_f64(1, 2, 0, np, dim, mu, sd, out);
  else return dg_sample_diag_f32(1, 2, 0, np, dim, mu, sd, out);
}

std::string last() { return dg_last_error(); }

class NumericCorners : public ForcedImplTest {
 protected:
  void SetUp() override {
    ForcedImplTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_STREQ(dg_active("gmm_logpdf"), GetParam()->name);
  }

  // Subnormal and too-large scale parameters are refused by every entry point that takes one.
  template <class T>
  void refuses_bad_scales() {
    const T sub = std::numeric_limits<T>::denorm_min() * 7;  // 1e-310-like: 1/sub overflows
    const T huge = std::numeric_limits<T>::max() / 2;        // > 2^1022 (2^126): 1/huge is subnormal
    const T sentinel = T(-12345);
    // The mixture: X = [0], weights [.5, .5], means [0, 5], vars [sub, 1].
    const T X[1] = {0}, w[2] = {T(0.5), T(0.5)}, mu[2] = {0, 5};
    for (T bad : {sub, huge}) {
      SCOPED_TRACE(testing::Message() << "bad scale " << (double)bad);
      const bool is_sub = bad == sub;
      const T var[2] = {1, bad};
      T out[1] = {sentinel}, resp[2] = {sentinel, sentinel};
      EXPECT_EQ(api_gmm<T>(1, 1, 2, X, w, mu, var, out, resp), DG_E_INVALID_ARGUMENT);
      EXPECT_NE(last().find("vars[1][0]"), std::string::npos) << last();
      EXPECT_NE(last().find(is_sub ? "subnormal" : "too large"), std::string::npos) << last();
      EXPECT_EQ(out[0], sentinel);
      EXPECT_EQ(resp[0], sentinel);
      const T dvar[3] = {1, 1, bad};
      const T dX[3] = {0, 0, 0}, dmu[3] = {0, 0, 0};
      EXPECT_EQ(api_diag<T>(1, 3, dX, dmu, dvar, out), DG_E_INVALID_ARGUMENT);
      EXPECT_NE(last().find("var[2]"), std::string::npos) << last();
      EXPECT_EQ(out[0], sentinel);
    }
    // Standard deviations: subnormal refused (whiten divides by it, sampling multiplies), exactly 0 allowed when
    // sampling.  Large ones are fine: nothing takes their reciprocal.
    const T sd_sub[2] = {1, sub}, mu2[2] = {0, 0}, X2[2] = {1, 1};
    T Z[2] = {sentinel, sentinel};
    EXPECT_EQ(api_whiten<T>(1, 2, X2, mu2, sd_sub, Z), DG_E_INVALID_ARGUMENT);
    EXPECT_NE(last().find("stddev[1]"), std::string::npos) << last();
    EXPECT_NE(last().find("subnormal"), std::string::npos) << last();
    EXPECT_EQ(Z[0], sentinel);
    EXPECT_EQ(api_sample_diag<T>(1, 2, mu2, sd_sub, Z), DG_E_INVALID_ARGUMENT);
    EXPECT_NE(last().find("stddev[1]"), std::string::npos) << last();
    EXPECT_EQ(Z[0], sentinel);
    const T sd_zero[2] = {0, huge};
    EXPECT_EQ(api_sample_diag<T>(1, 2, mu2, sd_zero, Z), DG_OK) << last();
    EXPECT_EQ(Z[0], T(0));
  }

  // Variances at the edges of the accepted range: [smallest normal, 1 / smallest normal].
  template <class T>
  void edge_variances_match_reference() {
    const T lo = std::numeric_limits<T>::min(), hi = T(1) / lo;
    std::mt19937_64 rng(15);
    for (std::size_t dim : {1, 2, 3, 5, 8, 9, 17}) {
      const std::size_t K = 3, np = 2 * kWidest<T> + 3;
      std::vector<T> w = {T(0.25), T(0.5), T(0.25)}, mu(K * dim), var(K * dim), X(np * dim), out(np), resp(np * K);
      for (std::size_t i = 0; i < K * dim; ++i) var[i] = (i % 3 == 0) ? lo : (i % 3 == 1) ? hi : lo * 3;
      // Component 0 sits at the origin and the points are drawn from it; the others sit a few of its tiny
      // spreads away (a mean of 1 would make each tiny-variance term exactly 2^1022, and four of them overflow
      // the sum where the halved result still fits: a boundary no implementation promises).
      const T step = static_cast<T>(3 * std::sqrt((double)lo));
      for (std::size_t i = 0; i < K * dim; ++i) mu[i] = static_cast<T>(i / dim) * step;
      for (std::size_t p = 0; p < np; ++p)
        for (std::size_t j = 0; j < dim; ++j)
          X[p * dim + j] = static_cast<T>(std::sqrt((double)var[j]) * std::normal_distribution<double>(0, 1)(rng));
      ASSERT_EQ(api_gmm<T>(np, dim, K, X.data(), w.data(), mu.data(), var.data(), out.data(), resp.data()), DG_OK)
          << last();
      for (std::size_t p = 0; p < np; ++p) {
        const T* x = X.data() + p * dim;
        expect_matches_ref(out[p], ref_mixture(dim, K, x, w.data(), mu.data(), var.data()),
                           "dim " + std::to_string(dim) + " out[" + std::to_string(p) + "]");
        for (std::size_t k = 0; k < K; ++k)
          expect_matches_ref(resp[p * K + k], ref_component(dim, x, mu.data() + k * dim, var.data() + k * dim),
                             "resp[" + std::to_string(p) + "][" + std::to_string(k) + "]");
      }
      ASSERT_EQ(api_diag<T>(np, dim, X.data(), mu.data(), var.data(), out.data()), DG_OK) << last();
      for (std::size_t p = 0; p < np; ++p)
        expect_matches_ref(out[p], ref_component(dim, X.data() + p * dim, mu.data(), var.data()),
                           "diag out[" + std::to_string(p) + "]");
    }
  }

  // One non-finite entry in one point: that point's outputs are NaN (NaN entry) or -inf (+-Inf entry), every
  // other point is untouched by it.  Every lane position and tail position is visited.
  template <class T>
  void nonfinite_x_propagates() {
    const T kNaN = std::numeric_limits<T>::quiet_NaN(), kInf = std::numeric_limits<T>::infinity();
    std::mt19937_64 rng(16);
    // Few shapes (lane counts and tails of every ISA, one and several component tiles): the long-double
    // reference is software-emulated quad precision on aarch64, slow under qemu.
    for (std::size_t K : {1, 3, 9}) {
      for (std::size_t dim : {1, 3, 8, 9, 17}) {
        const std::size_t np = 2 * kWidest<T> + 3;
        std::vector<T> wd(K, T(1) / T(K)), mu(K * dim), var(K * dim), X(np * dim), out(np), resp(np * K),
            dout(np);
        if (K == 3) wd = {T(0.5), T(0), T(0.5)};  // a zero weight: log w = -inf must not make NaN either
        if (K == 9) wd = {T(0.125), T(0.125), T(0.125), T(0.125), T(0.125), T(0.125), T(0.125), T(0.0625),
                          T(0.0625)};
        fill_uniform(mu.data(), K * dim, rng, -2, 2);
        for (auto& v : var) v = static_cast<T>(std::exp(std::uniform_real_distribution<double>(-1, 1)(rng)));
        fill_uniform(X.data(), np * dim, rng, -3, 3);
        for (const T bad : {kNaN, kInf, -kInf}) {
          for (std::size_t p0 : {std::size_t{0}, np / 2, np - 1}) {
            SCOPED_TRACE(testing::Message() << "K=" << K << " dim=" << dim << " bad=" << bad << " point=" << p0);
            std::vector<T> Xb = X;
            Xb[p0 * dim + (p0 % dim)] = bad;
            ASSERT_EQ(api_gmm<T>(np, dim, K, Xb.data(), wd.data(), mu.data(), var.data(), out.data(), resp.data()),
                      DG_OK)
                << last();
            ASSERT_EQ(api_diag<T>(np, dim, Xb.data(), mu.data(), var.data(), dout.data()), DG_OK) << last();
            for (std::size_t p = 0; p < np; ++p) {
              if (p == p0) {
                if (std::isnan(bad)) {
                  EXPECT_TRUE(std::isnan(out[p])) << "out = " << out[p];
                  EXPECT_TRUE(std::isnan(dout[p])) << "diag out = " << dout[p];
                  for (std::size_t k = 0; k < K; ++k) EXPECT_TRUE(std::isnan(resp[p * K + k])) << "k " << k;
                } else {
                  EXPECT_EQ(out[p], -kInf);
                  EXPECT_EQ(dout[p], -kInf);
                  for (std::size_t k = 0; k < K; ++k) EXPECT_EQ(resp[p * K + k], -kInf) << "k " << k;
                }
                continue;
              }
              const T* x = Xb.data() + p * dim;
              expect_matches_ref(out[p], ref_mixture(dim, K, x, wd.data(), mu.data(), var.data()),
                                 "out[" + std::to_string(p) + "]");
              expect_matches_ref(dout[p], ref_component(dim, x, mu.data(), var.data()),
                                 "diag out[" + std::to_string(p) + "]");
            }
          }
        }
      }
    }
  }

  // -0 in X or in the means gives exactly the +0 result; dim 0 gives log(sum of weights) = 0; ncomp 0 is refused.
  template <class T>
  void zeros_and_empty() {
    const std::size_t np = kWidest<T> + 1, dim = 3, K = 2;
    std::vector<T> w = {T(0.5), T(0.5)}, var = {1, 2, 3, 4, 5, 6};
    std::vector<T> Xp(np * dim, T(0)), Xn(np * dim, T(-0.0)), mup(K * dim, T(0)), mun(K * dim, T(-0.0));
    std::vector<T> a(np), b(np), ra(np * K), rb(np * K);
    ASSERT_EQ(api_gmm<T>(np, dim, K, Xp.data(), w.data(), mup.data(), var.data(), a.data(), ra.data()), DG_OK);
    ASSERT_EQ(api_gmm<T>(np, dim, K, Xn.data(), w.data(), mun.data(), var.data(), b.data(), rb.data()), DG_OK);
    DG_EXPECT_BITS_EQ(a.data(), b.data(), np);
    DG_EXPECT_BITS_EQ(ra.data(), rb.data(), np * K);
    ASSERT_EQ(api_gmm<T>(np, dim, K, Xn.data(), w.data(), mup.data(), var.data(), b.data(), rb.data()), DG_OK);
    DG_EXPECT_BITS_EQ(a.data(), b.data(), np);
    for (std::size_t p = 0; p < np; ++p)
      expect_matches_ref(a[p], ref_mixture(dim, K, Xp.data(), w.data(), mup.data(), var.data()), "zero point");

    // dim 0: every point is the empty vector; each component's density is 1, so out = log(sum w) = 0.
    std::vector<T> out(np, T(-1)), resp(np * K, T(-1));
    ASSERT_EQ(api_gmm<T>(np, 0, K, nullptr, w.data(), nullptr, nullptr, out.data(), resp.data()), DG_OK) << last();
    for (std::size_t p = 0; p < np; ++p) {
      EXPECT_NEAR(out[p], 0.0, 4 * std::numeric_limits<T>::epsilon()) << p;
      for (std::size_t k = 0; k < K; ++k) EXPECT_EQ(resp[p * K + k], T(0)) << p;  // log N without the weight
    }
    ASSERT_EQ(api_diag<T>(np, 0, nullptr, nullptr, nullptr, out.data()), DG_OK) << last();
    for (std::size_t p = 0; p < np; ++p) EXPECT_EQ(out[p], T(0)) << p;

    // An empty mixture has no density: refused, even with no points.
    EXPECT_EQ(api_gmm<T>(0, dim, 0, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr), DG_E_BAD_WEIGHTS);
    EXPECT_NE(last().find("ncomp must be at least 1"), std::string::npos) << last();
  }
};

TEST_P(NumericCorners, RefusesSubnormalAndHugeScalesF64) { refuses_bad_scales<double>(); }
TEST_P(NumericCorners, RefusesSubnormalAndHugeScalesF32) { refuses_bad_scales<float>(); }
TEST_P(NumericCorners, EdgeVariancesMatchReferenceF64) { edge_variances_match_reference<double>(); }
TEST_P(NumericCorners, EdgeVariancesMatchReferenceF32) { edge_variances_match_reference<float>(); }
TEST_P(NumericCorners, NonFiniteXPropagatesF64) { nonfinite_x_propagates<double>(); }
TEST_P(NumericCorners, NonFiniteXPropagatesF32) { nonfinite_x_propagates<float>(); }
TEST_P(NumericCorners, SignedZerosDimZeroEmptyMixtureF64) { zeros_and_empty<double>(); }
TEST_P(NumericCorners, SignedZerosDimZeroEmptyMixtureF32) { zeros_and_empty<float>(); }

DG_INSTANTIATE_ALL_IMPLS(NumericCorners);

// The normalising constant the API forms with one logarithm per call (issue 12: mantissa product, exact exponent
// sum, renormalised every 16 factors): with X == mean the output IS that constant, so it is checked against the
// long-double sum of logarithms for every dim across several renormalisation rounds and a tail, with variances
// spread log-uniformly over the whole accepted range [min, 1/min] (products far outside double's range).
template <class T>
void log_norm_over_the_range() {
  std::mt19937_64 rng(99);
  const long double lo = std::log((long double)std::numeric_limits<T>::min());
  std::uniform_real_distribution<long double> expo(lo, -lo);
  for (std::size_t dim = 1; dim <= 70; ++dim) {
    std::vector<T> var(dim), mean(dim, T(0.5)), out(1);
    long double want = (long double)dim * std::log(2 * 3.14159265358979323846264338327950288L), scale = 0;
    for (T& v : var) {
      v = static_cast<T>(std::exp(expo(rng)));
      v = std::min(std::max(v, std::numeric_limits<T>::min()), T(1) / std::numeric_limits<T>::min());
      want += std::log((long double)v);
      scale += std::fabs(std::log((long double)v));
    }
    want *= -0.5L;
    ASSERT_EQ(api_diag<T>(1, dim, mean.data(), mean.data(), var.data(), out.data()), DG_OK) << dg_last_error();
    // f64: a few ulp of the largest partial sum; f32: the float rounding of the result.
    const long double tol = sizeof(T) == 8 ? 1e-14L * (scale + dim) : 4 * std::fabs(want) * FLT_EPSILON + 1e-6L;
    EXPECT_NEAR((long double)out[0], want, tol) << "dim=" << dim;
  }
}
TEST_P(NumericCorners, LogNormOverTheRangeF64) { log_norm_over_the_range<double>(); }
TEST_P(NumericCorners, LogNormOverTheRangeF32) { log_norm_over_the_range<float>(); }

}  // namespace
}  // namespace diaggauss::test
