#include "src/errors.hpp"

#include <cstdio>
#include <cstring>

namespace diaggauss::detail {

namespace {
// Long enough for any message we build (the longest, a profile path plus a reason, is bounded by PATH_MAX).
constexpr std::size_t kErrorCapacity = 4096 + 512;
thread_local char t_last_error[kErrorCapacity];

void store(const char* text, std::size_t n) noexcept {
  if (n >= kErrorCapacity) {
    n = kErrorCapacity - 4;
    std::memcpy(t_last_error, text, n);
    std::memcpy(t_last_error + n, "...", 4);
    return;
  }
  std::memcpy(t_last_error, text, n);
  t_last_error[n] = '\0';
}
}  // namespace

int fail(int status, const std::string& message) noexcept {
  store(message.data(), message.size());
  return status;
}

int fail_static(int status, const char* fn, const char* detail) noexcept {
  std::snprintf(t_last_error, kErrorCapacity, "%s: %s", fn ? fn : "diaggauss", detail ? detail : "");
  return status;
}

void clear_error() noexcept { t_last_error[0] = '\0'; }

int null_pointer(const char* fn, const char* arg, std::size_t count) {
  return fail(DG_E_NULL_POINTER, std::string(fn) + ": argument '" + arg + "' is NULL but " +
                                       std::to_string(count) + " elements were requested");
}

int size_overflow(const char* fn, const char* a, std::size_t x, const char* b, std::size_t y) {
  return fail(DG_E_SIZE_OVERFLOW, std::string(fn) + ": " + a + " x " + b + " (" + std::to_string(x) + " x " +
                                        std::to_string(y) + ") overflows size_t");
}

}  // namespace diaggauss::detail

extern "C" {

const char* dg_status_string(int status) {
  switch (status) {
    case DG_OK: return "success";
    case DG_E_NULL_POINTER: return "null pointer argument";
    case DG_E_SINGULAR: return "singular matrix (zero diagonal entry)";
    case DG_E_NON_FINITE: return "non-finite value (NaN or Inf)";
    case DG_E_INVALID_ARGUMENT: return "invalid argument";
    case DG_E_BAD_WEIGHTS: return "invalid mixture weights";
    case DG_E_SIZE_OVERFLOW: return "size overflow";
    case DG_E_UNKNOWN_NAME: return "unknown name";
    case DG_E_UNSUPPORTED_ISA: return "ISA not supported by this CPU or build";
    case DG_E_PROFILE: return "unusable tuning profile";
    case DG_E_IO: return "input/output error";
    case DG_E_INTERNAL: return "internal error";
    case DG_E_NOMEM: return "out of memory";
    default: return "unknown status code";
  }
}

const char* dg_last_error(void) { return diaggauss::detail::t_last_error; }

const char* dg_version(void) { return DIAGGAUSS_VERSION_STRING; }

int dg_stream_version(void) { return DG_STREAM_VERSION; }

}  // extern "C"
