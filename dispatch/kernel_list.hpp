// The one list of kernels (API operations the dispatcher chooses an implementation for).  The `Kernel` enum,
// the names, their parsing and every per-kernel array follow from it.  Order is the enum's order; names are the
// identifiers (what profiles, CPU tables, DIAGGAUSS_* variables, the CLI and dg_active() use).
#pragma once

namespace diaggauss::detail {

#define DG_KERNEL_LIST(X)                                                                                  \
  X(solve_diag) X(reciprocal) X(solve_diag_inv) X(solve_diag_multi) X(whiten) X(diag_logpdf) X(gmm_logpdf) \
  X(uniform_u32) X(uniform) X(normal) X(sample_diag) X(sample_gmm)

enum class Kernel {
#define DG_KERNEL_ENUM(id) id,
  DG_KERNEL_LIST(DG_KERNEL_ENUM)
#undef DG_KERNEL_ENUM
  count
};
inline constexpr int kKernelCount = static_cast<int>(Kernel::count);

inline constexpr const char* kKernelNames[kKernelCount] = {
#define DG_KERNEL_NAME(id) #id,
    DG_KERNEL_LIST(DG_KERNEL_NAME)
#undef DG_KERNEL_NAME
};

}  // namespace diaggauss::detail
