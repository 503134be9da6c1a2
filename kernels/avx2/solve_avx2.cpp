// AVX2 diagonal-solve family: bit-identical to the scalar oracle because every element goes through the same
// single IEEE operation (or the same sequence) as there, in the vector body, a half-width step or the scalar tail.
#include <cmath>

#include "kernels/avx2/avx2_kernels.hpp"
#include "kernels/avx2/simd_avx2.hpp"

namespace diaggauss::avx2 {
namespace {

// Sign bit set where d is zero, infinite or NaN: d - d is +0 for finite d and NaN otherwise, and the unordered
// compare is true both for equality with that zero and for NaN, so one subtraction and one compare suffice.
inline __m256d bad_lanes(const double* p) {
  const __m256d d = loadu(p);
  return _mm256_cmp_pd(d, sub(d, d), _CMP_EQ_UQ);
}
inline __m256 bad_lanes(const float* p) {
  const __m256 d = loadu(p);
  return _mm256_cmp_ps(d, sub(d, d), _CMP_EQ_UQ);
}

// x[j] = b[j] * s; with n a compile-time constant the loops and branches of map() fold away.
template <class T>
inline void scale_row(std::size_t n, T s, const T* b, T* x) {
  map(n, x, [s](auto bv) { return mul(bv, splat(bv, s)); }, [s](T bs) { return bs * s; }, b);
}

// Short rows (NR < 2W columns, known at compile time) become a few straight-line multiplies.  The divider is
// then the bottleneck, so from two columns on the reciprocals of W rows come from one vector division; for a
// single column, reloading them from the vector costs more than scalar divisions save.
template <std::size_t NR, class T>
void solve_short_rows(std::size_t n, const T* d, const T* B, std::size_t ldb, T* X, std::size_t ldx) {
  constexpr std::size_t W = kLanes<T>;
  std::size_t i = 0;
  if constexpr (NR > 1) {
    alignas(32) T inv[W];
    for (; i + W <= n; i += W) {
      storeu(inv, div(set1(T(1)), loadu(d + i)));
      for (std::size_t r = 0; r < W; ++r) scale_row(NR, inv[r], B + (i + r) * ldb, X + (i + r) * ldx);
    }
  }
  for (; i < n; ++i) scale_row(NR, T(1) / d[i], B + i * ldb, X + i * ldx);
}

// Dispatches nrhs in [1, 2W) to its compile-time instance.
template <std::size_t NR = 1, class T>
void solve_short_rows(std::size_t nrhs, std::size_t n, const T* d, const T* B, std::size_t ldb, T* X,
                      std::size_t ldx) {
  if constexpr (NR < 2 * kLanes<T>) {
    if (nrhs == NR) return solve_short_rows<NR>(n, d, B, ldb, X, ldx);
    solve_short_rows<NR + 1>(nrhs, n, d, B, ldb, X, ldx);
  }
}

}  // namespace

// The validation pass before every solve: mostly a scan of good data, so eight vectors are tested per iteration
// with one combined branch (issue 12: 5 % faster than four for the dispatched solve_diag f64 at 1K on Zen 3, three
// alternating runs), and the exact index is searched for only inside a vector that holds a bad entry.
template <class T>
std::size_t find_bad_diag(std::size_t n, const T* d) {
  constexpr std::size_t W = kLanes<T>;
  std::size_t i = 0;
  for (; i + 8 * W <= n; i += 8 * W) {
    const Vec<T> m = bit_or(bit_or(bit_or(bad_lanes(d + i), bad_lanes(d + i + W)),
                                   bit_or(bad_lanes(d + i + 2 * W), bad_lanes(d + i + 3 * W))),
                            bit_or(bit_or(bad_lanes(d + i + 4 * W), bad_lanes(d + i + 5 * W)),
                                   bit_or(bad_lanes(d + i + 6 * W), bad_lanes(d + i + 7 * W))));
    if (any_sign(m)) break;
  }
  for (; i + 4 * W <= n; i += 4 * W) {
    const Vec<T> m = bit_or(bit_or(bad_lanes(d + i), bad_lanes(d + i + W)),
                            bit_or(bad_lanes(d + i + 2 * W), bad_lanes(d + i + 3 * W)));
    if (any_sign(m)) break;
  }
  for (; i + W <= n; i += W)
    if (any_sign(bad_lanes(d + i))) break;
  for (; i < n; ++i)
    if (d[i] == T(0) || !std::isfinite(d[i])) return i;
  return n;
}

template <class T>
void solve_diag(std::size_t n, const T* d, const T* b, T* x) {
  map_aligned_stores(n, x, [](auto bv, auto dv) { return div(bv, dv); }, [](T bs, T ds) { return bs / ds; }, b, d);
}

template <class T>
void reciprocal(std::size_t n, const T* d, T* inv) {
  map_aligned_stores(n, inv, [](auto dv) { return div(splat(dv, T(1)), dv); }, [](T ds) { return T(1) / ds; }, d);
}

template <class T>
void solve_diag_inv(std::size_t n, const T* inv, const T* b, T* x) {
  map_aligned_stores(n, x, [](auto bv, auto iv) { return mul(bv, iv); }, [](T bs, T is) { return bs * is; }, b, inv);
}

// Long rows: the scalar division of each row overlaps the previous rows' multiplies (measured faster than
// batching the reciprocals).
template <class T>
void solve_diag_multi(std::size_t n, std::size_t nrhs, const T* d, const T* B, std::size_t ldb, T* X, std::size_t ldx) {
  if (nrhs < 2 * kLanes<T>) return solve_short_rows(nrhs, n, d, B, ldb, X, ldx);
  for (std::size_t i = 0; i < n; ++i) scale_row(nrhs, T(1) / d[i], B + i * ldb, X + i * ldx);
}

template <class T>
void whiten(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* stddev, T* Z) {
  map_rows(npoints, dim, X, mean, stddev, Z, [](auto x, auto m, auto s) { return div(sub(x, m), s); },
           [](T x, T m, T s) { return (x - m) / s; });
}

#include "kernels/common/instantiate_solve.inc"

}  // namespace diaggauss::avx2
