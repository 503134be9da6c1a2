// How far sse4's normals (no FMA instruction: separate multiply and add where the recipe has a fused one) are from
// every other implementation's, measured over 2^21 normals per type, and held to the bound README.md and
// docs/random-stream.md state.  Implementations with FMA are held to 0 over a short run only (2^12 normals): their
// long bit-identity runs are tests/test_kernels_sample.cpp's, and this keeps the qemu stages fast.  (Not a skip:
// the qemu_* checks read a skipped test of an ISA as "the CPU detector did not see that ISA".)
// Two measures, both against the scalar oracle's value `want`:
//   ulp      |got - want| / ulp(want), ulp(x) = the spacing of T at |x| (the honest per-value figure);
//   ulp_abs  |got - want| / (eps * max(|want|, 1)) (what tests/test_kernels_sample.cpp bounds at 8).
#include <cmath>
#include <cstdio>
#include <limits>

#include "tests/impl_fixture.hpp"

namespace diaggauss::test {
namespace {

// The bounds README.md states for sse4: the maxima measured here (stream version 2, 2026-12-07, seed 20261207,
// stream 1, normals 12345 .. 12345 + 2^21 - 1; the same on every x86 CPU, the arithmetic being IEEE): f64 3 ulp /
// 1.86, f32 3 ulp / 1.99 (version 1: 3 / 1.94 and 3 / 1.99).  Measured, not proven: another range may show a
// larger difference, and then this is the test to widen.
constexpr double kSse4UlpBound = 3;     // ulp of the value itself
constexpr double kSse4UlpAbsBound = 2;  // relative to max(|value|, 1)

constexpr std::size_t kCount = std::size_t{1} << 21;

template <class T>
double ulp_of(T x) {
  const T a = std::fabs(x);
  return static_cast<double>(std::nextafter(a, std::numeric_limits<T>::infinity()) - a);
}

class Sse4NormalBound : public ImplTest {
 protected:
  template <class T>
  static const SampleKernels<T>& kernels(const KernelTable& t) {
    if constexpr (sizeof(T) == 8) return t.sample64; else return t.sample32;
  }
  template <class T>
  void measure(std::size_t count, double& max_ulp, double& max_ulp_abs) {
    // The oracle's 2^21 normals are computed once per type for all three sse4 families (this test also runs under
    // qemu); a short run computes its own.
    std::vector<T> short_want;
    const T* want;
    if (count == kCount) {
      static const std::vector<T> long_want = [this] {
        std::vector<T> v(kCount);
        kernels<T>(oracle()).normal(20261207, 1, 12345, kCount, v.data(), Blocking{});
        return v;
      }();
      want = long_want.data();
    } else {
      short_want.resize(count);
      kernels<T>(oracle()).normal(20261207, 1, 12345, count, short_want.data(), Blocking{});
      want = short_want.data();
    }
    std::vector<T> got(count);
    kernels<T>(table()).normal(20261207, 1, 12345, count, got.data(), blocking());
    max_ulp = max_ulp_abs = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const double d = std::fabs(static_cast<double>(got[i]) - static_cast<double>(want[i]));
      max_ulp = std::max(max_ulp, d / ulp_of(want[i]));
      max_ulp_abs = std::max(max_ulp_abs, d / (std::numeric_limits<T>::epsilon() *
                                               std::max(1.0, std::fabs(static_cast<double>(want[i])))));
    }
  }
  template <class T>
  void check(const char* type) {
    double ulp = 0, ulp_abs = 0;
    if (fma_exact()) {
      measure<T>(std::size_t{1} << 12, ulp, ulp_abs);
      EXPECT_EQ(ulp, 0.0) << "an implementation with FMA must be bit-identical to the scalar oracle";
      return;
    }
    measure<T>(kCount, ulp, ulp_abs);
    std::printf("[ sse4 bound ] %s %s: max %.3g ulp, %.3g ulp of max(|z|, 1) over 2^21 normals\n",
                GetParam()->name, type, ulp, ulp_abs);
    EXPECT_LE(ulp, kSse4UlpBound);
    EXPECT_LE(ulp_abs, kSse4UlpAbsBound);
    EXPECT_GT(ulp, 0.0) << "sse4 without FMA was expected to differ somewhere; if it no longer does, say so in README";
  }
};

TEST_P(Sse4NormalBound, F64) { check<double>("f64"); }
TEST_P(Sse4NormalBound, F32) { check<float>("f32"); }

DG_INSTANTIATE_ALL_IMPLS(Sse4NormalBound);

}  // namespace
}  // namespace diaggauss::test
