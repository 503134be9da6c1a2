// The avx512 implementation's kernel table and default block sizes.
#include "kernels/avx512/avx512_kernels.hpp"
#include "kernels/scalar/scalar_table.hpp"

namespace diaggauss::avx512 {

#include "kernels/common/kernel_table_def.inc"

extern const char kDescription[] = "AVX-512 F/VL/DQ/BW intrinsics, masked tails";

Blocking default_blocking() {
  Blocking b;
  // A Philox round is a mul_epu32 -> shift -> ternlog chain of about five cycles but only six instructions per
  // group: four groups in flight fill the vector pipes during the rounds (sse4 needs fewer: its rounds have more
  // instructions per group).  Reasoned from latencies; no AVX-512 machine was at hand to measure it.
  b.philox_ilv = 4;
  return b;
}

}  // namespace diaggauss::avx512
