// Element-wise loop shared by the solve family and scale_shift_rows (per-target; see kernels_hwy-inl.h).
#if defined(DIAGGAUSS_KERNELS_HIGHWAY_MAP_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef DIAGGAUSS_KERNELS_HIGHWAY_MAP_INL_H_
#undef DIAGGAUSS_KERNELS_HIGHWAY_MAP_INL_H_
#else
#define DIAGGAUSS_KERNELS_HIGHWAY_MAP_INL_H_
#endif

#include <cstddef>

#include "kernels/highway/hwy_config.h"  // before Highway's headers
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace diaggauss::hwy_family::HWY_NAMESPACE {
#if DG_HWY_KERNEL_TARGET
namespace hn = hwy::HWY_NAMESPACE;

// out[i] = op(in[i]...) for i < n.
// Four vectors per iteration so that four long-latency operations (divisions) are in flight at once.  The tail
// runs on single-lane vectors (CappedTag<T, 1>): they load and store exactly one element, so nothing past n is
// touched, and they execute the same operations as the body (same FMA policy), so an element's result never
// depends on where it falls.  `out` may be one of the inputs (in-place kernels): every element is loaded
// before its own store.
template <class T, class Op, class... In>
HWY_INLINE void map_elements(std::size_t n, T* out, const Op& op, const In*... in) {
  const hn::ScalableTag<T> d;
  const std::size_t N = hn::Lanes(d);
  std::size_t i = 0;
  for (; i + 4 * N <= n; i += 4 * N) {
    const auto r0 = op(hn::LoadU(d, in + i)...);
    const auto r1 = op(hn::LoadU(d, in + i + N)...);
    const auto r2 = op(hn::LoadU(d, in + i + 2 * N)...);
    const auto r3 = op(hn::LoadU(d, in + i + 3 * N)...);
    hn::StoreU(r0, d, out + i);
    hn::StoreU(r1, d, out + i + N);
    hn::StoreU(r2, d, out + i + 2 * N);
    hn::StoreU(r3, d, out + i + 3 * N);
  }
  for (; i + N <= n; i += N) hn::StoreU(op(hn::LoadU(d, in + i)...), d, out + i);
  const hn::CappedTag<T, 1> d1;
  for (; i < n; ++i) hn::StoreU(op(hn::LoadU(d1, in + i)...), d1, out + i);
}

#endif  // DG_HWY_KERNEL_TARGET
}  // namespace diaggauss::hwy_family::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
