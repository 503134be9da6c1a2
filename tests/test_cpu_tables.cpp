// Tests for the built-in per-CPU default tables (dispatch/cpu_tables): every row parses, each measured table covers
// every (kernel, size class), recorded CPUID signatures choose the right table, and the dispatcher applies a table
// (below a profile and forcing, above the generic choice) while skipping rows this CPU cannot run.
#include "dispatch/cpu_tables.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "diaggauss/diaggauss.h"
#include "dispatch/registry.hpp"
#include "dispatch/selection.hpp"
#include "dispatch/profile.hpp"

namespace diaggauss::detail {
namespace {

// Replays cpuid leaves 0, 1 and 7 and XCR0; every other leaf reads as zeros (no brand, no cache leaves).
class RecordedCpu final : public CpuProbe {
 public:
  std::map<std::uint32_t, CpuidRegs> leaf;
  std::uint64_t xcr0 = 0;
  CpuidRegs cpuid(std::uint32_t l, std::uint32_t) const override {
    const auto it = leaf.find(l);
    return it == leaf.end() ? CpuidRegs{} : it->second;
  }
  std::uint64_t xgetbv0() const override { return xcr0; }
};

RecordedCpu recorded(const char (&vendor)[13], std::uint32_t l1_eax, std::uint32_t l1_ecx, std::uint32_t l1_edx,
                     std::uint32_t l7_ebx, std::uint64_t xcr0) {
  RecordedCpu r;
  CpuidRegs l0;
  l0.eax = 0x10;
  std::memcpy(&l0.ebx, vendor, 4), std::memcpy(&l0.edx, vendor + 4, 4), std::memcpy(&l0.ecx, vendor + 8, 4);
  r.leaf[0] = l0;
  r.leaf[1] = CpuidRegs{l1_eax, 0, l1_ecx, l1_edx};
  r.leaf[7] = CpuidRegs{0, l7_ebx, 0, 0};
  r.xcr0 = xcr0;
  return r;
}

// Leaf 1 ecx/edx and leaf 7 ebx as recorded on the development machine (AMD EPYC family 25 model 1 = Milan, Zen 3, 2026-12-07:
// eax 0x00a00f11, ecx 0xfffa3203, edx 0x178bfbff, leaf 7 ebx 0x219c07ab, XCR0 0x207).  The other CPUs reuse these
// feature words, adding the AVX-512 F/DQ/CD/BW/VL bits (and XCR0's opmask/ZMM state) where the CPU has them; their
// leaf-1 eax signatures are the ones those CPUs report (the Zen 4 and Xeon ones as recorded in the project's
// measurements of those machines, tune/measured/).
constexpr std::uint32_t kEcx = 0xfffa3203, kEdx = 0x178bfbff, kL7Avx2 = 0x219c07ab;
constexpr std::uint32_t kL7Avx512 = kL7Avx2 | 1u << 16 | 1u << 17 | 1u << 28 | 1u << 30 | 1u << 31;

struct Case {
  const char* what;
  RecordedCpu cpu;
  const char* table;
};

std::vector<Case> cases() {
  return {
      {"AMD EPYC Milan (Zen 3, family 25 model 1; the development machine)", recorded("AuthenticAMD", 0x00a00f11, kEcx, kEdx, kL7Avx2, 0x207), "zen3"},
      {"AMD Ryzen 5000 (Zen 3, family 25 model 0x21)", recorded("AuthenticAMD", 0x00a20f10, kEcx, kEdx, kL7Avx2, 0x207), "zen3"},
      {"AMD EPYC 9004 (Zen 4, family 25 model 17)", recorded("AuthenticAMD", 0x00a10f11, kEcx, kEdx, kL7Avx512, 0x2e7), "zen4"},
      {"AMD Ryzen 7000 (Zen 4, family 25 model 0x61)", recorded("AuthenticAMD", 0x00a60f12, kEcx, kEdx, kL7Avx512, 0x2e7), "zen4"},
      {"AMD EPYC 9005 (Zen 5, family 26 model 2)", recorded("AuthenticAMD", 0x00b00f21, kEcx, kEdx, kL7Avx512, 0x2e7), "zen5"},
      {"Intel Xeon Sapphire Rapids (family 6 model 143)", recorded("GenuineIntel", 0x000806f8, kEcx, kEdx, kL7Avx512, 0x2e7), "spr"},
      {"Intel Xeon Emerald Rapids (family 6 model 207)", recorded("GenuineIntel", 0x000c06f2, kEcx, kEdx, kL7Avx512, 0x2e7), "spr"},
      {"Intel Core i7-4770 (Haswell, family 6 model 60)", recorded("GenuineIntel", 0x000306c3, kEcx, kEdx, kL7Avx2, 0x7), "generic"},
      {"AMD EPYC 7002 (Zen 2, family 23 model 49)", recorded("AuthenticAMD", 0x00830f10, kEcx, kEdx, kL7Avx2, 0x207), "generic"},
      {"Intel Skylake-SP (family 6 model 85)", recorded("GenuineIntel", 0x00050654, kEcx, kEdx, kL7Avx512, 0xe7), "generic"},
  };
}

TEST(CpuTables, RecordedCpuidChoosesItsTable) {
  for (const Case& c : cases()) {
    const CpuInfo cpu = detect_x86(c.cpu);
    EXPECT_STREQ(cpu_table_for(cpu).name, c.table) << c.what << " (family " << cpu.family << " model " << cpu.model << ")";
  }
}

TEST(CpuTables, EveryTableChosenBySomeRecordedCpu) {
  std::set<std::string> chosen;
  for (const Case& c : cases()) chosen.insert(cpu_table_for(detect_x86(c.cpu)).name);
  for (const CpuTable* t : cpu_tables()) EXPECT_TRUE(chosen.count(t->name)) << t->name << " has no recorded CPU";
}

TEST(CpuTables, RowsParseAndMeasuredTablesCoverEveryKernelAndClass) {
  EXPECT_STREQ(cpu_tables().front()->name, "generic");
  EXPECT_EQ(generic_cpu_table().row_count, 0u);
  for (const CpuTable* t : cpu_tables()) {
    std::set<std::pair<int, int>> seen;
    for (std::size_t i = 0; i < t->row_count; ++i) {
      ParsedTableRow r;
      std::string error;
      ASSERT_TRUE(parse_cpu_table_row(t->rows[i], r, error)) << t->name << " row " << i << ": " << error;
      EXPECT_TRUE(seen.insert({static_cast<int>(r.operation), static_cast<int>(r.size_class)}).second)
          << t->name << ": two rows for " << t->rows[i].kernel << "/" << t->rows[i].size_class;
      for (std::size_t p = 0; p < sizeof kBlockingParams / sizeof kBlockingParams[0]; ++p)
        if (r.blocking_set[p]) {
          EXPECT_TRUE(param_applies(r.operation, kBlockingParams[p])) << t->name << " row " << i;
        }
    }
    if (t->row_count > 0) {
      EXPECT_EQ(seen.size(), static_cast<std::size_t>(kOperationCount * kSizeClassCount)) << t->name;
      EXPECT_STRNE(t->measured, "") << t->name << ": a measured table says where it was measured";
    }
  }
}

TEST(CpuTables, RowParserNamesTheBadField) {
  ParsedTableRow r;
  std::string error;
  EXPECT_FALSE(parse_cpu_table_row({"no_such_kernel", "l1", "avx2/intrinsics", ""}, r, error));
  EXPECT_NE(error.find("no_such_kernel"), std::string::npos) << error;
  EXPECT_FALSE(parse_cpu_table_row({"normal", "l9", "avx2/intrinsics", ""}, r, error));
  EXPECT_NE(error.find("size class"), std::string::npos) << error;
  EXPECT_FALSE(parse_cpu_table_row({"normal", "l1", "avx2", ""}, r, error));
  EXPECT_NE(error.find("avx2"), std::string::npos) << error;
  EXPECT_FALSE(parse_cpu_table_row({"normal", "l1", "avx2/intrinsics", "philox_ilv=9"}, r, error));
  EXPECT_NE(error.find("philox_ilv"), std::string::npos) << error;
  EXPECT_FALSE(parse_cpu_table_row({"normal", "l1", "avx2/intrinsics", "bogus=1"}, r, error));
  EXPECT_NE(error.find("bogus"), std::string::npos) << error;
  ASSERT_TRUE(parse_cpu_table_row({"normal", "mem", "sse4/highway", "philox_ilv=3,sample_chunk=2048"}, r, error));
  const Blocking b = apply_row_blocking(r, Blocking{});
  EXPECT_EQ(b.philox_ilv, 3u);
  EXPECT_EQ(b.sample_chunk, 2048u);
  EXPECT_EQ(b.point_tile, Blocking{}.point_tile) << "unset parameters keep the implementation's defaults";
}

// The dispatcher with each table forced on this machine: rows it can run are used (reason "cpu table"), the rest
// keep the generic choice; forcing an ISA and a profile choice still win over the table.
class CpuTableSelection : public testing::Test {
 protected:
  void TearDown() override {
    std::string msg;
    force_cpu_table("auto", msg);
    clear_profile();
    dg_force_isa("auto");
  }
};

TEST_F(CpuTableSelection, ForcedTableAppliesRunnableRows) {
  std::string msg;
  ASSERT_EQ(force_cpu_table("generic", msg), DG_OK) << msg;
  const Active generic = *active(Operation::diag_logpdf);
  for (const CpuTable* t : cpu_tables()) {
    ASSERT_EQ(force_cpu_table(t->name, msg), DG_OK) << msg;
    EXPECT_EQ(selection_report().cpu_table, t->name);
    int used = 0;
    for (std::size_t i = 0; i < t->row_count; ++i) {
      ParsedTableRow r;
      ASSERT_TRUE(parse_cpu_table_row(t->rows[i], r, msg));
      const Implementation* impl = find_implementation(r.isa, r.family);
      const bool runnable = impl && missing_features(r.isa, host_cpu()).empty();
      const Choice& ch = active(r.operation)->choice[static_cast<int>(r.size_class)];
      if (runnable) {
        ++used;
        EXPECT_EQ(ch.impl, impl) << t->name << " row " << i;
        EXPECT_EQ(ch.reason, Reason::cpu_table) << t->name << " row " << i;
        const Blocking want = apply_row_blocking(r, impl->defaults);
        for (const BlockingParam& p : kBlockingParams) EXPECT_EQ(ch.blocking.*(p.field), want.*(p.field)) << p.name;
      } else {
        EXPECT_EQ(ch.reason, Reason::cpu_default) << t->name << " row " << i << " is not runnable here";
        EXPECT_EQ(ch.impl, generic.choice[static_cast<int>(r.size_class)].impl);
      }
    }
    EXPECT_EQ(selection_report().cpu_table_rows_used, used) << t->name;
    EXPECT_EQ(selection_report().cpu_table_rows_skipped, static_cast<int>(t->row_count) - used) << t->name;
  }
}

TEST_F(CpuTableSelection, ForcingAndProfileOverrideTheTable) {
  std::string msg;
  ASSERT_EQ(force_cpu_table("zen3", msg), DG_OK) << msg;
  ASSERT_EQ(dg_force_isa("scalar"), DG_OK);
  for (int k = 0; k < kOperationCount; ++k) EXPECT_STREQ(dg_active(operation_name(static_cast<Operation>(k))), "scalar/scalar");
  ASSERT_EQ(dg_force_isa("auto"), DG_OK);
  // A profile choice for one (kernel, class) wins there; the other classes keep the table's rows.
  ASSERT_EQ(set_choice(Operation::normal, SizeClass::l2, Isa::scalar, Family::scalar, Blocking{}, msg), DG_OK) << msg;
  EXPECT_EQ(active(Operation::normal)->choice[static_cast<int>(SizeClass::l2)].reason, Reason::profile);
  // Where the table's own row for (normal, l1) can run here (its implementation compiled into this build — not so
  // in a partial DG_IMPLS build — and the CPU has its ISA), l1 keeps it.
  const Choice& l1 = active(Operation::normal)->choice[static_cast<int>(SizeClass::l1)];
  const CpuTable* zen3 = find_cpu_table("zen3");
  ASSERT_NE(zen3, nullptr);
  bool row_runs = false;
  for (std::size_t i = 0; i < zen3->row_count; ++i) {
    ParsedTableRow r;
    ASSERT_TRUE(parse_cpu_table_row(zen3->rows[i], r, msg)) << msg;
    if (r.operation == Operation::normal && r.size_class == SizeClass::l1)
      row_runs = find_implementation(r.isa, r.family) && missing_features(r.isa, host_cpu()).empty();
  }
  if (row_runs) {
    EXPECT_EQ(l1.reason, Reason::cpu_table);
  }
}

TEST_F(CpuTableSelection, UnknownTableRefusedWithNames) {
  std::string msg;
  const CpuTable* before = find_cpu_table(selection_report().cpu_table);
  EXPECT_EQ(force_cpu_table("zen99", msg), DG_E_UNKNOWN_NAME);
  for (const CpuTable* t : cpu_tables()) EXPECT_NE(msg.find(t->name), std::string::npos) << msg;
  EXPECT_EQ(find_cpu_table(selection_report().cpu_table), before) << "a refused table must change nothing";
}

TEST_F(CpuTableSelection, AutoPicksTheHostTable) {
  std::string msg;
  ASSERT_EQ(force_cpu_table("generic", msg), DG_OK) << msg;
  ASSERT_EQ(force_cpu_table("auto", msg), DG_OK) << msg;
  EXPECT_EQ(selection_report().cpu_table, cpu_table_for(host_cpu()).name);
}

}  // namespace
}  // namespace diaggauss::detail
