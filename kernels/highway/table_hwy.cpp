// The Highway family's kernel tables (one per compiled target) and the registry's entry points.
//
// The registry asks for every ISA's table while building itself, on whatever CPU it runs on, so nothing here may
// execute target code: each table is constant-initialised data (function addresses only), defined outside
// HWY_BEFORE_NAMESPACE so it carries no target attributes, and the lookups below are baseline code.
#include "kernels/highway/hwy_config.h"  // before Highway's headers

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/highway/table_hwy.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include "hwy/highway.h"
#include "kernels/common/isa_list.hpp"
#include "kernels/common/kernel_table.hpp"
#include "kernels/highway/kernels_hwy-inl.h"
#include "kernels/scalar/scalar_table.hpp"

namespace diaggauss::hwy_family::HWY_NAMESPACE {
#if DG_HWY_KERNEL_TARGET

// Every slot set by name (kernels/common/kernel_table.hpp), starting from the scalar oracle's table.
constexpr KernelTable make_kernel_table() {
  KernelTable t = scalar::kTable;
  t.uniform_u32 = &uniform_u32;
  t.count_above = &count_above;
  DG_TYPED_KERNEL_SLOTS(DG_SET_SLOT_OF_T)
  return t;
}
constexpr KernelTable kTable = make_kernel_table();

#endif  // DG_HWY_KERNEL_TARGET
}  // namespace diaggauss::hwy_family::HWY_NAMESPACE

#if HWY_ONCE
namespace diaggauss::hwy_family {

const KernelTable* kernel_table_for(detail::Isa isa) {
  switch (isa) {
#if HWY_TARGETS & HWY_SSE4
    case detail::Isa::sse4: return &N_SSE4::kTable;
#endif
#if HWY_TARGETS & HWY_AVX2
    case detail::Isa::avx2: return &N_AVX2::kTable;
#endif
#if HWY_TARGETS & HWY_AVX3
    case detail::Isa::avx512: return &N_AVX3::kTable;
#endif
#if HWY_TARGETS & HWY_NEON
    case detail::Isa::neon: return &N_NEON::kTable;
#endif
    default: return nullptr;
  }
}

// philox_ilv is the normals' chunks of 64 per pass (normal_hwy-inl.h).  The values are stream version 1's, when it
// counted vectors of Philox state interleaved (four vectors each: two fit in 16 vector registers, four need the 32
// of AVX-512 and NEON); in version 2 each chunk's Philox vectors run in lockstep whatever its value, so it only
// sets the loop's shape, and these defaults are not measured for it.
Blocking default_blocking(detail::Isa isa) {
  Blocking b;
  b.philox_ilv = (isa == detail::Isa::avx512 || isa == detail::Isa::neon) ? 4 : 2;
  return b;
}

}  // namespace diaggauss::hwy_family
#endif  // HWY_ONCE
