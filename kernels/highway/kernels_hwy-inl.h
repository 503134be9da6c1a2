// Declarations of the Highway kernels, once per compiled target (HWY_NAMESPACE).  Each kernels/highway/*.cpp
// defines and explicitly instantiates its share; table_hwy.cpp collects their addresses into one KernelTable
// per target.  Re-included by foreach_target.h for every target, hence the toggle guard instead of #pragma once.
#if defined(DIAGGAUSS_KERNELS_HIGHWAY_KERNELS_HWY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef DIAGGAUSS_KERNELS_HIGHWAY_KERNELS_HWY_INL_H_
#undef DIAGGAUSS_KERNELS_HIGHWAY_KERNELS_HWY_INL_H_
#else
#define DIAGGAUSS_KERNELS_HIGHWAY_KERNELS_HWY_INL_H_
#endif

#include <cstddef>
#include <cstdint>

#include "kernels/highway/hwy_config.h"  // before Highway's headers
#include "hwy/highway.h"
#include "kernels/common/kernel_table.hpp"

HWY_BEFORE_NAMESPACE();
namespace diaggauss::hwy_family::HWY_NAMESPACE {
#if DG_HWY_KERNEL_TARGET

// solve_hwy.cpp
template <class T> std::size_t find_bad_diag(std::size_t n, const T* d);
template <class T> void solve_diag(std::size_t n, const T* d, const T* b, T* x);
template <class T> void reciprocal(std::size_t n, const T* d, T* inv);
template <class T> void solve_diag_inv(std::size_t n, const T* inv, const T* b, T* x);
template <class T>
void solve_diag_multi(std::size_t n, std::size_t nrhs, const T* d, const T* B, std::size_t ldb, T* X, std::size_t ldx);
template <class T>
void whiten(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* stddev, T* Z);

// logpdf_hwy.cpp
template <class T>
void diag_logpdf(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* inv_var, T log_norm,
                 T* out, const Blocking& blk);
template <class T>
void gmm_logpdf(std::size_t npoints, std::size_t dim, std::size_t ncomp, const T* X, const T* log_norm,
                const T* log_weight, const T* means, const T* inv_vars, T* out, T* resp, const Blocking& blk);

// sample_hwy.cpp
void count_above(std::uint32_t* labels, std::size_t count, std::uint32_t always, const std::uint32_t* t, std::size_t nt);
void uniform_u32(std::uint64_t seed, std::uint64_t stream, std::uint64_t block_base, std::uint64_t offset, std::size_t n,
                 std::uint32_t* out);
template <class T> void uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, T* out);
// normal_hwy_<target>.cpp (normal_hwy-inl.h)
template <class T>
void normal(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, T* out,
            const Blocking& blk);
template <class T>
void scale_shift_rows(std::size_t npoints, std::size_t dim, const std::uint32_t* labels, const T* means,
                      const T* stddevs, T* inout);

#endif  // DG_HWY_KERNEL_TARGET
}  // namespace diaggauss::hwy_family::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
