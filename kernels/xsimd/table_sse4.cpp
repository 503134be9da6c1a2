// The xsimd family on sse4: the kernel templates of xsimd_kernels.hpp instantiated for xsimd::sse4_2.
// This file is compiled with -msse4.2 -mpopcnt (cmake/DiaggaussIsa.cmake picks them from its suffix).
#include "kernels/xsimd/xsimd_prelude.hpp"

namespace diaggauss::xsimd_sse4 {

using Arch = xsimd::sse4_2;

#include "kernels/xsimd/xsimd_kernels.hpp"

DG_XSIMD_BASELINE_FN const KernelTable& kernel_table() {
  static constexpr KernelTable table = make_kernel_table<Arch>();
  return table;
}

extern const char kDescription[] = "xsimd batch<T, sse4_2>";

DG_XSIMD_BASELINE_FN Blocking default_blocking() { return kDefaultBlocking; }

}  // namespace diaggauss::xsimd_sse4
