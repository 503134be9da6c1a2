// diaggauss — optional Eigen overloads (header-only; include it only where Eigen is available, e.g. Debian's
// libeigen3-dev).  Points matrices are npoints x dim, one point per row, in either storage order: an
// Eigen::MatrixXd (column-major), a row-major matrix, a Map, a Ref or a block of one (any outer stride) is passed to
// the C API's leading-dimension functions as it is — no copy — with its layout (DG_COL_MAJOR / DG_ROW_MAJOR) and
// outerStride().  Only an expression without direct access or with an inner stride (e.g. a transposed block of a
// strided Map) is evaluated once into a temporary.  Vectors (mean, stddev, var, weights) are any Eigen vector;
// mixture parameters (means, vars: ncomp x dim) are copied to row-major when they are not already.
// Errors throw diaggauss::Error as in diaggauss.hpp.
#ifndef DIAGGAUSS_EIGEN_HPP
#define DIAGGAUSS_EIGEN_HPP

#include <cstddef>
#include <cstdint>
#include <string>

#include <Eigen/Core>

#include "diaggauss/diaggauss.hpp"

namespace diaggauss {
namespace eigen {

template <class T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using ColMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
template <class T>
using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

namespace detail {

template <class T>
constexpr void check_scalar() {
  static_assert(std::is_same<T, float>::value || std::is_same<T, double>::value,
                "diaggauss::eigen: matrices of float or double");
}

// A read-only view of a points matrix in the storage order of Derived: Eigen::Ref binds without a copy whenever
// the data allow it (inner stride 1, any outer stride) and evaluates into its own storage otherwise.
template <class Derived>
using InRef = Eigen::Ref<const typename std::conditional<Derived::IsRowMajor, RowMatrix<typename Derived::Scalar>,
                                                         ColMatrix<typename Derived::Scalar>>::type,
                         0, Eigen::OuterStride<>>;

template <class Derived>
constexpr int layout_of() {
  return Derived::IsRowMajor ? DG_ROW_MAJOR : DG_COL_MAJOR;
}

inline void expect(bool ok, const std::string& what) {
  if (!ok) throw Error(DG_E_INVALID_ARGUMENT, "diaggauss::eigen: " + what);
}

// Row-major, contiguous mixture parameters (a no-copy Ref when they already are).
template <class T>
using ParamRef = Eigen::Ref<const RowMatrix<T>>;
template <class T>
using VecRef = Eigen::Ref<const Vector<T>>;

// The C functions by element type.
template <class T>
struct C;
template <>
struct C<double> {
  static constexpr auto whiten = dg_whiten_ld_f64;
  static constexpr auto diag_logpdf = dg_diag_logpdf_ld_f64;
  static constexpr auto gmm_logpdf = dg_gmm_logpdf_ld_f64;
  static constexpr auto sample_diag = dg_sample_diag_ld_f64;
};
template <>
struct C<float> {
  static constexpr auto whiten = dg_whiten_ld_f32;
  static constexpr auto diag_logpdf = dg_diag_logpdf_ld_f32;
  static constexpr auto gmm_logpdf = dg_gmm_logpdf_ld_f32;
  static constexpr auto sample_diag = dg_sample_diag_ld_f32;
};

}  // namespace detail

// Z = (X - mean) / stddev, row by row, into Z (any storage order, writable with inner stride 1: a matrix, a Map,
// a block).  Z may be X.  X is read in Z's storage order (a copy only when X's order differs).
template <class DX, class DM, class DS, class DZ>
void whiten(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DM>& mean, const Eigen::MatrixBase<DS>& stddev,
            const Eigen::MatrixBase<DZ>& Z_) {
  using T = typename DX::Scalar;
  detail::check_scalar<T>();
  auto& Z = const_cast<Eigen::MatrixBase<DZ>&>(Z_);  // Eigen's idiom for writable expression arguments
  using ZRef = Eigen::Ref<typename std::conditional<DZ::IsRowMajor, RowMatrix<T>, ColMatrix<T>>::type, 0,
                          Eigen::OuterStride<>>;
  ZRef z(Z.derived());  // compile error (not a silent copy) when Z cannot be written in place
  const detail::InRef<DZ> x(X.derived());
  const detail::VecRef<T> m(mean), s(stddev);
  detail::expect(z.rows() == x.rows() && z.cols() == x.cols(), "whiten: Z must have X's shape");
  detail::expect(m.size() == x.cols() && s.size() == x.cols(), "whiten: mean and stddev need X.cols() entries");
  detail_api::check(detail::C<T>::whiten(detail::layout_of<DZ>(), x.rows(), x.cols(), x.data(), x.outerStride(),
                                         m.data(), s.data(), z.data(), z.outerStride()));
}

// The whitened points as a new matrix in X's storage order.
template <class DX, class DM, class DS>
auto whiten(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DM>& mean, const Eigen::MatrixBase<DS>& stddev) {
  using T = typename DX::Scalar;
  typename std::conditional<DX::IsRowMajor, RowMatrix<T>, ColMatrix<T>>::type Z(X.rows(), X.cols());
  whiten(X, mean, stddev, Z);
  return Z;
}

// log N(X[p]; mean, diag(var)) for every row p.
template <class DX, class DM, class DV>
Vector<typename DX::Scalar> diag_logpdf(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DM>& mean,
                                        const Eigen::MatrixBase<DV>& var) {
  using T = typename DX::Scalar;
  detail::check_scalar<T>();
  const detail::InRef<DX> x(X.derived());
  const detail::VecRef<T> m(mean), v(var);
  detail::expect(m.size() == x.cols() && v.size() == x.cols(), "diag_logpdf: mean and var need X.cols() entries");
  Vector<T> out(x.rows());
  detail_api::check(detail::C<T>::diag_logpdf(detail::layout_of<DX>(), x.rows(), x.cols(), x.data(),
                                              x.outerStride(), m.data(), v.data(), out.data()));
  return out;
}

// log sum_k w_k N(X[p]; means.row(k), diag(vars.row(k))) for every row p (weights normalised, as in the C API).
template <class DX, class DW, class DM, class DV>
Vector<typename DX::Scalar> gmm_logpdf(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DW>& weights,
                                       const Eigen::MatrixBase<DM>& means, const Eigen::MatrixBase<DV>& vars) {
  using T = typename DX::Scalar;
  detail::check_scalar<T>();
  const detail::InRef<DX> x(X.derived());
  const detail::VecRef<T> w(weights);
  const detail::ParamRef<T> mu(means), va(vars);
  detail::expect(mu.rows() == w.size() && mu.cols() == x.cols() && va.rows() == mu.rows() && va.cols() == mu.cols(),
                 "gmm_logpdf: means and vars must be weights.size() x X.cols()");
  Vector<T> out(x.rows());
  detail_api::check(detail::C<T>::gmm_logpdf(detail::layout_of<DX>(), x.rows(), x.cols(), w.size(), x.data(),
                                             x.outerStride(), w.data(), mu.data(), va.data(), out.data(), nullptr));
  return out;
}

// Fills out (npoints x dim, any storage order) with mean + stddev * z, z the normals offset + p*dim + j of
// (seed, stream): the same numbers as dg_sample_diag_* into a row-major buffer.
template <class DM, class DS, class DO>
void sample_diag(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, const Eigen::MatrixBase<DM>& mean,
                 const Eigen::MatrixBase<DS>& stddev, const Eigen::MatrixBase<DO>& out_) {
  using T = typename DO::Scalar;
  detail::check_scalar<T>();
  auto& out = const_cast<Eigen::MatrixBase<DO>&>(out_);
  using ORef = Eigen::Ref<typename std::conditional<DO::IsRowMajor, RowMatrix<T>, ColMatrix<T>>::type, 0,
                          Eigen::OuterStride<>>;
  ORef o(out.derived());
  const detail::VecRef<T> m(mean), s(stddev);
  detail::expect(m.size() == o.cols() && s.size() == o.cols(), "sample_diag: mean and stddev need out.cols() entries");
  detail_api::check(detail::C<T>::sample_diag(detail::layout_of<DO>(), seed, stream, offset, o.rows(), o.cols(),
                                              m.data(), s.data(), o.data(), o.outerStride()));
}

}  // namespace eigen
}  // namespace diaggauss

#endif  // DIAGGAUSS_EIGEN_HPP
