// Where the library finds its profile: DIAGGAUSS_PROFILE (a path; "none" disables), then
// $XDG_CONFIG_HOME/diaggauss/<cpu-key>.json (or ~/.config/diaggauss/<cpu-key>.json), then the system-wide
// ${DIAGGAUSS_SYSTEM_PROFILE_DIR:-/etc/diaggauss}/<cpu-key>.json.
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "diaggauss/diaggauss.h"
#include "dispatch/selection.hpp"
#include "dispatch/profile.hpp"

namespace diaggauss::detail {

std::string default_profile_path(const CpuInfo& cpu) {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  std::string base;
  // The XDG Base Directory spec: a relative $XDG_CONFIG_HOME is invalid and ignored (it named a different file
  // from each working directory).  HOME likewise must be absolute to be used.
  if (xdg && *xdg == '/') base = xdg;
  else if (const char* home = std::getenv("HOME"); home && *home == '/') base = std::string(home) + "/.config";
  else return "";
  return base + "/diaggauss/" + cpu.key() + ".json";
}

std::string system_profile_path(const CpuInfo& cpu) {
  const char* dir = std::getenv("DIAGGAUSS_SYSTEM_PROFILE_DIR");
  return std::string(dir && *dir ? dir : "/etc/diaggauss") + "/" + cpu.key() + ".json";
}

namespace {
// The last profile that parsed and was handed to the dispatcher, for dg_profile_export.
std::mutex g_loaded_mu;
ProfileData g_loaded;
std::string g_loaded_path;

void remember(const ProfileData& data, const std::string& path) {
  const std::lock_guard<std::mutex> lock(g_loaded_mu);
  g_loaded = data;
  g_loaded_path = path;
}

bool missing(const std::string& why) { return why.rfind("no file at", 0) == 0; }
}  // namespace

bool loaded_profile(const std::string& path, ProfileData& out) {
  const std::lock_guard<std::mutex> lock(g_loaded_mu);
  if (path.empty() || path != g_loaded_path) return false;
  out = g_loaded;
  return true;
}

// Called once by the dispatcher's initialisation.  True when a profile was found and parsed; `message` always
// says what happened (for `diaggauss info`).  Search order: DIAGGAUSS_PROFILE, else the user's profile, else
// (only when the user has none) the system-wide one, as FFTW reads /etc/fftw/wisdom for identical nodes.
bool find_default_profile(const CpuInfo& cpu, ProfileData& data, std::string& path, std::string& message) {
  const char* env = std::getenv("DIAGGAUSS_PROFILE");
  if (env && (std::string(env) == "none" || std::string(env) == "off")) {
    message = "none (disabled by DIAGGAUSS_PROFILE=" + std::string(env) + ")";
    return false;
  }
  std::vector<std::string> candidates;
  if (env && *env) candidates = {env};
  else {
    if (std::string user = default_profile_path(cpu); !user.empty()) candidates.push_back(user);
    candidates.push_back(system_profile_path(cpu));
  }
  std::string absent;
  for (const std::string& p : candidates) {
    path = p;
    std::string why;
    switch (read_profile_file(p, cpu, data, why)) {
      case ProfileVerdict::ok:
        message = "loaded " + p;
        remember(data, p);
        return true;
      case ProfileVerdict::ignored: message = "ignored " + p + ": " + why + " (defaults in force)"; return false;
      case ProfileVerdict::refused:
        if (!missing(why)) {
          message = "refused " + p + ": " + why + " (defaults in force)";
          return false;
        }
        absent += (absent.empty() ? "" : ", ") + p;
        break;
    }
  }
  path.clear();
  // Advice to tune only when there is no file at all (an unreadable or invalid one would be overwritten).
  message = "none: no file at " + absent + (env && *env ? "" : " (run `diaggauss tune` to create one)");
  return false;
}

int load_profile(const char* path, std::string& message) {
  const CpuInfo& cpu = host_cpu();
  std::string p, why;
  ProfileData data;
  if (!path) {  // the same search as at start-up: DIAGGAUSS_PROFILE, the user's, the system-wide
    if (!find_default_profile(cpu, data, p, why)) {
      message = why;
      return DG_E_PROFILE;
    }
  } else {
    p = path;
    switch (read_profile_file(p, cpu, data, why)) {
      case ProfileVerdict::ok: break;
      case ProfileVerdict::ignored: message = "ignored " + p + ": " + why; return DG_E_PROFILE;
      case ProfileVerdict::refused: message = "refused " + p + ": " + why; return DG_E_PROFILE;
    }
  }
  if (int st = install_profile(data, p, why); st != DG_OK) {
    message = "refused " + p + ": " + why;
    return st;
  }
  remember(data, p);
  return DG_OK;
}

int import_profile(const std::string& text, std::string& message) {
  ProfileData data;
  std::string why;
  switch (parse_profile_text(text, host_cpu(), data, why)) {
    case ProfileVerdict::ok: break;
    case ProfileVerdict::ignored: message = "ignored: " + why; return DG_E_PROFILE;
    case ProfileVerdict::refused: message = "refused: " + why; return DG_E_PROFILE;
  }
  const std::string origin = "(imported)";
  if (int st = install_profile(data, origin, why); st != DG_OK) {
    message = "refused: " + why;
    return st;
  }
  remember(data, origin);
  return DG_OK;
}

}  // namespace diaggauss::detail
