// How an API entry point reaches its kernel: the active (table, blocking) pair for a kernel, with the
// configuration error (bad DIAGGAUSS_ISA, ...) turned into the call's status.
#pragma once
#include "dispatch/selection.hpp"
#include "src/errors.hpp"

namespace diaggauss::detail {

template <class T> const SolveKernels<T>& solve_of(const KernelTable& t);
template <> inline const SolveKernels<double>& solve_of<double>(const KernelTable& t) { return t.solve64; }
template <> inline const SolveKernels<float>& solve_of<float>(const KernelTable& t) { return t.solve32; }
template <class T> const SampleKernels<T>& sample_of(const KernelTable& t);
template <> inline const SampleKernels<double>& sample_of<double>(const KernelTable& t) { return t.sample64; }
template <> inline const SampleKernels<float>& sample_of<float>(const KernelTable& t) { return t.sample32; }

// Returns the active record or nullptr after recording the configuration error.
inline const Active* active_or_fail(Kernel k, const char* fn, int& status) {
  const Active* a = active(k);
  if (__builtin_expect(a->impl == nullptr, 0)) {
    status = fail(a->error_status, std::string(fn) + ": " + a->error);
    return nullptr;
  }
  return a;
}

}  // namespace diaggauss::detail
