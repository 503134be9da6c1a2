// Tuning profiles: a written profile loads and drives the dispatcher; corrupt, truncated, oversized, deeply nested,
// hostile, foreign-CPU and other-major-version profiles are refused or ignored cleanly with the defaults in force.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "diaggauss/diaggauss.h"
#include "dispatch/selection.hpp"
#include "tune/profile.hpp"

namespace {

using namespace diaggauss::detail;

ProfileData sample_profile() {
  ProfileData d;
  d.created = "2026-11-25T00:00:00Z";
  d.mode = "quick";
  ProfileChoice& c = d.choice[static_cast<int>(Kernel::solve_diag_multi)][static_cast<int>(SizeClass::l2)];
  c.set = true;
  c.isa = Isa::scalar;
  c.family = Family::scalar;
  c.blocking.rhs_tile = 64;
  c.throughput = 2e9;
  c.default_throughput = 1e9;
  c.default_name = "avx2/intrinsics";
  return d;
}

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = testing::TempDir() + "/" + name;
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
  const auto& c = back.choice[static_cast<int>(Kernel::solve_diag_multi)][static_cast<int>(SizeClass::l2)];
  EXPECT_TRUE(c.set);
  EXPECT_EQ(c.blocking.rhs_tile, 64u);
  const std::string path = write_temp("good.json", text);
  ASSERT_EQ(dg_load_profile(path.c_str()), DG_OK) << dg_last_error();
  EXPECT_STREQ(dg_active("solve_diag_multi"), "scalar/scalar");
  const Choice& ch = active(Kernel::solve_diag_multi)->typical();
  EXPECT_EQ(ch.reason, Reason::profile);
  EXPECT_EQ(ch.blocking.rhs_tile, 64u);
  EXPECT_NE(selection_report().profile_message.find(path), std::string::npos);
  // Forcing an ISA overrides the profile (the force is explicit; the profile is a default).
  ASSERT_EQ(dg_force_isa("scalar"), DG_OK);
  EXPECT_EQ(active(Kernel::solve_diag_multi)->typical().reason, Reason::forced);
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
  expect_refused(good.substr(0, good.size() / 2), "not valid JSON");                 // truncated
  expect_refused("", "not valid JSON");                                               // empty
  expect_refused("[1, 2, 3]", "top level");                                           // wrong shape
  std::string wrong_type = good;
  wrong_type.replace(wrong_type.find("\"rhs_tile\": 64"), 14, "\"rhs_tile\": \"64\"");
  expect_refused(wrong_type, "rhs_tile");                                             // wrong type
  std::string out_of_range = good;
  out_of_range.replace(out_of_range.find("\"rhs_tile\": 64"), 14, "\"rhs_tile\": 65");
  expect_refused(out_of_range, "multiple of");                                        // not a multiple
  std::string bad_isa = good;
  bad_isa.replace(bad_isa.find("\"isa\": \"scalar\""), 15, "\"isa\": \"avx1024\"");
  expect_refused(bad_isa, "unknown ISA");
  std::string bad_kernel = good;
  bad_kernel.replace(bad_kernel.find("\"solve_diag_multi\""), 18, "\"rm_rf\"");
  expect_refused(bad_kernel, "unknown kernel");
  expect_refused(std::string(100000, '[') + std::string(100000, ']'), "nesting");   // deep nesting
  std::string garbage(100u << 20, '\0');                                              // 100 MB of garbage
  for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>((i * 2654435761u) >> 13);
  expect_refused(garbage, "larger than");
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

TEST_F(ProfileTest, ChoiceTheCpuCannotRunIsRefusedWholesale) {
  ProfileData d = sample_profile();
  ProfileChoice& c = d.choice[static_cast<int>(Kernel::normal)][0];
  c.set = true;
  c.isa = host_cpu().arch == "x86_64" ? Isa::neon : Isa::avx2;  // never runnable here
  c.family = Family::intrinsics;
  const std::string path = write_temp("unrunnable.json", profile_to_json(d, host_cpu()));
  EXPECT_EQ(dg_load_profile(path.c_str()), DG_E_PROFILE);
  EXPECT_NE(active(Kernel::solve_diag_multi)->typical().reason, Reason::profile) << "all or nothing";
}

}  // namespace
