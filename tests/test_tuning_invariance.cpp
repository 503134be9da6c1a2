// Tuning never changes results: every kernel, on every implementation, under every blocking value the tuner may
// choose (each parameter at its minimum, a middle value and its maximum) gives bit-identical output for the
// exact kernels, and output within the stated tolerance for the log-densities.
#include <cmath>

#include "tests/impl_fixture.hpp"
#include "tests/test_util.hpp"
#include "dispatch/profile.hpp"

namespace diaggauss::test {
namespace {

class TuningInvariance : public ImplTest {
 protected:
  std::vector<Blocking> settings(detail::Operation k) const {
    std::vector<Blocking> out{blocking()};
    for (const BlockingParam& p : kBlockingParams) {
      if (!detail::param_applies(k, p)) continue;
      const std::uint32_t mid = (p.min + p.max) / 2 / p.multiple * p.multiple;
      for (std::uint32_t v : {p.min, mid, p.max}) {
        Blocking b = blocking();
        b.*(p.field) = v;
        out.push_back(b);
      }
    }
    return out;
  }
};

TEST_P(TuningInvariance, NormalsBitExactUnderEveryChunkAndInterleave) {
  const std::size_t n = 40001;
  std::vector<double> z0(n), z(n);
  std::vector<float> f0(n), f(n);
  table().sample64.normal(1, 2, 3, n, z0.data(), blocking());
  table().sample32.normal(1, 2, 3, n, f0.data(), blocking());
  for (const Blocking& b : settings(detail::Operation::normal)) {
    table().sample64.normal(1, 2, 3, n, z.data(), b);
    table().sample32.normal(1, 2, 3, n, f.data(), b);
    DG_EXPECT_BITS_EQ(z.data(), z0.data(), n);
    DG_EXPECT_BITS_EQ(f.data(), f0.data(), n);
  }
}

TEST_P(TuningInvariance, LogDensitiesWithinToleranceUnderEveryTiling) {
  std::mt19937_64 rng(2);
  const std::size_t np = 517, dim = 7, K = 13;
  std::vector<double> X(np * dim), mu(K * dim), iv(K * dim), ln(K), lw(K, std::log(1.0 / K)), o0(np), o(np), r0(np * K), r(np * K);
  fill_uniform(X.data(), X.size(), rng, -4, 4);
  fill_uniform(mu.data(), mu.size(), rng, -2, 2);
  fill_uniform(iv.data(), iv.size(), rng, 0.1, 4);
  fill_uniform(ln.data(), K, rng, -9, -3);
  table().logpdf64.gmm_logpdf(np, dim, K, X.data(), ln.data(), lw.data(), mu.data(), iv.data(), o0.data(), r0.data(), blocking());
  for (const Blocking& b : settings(detail::Operation::gmm_logpdf)) {
    table().logpdf64.gmm_logpdf(np, dim, K, X.data(), ln.data(), lw.data(), mu.data(), iv.data(), o.data(), r.data(), b);
    for (std::size_t p = 0; p < np; ++p) ASSERT_NEAR(o[p], o0[p], 1e-12 + 1e-13 * std::fabs(o0[p])) << "point " << p;
    for (std::size_t i = 0; i < np * K; ++i) ASSERT_NEAR(r[i], r0[i], 1e-12 + 1e-13 * std::fabs(r0[i]));
  }
  for (const Blocking& b : settings(detail::Operation::diag_logpdf)) {
    table().logpdf64.diag_logpdf(np, dim, X.data(), mu.data(), iv.data(), -3.0, o0.data(), blocking());
    table().logpdf64.diag_logpdf(np, dim, X.data(), mu.data(), iv.data(), -3.0, o.data(), b);
    for (std::size_t p = 0; p < np; ++p) ASSERT_NEAR(o[p], o0[p], 1e-12 + 1e-13 * std::fabs(o0[p]));
  }
}

DG_INSTANTIATE_ALL_IMPLS(TuningInvariance);

}  // namespace
}  // namespace diaggauss::test
