// Where the library finds its profile: DIAGGAUSS_PROFILE (a path; "none" disables), then
// $XDG_CONFIG_HOME/diaggauss/<cpu-key>.json, then ~/.config/diaggauss/<cpu-key>.json.
#include <cstdlib>
#include <string>

#include "diaggauss/diaggauss.h"
#include "dispatch/selection.hpp"
#include "src/errors.hpp"
#include "tune/profile.hpp"

namespace diaggauss::detail {

std::string default_profile_path(const CpuInfo& cpu) {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  std::string base;
  if (xdg && *xdg) base = xdg;
  else if (const char* home = std::getenv("HOME"); home && *home) base = std::string(home) + "/.config";
  else return "";
  return base + "/diaggauss/" + cpu.key() + ".json";
}

// Called once by the dispatcher's initialisation.  True when a profile was found and parsed; `message` always
// says what happened (for `diaggauss info`).
bool find_default_profile(const CpuInfo& cpu, ProfileData& data, std::string& path, std::string& message) {
  const char* env = std::getenv("DIAGGAUSS_PROFILE");
  if (env && (std::string(env) == "none" || std::string(env) == "off")) {
    message = "none (disabled by DIAGGAUSS_PROFILE=" + std::string(env) + ")";
    return false;
  }
  path = (env && *env) ? std::string(env) : default_profile_path(cpu);
  if (path.empty()) {
    message = "none (no HOME or XDG_CONFIG_HOME to look in)";
    return false;
  }
  std::string why;
  switch (read_profile_file(path, cpu, data, why)) {
    case ProfileVerdict::ok: message = "loaded " + path; return true;
    case ProfileVerdict::ignored: message = "ignored " + path + ": " + why + " (defaults in force)"; return false;
    case ProfileVerdict::refused:
      message = (why.rfind("no file at", 0) == 0 ? "none: " : "refused " + path + ": ") + why +
                (env && *env ? "" : " (run `diaggauss tune` to create one)");
      return false;
  }
  return false;
}

int load_profile(const char* path, std::string& message) {
  const CpuInfo& cpu = host_cpu();
  const std::string p = path ? std::string(path) : default_profile_path(cpu);
  ProfileData data;
  std::string why;
  switch (read_profile_file(p, cpu, data, why)) {
    case ProfileVerdict::ok: break;
    case ProfileVerdict::ignored: message = "ignored " + p + ": " + why; return DG_E_PROFILE;
    case ProfileVerdict::refused: message = "refused " + p + ": " + why; return DG_E_PROFILE;
  }
  if (int st = install_profile(data, p, why); st != DG_OK) {
    message = "refused " + p + ": " + why;
    return st;
  }
  return DG_OK;
}

}  // namespace diaggauss::detail
