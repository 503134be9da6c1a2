// Component choice of dg_sample_gmm (docs/random-stream.md, "Mixture sampling"): point P reads word P % 4 of
// Philox block 2^63 + P / 4 and takes the first component k with u < cum[k], u = (word + 0.5) * 2^-32.
// The words come from the active implementation's vectorised raw-word kernel (identical bits everywhere);
// integer thresholds turn the comparison into "word >= t_k" exactly, so choosing needs no floating point.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace diaggauss::detail {

class ComponentSelector {
 public:
  using WordKernel = void (*)(std::uint64_t seed, std::uint64_t stream, std::uint64_t block_base,
                              std::uint64_t offset, std::size_t n, std::uint32_t* out);
  using CountKernel = void (*)(std::uint32_t* labels, std::size_t count, std::uint32_t always, const std::uint32_t* t,
                               std::size_t nt);
  // weights: ncomp >= 1 validated mixture weights (float or double); words and count: a KernelTable's
  // uniform_u32 and count_above.
  template <class T>
  ComponentSelector(const T* weights, std::size_t ncomp, WordKernel words, CountKernel count);
  // labels[i] = component of point first_point + i, i < count.
  void select(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_point, std::size_t count,
              std::uint32_t* labels) const;
  // The component a selection word picks.
  std::uint32_t label_of(std::uint32_t word) const;

 private:
  // t[k]: smallest word whose u reaches cum[k]; label = #{k < K-1 : word >= t[k]} (2^32 where none does).
  std::vector<std::uint64_t> thresholds_;
  WordKernel words_;
  CountKernel count_;
};

}  // namespace diaggauss::detail
