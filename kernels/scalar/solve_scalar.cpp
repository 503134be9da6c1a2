// Scalar reference of the diagonal-solve family: the oracle.  Plain IEEE operations in the order the
// contracts in diaggauss.h state; the vector implementations must reproduce these bits exactly.
#include <cmath>

#include "kernels/scalar/scalar_kernels.hpp"

namespace diaggauss::scalar {

template <class T>
std::size_t find_bad_diag(std::size_t n, const T* d) {
  for (std::size_t i = 0; i < n; ++i)
    if (d[i] == T(0) || !std::isfinite(d[i])) return i;
  return n;
}

template <class T>
void solve_diag(std::size_t n, const T* d, const T* b, T* x) {
  for (std::size_t i = 0; i < n; ++i) x[i] = b[i] / d[i];
}

template <class T>
void reciprocal(std::size_t n, const T* d, T* inv) {
  for (std::size_t i = 0; i < n; ++i) inv[i] = T(1) / d[i];
}

template <class T>
void solve_diag_inv(std::size_t n, const T* inv, const T* b, T* x) {
  for (std::size_t i = 0; i < n; ++i) x[i] = b[i] * inv[i];
}

template <class T>
void solve_diag_multi(std::size_t n, std::size_t nrhs, const T* d, const T* B, std::size_t ldb, T* X,
                      std::size_t ldx) {
  for (std::size_t i = 0; i < n; ++i) {
    const T inv = T(1) / d[i];
    for (std::size_t j = 0; j < nrhs; ++j) X[i * ldx + j] = B[i * ldb + j] * inv;
  }
}

template <class T>
void whiten(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* stddev, T* Z) {
  for (std::size_t p = 0; p < npoints; ++p)
    for (std::size_t j = 0; j < dim; ++j) Z[p * dim + j] = (X[p * dim + j] - mean[j]) / stddev[j];
}

#include "kernels/common/instantiate_solve.inc"

}  // namespace diaggauss::scalar
