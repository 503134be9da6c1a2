// scale_shift_rows for rows of R whole vectors (dim = R * W, R = 1..8) and for rows of half a vector (dim = W / 2),
// written once over an ISA's vector wrapper S (using V; kLanes; load, store: unaligned; load_halves(lo, hi): W / 2
// elements from lo in the lower lanes, W / 2 from hi in the upper; mul_add(a, b, c) = a * b + c with the ISA's fma
// policy), so every implementation that uses it gives the bits of its own general loop.  What makes it faster than a per-row loop
// (measured on Zen 3, AVX2, f32 dim 8; docs/benchmarks.md "Second pass on the samplers"):
//  - the vector count is a constant: no per-row dispatch on the row length (the general path's cost: 15 % of
//    sample_gmm);
//  - four rows per iteration; without labels the parameters stay in registers and all four rows are loaded before
//    any is stored: one in-place load-fma-store per iteration ran at ~3 cycles a vector (sample_diag 1.12x).
//    With labels, loading first measured 0.95x, so those rows go one after another.
// Instantiated with ISA-namespace wrapper types only, so no two ISAs share an instantiation.
#pragma once
#include <cstddef>
#include <cstdint>

namespace diaggauss::scale_rows {

// R whole vectors at the same columns of every row (rows `stride` values apart), without labels: the parameters
// stay in registers, four rows per iteration, all four loaded before any is stored.  R <= 4 (2R parameter registers
// and 4R data registers fit AVX2's sixteen).
template <class S, int R, class T>
void unlabelled_columns(std::size_t npoints, std::size_t stride, const T* means, const T* stddevs, T* inout) {
  static_assert(R >= 1 && R <= 4, "a block of at most four vectors per row");
  using V = typename S::V;
  constexpr std::size_t W = S::kLanes;
  V mu[R], sd[R];
  for (int v = 0; v < R; ++v) {
    mu[v] = S::load(means + v * W);
    sd[v] = S::load(stddevs + v * W);
  }
  std::size_t p = 0;
  for (; npoints - p >= 4; p += 4) {
    V x[4][R];
    for (int r = 0; r < 4; ++r)
      for (int v = 0; v < R; ++v) x[r][v] = S::load(inout + (p + r) * stride + v * W);
    for (int r = 0; r < 4; ++r)
      for (int v = 0; v < R; ++v) S::store(inout + (p + r) * stride + v * W, S::mul_add(sd[v], x[r][v], mu[v]));
  }
  for (; p < npoints; ++p)
    for (int v = 0; v < R; ++v)
      S::store(inout + p * stride + v * W, S::mul_add(sd[v], S::load(inout + p * stride + v * W), mu[v]));
}

// Rows of R = 1..8 whole vectors.  Without labels, up to four vectors of columns at a time (rows of 5-8 vectors
// in two column blocks: their parameters would not fit the registers at once, and the general per-row loop, which
// reloads them for every vector, was 6.9-8.7 % of sample_diag f32 dim 64 on AVX2 (perf, two runs; 4.7 % after),
// against 4-6 % for this path at dims 8-32).  With labels the parameters change per row anyway: each row is
// loaded, scaled and stored in turn.
template <class S, int R, class T>
void whole_rows(std::size_t npoints, const std::uint32_t* labels, const T* means, const T* stddevs, T* inout) {
  static_assert(R >= 1 && R <= 8, "rows of one to eight vectors");
  constexpr std::size_t W = S::kLanes, D = R * W;
  if (!labels) {
    unlabelled_columns<S, (R > 4 ? 4 : R)>(npoints, D, means, stddevs, inout);
    if constexpr (R > 4) unlabelled_columns<S, R - 4>(npoints, D, means + 4 * W, stddevs + 4 * W, inout + 4 * W);
    return;
  }
  const auto row = [&](std::size_t q) {
    const T* mu = means + std::size_t{labels[q]} * D;
    const T* sd = stddevs + std::size_t{labels[q]} * D;
    for (int v = 0; v < R; ++v)
      S::store(inout + q * D + v * W, S::mul_add(S::load(sd + v * W), S::load(inout + q * D + v * W), S::load(mu + v * W)));
  };
  std::size_t p = 0;
  for (; npoints - p >= 4; p += 4) {
    row(p);
    row(p + 1);
    row(p + 2);
    row(p + 3);
  }
  for (; p < npoints; ++p) row(p);
}

// Rows of half a vector (f32 dim 8 on AVX-512, f64 dim 1 on SSE4): two rows per vector, so no masked or scalar
// tail per row.  The general loop's per-row masked tail made sample_gmm f32 dim 8 3.1x slower than normal on Zen 5
// (AVX-512), the scalar tails of xsimd and Highway made sample_diag 2x slower (docs/benchmarks.md "Half-vector
// rows").  Without labels the parameters repeat every vector: one tiled pair for the whole call.  With labels each
// vector takes its two rows' components' halves (load_halves).  An odd last row goes through a vector on the
// stack, its upper half zero (0 * sd + mu raises nothing).
template <class S, class T>
void half_rows(std::size_t npoints, const std::uint32_t* labels, const T* means, const T* stddevs, T* inout) {
  using V = typename S::V;
  constexpr std::size_t W = S::kLanes, D = W / 2;
  std::size_t p = 0;
  if (!labels) {
    const V mu = S::load_halves(means, means), sd = S::load_halves(stddevs, stddevs);
    for (; npoints - p >= 8; p += 8) {  // four vectors, loads before stores as whole_rows
      V x[4];
      for (int v = 0; v < 4; ++v) x[v] = S::load(inout + p * D + v * W);
      for (int v = 0; v < 4; ++v) S::store(inout + p * D + v * W, S::mul_add(sd, x[v], mu));
    }
    for (; npoints - p >= 2; p += 2) S::store(inout + p * D, S::mul_add(sd, S::load(inout + p * D), mu));
  } else {
    for (; npoints - p >= 2; p += 2) {
      const std::size_t k0 = labels[p], k1 = labels[p + 1];
      const V mu = S::load_halves(means + k0 * D, means + k1 * D);
      const V sd = S::load_halves(stddevs + k0 * D, stddevs + k1 * D);
      S::store(inout + p * D, S::mul_add(sd, S::load(inout + p * D), mu));
    }
  }
  if (p < npoints) {
    const std::size_t k = labels ? labels[p] : 0;
    T row[W] = {};
    for (std::size_t j = 0; j < D; ++j) row[j] = inout[p * D + j];
    const V mu = S::load_halves(means + k * D, means + k * D), sd = S::load_halves(stddevs + k * D, stddevs + k * D);
    S::store(row, S::mul_add(sd, S::load(row), mu));
    for (std::size_t j = 0; j < D; ++j) inout[p * D + j] = row[j];
  }
}

// inout[p][j] = mul_add(stddevs[k][j], inout[p][j], means[k][j]), k = labels ? labels[p] : 0, when rows are 1-8
// whole vectors or half of one; returns false (and does nothing) otherwise, for the caller's general loop.
template <class S, class T>
bool whole_rows(std::size_t npoints, std::size_t dim, const std::uint32_t* labels, const T* means, const T* stddevs,
                T* inout) {
  constexpr std::size_t W = S::kLanes;
  switch (dim % W == 0 ? dim / W : 0) {
    case 1: whole_rows<S, 1>(npoints, labels, means, stddevs, inout); return true;
    case 2: whole_rows<S, 2>(npoints, labels, means, stddevs, inout); return true;
    case 3: whole_rows<S, 3>(npoints, labels, means, stddevs, inout); return true;
    case 4: whole_rows<S, 4>(npoints, labels, means, stddevs, inout); return true;
    case 5: whole_rows<S, 5>(npoints, labels, means, stddevs, inout); return true;
    case 6: whole_rows<S, 6>(npoints, labels, means, stddevs, inout); return true;
    case 7: whole_rows<S, 7>(npoints, labels, means, stddevs, inout); return true;
    case 8: whole_rows<S, 8>(npoints, labels, means, stddevs, inout); return true;
    default: break;
  }
  if (W >= 2 && dim == W / 2) {
    half_rows<S>(npoints, labels, means, stddevs, inout);
    return true;
  }
  return false;
}

}  // namespace diaggauss::scale_rows
