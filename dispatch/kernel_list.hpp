// The one list of API operations the dispatcher chooses an implementation for.  The `Operation` enum, the names,
// their parsing and every per-operation array follow from it.  Order is the enum's order; names are the
// identifiers (what profiles, CPU tables, the CLI and dg_active() use).
// Vocabulary: an *operation* is what the API offers (solve_diag, gmm_logpdf, ...); a *kernel* is one
// implementation's code for it (a KernelTable slot in kernels/).  Users see the operation names as "kernel names"
// (profile key "kernels", `--kernel`, dg_active("normal")); those strings, this file's name and the X-macro's name
// stay as they were, so that no profile, flag or script changes.
#pragma once

namespace diaggauss::detail {

#define DG_KERNEL_LIST(X)                                                                                  \
  X(solve_diag) X(reciprocal) X(solve_diag_inv) X(solve_diag_multi) X(whiten) X(diag_logpdf) X(gmm_logpdf) \
  X(uniform_u32) X(uniform) X(normal) X(sample_diag) X(sample_gmm)

enum class Operation {
#define DG_KERNEL_ENUM(id) id,
  DG_KERNEL_LIST(DG_KERNEL_ENUM)
#undef DG_KERNEL_ENUM
  count
};
inline constexpr int kOperationCount = static_cast<int>(Operation::count);

inline constexpr const char* kOperationNames[kOperationCount] = {
#define DG_KERNEL_NAME(id) #id,
    DG_KERNEL_LIST(DG_KERNEL_NAME)
#undef DG_KERNEL_NAME
};

}  // namespace diaggauss::detail
