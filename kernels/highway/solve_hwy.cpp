// Highway diagonal-solve family: bit-identical to the scalar oracle because every element goes through the
// same single IEEE operation (division, multiplication, subtraction), which is correctly rounded in any lane.
#include "kernels/highway/hwy_config.h"  // before Highway's headers

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/highway/solve_hwy.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include <limits>

#include "hwy/highway.h"
#include "kernels/highway/kernels_hwy-inl.h"
#include "kernels/highway/map-inl.h"

HWY_BEFORE_NAMESPACE();
namespace diaggauss::hwy_family::HWY_NAMESPACE {
#if DG_HWY_KERNEL_TARGET
namespace hn = hwy::HWY_NAMESPACE;

namespace {

// 0 < |v| < inf: false for zeros, infinities and NaN (every comparison with NaN is false).
template <class D>
HWY_INLINE auto usable(D d, hn::VFromD<D> v) {
  const auto a = hn::Abs(v);
  return hn::And(hn::Lt(a, hn::Set(d, std::numeric_limits<hn::TFromD<D>>::infinity())), hn::Lt(hn::Zero(d), a));
}

}  // namespace

template <class T>
std::size_t find_bad_diag(std::size_t n, const T* d) {
  const hn::ScalableTag<T> dt;
  const std::size_t N = hn::Lanes(dt);
  std::size_t i = 0;
  // The common case is "all usable": one branch per four vectors.  On a hit, fall through to the one-vector
  // loop, which rescans those four vectors and returns the exact first index.
  for (; i + 4 * N <= n; i += 4 * N) {
    const auto m01 = hn::And(usable(dt, hn::LoadU(dt, d + i)), usable(dt, hn::LoadU(dt, d + i + N)));
    const auto m23 = hn::And(usable(dt, hn::LoadU(dt, d + i + 2 * N)), usable(dt, hn::LoadU(dt, d + i + 3 * N)));
    if (!hn::AllTrue(dt, hn::And(m01, m23))) break;
  }
  for (; i + N <= n; i += N) {
    const auto m = usable(dt, hn::LoadU(dt, d + i));
    if (!hn::AllTrue(dt, m)) return i + hn::FindKnownFirstTrue(dt, hn::Not(m));
  }
  const hn::CappedTag<T, 1> d1;
  for (; i < n; ++i)
    if (!hn::AllTrue(d1, usable(d1, hn::LoadU(d1, d + i)))) return i;
  return n;
}

template <class T>
void solve_diag(std::size_t n, const T* d, const T* b, T* x) {
  map_elements(n, x, [](auto bv, auto dv) HWY_ATTR { return hn::Div(bv, dv); }, b, d);
}

template <class T>
void reciprocal(std::size_t n, const T* d, T* inv) {
  map_elements(n, inv, [](auto dv) HWY_ATTR { return hn::Div(hn::Set(hn::DFromV<decltype(dv)>(), T(1)), dv); }, d);
}

template <class T>
void solve_diag_inv(std::size_t n, const T* inv, const T* b, T* x) {
  map_elements(n, x, [](auto bv, auto iv) HWY_ATTR { return hn::Mul(bv, iv); }, b, inv);
}

// Rows are contiguous and independent, so streaming one row at a time is already the cache-friendly order
// for any nrhs; column tiling (the rhs_tile knob, removed in issue 16) has nothing to improve here.
template <class T>
void solve_diag_multi(std::size_t n, std::size_t nrhs, const T* d, const T* B, std::size_t ldb, T* X,
                      std::size_t ldx) {
  for (std::size_t i = 0; i < n; ++i) {
    const T inv = T(1) / d[i];
    map_elements(
        nrhs, X + i * ldx,
        [inv](auto bv) HWY_ATTR { return hn::Mul(bv, hn::Set(hn::DFromV<decltype(bv)>(), inv)); }, B + i * ldb);
  }
}

template <class T>
void whiten(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* stddev, T* Z) {
  for (std::size_t p = 0; p < npoints; ++p)
    map_elements(
        dim, Z + p * dim, [](auto x, auto mu, auto sd) HWY_ATTR { return hn::Div(hn::Sub(x, mu), sd); },
        X + p * dim, mean, stddev);
}

#define DG_HWY_INSTANTIATE(T)                                                                                     \
  template std::size_t find_bad_diag<T>(std::size_t, const T*);                                                   \
  template void solve_diag<T>(std::size_t, const T*, const T*, T*);                                               \
  template void reciprocal<T>(std::size_t, const T*, T*);                                                         \
  template void solve_diag_inv<T>(std::size_t, const T*, const T*, T*);                                           \
  template void solve_diag_multi<T>(std::size_t, std::size_t, const T*, const T*, std::size_t, T*, std::size_t); \
  template void whiten<T>(std::size_t, std::size_t, const T*, const T*, const T*, T*);
DG_HWY_INSTANTIATE(float)
DG_HWY_INSTANTIATE(double)
#undef DG_HWY_INSTANTIATE

#endif  // DG_HWY_KERNEL_TARGET
}  // namespace diaggauss::hwy_family::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();
