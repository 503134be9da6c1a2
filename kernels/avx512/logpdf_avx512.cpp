// AVX-512 log-densities: the bodies written once over Simd<T> in kernels/common/logpdf_by_points.hpp, on eight
// (double) or sixteen (float) lanes, with hardware gathers for the transposed tiles and masked partial vectors.
#include "kernels/common/logpdf_by_points.hpp"
#include "kernels/avx512/avx512_kernels.hpp"
#include "kernels/avx512/simd_avx512.hpp"

namespace diaggauss::avx512 {

template <class T>
void diag_logpdf(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* inv_var, T log_norm,
                 T* out, const Blocking&) {
  by_points::diag_logpdf<Simd>(npoints, dim, X, mean, inv_var, log_norm, out);
}

template <class T>
void gmm_logpdf(std::size_t npoints, std::size_t dim, std::size_t ncomp, const T* X, const T* log_norm,
                const T* log_weight, const T* means, const T* inv_vars, T* out, T* resp, const Blocking& blk) {
  by_points::gmm_logpdf<Simd>(npoints, dim, ncomp, X, log_norm, log_weight, means, inv_vars, out, resp, blk);
}

#include "kernels/common/instantiate_logpdf.inc"

}  // namespace diaggauss::avx512
