// kernels/toy/table_toy.cpp of the toy ISA that tests/scripts/check_toy_isa.sh adds to a copy of the tree, to prove
// the checklist of docs/implementing-a-target.md: a new ISA lands one kernel at a time.  It provides one kernel,
// solve_diag, and every other slot of its table stays the scalar oracle's (the pattern of
// kernels/common/kernel_table_def.inc with the folder's own, shorter list).
#include <cstddef>

#include "kernels/common/kernel_table.hpp"
#include "kernels/scalar/scalar_table.hpp"

// Calls of the toy's solve_diag, so that the check can tell the toy's kernel from the oracle's (same results).
extern "C" unsigned long dg_toy_solve_diag_calls;
unsigned long dg_toy_solve_diag_calls = 0;

namespace diaggauss::toy {

template <class T>
void solve_diag(std::size_t n, const T* d, const T* b, T* x) {
  ++dg_toy_solve_diag_calls;
  for (std::size_t i = 0; i < n; ++i) x[i] = b[i] / d[i];
}

constexpr KernelTable make_kernel_table() {
  KernelTable t = scalar::kTable;
  t.solve64.solve_diag = &solve_diag<double>;
  t.solve32.solve_diag = &solve_diag<float>;
  return t;
}

const KernelTable& kernel_table() {
  static constexpr KernelTable table = make_kernel_table();
  return table;
}

Blocking default_blocking() { return Blocking{}; }

extern const char kDescription[] = "toy ISA (tests/toy_isa): solve_diag, the rest from the scalar oracle";

}  // namespace diaggauss::toy
