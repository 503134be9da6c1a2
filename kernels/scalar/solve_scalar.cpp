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
                      std::size_t ldx, const Blocking&) {
  for (std::size_t i = 0; i < n; ++i) {
    const T inv = T(1) / d[i];
    for (std::size_t j = 0; j < nrhs; ++j) X[i * ldx + j] = B[i * ldb + j] * inv;
  }
}

template <class T>
void whiten(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* stddev, T* Z,
            const Blocking&) {
  for (std::size_t p = 0; p < npoints; ++p)
    for (std::size_t j = 0; j < dim; ++j) Z[p * dim + j] = (X[p * dim + j] - mean[j]) / stddev[j];
}

template std::size_t find_bad_diag<float>(std::size_t, const float*);
template std::size_t find_bad_diag<double>(std::size_t, const double*);
template void solve_diag<float>(std::size_t, const float*, const float*, float*);
template void solve_diag<double>(std::size_t, const double*, const double*, double*);
template void reciprocal<float>(std::size_t, const float*, float*);
template void reciprocal<double>(std::size_t, const double*, double*);
template void solve_diag_inv<float>(std::size_t, const float*, const float*, float*);
template void solve_diag_inv<double>(std::size_t, const double*, const double*, double*);
template void solve_diag_multi<float>(std::size_t, std::size_t, const float*, const float*, std::size_t, float*,
                                      std::size_t, const Blocking&);
template void solve_diag_multi<double>(std::size_t, std::size_t, const double*, const double*, std::size_t,
                                       double*, std::size_t, const Blocking&);
template void whiten<float>(std::size_t, std::size_t, const float*, const float*, const float*, float*,
                            const Blocking&);
template void whiten<double>(std::size_t, std::size_t, const double*, const double*, const double*, double*,
                             const Blocking&);

}  // namespace diaggauss::scalar
