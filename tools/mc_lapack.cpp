#include "tools/mc_lapack.hpp"

#include <dlfcn.h>

#include <mutex>

#if DG_HAVE_LAPACK
extern "C" void dgesv_(const int* n, const int* nrhs, double* a, const int* lda, int* ipiv, double* b, const int* ldb,
                       int* info);
#endif

namespace diaggauss::cli {

dg_dgesv_fn lapack_dgesv(std::string& why) {
#if DG_HAVE_LAPACK
  (void)why;
  return &dgesv_;
#else
  why = "this build has no LAPACK (install libopenblas-dev and rebuild)";
  return nullptr;
#endif
}

// The generic path solves one D x D system at a time, so BLAS threads get no work; but OpenBLAS's pthread build
// starts its workers when it is loaded and they spin in sched_yield, on the cores our own workers need
// (measured on 2 cores: the simd path ran 0.070 s instead of 0.096 s per 10^6 points without them).  Setting
// one thread is not enough (the idle workers keep spinning until their timeout), so they are also shut down.
// Looked up at run time so that any LAPACK provider links; without OpenBLAS there is nothing to do.
void single_threaded_blas() {
  static std::once_flag once;
  std::call_once(once, [] {
    using SetThreads = void (*)(int);
    using Shutdown = int (*)();
    if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(1);
    if (auto stop = reinterpret_cast<Shutdown>(dlsym(RTLD_DEFAULT, "blas_thread_shutdown_"))) stop();
  });
}

}  // namespace diaggauss::cli
