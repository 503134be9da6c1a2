#include "src/component_select.hpp"

#include <algorithm>
#include <cmath>

#include "kernels/common/kernel_table.hpp"
#include "kernels/common/normal_recipe.hpp"

namespace diaggauss::detail {
namespace {

constexpr std::uint64_t kNoWord = std::uint64_t{1} << 32;  // above every 32-bit word

// Smallest w in [0, 2^32] with (w + 0.5) * 2^-32 >= c (then u >= c exactly when word >= w).  w + 0.5 and
// c * 2^32 are exact doubles, so the comparisons below decide exactly; the estimate only needs to be close.
std::uint64_t threshold(double c) {
  const double scaled = c * 0x1p32;
  const auto reaches = [scaled](std::uint64_t w) { return static_cast<double>(w) + 0.5 >= scaled; };
  double est = std::ceil(scaled - 0.5);
  est = std::min(std::max(est, 0.0), static_cast<double>(kNoWord));
  auto w = static_cast<std::uint64_t>(est);
  while (w > 0 && reaches(w - 1)) --w;
  while (w < kNoWord && !reaches(w)) ++w;
  return w;
}

}  // namespace

template <class T>
ComponentSelector::ComponentSelector(const T* weights, std::size_t ncomp, WordKernel words, CountKernel count)
    : words_(words), count_(count) {
  // cum[k]: the normalised running sums, in long double and rounded once.  The last one is 1 by definition,
  // which no u < 1 reaches: it never counts, so it gets no threshold.
  long double sum = 0, total = 0;
  for (std::size_t k = 0; k < ncomp; ++k) total += weights[k];
  // One allocation, not push_back's four for K = 8 (with them the set-up was 15 % of a 64-point sample_gmm).
  thresholds_.reserve(ncomp > 0 ? ncomp - 1 : 0);
  for (std::size_t k = 0; k + 1 < ncomp; ++k)
    thresholds_.push_back(threshold(static_cast<double>((sum += weights[k]) / total)));
}

template ComponentSelector::ComponentSelector(const float*, std::size_t, WordKernel, CountKernel);
template ComponentSelector::ComponentSelector(const double*, std::size_t, WordKernel, CountKernel);

std::uint32_t ComponentSelector::label_of(std::uint32_t word) const {
  return static_cast<std::uint32_t>(std::upper_bound(thresholds_.begin(), thresholds_.end(), std::uint64_t{word}) -
                                    thresholds_.begin());
}

void ComponentSelector::select(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_point,
                               std::size_t count, std::uint32_t* labels) const {
  // The words land in labels first and are replaced by their components in place.
  words_(seed, stream, recipe::kSelectionBlockBase, first_point, count, labels);
  if (thresholds_.size() > kMaxCountThresholds) {
    for (std::size_t i = 0; i < count; ++i) labels[i] = label_of(labels[i]);
    return;
  }
  // Small mixtures: the implementation's count_above, one pass over the words, each word compared with every
  // threshold held in registers.  It replaced one pass per threshold over a copy of the words, which cost twice as
  // much (perf, sample_gmm f32, dim 16, K = 8 on Zen 3: 5.5 % of the call).  "word >= t" is "word > t - 1" for
  // 1 <= t <= 2^32 - 1; t == 0 always counts and t == 2^32 never does.
  std::uint32_t always = 0, t_minus_1[kMaxCountThresholds];
  std::size_t nt = 0;
  for (std::uint64_t t : thresholds_) {
    if (t == 0) ++always;
    else if (t < kNoWord) t_minus_1[nt++] = static_cast<std::uint32_t>(t - 1);
  }
  count_(labels, count, always, t_minus_1, nt);
}

}  // namespace diaggauss::detail
