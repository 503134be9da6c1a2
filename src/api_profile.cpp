// C API for tuning profiles as values (FFTW-wisdom style): which profile is in force and why, export the one in
// force as JSON text, import JSON text.  No exception crosses this boundary; strings are malloc'ed copies the
// caller releases with dg_free.  Every entry point goes through guarded() (src/guard.hpp) like the kernels'.
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "diaggauss/diaggauss.h"
#include "dispatch/selection.hpp"
#include "src/errors.hpp"
#include "src/guard.hpp"
#include "dispatch/profile.hpp"

using namespace diaggauss::detail;

namespace {

char* copy_out(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p) std::memcpy(p, s.c_str(), s.size() + 1);
  return p;
}

// Hands out each requested string; all or none (a failed allocation frees what was handed out).
int hand_out(const char* fn, char** const outs[], const std::string values[], int n) {
  for (int i = 0; i < n; ++i) {
    if (!outs[i]) continue;
    *outs[i] = copy_out(values[i]);
    if (!*outs[i]) {
      for (int j = 0; j <= i; ++j)
        if (outs[j]) std::free(*outs[j]), *outs[j] = nullptr;
      return fail(DG_E_NOMEM, std::string(fn) + ": out of memory for the returned strings");
    }
  }
  return DG_OK;
}

}  // namespace

extern "C" {

int dg_profile_status(char** path, char** state, char** reason) {
  return guarded(__func__, [&](const char* fn) {
    const SelectionReport r = selection_report();
    const std::string& msg = r.profile_message;
    std::string st = msg.substr(0, msg.find_first_of(" :("));
    if (st != "loaded" && st != "ignored" && st != "refused") st = "none";
    char** const outs[] = {path, state, reason};
    const std::string values[] = {r.profile_path, st, msg};
    return hand_out(fn, outs, values, 3);
  });
}

int dg_profile_export(char** json) {
  return guarded(__func__, [&](const char* fn) {
    if (!json) return fail(DG_E_NULL_POINTER, std::string(fn) + ": json is NULL");
    *json = nullptr;
    const SelectionReport r = selection_report();
    ProfileData data;
    if (r.profile_path.empty() || !loaded_profile(r.profile_path, data))
      return fail(DG_E_PROFILE, std::string(fn) + ": no profile is loaded (" + r.profile_message + ")");
    char** const outs[] = {json};
    const std::string values[] = {profile_to_json(data, host_cpu())};
    return hand_out(fn, outs, values, 1);
  });
}

int dg_profile_import(const char* json) {
  return guarded(__func__, [&](const char* fn) {
    if (!json) return fail(DG_E_NULL_POINTER, std::string(fn) + ": json is NULL");
    std::string msg;
    const int st = import_profile(json, msg);
    return st ? fail(st, std::string(fn) + ": " + msg) : int{DG_OK};
  });
}

void dg_free(void* p) { std::free(p); }

}  // extern "C"
