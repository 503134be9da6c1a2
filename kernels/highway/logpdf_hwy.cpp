// Highway log-densities (accuracy contract, not bit-identity).
//
// Both kernels run on tiles of points.  For small and medium dimensions a tile is first transposed into a
// stack SoA buffer (xs[j][p]), so the lanes run across points: each (component, dimension) pair costs two
// broadcasts and then one sub, mul and fma per vector of points, with no horizontal reductions.  When a
// dimension is too long for a useful SoA tile, or when there is a single component to amortise the transpose
// over (diag_logpdf) and the rows fill vectors, each quadratic form is instead vectorised along the dimension.  The mixture's log-sum-exp is vectorised across points too, one component tile at a
// time (max, then sum of exps, then an online merge with the running max and sum), so any number of
// components runs in fixed stack space.
#include "kernels/highway/hwy_config.h"  // before Highway's headers

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/highway/logpdf_hwy.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include <algorithm>
#include <cstring>
#include <limits>

#include "hwy/highway.h"
#include "kernels/highway/kernels_hwy-inl.h"
#include "kernels/highway/vecmath-inl.h"

HWY_BEFORE_NAMESPACE();
namespace diaggauss::hwy_family::HWY_NAMESPACE {
#if DG_HWY_KERNEL_TARGET
namespace hn = hwy::HWY_NAMESPACE;

namespace {

// Stack budget: the SoA copy of a point tile and one tile of component log-densities, each L1-sized.
constexpr std::size_t kSoaBytes = 16384;
constexpr std::size_t kTileBytes = 16384;
constexpr std::size_t kMaxPointTile = 1024;  // Blocking's upper bound for point_tile
// Vectors of points whose quadratic forms are accumulated together: enough independent fma chains to hide
// the fma latency (each dimension step is one sub, one mul and one fma per vector).
constexpr std::size_t kQuadVecs = 4;

struct TileShape {
  std::size_t points;  // per tile; a multiple of the vector length
  std::size_t comps;   // per tile
  bool soa;            // transpose the tile (lanes across points) rather than vectorise along the dimension
};

template <class T>
TileShape tile_shape(std::size_t N, std::size_t dim, std::size_t ncomp, const Blocking& blk) {
  constexpr std::size_t kSoa = kSoaBytes / sizeof(T), kTile = kTileBytes / sizeof(T);
  TileShape s;
  s.points = (std::min<std::size_t>(std::max<std::uint32_t>(blk.point_tile, 1), kMaxPointTile) + N - 1) / N * N;
  // A transposed tile is reused by every component.  With a single one (diag_logpdf) a scalar transpose costs
  // about as much as the arithmetic, so it only pays when LoadInterleaved does it (dim <= 4) or when a row is
  // too short to fill a vector.
  s.soa = dim * kQuadVecs * N <= kSoa && (ncomp > 1 || dim <= 4 || dim < N);
  if (s.soa && dim > 0) s.points = std::min(s.points, kSoa / dim / N * N);
  s.comps = std::clamp<std::size_t>(blk.comp_tile, 1, kTile / s.points);
  DG_NOTE_BLOCKING(kPointTileParam, s.points);
  DG_NOTE_BLOCKING(kCompTileParam, s.comps);
  return s;
}

// Stores the SoA rows of N points starting at x (AoS) at xs[j * P], for the short rows LoadInterleaved handles.
template <class D, class T = hn::TFromD<D>>
HWY_INLINE bool transpose_vector(D d, std::size_t dim, const T* x, std::size_t P, T* xs) {
  hn::VFromD<D> v[4];
  switch (dim) {
    case 1: v[0] = hn::LoadU(d, x); break;
    case 2: hn::LoadInterleaved2(d, x, v[0], v[1]); break;
    case 3: hn::LoadInterleaved3(d, x, v[0], v[1], v[2]); break;
    case 4: hn::LoadInterleaved4(d, x, v[0], v[1], v[2], v[3]); break;
    default: return false;
  }
  for (std::size_t j = 0; j < dim; ++j) hn::Store(v[j], d, xs + j * P);
  return true;
}

// xs[j * P + p] = X[p][j] for the tile's np points; lanes np .. npv-1 are zero so every vector is defined.
template <class D, class T = hn::TFromD<D>>
void transpose_points(D d, std::size_t np, std::size_t npv, std::size_t dim, const T* X, std::size_t P, T* xs) {
  const std::size_t N = hn::Lanes(d);
  std::size_t p = 0;
  for (; p + N <= np; p += N)
    if (!transpose_vector(d, dim, X + p * dim, P, xs + p)) break;
  for (; p < np; ++p) {
    const T* row = X + p * dim;
    for (std::size_t j = 0; j < dim; ++j) xs[j * P + p] = row[j];
  }
  for (std::size_t j = 0; j < dim; ++j)
    for (std::size_t q = np; q < npv; ++q) xs[j * P + q] = T(0);
}

// c[r*N + lane] = log_norm - 0.5 * sum_j t*diff for R vectors of points starting at xs (SoA, row stride P).
template <std::size_t R, class D, class T = hn::TFromD<D>>
HWY_INLINE void soa_quad_block(D d, const T* xs, std::size_t P, std::size_t dim, const T* mu, const T* iv,
                               T log_norm, T* c) {
  const std::size_t N = hn::Lanes(d);
  hn::VFromD<D> acc[R];
  for (std::size_t r = 0; r < R; ++r) acc[r] = hn::Zero(d);
  for (std::size_t j = 0; j < dim; ++j) {
    const auto m = hn::Set(d, mu[j]), v = hn::Set(d, iv[j]);
    const T* x = xs + j * P;
    for (std::size_t r = 0; r < R; ++r) {
      const auto diff = hn::Sub(hn::Load(d, x + r * N), m);
      const auto t = hn::Mul(diff, v);  // diff*inv_var first: diff*diff could overflow where the result does not
      acc[r] = hn::MulAdd(t, diff, acc[r]);
    }
  }
  for (std::size_t r = 0; r < R; ++r)
    hn::Store(hn::Sub(hn::Set(d, log_norm), hn::Mul(hn::Set(d, T(0.5)), acc[r])), d, c + r * N);
}

template <class D, class T = hn::TFromD<D>>
void soa_quad(D d, const T* xs, std::size_t P, std::size_t npv, std::size_t dim, const T* mu, const T* iv,
              T log_norm, T* c) {
  const std::size_t N = hn::Lanes(d);
  std::size_t v = 0;
  for (; v + kQuadVecs * N <= npv; v += kQuadVecs * N)
    soa_quad_block<kQuadVecs>(d, xs + v, P, dim, mu, iv, log_norm, c + v);
  for (; v < npv; v += N) soa_quad_block<1>(d, xs + v, P, dim, mu, iv, log_norm, c + v);
}

// sum_j t*diff for one point, vectorised along the dimension (for rows that fill vectors).
template <class D, class T = hn::TFromD<D>>
HWY_INLINE T row_quad(D d, std::size_t dim, const T* x, const T* mu, const T* iv) {
  const std::size_t N = hn::Lanes(d);
  auto step = [](auto xv, auto mv, auto ivv, auto acc) HWY_ATTR {
    const auto diff = hn::Sub(xv, mv);
    return hn::MulAdd(hn::Mul(diff, ivv), diff, acc);
  };
  auto a0 = hn::Zero(d), a1 = hn::Zero(d), a2 = hn::Zero(d), a3 = hn::Zero(d);
  std::size_t j = 0;
  for (; j + 4 * N <= dim; j += 4 * N) {
    a0 = step(hn::LoadU(d, x + j), hn::LoadU(d, mu + j), hn::LoadU(d, iv + j), a0);
    a1 = step(hn::LoadU(d, x + j + N), hn::LoadU(d, mu + j + N), hn::LoadU(d, iv + j + N), a1);
    a2 = step(hn::LoadU(d, x + j + 2 * N), hn::LoadU(d, mu + j + 2 * N), hn::LoadU(d, iv + j + 2 * N), a2);
    a3 = step(hn::LoadU(d, x + j + 3 * N), hn::LoadU(d, mu + j + 3 * N), hn::LoadU(d, iv + j + 3 * N), a3);
  }
  for (; j + N <= dim; j += N) a0 = step(hn::LoadU(d, x + j), hn::LoadU(d, mu + j), hn::LoadU(d, iv + j), a0);
  const hn::CappedTag<T, 1> d1;
  auto tail = hn::Zero(d1);
  for (; j < dim; ++j) tail = step(hn::LoadU(d1, x + j), hn::LoadU(d1, mu + j), hn::LoadU(d1, iv + j), tail);
  const auto sum = hn::Add(hn::Add(a0, a1), hn::Add(a2, a3));
  return hn::GetLane(hn::SumOfLanes(d, sum)) + hn::GetLane(tail);
}

// The larger of a and b, or NaN when either is NaN: a NaN in X must reach out[p] on every target
// (docs/numerics.md).  hn::Max alone cannot promise that: on NEON it is IEEE maxNum (vmaxnm: the number wins over
// the NaN, so the NaN was lost and out[p] came out -inf), on x86 it returns the second operand when either is NaN.
template <class D, class V>
V max_nan(D, V a, V b) {
  return hn::IfThenElse(hn::Or(hn::IsNaN(a), hn::IsNaN(b)), hn::Add(a, b), hn::Max(a, b));
}

// Folds one tile of components into the running log-sum-exp state (m = max so far, s = sum of exp(l - m)),
// for npv points: l[k][p] = log_weight[k] + c[k][p].
template <class D, class T = hn::TFromD<D>>
void lse_merge(D d, const T* c, std::size_t P, std::size_t npv, std::size_t nk, const T* log_weight, bool first,
               T* m_run, T* s_run) {
  const std::size_t N = hn::Lanes(d);
  const auto neg_inf = hn::Set(d, -std::numeric_limits<T>::infinity());
  for (std::size_t v = 0; v < npv; v += N) {
    auto l = [&](std::size_t k) HWY_ATTR { return hn::Add(hn::Set(d, log_weight[k]), hn::Load(d, c + k * P + v)); };
    auto mt = neg_inf;
    for (std::size_t k = 0; k < nk; ++k) mt = max_nan(d, mt, l(k));
    auto st = hn::Zero(d);
    for (std::size_t k = 0; k < nk; ++k) st = hn::Add(st, recipe_exp(d, hn::Sub(l(k), mt)));
    if (first) {
      hn::Store(mt, d, m_run + v);
      hn::Store(st, d, s_run + v);
      continue;
    }
    const auto m = hn::Load(d, m_run + v);
    const auto m_new = max_nan(d, m, mt);
    // One side's factor is exp(0) = 1 and its sum is >= 1, so s stays >= 1 once any term is finite.  While every
    // term so far is -inf, both differences are NaN, recipe_exp gives 0, and s stays 0.
    const auto s = hn::Add(hn::Mul(hn::Load(d, s_run + v), recipe_exp(d, hn::Sub(m, m_new))),
                           hn::Mul(st, recipe_exp(d, hn::Sub(mt, m_new))));
    hn::Store(m_new, d, m_run + v);
    hn::Store(s, d, s_run + v);
  }
}

// out = m + log(s), or -inf where every term was -inf; written over s_run.
template <class D, class T = hn::TFromD<D>>
void lse_finish(D d, std::size_t npv, const T* m_run, T* s_run) {
  const std::size_t N = hn::Lanes(d);
  const auto neg_inf = hn::Set(d, -std::numeric_limits<T>::infinity());
  for (std::size_t v = 0; v < npv; v += N) {
    const auto m = hn::Load(d, m_run + v);
    const auto res = hn::Add(m, recipe_log(d, hn::Load(d, s_run + v)));
    hn::Store(hn::IfThenElse(hn::Eq(m, neg_inf), m, res), d, s_run + v);
  }
}

// c[k][p] = log_norm[k] - 0.5 * quad(p, k) for every point and component; then resp, and either
// out = log-sum-exp over components (log_weight given) or out = c[0] (diag_logpdf: one component).
template <class T>
void logpdf_tiles(std::size_t npoints, std::size_t dim, std::size_t ncomp, const T* X, const T* log_norm,
                  const T* log_weight, const T* means, const T* inv_vars, T* out, T* resp, const Blocking& blk) {
  const hn::ScalableTag<T> d;
  const std::size_t N = hn::Lanes(d);
  const TileShape shape = tile_shape<T>(N, dim, ncomp, blk);
  const std::size_t P = shape.points;
  HWY_ALIGN T xs[kSoaBytes / sizeof(T)];
  HWY_ALIGN T c[kTileBytes / sizeof(T)];
  HWY_ALIGN T m_run[kMaxPointTile];
  HWY_ALIGN T s_run[kMaxPointTile];
  for (std::size_t p0 = 0; p0 < npoints; p0 += P) {
    const std::size_t np = std::min(P, npoints - p0), npv = (np + N - 1) / N * N;
    const T* Xt = X + p0 * dim;
    if (shape.soa) transpose_points(d, np, npv, dim, Xt, P, xs);
    for (std::size_t k0 = 0; k0 < ncomp; k0 += shape.comps) {
      const std::size_t nk = std::min(shape.comps, ncomp - k0);
      for (std::size_t kk = 0; kk < nk; ++kk) {
        const std::size_t k = k0 + kk;
        const T* mu = means + k * dim;
        const T* iv = inv_vars + k * dim;
        T* row = c + kk * P;
        if (shape.soa) {
          soa_quad(d, xs, P, npv, dim, mu, iv, log_norm[k], row);
        } else {
          for (std::size_t p = 0; p < np; ++p) row[p] = log_norm[k] - T(0.5) * row_quad(d, dim, Xt + p * dim, mu, iv);
          std::fill(row + np, row + npv, T(0));
        }
      }
      if (resp)
        for (std::size_t p = 0; p < np; ++p)
          for (std::size_t kk = 0; kk < nk; ++kk) resp[(p0 + p) * ncomp + k0 + kk] = c[kk * P + p];
      if (log_weight) lse_merge(d, c, P, npv, nk, log_weight + k0, k0 == 0, m_run, s_run);
    }
    if (log_weight) {
      lse_finish(d, npv, m_run, s_run);
      std::memcpy(out + p0, s_run, np * sizeof(T));
    } else {
      std::memcpy(out + p0, c, np * sizeof(T));
    }
  }
}

}  // namespace

template <class T>
void diag_logpdf(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* inv_var, T log_norm,
                 T* out, const Blocking&) {
  // No tuned parameter: one pass over the points, each used once, so the default tile (dispatch/profile.cpp
  // declares no parameter for diag_logpdf; measured within noise of the tuned tiles).
  logpdf_tiles<T>(npoints, dim, 1, X, &log_norm, nullptr, mean, inv_var, out, nullptr, Blocking{});
}

template <class T>
void gmm_logpdf(std::size_t npoints, std::size_t dim, std::size_t ncomp, const T* X, const T* log_norm,
                const T* log_weight, const T* means, const T* inv_vars, T* out, T* resp, const Blocking& blk) {
  if (ncomp == 0) {  // an empty sum: every point has density 0
    std::fill(out, out + npoints, -std::numeric_limits<T>::infinity());
    return;
  }
  logpdf_tiles<T>(npoints, dim, ncomp, X, log_norm, log_weight, means, inv_vars, out, resp, blk);
}

#define DG_HWY_INSTANTIATE(T)                                                                                 \
  template void diag_logpdf<T>(std::size_t, std::size_t, const T*, const T*, const T*, T, T*, const Blocking&); \
  template void gmm_logpdf<T>(std::size_t, std::size_t, std::size_t, const T*, const T*, const T*, const T*,    \
                              const T*, T*, T*, const Blocking&);
DG_HWY_INSTANTIATE(float)
DG_HWY_INSTANTIATE(double)
#undef DG_HWY_INSTANTIATE

#endif  // DG_HWY_KERNEL_TARGET
}  // namespace diaggauss::hwy_family::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();
