// How far stream version 2's normals are from the exact transform of their words: the scalar oracle (which every
// FMA implementation equals bit for bit) against long double (double pairs) and double (float pairs) evaluations
// of rho * (cos, sin)(angle), over random words and the extreme ones (u1 at 2^-52 and next to 1, angles at and
// beside every quarter-turn boundary).  The measured maxima are printed and bounded: docs/random-stream.md quotes
// them.  (The mapping of indices to words is checked separately, against an independent implementation:
// tests/test_normal_v2_kat.cpp.)
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>

#include "kernels/scalar/philox_scalar.hpp"

namespace diaggauss::test {
namespace {

using scalar::normal_pair_f64;
using scalar::normals_f32_block;
using scalar::PhiloxBlock;

constexpr long double kPi = 3.141592653589793238462643383279502884L;

// Error in units of the last place of T at max(|exact|, 2^-4) (the error is relative to the radius; see the KAT).
template <class T>
long double ulps(T got, long double exact) {
  const long double scale = std::max(std::fabs(exact), 0.0625L);
  const long double ulp = std::ldexp(1.0L, std::ilogb(static_cast<T>(scale)) - std::numeric_limits<T>::digits + 1);
  return std::fabs(static_cast<long double>(got) - exact) / ulp;
}

// Random pairs: fewer where long double is software quad (aarch64), where 2^20 would take minutes under qemu.
#if defined(__x86_64__) || defined(__i386__)
constexpr int kRandomPairs = 1 << 20;
#else
constexpr int kRandomPairs = 1 << 15;
#endif

long double max_err_f64(std::uint64_t a, std::uint32_t w) {
  double z[2];
  normal_pair_f64(a, w, z);
  const long double u1 = 1.0L - std::ldexp(static_cast<long double>(a >> 12), -52);
  const long double rho = std::sqrt(-2.0L * std::log(u1));
  const long double theta = 2 * kPi * static_cast<long double>(w) / 4294967296.0L;
  return std::max(ulps(z[0], rho * std::cos(theta)), ulps(z[1], rho * std::sin(theta)));
}

long double max_err_f32(std::uint32_t we, std::uint32_t wo) {
  float z[4];
  normals_f32_block(PhiloxBlock{{we, wo, we, wo}}, z);
  const long double u1 = 1.0L - std::ldexp(static_cast<long double>(we >> 9), -23);
  const long double rho = std::sqrt(-2.0L * std::log(u1));
  const std::uint32_t t = (wo >> 7) + (1u << 22);
  const long double frac = std::ldexp(static_cast<long double>(t & 0x7FFFFF), -23);
  const long double theta = (((t >> 23) & 3) + frac - 0.5L) * kPi / 2;
  return std::max(ulps(z[0], rho * std::cos(theta)), ulps(z[1], rho * std::sin(theta)));
}

TEST(NormalV2Accuracy, DoublePairsWithinFourUlps) {
  std::mt19937_64 rng(20261207);
  long double worst = 0;
  for (int i = 0; i < kRandomPairs; ++i) worst = std::max(worst, max_err_f64(rng(), static_cast<std::uint32_t>(rng())));
  // Extremes: u1 = 2^-52, 1 - 2^-52, 1 and a few beside; angles on and beside the quarter turns and their middles.
  const std::uint64_t radii[] = {~std::uint64_t{0}, std::uint64_t{1} << 12, 0, std::uint64_t{3} << 12,
                                 std::uint64_t{1} << 63, (std::uint64_t{1} << 63) - 1};
  for (std::uint64_t a : radii)
    for (std::uint32_t q = 0; q < 8; ++q)
      for (std::int64_t d : {-2, -1, 0, 1, 2}) {
        const auto w = static_cast<std::uint32_t>(std::int64_t{q} * (std::int64_t{1} << 29) + d);
        worst = std::max(worst, max_err_f64(a, w));
      }
  std::printf("stream v2 double normals: max error %.3Lf ulp over %d random pairs and the extremes\n", worst,
              kRandomPairs);
  EXPECT_LE(worst, 4.0L);
}

TEST(NormalV2Accuracy, FloatPairsWithinFourUlps) {
  std::mt19937_64 rng(20261208);
  long double worst = 0;
  for (int i = 0; i < kRandomPairs; ++i)
    worst = std::max(worst, max_err_f32(static_cast<std::uint32_t>(rng()), static_cast<std::uint32_t>(rng())));
  const std::uint32_t radii[] = {0xFFFFFFFFu, 1u << 9, 0u, 3u << 9, 1u << 31, (1u << 31) - 1};
  for (std::uint32_t we : radii)
    for (std::uint32_t q = 0; q < 8; ++q)
      for (std::int64_t d : {-256, -128, 0, 128, 256}) {
        const auto wo = static_cast<std::uint32_t>(std::int64_t{q} * (std::int64_t{1} << 29) + d);
        worst = std::max(worst, max_err_f32(we, wo));
      }
  std::printf("stream v2 float normals: max error %.3Lf ulp over %d random pairs and the extremes\n", worst,
              kRandomPairs);
  EXPECT_LE(worst, 4.0L);
}

}  // namespace
}  // namespace diaggauss::test
