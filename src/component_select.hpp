// Component choice of dg_sample_gmm (docs/random-stream.md, "Mixture sampling"): point P reads word P % 4 of
// Philox block 2^63 + P / 4 and takes the first component k with u < cum[k], u = (word + 0.5) * 2^-32.
// The words come from the active implementation's vectorised raw-word kernel (identical bits everywhere);
// integer thresholds turn the comparison into "word >= t_k" exactly, so choosing needs no floating point.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace diaggauss::detail {

class ComponentSelector {
 public:
  using WordKernel = void (*)(std::uint64_t seed, std::uint64_t stream, std::uint64_t block_base,
                              std::uint64_t offset, std::size_t n, std::uint32_t* out);
  using CountKernel = void (*)(std::uint32_t* labels, std::size_t count, std::uint32_t always, const std::uint32_t* t,
                               std::size_t nt);
  // weights: ncomp >= 1 validated mixture weights (float or double); words and count: a KernelTable's
  // uniform_u32 and count_above.  The thresholds are remembered per thread for the last weights seen (below).
  template <class T>
  ComponentSelector(const T* weights, std::size_t ncomp, WordKernel words, CountKernel count);
  // Whether `weights` equal, value for value (bit for bit), the weights of the last selector built on this thread.
  // Those were validated before (the constructor's precondition), so dg_sample_gmm skips their validation too.
  // Why remember them: the thresholds cost ~100 ns for eight components (long double divisions and an exact
  // search per threshold) and the weights' check ~30 ns, together a third of a 16-point call, and a Monte
  // Carlo loop calls with the same weights every time.
  template <class T>
  static bool seen_last(const T* weights, std::size_t ncomp);
  // labels[i] = component of point first_point + i, i < count.
  void select(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_point, std::size_t count,
              std::uint32_t* labels) const;
  // The component a selection word picks.
  std::uint32_t label_of(std::uint32_t word) const;

 private:
  // t[k]: smallest word whose u reaches cum[k]; label = #{k < K-1 : word >= t[k]} (2^32 where none does).
  // Shared with this thread's cache entry (immutable once built), so a repeated call allocates nothing.
  std::shared_ptr<const std::vector<std::uint64_t>> thresholds_;
  WordKernel words_;
  CountKernel count_;
};

}  // namespace diaggauss::detail
