// Declarations of the NEON kernels (kernels/neon/*.cpp), one set per element type, gathered by table_neon.cpp.
#pragma once
#include "kernels/common/kernel_table.hpp"

namespace diaggauss::neon {
#include "kernels/common/kernel_decls.inc"
Blocking default_blocking();

}  // namespace diaggauss::neon
