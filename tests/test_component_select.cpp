// Mixture component choice: the integer-threshold selector (src/component_select.hpp) must give exactly the
// documented rule "first k with u < cum[k], u = (word + 0.5) * 2^-32" on the selection words, computed here
// independently with the scalar Philox oracle and floating-point upper_bound.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "diaggauss/diaggauss.h"
#include "kernels/common/normal_recipe.hpp"
#include "kernels/scalar/philox_scalar.hpp"
#include "kernels/scalar/scalar_kernels.hpp"
#include "src/component_select.hpp"

namespace {

std::vector<double> running_sums(const std::vector<double>& w) {
  std::vector<double> cum(w.size());
  long double sum = 0, total = 0;
  for (double x : w) total += x;
  for (std::size_t k = 0; k < w.size(); ++k) cum[k] = static_cast<double>((sum += w[k]) / total);
  cum.back() = 1.0;
  return cum;
}

std::uint32_t rule(const std::vector<double>& cum, std::uint32_t word) {
  const double u = (static_cast<double>(word) + 0.5) * 0x1p-32;
  const auto k = static_cast<std::size_t>(std::upper_bound(cum.begin(), cum.end(), u) - cum.begin());
  return static_cast<std::uint32_t>(std::min(k, cum.size() - 1));
}

std::uint32_t word_of_point(std::uint64_t seed, std::uint64_t stream, std::uint64_t P) {
  return diaggauss::scalar::philox_block(seed, stream, diaggauss::recipe::kSelectionBlockBase + (P >> 2)).w[P & 3];
}

const std::vector<std::vector<double>> kWeightSets = {
    {1.0},
    {0.25, 0.5, 0.25},                      // running sums exactly on word boundaries
    {0.3, 0.3, 0.4},
    {1e-12, 0.5, 0.5 - 1e-12},              // a component almost never chosen
    {0.0, 0.5, 0.0, 0.5},                   // zero weights: never chosen
    {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20},  // the binary-search path
};

// Words just below, at and above every threshold decide the same as the floating-point rule.
TEST(ComponentSelect, ThresholdsMatchTheRuleAtEveryBoundary) {
  for (const auto& w : kWeightSets) {
    const auto cum = running_sums(w);
    const diaggauss::detail::ComponentSelector sel(w.data(), w.size(), &diaggauss::scalar::uniform_u32,
                                                   &diaggauss::scalar::count_above);
    std::vector<std::uint32_t> words = {0u, 1u, 0xFFFFFFFFu, 0xFFFFFFFEu};
    for (double c : cum) {
      const double centre = c * 0x1p32;
      for (int d = -3; d <= 3; ++d) {
        const double x = centre + d;
        if (x >= 0 && x <= 4294967295.0) words.push_back(static_cast<std::uint32_t>(x));
      }
    }
    for (std::uint32_t x : words) EXPECT_EQ(sel.label_of(x), rule(cum, x)) << "word " << x;
  }
}

// select() over real points, any first point (P % 4 != 0 included), any count, equals the rule.
TEST(ComponentSelect, SelectEqualsTheRuleOnRealPoints) {
  const std::uint64_t seed = 0x1234'5678'9ABC'DEF0ull, stream = 3;
  for (const auto& w : kWeightSets) {
    const auto cum = running_sums(w);
    const diaggauss::detail::ComponentSelector sel(w.data(), w.size(), &diaggauss::scalar::uniform_u32,
                                                   &diaggauss::scalar::count_above);
    for (std::uint64_t first : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{6}, ~std::uint64_t{0} - 100}) {
      for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{33}, std::size_t{101}}) {
        std::vector<std::uint32_t> lab(n + 1, 0xDEADBEEFu);
        sel.select(seed, stream, first, n, lab.data());
        for (std::size_t i = 0; i < n; ++i)
          ASSERT_EQ(lab[i], rule(cum, word_of_point(seed, stream, first + i))) << "point " << first + i;
        EXPECT_EQ(lab[n], 0xDEADBEEFu) << "wrote past count";
      }
    }
  }
}

// 2^20 points through the batched Philox: every batch position and both label paths.
TEST(ComponentSelect, LongRunEqualsTheRule) {
  const std::uint64_t seed = 99, stream = 0;
  const std::size_t n = std::size_t{1} << 20;
  for (const auto& w : kWeightSets) {
    const auto cum = running_sums(w);
    const diaggauss::detail::ComponentSelector sel(w.data(), w.size(), &diaggauss::scalar::uniform_u32,
                                                   &diaggauss::scalar::count_above);
    std::vector<std::uint32_t> lab(n);
    sel.select(seed, stream, 5, n, lab.data());
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(lab[i], rule(cum, word_of_point(seed, stream, 5 + i)));
  }
}

// The public entry point hands out the same labels, whatever the chunking of the call.
TEST(ComponentSelect, SampleGmmLabelsFollowTheRuleInAnyChunking) {
  const std::vector<double> weights = {0.2, 0.5, 0.3}, means(6, 0.0), sd(6, 1.0);
  const auto cum = running_sums(weights);
  const std::size_t n = 1000;
  std::vector<double> out(2 * n);
  std::vector<std::uint32_t> lab(n);
  for (std::size_t split : {std::size_t{1}, std::size_t{7}, std::size_t{500}, n}) {
    for (std::size_t p0 = 0; p0 < n; p0 += split) {
      const std::size_t r = std::min(split, n - p0);
      ASSERT_EQ(DG_OK, dg_sample_gmm_f64(7, 1, 11 + p0, r, 2, 3, weights.data(), means.data(), sd.data(),
                                         out.data() + 2 * p0, lab.data() + p0));
    }
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(lab[i], rule(cum, word_of_point(7, 1, 11 + i)));
  }
}

}  // namespace

namespace {

// Labels of points 0..n-1 of a sample_gmm call with dim 1 (labels only matter here).
template <class T>
int gmm_labels(const std::vector<T>& w, std::size_t n, std::vector<std::uint32_t>& lab) {
  std::vector<T> means(w.size(), T(0)), sd(w.size(), T(1)), out(n);
  lab.assign(n, 0xDEADBEEFu);
  if constexpr (sizeof(T) == 8)
    return dg_sample_gmm_f64(5, 2, 0, n, 1, w.size(), w.data(), means.data(), sd.data(), out.data(), lab.data());
  else
    return dg_sample_gmm_f32(5, 2, 0, n, 1, w.size(), w.data(), means.data(), sd.data(), out.data(), lab.data());
}

template <class T>
void expect_rule(const std::vector<T>& w, const std::vector<std::uint32_t>& lab) {
  const auto cum = running_sums(std::vector<double>(w.begin(), w.end()));
  for (std::size_t i = 0; i < lab.size(); ++i) ASSERT_EQ(lab[i], rule(cum, word_of_point(5, 2, i))) << "point " << i;
}

}  // namespace

// The selector remembers the last weights of each thread (src/component_select.hpp): a call must follow the
// weights it is given, whether they are new, the previous ones again, or the same array changed in place.
TEST(ComponentSelect, RepeatedCallsFollowTheCurrentWeights) {
  std::vector<std::uint32_t> lab;
  std::vector<double> a = {0.2, 0.5, 0.3}, b = {0.6, 0.1, 0.3};
  for (const auto* w : {&a, &a, &b, &a}) {
    ASSERT_EQ(DG_OK, gmm_labels(*w, 500, lab));
    expect_rule(*w, lab);
  }
  a[1] = 0.05;  // changed in place: same pointer, new values
  ASSERT_EQ(DG_OK, gmm_labels(a, 500, lab));
  expect_rule(a, lab);
  // Same bytes, other type: the double 1.0 is the floats {0, 1.875} (little-endian), a mixture whose points
  // all take component 1, not the one-component mixture's 0.
  std::vector<double> one = {1.0};
  std::vector<float> two(2);
  std::memcpy(two.data(), one.data(), sizeof(double));
  ASSERT_EQ(DG_OK, gmm_labels(one, 64, lab));
  ASSERT_EQ(DG_OK, gmm_labels(two, 64, lab));
  for (std::uint32_t l : lab) ASSERT_EQ(l, 1u);
}

// Validation is skipped only for weights equal to the last valid ones: a weight made invalid in place is refused.
TEST(ComponentSelect, RememberedWeightsDoNotHideInvalidOnes) {
  std::vector<std::uint32_t> lab;
  std::vector<double> w = {0.2, 0.5, 0.3};
  ASSERT_EQ(DG_OK, gmm_labels(w, 16, lab));
  for (double bad : {-0.25, std::nan(""), HUGE_VAL}) {
    w[1] = bad;
    EXPECT_EQ(DG_E_BAD_WEIGHTS, gmm_labels(w, 16, lab)) << bad;
    w[1] = 0.5;
    ASSERT_EQ(DG_OK, gmm_labels(w, 16, lab));
  }
}

// Each thread has its own remembered weights: two threads alternating between their own mixtures never see the
// other's thresholds.
TEST(ComponentSelect, ThreadsKeepTheirOwnWeights) {
  const std::vector<double> w1 = {0.9, 0.1}, w2 = {0.1, 0.2, 0.7};
  std::atomic<int> failures{0};
  const auto run = [&](const std::vector<double>& w) {
    const auto cum = running_sums(w);
    std::vector<std::uint32_t> lab;
    for (int r = 0; r < 200; ++r) {
      if (gmm_labels(w, 64, lab) != DG_OK) ++failures;
      for (std::size_t i = 0; i < lab.size(); ++i)
        if (lab[i] != rule(cum, word_of_point(5, 2, i))) ++failures;
    }
  };
  std::thread t1(run, std::cref(w1)), t2(run, std::cref(w2));
  t1.join();
  t2.join();
  EXPECT_EQ(failures.load(), 0);
}
