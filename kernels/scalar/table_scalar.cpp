// The scalar implementation's kernel table (the oracle's, kernels/scalar/scalar_kernels.hpp).
#include "kernels/scalar/scalar_table.hpp"

namespace diaggauss::scalar {

const KernelTable& kernel_table() { return kTable; }

}  // namespace diaggauss::scalar
