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

// Argument checks; each returns DG_OK or records the error.
int check_ptr(const char* fn, const char* arg, const void* p, std::size_t count);
int check_mul(const char* fn, const char* a, std::size_t x, const char* b, std::size_t y, std::size_t& out);

}  // namespace diaggauss::detail
