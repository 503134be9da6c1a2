// The scalar implementation's kernel table.
#include "kernels/scalar/scalar_kernels.hpp"

namespace diaggauss::scalar {

#include "kernels/common/kernel_table_def.inc"

}  // namespace diaggauss::scalar
