// C API of the dispatcher: force an ISA or family, ask what runs a kernel, load a profile.
#include "dispatch/selection.hpp"
#include "src/errors.hpp"
#include "src/guard.hpp"
#include "dispatch/profile.hpp"

using namespace diaggauss::detail;

extern "C" {

int dg_force_isa(const char* isa) {
  return guarded(__func__, [&](const char* fn) {
    std::string msg;
    const int st = force_isa(isa, msg);
    return st ? fail(st, std::string(fn) + ": " + msg) : int{DG_OK};
  });
}

int dg_force_impl(const char* family) {
  return guarded(__func__, [&](const char* fn) {
    std::string msg;
    const int st = force_family(family, msg);
    return st ? fail(st, std::string(fn) + ": " + msg) : int{DG_OK};
  });
}

// Not a status-returning function, but the same boundary: "" in dg_last_error() on success, the reason on
// NULL / "error".
const char* dg_active(const char* kernel) {
  const char* result = nullptr;
  const int st = guarded(__func__, [&](const char* fn) {
    Operation k;
    if (!kernel || !parse_operation(kernel, k))
      return fail(DG_E_UNKNOWN_NAME, std::string(fn) + ": unknown kernel '" + (kernel ? kernel : "(null)") + "'");
    const Active* a = active(k);
    if (!a->ok()) {
      result = "error";
      return fail(a->error_status, std::string(fn) + ": " + a->error);
    }
    result = a->typical().impl->name;
    return int{DG_OK};
  });
  // An exception (out of memory while first choosing) leaves result unset: report it like a configuration error.
  return (st != DG_OK && st != DG_E_UNKNOWN_NAME && !result) ? "error" : result;
}

int dg_load_profile(const char* path) {
  return guarded(__func__, [&](const char* fn) {
    std::string msg;
    const int st = load_profile(path, msg);
    return st ? fail(st, std::string(fn) + ": " + msg) : int{DG_OK};
  });
}

}  // extern "C"
