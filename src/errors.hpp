// Error reporting shared by the C API functions: a status code plus a thread-local message naming the
// function, the argument and the index.
#pragma once
#include <cstddef>
#include <string>

#include "diaggauss/diaggauss.h"

namespace diaggauss::detail {

// Records the message for dg_last_error() and returns `status` (so callers can `return fail(...)`).  The record
// is a fixed thread-local buffer (long messages are cut): recording never allocates and never throws.
int fail(int status, const std::string& message) noexcept;
// "fn: detail" without building a std::string: for out-of-memory and other last-resort messages.
int fail_static(int status, const char* fn, const char* detail) noexcept;
void clear_error() noexcept;

// Argument checks; each returns DG_OK or records the error.  The test is inline and the message is built out of
// line, so a successful call pays a compare per argument and no function call or std::string (issue 12).
int null_pointer(const char* fn, const char* arg, std::size_t count);
int size_overflow(const char* fn, const char* a, std::size_t x, const char* b, std::size_t y);

inline int check_ptr(const char* fn, const char* arg, const void* p, std::size_t count) {
  if (__builtin_expect(p == nullptr && count != 0, 0)) return null_pointer(fn, arg, count);
  return DG_OK;
}
inline int check_mul(const char* fn, const char* a, std::size_t x, const char* b, std::size_t y, std::size_t& out) {
  if (__builtin_expect(__builtin_mul_overflow(x, y, &out), 0)) return size_overflow(fn, a, x, b, y);
  return DG_OK;
}

}  // namespace diaggauss::detail
