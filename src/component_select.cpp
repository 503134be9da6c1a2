#include "src/component_select.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

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

template <class T>
std::vector<std::uint64_t> thresholds_of(const T* weights, std::size_t ncomp) {
  // cum[k]: the normalised running sums, in long double and rounded once.  The last one is 1 by definition,
  // which no u < 1 reaches: it never counts, so it gets no threshold.
  long double sum = 0, total = 0;
  for (std::size_t k = 0; k < ncomp; ++k) total += weights[k];
  std::vector<std::uint64_t> t;
  t.reserve(ncomp > 0 ? ncomp - 1 : 0);  // one allocation (push_back's four for K = 8 showed in profiles)
  for (std::size_t k = 0; k + 1 < ncomp; ++k) t.push_back(threshold(static_cast<double>((sum += weights[k]) / total)));
  return t;
}

// This thread's last weights (their bytes and element size) and their thresholds.  Per thread, so no lock and
// no sharing between threads; one entry, so a program alternating between mixtures recomputes (as before).  Only
// mixtures of up to kRememberedComponents (64 KiB kept per thread at most): a larger one's set-up is a small part of
// any call that draws more points than it has components, and a copy of its weights would stay with the thread.
constexpr std::size_t kRememberedComponents = 4096;
struct LastWeights {
  std::size_t elem = 0;
  std::vector<unsigned char> bytes;
  std::shared_ptr<const std::vector<std::uint64_t>> thresholds;

  template <class T>
  bool same(const T* weights, std::size_t ncomp) const {
    return elem == sizeof(T) && bytes.size() == ncomp * sizeof(T) && ncomp > 0 &&
           std::memcmp(bytes.data(), weights, bytes.size()) == 0;
  }
};
thread_local LastWeights t_last;

}  // namespace

template <class T>
ComponentSelector::ComponentSelector(const T* weights, std::size_t ncomp, WordKernel words, CountKernel count)
    : words_(words), count_(count) {
  if (t_last.same(weights, ncomp)) {
    thresholds_ = t_last.thresholds;
    return;
  }
  thresholds_ = std::make_shared<const std::vector<std::uint64_t>>(thresholds_of(weights, ncomp));
  if (ncomp > kRememberedComponents) return;
  // Built aside, then swapped in (nothing throws after the copy): an allocation failure leaves the old entry whole.
  const auto* b = reinterpret_cast<const unsigned char*>(weights);
  std::vector<unsigned char> bytes(b, b + ncomp * sizeof(T));
  t_last.bytes.swap(bytes);
  t_last.elem = sizeof(T);
  t_last.thresholds = thresholds_;
}

template <class T>
bool ComponentSelector::seen_last(const T* weights, std::size_t ncomp) {
  return t_last.same(weights, ncomp);
}

template ComponentSelector::ComponentSelector(const float*, std::size_t, WordKernel, CountKernel);
template ComponentSelector::ComponentSelector(const double*, std::size_t, WordKernel, CountKernel);
template bool ComponentSelector::seen_last(const float*, std::size_t);
template bool ComponentSelector::seen_last(const double*, std::size_t);

std::uint32_t ComponentSelector::label_of(std::uint32_t word) const {
  const std::vector<std::uint64_t>& t = *thresholds_;
  return static_cast<std::uint32_t>(std::upper_bound(t.begin(), t.end(), std::uint64_t{word}) - t.begin());
}

void ComponentSelector::select(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_point,
                               std::size_t count, std::uint32_t* labels) const {
  // The words land in labels first and are replaced by their components in place.
  words_(seed, stream, recipe::kSelectionBlockBase, first_point, count, labels);
  if (thresholds_->size() > kMaxCountThresholds) {
    for (std::size_t i = 0; i < count; ++i) labels[i] = label_of(labels[i]);
    return;
  }
  // Small mixtures: the implementation's count_above, one pass over the words, each word compared with every
  // threshold held in registers.  It replaced one pass per threshold over a copy of the words, which cost twice as
  // much (perf, sample_gmm f32, dim 16, K = 8 on Zen 3: 5.5 % of the call).  "word >= t" is "word > t - 1" for
  // 1 <= t <= 2^32 - 1; t == 0 always counts and t == 2^32 never does.
  std::uint32_t always = 0, t_minus_1[kMaxCountThresholds];
  std::size_t nt = 0;
  for (std::uint64_t t : *thresholds_) {
    if (t == 0) ++always;
    else if (t < kNoWord) t_minus_1[nt++] = static_cast<std::uint32_t>(t - 1);
  }
  count_(labels, count, always, t_minus_1, nt);
}

}  // namespace diaggauss::detail
