// The Monte Carlo showcase against truth: the K = 1 closed form, agreement of the three paths, bit-identical
// estimates for any thread count, and clear errors for bad models.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>

#include "tools/mc_engine.hpp"

namespace diaggauss::cli {
namespace {

McResult estimate(const MixtureModel& m, std::size_t N, McPath p, unsigned threads, std::uint64_t seed = 3) {
  return combine(run_chunks(m, seed, N, p, threads, 0, chunk_count(N)), N);
}

TEST(MonteCarlo, SingleGaussianMatchesClosedFormWithin4StandardErrors) {
  for (std::size_t D : {1, 4, 9}) {
    const MixtureModel m = random_model(1, D, 10 + D);
    const McResult r = estimate(m, 200000, McPath::simd, 2);
    EXPECT_LT(std::fabs(r.estimate - single_gaussian_entropy(m)), 4 * r.std_error) << "D=" << D;
  }
}

TEST(MonteCarlo, ThreePathsAgree) {
  std::string why;
  const MixtureModel m = random_model(3, 4, 7);
  const McResult simd = estimate(m, 40000, McPath::simd, 1), diag = estimate(m, 40000, McPath::diagonal, 1);
  // Same samples, different evaluation code: agreement far inside the statistical error.
  EXPECT_LT(std::fabs(simd.estimate - diag.estimate), 1e-10 * std::fabs(simd.estimate));
  EXPECT_LT(std::fabs(simd.estimate - diag.estimate), 4 * simd.std_error);
  if (generic_path_available(why)) {
    const McResult gen = estimate(m, 40000, McPath::generic, 1);
    EXPECT_LT(std::fabs(simd.estimate - gen.estimate), 1e-10 * std::fabs(simd.estimate));
  }
}

TEST(MonteCarlo, EstimateIsBitIdenticalForAnyThreadCount) {
  const MixtureModel m = random_model(5, 3, 11);
  const std::size_t N = 5 * kChunkPoints + 123;  // a ragged last chunk
  const McResult one = estimate(m, N, McPath::simd, 1);
  for (unsigned t : {2u, 3u, 8u}) {
    const McResult r = estimate(m, N, McPath::simd, t);
    EXPECT_EQ(r.estimate, one.estimate) << "threads=" << t;
    EXPECT_EQ(r.std_error, one.std_error) << "threads=" << t;
  }
  // Any split of the chunk range (what MPI ranks do) combines to the same bits.
  auto a = run_chunks(m, 3, N, McPath::simd, 1, 0, 2), b = run_chunks(m, 3, N, McPath::simd, 2, 2, chunk_count(N));
  a.insert(a.end(), b.begin(), b.end());
  EXPECT_EQ(combine(a, N).estimate, one.estimate);
}

std::string model_error(const std::string& json) {
  const std::string path = testing::TempDir() + "/model.json";
  std::ofstream(path) << json;
  MixtureModel m;
  return load_model(path, m);
}

TEST(MonteCarlo, BadModelsAreClearErrors) {
  // Weights follow the library's rule (dg_normalize_weights_f64): a zero sum or a negative weight is refused.
  EXPECT_NE(model_error(R"({"weights":[0,0],"means":[[0],[1]],"variances":[[1],[1]]})").find("sum"), std::string::npos);
  EXPECT_NE(model_error(R"({"weights":[0.5,-0.1],"means":[[0],[1]],"variances":[[1],[1]]})").find("weights[1]"),
            std::string::npos);
  EXPECT_NE(model_error(R"({"weights":[0.5,0.5],"means":[[0],[1]],"variances":[[1],[0]]})").find("'variances'[1][0]"),
            std::string::npos);
  // Subnormal variances (issue 15: 1/var overflowed and the paths disagreed) and ones whose reciprocal is subnormal.
  EXPECT_NE(model_error(R"({"weights":[0.5,0.5],"means":[[0],[5]],"variances":[[1e-310],[1]]})")
                .find("'variances'[0][0] is subnormal"),
            std::string::npos);
  EXPECT_NE(model_error(R"({"weights":[0.5,0.5],"means":[[0],[5]],"variances":[[1],[1e308]]})").find("'variances'[1][0]"),
            std::string::npos);
  EXPECT_NE(model_error(R"({"weights":[0.5,0.5],"means":[[0,1],[1]],"variances":[[1,1],[1,1]]})").find("ragged"),
            std::string::npos);
  EXPECT_NE(model_error(R"({"weights":[1],"means":[[0]]})").find("variances"), std::string::npos);
  EXPECT_NE(model_error("{not json").find("not a JSON object"), std::string::npos);
  MixtureModel m;
  EXPECT_NE(load_model("/nonexistent/model.json", m).find("cannot read"), std::string::npos);
  EXPECT_EQ(model_error(R"({"weights":[0.25,0.75],"means":[[0,1],[1,2]],"variances":[[1,2],[3,4]]})"), "");
}

TEST(MonteCarlo, ModelWeightsAreNormalisedOnLoad) {
  // Unnormalised weights (counts, float32-rounded values) load and are stored divided by their sum.
  const std::string path = testing::TempDir() + "/model_counts.json";
  std::ofstream(path) << R"({"weights":[1,3],"means":[[0],[1]],"variances":[[1],[1]]})";
  MixtureModel m;
  ASSERT_EQ(load_model(path, m), "");
  EXPECT_EQ(m.weights[0], 0.25);
  EXPECT_EQ(m.weights[1], 0.75);
}

}  // namespace
}  // namespace diaggauss::cli
