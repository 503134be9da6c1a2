// The scalar oracle's kernel table as constant data: every other implementation's table starts from it and
// overrides the kernels its folder provides (kernels/common/kernel_table_def.inc).  Only table files include
// this header: the kernel files specialize some of the templates it takes the addresses of.
#pragma once
#include "kernels/scalar/scalar_kernels.hpp"

namespace diaggauss::scalar {

constexpr KernelTable make_kernel_table() {
  KernelTable t{};
  t.uniform_u32 = &uniform_u32;
  t.count_above = &count_above;
  DG_TYPED_KERNEL_SLOTS(DG_SET_SLOT_OF_T)
  return t;
}
inline constexpr KernelTable kTable = make_kernel_table();

}  // namespace diaggauss::scalar
