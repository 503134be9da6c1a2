// The xsimd family's kernels, written once as templates over the xsimd architecture tag A.
//
// Each table_<isa>.cpp includes xsimd_prelude.hpp at global scope, then this header *inside* its own
// namespace diaggauss::xsimd_<isa>, compiled with that ISA's flags only.  Every inline helper therefore gets
// a per-ISA name, and the linker can never keep an AVX-512 copy of one for the SSE4 code (docs/pitfalls.md).
#pragma once

#include "kernels/xsimd/xsimd_math.hpp"
#include "kernels/xsimd/xsimd_philox.hpp"
#include "kernels/xsimd/xsimd_sample.hpp"
#include "kernels/xsimd/xsimd_solve.hpp"
#include "kernels/xsimd/xsimd_logpdf.hpp"

template <class A, class T>
constexpr SolveKernels<T> solve_kernels() {
  return {&find_bad_diag<A, T>,    &solve_diag<A, T>, &reciprocal<A, T>,  &solve_diag_inv<A, T>,
          &solve_diag_multi<A, T>, &whiten<A, T>,     &diag_logpdf<A, T>, &gmm_logpdf<A, T>};
}

template <class A, class T>
constexpr SampleKernels<T> sample_kernels() {
  return {&uniform<A, T>, &normal<A, T>, &scale_shift_rows<A, T>};
}

template <class A>
constexpr KernelTable make_kernel_table() {
  return {&uniform_u32<A>, solve_kernels<A, double>(), solve_kernels<A, float>(), sample_kernels<A, double>(),
          sample_kernels<A, float>()};
}

// Block sizes this family starts from (a tuning profile may move them).  comp_tile 16 over the default 8: the
// online log-sum-exp rescales once per component tile, and 16 measured 10-25% faster on AVX2 for K >= 16.
// philox_ilv stays 2: 1..4 were within noise on the (shared) Zen 3 development host.
inline constexpr Blocking kDefaultBlocking = [] {
  Blocking b;
  b.comp_tile = 16;
  return b;
}();
