// LAPACK for `diaggauss mc --path generic`.  The library does not link LAPACK (diaggauss/mc.h takes dgesv as a
// function pointer); the CLI loads one at first use when CMake found one at build time (tools/CMakeLists.txt,
// DG_HAVE_LAPACK, DG_LAPACK_SONAME), with OpenBLAS's own threads shut down.
#pragma once
#include <string>

#include "diaggauss/mc.h"

namespace diaggauss::cli {

// LAPACK's dgesv_, or nullptr with the reason in `why` (no LAPACK in this build, or none loadable here).
dg_dgesv_fn lapack_dgesv(std::string& why);

}  // namespace diaggauss::cli
