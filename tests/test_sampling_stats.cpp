// Statistical tests of the sampler, through the public API (the dispatched implementation; all implementations
// are bit-identical to the scalar oracle, which test_kernels_sample checks).  Fixed seeds; every threshold is one
// a correct generator exceeds with probability below 1e-6:
//   z-tests |z| < 5 (two-sided p = 5.7e-7); KS sqrt(n)*D < 2.69 (2 exp(-2x^2) = 1e-6);
//   Anderson-Darling A^2 < 16.6 (Chernoff bound on the asymptotic law gives p < 1e-6);
//   chi-square, 999 df < 1226 and 3 df < 31 (Wilson-Hilferty / exact);  Poisson tail counts from exact quantiles.
// docs/random-stream.md records the run in which each test failed against a deliberately broken generator.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "diaggauss/diaggauss.h"
#include "kernels/scalar/philox_scalar.hpp"

namespace {

constexpr double kZ = 5.0;
double Phi(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

std::vector<double> normals(std::uint64_t seed, std::uint64_t stream, std::size_t n) {
  std::vector<double> z(n);
  EXPECT_EQ(dg_normal_f64(seed, stream, 0, n, z.data()), DG_OK);
  return z;
}

class SamplingStats : public testing::Test {
 protected:
  static void SetUpTestSuite() { big_ = new std::vector<double>(normals(20261125, 0, 10'000'000)); }
  static void TearDownTestSuite() { delete big_; }
  static const std::vector<double>& big() { return *big_; }
  static std::vector<double>* big_;
};
std::vector<double>* SamplingStats::big_ = nullptr;

TEST_F(SamplingStats, MomentsZTests) {
  const auto& z = big();
  const double n = static_cast<double>(z.size());
  double s1 = 0, s2 = 0, s3 = 0, s4 = 0;  // double sums: see correlation() below
  for (double v : z) {
    const double v2 = v * v;
    s1 += v, s2 += v2, s3 += v2 * v, s4 += v2 * v2;
  }
  const double mean = s1 / n, m2 = s2 / n, m3 = s3 / n, m4 = s4 / n;
  EXPECT_LT(std::fabs(mean * std::sqrt(n)), kZ) << "mean " << mean;
  EXPECT_LT(std::fabs((m2 - 1) / std::sqrt(2 / n)), kZ) << "variance " << m2;
  EXPECT_LT(std::fabs(m3 / std::sqrt(15 / n)), kZ) << "third moment " << m3;  // Var(z^3) = 15
  EXPECT_LT(std::fabs((m4 - 3) / std::sqrt(96 / n)), kZ) << "fourth moment " << m4;  // Var(z^4) = 105 - 9
}

TEST_F(SamplingStats, KolmogorovSmirnovAndAndersonDarling) {
  std::vector<double> z(big().begin(), big().begin() + 1'000'000);
  std::sort(z.begin(), z.end());
  const double n = static_cast<double>(z.size());
  double d = 0, a2 = 0;
  for (std::size_t i = 0; i < z.size(); ++i) {
    const double F = Phi(z[i]);
    d = std::max({d, F - i / n, (i + 1) / n - F});
    const double Fr = Phi(z[z.size() - 1 - i]);
    a2 += (2.0 * i + 1) * (std::log(std::max(F, 1e-300)) + std::log(std::max(1 - Fr, 1e-300)));
  }
  a2 = -n - a2 / n;
  EXPECT_LT(d * std::sqrt(n), 2.69) << "KS D = " << d;
  EXPECT_LT(a2, 16.6) << "Anderson-Darling A^2";
}

TEST_F(SamplingStats, ChiSquareOn1000EquiprobableBins) {
  std::vector<long> bins(1000, 0);
  for (double v : big()) bins[std::min<long>(999, static_cast<long>(Phi(v) * 1000))]++;
  const double expect = big().size() / 1000.0;
  double chi2 = 0;
  for (long c : bins) chi2 += (c - expect) * (c - expect) / expect;
  EXPECT_LT(chi2, 1226.0);
}

TEST_F(SamplingStats, TailCounts) {
  long c3 = 0, c4 = 0, c5 = 0;
  for (double v : big()) {
    const double a = std::fabs(v);
    c3 += a > 3, c4 += a > 4, c5 += a > 5;
  }
  const double n = big().size(), e3 = n * 0.0026997960632601913;
  EXPECT_LT(std::fabs(c3 - e3) / std::sqrt(e3), kZ) << "beyond 3 sigma: " << c3;
  EXPECT_GT(c4, 516) << "beyond 4 sigma (expect 633)";
  EXPECT_LT(c4, 758) << "beyond 4 sigma (expect 633)";
  EXPECT_LT(c5, 21) << "beyond 5 sigma (expect 5.7)";
}

TEST_F(SamplingStats, NoNanOrInfAndTailsReach) {
  for (double v : big()) ASSERT_TRUE(std::isfinite(v));
  // The extreme words of the recipe: u1 = 2^-52 (double) / 2^-23 (float) at angle 0.
  using namespace diaggauss::scalar;
  double zd[2];
  normal_pair_f64(~std::uint64_t{0}, 0u, zd);
  EXPECT_GT(zd[0], 8.0);
  float zf[4];
  normals_f32_block(PhiloxBlock{{0xFFFFFFFFu, 0u, 0u, 0u}}, zf);
  EXPECT_GT(zf[0], 5.0f);
}

// Sums in double, not long double: the rounding error of 10^7 terms (~1e-12 relative) is far below the tests'
// resolution (1/sqrt(n) ~ 3e-4), and long double is software quad precision on aarch64, where these loops ran
// for minutes under qemu.
double correlation(const std::vector<double>& a, const std::vector<double>& b, std::size_t shift = 0) {
  double s = 0;
  const std::size_t n = a.size() - shift;
  for (std::size_t i = 0; i < n; ++i) s += a[i] * b[i + shift];
  return s / static_cast<double>(n);  // both are N(0,1): the sample correlation ~ N(0, 1/n)
}

// z-scores of the lag-L correlation of z and of z^2 - 1 (var 2, so the mean product of two independent ones has
// standard deviation 2 / sqrt(n)).  The square catches dependence that a plain correlation misses, such as two
// outputs sharing a radius.
template <class T>
void expect_independent_at_lags(const std::vector<T>& z, std::initializer_list<std::size_t> lags, const char* what) {
  for (std::size_t lag : lags) {
    const std::size_t n = z.size() - lag;
    double s = 0, s2 = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double a = z[i], b = z[i + lag];
      s += a * b;
      s2 += (a * a - 1) * (b * b - 1);
    }
    const double sq = std::sqrt(static_cast<double>(n));
    EXPECT_LT(std::fabs(s / static_cast<double>(n)) * sq, kZ) << what << " lag " << lag;
    EXPECT_LT(std::fabs(s2 / static_cast<double>(n)) / 2 * sq, kZ) << what << " lag " << lag << ", squares";
  }
}

TEST_F(SamplingStats, SerialAndCrossCorrelations) {
  const auto& z = big();
  const double sq = std::sqrt(static_cast<double>(z.size()));
  // Lags 1, 2 within a stream; the outputs that share Philox blocks in stream v2's lane-major chunks: a pair's
  // cosine and sine 8 apart, the four pairs of a triple at multiples of 16 (docs/random-stream.md).
  expect_independent_at_lags(z, {1, 2, 8, 16, 24, 32, 40, 48, 56, 64}, "f64 normals");
  const auto other_stream = normals(20261125, 1, z.size());
  EXPECT_LT(std::fabs(correlation(z, other_stream)) * sq, kZ) << "streams s and s+1";
  const auto other_seed = normals(20261126, 0, z.size());
  EXPECT_LT(std::fabs(correlation(z, other_seed)) * sq, kZ) << "seeds k and k+1";
}

// Float normals: their own words and polynomials, so their own check of moments, shape and dependence (a float
// block's four outputs are 16 apart).
TEST(SamplingStatsF32, MomentsShapeAndLags) {
  const std::size_t n = 10'000'000;
  std::vector<float> z(n);
  ASSERT_EQ(dg_normal_f32(20261207, 0, 0, n, z.data()), DG_OK);
  double m1 = 0, m2 = 0, m4 = 0;
  for (float v : z) {
    const double x = v;
    m1 += x, m2 += x * x, m4 += x * x * x * x;
  }
  m1 /= static_cast<double>(n), m2 /= static_cast<double>(n), m4 /= static_cast<double>(n);
  const double sq = std::sqrt(static_cast<double>(n));
  EXPECT_LT(std::fabs(m1) * sq, kZ) << "mean";
  EXPECT_LT(std::fabs(m2 - 1) / std::sqrt(2.0) * sq, kZ) << "variance";
  EXPECT_LT(std::fabs(m4 - 3) / std::sqrt(96.0) * sq, kZ) << "fourth moment";
  // Kolmogorov-Smirnov on the first 10^6 against Phi (threshold as the f64 test's).
  std::vector<double> head(z.begin(), z.begin() + 1'000'000);
  std::sort(head.begin(), head.end());
  double d = 0;
  for (std::size_t i = 0; i < head.size(); ++i) {
    const double F = Phi(head[i]);
    d = std::max({d, F - static_cast<double>(i) / head.size(), static_cast<double>(i + 1) / head.size() - F});
  }
  EXPECT_LT(d * std::sqrt(static_cast<double>(head.size())), 2.69) << "KS D = " << d;
  expect_independent_at_lags(z, {1, 2, 16, 32, 48, 64}, "f32 normals");
}

TEST(SamplingStatsDiag, SampleMeanAndCovarianceMatchParameters) {
  const std::size_t np = 1'000'000, dim = 3;
  const double mean[dim] = {1.5, -2.0, 100.0}, sd[dim] = {0.5, 3.0, 1e-3};
  std::vector<double> x(np * dim);
  ASSERT_EQ(dg_sample_diag_f64(7, 0, 0, np, dim, mean, sd, x.data()), DG_OK);
  const double sn = std::sqrt(static_cast<double>(np));
  for (std::size_t j = 0; j < dim; ++j) {
    long double s = 0, s2 = 0;
    for (std::size_t p = 0; p < np; ++p) s += x[p * dim + j];
    const double m = s / np;
    for (std::size_t p = 0; p < np; ++p) s2 += ((long double)x[p * dim + j] - m) * (x[p * dim + j] - m);
    const double var = s2 / np;
    EXPECT_LT(std::fabs(m - mean[j]) / sd[j] * sn, kZ) << "mean of dim " << j;
    EXPECT_LT(std::fabs(var / (sd[j] * sd[j]) - 1) / std::sqrt(2.0 / np), kZ) << "variance of dim " << j;
  }
  long double c01 = 0;
  for (std::size_t p = 0; p < np; ++p) c01 += ((x[p * dim] - mean[0]) / sd[0]) * ((x[p * dim + 1] - mean[1]) / sd[1]);
  EXPECT_LT(std::fabs(static_cast<double>(c01 / np)) * sn, kZ) << "covariance of dims 0 and 1";
}

TEST(SamplingStatsGmm, ComponentFrequenciesAndMomentsMatch) {
  const std::size_t np = 1'000'000, dim = 2, K = 4;
  const double w[K] = {0.1, 0.2, 0.3, 0.4};
  const double means[K * dim] = {-5, 0, 0, 5, 5, 0, 0, -5}, sds[K * dim] = {1, 1, 0.5, 0.5, 2, 2, 0.1, 3};
  std::vector<double> x(np * dim);
  std::vector<std::uint32_t> lab(np);
  ASSERT_EQ(dg_sample_gmm_f64(11, 0, 0, np, dim, K, w, means, sds, x.data(), lab.data()), DG_OK);
  double counts[K] = {};
  for (auto l : lab) {
    ASSERT_LT(l, K);
    counts[l]++;
  }
  double chi2 = 0;
  for (std::size_t k = 0; k < K; ++k) chi2 += (counts[k] - np * w[k]) * (counts[k] - np * w[k]) / (np * w[k]);
  EXPECT_LT(chi2, 31.0) << "component frequencies vs weights";
  for (std::size_t k = 0; k < K; ++k) {  // each component's points have its mean
    for (std::size_t j = 0; j < dim; ++j) {
      long double s = 0;
      for (std::size_t p = 0; p < np; ++p)
        if (lab[p] == k) s += x[p * dim + j];
      const double m = s / counts[k];
      EXPECT_LT(std::fabs(m - means[k * dim + j]) / sds[k * dim + j] * std::sqrt(counts[k]), kZ)
          << "component " << k << " dim " << j;
    }
  }
}

TEST(SamplingReproducibility, ChunkedCallsEqualOneCall) {
  const std::size_t n = 50'000;
  std::vector<double> whole(n), parts(n);
  ASSERT_EQ(dg_normal_f64(3, 4, 1000, n, whole.data()), DG_OK);
  std::mt19937_64 rng(1);
  for (int trial = 0; trial < 5; ++trial) {
    std::size_t pos = 0;
    while (pos < n) {
      const std::size_t len = std::min<std::size_t>(n - pos, 1 + rng() % 3000);
      ASSERT_EQ(dg_normal_f64(3, 4, 1000 + pos, len, parts.data() + pos), DG_OK);
      pos += len;
    }
    EXPECT_EQ(whole, parts);
  }
  // Mixture samples: any split into point ranges equals one call.
  const double w[2] = {0.25, 0.75}, mu[4] = {0, 1, 2, 3}, sd[4] = {1, 1, 2, 2};
  std::vector<double> g1(2 * 999), g2(2 * 999);
  std::vector<std::uint32_t> l1(999), l2(999);
  ASSERT_EQ(dg_sample_gmm_f64(8, 0, 5, 999, 2, 2, w, mu, sd, g1.data(), l1.data()), DG_OK);
  ASSERT_EQ(dg_sample_gmm_f64(8, 0, 5, 400, 2, 2, w, mu, sd, g2.data(), l2.data()), DG_OK);
  ASSERT_EQ(dg_sample_gmm_f64(8, 0, 405, 599, 2, 2, w, mu, sd, g2.data() + 800, l2.data() + 400), DG_OK);
  EXPECT_EQ(g1, g2);
  EXPECT_EQ(l1, l2);
  // Offsets near 2^64 wrap modulo 2^64 (the period of a stream), without overflow inside a call.
  std::vector<double> tail(10), wrap(10);
  ASSERT_EQ(dg_normal_f64(3, 4, ~std::uint64_t{0} - 4, 10, tail.data()), DG_OK);
  ASSERT_EQ(dg_normal_f64(3, 4, 0, 5, wrap.data() + 5), DG_OK);
  EXPECT_TRUE(std::equal(tail.begin() + 5, tail.end(), wrap.begin() + 5));
}

}  // namespace
