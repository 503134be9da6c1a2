// The kernel table: the one interface every implementation (scalar, sse4, avx2, avx512, neon, highway, xsimd)
// fills.  Kernels here receive arguments that the API layer (src/) has already validated and pre-processed:
// they never fail, never allocate, and never see a null pointer with a non-zero size.
#pragma once
#include <cstddef>
#include <cstdint>
#include <utility>  // std::index_sequence, for kernels/common/count_above.inc

#include "kernels/common/blocking.hpp"

namespace diaggauss {

// Diagonal-solve family for one element type T: the validation pass, the solves and whitening.
template <class T>
struct SolveKernels {
  // Index of the first entry that is zero or non-finite, or n when all are usable (the validation pass).
  std::size_t (*find_bad_diag)(std::size_t n, const T* d);
  // x[i] = b[i] / d[i]
  void (*solve_diag)(std::size_t n, const T* d, const T* b, T* x);
  // inv[i] = T(1) / d[i]
  void (*reciprocal)(std::size_t n, const T* d, T* inv);
  // x[i] = b[i] * inv[i]
  void (*solve_diag_inv)(std::size_t n, const T* inv, const T* b, T* x);
  // X[i][j] = B[i][j] * (T(1) / d[i])
  void (*solve_diag_multi)(std::size_t n, std::size_t nrhs, const T* d, const T* B, std::size_t ldb, T* X,
                           std::size_t ldx);
  // Z[p][j] = (X[p][j] - mean[j]) / stddev[j]
  void (*whiten)(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* stddev, T* Z);
};

// Log-density family for one element type T.
template <class T>
struct LogpdfKernels {
  // out[p] = log_norm - 0.5 * sum_j (t * diff) with diff = X[p][j] - mean[j], t = diff * inv_var[j]
  // (any summation order; accuracy contract in diaggauss.h).
  void (*diag_logpdf)(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* inv_var,
                      T log_norm, T* out, const Blocking& blk);
  // c[p][k] = log_norm[k] - 0.5 * sum_j (t * diff), diff = X[p][j] - means[k][j], t = diff * inv_vars[k][j]
  // l[p][k] = log_weight[k] + c[p][k];  out[p] = m + log(sum_k exp(l[p][k] - m)), m = max_k l[p][k]
  // (m == -inf gives out[p] = -inf).  log_weight[k] may be -inf (a zero weight).
  // resp (nullable, npoints x ncomp): resp[p][k] = c[p][k], the unweighted component log-density.
  void (*gmm_logpdf)(std::size_t npoints, std::size_t dim, std::size_t ncomp, const T* X, const T* log_norm,
                     const T* log_weight, const T* means, const T* inv_vars, T* out, T* resp,
                     const Blocking& blk);
};

// Gaussian-sampling family for one element type T.  See kernels/common/normal_recipe.hpp for the exact
// operation sequence every implementation follows (that is what makes the outputs bit-identical).
template <class T>
struct SampleKernels {
  void (*uniform)(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, T* out);
  void (*normal)(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, T* out,
                 const Blocking& blk);
  // inout[p][j] = fma(stddevs[k][j], inout[p][j], means[k][j]) with k = labels ? labels[p] : 0
  // (turns a block of normals into diagonal-Gaussian or mixture samples in place).
  void (*scale_shift_rows)(std::size_t npoints, std::size_t dim, const std::uint32_t* labels, const T* means,
                           const T* stddevs, T* inout);
};

// The most thresholds KernelTable::count_above takes (mixtures of up to 17 components; larger ones search).
inline constexpr std::size_t kMaxCountThresholds = 16;

struct KernelTable {
  // labels[i] = always + #{j < nt : labels[i] > t[j]}, in place, nt <= kMaxCountThresholds: the mixture's
  // component from its selection word (src/component_select.cpp).
  void (*count_above)(std::uint32_t* labels, std::size_t count, std::uint32_t always, const std::uint32_t* t,
                      std::size_t nt);
  // Raw Philox words: out[i] = word (o % 4) of block block_base | (o >> 2), o = (offset + i) mod 2^64.
  // block_base is 0 (dg_uniform_u32) or kSelectionBlockBase (the mixture's component-choice words), so the
  // two ranges of blocks never meet.
  void (*uniform_u32)(std::uint64_t seed, std::uint64_t stream, std::uint64_t block_base, std::uint64_t offset,
                      std::size_t n, std::uint32_t* out);
  SolveKernels<double> solve64;
  SolveKernels<float> solve32;
  LogpdfKernels<double> logpdf64;
  LogpdfKernels<float> logpdf32;
  SampleKernels<double> sample64;
  SampleKernels<float> sample32;
};

// Every typed slot of KernelTable as X(family, kernel): the table is filled by name from this list
// (kernel_table_def.inc), never by position, so two kernels of one signature cannot be swapped silently.
#define DG_TYPED_KERNEL_SLOTS(X)                                                                         \
  X(solve, find_bad_diag) X(solve, solve_diag) X(solve, reciprocal) X(solve, solve_diag_inv)             \
  X(solve, solve_diag_multi) X(solve, whiten) X(logpdf, diag_logpdf) X(logpdf, gmm_logpdf) X(sample, uniform) \
  X(sample, normal) X(sample, scale_shift_rows)
// For DG_TYPED_KERNEL_SLOTS, with a KernelTable named t and the kernel templates in scope: the slot gets the
// double and float instantiations of the kernel of the same name.
#define DG_SET_SLOT_OF_T(family, kernel) \
  (t.family##64).kernel = &kernel<double>;  \
  (t.family##32).kernel = &kernel<float>;

// The family sub-tables for element type T.
template <class T> constexpr const SolveKernels<T>& solve_of(const KernelTable& t) {
  if constexpr (sizeof(T) == 8) return t.solve64; else return t.solve32;
}
template <class T> constexpr const LogpdfKernels<T>& logpdf_of(const KernelTable& t) {
  if constexpr (sizeof(T) == 8) return t.logpdf64; else return t.logpdf32;
}
template <class T> constexpr const SampleKernels<T>& sample_of(const KernelTable& t) {
  if constexpr (sizeof(T) == 8) return t.sample64; else return t.sample32;
}

}  // namespace diaggauss
