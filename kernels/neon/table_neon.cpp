// The NEON implementation's kernel table and default block sizes.
#include "kernels/neon/neon_kernels.hpp"
#include "kernels/scalar/scalar_table.hpp"

namespace diaggauss::neon {

#include "kernels/common/kernel_table_def.inc"

extern const char kDescription[] = "AArch64 NEON (ASIMD) intrinsics";

// The library-wide starting points: nothing here has been measured on ARM hardware yet, and the tuner moves
// each value within its range from there.
Blocking default_blocking() { return Blocking{}; }

}  // namespace diaggauss::neon
