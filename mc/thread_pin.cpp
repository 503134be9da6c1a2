#include "mc/thread_pin.hpp"

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

namespace diaggauss::detail::mc {

#if defined(__linux__)
namespace {
cpu_set_t* as_set(std::vector<unsigned char>& v) { return reinterpret_cast<cpu_set_t*>(v.data()); }
}  // namespace

WorkerPinning::WorkerPinning(unsigned threads) : saved_(sizeof(cpu_set_t)) {
  if (threads < 2 || pthread_getaffinity_np(pthread_self(), sizeof(cpu_set_t), as_set(saved_)) != 0) return;
  const cpu_set_t* allowed = as_set(saved_);
  if (static_cast<unsigned>(CPU_COUNT(allowed)) < threads) return;
  for (int c = 0; c < CPU_SETSIZE && cpus_.size() < threads; ++c)
    if (CPU_ISSET(c, allowed)) cpus_.push_back(c);
}

WorkerPinning::~WorkerPinning() {
  if (creator_pinned_) pthread_setaffinity_np(pthread_self(), sizeof(cpu_set_t), as_set(saved_));
}

void WorkerPinning::pin(unsigned t) {
  if (t >= cpus_.size()) return;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpus_[t], &one);
  if (pthread_setaffinity_np(pthread_self(), sizeof one, &one) == 0 && t == 0) creator_pinned_ = true;
}
#else
WorkerPinning::WorkerPinning(unsigned) {}
WorkerPinning::~WorkerPinning() {}
void WorkerPinning::pin(unsigned) {}
#endif

}  // namespace diaggauss::detail::mc
