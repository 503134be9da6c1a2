// Declarations of the avx512 kernels (defined in kernels/avx512/*.cpp, gathered into the table by table_avx512.cpp).
#pragma once
#include "kernels/common/kernel_table.hpp"

namespace diaggauss::avx512 {

template <class T> std::size_t find_bad_diag(std::size_t n, const T* d);
template <class T> void solve_diag(std::size_t n, const T* d, const T* b, T* x);
template <class T> void reciprocal(std::size_t n, const T* d, T* inv);
template <class T> void solve_diag_inv(std::size_t n, const T* inv, const T* b, T* x);
template <class T>
void solve_diag_multi(std::size_t n, std::size_t nrhs, const T* d, const T* B, std::size_t ldb, T* X, std::size_t ldx,
                      const Blocking&);
template <class T>
void whiten(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* stddev, T* Z, const Blocking&);
template <class T>
void diag_logpdf(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* inv_var, T log_norm, T* out,
                 const Blocking&);
template <class T>
void gmm_logpdf(std::size_t npoints, std::size_t dim, std::size_t ncomp, const T* X, const T* log_norm,
                const T* log_weight, const T* means, const T* inv_vars, T* out, T* resp, const Blocking&);

void uniform_u32(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, std::uint32_t* out);
template <class T> void uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, T* out);
template <class T>
void normal(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, T* out, const Blocking&);
template <class T>
void scale_shift_rows(std::size_t npoints, std::size_t dim, const std::uint32_t* labels, const T* means,
                      const T* stddevs, T* inout);

const KernelTable& kernel_table();
Blocking default_blocking();

}  // namespace diaggauss::avx512
