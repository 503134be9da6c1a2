// The leading-dimension variants (dg_*_ld_*): column-major matrices and sub-matrix views give what the contiguous
// functions give on a row-major copy — bit for bit for whiten and the samplers, within the log-density contract
// (here far tighter: the same kernels see the same rows) for the log-densities.
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "diaggauss/diaggauss.h"

namespace {

std::string last() { return dg_last_error(); }

// A points matrix stored three ways: contiguous row-major (the reference), column-major with ld = np + 3, and a
// row-major view with ld = dim + 5 (a sub-matrix of a wider one).  Padding holds a sentinel that must survive.
template <class T>
struct Layouts {
  std::size_t np, dim, ld_col, ld_row;
  std::vector<T> rm, cm, rv;
  static constexpr T kPad = T(-777);
  Layouts(std::size_t n, std::size_t d, std::uint32_t seed) : np(n), dim(d), ld_col(n + 3), ld_row(d + 5) {
    std::mt19937 g(seed);
    std::normal_distribution<double> z(0.0, 2.0);
    rm.resize(np * dim);
    for (T& v : rm) v = static_cast<T>(z(g));
    cm.assign(ld_col * dim, kPad);
    rv.assign(ld_row * np, kPad);
    for (std::size_t p = 0; p < np; ++p)
      for (std::size_t j = 0; j < dim; ++j) cm[p + j * ld_col] = rv[p * ld_row + j] = rm[p * dim + j];
  }
  T col(std::size_t p, std::size_t j) const { return cm[p + j * ld_col]; }
  T row(std::size_t p, std::size_t j) const { return rv[p * ld_row + j]; }
};

// Sizes that cross the layout code's row blocks (32 KiB / dim rows) and the kernels' vector widths.
const std::size_t kSizes[][2] = {{1, 1}, {7, 3}, {130, 5}, {1500, 9}, {3, 1}};

TEST(ApiLayout, WhitenColumnMajorAndViewsEqualRowMajorBitForBit) {
  for (auto [np, dim] : kSizes) {
    Layouts<double> L(np, dim, 1);
    std::vector<double> mean(dim), sd(dim);
    for (std::size_t j = 0; j < dim; ++j) mean[j] = 0.5 * j - 1, sd[j] = 0.75 + 0.25 * j;
    std::vector<double> ref(np * dim);
    ASSERT_EQ(dg_whiten_f64(np, dim, L.rm.data(), mean.data(), sd.data(), ref.data()), DG_OK);
    std::vector<double> zc(L.ld_col * dim, L.kPad), zr(L.ld_row * np, L.kPad);
    ASSERT_EQ(dg_whiten_ld_f64(DG_COL_MAJOR, np, dim, L.cm.data(), L.ld_col, mean.data(), sd.data(), zc.data(),
                               L.ld_col), DG_OK) << last();
    ASSERT_EQ(dg_whiten_ld_f64(DG_ROW_MAJOR, np, dim, L.rv.data(), L.ld_row, mean.data(), sd.data(), zr.data(),
                               L.ld_row), DG_OK) << last();
    for (std::size_t p = 0; p < np; ++p)
      for (std::size_t j = 0; j < dim; ++j) {
        ASSERT_EQ(zc[p + j * L.ld_col], ref[p * dim + j]) << np << "x" << dim << " (" << p << "," << j << ")";
        ASSERT_EQ(zr[p * L.ld_row + j], ref[p * dim + j]) << np << "x" << dim << " (" << p << "," << j << ")";
      }
    for (std::size_t p = np; p < L.ld_col; ++p) EXPECT_EQ(zc[p], L.kPad);  // padding untouched
    for (std::size_t j = dim; j < L.ld_row; ++j) EXPECT_EQ(zr[j], L.kPad);
    // In place (Z == X, same ld), column-major.
    std::vector<double> inplace = L.cm;
    ASSERT_EQ(dg_whiten_ld_f64(DG_COL_MAJOR, np, dim, inplace.data(), L.ld_col, mean.data(), sd.data(),
                               inplace.data(), L.ld_col), DG_OK);
    EXPECT_EQ(inplace, zc);
  }
}

TEST(ApiLayout, LogDensitiesColumnMajorAndViewsEqualRowMajor) {
  for (auto [np, dim] : kSizes) {
    Layouts<double> L(np, dim, 2);
    Layouts<float> F(np, dim, 2);
    std::vector<double> mean(dim, 0.25), var(dim);
    for (std::size_t j = 0; j < dim; ++j) var[j] = 0.5 + j;
    std::vector<float> meanf(mean.begin(), mean.end()), varf(var.begin(), var.end());
    std::vector<double> ref(np), oc(np), orr(np);
    ASSERT_EQ(dg_diag_logpdf_f64(np, dim, L.rm.data(), mean.data(), var.data(), ref.data()), DG_OK);
    ASSERT_EQ(dg_diag_logpdf_ld_f64(DG_COL_MAJOR, np, dim, L.cm.data(), L.ld_col, mean.data(), var.data(),
                                    oc.data()), DG_OK) << last();
    ASSERT_EQ(dg_diag_logpdf_ld_f64(DG_ROW_MAJOR, np, dim, L.rv.data(), L.ld_row, mean.data(), var.data(),
                                    orr.data()), DG_OK) << last();
    for (std::size_t p = 0; p < np; ++p) {
      EXPECT_NEAR(oc[p], ref[p], 1e-13 * (1 + std::fabs(ref[p])));
      EXPECT_NEAR(orr[p], ref[p], 1e-13 * (1 + std::fabs(ref[p])));
    }
    std::vector<float> reff(np), ocf(np);
    ASSERT_EQ(dg_diag_logpdf_f32(np, dim, F.rm.data(), meanf.data(), varf.data(), reff.data()), DG_OK);
    ASSERT_EQ(dg_diag_logpdf_ld_f32(DG_COL_MAJOR, np, dim, F.cm.data(), F.ld_col, meanf.data(), varf.data(),
                                    ocf.data()), DG_OK);
    for (std::size_t p = 0; p < np; ++p) EXPECT_NEAR(ocf[p], reff[p], 1e-4 + 2e-6 * std::fabs(reff[p]));

    const std::size_t k = 3;
    std::vector<double> w = {0.2, 0.5, 0.3}, means(k * dim), vars(k * dim);
    for (std::size_t i = 0; i < k * dim; ++i) means[i] = 0.3 * i - 1, vars[i] = 0.5 + 0.1 * i;
    std::vector<double> gref(np), gc(np), cref(np * k), cc(np * k), gr(np);
    ASSERT_EQ(dg_gmm_logpdf_f64(np, dim, k, L.rm.data(), w.data(), means.data(), vars.data(), gref.data(),
                                cref.data()), DG_OK);
    ASSERT_EQ(dg_gmm_logpdf_ld_f64(DG_COL_MAJOR, np, dim, k, L.cm.data(), L.ld_col, w.data(), means.data(),
                                   vars.data(), gc.data(), cc.data()), DG_OK) << last();
    ASSERT_EQ(dg_gmm_logpdf_ld_f64(DG_ROW_MAJOR, np, dim, k, L.rv.data(), L.ld_row, w.data(), means.data(),
                                   vars.data(), gr.data(), nullptr), DG_OK) << last();
    for (std::size_t p = 0; p < np; ++p) {
      EXPECT_NEAR(gc[p], gref[p], 1e-13 * (1 + std::fabs(gref[p])));
      EXPECT_NEAR(gr[p], gref[p], 1e-13 * (1 + std::fabs(gref[p])));
      for (std::size_t c = 0; c < k; ++c)
        EXPECT_NEAR(cc[p * k + c], cref[p * k + c], 1e-13 * (1 + std::fabs(cref[p * k + c])));
    }
  }
}

TEST(ApiLayout, SamplersFillColumnMajorAndViewsWithTheRowMajorValues) {
  for (auto [np, dim] : kSizes) {
    std::vector<double> mean(dim), sd(dim);
    for (std::size_t j = 0; j < dim; ++j) mean[j] = j, sd[j] = 1 + j;
    std::vector<double> ref(np * dim);
    ASSERT_EQ(dg_sample_diag_f64(4, 1, 11, np, dim, mean.data(), sd.data(), ref.data()), DG_OK);
    const std::size_t ldc = np + 2, ldr = dim + 3;
    std::vector<double> c(ldc * dim, -7), r(ldr * np, -7);
    ASSERT_EQ(dg_sample_diag_ld_f64(DG_COL_MAJOR, 4, 1, 11, np, dim, mean.data(), sd.data(), c.data(), ldc), DG_OK)
        << last();
    ASSERT_EQ(dg_sample_diag_ld_f64(DG_ROW_MAJOR, 4, 1, 11, np, dim, mean.data(), sd.data(), r.data(), ldr), DG_OK);
    for (std::size_t p = 0; p < np; ++p)
      for (std::size_t j = 0; j < dim; ++j) {
        ASSERT_EQ(c[p + j * ldc], ref[p * dim + j]);
        ASSERT_EQ(r[p * ldr + j], ref[p * dim + j]);
      }
    const std::size_t k = 2;
    std::vector<double> w = {0.4, 0.6}, means(k * dim), sds(k * dim, 0.5);
    for (std::size_t i = 0; i < k * dim; ++i) means[i] = 3.0 * i;
    std::vector<double> gref(np * dim), gc(ldc * dim);
    std::vector<std::uint32_t> lref(np), lc(np);
    ASSERT_EQ(dg_sample_gmm_f64(4, 1, 11, np, dim, k, w.data(), means.data(), sds.data(), gref.data(), lref.data()),
              DG_OK);
    ASSERT_EQ(dg_sample_gmm_ld_f64(DG_COL_MAJOR, 4, 1, 11, np, dim, k, w.data(), means.data(), sds.data(),
                                   gc.data(), ldc, lc.data()), DG_OK) << last();
    EXPECT_EQ(lc, lref);
    for (std::size_t p = 0; p < np; ++p)
      for (std::size_t j = 0; j < dim; ++j) ASSERT_EQ(gc[p + j * ldc], gref[p * dim + j]);
    std::vector<float> meanf(mean.begin(), mean.end()), sdf(sd.begin(), sd.end()), reff(np * dim), cf(ldc * dim);
    ASSERT_EQ(dg_sample_diag_f32(4, 1, 11, np, dim, meanf.data(), sdf.data(), reff.data()), DG_OK);
    ASSERT_EQ(dg_sample_diag_ld_f32(DG_COL_MAJOR, 4, 1, 11, np, dim, meanf.data(), sdf.data(), cf.data(), ldc),
              DG_OK);
    for (std::size_t p = 0; p < np; ++p)
      for (std::size_t j = 0; j < dim; ++j) ASSERT_EQ(cf[p + j * ldc], reff[p * dim + j]);
  }
}

TEST(ApiLayout, BadLayoutOrLeadingDimensionIsNamedAndNothingIsWritten) {
  std::vector<double> X(12, 1.0), mean(3, 0.0), sd(3, 1.0), Z(12, -7);
  EXPECT_EQ(dg_whiten_ld_f64(7, 4, 3, X.data(), 3, mean.data(), sd.data(), Z.data(), 3), DG_E_INVALID_ARGUMENT);
  EXPECT_NE(last().find("layout"), std::string::npos) << last();
  EXPECT_EQ(dg_whiten_ld_f64(DG_ROW_MAJOR, 4, 3, X.data(), 2, mean.data(), sd.data(), Z.data(), 3),
            DG_E_INVALID_ARGUMENT);
  EXPECT_NE(last().find("ldx"), std::string::npos) << last();
  EXPECT_EQ(dg_whiten_ld_f64(DG_COL_MAJOR, 4, 3, X.data(), 4, mean.data(), sd.data(), Z.data(), 3),
            DG_E_INVALID_ARGUMENT);
  EXPECT_NE(last().find("ldz"), std::string::npos) << last();
  // The contiguous function's checks, under the ld function's name.
  sd[1] = 0;
  EXPECT_EQ(dg_whiten_ld_f64(DG_COL_MAJOR, 4, 3, X.data(), 4, mean.data(), sd.data(), Z.data(), 4),
            DG_E_INVALID_ARGUMENT);
  EXPECT_EQ(last().rfind("dg_whiten_ld_f64: stddev[1]", 0), 0u) << last();
  for (double z : Z) EXPECT_EQ(z, -7);
  std::vector<double> out(4, -7);
  EXPECT_EQ(dg_diag_logpdf_ld_f64(DG_COL_MAJOR, 4, 3, nullptr, 4, mean.data(), sd.data(), out.data()),
            DG_E_NULL_POINTER);
  EXPECT_EQ(dg_sample_diag_ld_f64(DG_ROW_MAJOR, 1, 0, 0, 4, 3, mean.data(), sd.data(), Z.data(), 1),
            DG_E_INVALID_ARGUMENT);
  EXPECT_NE(last().find("ldo"), std::string::npos) << last();
  EXPECT_EQ(dg_sample_diag_ld_f64(DG_ROW_MAJOR, 1, 0, 0, 2, 3, mean.data(), sd.data(), Z.data(), SIZE_MAX),
            DG_E_SIZE_OVERFLOW);
  for (double o : out) EXPECT_EQ(o, -7);
}

// An offset whose range wraps only in a later row block: the whole call is refused before the first block is
// written, with the caller's offset and counts in the message.  (The blocks were checked one at a time, so the
// first 1024 points were written and the message named the second block's offset.)
TEST(ApiLayout, SamplersRefuseAWrappingRangeBeforeWritingAnyBlock) {
  const std::size_t np = 2000, dim = 4;  // column-major: row blocks of 32 KiB / dim = 1024 points
  std::vector<double> mean(dim, 0.0), sd(dim, 1.0), w = {1, 1}, means(2 * dim, 0.0), sds(2 * dim, 1.0);
  std::vector<double> out(np * dim, -7);
  const std::uint64_t diag_offset = 0 - std::uint64_t{4 * 1500};  // the first block fits, the second does not
  EXPECT_EQ(dg_sample_diag_ld_f64(DG_COL_MAJOR, 1, 0, diag_offset, np, dim, mean.data(), sd.data(), out.data(), np),
            DG_E_INVALID_ARGUMENT);
  EXPECT_EQ(last().rfind("dg_sample_diag_ld_f64: offset = " + std::to_string(diag_offset), 0), 0u) << last();
  EXPECT_NE(last().find("its 8000 normals"), std::string::npos) << last();
  for (double o : out) ASSERT_EQ(o, -7);
  const std::uint64_t gmm_offset = (std::uint64_t{1} << 62) - 1500;  // 2^64 / dim points fit
  std::vector<std::uint32_t> labels(np, 99);
  EXPECT_EQ(dg_sample_gmm_ld_f64(DG_COL_MAJOR, 1, 0, gmm_offset, np, dim, 2, w.data(), means.data(), sds.data(),
                                 out.data(), np, labels.data()),
            DG_E_INVALID_ARGUMENT);
  EXPECT_EQ(last().rfind("dg_sample_gmm_ld_f64: offset = " + std::to_string(gmm_offset), 0), 0u) << last();
  for (double o : out) ASSERT_EQ(o, -7);
  for (std::uint32_t l : labels) ASSERT_EQ(l, 99u);
  // The last offsets that fit still work, in every block.
  EXPECT_EQ(dg_sample_diag_ld_f64(DG_COL_MAJOR, 1, 0, 0 - std::uint64_t{np * dim}, np, dim, mean.data(), sd.data(),
                                  out.data(), np),
            DG_OK) << last();
  EXPECT_EQ(dg_sample_gmm_ld_f64(DG_COL_MAJOR, 1, 0, (std::uint64_t{1} << 62) - np, np, dim, 2, w.data(),
                                 means.data(), sds.data(), out.data(), np, labels.data()),
            DG_OK) << last();
  for (double o : out) ASSERT_NE(o, -7);
}

}  // namespace
