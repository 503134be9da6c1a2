// C API of the dispatcher: force an ISA or family, ask what runs a kernel, load a profile.
#include "dispatch/selection.hpp"
#include "src/errors.hpp"
#include "tune/profile.hpp"

using namespace diaggauss::detail;

extern "C" {

int dg_force_isa(const char* isa) {
  std::string msg;
  const int st = force_isa(isa, msg);
  return st ? fail(st, "dg_force_isa: " + msg) : DG_OK;
}

int dg_force_impl(const char* family) {
  std::string msg;
  const int st = force_family(family, msg);
  return st ? fail(st, "dg_force_impl: " + msg) : DG_OK;
}

const char* dg_active(const char* kernel) {
  Kernel k;
  if (!kernel || !parse_kernel(kernel, k)) return nullptr;
  const Active* a = active(k);
  return a->ok() ? a->typical().impl->name : "error";
}

int dg_load_profile(const char* path) {
  std::string msg;
  const int st = load_profile(path, msg);
  return st ? fail(st, "dg_load_profile: " + msg) : DG_OK;
}

}  // extern "C"
