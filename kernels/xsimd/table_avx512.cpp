// The xsimd family on avx512: the kernel templates of xsimd_kernels.hpp instantiated for xsimd::avx512bw.
// This file is compiled with -mavx512f/vl/dq/bw and friends (cmake/DiaggaussIsa.cmake picks them from its suffix).
#include "kernels/xsimd/xsimd_prelude.hpp"

// GCC 12 reports -Wmaybe-uninitialized inside its own avx512fintrin.h (the _mm512_undefined_* idiom, GCC bug
// 105593) for correct code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace diaggauss::xsimd_avx512 {

using Arch = xsimd::avx512bw;

#include "kernels/xsimd/xsimd_kernels.hpp"

DG_XSIMD_BASELINE_FN const KernelTable& kernel_table() {
  static constexpr KernelTable table = make_kernel_table<Arch>();
  return table;
}

DG_XSIMD_BASELINE_FN Blocking default_blocking() { return kDefaultBlocking; }

}  // namespace diaggauss::xsimd_avx512
