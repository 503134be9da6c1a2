// Auto-vectorisation anchor for neon: the plain loops of autovec_loops.inc compiled with this ISA's flags only
// (bench/CMakeLists.txt), in their own namespace.
#include <math.h>

#include "bench/anchors/anchor_api.hpp"

#define DG_AV_ISA "neon"
#define DG_AV_VEC_BYTES 16
namespace dgbench::autovec_neon {
#include "bench/anchors/autovec_loops.inc"
}  // namespace dgbench::autovec_neon
