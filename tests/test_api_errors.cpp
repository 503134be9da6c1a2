// Bad input through the C API: every error names its argument (and index), returns its own negative status,
// and writes nothing to the outputs.
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "diaggauss/diaggauss.h"

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kSentinel = -12345.0;
const std::size_t kNoIndex = 999999;

std::string last() { return dg_last_error(); }

bool untouched(const std::vector<double>& v) {
  for (double x : v)
    if (x != kSentinel) return false;
  return true;
}

TEST(ApiErrors, SolveZeroDiagonalIsSingularWithIndex) {
  std::vector<double> d = {1, 2, 0, 4, 0}, b(5, 1.0), x(5, kSentinel);
  std::size_t bad = kNoIndex;
  EXPECT_EQ(dg_solve_diag_f64(5, d.data(), b.data(), x.data(), &bad), DG_E_SINGULAR);
  EXPECT_EQ(bad, 2u);
  EXPECT_NE(last().find("d[2]"), std::string::npos) << last();
  EXPECT_NE(last().find("dg_solve_diag_f64"), std::string::npos) << last();
  EXPECT_TRUE(untouched(x));
  // bad_index may be NULL.
  EXPECT_EQ(dg_solve_diag_f64(5, d.data(), b.data(), x.data(), nullptr), DG_E_SINGULAR);
  EXPECT_TRUE(untouched(x));
}

TEST(ApiErrors, NonFiniteDiagonalNamed) {
  for (double badv : {kNaN, kInf, -kInf}) {
    std::vector<double> d = {1, 2, 3, badv}, b(4, 1.0), x(4, kSentinel);
    std::size_t bad = kNoIndex;
    EXPECT_EQ(dg_reciprocal_f64(4, d.data(), x.data(), &bad), DG_E_NON_FINITE);
    EXPECT_EQ(bad, 3u);
    EXPECT_NE(last().find("d[3]"), std::string::npos) << last();
    EXPECT_TRUE(untouched(x));
    EXPECT_EQ(dg_solve_diag_multi_f64(4, 1, d.data(), b.data(), 1, x.data(), 1, &bad), DG_E_NON_FINITE);
    EXPECT_TRUE(untouched(x));
  }
  std::vector<float> df = {1, 0, 3}, bf(3, 1.0f), xf(3, -1.0f);
  std::size_t bad = kNoIndex;
  EXPECT_EQ(dg_solve_diag_f32(3, df.data(), bf.data(), xf.data(), &bad), DG_E_SINGULAR);
  EXPECT_EQ(bad, 1u);
  EXPECT_EQ(xf[0], -1.0f);
}

// Past the scan's unrolled blocks and the cache sizes: the FIRST bad index is reported, nothing is written, and
// a later bad entry does not hide an earlier one.
TEST(ApiErrors, LargeDiagonalReportsFirstBadIndex) {
  const std::size_t n = 600000;  // 4.8 MB of doubles, 2.4 MB of floats
  std::vector<double> d(n, 2.0), b(n, 1.0), x(n, kSentinel);
  d[123457] = 0;
  d[n - 3] = kNaN;
  std::size_t bad = kNoIndex;
  EXPECT_EQ(dg_solve_diag_f64(n, d.data(), b.data(), x.data(), &bad), DG_E_SINGULAR);
  EXPECT_EQ(bad, 123457u);
  EXPECT_NE(last().find("d[123457]"), std::string::npos) << last();
  EXPECT_TRUE(untouched(x));
  d[123457] = 2.0;
  EXPECT_EQ(dg_reciprocal_f64(n, d.data(), x.data(), &bad), DG_E_NON_FINITE);
  EXPECT_EQ(bad, n - 3);
  EXPECT_TRUE(untouched(x));
  d[n - 3] = 4.0;
  ASSERT_EQ(dg_solve_diag_f64(n, d.data(), b.data(), x.data(), &bad), DG_OK) << last();
  EXPECT_EQ(x[0], 0.5);
  EXPECT_EQ(x[n - 3], 0.25);
  std::vector<float> df(n, 2.0f), bf(n, 1.0f), xf(n, -1.0f);
  df[7] = std::numeric_limits<float>::infinity();
  df[n - 1] = 0;
  EXPECT_EQ(dg_solve_diag_f32(n, df.data(), bf.data(), xf.data(), &bad), DG_E_NON_FINITE);
  EXPECT_EQ(bad, 7u);
  for (float v : xf) ASSERT_EQ(v, -1.0f);
}

TEST(ApiErrors, NanInRightHandSideIsDataNotError) {
  std::vector<double> d = {2, 4}, b = {kNaN, kInf}, x(2);
  ASSERT_EQ(dg_solve_diag_f64(2, d.data(), b.data(), x.data(), nullptr), DG_OK);
  EXPECT_TRUE(std::isnan(x[0]));
  EXPECT_EQ(x[1], kInf);
}

TEST(ApiErrors, NullPointerWithNonZeroSize) {
  std::vector<double> x(3, kSentinel);
  EXPECT_EQ(dg_solve_diag_f64(3, nullptr, x.data(), x.data(), nullptr), DG_E_NULL_POINTER);
  EXPECT_NE(last().find("'d'"), std::string::npos) << last();
  EXPECT_TRUE(untouched(x));
  EXPECT_EQ(dg_normal_f64(1, 0, 0, 5, nullptr), DG_E_NULL_POINTER);
  EXPECT_NE(last().find("'out'"), std::string::npos);
  // Size zero with null pointers is a valid empty call.
  EXPECT_EQ(dg_solve_diag_f64(0, nullptr, nullptr, nullptr, nullptr), DG_OK);
  EXPECT_EQ(dg_normal_f32(1, 0, 0, 0, nullptr), DG_OK);
}

TEST(ApiErrors, SizeOverflowDetected) {
  double one = 1;
  const std::size_t huge = std::numeric_limits<std::size_t>::max() / 2 + 7;
  EXPECT_EQ(dg_solve_diag_multi_f64(huge, 3, &one, &one, 3, &one, 3, nullptr), DG_E_SIZE_OVERFLOW);
  EXPECT_NE(last().find("overflows"), std::string::npos);
  EXPECT_EQ(dg_whiten_f64(huge, 4, &one, &one, &one, &one), DG_E_SIZE_OVERFLOW);
  EXPECT_EQ(dg_diag_logpdf_f64(3, huge, &one, &one, &one, &one), DG_E_SIZE_OVERFLOW);
  EXPECT_EQ(dg_gmm_logpdf_f64(huge, 2, 1, &one, &one, &one, &one, &one, nullptr), DG_E_SIZE_OVERFLOW);
  EXPECT_EQ(dg_sample_diag_f64(1, 0, 0, huge, 4, &one, &one, &one), DG_E_SIZE_OVERFLOW);
  EXPECT_EQ(dg_sample_gmm_f64(1, 0, 0, huge, 4, 1, &one, &one, &one, &one, nullptr), DG_E_SIZE_OVERFLOW);
}

TEST(ApiErrors, LeadingDimensionTooSmall) {
  std::vector<double> d = {1, 2}, B(8, 1), X(8, kSentinel);
  EXPECT_EQ(dg_solve_diag_multi_f64(2, 4, d.data(), B.data(), 3, X.data(), 4, nullptr), DG_E_INVALID_ARGUMENT);
  EXPECT_NE(last().find("ldb"), std::string::npos);
  EXPECT_EQ(dg_solve_diag_multi_f64(2, 4, d.data(), B.data(), 4, X.data(), 2, nullptr), DG_E_INVALID_ARGUMENT);
  EXPECT_NE(last().find("ldx"), std::string::npos);
  EXPECT_TRUE(untouched(X));
}

TEST(ApiErrors, WhitenAndLogpdfRejectBadScale) {
  std::vector<double> X = {1, 2, 3, 4}, mean = {0, 0}, out(4, kSentinel);
  for (double badv : {0.0, -1.0, kNaN, kInf}) {
    std::vector<double> sd = {1, badv};
    EXPECT_EQ(dg_whiten_f64(2, 2, X.data(), mean.data(), sd.data(), out.data()), DG_E_INVALID_ARGUMENT);
    EXPECT_NE(last().find("stddev[1]"), std::string::npos) << last();
    EXPECT_EQ(dg_diag_logpdf_f64(2, 2, X.data(), mean.data(), sd.data(), out.data()), DG_E_INVALID_ARGUMENT);
    EXPECT_NE(last().find("var[1]"), std::string::npos) << last();
  }
  std::vector<double> badmean = {0, kNaN}, sd = {1, 1};
  EXPECT_EQ(dg_whiten_f64(2, 2, X.data(), badmean.data(), sd.data(), out.data()), DG_E_NON_FINITE);
  EXPECT_NE(last().find("mean[1]"), std::string::npos);
  EXPECT_TRUE(untouched(out));
}

TEST(ApiErrors, MixtureWeightsValidated) {
  std::vector<double> X = {0, 0}, means = {0, 0}, vars = {1, 1}, out(2, kSentinel), resp(4, kSentinel);
  // Refused: a negative or non-finite weight, a zero sum (weights are otherwise normalised: {0.5, 0.6} is fine).
  const std::vector<std::vector<double>> bad = {{-0.1, 1.1}, {kNaN, 1}, {kInf, 1}, {0, 0}};
  for (const auto& w : bad) {
    EXPECT_EQ(dg_gmm_logpdf_f64(2, 1, 2, X.data(), w.data(), means.data(), vars.data(), out.data(), resp.data()),
              DG_E_BAD_WEIGHTS);
    EXPECT_NE(last().find("weights"), std::string::npos) << last();
    EXPECT_EQ(dg_sample_gmm_f64(1, 0, 0, 2, 1, 2, w.data(), means.data(), vars.data(), out.data(), nullptr),
              DG_E_BAD_WEIGHTS);
  }
  EXPECT_TRUE(untouched(out));
  EXPECT_TRUE(untouched(resp));
  const std::vector<double> ok = {0.5, 0.6};  // normalised to {5/11, 6/11}
  EXPECT_EQ(dg_gmm_logpdf_f64(2, 1, 2, X.data(), ok.data(), means.data(), vars.data(), out.data(), nullptr), DG_OK);
  std::vector<double> badvars = {1, -2};
  EXPECT_EQ(dg_gmm_logpdf_f64(2, 1, 2, X.data(), ok.data(), means.data(), badvars.data(), out.data(), nullptr),
            DG_E_INVALID_ARGUMENT);
  EXPECT_NE(last().find("vars[1][0]"), std::string::npos) << last();
}

TEST(ApiErrors, SamplingRejectsBadStddev) {
  std::vector<double> mean = {0, 0}, out(4, kSentinel);
  for (double badv : {-1.0, kNaN, kInf}) {
    std::vector<double> sd = {1, badv};
    EXPECT_EQ(dg_sample_diag_f64(1, 0, 0, 2, 2, mean.data(), sd.data(), out.data()), DG_E_INVALID_ARGUMENT);
    EXPECT_NE(last().find("stddev[1]"), std::string::npos) << last();
  }
  EXPECT_TRUE(untouched(out));
  std::vector<double> zero_sd = {0, 0};  // stddev 0 is allowed: the sample is the mean
  ASSERT_EQ(dg_sample_diag_f64(1, 0, 0, 2, 2, mean.data(), zero_sd.data(), out.data()), DG_OK);
  EXPECT_EQ(out[0], 0.0);
}

TEST(ApiErrors, StatusStringsAreDistinct) {
  const int codes[] = {DG_OK, DG_E_NULL_POINTER, DG_E_SINGULAR, DG_E_NON_FINITE, DG_E_INVALID_ARGUMENT,
                       DG_E_BAD_WEIGHTS, DG_E_SIZE_OVERFLOW, DG_E_UNKNOWN_NAME, DG_E_UNSUPPORTED_ISA, DG_E_PROFILE,
                       DG_E_IO, DG_E_INTERNAL};
  for (int a : codes)
    for (int b : codes)
      if (a != b) {
        EXPECT_STRNE(dg_status_string(a), dg_status_string(b));
      }
  EXPECT_STREQ(dg_status_string(12345), "unknown status code");
}

}  // namespace
