// The kernel table: the one interface every implementation (scalar, sse4, avx2, avx512, neon, highway, xsimd)
// fills.  Kernels here receive arguments that the API layer (src/) has already validated and pre-processed:
// they never fail, never allocate, and never see a null pointer with a non-zero size.
#pragma once
#include <cstddef>
#include <cstdint>

#include "kernels/common/blocking.hpp"

namespace diaggauss {

// Diagonal-solve family for one element type T (float or double).
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
                           std::size_t ldx, const Blocking& blk);
  // Z[p][j] = (X[p][j] - mean[j]) / stddev[j]
  void (*whiten)(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* stddev, T* Z,
                 const Blocking& blk);
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

struct KernelTable {
  // Raw Philox words: out[i] = word (o % 4) of block block_base | (o >> 2), o = (offset + i) mod 2^64.
  // block_base is 0 (dg_uniform_u32) or kSelectionBlockBase (the mixture's component-choice words), so the
  // two ranges of blocks never meet.
  void (*uniform_u32)(std::uint64_t seed, std::uint64_t stream, std::uint64_t block_base, std::uint64_t offset,
                      std::size_t n, std::uint32_t* out);
  SolveKernels<double> solve64;
  SolveKernels<float> solve32;
  SampleKernels<double> sample64;
  SampleKernels<float> sample32;
};

}  // namespace diaggauss
