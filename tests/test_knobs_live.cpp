// Every tuned parameter is live: for each (operation, parameter) pair the tuner searches (param_applies, from
// kBlockingParams' read_by lists) and each implementation but the scalar oracle (which has no loop shapes), moving
// the parameter between two values moves the loop shape the call actually ran.  The shape is what the code that reads
// the parameter records in diaggauss::blocking_used (kernels/common/blocking.hpp): points and components per tile,
// Philox groups in flight, rows per sampling chunk.  Results are the business of test_tuning_invariance.cpp; this
// test fails when a parameter stops reaching the code it is tuned for (as rhs_tile and grain once did).
#include <string>
#include <vector>

#include "dispatch/profile.hpp"
#include "dispatch/selection.hpp"
#include "tests/impl_fixture.hpp"
#include "tests/test_util.hpp"

namespace diaggauss::test {
namespace {

using detail::Operation;

// Two values of each parameter that must give two different loop shapes on the shapes below.
struct TwoValues {
  std::uint32_t a, b;
};
TwoValues two_values(int param) {
  switch (param) {
    case kPointTileParam: return {8, 256};
    case kCompTileParam: return {1, 8};
    case kSampleChunkParam: return {64, 4096};
    default: return {1, 4};  // philox_ilv
  }
}

class KnobsLive : public ImplTest {
 protected:
  void SetUp() override {
    ImplTest::SetUp();
    if (IsSkipped()) return;
    if (GetParam()->family == detail::Family::scalar) GTEST_SKIP() << "the scalar oracle has no loop shapes to tune";
  }
  void TearDown() override { detail::clear_profile(); }

  // Runs operation op once with blocking b on this implementation, after clearing the probe; returns what the call
  // recorded for `param` (0: nothing recorded).
  std::uint32_t shape_of(Operation op, int param, const Blocking& b) {
    blocking_used[param].store(0);
    switch (op) {
      case Operation::gmm_logpdf: run_gmm(b); break;
      case Operation::normal: run_normal(b); break;
      case Operation::sample_diag:
      case Operation::sample_gmm: run_sampler_through_api(op, b); break;
      default: ADD_FAILURE() << "no workload for " << detail::operation_name(op);
    }
    return blocking_used[param].load();
  }

 private:
  void run_gmm(const Blocking& b) {
    const std::size_t np = 600, dim = 3, K = 16;
    std::mt19937_64 rng(3);
    std::vector<double> X(np * dim), mu(K * dim), iv(K * dim), ln(K, -2.0), lw(K, -2.7), out(np);
    fill_uniform(X.data(), X.size(), rng, -2, 2);
    fill_uniform(mu.data(), mu.size(), rng, -2, 2);
    fill_uniform(iv.data(), iv.size(), rng, 0.5, 2);
    table().logpdf64.gmm_logpdf(np, dim, K, X.data(), ln.data(), lw.data(), mu.data(), iv.data(), out.data(), nullptr,
                                b);
  }
  void run_normal(const Blocking& b) {
    std::vector<double> z(4096);
    table().sample64.normal(1, 2, 0, z.size(), z.data(), b);
  }
  // The composed samplers read their blocking from the dispatcher's choice, so the choice comes from a profile
  // that names this implementation with blocking b for every size class.
  void run_sampler_through_api(Operation op, const Blocking& b) {
    detail::ProfileData d;
    d.created = "2026-12-07T00:00:00Z";
    d.mode = "quick";
    for (auto& c : d.choice[static_cast<int>(op)]) {
      c.set = true;
      c.isa = GetParam()->isa;
      c.family = GetParam()->family;
      c.blocking = b;
      c.throughput = c.default_throughput = 1e9;
      c.default_name = GetParam()->name;
    }
    const std::string json = detail::profile_to_json(d, detail::host_cpu());
    ASSERT_EQ(dg_profile_import(json.c_str()), DG_OK) << dg_last_error();
    ASSERT_STREQ(dg_active(detail::operation_name(op)), GetParam()->name);
    const std::size_t np = 512, dim = 8, K = 3;
    std::vector<double> mean(K * dim, 0.5), sd(K * dim, 2.0), w(K, 1.0), out(np * dim);
    const int st = op == Operation::sample_diag
                       ? dg_sample_diag_f64(7, 0, 0, np, dim, mean.data(), sd.data(), out.data())
                       : dg_sample_gmm_f64(7, 0, 0, np, dim, K, w.data(), mean.data(), sd.data(), out.data(), nullptr);
    ASSERT_EQ(st, DG_OK) << dg_last_error();
  }
};

TEST_P(KnobsLive, EveryTunedParameterChangesTheExecutedLoopShape) {
  int pairs = 0;
  for (int o = 0; o < detail::kOperationCount; ++o) {
    const auto op = static_cast<Operation>(o);
    for (int p = 0; p < kBlockingParamCount; ++p) {
      const BlockingParam& param = kBlockingParams[p];
      if (!detail::param_applies(op, param)) continue;
      SCOPED_TRACE(std::string(detail::operation_name(op)) + " / " + param.name);
      const TwoValues v = two_values(p);
      Blocking a = blocking(), b = blocking();
      a.*(param.field) = v.a;
      b.*(param.field) = v.b;
      const std::uint32_t shape_a = shape_of(op, p, a), shape_b = shape_of(op, p, b);
      EXPECT_NE(shape_a, 0u) << param.name << " = " << v.a << " was not read by the call";
      EXPECT_NE(shape_b, 0u) << param.name << " = " << v.b << " was not read by the call";
      EXPECT_NE(shape_a, shape_b) << param.name << " = " << v.a << " and " << v.b << " ran the same loop shape "
                                  << shape_a;
      ++pairs;
    }
  }
  EXPECT_EQ(pairs, 7) << "pairs tuned: gmm_logpdf x {point_tile, comp_tile}, normal x philox_ilv, "
                         "sample_diag and sample_gmm x {sample_chunk, philox_ilv}; update this count with the list";
}

// The declarations themselves: each parameter is read by some operation, and diag_logpdf by none.
TEST(KnobDeclarations, EveryParameterHasReadersAndDiagLogpdfHasNone) {
  for (const BlockingParam& p : kBlockingParams) {
    int readers = 0;
    for (int o = 0; o < detail::kOperationCount; ++o) readers += detail::param_applies(static_cast<Operation>(o), p);
    EXPECT_GT(readers, 0) << p.name << " is read by nothing: remove it";
    EXPECT_FALSE(detail::param_applies(Operation::diag_logpdf, p)) << p.name;
  }
}

DG_INSTANTIATE_ALL_IMPLS(KnobsLive);

}  // namespace
}  // namespace diaggauss::test
