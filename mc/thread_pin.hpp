// Pinning the Monte Carlo workers to distinct CPUs.  A new thread starts on its creator's CPU and moves only when
// the kernel's load balancer runs; on a 2-core machine that costs a sizeable part of a 25 ms run (measured on
// the CI machine, N = 10^6, medians of 7: two threads 1.26-1.70x one thread unpinned, 1.87-1.96x pinned).
#pragma once
#include <vector>

namespace diaggauss::detail::mc {

// Made by the thread that starts the workers: it records that thread's allowed CPUs.  Pinning is active only
// when there are at least `threads` of them (so processes that were given fewer CPUs, e.g. MPI ranks bound to
// one core each, are never squeezed further); elsewhere, and without an affinity API, everything is a no-op.
// The destructor gives the creating thread its CPU set back if pin() pinned it.
class WorkerPinning {
 public:
  explicit WorkerPinning(unsigned threads);
  ~WorkerPinning();
  WorkerPinning(const WorkerPinning&) = delete;
  WorkerPinning& operator=(const WorkerPinning&) = delete;
  // Pins the calling thread to the t-th recorded CPU (t < threads).
  void pin(unsigned t);
  bool active() const { return !cpus_.empty(); }

 private:
  std::vector<int> cpus_;           // the first `threads` allowed CPUs, or empty (inactive)
  std::vector<unsigned char> saved_;  // the creating thread's CPU set (an opaque cpu_set_t)
  bool creator_pinned_ = false;
};

}  // namespace diaggauss::detail::mc
