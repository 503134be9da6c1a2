// The dispatcher's edges (issue 15): memory stays bounded however often the choice changes (every dg_force_isa
// used to publish 12 new records, ~3.2 KB, never freed), dg_last_error() is "" after a success, and dg_active()
// reports an unknown kernel as NULL and says why.
#include <malloc.h>

#include <string>

#include <gtest/gtest.h>

#include "diaggauss/diaggauss.h"

namespace {

TEST(DispatchEdges, ForcingRepeatedlyKeepsMemoryBounded) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "mallinfo2 does not see AddressSanitizer's allocator";
#endif
  // Warm up: every (ISA, family) combination this CPU runs gets published once.
  for (const char* isa : {"auto", "scalar", "sse4", "avx2", "neon"})
    for (const char* fam : {"auto", "intrinsics", "highway", "xsimd", "scalar"}) {
      dg_force_isa(isa);
      dg_force_impl(fam);
    }
  dg_force_impl("auto");
  dg_force_isa("auto");
  const std::size_t before = mallinfo2().uordblks;
  for (int i = 0; i < 20000; ++i) {
    ASSERT_EQ(dg_force_isa(i % 2 ? "scalar" : "auto"), DG_OK) << dg_last_error();
  }
  const std::size_t after = mallinfo2().uordblks;
  // 20 000 calls x 12 kernels x ~270 bytes was ~64 MB; allow 256 KB of unrelated noise.
  EXPECT_LT(after, before + 256 * 1024) << "heap grew from " << before << " to " << after << " bytes";
  dg_force_isa("auto");
}

TEST(DispatchEdges, LastErrorIsEmptyAfterSuccess) {
  double x = 0, d = 2, b = 1;
  EXPECT_EQ(dg_force_isa("not-an-isa"), DG_E_UNKNOWN_NAME);
  EXPECT_STRNE(dg_last_error(), "");
  EXPECT_EQ(dg_solve_diag_f64(1, &d, &b, &x, nullptr), DG_OK);
  EXPECT_STREQ(dg_last_error(), "");
  EXPECT_EQ(dg_force_impl("not-a-family"), DG_E_UNKNOWN_NAME);
  EXPECT_EQ(dg_force_isa("auto"), DG_OK);
  EXPECT_STREQ(dg_last_error(), "");
  EXPECT_EQ(dg_normal_f64(1, 2, 3, 0, nullptr), DG_OK);
  EXPECT_STREQ(dg_last_error(), "");
}

TEST(DispatchEdges, ActiveUnknownKernelIsNullWithAReason) {
  EXPECT_EQ(dg_active("no_such_kernel"), nullptr);
  EXPECT_NE(std::string(dg_last_error()).find("no_such_kernel"), std::string::npos) << dg_last_error();
  EXPECT_EQ(dg_active(nullptr), nullptr);
  ASSERT_NE(dg_active("normal"), nullptr);
  EXPECT_STREQ(dg_last_error(), "");
}

}  // namespace
