// The Highway normals of the HWY_AVX2 target alone (normal_hwy-inl.h says why each target has its own file); on
// a compiler or architecture without that target this file compiles to nothing.
#include "kernels/highway/hwy_config.h"  // before Highway's headers

#define DG_HWY_NORMAL_TARGET HWY_AVX2
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/highway/normal_hwy-inl.h"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include "kernels/highway/normal_hwy-inl.h"  // the static target's pass
