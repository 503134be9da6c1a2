// The xsimd family on avx512: the kernel templates of xsimd_kernels.hpp instantiated for xsimd::avx512bw.
// This file is compiled with -mavx512f/vl/dq/bw and friends (cmake/DiaggaussIsa.cmake picks them from its suffix).
#include "kernels/xsimd/xsimd_prelude.hpp"

// GCC 12 reports -Wmaybe-uninitialized, and where it can prove the path -Wuninitialized, inside its own
// avx512fintrin.h (the _mm512_undefined_* idiom, GCC bug 105593) for correct code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

namespace diaggauss::xsimd_avx512 {

using Arch = xsimd::avx512bw;

#include "kernels/xsimd/xsimd_kernels.hpp"

DG_XSIMD_BASELINE_FN const KernelTable& kernel_table() {
  static constexpr KernelTable table = make_kernel_table<Arch>();
  return table;
}

extern const char kDescription[] = "xsimd batch<T, avx512bw>";

DG_XSIMD_BASELINE_FN Blocking default_blocking() { return kDefaultBlocking; }

}  // namespace diaggauss::xsimd_avx512
