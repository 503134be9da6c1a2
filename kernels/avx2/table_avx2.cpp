// The AVX2+FMA implementation's kernel table and default blocking.
#include "kernels/avx2/avx2_kernels.hpp"

namespace diaggauss::avx2 {

#include "kernels/common/kernel_table_def.inc"

// Measured on Zen 3: 64-point tiles keep the transposed points and the quadratic forms of 16 components in L1;
// three interleaved Philox groups beat two and four (four spills registers).
Blocking default_blocking() {
  Blocking b;
  b.point_tile = 64;
  b.comp_tile = 16;
  b.philox_ilv = 3;
  return b;
}

}  // namespace diaggauss::avx2
