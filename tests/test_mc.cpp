// The Monte Carlo engine (diaggauss/mc.hpp, mc/) against truth and its own promises: the K = 1 closed form, the
// diagonal and SIMD paths agreeing, bit-identical estimates for any thread count and any split of the chunk range,
// the weights rule, and diaggauss::Error (with the C API's status) on bad input.  The CLI's side (model files, the
// generic path through LAPACK, the numbers from before the engine moved into the library) is tools/tests_mc.cpp.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <string>
#include <vector>

#include "diaggauss/mc.h"
#include "diaggauss/mc.hpp"

namespace mc = diaggauss::mc;

namespace {

mc::Result estimate(const mc::Mixture& m, std::uint64_t N, mc::Path p, unsigned threads, std::uint64_t seed = 3) {
  mc::Config c;
  c.path = p, c.samples = N, c.threads = threads, c.seed = seed;
  return mc::entropy(m, c);
}

// The status of the diaggauss::Error that `f` throws (0 when it throws none).
template <class F>
int status_of(F&& f, std::string* message = nullptr) {
  try {
    f();
  } catch (const diaggauss::Error& e) {
    if (message) *message = e.what();
    return e.status();
  }
  return 0;
}

TEST(MonteCarlo, SingleGaussianMatchesClosedFormWithin4StandardErrors) {
  for (std::size_t D : {1, 4, 9}) {
    const mc::Mixture m = mc::random_mixture(1, D, 10 + D);
    const mc::Result r = estimate(m, 200000, mc::Path::simd, 2);
    EXPECT_LT(std::fabs(r.estimate - mc::single_gaussian_entropy(m)), 4 * r.std_error) << "D=" << D;
  }
}

TEST(MonteCarlo, DiagonalAndSimdPathsAgree) {
  const mc::Mixture m = mc::random_mixture(3, 4, 7);
  const mc::Result simd = estimate(m, 40000, mc::Path::simd, 1), diag = estimate(m, 40000, mc::Path::diagonal, 1);
  // Same samples, different evaluation code: agreement far inside the statistical error.
  EXPECT_LT(std::fabs(simd.estimate - diag.estimate), 1e-10 * std::fabs(simd.estimate));
  EXPECT_LT(std::fabs(simd.estimate - diag.estimate), 4 * simd.std_error);
  EXPECT_EQ(simd.samples, 40000u);
}

TEST(MonteCarlo, EstimateIsBitIdenticalForAnyThreadCount) {
  const mc::Mixture m = mc::random_mixture(5, 3, 11);
  const std::uint64_t N = 5 * DG_MC_CHUNK_POINTS + 123;  // a ragged last chunk
  const mc::Result one = estimate(m, N, mc::Path::simd, 1);
  for (unsigned t : {0u, 2u, 3u, 8u}) {
    const mc::Result r = estimate(m, N, mc::Path::simd, t);
    EXPECT_EQ(r.estimate, one.estimate) << "threads=" << t;
    EXPECT_EQ(r.std_error, one.std_error) << "threads=" << t;
  }
  // Any split of the chunk range (what MPI ranks do) combines to the same bits.
  mc::Config c;
  c.samples = N, c.seed = 3;
  std::vector<mc::ChunkSums> a = mc::chunk_sums(m, c, 0, 2);
  c.threads = 2;
  const std::vector<mc::ChunkSums> b = mc::chunk_sums(m, c, 2, mc::chunk_count(N));
  a.insert(a.end(), b.begin(), b.end());
  EXPECT_EQ(mc::combine(a, N).estimate, one.estimate);
  EXPECT_EQ(mc::chunk_sums(m, c, 3, 3).size(), 0u);  // an empty range (a rank with no chunks) is fine
  // entropy() combines segment by segment (memory independent of N): the same bits as combining every chunk's
  // sums at once, for any segment length, and the running totals' estimate likewise.
  c.threads = 1;
  const std::vector<mc::ChunkSums> all = mc::chunk_sums(m, c, 0, mc::chunk_count(N));
  const mc::Result whole = mc::combine(all, N);
  EXPECT_EQ(whole.estimate, one.estimate);
  for (std::uint64_t seg : {1u, 2u, 4u, 6u, 1000u}) {
    const mc::Result r = mc::detail_mc::entropy_in_segments(m, c, seg);
    EXPECT_EQ(r.estimate, whole.estimate) << "segment " << seg;
    EXPECT_EQ(r.std_error, whole.std_error) << "segment " << seg;
  }
  mc::ChunkSums total{0, 0};
  mc::accumulate(total, all);
  EXPECT_EQ(mc::estimate(total, N).estimate, whole.estimate);
  EXPECT_EQ(mc::estimate(total, N).std_error, whole.std_error);
  EXPECT_THROW(mc::estimate(total, 0), diaggauss::Error);
  double e, se;
  EXPECT_EQ(dg_mc_estimate_f64(N, nullptr, &e, &se), DG_E_NULL_POINTER);
  EXPECT_NE(std::string(dg_last_error()).find("total"), std::string::npos) << dg_last_error();
}

TEST(MonteCarlo, UnnormalisedWeightsAreDividedByTheirSum) {
  // The sampler and dg_gmm_logpdf normalise; the diagonal path takes log w_k, so the engine normalises for it.
  mc::Mixture m = mc::random_mixture(4, 2, 5);
  const mc::Result normalised = estimate(m, 20000, mc::Path::diagonal, 1);
  for (double& w : m.weights) w *= 7;
  const mc::Result counts = estimate(m, 20000, mc::Path::diagonal, 1);
  EXPECT_NEAR(counts.estimate, normalised.estimate, 1e-12 * std::fabs(normalised.estimate));
  // The random model's weights sum to 1 within the engine's tolerance, so they are used bit for bit (the CLI's
  // numbers did not move when the engine moved into the library).
  for (std::size_t K : {1, 2, 3, 7, 16, 100, 1000})
    for (std::uint64_t seed : {1, 2, 3}) {
      const mc::Mixture r = mc::random_mixture(K, 1, seed);
      long double sum = 0;
      for (double w : r.weights) sum += w;
      EXPECT_LE(std::fabs(static_cast<double>(sum - 1)), 2.0 * K * DBL_EPSILON) << "K=" << K << " seed=" << seed;
    }
}

TEST(MonteCarlo, RandomMixtureIsTheDocumentedModel) {
  const mc::Mixture m = mc::random_mixture(3, 4, 1);
  ASSERT_EQ(m.weights.size(), 3u);
  ASSERT_EQ(m.means.size(), 12u);
  double sum = 0;
  for (double w : m.weights) {
    sum += w;
    EXPECT_GT(w, 0.5 / 4.5);  // uniforms in [0.5, 1.5) over their sum
  }
  EXPECT_NEAR(sum, 1.0, 1e-15);
  for (double v : m.variances) {
    EXPECT_GE(v, std::exp(-1.5));
    EXPECT_LE(v, std::exp(1.5));
  }
  const mc::Mixture again = mc::random_mixture(3, 4, 1);
  EXPECT_EQ(again.means, m.means);
  EXPECT_NE(mc::random_mixture(3, 4, 2).means, m.means);
}

TEST(MonteCarlo, BadInputThrowsErrorWithTheStatus) {
  const mc::Mixture good = mc::random_mixture(2, 3, 1);
  mc::Config c;
  c.samples = 1000;
  std::string msg;
  mc::Mixture m = good;
  m.means.pop_back();
  EXPECT_EQ(status_of([&] { mc::entropy(m, c); }, &msg), DG_E_INVALID_ARGUMENT);
  EXPECT_NE(msg.find("5 means"), std::string::npos) << msg;
  m = good, m.weights[1] = -0.5;
  EXPECT_EQ(status_of([&] { mc::entropy(m, c); }, &msg), DG_E_BAD_WEIGHTS);
  EXPECT_NE(msg.find("dg_mc_chunk_sums_f64: weights[1]"), std::string::npos) << msg;
  m = good, m.variances[4] = 1e-310;
  EXPECT_EQ(status_of([&] { mc::entropy(m, c); }, &msg), DG_E_INVALID_ARGUMENT);
  EXPECT_NE(msg.find("vars[1][1]"), std::string::npos) << msg;
  m = good, m.means[0] = NAN;
  EXPECT_EQ(status_of([&] { mc::entropy(m, c); }), DG_E_NON_FINITE);
  m = good, m.dim = 0, m.means.clear(), m.variances.clear();
  EXPECT_EQ(status_of([&] { mc::entropy(m, c); }), DG_E_INVALID_ARGUMENT);
  mc::Config bad = c;
  bad.samples = 0;
  EXPECT_EQ(status_of([&] { mc::entropy(good, bad); }), DG_E_INVALID_ARGUMENT);
  bad.samples = (std::uint64_t{1} << 53) + 1;
  EXPECT_EQ(status_of([&] { mc::entropy(good, bad); }), DG_E_INVALID_ARGUMENT);
  bad = c, bad.path = mc::Path::generic;  // no dgesv: the library does not link LAPACK
  EXPECT_EQ(status_of([&] { mc::entropy(good, bad); }, &msg), DG_E_NULL_POINTER);
  EXPECT_NE(msg.find("dgesv"), std::string::npos) << msg;
  bad = c, bad.path = static_cast<mc::Path>(7);
  EXPECT_EQ(status_of([&] { mc::entropy(good, bad); }), DG_E_INVALID_ARGUMENT);
  EXPECT_EQ(status_of([&] { mc::chunk_sums(good, c, 0, mc::chunk_count(c.samples) + 1); }), DG_E_INVALID_ARGUMENT);
  EXPECT_EQ(status_of([&] { mc::chunk_sums(good, c, 1, 0); }), DG_E_INVALID_ARGUMENT);
  // Combining needs every chunk.
  EXPECT_EQ(status_of([&] { mc::combine(std::vector<mc::ChunkSums>(2), 3 * DG_MC_CHUNK_POINTS); }), DG_E_INVALID_ARGUMENT);
  EXPECT_EQ(status_of([&] { mc::random_mixture(0, 3, 1); }), DG_E_INVALID_ARGUMENT);
  EXPECT_EQ(status_of([&] { mc::random_mixture(SIZE_MAX / 2, 4, 1); }), DG_E_SIZE_OVERFLOW);
  EXPECT_EQ(status_of([&] { mc::single_gaussian_entropy(good); }), DG_E_INVALID_ARGUMENT);
}

// The closed form stays finite over the variances the model accepts (2 pi e var overflowed above ~1.05e307).
TEST(MonteCarlo, ClosedFormIsFiniteForEveryAcceptedVariance) {
  mc::Mixture m;
  m.components = 1, m.dim = 3;
  m.weights = {1.0};
  m.means = {0, 0, 0};
  m.variances = {4e307, 1 / DBL_MIN, DBL_MIN};
  const long double two_pi_e = 2 * 3.14159265358979323846264L * 2.71828182845904523536029L;
  long double want = 0;
  for (double v : m.variances) want += 0.5L * std::log(two_pi_e * static_cast<long double>(v));
  const double h = mc::single_gaussian_entropy(m);
  ASSERT_TRUE(std::isfinite(h)) << h;
  EXPECT_NEAR(h, static_cast<double>(want), 1e-13 * std::fabs(static_cast<double>(want)));
}

TEST(MonteCarlo, CApiWritesNothingOnError) {
  const mc::Mixture m = mc::random_mixture(2, 2, 1);
  dg_mc_config c{};
  c.ncomp = 2, c.dim = 2, c.weights = m.weights.data(), c.means = m.means.data(), c.vars = m.variances.data();
  c.samples = 2 * DG_MC_CHUNK_POINTS, c.path = DG_MC_SIMD, c.threads = 1;
  dg_mc_sums sums[2] = {{-1, -1}, {-1, -1}};
  unsigned started = 99;
  EXPECT_EQ(dg_mc_chunk_sums_f64(nullptr, 0, 2, sums, &started), DG_E_NULL_POINTER);
  c.path = DG_MC_GENERIC;
  EXPECT_EQ(dg_mc_chunk_sums_f64(&c, 0, 2, sums, &started), DG_E_NULL_POINTER);
  EXPECT_EQ(sums[0].sum, -1);
  EXPECT_EQ(started, 99u);
  c.path = DG_MC_SIMD;
  EXPECT_EQ(dg_mc_chunk_sums_f64(&c, 0, 2, nullptr, nullptr), DG_E_NULL_POINTER);
  ASSERT_EQ(dg_mc_chunk_sums_f64(&c, 0, 2, sums, &started), DG_OK);
  EXPECT_STREQ(dg_last_error(), "");
  EXPECT_EQ(started, 1u);
  double est = 0, se = 0;
  EXPECT_EQ(dg_mc_combine_f64(c.samples, 2, sums, nullptr, &se), DG_E_NULL_POINTER);
  ASSERT_EQ(dg_mc_combine_f64(c.samples, 2, sums, &est, &se), DG_OK);
  EXPECT_GT(est, 0);
  EXPECT_GT(se, 0);
  EXPECT_EQ(dg_mc_combine_f64(1, 1, sums, &est, &se), DG_OK);  // one sample: no spread to estimate
  EXPECT_EQ(se, 0);
}

}  // namespace
