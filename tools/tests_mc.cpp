// `diaggauss mc`'s own parts: the model file (clear errors, normalised weights, a save/load round trip), the generic
// path through the CLI's LAPACK, and the numbers: the engine moved from tools/ into the library (mc/, issue 16)
// and must give, bit for bit, the estimates it gave before.  The engine's own tests are tests/test_mc.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>

#include "diaggauss/mc.hpp"
#include "tools/mc_lapack.hpp"
#include "tools/mc_model_file.hpp"

namespace diaggauss::cli {
namespace {

mc::Result estimate(const mc::Mixture& m, std::uint64_t N, mc::Path p, unsigned threads, std::uint64_t seed = 3) {
  mc::Config c;
  std::string why;
  // lapack_dgesv shuts OpenBLAS's own threads down when it loads it: with them, each worker's 16 x 16 dgesv ran
  // dgetrf_parallel spinning in sched_yield, and the generic cases took minutes instead of seconds on 2 cores.
  c.path = p, c.samples = N, c.threads = threads, c.seed = seed, c.dgesv = lapack_dgesv(why);
  return mc::entropy(m, c);
}

TEST(MonteCarloCli, GenericPathAgreesWithTheOthers) {
  std::string why;
  if (!lapack_dgesv(why)) GTEST_SKIP() << why;
  const mc::Mixture m = mc::random_mixture(3, 4, 7);
  const mc::Result simd = estimate(m, 40000, mc::Path::simd, 1), gen = estimate(m, 40000, mc::Path::generic, 2);
  EXPECT_LT(std::fabs(simd.estimate - gen.estimate), 1e-10 * std::fabs(simd.estimate));
}

// The estimate and standard error of each path, as hexadecimal doubles, scalar implementation forced, no profile.
// First recorded with the engine as it was in tools/ (commit 05067ee, stream version 1), to show that its move
// into the library changed no bit; re-recorded for stream version 2 (2026-12-07), whose normals differ.  Only on x86-64 with FMA: the diagonal and
// generic paths call the C library's log and exp, whose last bits may differ on another architecture or with
// glibc's non-FMA variants; the sampler and the scalar kernels are bit-identical everywhere.
TEST(MonteCarloCli, EstimatesAreThoseOfTheEngineBeforeItMovedIntoTheLibrary) {
#if defined(__x86_64__)
  if (!__builtin_cpu_supports("fma")) GTEST_SKIP() << "recorded with glibc's FMA variants of log/exp";
#else
  GTEST_SKIP() << "recorded on x86-64";
#endif
  std::string why;
  const bool lapack = lapack_dgesv(why) != nullptr;
  struct ForceScalar {  // the dispatcher's other choices differ in the last bits; undone even when a check fails
    ForceScalar() { EXPECT_EQ(dg_force_impl("scalar"), DG_OK); }
    ~ForceScalar() { dg_force_impl("auto"); }
  } force;
  struct Case {
    std::size_t K, D;
    std::uint64_t model_seed, seed, N;
    mc::Path path;
    double estimate, std_error;
  };
  const Case cases[] = {
      {3, 4, 1, 1, 100000, mc::Path::generic, 0x1.cb18ec4a534ap+2, 0x1.2e34039016a75p-8},
      {3, 4, 1, 1, 100000, mc::Path::diagonal, 0x1.cb18ec4a534a1p+2, 0x1.2e34039016a75p-8},
      {3, 4, 1, 1, 100000, mc::Path::simd, 0x1.cb18ec4a534ap+2, 0x1.2e34039016a75p-8},
      {5, 3, 11, 3, 82043, mc::Path::generic, 0x1.5a00e9c6902bdp+2, 0x1.300aee8fb4189p-8},
      {5, 3, 11, 3, 82043, mc::Path::diagonal, 0x1.5a00e9c6902bdp+2, 0x1.300aee8fb4189p-8},
      {5, 3, 11, 3, 82043, mc::Path::simd, 0x1.5a00e9c6902bdp+2, 0x1.300aee8fb4189p-8},
      {1, 9, 19, 7, 200000, mc::Path::generic, 0x1.763a2e3e3cb8dp+3, 0x1.35e78c8dea5f6p-8},
      {1, 9, 19, 7, 200000, mc::Path::diagonal, 0x1.763a2e3e3cb8dp+3, 0x1.35e78c8dea60ep-8},
      {1, 9, 19, 7, 200000, mc::Path::simd, 0x1.763a2e3e3cb8dp+3, 0x1.35e78c8dea5f6p-8},
      {16, 16, 5, 2, 50001, mc::Path::generic, 0x1.a057e6f623b13p+4, 0x1.b64d4e803e578p-7},
      {16, 16, 5, 2, 50001, mc::Path::diagonal, 0x1.a057e6f623b13p+4, 0x1.b64d4e803e5b8p-7},
      {16, 16, 5, 2, 50001, mc::Path::simd, 0x1.a057e6f623b13p+4, 0x1.b64d4e803e5b8p-7},
  };
  for (const Case& c : cases) {
    if (c.path == mc::Path::generic && !lapack) continue;
    const mc::Mixture m = mc::random_mixture(c.K, c.D, c.model_seed);
    const mc::Result r = estimate(m, c.N, c.path, 2, c.seed);
    EXPECT_EQ(r.estimate, c.estimate) << "K=" << c.K << " D=" << c.D << " " << mc::path_name(c.path);
    EXPECT_EQ(r.std_error, c.std_error) << "K=" << c.K << " D=" << c.D << " " << mc::path_name(c.path);
  }
  // The random model too (first weight, mean and variance of the first case's and the last case's model).
  const mc::Mixture a = mc::random_mixture(3, 4, 1), b = mc::random_mixture(16, 16, 5);
  EXPECT_EQ(a.weights[0], 0x1.84295664637e5p-2);
  EXPECT_EQ(a.means[0], 0x1.9bae76a057302p+1);
  EXPECT_EQ(a.variances[0], 0x1.c73a279c522d1p-2);
  EXPECT_EQ(b.weights[0], 0x1.33fc6e10d0079p-4);
  EXPECT_EQ(b.means[0], -0x1.0c8f31342be75p+0);
  EXPECT_EQ(b.variances[0], 0x1.acee59c95ec68p+0);
}

std::string model_error(const std::string& json) {
  const std::string path = testing::TempDir() + "/model.json";
  std::ofstream(path) << json;
  mc::Mixture m;
  return load_model(path, m);
}

TEST(MonteCarloCli, BadModelsAreClearErrors) {
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
  // Parse errors say where; a number out of range, an empty row and a key given twice are named (the audit: "is not
  // a JSON object" for all of these, "row 0 has 0 entries, expected 0", and the second "weights" used silently).
  EXPECT_NE(model_error("{not json").find("not valid JSON: parse error at line 1, column 3"), std::string::npos)
      << model_error("{not json");
  EXPECT_NE(model_error("{\"weights\": [1,\n 2,,]}").find("line 2, column 4"), std::string::npos);
  EXPECT_NE(model_error(R"({"weights":[1],"means":[[1e400]],"variances":[[1]]})").find("1e400"), std::string::npos);
  EXPECT_NE(model_error("[1, 2]").find("not a JSON object"), std::string::npos);
  EXPECT_NE(model_error(R"({"weights":[1],"means":[[]],"variances":[[]]})").find("'means'[0] is empty"),
            std::string::npos);
  EXPECT_NE(model_error(R"({"weights":[1],"weights":[2,3],"means":[[0]],"variances":[[1]]})")
                .find("key 'weights' appears twice"),
            std::string::npos);
  EXPECT_EQ(model_error(R"({"weights":[1],"means":[[0]],"variances":[[1]],"x":{"weights":1}})"), "");  // other object
  mc::Mixture m;
  EXPECT_NE(load_model("/nonexistent/model.json", m).find("cannot read"), std::string::npos);
  EXPECT_EQ(model_error(R"({"weights":[0.25,0.75],"means":[[0,1],[1,2]],"variances":[[1,2],[3,4]]})"), "");
}

TEST(MonteCarloCli, ModelWeightsAreNormalisedOnLoad) {
  // Unnormalised weights (counts, float32-rounded values) load and are stored divided by their sum.
  const std::string path = testing::TempDir() + "/model_counts.json";
  std::ofstream(path) << R"({"weights":[1,3],"means":[[0],[1]],"variances":[[1],[1]]})";
  mc::Mixture m;
  ASSERT_EQ(load_model(path, m), "");
  EXPECT_EQ(m.components, 2u);
  EXPECT_EQ(m.dim, 1u);
  EXPECT_EQ(m.weights[0], 0.25);
  EXPECT_EQ(m.weights[1], 0.75);
}

TEST(MonteCarloCli, SavedModelLoadsBackBitForBit) {
  const mc::Mixture m = mc::random_mixture(4, 3, 21);
  const std::string path = testing::TempDir() + "/model_saved.json";
  std::ofstream(path) << model_json(m);
  mc::Mixture back;
  ASSERT_EQ(load_model(path, back), "");
  EXPECT_EQ(back.components, m.components);
  EXPECT_EQ(back.dim, m.dim);
  EXPECT_EQ(back.means, m.means);
  EXPECT_EQ(back.variances, m.variances);
  for (std::size_t k = 0; k < m.components; ++k) EXPECT_NEAR(back.weights[k], m.weights[k], 1e-16);
}

}  // namespace
}  // namespace diaggauss::cli
