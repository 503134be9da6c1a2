// Small helpers for kernel tests: deterministic data, misaligned buffers with guard zones, bitwise comparison.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace diaggauss::test {

// The folder of the tests' known-answer files: $DG_TEST_DATA_DIR when set (the benchmark bundle carries the files
// and points there: bundle/run --tests), else tests/data of the source tree the binary was built from.
#ifdef DG_TEST_DATA_DIR
inline std::string test_data_dir() {
  const char* env = std::getenv("DG_TEST_DATA_DIR");
  return env && *env ? std::string(env) : std::string(DG_TEST_DATA_DIR);
}
#endif

// A buffer whose data() starts `misalign` elements after a 64-byte boundary, with guard elements on both sides
// filled with a sentinel so that any write outside [0, n) is detected.
template <class T>
class GuardedBuffer {
 public:
  static constexpr std::size_t kGuard = 32;
  GuardedBuffer(std::size_t n, std::size_t misalign) : n_(n) {
    storage_.resize(n + 2 * kGuard + 64 / sizeof(T) + misalign);
    const auto base = reinterpret_cast<std::uintptr_t>(storage_.data());
    const std::size_t skip = ((64 - base % 64) % 64) / sizeof(T);
    begin_ = skip + kGuard + misalign;
    std::memset(storage_.data(), 0xA5, storage_.size() * sizeof(T));
  }
  T* data() { return storage_.data() + begin_; }
  std::size_t size() const { return n_; }
  T& operator[](std::size_t i) { return data()[i]; }
  // True when no byte outside [0, n) changed.
  bool guards_intact() const {
    const unsigned char* b = reinterpret_cast<const unsigned char*>(storage_.data());
    const std::size_t lo = begin_ * sizeof(T), hi = (begin_ + n_) * sizeof(T);
    for (std::size_t i = 0; i < storage_.size() * sizeof(T); ++i)
      if ((i < lo || i >= hi) && b[i] != 0xA5) return false;
    return true;
  }

 private:
  std::vector<T> storage_;
  std::size_t n_, begin_ = 0;
};

template <class T>
void fill_uniform(T* p, std::size_t n, std::mt19937_64& rng, double lo, double hi) {
  std::uniform_real_distribution<double> dist(lo, hi);
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<T>(dist(rng));
}

// Non-zero values of both signs and widely varying magnitude (for diagonals and divisors).
template <class T>
void fill_nonzero(T* p, std::size_t n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> mag(-8, 8);
  std::bernoulli_distribution neg(0.3);
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<T>((neg(rng) ? -1.0 : 1.0) * std::exp2(mag(rng)) * 1.37);
}

// Index of the first element whose bits differ, or n.
template <class T>
std::size_t first_bit_mismatch(const T* a, const T* b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (std::memcmp(a + i, b + i, sizeof(T)) != 0) return i;
  return n;
}

#define DG_EXPECT_BITS_EQ(a, b, n)                                                                    \
  do {                                                                                                \
    const std::size_t dg_mm_ = ::diaggauss::test::first_bit_mismatch((a), (b), (n));                  \
    EXPECT_EQ(dg_mm_, (std::size_t)(n)) << "first bit mismatch at index " << dg_mm_ << ": "           \
                                        << ((dg_mm_ < (std::size_t)(n)) ? (double)(a)[dg_mm_] : 0.0)  \
                                        << " vs "                                                     \
                                        << ((dg_mm_ < (std::size_t)(n)) ? (double)(b)[dg_mm_] : 0.0); \
  } while (0)

}  // namespace diaggauss::test
