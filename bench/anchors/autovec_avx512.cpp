// Auto-vectorisation anchor for avx512: the plain loops of autovec_loops.inc compiled with this ISA's flags only
// (bench/CMakeLists.txt), in their own namespace.
#include <math.h>

#include "bench/anchors/anchor_api.hpp"

#define DG_AV_ISA "avx512"
#define DG_AV_VEC_BYTES 64
namespace dgbench::autovec_avx512 {
#include "bench/anchors/autovec_loops.inc"
}  // namespace dgbench::autovec_avx512
