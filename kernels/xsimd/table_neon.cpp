// The xsimd family on neon: the kernel templates of xsimd_kernels.hpp instantiated for xsimd::neon64.
// This file is compiled with the aarch64 baseline (ASIMD) (cmake/DiaggaussIsa.cmake picks them from its suffix).
#include "kernels/xsimd/xsimd_prelude.hpp"

namespace diaggauss::xsimd_neon {

using Arch = xsimd::neon64;

#include "kernels/xsimd/xsimd_kernels.hpp"

DG_XSIMD_BASELINE_FN const KernelTable& kernel_table() {
  static constexpr KernelTable table = make_kernel_table<Arch>();
  return table;
}

extern const char kDescription[] = "xsimd batch<T, neon64>";

DG_XSIMD_BASELINE_FN Blocking default_blocking() { return kDefaultBlocking; }

}  // namespace diaggauss::xsimd_neon
