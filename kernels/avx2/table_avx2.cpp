// The AVX2+FMA implementation's kernel table and default blocking.
#include "kernels/avx2/avx2_kernels.hpp"

namespace diaggauss::avx2 {

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
