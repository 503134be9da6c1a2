// Declarations of the avx512 kernels (defined in kernels/avx512/*.cpp, gathered into the table by table_avx512.cpp).
#pragma once
#include "kernels/common/kernel_table.hpp"

namespace diaggauss::avx512 {
#include "kernels/common/kernel_decls.inc"
Blocking default_blocking();

}  // namespace diaggauss::avx512
