// Every kernel test runs on every registered implementation (Highway's TestWithParamTarget idea).  An
// implementation this CPU cannot run is reported as SKIPPED with the missing features, never silently dropped.
#pragma once
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "diaggauss/diaggauss.h"
#include "dispatch/registry.hpp"
#include "kernels/scalar/scalar_kernels.hpp"

namespace diaggauss::test {

inline std::vector<const detail::Implementation*> all_implementations() {
  std::vector<const detail::Implementation*> v;
  for (const auto& impl : detail::registry()) v.push_back(&impl);
  return v;
}

inline std::string impl_param_name(const testing::TestParamInfo<const detail::Implementation*>& info) {
  std::string s = info.param->name;
  for (char& c : s)
    if (c == '/') c = '_';
  return s;
}

class ImplTest : public testing::TestWithParam<const detail::Implementation*> {
 protected:
  void SetUp() override {
    const std::string miss = detail::missing_features(GetParam()->isa, detail::host_cpu());
    if (!miss.empty()) GTEST_SKIP() << GetParam()->name << ": this CPU lacks " << miss;
  }
  const KernelTable& table() const { return GetParam()->table(); }
  const KernelTable& oracle() const { return scalar::kernel_table(); }
  bool fma_exact() const { return detail::isa_spec(GetParam()->isa).fma; }  // the ISA list's FMA column
  Blocking blocking() const { return GetParam()->defaults; }
};

// An ImplTest whose public C API calls run the parameter's implementation: it is forced (ISA, then family) before
// each test and the choice handed back to the dispatcher after it.
class ForcedImplTest : public ImplTest {
 protected:
  void SetUp() override {
    ImplTest::SetUp();
    if (IsSkipped()) return;
    ASSERT_EQ(dg_force_isa(detail::isa_name(GetParam()->isa)), DG_OK) << dg_last_error();
    ASSERT_EQ(dg_force_impl(detail::family_name(GetParam()->family)), DG_OK) << dg_last_error();
  }
  void TearDown() override {
    dg_force_isa("auto");
    dg_force_impl("auto");
  }
};

#define DG_INSTANTIATE_ALL_IMPLS(Suite) \
  INSTANTIATE_TEST_SUITE_P(AllImpls, Suite, testing::ValuesIn(all_implementations()), impl_param_name)

// Largest vector width in elements of T across all ISAs (AVX-512: 64 bytes), for size sweeps.
template <class T> constexpr std::size_t kWidest = 64 / sizeof(T);

}  // namespace diaggauss::test
