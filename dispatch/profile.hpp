// Tuning profiles (docs/profile.md), owned by the dispatcher (dispatch/ reads its own configuration; tune/ writes
// profiles through this header and depends on dispatch/, never the other way round): which implementation and block sizes each kernel uses per working-set size
// class on one machine.  Parsing is all-or-nothing and never throws; a profile for another CPU or another major
// version is ignored with a notice, anything malformed is refused with a message naming the offending field.
#pragma once
#include <string>

#include "dispatch/cpu_detect.hpp"
#include "dispatch/names.hpp"
#include "kernels/common/blocking.hpp"

namespace diaggauss::detail {

inline constexpr int kProfileFormatVersion = 1;
inline constexpr std::size_t kProfileMaxBytes = 1 << 20;  // a real profile is a few KiB
inline constexpr int kProfileMaxDepth = 8;                 // the format nests 5 levels

struct ProfileChoice {
  bool set = false;
  Isa isa = Isa::scalar;
  Family family = Family::scalar;
  Blocking blocking;
  double throughput = 0, default_throughput = 0;  // elements per second, as measured by the tuner
  std::string default_name;                       // the implementation the tuner compared against
};

struct ProfileData {
  std::string library_version, created, mode;
  std::string cpu_key, cpu_brand;
  ProfileChoice choice[kOperationCount][kSizeClassCount];
};

enum class ProfileVerdict { ok, ignored, refused };

// Parses and validates a profile's text for `cpu`.  `message` explains an ignored or refused profile.
ProfileVerdict parse_profile_text(const std::string& text, const CpuInfo& cpu, ProfileData& out, std::string& message);
// Reads a file (size-checked before reading) and parses it.
ProfileVerdict read_profile_file(const std::string& path, const CpuInfo& cpu, ProfileData& out, std::string& message);
// The profile as JSON text (what `diaggauss tune` writes).
std::string profile_to_json(const ProfileData& data, const CpuInfo& cpu);
// $XDG_CONFIG_HOME/diaggauss/<cpu-key>.json, or ~/.config/diaggauss/<cpu-key>.json; "" when neither is known.
std::string default_profile_path(const CpuInfo& cpu);

// ${DIAGGAUSS_SYSTEM_PROFILE_DIR:-/etc/diaggauss}/<cpu-key>.json: the fleet-wide profile, read when the user has none.
std::string system_profile_path(const CpuInfo& cpu);

// The profile on the default search path (DIAGGAUSS_PROFILE, the user's, the system-wide; profile_search.cpp),
// if any.  True when one was found and parsed; `message` always says what happened.  The dispatcher calls it
// once at start-up.
bool find_default_profile(const CpuInfo& cpu, ProfileData& data, std::string& path, std::string& message);

// Loads a profile into the dispatcher (nullptr: the default search path).  Returns a dg_status.
int load_profile(const char* path, std::string& message);
// Parses profile text (dg_profile_import) and installs it; its path reads "(imported)".  Returns a dg_status.
int import_profile(const std::string& text, std::string& message);
// The profile data last loaded from `path` (the path selection_report() names), if it is still that one.
bool loaded_profile(const std::string& path, ProfileData& out);

// Which kernels a blocking parameter shapes (the tuner searches only those; the loader ignores no others).
bool param_applies(Operation k, const BlockingParam& p);
// A parameter an older version tuned for kernel k that nothing reads any more (rhs_tile, grain; sample_chunk for
// normal): profiles and CPU-table rows that name it still load, and the value is ignored.
bool param_retired(Operation k, const std::string& name);

}  // namespace diaggauss::detail
