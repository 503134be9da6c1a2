// diaggauss/eigen.hpp: Eigen's default column-major matrices, row-major matrices, Maps and blocks give the answers
// of a contiguous row-major copy (the bug of issue 17: MatrixXd::data() passed to dg_diag_logpdf_f64 read the
// points transposed and gave -7.76 where -4.26 is right).  Built only when Eigen (libeigen3-dev) is found.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "diaggauss/eigen.hpp"

namespace {

using diaggauss::eigen::RowMatrix;
using Eigen::MatrixXd;
using Eigen::VectorXd;

MatrixXd points(Eigen::Index n, Eigen::Index d) {
  MatrixXd X(n, d);
  for (Eigen::Index p = 0; p < n; ++p)
    for (Eigen::Index j = 0; j < d; ++j) X(p, j) = std::sin(0.7 * p + 1.3 * j) * (1 + j);
  return X;
}

// The contiguous C API on a row-major copy: the reference.
VectorXd ref_logpdf(const MatrixXd& X, const VectorXd& mean, const VectorXd& var) {
  const RowMatrix<double> R = X;
  VectorXd out(X.rows());
  EXPECT_EQ(dg_diag_logpdf_f64(X.rows(), X.cols(), R.data(), mean.data(), var.data(), out.data()), DG_OK);
  return out;
}

TEST(EigenLayout, IssueExampleColumnMajorLogpdf) {
  MatrixXd X(2, 3);
  X << 0.5, -1.0, 2.0, 1.0, 0.0, -0.5;
  const VectorXd mean = VectorXd::Zero(3), var = VectorXd::Ones(3);
  const VectorXd lp = diaggauss::eigen::diag_logpdf(X, mean, var);
  for (Eigen::Index p = 0; p < 2; ++p)
    EXPECT_NEAR(lp(p), -0.5 * X.row(p).squaredNorm() - 1.5 * std::log(2 * M_PI), 1e-13);
}

TEST(EigenLayout, ColumnMajorRowMajorMapsAndBlocksEqualTheRowMajorCopy) {
  const MatrixXd X = points(301, 7);
  VectorXd mean(7), sd(7);
  for (int j = 0; j < 7; ++j) mean(j) = 0.1 * j, sd(j) = 0.5 + 0.25 * j;
  const VectorXd var = sd.array().square();
  const VectorXd ref = ref_logpdf(X, mean, var);
  const RowMatrix<double> Xr = X;
  MatrixXd wide = MatrixXd::Zero(310, 12);
  wide.block(4, 3, 301, 7) = X;
  const auto blk = wide.block(4, 3, 301, 7);  // column-major block, outer stride 310
  const Eigen::Map<const MatrixXd, 0, Eigen::OuterStride<>> map(wide.data() + 3 * 310 + 4, 301, 7,
                                                                 Eigen::OuterStride<>(310));
  for (const VectorXd& lp : {diaggauss::eigen::diag_logpdf(X, mean, var), diaggauss::eigen::diag_logpdf(Xr, mean, var),
                             diaggauss::eigen::diag_logpdf(blk, mean, var),
                             diaggauss::eigen::diag_logpdf(map, mean, var)})
    for (Eigen::Index p = 0; p < X.rows(); ++p) ASSERT_NEAR(lp(p), ref(p), 1e-13 * (1 + std::fabs(ref(p)))) << p;

  // whiten: bit for bit, into column-major, row-major and a block of a bigger matrix.
  RowMatrix<double> Zref(301, 7);
  ASSERT_EQ(dg_whiten_f64(301, 7, Xr.data(), mean.data(), sd.data(), Zref.data()), DG_OK);
  const MatrixXd Zc = diaggauss::eigen::whiten(X, mean, sd);
  const RowMatrix<double> Zr = diaggauss::eigen::whiten(Xr, mean, sd);
  MatrixXd big = MatrixXd::Constant(305, 9, -7);
  diaggauss::eigen::whiten(blk, mean, sd, big.block(2, 1, 301, 7));
  EXPECT_TRUE(Zc == MatrixXd(Zref));
  EXPECT_TRUE(Zr == Zref);
  EXPECT_TRUE(big.block(2, 1, 301, 7) == MatrixXd(Zref));
  EXPECT_EQ(big(0, 0), -7);
  EXPECT_EQ(big(304, 8), -7);

  // Mixture log-density on the column-major matrix.
  VectorXd w(2);
  w << 1, 3;  // normalised by the library
  RowMatrix<double> means(2, 7), vars(2, 7);
  means.row(0) = mean.transpose();
  means.row(1) = -mean.transpose();
  vars.row(0) = var.transpose();
  vars.row(1) = 2 * var.transpose();
  VectorXd gref(301);
  ASSERT_EQ(dg_gmm_logpdf_f64(301, 7, 2, Xr.data(), w.data(), means.data(), vars.data(), gref.data(), nullptr), DG_OK);
  const VectorXd g = diaggauss::eigen::gmm_logpdf(X, w, MatrixXd(means), vars);  // means column-major too
  for (Eigen::Index p = 0; p < 301; ++p) ASSERT_NEAR(g(p), gref(p), 1e-13 * (1 + std::fabs(gref(p))));
}

TEST(EigenLayout, SampleDiagIntoColumnMajorEqualsRowMajorBuffer) {
  VectorXd mean(3), sd(3);
  mean << 1, 2, 3;
  sd << 0.5, 1, 2;
  RowMatrix<double> ref(40, 3);
  ASSERT_EQ(dg_sample_diag_f64(5, 6, 7, 40, 3, mean.data(), sd.data(), ref.data()), DG_OK);
  MatrixXd out(40, 3);
  diaggauss::eigen::sample_diag(5, 6, 7, mean, sd, out);
  EXPECT_TRUE(out == MatrixXd(ref));
  MatrixXd mismatched(40, 4);
  EXPECT_THROW(diaggauss::eigen::sample_diag(5, 6, 7, mean, sd, mismatched), diaggauss::Error);
}

}  // namespace
