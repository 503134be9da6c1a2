// LAPACK for `diaggauss mc --path generic`.  The library does not link LAPACK (diaggauss/mc.h takes dgesv as a
// function pointer); the CLI does, when CMake finds one (tools/CMakeLists.txt, DG_HAVE_LAPACK).
#pragma once
#include <string>

#include "diaggauss/mc.h"

namespace diaggauss::cli {

// LAPACK's dgesv_, or nullptr with the reason in `why` when this build has no LAPACK.
dg_dgesv_fn lapack_dgesv(std::string& why);
// Stops the idle worker threads of OpenBLAS (which the LAPACK link loads) from spinning on the cores the Monte
// Carlo workers need; a no-op without OpenBLAS.  Once per process.
void single_threaded_blas();

}  // namespace diaggauss::cli
