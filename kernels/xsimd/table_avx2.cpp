// The xsimd family on avx2: the kernel templates of xsimd_kernels.hpp instantiated for xsimd::fma3<xsimd::avx2>.
// This file is compiled with -mavx2 -mfma and friends (cmake/DiaggaussIsa.cmake picks them from its suffix).
#include "kernels/xsimd/xsimd_prelude.hpp"

namespace diaggauss::xsimd_avx2 {

using Arch = xsimd::fma3<xsimd::avx2>;

#include "kernels/xsimd/xsimd_kernels.hpp"

DG_XSIMD_BASELINE_FN const KernelTable& kernel_table() {
  static constexpr KernelTable table = make_kernel_table<Arch>();
  return table;
}

extern const char kDescription[] = "xsimd batch<T, fma3<avx2>>";

DG_XSIMD_BASELINE_FN Blocking default_blocking() { return kDefaultBlocking; }

}  // namespace diaggauss::xsimd_avx2
