// The sse4 implementation's kernel table and default block sizes.
#include "kernels/sse4/sse4_kernels.hpp"

namespace diaggauss::sse4 {

#include "kernels/common/kernel_table_def.inc"

Blocking default_blocking() { return Blocking{}; }

}  // namespace diaggauss::sse4
