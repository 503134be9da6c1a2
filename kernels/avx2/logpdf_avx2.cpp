// AVX2 log-densities, vectorized across points: points are transposed (in registers, and for the mixture into
// a stack tile with one row per dimension), so each vector holds the same dimension of several points and a
// component's quadratic form is a chain of sub/mul/fma against broadcast means and inverse variances, with no
// horizontal sums.  The mixture then takes the log-sum-exp over components for a whole vector of points at once.
#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/avx2/avx2_kernels.hpp"
#include "kernels/avx2/simd_avx2.hpp"
#include "kernels/common/exp_recipe.hpp"

namespace diaggauss::avx2 {
namespace {

// exp of kernels/common/exp_recipe.hpp for x <= 0 (-inf and x < kExpMinArg give 0; NaN stays NaN).
inline __m256d recipe_exp(__m256d x) {
  namespace R = recipe::f64;
  const __m256d n = _mm256_round_pd(mul(x, set1(R::kLog2e)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256d r = fnma(n, set1(R::kExpLn2Hi), x);
  r = fnma(n, set1(R::kExpLn2Lo), r);
  __m256d p = set1(R::kExp[13]);
  for (int i = 12; i >= 0; --i) p = fma(p, r, set1(R::kExp[i]));
  // 2^n without an int64 conversion: n + 1.5*2^52 + bias holds n + bias in its low mantissa bits.
  const __m256i pow2 = _mm256_slli_epi64(bits(add(n, set1(0x1.8p52 + 1023.0))), 52);
  const __m256d keep = _mm256_cmp_pd(x, set1(R::kExpMinArg), _CMP_NLT_UQ);
  return _mm256_and_pd(mul(p, as_f64(pow2)), keep);
}

inline __m256 recipe_exp(__m256 x) {
  namespace R = recipe::f32;
  const __m256 n = _mm256_round_ps(mul(x, set1(R::kLog2e)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = fnma(n, set1(R::kExpLn2Hi), x);
  r = fnma(n, set1(R::kExpLn2Lo), r);
  __m256 p = set1(R::kExp[7]);
  for (int i = 6; i >= 0; --i) p = fma(p, r, set1(R::kExp[i]));
  const __m256i pow2 = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  const __m256 keep = _mm256_cmp_ps(x, set1(R::kExpMinArg), _CMP_NLT_UQ);
  return _mm256_and_ps(mul(p, as_f32(pow2)), keep);
}

inline __m256d is_neg_inf(__m256d v) {
  return _mm256_cmp_pd(v, set1(-std::numeric_limits<double>::infinity()), _CMP_EQ_OQ);
}
inline __m256 is_neg_inf(__m256 v) {
  return _mm256_cmp_ps(v, set1(-std::numeric_limits<float>::infinity()), _CMP_EQ_OQ);
}
inline __m256d and_not(__m256d mask, __m256d v) { return _mm256_andnot_pd(mask, v); }
inline __m256 and_not(__m256 mask, __m256 v) { return _mm256_andnot_ps(mask, v); }

// W x W block transpose: row r = src[r * ld .. + W) ends up as lane r of col[0..W).
inline void transpose_block(const double* src, std::size_t ld, __m256d (&col)[4]) {
  const __m256d r0 = loadu(src), r1 = loadu(src + ld), r2 = loadu(src + 2 * ld), r3 = loadu(src + 3 * ld);
  const __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
  const __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
  col[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
  col[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
  col[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
  col[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
}

inline void transpose_block(const float* src, std::size_t ld, __m256 (&col)[8]) {
  __m256 t[8], u[8];
  for (int r = 0; r < 8; r += 2) {
    const __m256 a = loadu(src + r * ld), b = loadu(src + (r + 1) * ld);
    t[r] = _mm256_unpacklo_ps(a, b);      // columns 0,1 | 4,5 of rows r, r+1
    t[r + 1] = _mm256_unpackhi_ps(a, b);  // columns 2,3 | 6,7
  }
  for (int h = 0; h < 8; h += 4) {
    u[h] = _mm256_shuffle_ps(t[h], t[h + 2], 0x44);      // column 0 | 4 of four rows
    u[h + 1] = _mm256_shuffle_ps(t[h], t[h + 2], 0xEE);  // column 1 | 5
    u[h + 2] = _mm256_shuffle_ps(t[h + 1], t[h + 3], 0x44);
    u[h + 3] = _mm256_shuffle_ps(t[h + 1], t[h + 3], 0xEE);
  }
  for (int c = 0; c < 4; ++c) {
    col[c] = _mm256_permute2f128_ps(u[c], u[c + 4], 0x20);
    col[c + 4] = _mm256_permute2f128_ps(u[c], u[c + 4], 0x31);
  }
}

// Transposes columns [j0, j0 + nd) of W consecutive rows at `row` (row stride dim) block by block and calls
// f(col, c_begin, c_end, jb): col[c] for c in [c_begin, c_end) holds column j0 + jb + c of the W rows.  A
// remainder narrower than a vector is the block ending at column j0 + nd (its leading columns were already
// visited) when the row has W columns up to there; otherwise, for rows shorter than a vector, the block reads
// on into the following rows, whose values are dropped: allowed only with can_read_on (the caller checked that
// those reads stay inside X).  Returns false, having visited nothing, when neither applies.
template <class T, class F>
inline bool for_each_column_block(const T* row, std::size_t dim, std::size_t j0, std::size_t nd, bool can_read_on,
                                  F f) {
  constexpr std::size_t W = kLanes<T>;
  Vec<T> col[W];
  std::size_t j = 0;
  for (; j + W <= nd; j += W) {
    transpose_block(row + j0 + j, dim, col);
    f(col, 0, W, j);
  }
  if (j == nd) return true;
  if (j0 + nd >= W) {
    transpose_block(row + (j0 + nd - W), dim, col);
    f(col, W - (nd - j), W, nd - W);
    return true;
  }
  if (!can_read_on) return false;
  transpose_block(row + j0, dim, col);  // j == 0 here: nd < W
  f(col, 0, nd, 0);
  return true;
}

// Columns [j0, j0 + nd) of the np points at X (row stride dim; avail elements readable from X) into xt[j][i]
// (row stride pv, the tile width in whole vectors).  Points left over from whole vectors are copied element by
// element; padding points are zeros, so the lanes whose results are dropped stay finite and cheap.
template <class T>
void transpose_tile(const T* X, std::size_t dim, std::size_t np, std::size_t avail, std::size_t pv, std::size_t j0,
                    std::size_t nd, T* xt) {
  constexpr std::size_t W = kLanes<T>;
  std::size_t i = 0;
  for (; i + W <= np; i += W) {
    const bool done = for_each_column_block(
        X + i * dim, dim, j0, nd, (i + W - 1) * dim + j0 + W <= avail,
        [&](const Vec<T> (&col)[W], std::size_t c0, std::size_t c1, std::size_t jb) {
          for (std::size_t c = c0; c < c1; ++c) storeu(xt + (jb + c) * pv + i, col[c]);
        });
    if (!done) break;
  }
  for (; i < pv; ++i)
    for (std::size_t j = 0; j < nd; ++j) xt[j * pv + i] = i < np ? X[i * dim + j0 + j] : T(0);
}

// q[i] (+)= sum_j t * diff for one component over NV vectors of points; the NV accumulator chains are
// independent, which hides the FMA latency.
template <std::size_t NV, class T>
inline void quad_vectors(const T* xt, std::size_t pv, std::size_t nd, const T* mean, const T* inv_var, T* q,
                         bool first) {
  constexpr std::size_t W = kLanes<T>;
  Vec<T> acc[NV];
  for (std::size_t v = 0; v < NV; ++v) acc[v] = first ? set1(T(0)) : loadu(q + v * W);
  for (std::size_t j = 0; j < nd; ++j) {
    const Vec<T> m = set1(mean[j]), w = set1(inv_var[j]);
    const T* row = xt + j * pv;
    for (std::size_t v = 0; v < NV; ++v) {
      const Vec<T> diff = sub(loadu(row + v * W), m);
      acc[v] = fma(mul(diff, w), diff, acc[v]);  // diff * inv_var first: diff * diff could overflow
    }
  }
  for (std::size_t v = 0; v < NV; ++v) storeu(q + v * W, acc[v]);
}

template <class T>
void quad_tile(const T* xt, std::size_t pv, std::size_t nd, const T* mean, const T* inv_var, T* q, bool first) {
  constexpr std::size_t W = kLanes<T>;
  std::size_t i = 0;
  for (; i + 8 * W <= pv; i += 8 * W) quad_vectors<8>(xt + i, pv, nd, mean, inv_var, q + i, first);
  if (i + 4 * W <= pv) quad_vectors<4>(xt + i, pv, nd, mean, inv_var, q + i, first), i += 4 * W;
  if (i + 2 * W <= pv) quad_vectors<2>(xt + i, pv, nd, mean, inv_var, q + i, first), i += 2 * W;
  if (i < pv) quad_vectors<1>(xt + i, pv, nd, mean, inv_var, q + i, first);
}

// Stack budget per call: the transposed points and the quadratic forms of one component tile each fit in a
// fixed buffer (together well inside L1); tiles are shrunk, and dimensions split into chunks, to fit.
constexpr std::size_t kXtBytes = 16384, kQBytes = 8192, kMaxTilePoints = 256;

// Calls on_tile(p0, np, pv, k0, kc, q) for every tile of points [p0, p0 + np) and component tile [k0, k0 + kc),
// with q[k * pv + i] = sum_j t * diff of point p0 + i and component k0 + k.
template <class T, class OnTile>
void for_each_quad_tile(std::size_t npoints, std::size_t dim, std::size_t ncomp, const T* X, const T* means,
                        const T* inv_vars, const Blocking& blk, OnTile on_tile) {
  constexpr std::size_t W = kLanes<T>, kXt = kXtBytes / sizeof(T), kQ = kQBytes / sizeof(T);
  if (npoints == 0) return;
  const std::size_t tile =
      std::min(std::max<std::size_t>(blk.point_tile / W * W, W), std::min(kMaxTilePoints, kQ));
  const std::size_t P = std::min(tile, (npoints + W - 1) / W * W);
  const std::size_t dc = std::max<std::size_t>(kXt / P, 1);
  const std::size_t ct = std::min<std::size_t>({std::max<std::uint32_t>(blk.comp_tile, 1), ncomp, kQ / P});
  const bool one_chunk = dim <= dc;
  alignas(32) T xt[kXt];
  alignas(32) T q[kQ];
  for (std::size_t p0 = 0; p0 < npoints; p0 += P) {
    const std::size_t np = std::min(P, npoints - p0), pv = (np + W - 1) / W * W;
    const T* Xp = X + p0 * dim;
    const std::size_t avail = (npoints - p0) * dim;
    if (one_chunk) transpose_tile(Xp, dim, np, avail, pv, 0, dim, xt);
    for (std::size_t k0 = 0; k0 < ncomp; k0 += ct) {
      const std::size_t kc = std::min(ct, ncomp - k0);
      std::size_t j0 = 0;
      do {  // at least once: dim == 0 still needs q = 0
        const std::size_t nd = std::min(dc, dim - j0);
        if (!one_chunk) transpose_tile(Xp, dim, np, avail, pv, j0, nd, xt);
        for (std::size_t k = 0; k < kc; ++k)
          quad_tile(xt, pv, nd, means + (k0 + k) * dim + j0, inv_vars + (k0 + k) * dim + j0, q + k * pv, j0 == 0);
        j0 += nd;
      } while (j0 < dim);
      on_tile(p0, np, pv, k0, kc, q);
    }
  }
}

// Stores the first np lanes of v (np <= W) without touching memory past them.
template <class T>
inline void store_partial(T* dst, Vec<T> v, std::size_t np) {
  constexpr std::size_t W = kLanes<T>;
  if (np >= W) {
    storeu(dst, v);
    return;
  }
  alignas(32) T tmp[W];
  storeu(tmp, v);
  std::copy(tmp, tmp + np, dst);
}

}  // namespace

// One component needs no tile buffer: each block of W points is transposed in registers and consumed at once.
// Two accumulators (alternate columns) halve the FMA dependency chain; they are separate variables, not an
// array indexed by the column, so that they stay in registers.
template <class T>
void diag_logpdf(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* inv_var, T log_norm, T* out,
                 const Blocking&) {
  constexpr std::size_t W = kLanes<T>;
  const Vec<T> half = set1(T(0.5)), ln = set1(log_norm);
  std::size_t p = 0;
  for (; p + W <= npoints; p += W) {
    Vec<T> even = set1(T(0)), odd = set1(T(0));
    const bool done = for_each_column_block(
        X + p * dim, dim, 0, dim, (p + W - 1) * dim + W <= npoints * dim,
        [&](const Vec<T> (&col)[W], std::size_t c0, std::size_t c1, std::size_t jb) {
          for (std::size_t c = c0; c < c1; ++c) {
            const Vec<T> diff = sub(col[c], set1(mean[jb + c]));
            const Vec<T> t = mul(diff, set1(inv_var[jb + c]));
            if (c & 1)
              odd = fma(t, diff, odd);
            else
              even = fma(t, diff, even);
          }
        });
    if (!done) break;
    storeu(out + p, fnma(half, add(even, odd), ln));
  }
  for (; p < npoints; ++p) {
    const T* x = X + p * dim;
    T acc = 0;
    for (std::size_t j = 0; j < dim; ++j) {
      const T diff = x[j] - mean[j];
      acc = std::fma(diff * inv_var[j], diff, acc);
    }
    out[p] = log_norm - T(0.5) * acc;
  }
}

// Log-sum-exp across component tiles, online: each point keeps its running max m and the sum s of
// exp(l - m); a new tile rescales s by exp(m_old - m_new).  The shift is 0 where the max is still -inf, so
// that -inf - -inf never appears; such points end with s = 0 and out = -inf + log(0) = -inf.
template <class T>
void gmm_logpdf(std::size_t npoints, std::size_t dim, std::size_t ncomp, const T* X, const T* log_norm,
                const T* log_weight, const T* means, const T* inv_vars, T* out, T* resp, const Blocking& blk) {
  constexpr std::size_t W = kLanes<T>;
  const Vec<T> half = set1(T(0.5)), neg_inf = set1(-std::numeric_limits<T>::infinity());
  alignas(32) T run_max[kMaxTilePoints], run_sum[kMaxTilePoints];
  for_each_quad_tile(
      npoints, dim, ncomp, X, means, inv_vars, blk,
      [&](std::size_t p0, std::size_t np, std::size_t pv, std::size_t k0, std::size_t kc, T* q) {
        for (std::size_t k = 0; k < kc; ++k) {  // q becomes c, the component log-density
          const Vec<T> ln = set1(log_norm[k0 + k]);
          T* qk = q + k * pv;
          for (std::size_t i = 0; i < pv; i += W) storeu(qk + i, fnma(half, loadu(qk + i), ln));
          if (resp)
            for (std::size_t i = 0; i < np; ++i) resp[(p0 + i) * ncomp + k0 + k] = qk[i];
        }
        const bool first = k0 == 0, last = k0 + kc == ncomp;
        for (std::size_t i = 0; i < pv; i += W) {
          Vec<T> tile_max = neg_inf;
          for (std::size_t k = 0; k < kc; ++k)
            tile_max = max(tile_max, add(set1(log_weight[k0 + k]), loadu(q + k * pv + i)));
          const Vec<T> m = first ? tile_max : max(loadu(run_max + i), tile_max);
          const Vec<T> shift = and_not(is_neg_inf(m), m);
          Vec<T> s = first ? set1(T(0)) : mul(loadu(run_sum + i), recipe_exp(sub(loadu(run_max + i), shift)));
          for (std::size_t k = 0; k < kc; ++k)
            s = add(s, recipe_exp(sub(add(set1(log_weight[k0 + k]), loadu(q + k * pv + i)), shift)));
          if (last) {
            store_partial(out + p0 + i, add(m, recipe_log(s)), np - i);
          } else {
            storeu(run_max + i, m);
            storeu(run_sum + i, s);
          }
        }
      });
}

#include "kernels/common/instantiate_logpdf.inc"

}  // namespace diaggauss::avx2
