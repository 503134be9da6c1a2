// The xsimd family's kernels, written once as templates over the xsimd architecture tag A.
//
// Each table_<isa>.cpp includes xsimd_prelude.hpp at global scope, then this header *inside* its own
// namespace diaggauss::xsimd_<isa>, compiled with that ISA's flags only.  Every inline helper therefore gets
// a per-ISA name, and the linker can never keep an AVX-512 copy of one for the SSE4 code (docs/pitfalls.md).
#pragma once

#include "kernels/xsimd/xsimd_math.hpp"
#include "kernels/xsimd/xsimd_philox.hpp"
#include "kernels/xsimd/xsimd_sample.hpp"
#include "kernels/xsimd/xsimd_solve.hpp"
#include "kernels/xsimd/xsimd_logpdf.hpp"

// The mixture's threshold count, plain C++ compiled at this ISA's width (as the intrinsics families have it).
#include "kernels/common/count_above.inc"

// Every slot set by name (kernels/common/kernel_table.hpp), starting from the scalar oracle's table.
template <class A>
constexpr KernelTable make_kernel_table() {
  KernelTable t = scalar::kTable;
  t.uniform_u32 = &uniform_u32<A>;
  t.count_above = &count_above;
#define DG_XSIMD_SET_SLOT(family, kernel)   \
  (t.family##64).kernel = &kernel<A, double>; \
  (t.family##32).kernel = &kernel<A, float>;
  DG_TYPED_KERNEL_SLOTS(DG_XSIMD_SET_SLOT)
#undef DG_XSIMD_SET_SLOT
  return t;
}

// Block sizes this family starts from (a tuning profile may move them).  comp_tile 16 over the default 8: the
// online log-sum-exp rescales once per component tile, and 16 measured 10-25% faster on AVX2 for K >= 16.
// philox_ilv stays 2: 1..4 were within noise on the (shared) Zen 3 development host.
inline constexpr Blocking kDefaultBlocking = [] {
  Blocking b;
  b.comp_tile = 16;
  return b;
}();
