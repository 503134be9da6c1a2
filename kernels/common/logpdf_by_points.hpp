// The log-density kernels vectorized across points, written once over a per-ISA vector wrapper `Simd<T>`
// (kernels/<isa>/simd_<isa>.hpp; the interface is listed in docs/implementing-a-target.md).  Each vector lane
// accumulates its own point's quadratic form in the scalar oracle's order (with the fma of the contract, or
// mul + add where the ISA has no FMA), with every component's mean and inverse variance broadcast once per
// dimension.  The mixture kernel first transposes a tile of points into a stack buffer (one row per dimension, the
// points side by side) that serves all the components, then runs the log-sum-exp on the same lanes with the recipe
// exp and log.  The single-component kernel uses each point once, so it gathers the lanes straight from the rows.
// A partial vector of points reads only its own rows and stores only its own lanes (`Simd::first(lanes)`: a mask
// register on AVX-512, a lane count where the ISA has no masked memory operations).  Where the wrapper has
// `kTransposeRows` (AVX-512), a whole vector of points is read a block of kLanes columns at a time by loads and an
// in-register transpose instead of one gather per column: AVX-512 gathers ran 4-8x slower than the AVX2 kernels on
// AMD Zen 4 and 5.  The lanes' sums keep the same order, so the results are the same bits either way.
//
// Every function is a template over the wrapper family, so each ISA's instantiation has its own symbols (an inline
// helper compiled with one ISA's flags can never be merged into another's).  Used by sse4 and avx512; avx2 and neon
// keep their own bodies, measured faster on their ISAs (docs/implementing-a-target.md).
#pragma once
#include <algorithm>
#include <cstddef>
#include <limits>

#include "kernels/common/blocking.hpp"

namespace diaggauss::by_points {

inline constexpr std::size_t kMaxTilePoints = 512;
// Capacity, in elements, of the transposed tile and of the per-component accumulators (both on the stack).
inline constexpr std::size_t kTileElems = 2048;

// Points per tile: the blocking's point_tile rounded up to whole vectors.
template <template <class> class Simd, class T>
std::size_t tile_points(const Blocking& blk) {
  constexpr std::size_t W = Simd<T>::kLanes;
  const std::size_t p = (std::max<std::size_t>(blk.point_tile, 1) + W - 1) / W * W;
  return std::min(p, kMaxTilePoints);
}

// xt[j * P + p] = X[p * dim + j0 + j] for p < np, j < nj, where X points at the tile's first point.  Lanes of the
// last vector past np are zero (their rows are not read): they compute finite values that are never stored.
template <template <class> class Simd, class T>
void transpose_tile(const T* X, std::size_t dim, std::size_t np, std::size_t j0, std::size_t nj, std::size_t P,
                    T* xt) {
  using S = Simd<T>;
  constexpr std::size_t W = S::kLanes;
  const typename S::Rows rows = S::rows(dim);
  std::size_t p = 0;
  if constexpr (S::kTransposeRows) {
    if (2 * nj <= W) {  // short rows: two vectors of points per transpose (diag_vectors_transposed)
      for (; p + 2 * W <= np; p += 2 * W) {
        typename S::V col[W];
        S::transpose_row_pairs(X + p * dim + j0, dim, nj, col);
        for (std::size_t c = 0; c < nj; ++c) {
          S::store(xt + c * P + p, col[c]);
          S::store(xt + c * P + p + W, col[W / 2 + c]);
        }
      }
    }
    for (; p + W <= np; p += W) {
      const T* src = X + p * dim + j0;
      for (std::size_t jb = 0; jb < nj; jb += W) {
        const std::size_t nc = std::min(W, nj - jb);
        if (2 * nc <= W) {  // a last block of at most half a vector (diag_vectors_transposed)
          typename S::V col[W / 2];
          S::transpose_rows_narrow(src + jb, dim, nc, col);
          for (std::size_t c = 0; c < nc; ++c) S::store(xt + (jb + c) * P + p, col[c]);
        } else {
          typename S::V col[W];
          S::transpose_rows(src + jb, dim, nc, col);
          for (std::size_t c = 0; c < nc; ++c) S::store(xt + (jb + c) * P + p, col[c]);
        }
      }
    }
  }
  for (; p + W <= np; p += W) {
    const T* src = X + p * dim + j0;
    for (std::size_t j = 0; j < nj; ++j) S::store(xt + j * P + p, S::gather(src + j, rows));
  }
  if (p < np) {
    const auto m = S::first(np - p);
    const T* src = X + p * dim + j0;
    for (std::size_t j = 0; j < nj; ++j) S::store(xt + j * P + p, S::gather_tail(src + j, rows, m));
  }
}

// The recipe's two steps, one definition for every loop below: a point's quadratic form gains
// (x - mu) * iv * (x - mu) per dimension, in the scalar oracle's order and rounding (mul, then the fma), and ends
// as log_norm - q / 2.
template <class S>
[[gnu::always_inline]] inline typename S::V quad_step(typename S::V acc, typename S::V x, typename S::V mu,
                                                      typename S::V iv) {
  const auto diff = S::sub(x, mu);
  return S::mul_add(S::mul(diff, iv), diff, acc);
}
template <class S, class T>
[[gnu::always_inline]] inline typename S::V log_density(T log_norm, typename S::V q) {
  return S::sub(S::set1(log_norm), S::mul(S::set1(T(0.5)), q));
}

// acc[p] += sum_{j < nj} t * diff (diff = xt[j][p] - mu[j], t = diff * iv[j]) for U vectors of points.  The U
// vectors share each broadcast of mu[j] and iv[j]; their accumulators stay in registers for the whole pass.
template <template <class> class Simd, class T, int U>
void accumulate_vectors(const T* xt, std::size_t P, std::size_t nj, const T* mu, const T* iv, T* acc) {
  using S = Simd<T>;
  constexpr std::size_t W = S::kLanes;
  typename S::V a[U];
  for (int u = 0; u < U; ++u) a[u] = S::load(acc + u * W);
  for (std::size_t j = 0; j < nj; ++j) {
    const auto m = S::set1(mu[j]), i = S::set1(iv[j]);
    const T* x = xt + j * P;
    for (int u = 0; u < U; ++u) a[u] = quad_step<S>(a[u], S::load(x + u * W), m, i);
  }
  for (int u = 0; u < U; ++u) S::store(acc + u * W, a[u]);
}

template <template <class> class Simd, class T>
void accumulate(const T* xt, std::size_t P, std::size_t nvec, std::size_t nj, const T* mu, const T* iv, T* acc) {
  constexpr std::size_t W = Simd<T>::kLanes;
  std::size_t v = 0;
  for (; v + 4 <= nvec; v += 4) accumulate_vectors<Simd, T, 4>(xt + v * W, P, nj, mu, iv, acc + v * W);
  for (; v < nvec; ++v) accumulate_vectors<Simd, T, 1>(xt + v * W, P, nj, mu, iv, acc + v * W);
}

// out[p] for U vectors of points (X points at the first), gathered straight from the rows.
template <template <class> class Simd, class T, int U>
void diag_vectors(std::size_t dim, const T* X, const T* mean, const T* inv_var, T log_norm, T* out,
                  const typename Simd<T>::Rows& rows) {
  using S = Simd<T>;
  constexpr std::size_t W = S::kLanes;
  typename S::V a[U];
  for (int u = 0; u < U; ++u) a[u] = S::zero();
  for (std::size_t j = 0; j < dim; ++j) {
    const auto m = S::set1(mean[j]), i = S::set1(inv_var[j]);
    for (int u = 0; u < U; ++u) a[u] = quad_step<S>(a[u], S::gather(X + u * W * dim + j, rows), m, i);
  }
  for (int u = 0; u < U; ++u) S::store(out + u * W, log_density<S>(log_norm, a[u]));
}

// diag_vectors reading the points a block of kLanes columns at a time (wrappers with kTransposeRows): the same
// sums in the same order.  The U vectors' chains are independent, so one vector's transpose overlaps another's
// arithmetic.
template <template <class> class Simd, class T, int U>
void diag_vectors_transposed(std::size_t dim, const T* X, const T* mean, const T* inv_var, T log_norm, T* out) {
  using S = Simd<T>;
  constexpr std::size_t W = S::kLanes;
  typename S::V a[U];
  for (int u = 0; u < U; ++u) a[u] = S::zero();
  const auto column = [&](typename S::V& acc, typename S::V x, std::size_t j) {
    acc = quad_step<S>(acc, x, S::set1(mean[j]), S::set1(inv_var[j]));
  };
  std::size_t j0 = 0;
  for (; j0 + W <= dim; j0 += W) {
    for (int u = 0; u < U; ++u) {
      typename S::V col[W];
      S::transpose_rows(X + u * W * dim + j0, dim, W, col);
      for (std::size_t c = 0; c < W; ++c) column(a[u], col[c], j0 + c);
    }
  }
  // A last block of at most half a vector: the narrow transpose.  Chosen here, not inside transpose_rows: with the
  // branch in transpose_rows (one call site per loop) diag_logpdf at dim 12 ran 0.87-0.98x (Xeon 6/207, --each, 11
  // rounds), the remainder path's code grown by both bodies.
  if (j0 < dim && 2 * (dim - j0) <= W) {
    for (int u = 0; u < U; ++u) {
      typename S::V col[W / 2];
      S::transpose_rows_narrow(X + u * W * dim + j0, dim, dim - j0, col);
      for (std::size_t c = 0; c < dim - j0; ++c) column(a[u], col[c], j0 + c);
    }
  } else if (j0 < dim) {
    for (int u = 0; u < U; ++u) {
      typename S::V col[W];
      S::transpose_rows(X + u * W * dim + j0, dim, dim - j0, col);
      for (std::size_t c = 0; c < dim - j0; ++c) column(a[u], col[c], j0 + c);
    }
  }
  for (int u = 0; u < U; ++u) S::store(out + u * W, log_density<S>(log_norm, a[u]));
}

// Rows of at most half a vector: two vectors of points from one transpose (transpose_row_pairs), the same sums.
// A loop of its own, so that diag_vectors_transposed's code for longer rows stays as it was measured.
// Returns the points done (whole pairs of vectors).
template <template <class> class Simd, class T>
std::size_t diag_vector_pairs(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* inv_var,
                              T log_norm, T* out) {
  using S = Simd<T>;
  constexpr std::size_t W = S::kLanes;
  std::size_t p = 0;
  for (; p + 2 * W <= npoints; p += 2 * W) {
    typename S::V col[W], a = S::zero(), b = S::zero();
    S::transpose_row_pairs(X + p * dim, dim, dim, col);
    for (std::size_t c = 0; c < dim; ++c) {
      const auto m = S::set1(mean[c]), i = S::set1(inv_var[c]);
      a = quad_step<S>(a, col[c], m, i);
      b = quad_step<S>(b, col[W / 2 + c], m, i);
    }
    S::store(out + p, log_density<S>(log_norm, a));
    S::store(out + p + W, log_density<S>(log_norm, b));
  }
  return p;
}

// diag_vectors for the last np < kLanes points: rows past np are not read, lanes past np not stored.
template <template <class> class Simd, class T>
void diag_tail(std::size_t np, std::size_t dim, const T* X, const T* mean, const T* inv_var, T log_norm, T* out,
               const typename Simd<T>::Rows& rows) {
  using S = Simd<T>;
  const auto lanes = S::first(np);
  auto a = S::zero();
  for (std::size_t j = 0; j < dim; ++j)
    a = quad_step<S>(a, S::gather_tail(X + j, rows, lanes), S::set1(mean[j]), S::set1(inv_var[j]));
  S::store_tail(out, lanes, log_density<S>(log_norm, a));
}

template <template <class> class Simd, class T>
void diag_logpdf(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* inv_var, T log_norm,
                 T* out) {
  using S = Simd<T>;
  constexpr std::size_t W = S::kLanes;
  const typename S::Rows rows = S::rows(dim);
  std::size_t p = 0;
  if constexpr (S::kTransposeRows) {
    if (2 * dim <= W) p = diag_vector_pairs<Simd, T>(npoints, dim, X, mean, inv_var, log_norm, out);
    for (; p + 2 * W <= npoints; p += 2 * W)
      diag_vectors_transposed<Simd, T, 2>(dim, X + p * dim, mean, inv_var, log_norm, out + p);
    for (; p + W <= npoints; p += W)
      diag_vectors_transposed<Simd, T, 1>(dim, X + p * dim, mean, inv_var, log_norm, out + p);
  }
  for (; p + 4 * W <= npoints; p += 4 * W)
    diag_vectors<Simd, T, 4>(dim, X + p * dim, mean, inv_var, log_norm, out + p, rows);
  for (; p + W <= npoints; p += W)
    diag_vectors<Simd, T, 1>(dim, X + p * dim, mean, inv_var, log_norm, out + p, rows);
  if (p < npoints) diag_tail<Simd, T>(npoints - p, dim, X + p * dim, mean, inv_var, log_norm, out + p, rows);
}

template <template <class> class Simd, class T>
void gmm_logpdf(std::size_t npoints, std::size_t dim, std::size_t ncomp, const T* X, const T* log_norm,
                const T* log_weight, const T* means, const T* inv_vars, T* out, T* resp, const Blocking& blk) {
  using S = Simd<T>;
  using V = typename S::V;
  constexpr std::size_t W = S::kLanes;
  constexpr T kNegInf = -std::numeric_limits<T>::infinity();
  if (ncomp == 0) return std::fill(out, out + npoints, kNegInf);
  const std::size_t P = tile_points<Simd, T>(blk), J = kTileElems / P;
  const std::size_t KT = std::clamp<std::size_t>(blk.comp_tile, 1, kTileElems / P);
  DG_NOTE_BLOCKING(kPointTileParam, P);
  DG_NOTE_BLOCKING(kCompTileParam, KT);
  // With few dimensions the whole tile is transposed once and serves every component tile.
  const bool one_pass = dim <= J;
  alignas(64) T xt[kTileElems];
  alignas(64) T acc[kTileElems];  // acc[kk * P + p]: quadratic form, then l = log_weight + c
  alignas(64) T run_max[kMaxTilePoints];
  alignas(64) T run_sum[kMaxTilePoints];
  for (std::size_t p0 = 0; p0 < npoints; p0 += P) {
    const std::size_t np = std::min(P, npoints - p0), nvec = (np + W - 1) / W;
    const T* Xtile = X + p0 * dim;
    if (one_pass) transpose_tile<Simd>(Xtile, dim, np, 0, dim, P, xt);
    for (std::size_t k0 = 0; k0 < ncomp; k0 += KT) {
      const std::size_t nk = std::min(KT, ncomp - k0);
      std::fill(acc, acc + nk * P, T(0));
      for (std::size_t j0 = 0; j0 < dim; j0 += J) {
        const std::size_t nj = std::min(J, dim - j0);
        if (!one_pass) transpose_tile<Simd>(Xtile, dim, np, j0, nj, P, xt);
        for (std::size_t kk = 0; kk < nk; ++kk)
          accumulate<Simd>(xt, P, nvec, nj, means + (k0 + kk) * dim + j0, inv_vars + (k0 + kk) * dim + j0,
                           acc + kk * P);
      }
      // Log-sum-exp of this component tile, merged into the running (max, sum) of each point: one exp per
      // component plus two per tile, and no buffer that grows with ncomp.
      for (std::size_t v = 0; v < nvec; ++v) {
        const std::size_t lanes = std::min(W, np - v * W);
        V tile_max = S::set1(kNegInf);
        for (std::size_t kk = 0; kk < nk; ++kk) {
          const std::size_t k = k0 + kk;
          T* a = acc + kk * P + v * W;
          const V c = log_density<S>(log_norm[k], S::load(a));
          if (resp) {
            alignas(64) T cs[W];
            S::store(cs, c);
            for (std::size_t l = 0; l < lanes; ++l) resp[(p0 + v * W + l) * ncomp + k] = cs[l];
          }
          const V l = S::add(S::set1(log_weight[k]), c);
          S::store(a, l);
          tile_max = S::max(tile_max, l);
        }
        V tile_sum = S::zero();
        for (std::size_t kk = 0; kk < nk; ++kk)
          tile_sum = S::add(tile_sum, S::exp_recipe(S::sub(S::load(acc + kk * P + v * W), tile_max)));
        V m = tile_max, s = tile_sum;
        if (k0 > 0) {
          // -inf - -inf is NaN, which the recipe exp maps to 0: a still-empty running sum stays 0.
          const V m_old = S::load(run_max + v * W);
          m = S::max(m_old, tile_max);
          s = S::add(S::mul(S::load(run_sum + v * W), S::exp_recipe(S::sub(m_old, m))),
                     S::mul(tile_sum, S::exp_recipe(S::sub(tile_max, m))));
        }
        S::store(run_max + v * W, m);
        S::store(run_sum + v * W, s);
      }
    }
    for (std::size_t v = 0; v < nvec; ++v) {
      const V m = S::load(run_max + v * W);
      // The sum is in [1, ncomp] (the max term contributes exp(0) = 1) unless every term is -inf.
      const V lse = S::add(m, S::log_recipe(S::load(run_sum + v * W)));
      const V ninf = S::set1(kNegInf);
      S::store_tail(out + p0 + v * W, S::first(np - v * W), S::select(S::equal(m, ninf), lse, ninf));
    }
  }
}

}  // namespace diaggauss::by_points
