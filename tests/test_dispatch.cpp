// The dispatcher: defaults, forcing by API, refusal of unknown or unsupported ISAs (never SIGILL), and a check
// that a forced choice really runs (simdjson's lesson: test that the override took effect).
#include <gtest/gtest.h>

#include <string>

#include "diaggauss/diaggauss.h"
#include "diaggauss/diaggauss.hpp"
#include "dispatch/selection.hpp"
#include "dispatch/working_set.hpp"

namespace {

using namespace diaggauss::detail;

class DispatchTest : public testing::Test {
 protected:
  void TearDown() override {
    dg_force_isa("auto");
    dg_force_impl("auto");
    std::string msg;
    force_cpu_table("auto", msg);
  }
};

TEST_F(DispatchTest, DefaultIsBestSupportedIntrinsics) {
  std::string msg;
  ASSERT_EQ(force_cpu_table("generic", msg), DG_OK) << msg;  // the per-CPU tables are tested in test_cpu_tables
  const CpuInfo& cpu = host_cpu();
  Isa best = Isa::scalar;
  for (Isa isa : isas_by_priority())  // the ISA list's priority, not a copy of it
    if (isa != Isa::scalar && find_implementation(isa, Family::intrinsics) && missing_features(isa, cpu).empty()) {
      best = isa;
      break;
    }
  const std::string want =
      std::string(isa_name(best)) + "/" + (best == Isa::scalar ? "scalar" : "intrinsics");
  for (int k = 0; k < kOperationCount; ++k) EXPECT_EQ(dg_active(operation_name(static_cast<Operation>(k))), want);
}

// The registry's order follows from the ISA list's rank and the family order; nothing else spells it out.
TEST_F(DispatchTest, RegistryIsInIsaListPriorityOrder) {
  const auto& r = registry();
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r.back().isa, Isa::scalar);
  for (std::size_t i = 1; i < r.size(); ++i) {
    const int prev = isa_spec(r[i - 1].isa).rank, cur = isa_spec(r[i].isa).rank;
    EXPECT_TRUE(prev > cur || (prev == cur && r[i - 1].family < r[i].family)) << r[i - 1].name << " before " << r[i].name;
  }
}

// Every feature the ISA list requires is one the detector knows (a typo would make an ISA unrunnable everywhere).
TEST_F(DispatchTest, IsaListFeaturesAreKnownToTheDetector) {
  CpuInfo none;
  for (const IsaSpec& spec : kIsaSpecs) {
    const std::string miss = missing_features(spec.isa, none);
    std::string want = spec.features;  // a CPU with nothing lacks every listed feature, in list order
    for (std::size_t at = want.find(' '); at != std::string::npos; at = want.find(' ', at + 2)) want.replace(at, 1, ", ");
    EXPECT_EQ(miss, want) << spec.name;
  }
  // A CPU with every flag set lacks nothing for any ISA, so every listed name maps to a real CpuInfo field.
  CpuInfo all;
  for (bool* f : {&all.sse2, &all.sse3, &all.ssse3, &all.sse41, &all.sse42, &all.popcnt, &all.avx, &all.avx2,
                  &all.fma, &all.bmi1, &all.bmi2, &all.f16c, &all.avx512f, &all.avx512vl, &all.avx512dq,
                  &all.avx512bw, &all.avx512cd, &all.neon, &all.sve})
    *f = true;
  for (const IsaSpec& spec : kIsaSpecs) EXPECT_EQ(missing_features(spec.isa, all), "") << spec.name;
}

// The tuner sizes its calls with n_for_working_set; the API classifies calls with working_set_bytes.  The call
// the tuner builds for a byte budget must fill it without crossing it, so it lands in the class it was meant for.
TEST_F(DispatchTest, TunerCallSizesMatchTheApiWorkingSet) {
  for (int k = 0; k < kOperationCount; ++k) {
    const Operation kernel = static_cast<Operation>(k);
    for (std::size_t bytes : {std::size_t{16} << 10, std::size_t{256} << 10, std::size_t{24} << 20}) {
      CallShape s{0, 16, 16, sizeof(double)};
      s.n = n_for_working_set(kernel, s, bytes, 1);
      EXPECT_LE(working_set_bytes(kernel, s), bytes) << operation_name(kernel);
      ++s.n;
      EXPECT_GT(working_set_bytes(kernel, s), bytes) << operation_name(kernel);
    }
  }
  // diag_logpdf counts X, out, mean and var (the tuner used to count X twice, the API X once).
  EXPECT_EQ(working_set_bytes(Operation::diag_logpdf, {100, 10, 1, 8}), (1000 + 100 + 20) * 8u);
}

TEST_F(DispatchTest, UnknownIsaRefusedWithValidNames) {
  EXPECT_EQ(dg_force_isa("bogus"), DG_E_UNKNOWN_NAME);
  const std::string msg = dg_last_error();
  for (const IsaSpec& spec : kIsaSpecs) EXPECT_NE(msg.find(spec.name), std::string::npos) << msg;
  for (const char* name : {"scalar", "sse4", "avx2", "avx512", "neon"}) EXPECT_NE(msg.find(name), std::string::npos) << msg;
  EXPECT_EQ(dg_force_impl("nope"), DG_E_UNKNOWN_NAME);
  EXPECT_EQ(dg_active("no_such_kernel"), nullptr);
}

TEST_F(DispatchTest, UnsupportedIsaRefusedNotRun) {
  for (Isa isa : all_isas()) {
    if (isa == Isa::scalar) continue;
    // Forcing an ISA alone picks its intrinsics, else its highway, else its xsimd implementation.
    const Implementation* want = find_implementation(isa, Family::intrinsics);
    if (!want) want = find_implementation(isa, Family::highway);
    if (!want) want = find_implementation(isa, Family::xsimd);
    const bool runs = want && missing_features(isa, host_cpu()).empty();
    const std::string before = dg_active("normal");
    const int st = dg_force_isa(isa_name(isa));
    if (runs) {
      EXPECT_EQ(st, DG_OK) << dg_last_error();
      EXPECT_STREQ(dg_active("solve_diag"), want->name);
    } else {
      EXPECT_EQ(st, DG_E_UNSUPPORTED_ISA) << isa_name(isa);
      EXPECT_EQ(dg_active("normal"), before) << "a refused force must change nothing";
    }
    dg_force_isa("auto");
  }
}

TEST_F(DispatchTest, EveryRunnableImplementationCanBeForcedAndComputes) {
  for (const Implementation& impl : registry()) {
    if (!missing_features(impl.isa, host_cpu()).empty()) continue;
    ASSERT_EQ(dg_force_isa(isa_name(impl.isa)), DG_OK) << dg_last_error();
    ASSERT_EQ(dg_force_impl(family_name(impl.family)), DG_OK) << dg_last_error();
    EXPECT_STREQ(dg_active("gmm_logpdf"), impl.name);
    for (const Choice& c : active(Operation::normal)->choice)
      EXPECT_EQ(c.impl, &impl) << "the forced implementation is the one that runs, in every size class";
    double d[3] = {2, 4, 8}, b[3] = {1, 1, 1}, x[3];
    ASSERT_EQ(dg_solve_diag_f64(3, d, b, x, nullptr), DG_OK);
    EXPECT_EQ(x[2], 0.125);
    dg_force_isa("auto");
    dg_force_impl("auto");
  }
}

TEST_F(DispatchTest, CppApiThrowsWithStatus) {
  try {
    diaggauss::force_isa("bogus");
    FAIL() << "expected diaggauss::Error";
  } catch (const diaggauss::Error& e) {
    EXPECT_EQ(e.status(), DG_E_UNKNOWN_NAME);
    EXPECT_NE(std::string(e.what()).find("avx2"), std::string::npos);
  }
  double d[2] = {1, 0}, b[2] = {1, 1}, x[2];
  EXPECT_THROW(diaggauss::solve_diag(2, d, b, x), diaggauss::Error);
  EXPECT_EQ(diaggauss::version(), DIAGGAUSS_VERSION_STRING);
}

TEST_F(DispatchTest, ThreadedNormalIsBitIdenticalForAnyThreadCount) {
  const std::size_t n = 300001;
  std::vector<double> one(n), many(n);
  diaggauss::normal(5, 9, 123, n, one.data(), 1);
  for (unsigned t : {2u, 3u, 0u}) {
    diaggauss::normal(5, 9, 123, n, many.data(), t);
    EXPECT_EQ(one, many) << "threads=" << t;
  }
  // Block 48 starts double-normal chunk 2 (24 blocks per 64 normals): elements 128.. = one[5..].
  diaggauss::Stream s(5, 9, 48);
  auto a = s.normal<double>(1024);
  auto b2 = s.normal<double>(512);
  EXPECT_TRUE(std::equal(a.begin(), a.end(), one.begin() + 5));
  EXPECT_TRUE(std::equal(b2.begin(), b2.end(), one.begin() + 5 + 1024));
}

}  // namespace

namespace {

TEST_F(DispatchTest, ForcingANonexistentCombinationIsRefusedAndChangesNothing) {
  ASSERT_EQ(dg_force_impl("scalar"), DG_OK);
  const std::string before = dg_active("normal");
  for (const Implementation& impl : registry()) {
    if (impl.isa == Isa::scalar || !missing_features(impl.isa, host_cpu()).empty()) continue;
    EXPECT_NE(dg_force_isa(isa_name(impl.isa)), DG_OK) << "scalar family has no " << isa_name(impl.isa) << " build";
    EXPECT_EQ(dg_active("normal"), before);
  }
  dg_force_impl("auto");
  for (const Implementation& impl : registry()) {
    if (impl.isa == Isa::scalar || !missing_features(impl.isa, host_cpu()).empty()) continue;
    ASSERT_EQ(dg_force_isa(isa_name(impl.isa)), DG_OK);
    EXPECT_NE(dg_force_impl("scalar"), DG_OK) << "no " << isa_name(impl.isa) << "/scalar implementation";
    EXPECT_STRNE(dg_active("normal"), "error");
    break;
  }
}

}  // namespace
