// Auto-vectorisation anchor for the baseline target (x86-64 = SSE2, or armv8-a): no ISA flag at all
// (bench/CMakeLists.txt), in their own namespace.
#include <math.h>

#include "bench/anchors/anchor_api.hpp"

#define DG_AV_ISA "baseline"
#define DG_AV_VEC_BYTES 16
namespace dgbench::autovec_baseline {
#include "bench/anchors/autovec_loops.inc"
}  // namespace dgbench::autovec_baseline
