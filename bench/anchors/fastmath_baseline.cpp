// Fast-math Box-Muller anchor for the baseline target: fastmath_boxmuller.inc compiled with -O3 -ffast-math, no ISA flags
// (bench/CMakeLists.txt), in its own namespace.
#include <math.h>

#include "bench/anchors/anchor_api.hpp"

#define DG_FM_ISA "baseline"
namespace dgbench::fastmath_baseline {
#include "bench/anchors/fastmath_boxmuller.inc"
}  // namespace dgbench::fastmath_baseline
