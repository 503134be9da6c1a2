// The sse4 implementation's kernel table and default block sizes.
#include "kernels/sse4/sse4_kernels.hpp"
#include "kernels/scalar/scalar_table.hpp"

namespace diaggauss::sse4 {

#include "kernels/common/kernel_table_def.inc"

extern const char kDescription[] = "SSE4.2 intrinsics (no FMA)";

Blocking default_blocking() { return Blocking{}; }

}  // namespace diaggauss::sse4
