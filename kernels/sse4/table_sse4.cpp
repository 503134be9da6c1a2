// The sse4 implementation's kernel table and default block sizes.
#include "kernels/sse4/sse4_kernels.hpp"

namespace diaggauss::sse4 {

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

Blocking default_blocking() { return Blocking{}; }

}  // namespace diaggauss::sse4
