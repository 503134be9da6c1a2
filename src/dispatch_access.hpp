// How an API entry point reaches its kernel: the active (table, blocking) pair for a kernel, with the
// configuration error (bad DIAGGAUSS_ISA, ...) turned into the call's status.
#pragma once
#include "dispatch/selection.hpp"
#include "dispatch/working_set.hpp"
#include "src/errors.hpp"

namespace diaggauss::detail {

// The (table, blocking) choice for a call of this shape (its size class from working_set_bytes, the definition
// the tuner shares), or nullptr after recording the configuration error (an invalid DIAGGAUSS_ISA, ...).
inline const Choice* choice_or_fail(Operation k, const CallShape& shape, const char* fn, int& status) {
  const std::size_t bytes = working_set_bytes(k, shape);
  const Active* a = active(k);
  if (__builtin_expect(!a->ok(), 0)) {
    status = fail(a->error_status, std::string(fn) + ": " + a->error);
    return nullptr;
  }
  return &a->pick(bytes);
}

}  // namespace diaggauss::detail
