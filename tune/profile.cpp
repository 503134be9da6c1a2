#include "tune/profile.hpp"

#include "diaggauss/diaggauss.h"

namespace diaggauss::detail {

// Profile loading arrives with the autotuner (issue 5); until then the defaults are always in force.
int load_profile(const char*, std::string& message) {
  message = "tuning profiles are not supported by this build yet";
  return DG_E_PROFILE;
}

ProfileStatus profile_status() { return {"", "none (this build has no autotuner yet)"}; }

}  // namespace diaggauss::detail
