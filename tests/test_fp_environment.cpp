// The library runs in the caller's floating-point environment (docs/numerics.md): it neither sets nor restores
// MXCSR (x86) / FPCR (aarch64).  These tests show exactly which results depend on it, on every implementation:
//   - flush-to-zero / denormals-are-zero change results that are subnormal (a whitened value below DBL_MIN, a
//     sample mean + stddev * z in the subnormal range) and nothing else: the random stream is unchanged;
//   - a non-default rounding mode changes the last bits, and the solve family stays bit-identical to the same
//     IEEE operations done in that mode.
#include <cfenv>
#include <cfloat>
#include <cstdint>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

#include "diaggauss/diaggauss.h"
#include "tests/impl_fixture.hpp"
#include "tests/test_util.hpp"

namespace diaggauss::test {
namespace {

// Sets flush-to-zero and denormals-are-zero for the lifetime of the object (x86: MXCSR FTZ|DAZ; aarch64: FPCR.FZ,
// which does both), restoring the previous state after.
class FlushSubnormals {
 public:
  FlushSubnormals() {
#if defined(__x86_64__) || defined(__i386__)
    saved_ = _mm_getcsr();
    _mm_setcsr(saved_ | 0x8040u);  // FTZ (bit 15) | DAZ (bit 6)
#elif defined(__aarch64__)
    __asm__ __volatile__("mrs %0, fpcr" : "=r"(saved_));
    const std::uint64_t fz = saved_ | (std::uint64_t{1} << 24);
    __asm__ __volatile__("msr fpcr, %0" : : "r"(fz));
#endif
  }
  ~FlushSubnormals() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_setcsr(saved_);
#elif defined(__aarch64__)
    __asm__ __volatile__("msr fpcr, %0" : : "r"(saved_));
#endif
  }
  static constexpr bool supported() {
#if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__)
    return true;
#else
    return false;
#endif
  }

 private:
#if defined(__aarch64__)
  std::uint64_t saved_ = 0;
#else
  unsigned saved_ = 0;
#endif
};

class RoundingMode {
 public:
  explicit RoundingMode(int mode) : saved_(std::fegetround()) { ok_ = std::fesetround(mode) == 0; }
  ~RoundingMode() { std::fesetround(saved_); }
  bool ok() const { return ok_; }

 private:
  int saved_;
  bool ok_ = false;
};

class FpEnvironment : public ForcedImplTest {
 protected:
  void SetUp() override {
    if (!FlushSubnormals::supported()) GTEST_SKIP() << "no FTZ/DAZ control on this architecture";
    ForcedImplTest::SetUp();
  }
};

TEST_P(FpEnvironment, FlushToZeroChangesOnlySubnormalResults) {
  const std::size_t n = 37;  // vector bodies and a tail
  // whiten: X subnormal, stddev the smallest normal -> Z = X / DBL_MIN, a normal number, unless DAZ reads X as 0.
  std::vector<double> X(n), mean(n, 0.0), sd(n, DBL_MIN), Z(n), Zf(n);
  for (std::size_t i = 0; i < n; ++i) X[i] = DBL_MIN * (0.25 + 0.01 * i);  // all subnormal
  ASSERT_EQ(dg_whiten_f64(1, n, X.data(), mean.data(), sd.data(), Z.data()), DG_OK) << dg_last_error();
  {
    FlushSubnormals ftz;
    ASSERT_EQ(dg_whiten_f64(1, n, X.data(), mean.data(), sd.data(), Zf.data()), DG_OK) << dg_last_error();
  }
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(Z[i], X[i] / DBL_MIN) << i;  // default environment: exact IEEE
    EXPECT_EQ(Zf[i], 0.0) << i;            // DAZ: the subnormal input was read as 0
  }

  // Sampling: the stream (uniforms, normals) is identical under FTZ/DAZ over many values; a result in the
  // subnormal range is flushed.
  const std::size_t big = 1 << 16;
  std::vector<double> z(big), zf(big), u(big), uf(big);
  std::vector<float> z32(big), z32f(big), u32(big), u32f(big);
  ASSERT_EQ(dg_normal_f64(7, 3, 0, big, z.data()), DG_OK);
  ASSERT_EQ(dg_normal_f32(7, 3, 0, big, z32.data()), DG_OK);
  ASSERT_EQ(dg_uniform_f64(7, 3, 0, big, u.data()), DG_OK);
  ASSERT_EQ(dg_uniform_f32(7, 3, 0, big, u32.data()), DG_OK);
  std::vector<double> s(n), sf(n), m0(n, 0.0), sdmin(n, DBL_MIN);
  ASSERT_EQ(dg_sample_diag_f64(7, 3, 0, 1, n, m0.data(), sdmin.data(), s.data()), DG_OK);
  {
    FlushSubnormals ftz;
    ASSERT_EQ(dg_normal_f64(7, 3, 0, big, zf.data()), DG_OK);
    ASSERT_EQ(dg_normal_f32(7, 3, 0, big, z32f.data()), DG_OK);
    ASSERT_EQ(dg_uniform_f64(7, 3, 0, big, uf.data()), DG_OK);
    ASSERT_EQ(dg_uniform_f32(7, 3, 0, big, u32f.data()), DG_OK);
    ASSERT_EQ(dg_sample_diag_f64(7, 3, 0, 1, n, m0.data(), sdmin.data(), sf.data()), DG_OK);
  }
  DG_EXPECT_BITS_EQ(z.data(), zf.data(), big);
  DG_EXPECT_BITS_EQ(z32.data(), z32f.data(), big);
  DG_EXPECT_BITS_EQ(u.data(), uf.data(), big);
  DG_EXPECT_BITS_EQ(u32.data(), u32f.data(), big);
  int flushed = 0;
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(s[i], DBL_MIN * z[i]) << i;  // 0 + DBL_MIN * z, exact in the default environment
    if (std::fabs(z[i]) < 1) {
      EXPECT_EQ(sf[i], 0.0) << i;  // |DBL_MIN * z| < DBL_MIN: subnormal, flushed
      ++flushed;
    } else {
      EXPECT_EQ(sf[i], s[i]) << i;  // normal: unchanged
    }
  }
  EXPECT_GT(flushed, 0) << "no |z| < 1 among the first " << n << " normals";
}

TEST_P(FpEnvironment, RoundingModeIsTheCallersAndSolveStaysExact) {
  const std::size_t n = 41;
  std::vector<double> d(n), b(n), x(n), xz(n);
  std::mt19937_64 rng(9);
  fill_nonzero(d.data(), n, rng);
  fill_uniform(b.data(), n, rng, -5, 5);
  ASSERT_EQ(dg_solve_diag_f64(n, d.data(), b.data(), x.data(), nullptr), DG_OK);
  std::vector<double> want(n);
  {
    RoundingMode rz(FE_TOWARDZERO);
    if (!rz.ok()) GTEST_SKIP() << "fesetround(FE_TOWARDZERO) unsupported";
    ASSERT_EQ(dg_solve_diag_f64(n, d.data(), b.data(), xz.data(), nullptr), DG_OK);
    volatile double vb, vd;  // keep the reference division at run time, in this rounding mode
    for (std::size_t i = 0; i < n; ++i) {
      vb = b[i];
      vd = d[i];
      want[i] = vb / vd;
    }
  }
  DG_EXPECT_BITS_EQ(xz.data(), want.data(), n);
  int differ = 0;
  for (std::size_t i = 0; i < n; ++i) differ += x[i] != xz[i];
  EXPECT_GT(differ, 0) << "round-toward-zero changed no quotient: the dependence is not shown";
}

DG_INSTANTIATE_ALL_IMPLS(FpEnvironment);

}  // namespace
}  // namespace diaggauss::test
