// Declarations of the sse4 kernels (defined in kernels/sse4/*.cpp, gathered into the table by table_sse4.cpp).
#pragma once
#include "kernels/common/kernel_table.hpp"

namespace diaggauss::sse4 {
#include "kernels/common/kernel_decls.inc"
Blocking default_blocking();

}  // namespace diaggauss::sse4
