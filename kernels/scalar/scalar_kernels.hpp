// Declarations of the scalar reference kernels (kernels/scalar/*.cpp).  Tests call them directly as the oracle;
// kernels/scalar/scalar_table.hpp holds their table, the one every other implementation's table starts from.
#pragma once
#include "kernels/common/kernel_table.hpp"

namespace diaggauss::scalar {
#include "kernels/common/kernel_decls.inc"

}  // namespace diaggauss::scalar
