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
  // instructions per group).  Measured on Zen 5 (normal, n = 16K, 7 interleaved rounds, time against 4): f32
  // 1.63 / 1.11 / 1.04 for 1 / 2 / 3 groups, f64 1.22 / 1.00 / 1.07.
  b.philox_ilv = 4;
  // sample_diag / sample_gmm rows per normal() call: 4096 values (16 KiB of floats, 32 KiB of doubles).  An AVX-512
  // float chunk of 1024 values is only four four-group emits, and the first of a call runs ~8 % slower than the
  // rest; on Zen 5 (n = 16K, dim 8 and 16, 5 interleaved rounds) 4096 took sample_diag f32 from 1.17 / 1.14x
  // normal to 1.10 / 1.10x, sample_gmm f32 1.42 / 1.31x to 1.38 / 1.26x, doubles unchanged (1.08 / 1.08x).
  // The Zen 4 rows of dispatch/cpu_tables.cpp (a measured profile) chose 4096-8192 for sample_diag too.
  b.sample_chunk = 4096;
  return b;
}

}  // namespace diaggauss::avx512
