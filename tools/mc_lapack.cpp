#include "tools/mc_lapack.hpp"

#include <dlfcn.h>

namespace diaggauss::cli {

namespace {

// LAPACK is loaded on first use, not linked: every command of the CLI linked OpenBLAS before, which starts its
// worker threads (spinning in sched_yield) when it is loaded, and under a tight `ulimit -v` hung at exit in a
// retry loop — for `info` as much as for `mc --path generic`, the only user.  Looked up by soname: the one CMake
// found (DG_LAPACK_SONAME), then Debian's alternatives name and OpenBLAS's own.
struct Lapack {
  dg_dgesv_fn dgesv = nullptr;
  std::string why;
};

Lapack load() {
  Lapack l;
#if DG_HAVE_LAPACK
  std::string tried;
  for (const char* name : {DG_LAPACK_SONAME, "liblapack.so.3", "libopenblas.so.0"}) {
    void* h = ::dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      const char* e = ::dlerror();
      tried += std::string(tried.empty() ? "" : "; ") + (e ? e : name);
      continue;
    }
    l.dgesv = reinterpret_cast<dg_dgesv_fn>(::dlsym(h, "dgesv_"));
    if (!l.dgesv) {
      tried += std::string(tried.empty() ? "" : "; ") + name + " has no dgesv_";
      continue;
    }
    // The generic path solves one D x D system at a time from each of our workers, so BLAS threads get no work
    // but take the workers' cores: with them, ctest `mc` took minutes on 2 cores instead of 2 s; the simd path ran
    // 0.096 s instead of 0.070 s per 10^6 points.  Setting one thread is not enough (idle workers keep spinning
    // until their timeout), so they are shut down too.  Without OpenBLAS there is nothing to do.
    using SetThreads = void (*)(int);
    using Shutdown = int (*)();
    if (auto set = reinterpret_cast<SetThreads>(::dlsym(h, "openblas_set_num_threads"))) set(1);
    if (auto stop = reinterpret_cast<Shutdown>(::dlsym(h, "blas_thread_shutdown_"))) stop();
    return l;
  }
  l.why = "LAPACK could not be loaded (" + tried + "); install liblapack3 or libopenblas0";
#else
  l.why = "this build has no LAPACK (install libopenblas-dev and rebuild)";
#endif
  return l;
}

}  // namespace

dg_dgesv_fn lapack_dgesv(std::string& why) {
  static const Lapack l = load();  // once per process, thread-safe
  if (!l.dgesv) why = l.why;
  return l.dgesv;
}

}  // namespace diaggauss::cli
