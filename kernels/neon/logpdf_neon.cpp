// NEON log-densities, vectorized across points: a tile of points is transposed into a structure-of-arrays stack
// buffer (xt[j * stride + p]), so each coordinate of each component costs one broadcast mean / inverse variance
// and full-width work on the points, whatever the dimension.  The mixture's log-sum-exp runs over component
// tiles with a running maximum (the exp recipe of exp_recipe.hpp, the fdlibm log with normal_recipe.hpp's kLog
// coefficients: not the sampler's LOG), so any number of components needs only fixed stack buffers.
#include <algorithm>
#include <cstring>
#include <limits>

#include "kernels/neon/neon_kernels.hpp"
#include "kernels/neon/simd_neon.hpp"

namespace diaggauss::neon {
namespace {

template <class T> inline constexpr std::size_t kMicro = 4 * kLanes<T>;  // points per register block
template <class T> inline constexpr std::size_t kBufElems = 16384 / sizeof(T);  // each stack buffer: 16 KiB
inline constexpr std::size_t kMaxTilePoints = 256;  // leaves room in xt for at least 8 coordinates per chunk
inline constexpr std::size_t kMaxCompTile = 64;     // the upper end of Blocking::comp_tile's range
// The mixture keeps two extra rows per point (running max and sum) next to a tile of components.
static_assert(kBufElems<double> / (kMaxCompTile + 2) >= kMicro<double>, "a component tile must fit a register block");
static_assert(kBufElems<float> / (kMaxCompTile + 2) >= kMicro<float>, "a component tile must fit a register block");

inline std::size_t round_up(std::size_t n, std::size_t m) { return (n + m - 1) / m * m; }

// Points per tile: point_tile in whole register blocks, capped so that `rows` values per point fit one buffer.
template <class T>
std::size_t tile_points(const Blocking& blk, std::size_t rows) {
  const std::size_t cap = std::min(kMaxTilePoints, kBufElems<T> / rows / kMicro<T> * kMicro<T>);
  return std::clamp(round_up(blk.point_tile, kMicro<T>), kMicro<T>, cap);
}

// Coordinates per transposed chunk: a whole number of vectors, so the block transpose covers most of them.
template <class T>
std::size_t chunk_dims(std::size_t tile_points) {
  return kBufElems<T> / tile_points / kLanes<T> * kLanes<T>;
}

// One L x L block: rows of the source (points) become rows of the destination (coordinates).
inline void transpose_block(const double* src, std::size_t ld, double* dst, std::size_t ldd) {
  const float64x2_t r0 = vld1q_f64(src), r1 = vld1q_f64(src + ld);
  vst1q_f64(dst, vzip1q_f64(r0, r1));
  vst1q_f64(dst + ldd, vzip2q_f64(r0, r1));
}

inline void transpose_block(const float* src, std::size_t ld, float* dst, std::size_t ldd) {
  const float32x4_t r0 = vld1q_f32(src), r1 = vld1q_f32(src + ld);
  const float32x4_t r2 = vld1q_f32(src + 2 * ld), r3 = vld1q_f32(src + 3 * ld);
  const float64x2_t t0 = vreinterpretq_f64_f32(vtrn1q_f32(r0, r1)), t1 = vreinterpretq_f64_f32(vtrn2q_f32(r0, r1));
  const float64x2_t t2 = vreinterpretq_f64_f32(vtrn1q_f32(r2, r3)), t3 = vreinterpretq_f64_f32(vtrn2q_f32(r2, r3));
  vst1q_f32(dst, vreinterpretq_f32_f64(vtrn1q_f64(t0, t2)));
  vst1q_f32(dst + ldd, vreinterpretq_f32_f64(vtrn1q_f64(t1, t3)));
  vst1q_f32(dst + 2 * ldd, vreinterpretq_f32_f64(vtrn2q_f64(t0, t2)));
  vst1q_f32(dst + 3 * ldd, vreinterpretq_f32_f64(vtrn2q_f64(t1, t3)));
}

// xt[j * stride + p] = X[p][j0 + j] for p < np, j < dc; lanes np..stride-1 are zero-filled so that whole register
// blocks can run over them (their results are never stored).
template <class T>
void transpose_tile(const T* X, std::size_t dim, std::size_t np, std::size_t j0, std::size_t dc, std::size_t stride,
                    T* xt) {
  constexpr std::size_t L = kLanes<T>;
  std::size_t p = 0;
  for (; p + L <= np; p += L) {
    const T* src = X + p * dim + j0;
    std::size_t j = 0;
    for (; j + L <= dc; j += L) transpose_block(src + j, dim, xt + j * stride + p, stride);
    for (; j < dc; ++j)
      for (std::size_t r = 0; r < L; ++r) xt[j * stride + p + r] = src[r * dim + j];
  }
  for (; p < np; ++p)
    for (std::size_t j = 0; j < dc; ++j) xt[j * stride + p] = X[p * dim + j0 + j];
  for (std::size_t j = 0; j < dc; ++j) std::fill(xt + j * stride + np, xt + (j + 1) * stride, T(0));
}

// q[p] (+)= sum_j t * diff over the chunk's dc coordinates of one component, diff = x - mean, t = diff * inv_var
// (diff * inv_var first: diff * diff could overflow where the result does not).
template <class T>
void accumulate_quads(const T* xt, std::size_t stride, std::size_t dc, const T* mean, const T* inv_var, bool first,
                      T* q) {
  constexpr std::size_t L = kLanes<T>;
  for (std::size_t p = 0; p < stride; p += kMicro<T>) {
    Vec<T> acc[4];
    for (std::size_t v = 0; v < 4; ++v) acc[v] = first ? splat(T(0)) : load(q + p + v * L);
    for (std::size_t j = 0; j < dc; ++j) {
      const Vec<T> mu = splat(mean[j]), iv = splat(inv_var[j]);
      const T* x = xt + j * stride + p;
      for (std::size_t v = 0; v < 4; ++v) {
        const Vec<T> diff = sub(load(x + v * L), mu);
        acc[v] = fmadd(mul(diff, iv), diff, acc[v]);
      }
    }
    for (std::size_t v = 0; v < 4; ++v) store(q + p + v * L, acc[v]);
  }
}

// Quadratic forms of nk components (rows of q, `stride` apart) for the np points at X.  When `resident`, xt
// already holds all coordinates of the tile; otherwise the dimension exceeds one buffer and each chunk of
// coordinates is transposed here in turn.
template <class T>
void tile_quads(const T* X, std::size_t dim, std::size_t np, std::size_t stride, std::size_t dchunk, bool resident,
                const T* means, const T* inv_vars, std::size_t nk, T* xt, T* q) {
  std::size_t j0 = 0;
  do {  // at least once, so that dim == 0 still yields zero forms
    const std::size_t dc = std::min(dchunk, dim - j0);
    if (!resident) transpose_tile(X, dim, np, j0, dc, stride, xt);
    for (std::size_t k = 0; k < nk; ++k)
      accumulate_quads(xt, stride, dc, means + k * dim + j0, inv_vars + k * dim + j0, j0 == 0, q + k * stride);
    j0 += dc;
  } while (j0 < dim);
}

// log_norm - 0.5 * q; 0.5 * q is exact, so one fused step rounds like the separate multiply and subtract.
inline float64x2_t component(double log_norm, float64x2_t q) {
  return vfmsq_f64(vdupq_n_f64(log_norm), vdupq_n_f64(0.5), q);
}
inline float32x4_t component(float log_norm, float32x4_t q) {
  return vfmsq_f32(vdupq_n_f32(log_norm), vdupq_n_f32(0.5f), q);
}

inline float64x2_t vmax(float64x2_t a, float64x2_t b) { return vmaxq_f64(a, b); }
inline float32x4_t vmax(float32x4_t a, float32x4_t b) { return vmaxq_f32(a, b); }
// Where a == b, pick x, else y.
inline float64x2_t select_eq(float64x2_t a, float64x2_t b, float64x2_t x, float64x2_t y) {
  return vbslq_f64(vceqq_f64(a, b), x, y);
}
inline float32x4_t select_eq(float32x4_t a, float32x4_t b, float32x4_t x, float32x4_t y) {
  return vbslq_f32(vceqq_f32(a, b), x, y);
}

}  // namespace

template <class T>
void diag_logpdf(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* inv_var, T log_norm,
                 T* out, const Blocking&) {
  constexpr std::size_t L = kLanes<T>;
  // No tuned parameter (dispatch/profile.cpp): one pass over the points, each used once; the default tile.
  const std::size_t pt = tile_points<T>(Blocking{}, 1), dchunk = chunk_dims<T>(pt);
  alignas(16) T xt[kBufElems<T>];
  alignas(16) T q[kMaxTilePoints];
  for (std::size_t p0 = 0; p0 < npoints; p0 += pt) {
    const std::size_t np = std::min(pt, npoints - p0), stride = round_up(np, kMicro<T>);
    tile_quads(X + p0 * dim, dim, np, stride, dchunk, /*resident=*/false, mean, inv_var, 1, xt, q);
    for (std::size_t p = 0; p < stride; p += L) store(q + p, component(log_norm, load(q + p)));
    std::memcpy(out + p0, q, np * sizeof(T));
  }
}

template <class T>
void gmm_logpdf(std::size_t npoints, std::size_t dim, std::size_t ncomp, const T* X, const T* log_norm,
                const T* log_weight, const T* means, const T* inv_vars, T* out, T* resp, const Blocking& blk) {
  constexpr std::size_t L = kLanes<T>;
  constexpr T kNegInf = -std::numeric_limits<T>::infinity();
  const std::size_t ct = std::clamp<std::size_t>(blk.comp_tile, 1, kMaxCompTile);
  const std::size_t rows = std::min(ct, std::max<std::size_t>(ncomp, 1));
  const std::size_t pt = tile_points<T>(blk, rows + 2), dchunk = chunk_dims<T>(pt);
  const bool resident = dim <= dchunk;
  DG_NOTE_BLOCKING(kPointTileParam, pt);
  DG_NOTE_BLOCKING(kCompTileParam, ct);
  alignas(16) T xt[kBufElems<T>];
  // Per point of the tile: rows of component log-densities c, then the running max m and the running sum s of
  // exp(l - m) over the components seen so far.
  alignas(16) T per_point[kBufElems<T>];
  T* const m_row = per_point + rows * pt;
  T* const s_row = m_row + pt;
  for (std::size_t p0 = 0; p0 < npoints; p0 += pt) {
    const T* const Xt = X + p0 * dim;
    const std::size_t np = std::min(pt, npoints - p0), stride = round_up(np, kMicro<T>);
    if (resident) transpose_tile(Xt, dim, np, 0, dim, stride, xt);
    std::fill(m_row, m_row + stride, kNegInf);
    std::fill(s_row, s_row + stride, T(0));
    for (std::size_t k0 = 0; k0 < ncomp; k0 += rows) {
      const std::size_t nk = std::min(rows, ncomp - k0);
      tile_quads(Xt, dim, np, stride, dchunk, resident, means + k0 * dim, inv_vars + k0 * dim, nk, xt, per_point);
      for (std::size_t p = 0; p < stride; p += L) {
        const Vec<T> m_old = load(m_row + p);
        Vec<T> m = m_old;
        for (std::size_t k = 0; k < nk; ++k) {
          const Vec<T> c = component(log_norm[k0 + k], load(per_point + k * stride + p));
          store(per_point + k * stride + p, c);
          m = vmax(m, add(splat(log_weight[k0 + k]), c));
        }
        // With every l so far -inf, exp(l - m) would be exp(NaN): measure from 0 instead, which gives exp(-inf) = 0.
        const Vec<T> ref = select_eq(m, splat(kNegInf), splat(T(0)), m);
        Vec<T> s = mul(load(s_row + p), exp_recipe(sub(m_old, ref)));
        for (std::size_t k = 0; k < nk; ++k) {
          const Vec<T> l = add(splat(log_weight[k0 + k]), load(per_point + k * stride + p));
          s = add(s, exp_recipe(sub(l, ref)));
        }
        store(m_row + p, m);
        store(s_row + p, s);
      }
      if (resp)
        for (std::size_t p = 0; p < np; ++p)
          for (std::size_t k = 0; k < nk; ++k) resp[(p0 + p) * ncomp + k0 + k] = per_point[k * stride + p];
    }
    // s >= 1 wherever m is finite (the maximal term contributes exp(0) = 1), inside the log recipe's domain.
    for (std::size_t p = 0; p < stride; p += L) {
      const Vec<T> m = load(m_row + p);
      store(s_row + p, select_eq(m, splat(kNegInf), m, add(m, log_recipe(load(s_row + p)))));
    }
    std::memcpy(out + p0, s_row, np * sizeof(T));
  }
}

#include "kernels/common/instantiate_logpdf.inc"

}  // namespace diaggauss::neon
