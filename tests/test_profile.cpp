// Tuning profiles: a written profile loads and drives the dispatcher; corrupt, truncated, oversized, deeply nested,
// hostile, foreign-CPU and other-major-version profiles are refused or ignored cleanly with the defaults in force.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <utility>
#include <vector>
#include <fstream>
#include <string>

#include "diaggauss/diaggauss.h"
#include "dispatch/selection.hpp"
#include "dispatch/profile.hpp"

namespace {

using namespace diaggauss::detail;

ProfileData sample_profile() {
  ProfileData d;
  d.created = "2026-11-25T00:00:00Z";
  d.mode = "quick";
  ProfileChoice& c = d.choice[static_cast<int>(Operation::gmm_logpdf)][static_cast<int>(SizeClass::l2)];
  c.set = true;
  c.isa = Isa::scalar;
  c.family = Family::scalar;
  c.blocking.point_tile = 64;
  c.throughput = 2e9;
  c.default_throughput = 1e9;
  c.default_name = "avx2/intrinsics";
  return d;
}

// A directory of this process's own under gtest's temp dir: two test binaries running at once (the x86 and the
// aarch64 builds' unit tests, ctest -j) wrote the same /tmp/bad.json, and one read the other's half-written file
// (seen under qemu: "invalid JSON at line 1 column 1 (truncated)" where a different message was expected).
// Removed with everything in it when the process ends.
const std::string& own_temp_dir() {
  struct Dir {
    std::string path = testing::TempDir() + "/dg_profile_test_" + std::to_string(::getpid());
    Dir() { ::mkdir(path.c_str(), 0700); }
    ~Dir() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  };
  static const Dir dir;
  return dir.path;
}

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = own_temp_dir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

class ProfileTest : public testing::Test {
 protected:
  void TearDown() override { clear_profile(); }
};

TEST_F(ProfileTest, RoundTripLoadsAndDrivesTheDispatcher) {
  const std::string text = profile_to_json(sample_profile(), host_cpu());
  ProfileData back;
  std::string msg;
  ASSERT_EQ(parse_profile_text(text, host_cpu(), back, msg), ProfileVerdict::ok) << msg;
  const auto& c = back.choice[static_cast<int>(Operation::gmm_logpdf)][static_cast<int>(SizeClass::l2)];
  EXPECT_TRUE(c.set);
  EXPECT_EQ(c.blocking.point_tile, 64u);
  const std::string path = write_temp("good.json", text);
  ASSERT_EQ(dg_load_profile(path.c_str()), DG_OK) << dg_last_error();
  EXPECT_STREQ(dg_active("gmm_logpdf"), "scalar/scalar");
  const Choice& ch = active(Operation::gmm_logpdf)->typical();
  EXPECT_EQ(ch.reason, Reason::profile);
  EXPECT_EQ(ch.blocking.point_tile, 64u);
  EXPECT_NE(selection_report().profile_message.find(path), std::string::npos);
  // Forcing an ISA overrides the profile (the force is explicit; the profile is a default).
  ASSERT_EQ(dg_force_isa("scalar"), DG_OK);
  EXPECT_EQ(active(Operation::gmm_logpdf)->typical().reason, Reason::forced);
  dg_force_isa("auto");
}

void expect_refused(const std::string& text, const std::string& fragment) {
  const std::string before = dg_active("solve_diag");
  const std::string path = write_temp("bad.json", text);
  EXPECT_EQ(dg_load_profile(path.c_str()), DG_E_PROFILE);
  EXPECT_NE(std::string(dg_last_error()).find(fragment), std::string::npos) << dg_last_error();
  EXPECT_EQ(dg_active("solve_diag"), before) << "defaults stay in force";
}

TEST_F(ProfileTest, CorruptAndHostileFilesAreRefused) {
  const std::string good = profile_to_json(sample_profile(), host_cpu());
  expect_refused(good.substr(0, good.size() / 2), "invalid JSON at line");           // truncated
  expect_refused("", "invalid JSON at line 1 column 1");                              // empty
  expect_refused("{\n  \"format\": \"diaggauss-profile\",\n  \"x\": tru\n}", "invalid JSON at line 3 column");
  expect_refused("[1, 2, 3]", "top level");                                           // wrong shape
  std::string wrong_type = good;
  wrong_type.replace(wrong_type.find("\"point_tile\": 64"), 16, "\"point_tile\": \"64\"");
  expect_refused(wrong_type, "point_tile");                                             // wrong type
  std::string out_of_range = good;
  out_of_range.replace(out_of_range.find("\"point_tile\": 64"), 16, "\"point_tile\": 65");
  expect_refused(out_of_range, "multiple of");                                        // not a multiple
  std::string bad_isa = good;
  bad_isa.replace(bad_isa.find("\"isa\": \"scalar\""), 15, "\"isa\": \"avx1024\"");
  expect_refused(bad_isa, "unknown ISA");
  std::string bad_kernel = good;
  bad_kernel.replace(bad_kernel.find("\"gmm_logpdf\""), 12, "\"rm_rf\"");
  expect_refused(bad_kernel, "unknown kernel");
  expect_refused(std::string(100000, '[') + std::string(100000, ']'), "nesting");   // deep nesting
  std::string garbage(100u << 20, '\0');                                              // 100 MB of garbage
  for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>((i * 2654435761u) >> 13);
  expect_refused(garbage, "larger than");
}

// The loader tells a missing file from an unreadable one, a folder and an oversized file: only the first is
// a reason to run `diaggauss tune` (which would overwrite the others).
TEST_F(ProfileTest, FileProblemsAreToldApart) {
  ProfileData d;
  std::string msg;
  EXPECT_EQ(read_profile_file(own_temp_dir() + "/nonexistent.json", host_cpu(), d, msg), ProfileVerdict::refused);
  EXPECT_EQ(msg.rfind("no file at", 0), 0u) << msg;
  EXPECT_EQ(read_profile_file(own_temp_dir(), host_cpu(), d, msg), ProfileVerdict::refused);
  EXPECT_EQ(msg.rfind("not a file", 0), 0u) << msg;
  EXPECT_EQ(read_profile_file(write_temp("huge.json", std::string(kProfileMaxBytes + 1, ' ')), host_cpu(), d, msg),
            ProfileVerdict::refused);
  EXPECT_EQ(msg.rfind("too large", 0), 0u) << msg;
  EXPECT_EQ(read_profile_file("/proc/self/mem", host_cpu(), d, msg), ProfileVerdict::refused);
  EXPECT_EQ(msg.rfind("not a file", 0) == 0 || msg.rfind("unreadable", 0) == 0 || msg.rfind("invalid JSON", 0) == 0,
            true) << msg;
}

TEST_F(ProfileTest, StatusExportImportRoundTrip) {
  const std::string text = profile_to_json(sample_profile(), host_cpu());
  const std::string path = write_temp("exported.json", text);
  ASSERT_EQ(dg_load_profile(path.c_str()), DG_OK) << dg_last_error();
  char *p = nullptr, *state = nullptr, *reason = nullptr;
  ASSERT_EQ(dg_profile_status(&p, &state, &reason), DG_OK);
  EXPECT_EQ(std::string(p), path);
  EXPECT_STREQ(state, "loaded");
  dg_free(p), dg_free(state), dg_free(reason);
  char* json = nullptr;
  ASSERT_EQ(dg_profile_export(&json), DG_OK) << dg_last_error();
  EXPECT_NE(std::string(json).find("\"point_tile\": 64"), std::string::npos) << json;
  clear_profile();
  EXPECT_EQ(dg_profile_export(&p), DG_E_PROFILE);
  EXPECT_EQ(p, nullptr);
  ASSERT_EQ(dg_profile_import(json), DG_OK) << dg_last_error();
  dg_free(json);
  EXPECT_STREQ(dg_active("gmm_logpdf"), "scalar/scalar");
  ASSERT_EQ(dg_profile_status(&p, &state, nullptr), DG_OK);
  EXPECT_STREQ(p, "(imported)");
  EXPECT_STREQ(state, "loaded");
  dg_free(p), dg_free(state);
  EXPECT_EQ(dg_profile_import("{\"format\": tru"), DG_E_PROFILE);
  EXPECT_NE(std::string(dg_last_error()).find("invalid JSON at line 1 column"), std::string::npos) << dg_last_error();
  EXPECT_EQ(dg_profile_import(nullptr), DG_E_NULL_POINTER);
  EXPECT_EQ(dg_profile_export(nullptr), DG_E_NULL_POINTER);
}

}  // namespace

// find_default_profile is declared in dispatch/profile.hpp (implemented in dispatch/profile_search.cpp).

namespace {

// Sets environment variables for one test and puts the old values back.
struct EnvGuard {
  std::vector<std::pair<std::string, std::optional<std::string>>> saved;
  void set(const char* name, const char* value) {
    const char* old = std::getenv(name);
    saved.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
    if (value) ::setenv(name, value, 1);
    else ::unsetenv(name);
  }
  ~EnvGuard() {
    for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
      if (it->second) ::setenv(it->first.c_str(), it->second->c_str(), 1);
      else ::unsetenv(it->first.c_str());
    }
  }
};

// A relative XDG_CONFIG_HOME (or HOME) named a different file from each working directory: ignored, as the XDG
// Base Directory spec says.
TEST_F(ProfileTest, RelativeConfigHomeIsIgnored) {
  EnvGuard env;
  const std::string tail = "/diaggauss/" + host_cpu().key() + ".json";
  env.set("XDG_CONFIG_HOME", "relative/config");
  env.set("HOME", "/home/someone");
  EXPECT_EQ(default_profile_path(host_cpu()), "/home/someone/.config" + tail);
  env.set("XDG_CONFIG_HOME", "/abs/config");
  EXPECT_EQ(default_profile_path(host_cpu()), "/abs/config" + tail);
  env.set("XDG_CONFIG_HOME", nullptr);
  env.set("HOME", "relative-home");
  EXPECT_EQ(default_profile_path(host_cpu()), "");
}

TEST_F(ProfileTest, SystemWideProfileIsReadWhenTheUserHasNone) {
  const std::string root = own_temp_dir() + "/dg_sysprof";
  ::mkdir(root.c_str(), 0755);
  ::mkdir((root + "/etc").c_str(), 0755);
  ::mkdir((root + "/home").c_str(), 0755);
  EnvGuard env;
  env.set("DIAGGAUSS_PROFILE", nullptr);
  env.set("XDG_CONFIG_HOME", (root + "/home").c_str());
  env.set("DIAGGAUSS_SYSTEM_PROFILE_DIR", (root + "/etc").c_str());
  const std::string user = default_profile_path(host_cpu()), system = system_profile_path(host_cpu());
  std::remove(user.c_str());
  std::remove(system.c_str());
  ProfileData d;
  std::string path, msg;
  EXPECT_FALSE(find_default_profile(host_cpu(), d, path, msg));
  EXPECT_NE(msg.find("run `diaggauss tune`"), std::string::npos) << msg;
  std::ofstream(system) << profile_to_json(sample_profile(), host_cpu());
  ASSERT_TRUE(find_default_profile(host_cpu(), d, path, msg)) << msg;
  EXPECT_EQ(path, system);
  // The user's own profile comes first; a broken one is reported, without advice to overwrite it by tuning.
  ::mkdir((root + "/home/diaggauss").c_str(), 0755);
  std::ofstream(user) << "{";
  EXPECT_FALSE(find_default_profile(host_cpu(), d, path, msg));
  EXPECT_NE(msg.find("invalid JSON at line 1 column 2"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("diaggauss tune"), std::string::npos) << msg;
  std::ofstream(user) << profile_to_json(sample_profile(), host_cpu());
  ASSERT_TRUE(find_default_profile(host_cpu(), d, path, msg)) << msg;
  EXPECT_EQ(path, user);
  // dg_load_profile(NULL) searches the same way.
  ASSERT_EQ(dg_load_profile(nullptr), DG_OK) << dg_last_error();
  EXPECT_EQ(selection_report().profile_path, user);
  std::remove(user.c_str());
  ASSERT_EQ(dg_load_profile(nullptr), DG_OK) << dg_last_error();
  EXPECT_EQ(selection_report().profile_path, system);
  std::remove(user.c_str());
  std::remove(system.c_str());
}

TEST_F(ProfileTest, ForeignCpuAndOtherMajorVersionAreIgnoredWithNotice) {
  std::string other_cpu = profile_to_json(sample_profile(), host_cpu());
  const std::string key = host_cpu().key();
  other_cpu.replace(other_cpu.find("\"" + key + "\""), key.size() + 2, "\"genuineintel-6-85-avx512\"");
  ProfileData d;
  std::string msg;
  EXPECT_EQ(parse_profile_text(other_cpu, host_cpu(), d, msg), ProfileVerdict::ignored);
  EXPECT_NE(msg.find("genuineintel-6-85-avx512"), std::string::npos) << msg;
  std::string other_major = profile_to_json(sample_profile(), host_cpu());
  other_major.replace(other_major.find(DIAGGAUSS_VERSION_STRING), std::string(DIAGGAUSS_VERSION_STRING).size(), "99.0.0");
  EXPECT_EQ(parse_profile_text(other_major, host_cpu(), d, msg), ProfileVerdict::ignored);
  EXPECT_NE(msg.find("major version"), std::string::npos) << msg;
  expect_refused(other_cpu, "ignored");
}

// Parameters an older version tuned that nothing reads any more (issue 16) still load, and are ignored.
TEST_F(ProfileTest, RetiredParametersInOldProfilesAreIgnored) {
  std::string text = profile_to_json(sample_profile(), host_cpu());
  const std::size_t at = text.find("\"point_tile\": 64");
  ASSERT_NE(at, std::string::npos) << text;
  text.insert(at, "\"rhs_tile\": 256, \"grain\": 65536, ");
  ProfileData back;
  std::string msg;
  ASSERT_EQ(parse_profile_text(text, host_cpu(), back, msg), ProfileVerdict::ok) << msg;
  EXPECT_EQ(back.choice[static_cast<int>(Operation::gmm_logpdf)][static_cast<int>(SizeClass::l2)].blocking.point_tile, 64u);
  EXPECT_TRUE(param_retired(Operation::normal, "sample_chunk"));
  EXPECT_FALSE(param_retired(Operation::sample_diag, "sample_chunk"));
  // point_tile for diag_logpdf (read by Highway and NEON only, before issue 16): an old profile with it loads.
  ProfileData diag = sample_profile();
  ProfileChoice& dc = diag.choice[static_cast<int>(Operation::diag_logpdf)][static_cast<int>(SizeClass::l1)];
  dc = diag.choice[static_cast<int>(Operation::gmm_logpdf)][static_cast<int>(SizeClass::l2)];
  std::string old = profile_to_json(diag, host_cpu());
  const std::size_t diag_at = old.find("\"diag_logpdf\"");
  ASSERT_NE(diag_at, std::string::npos) << old;
  const std::size_t params_at = old.find("\"params\": {", diag_at);
  ASSERT_NE(params_at, std::string::npos) << old;
  old.insert(params_at + 11, "\"point_tile\": 128");
  ASSERT_EQ(parse_profile_text(old, host_cpu(), back, msg), ProfileVerdict::ok) << msg << "\n" << old;
  EXPECT_TRUE(param_retired(Operation::diag_logpdf, "point_tile"));
  EXPECT_FALSE(param_applies(Operation::diag_logpdf, diaggauss::kBlockingParams[diaggauss::kPointTileParam]));
  for (const diaggauss::BlockingParam& p : diaggauss::kBlockingParams) {
    EXPECT_STRNE(p.name, "rhs_tile");
    EXPECT_STRNE(p.name, "grain");
  }
}

TEST_F(ProfileTest, ChoiceTheCpuCannotRunIsRefusedWholesale) {
  ProfileData d = sample_profile();
  ProfileChoice& c = d.choice[static_cast<int>(Operation::normal)][0];
  c.set = true;
  c.isa = host_cpu().arch == "x86_64" ? Isa::neon : Isa::avx2;  // never runnable here
  c.family = Family::intrinsics;
  const std::string path = write_temp("unrunnable.json", profile_to_json(d, host_cpu()));
  EXPECT_EQ(dg_load_profile(path.c_str()), DG_E_PROFILE);
  EXPECT_NE(active(Operation::gmm_logpdf)->typical().reason, Reason::profile) << "all or nothing";
}

}  // namespace
