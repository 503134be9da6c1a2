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

namespace diaggauss::hwy_family::HWY_NAMESPACE {
#if DG_HWY_KERNEL_TARGET

template <class T>
constexpr SolveKernels<T> solve_kernels() {
  return {&find_bad_diag<T>, &solve_diag<T>, &reciprocal<T>, &solve_diag_inv<T>,
          &solve_diag_multi<T>, &whiten<T>, &diag_logpdf<T>, &gmm_logpdf<T>};
}

template <class T>
constexpr SampleKernels<T> sample_kernels() {
  return {&uniform<T>, &normal<T>, &scale_shift_rows<T>};
}

constexpr KernelTable kTable{&uniform_u32, solve_kernels<double>(), solve_kernels<float>(), sample_kernels<double>(),
                             sample_kernels<float>()};

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

// The sampler interleaves philox_ilv vectors of Philox state (four vectors each): two groups fit in 16 vector
// registers, four need the 32 of AVX-512 and NEON.
Blocking default_blocking(detail::Isa isa) {
  Blocking b;
  b.philox_ilv = (isa == detail::Isa::avx512 || isa == detail::Isa::neon) ? 4 : 2;
  return b;
}

}  // namespace diaggauss::hwy_family
#endif  // HWY_ONCE
