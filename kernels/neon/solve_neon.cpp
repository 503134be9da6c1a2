// NEON diagonal-solve family: plain IEEE division / multiplication per element, so the vector lanes and the
// scalar tails (the same overloaded operations, see map() in simd_neon.hpp) reproduce the oracle's bits.
#include <cmath>

#include "kernels/neon/neon_kernels.hpp"
#include "kernels/neon/simd_neon.hpp"

namespace diaggauss::neon {
namespace {

// Usable diagonal entry: 0 < |d| < inf (NaN fails both comparisons).
inline uint64x2_t usable(float64x2_t d) {
  return vandq_u64(vcagtq_f64(d, vdupq_n_f64(0.0)), vcaltq_f64(d, vdupq_n_f64(INFINITY)));
}
inline uint32x4_t usable(float32x4_t d) {
  return vandq_u32(vcagtq_f32(d, vdupq_n_f32(0.0f)), vcaltq_f32(d, vdupq_n_f32(INFINITY)));
}
inline uint64x2_t both(uint64x2_t a, uint64x2_t b) { return vandq_u64(a, b); }
inline uint32x4_t both(uint32x4_t a, uint32x4_t b) { return vandq_u32(a, b); }
inline bool all_set(uint64x2_t m) { return vminvq_u32(vreinterpretq_u32_u64(m)) == ~0u; }
inline bool all_set(uint32x4_t m) { return vminvq_u32(m) == ~0u; }

}  // namespace

template <class T>
std::size_t find_bad_diag(std::size_t n, const T* d) {
  constexpr std::size_t L = kLanes<T>;
  std::size_t i = 0;
  // One horizontal test per four vectors; a hit leaves the loop and the scalar scan below pins the exact index
  // within those vectors.
  for (; i + 4 * L <= n; i += 4 * L) {
    const auto ok = both(both(usable(load(d + i)), usable(load(d + i + L))),
                         both(usable(load(d + i + 2 * L)), usable(load(d + i + 3 * L))));
    if (!all_set(ok)) break;
  }
  for (; i < n; ++i)
    if (d[i] == T(0) || !std::isfinite(d[i])) return i;
  return n;
}

template <class T>
void solve_diag(std::size_t n, const T* d, const T* b, T* x) {
  map(n, x, [](auto bi, auto di) { return div(bi, di); }, b, d);
}

template <class T>
void reciprocal(std::size_t n, const T* d, T* inv) {
  map(n, inv, [](auto di) { return recip(di); }, d);
}

template <class T>
void solve_diag_inv(std::size_t n, const T* inv, const T* b, T* x) {
  map(n, x, [](auto bi, auto vi) { return mul(bi, vi); }, b, inv);
}

// Rows are contiguous, so one streaming pass per row already touches each cache line once: a column tile
// (the rhs_tile knob, removed in issue 16) has nothing to block here.
template <class T>
void solve_diag_multi(std::size_t n, std::size_t nrhs, const T* d, const T* B, std::size_t ldb, T* X,
                      std::size_t ldx) {
  for (std::size_t i = 0; i < n; ++i) {
    const T inv = T(1) / d[i];
    map(nrhs, X + i * ldx, [inv](auto b) { return mul(b, inv); }, B + i * ldb);
  }
}

template <class T>
void whiten(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* stddev, T* Z) {
  for (std::size_t p = 0; p < npoints; ++p)
    map(dim, Z + p * dim, [](auto x, auto mu, auto sd) { return div(sub(x, mu), sd); }, X + p * dim, mean, stddev);
}

#include "kernels/common/instantiate_solve.inc"

}  // namespace diaggauss::neon
