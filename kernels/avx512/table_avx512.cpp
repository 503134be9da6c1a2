// The avx512 implementation's kernel table and default block sizes.
#include "kernels/avx512/avx512_kernels.hpp"

namespace diaggauss::avx512 {

template <class T>
static constexpr SolveKernels<T> solve_kernels() {
  return {&find_bad_diag<T>,    &solve_diag<T>, &reciprocal<T>,  &solve_diag_inv<T>,
          &solve_diag_multi<T>, &whiten<T>,     &diag_logpdf<T>, &gmm_logpdf<T>};
}

template <class T>
static constexpr SampleKernels<T> sample_kernels() {
  return {&uniform<T>, &normal<T>, &scale_shift_rows<T>};
}

const KernelTable& kernel_table() {
  static const KernelTable table{&uniform_u32, solve_kernels<double>(), solve_kernels<float>(),
                                 sample_kernels<double>(), sample_kernels<float>()};
  return table;
}

Blocking default_blocking() {
  Blocking b;
  // A Philox round is a mul_epu32 -> shift -> ternlog chain of about five cycles but only six instructions per
  // group: four groups in flight fill the vector pipes during the rounds (sse4 needs fewer: its rounds have more
  // instructions per group).  Reasoned from latencies; no AVX-512 machine was at hand to measure it.
  b.philox_ilv = 4;
  return b;
}

}  // namespace diaggauss::avx512
