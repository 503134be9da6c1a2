// Tuning profiles: which implementation and block sizes each kernel uses on this machine (see docs/profile.md).
#pragma once
#include <string>

namespace diaggauss::detail {

// Loads a profile (nullptr: the default search path).  Returns a dg_status; on error the defaults stay in force.
int load_profile(const char* path, std::string& message);

// What `diaggauss info` shows: the file in use, or why none is.
struct ProfileStatus {
  std::string path;     // "" when none is loaded
  std::string message;  // e.g. "no profile at ~/.config/diaggauss/<key>.json"
};
ProfileStatus profile_status();

}  // namespace diaggauss::detail
