// Scalar log-densities: straightforward loops in the working precision (the accuracy contract is checked
// against a long-double reference in tests, not against these).
#include <cmath>
#include <limits>

#include "kernels/scalar/scalar_kernels.hpp"

namespace diaggauss::scalar {

template <class T>
static T quad_form(std::size_t dim, const T* x, const T* mean, const T* inv_var) {
  T acc = 0;
  for (std::size_t j = 0; j < dim; ++j) {
    const T diff = x[j] - mean[j];
    const T t = diff * inv_var[j];  // diff*inv_var first: (diff*diff) could overflow where the result does not
    acc += t * diff;
  }
  return acc;
}

template <class T>
void diag_logpdf(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* inv_var, T log_norm,
                 T* out, const Blocking&) {
  for (std::size_t p = 0; p < npoints; ++p) out[p] = log_norm - T(0.5) * quad_form(dim, X + p * dim, mean, inv_var);
}

template <class T>
void gmm_logpdf(std::size_t npoints, std::size_t dim, std::size_t ncomp, const T* X, const T* log_norm,
                const T* log_weight, const T* means, const T* inv_vars, T* out, T* resp, const Blocking&) {
  constexpr T kNegInf = -std::numeric_limits<T>::infinity();
  T l_small[64];
  for (std::size_t p = 0; p < npoints; ++p) {
    const T* x = X + p * dim;
    T m = kNegInf;
    // Two passes over the components (max, then sum) keep this allocation-free for any ncomp.
    for (std::size_t k = 0; k < ncomp; ++k) {
      const T c = log_norm[k] - T(0.5) * quad_form(dim, x, means + k * dim, inv_vars + k * dim);
      if (resp) resp[p * ncomp + k] = c;
      const T l = log_weight[k] + c;
      if (k < 64) l_small[k] = l;
      // NaN (a NaN in X) wins the max, so it reaches out[p] as on every SIMD implementation (docs/numerics.md);
      // a plain `l > m` never fires on NaN and used to leave m = -inf, i.e. out[p] = -inf.
      if (l > m || std::isnan(l)) m = l;
    }
    if (m == kNegInf) {
      out[p] = kNegInf;
      continue;
    }
    T sum = 0;
    for (std::size_t k = 0; k < ncomp; ++k) {
      const T l = k < 64 ? l_small[k]
                         : log_weight[k] + (log_norm[k] - T(0.5) * quad_form(dim, x, means + k * dim, inv_vars + k * dim));
      sum += std::exp(l - m);
    }
    out[p] = m + std::log(sum);
  }
}

#include "kernels/common/instantiate_logpdf.inc"

}  // namespace diaggauss::scalar
