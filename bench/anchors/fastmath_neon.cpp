// Fast-math Box-Muller anchor for neon: fastmath_boxmuller.inc compiled with -O3 -ffast-math and this ISA's flags
// only (bench/CMakeLists.txt), in its own namespace.
#include <math.h>

#include "bench/anchors/anchor_api.hpp"

#define DG_FM_ISA "neon"
namespace dgbench::fastmath_neon {
#include "bench/anchors/fastmath_boxmuller.inc"
}  // namespace dgbench::fastmath_neon
