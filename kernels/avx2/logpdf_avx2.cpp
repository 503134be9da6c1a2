// AVX2 log-densities, vectorized across points: points are transposed (in registers, and for the mixture into
// a stack tile with one row per dimension), so each vector holds the same dimension of several points and a
// component's quadratic form is a chain of sub/mul/fma against broadcast means and inverse variances, with no
// horizontal sums.  The mixture then takes the log-sum-exp over components for a whole vector of points at once.
#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "kernels/avx2/avx2_kernels.hpp"
#include "kernels/avx2/simd_avx2.hpp"
#include "kernels/common/exp_recipe.hpp"

namespace diaggauss::avx2 {
namespace {

// exp of kernels/common/exp_recipe.hpp for x <= 0 (-inf and x < kExpMinArg give 0; NaN stays NaN), on G
// independent vectors at once, like recipe_log<G>: each step is issued for all G before the next, so the Horner
// chains of different vectors overlap instead of one vector's chain filling the out-of-order window.
template <int G>
inline void recipe_exp(const __m256d (&x)[G], __m256d (&out)[G]) {
  namespace R = recipe::f64;
  __m256d n[G], r[G], p[G];
  for (int g = 0; g < G; ++g) {
    n[g] = _mm256_round_pd(mul(x[g], set1(R::kLog2e)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    r[g] = fnma(n[g], set1(R::kExpLn2Hi), x[g]);
    r[g] = fnma(n[g], set1(R::kExpLn2Lo), r[g]);
    p[g] = set1(R::kExp[13]);
  }
  for (int i = 12; i >= 0; --i)
    for (int g = 0; g < G; ++g) p[g] = fma(p[g], r[g], set1(R::kExp[i]));
  for (int g = 0; g < G; ++g) {
    // 2^n without an int64 conversion: n + 1.5*2^52 + bias holds n + bias in its low mantissa bits.
    const __m256i pow2 = _mm256_slli_epi64(bits(add(n[g], set1(0x1.8p52 + 1023.0))), 52);
    const __m256d keep = _mm256_cmp_pd(x[g], set1(R::kExpMinArg), _CMP_NLT_UQ);
    out[g] = _mm256_and_pd(mul(p[g], as_f64(pow2)), keep);
  }
}

template <int G>
inline void recipe_exp(const __m256 (&x)[G], __m256 (&out)[G]) {
  namespace R = recipe::f32;
  __m256 n[G], r[G], p[G];
  for (int g = 0; g < G; ++g) {
    n[g] = _mm256_round_ps(mul(x[g], set1(R::kLog2e)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    r[g] = fnma(n[g], set1(R::kExpLn2Hi), x[g]);
    r[g] = fnma(n[g], set1(R::kExpLn2Lo), r[g]);
    p[g] = set1(R::kExp[7]);
  }
  for (int i = 6; i >= 0; --i)
    for (int g = 0; g < G; ++g) p[g] = fma(p[g], r[g], set1(R::kExp[i]));
  for (int g = 0; g < G; ++g) {
    const __m256i pow2 =
        _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n[g]), _mm256_set1_epi32(127)), 23);
    const __m256 keep = _mm256_cmp_ps(x[g], set1(R::kExpMinArg), _CMP_NLT_UQ);
    out[g] = _mm256_and_ps(mul(p[g], as_f32(pow2)), keep);
  }
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

// W x W/2 block transpose for remainders of at most half a vector: row r = src[r * ld .. + W/2) ends up as lane
// r of col[0..W/2); half the loads and shuffles of a whole block (float rows of 4, double rows of 2).
inline void transpose_block(const double* src, std::size_t ld, __m256d (&col)[2]) {
  const __m256d r02 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(src)), _mm_loadu_pd(src + 2 * ld), 1);
  const __m256d r13 =
      _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(src + ld)), _mm_loadu_pd(src + 3 * ld), 1);
  col[0] = _mm256_unpacklo_pd(r02, r13);
  col[1] = _mm256_unpackhi_pd(r02, r13);
}

inline void transpose_block(const float* src, std::size_t ld, __m256 (&col)[4]) {
  __m256 r[4];  // rows c | c + 4
  for (int c = 0; c < 4; ++c)
    r[c] = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(src + c * ld)), _mm_loadu_ps(src + (c + 4) * ld),
                                1);
  const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);  // columns 0,1 | 2,3
  const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
  col[0] = _mm256_shuffle_ps(t0, t2, 0x44);
  col[1] = _mm256_shuffle_ps(t0, t2, 0xEE);
  col[2] = _mm256_shuffle_ps(t1, t3, 0x44);
  col[3] = _mm256_shuffle_ps(t1, t3, 0xEE);
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

// Stores col[c] for c in [c0, c0 + n) to rows dst + (c - c0) * pv.  Unrolled over the N columns with runtime
// conditions instead of a loop over [c0, c0 + n), so that col is indexed by constants and stays in registers.
template <std::size_t N, class V, class T>
inline void store_columns(const V (&col)[N], std::size_t c0, std::size_t n, T* dst, std::size_t pv) {
  for (std::size_t c = 0; c < N; ++c)
    if (c >= c0 && c < c0 + n) storeu(dst + (c - c0) * pv, col[c]);
}

// Columns [j0, j0 + nd) of the np points at X (row stride dim; avail elements readable from X) into xt[j][i]
// (row stride pv, the tile width in whole vectors).  Points left over from whole vectors are copied element by
// element; padding points are zeros, so the lanes whose results are dropped stay finite and cheap.
// Plain loops rather than for_each_column_block's callback, so that the columns stay in registers and the
// per-block bookkeeping drops out: for small dims the transpose was a sixth of the mixture's time.
template <class T>
void transpose_tile(const T* X, std::size_t dim, std::size_t np, std::size_t avail, std::size_t pv, std::size_t j0,
                    std::size_t nd, T* xt) {
  constexpr std::size_t W = kLanes<T>, H = W / 2;
  const std::size_t nfull = nd / W * W, rem = nd - nfull;
  // The remainder columns [nfull, nd) come from one block, half width when they fit (float D = 4: one 8 x 4
  // block instead of an 8 x 8 one), ending at column j0 + nd (its leading columns were already stored).  Rows
  // shorter than that block take it from column j0 and read on into the following rows, which must stay
  // inside X: that holds for a prefix of the points, the rest go element by element.
  const bool half = rem <= H;
  const std::size_t bw = half ? H : W;
  const bool read_on = rem != 0 && j0 + nd < bw;
  std::size_t nb = np / W * W;
  if (read_on)
    while (nb > 0 && (nb - 1) * dim + j0 + bw > avail) nb -= W;
  const std::size_t rem_col = read_on ? j0 : j0 + nd - bw, rem_c0 = read_on ? 0 : bw - rem;
  for (std::size_t i = 0; i < nb; i += W) {
    const T* rows = X + i * dim;
    for (std::size_t j = 0; j < nfull; j += W) {
      Vec<T> col[W];
      transpose_block(rows + j0 + j, dim, col);
      for (std::size_t c = 0; c < W; ++c) storeu(xt + (j + c) * pv + i, col[c]);
    }
    if (rem == 0) continue;
    if (half) {
      Vec<T> col[H];
      transpose_block(rows + rem_col, dim, col);
      store_columns(col, rem_c0, rem, xt + nfull * pv + i, pv);
    } else {
      Vec<T> col[W];
      transpose_block(rows + rem_col, dim, col);
      store_columns(col, rem_c0, rem, xt + nfull * pv + i, pv);
    }
  }
  for (std::size_t i = nb; i < pv; ++i)
    for (std::size_t j = 0; j < nd; ++j) xt[j * pv + i] = i < np ? X[i * dim + j0 + j] : T(0);
}

// q[i] (+)= sum_j t * diff for one component over NV vectors of points; the NV accumulator chains are
// independent, which hides the FMA latency.  With log_norm (the last dimension chunk) q is finished into the
// component log-density log_norm - 0.5 * q while still in registers, saving a pass over the tile.
template <std::size_t NV, class T>
inline void quad_vectors(const T* xt, std::size_t pv, std::size_t nd, const T* mean, const T* inv_var, T* q,
                         bool first, const T* log_norm) {
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
  if (log_norm)
    for (std::size_t v = 0; v < NV; ++v) storeu(q + v * W, fnma(set1(T(0.5)), acc[v], set1(*log_norm)));
  else
    for (std::size_t v = 0; v < NV; ++v) storeu(q + v * W, acc[v]);
}

template <class T>
void quad_tile(const T* xt, std::size_t pv, std::size_t nd, const T* mean, const T* inv_var, T* q, bool first,
               const T* log_norm) {
  constexpr std::size_t W = kLanes<T>;
  std::size_t i = 0;
  for (; i + 8 * W <= pv; i += 8 * W) quad_vectors<8>(xt + i, pv, nd, mean, inv_var, q + i, first, log_norm);
  if (i + 4 * W <= pv) quad_vectors<4>(xt + i, pv, nd, mean, inv_var, q + i, first, log_norm), i += 4 * W;
  if (i + 2 * W <= pv) quad_vectors<2>(xt + i, pv, nd, mean, inv_var, q + i, first, log_norm), i += 2 * W;
  if (i < pv) quad_vectors<1>(xt + i, pv, nd, mean, inv_var, q + i, first, log_norm);
}

// Stack budget per call: the transposed points and the quadratic forms of one component tile each fit in a
// fixed buffer (together well inside L1); tiles are shrunk, and dimensions split into chunks, to fit.
constexpr std::size_t kXtBytes = 16384, kQBytes = 8192, kMaxTilePoints = 256;

// Calls on_tile(p0, np, pv, k0, kc, c) for every tile of points [p0, p0 + np) and component tile [k0, k0 + kc),
// with c[k * pv + i] = log_norm - 0.5 * sum_j t * diff of point p0 + i and component k0 + k.
template <class T, class OnTile>
void for_each_quad_tile(std::size_t npoints, std::size_t dim, std::size_t ncomp, const T* X, const T* log_norm,
                        const T* means, const T* inv_vars, const Blocking& blk, OnTile on_tile) {
  constexpr std::size_t W = kLanes<T>, kXt = kXtBytes / sizeof(T), kQ = kQBytes / sizeof(T);
  if (npoints == 0) return;
  const std::size_t tile =
      std::min(std::max<std::size_t>(blk.point_tile / W * W, W), std::min(kMaxTilePoints, kQ));
  const std::size_t P = std::min(tile, (npoints + W - 1) / W * W);
  const std::size_t dc = std::max<std::size_t>(kXt / P, 1);
  const std::size_t ct = std::min<std::size_t>({std::max<std::uint32_t>(blk.comp_tile, 1), ncomp, kQ / P});
  const bool one_chunk = dim <= dc;
  DG_NOTE_BLOCKING(kPointTileParam, P);
  DG_NOTE_BLOCKING(kCompTileParam, ct);
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
      do {  // at least once: dim == 0 still needs c = log_norm
        const std::size_t nd = std::min(dc, dim - j0);
        if (!one_chunk) transpose_tile(Xp, dim, np, avail, pv, j0, nd, xt);
        const bool finish = j0 + nd == dim;
        for (std::size_t k = 0; k < kc; ++k)
          quad_tile(xt, pv, nd, means + (k0 + k) * dim + j0, inv_vars + (k0 + k) * dim + j0, q + k * pv, j0 == 0,
                    finish ? log_norm + k0 + k : nullptr);
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

// One step of the online log-sum-exp (see gmm_logpdf) for G consecutive vectors of points: c, run_max, run_sum
// and out start at the first of them, and np (>= 1 in every vector) points from there are real.  The G vectors
// go in lockstep through the max, each component's exp and the final log, so that their long exp and log
// chains overlap; each lane sees the same operations in the same order as with G = 1.
template <int G, class T>
inline void lse_vectors(const T* c, std::size_t pv, std::size_t kc, const T* log_weight, bool first, bool last,
                        T* run_max, T* run_sum, T* out, std::size_t np) {
  constexpr std::size_t W = kLanes<T>;
  Vec<T> m[G], shift[G], s[G], arg[G], e[G];
  for (int g = 0; g < G; ++g) m[g] = set1(-std::numeric_limits<T>::infinity());
  for (std::size_t k = 0; k < kc; ++k)
    for (int g = 0; g < G; ++g) m[g] = max(m[g], add(set1(log_weight[k]), loadu(c + k * pv + g * W)));
  for (int g = 0; g < G; ++g) {
    if (!first) m[g] = max(loadu(run_max + g * W), m[g]);
    shift[g] = and_not(is_neg_inf(m[g]), m[g]);
  }
  if (first) {
    for (int g = 0; g < G; ++g) s[g] = set1(T(0));
  } else {
    for (int g = 0; g < G; ++g) arg[g] = sub(loadu(run_max + g * W), shift[g]);
    recipe_exp<G>(arg, e);
    for (int g = 0; g < G; ++g) s[g] = mul(loadu(run_sum + g * W), e[g]);
  }
  for (std::size_t k = 0; k < kc; ++k) {
    for (int g = 0; g < G; ++g) arg[g] = sub(add(set1(log_weight[k]), loadu(c + k * pv + g * W)), shift[g]);
    recipe_exp<G>(arg, e);
    for (int g = 0; g < G; ++g) s[g] = add(s[g], e[g]);
  }
  if (last) {
    recipe_log<G>(s, e);
    for (int g = 0; g < G; ++g) store_partial(out + g * W, add(m[g], e[g]), np - g * W);
  } else {
    for (int g = 0; g < G; ++g) {
      storeu(run_max + g * W, m[g]);
      storeu(run_sum + g * W, s[g]);
    }
  }
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
  alignas(32) T run_max[kMaxTilePoints], run_sum[kMaxTilePoints];
  for_each_quad_tile(
      npoints, dim, ncomp, X, log_norm, means, inv_vars, blk,
      [&](std::size_t p0, std::size_t np, std::size_t pv, std::size_t k0, std::size_t kc, const T* c) {
        if (resp)
          for (std::size_t k = 0; k < kc; ++k)
            for (std::size_t i = 0; i < np; ++i) resp[(p0 + i) * ncomp + k0 + k] = c[k * pv + i];
        const bool first = k0 == 0, last = k0 + kc == ncomp;
        const T* lw = log_weight + k0;
        // Groups of 8 vectors, then one of 4, 2 and 1 for the rest (as in quad_tile): 8 measured best for both
        // types (Zen 3, K = 3, D = 4; ahead of 4 by 10 to 15 % for double), and the smaller groups keep short
        // tiles in lockstep too.
        std::size_t i = 0;
        const auto group = [&](auto G) {
          lse_vectors<decltype(G)::value>(c + i, pv, kc, lw, first, last, run_max + i, run_sum + i, out + p0 + i,
                                          np - i);
          i += decltype(G)::value * W;
        };
        while (i + 8 * W <= pv) group(std::integral_constant<int, 8>());
        if (i + 4 * W <= pv) group(std::integral_constant<int, 4>());
        if (i + 2 * W <= pv) group(std::integral_constant<int, 2>());
        if (i < pv) group(std::integral_constant<int, 1>());
      });
}

#include "kernels/common/instantiate_logpdf.inc"

}  // namespace diaggauss::avx2
