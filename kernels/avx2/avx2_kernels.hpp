// Declarations of the AVX2+FMA kernels (kernels/avx2/*.cpp), gathered into a table by table_avx2.cpp.
#pragma once
#include "kernels/common/kernel_table.hpp"

namespace diaggauss::avx2 {
#include "kernels/common/kernel_decls.inc"
Blocking default_blocking();

}  // namespace diaggauss::avx2
