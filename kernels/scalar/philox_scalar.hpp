// Scalar Philox4x32-10 and the scalar form of the sampling recipe (kernels/common/normal_recipe.hpp).
// Included only by baseline (no ISA flags) translation units: the oracle every vector path is tested against.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels/common/normal_recipe.hpp"

namespace diaggauss::scalar {

struct PhiloxBlock {
  std::uint32_t w[4];
};

inline PhiloxBlock philox4x32_10(std::uint32_t c0, std::uint32_t c1, std::uint32_t c2, std::uint32_t c3,
                                 std::uint32_t k0, std::uint32_t k1) {
  for (int round = 0; round < recipe::kPhiloxRounds; ++round) {
    if (round > 0) {
      k0 += recipe::kPhiloxW0;
      k1 += recipe::kPhiloxW1;
    }
    const std::uint64_t p0 = std::uint64_t{recipe::kPhiloxM0} * c0;
    const std::uint64_t p1 = std::uint64_t{recipe::kPhiloxM1} * c2;
    const std::uint32_t n0 = static_cast<std::uint32_t>(p1 >> 32) ^ c1 ^ k0;
    const std::uint32_t n2 = static_cast<std::uint32_t>(p0 >> 32) ^ c3 ^ k1;
    c1 = static_cast<std::uint32_t>(p1);
    c3 = static_cast<std::uint32_t>(p0);
    c0 = n0;
    c2 = n2;
  }
  return {{c0, c1, c2, c3}};
}

// Block `block` of stream `stream` under key `seed` (the contract's key and counter layout).
inline PhiloxBlock philox_block(std::uint64_t seed, std::uint64_t stream, std::uint64_t block) {
  return philox4x32_10(static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(block >> 32),
                       static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(stream >> 32),
                       static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32));
}

inline double f64_from_bits(std::uint64_t b) {
  double d;
  std::memcpy(&d, &b, sizeof d);
  return d;
}
inline std::uint64_t bits_from_f64(double d) {
  std::uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}
inline float f32_from_bits(std::uint32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}
inline std::uint32_t bits_from_f32(float f) {
  std::uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}

inline double recipe_log(double u) {
  namespace R = recipe::f64;
  const std::uint64_t bits = bits_from_f64(u);
  std::int64_t e = static_cast<std::int64_t>(bits >> 52) - R::kBias;
  const std::uint64_t mant = bits & R::kMantMask;
  const bool big = mant > R::kSqrt2Mant;
  const double m = f64_from_bits(mant | (big ? R::kHalfBits : R::kOneBits));
  e += big ? 1 : 0;
  const double f = m - 1.0;
  const double s = f / (2.0 + f);
  const double z = s * s;
  double p = R::kLog[6];
  for (int i = 5; i >= 0; --i) p = std::fma(p, z, R::kLog[i]);
  const double r = p * z;
  const double hfsq = (0.5 * f) * f;
  const double lp = f - (hfsq - s * (hfsq + r));
  const double E = static_cast<double>(e);
  return std::fma(E, R::kLn2Hi, std::fma(E, R::kLn2Lo, lp));
}

inline float recipe_log(float u) {
  namespace R = recipe::f32;
  const std::uint32_t bits = bits_from_f32(u);
  std::int32_t e = static_cast<std::int32_t>(bits >> 23) - R::kBias;
  const std::uint32_t mant = bits & R::kMantMask;
  const bool big = mant > R::kSqrt2Mant;
  const float m = f32_from_bits(mant | (big ? R::kHalfBits : R::kOneBits));
  e += big ? 1 : 0;
  const float f = m - 1.0f;
  const float s = f / (2.0f + f);
  const float z = s * s;
  float p = R::kLog[3];
  for (int i = 2; i >= 0; --i) p = std::fma(p, z, R::kLog[i]);
  const float r = p * z;
  const float hfsq = (0.5f * f) * f;
  const float lp = f - (hfsq - s * (hfsq + r));
  const float E = static_cast<float>(e);
  return std::fma(E, R::kLn2Hi, std::fma(E, R::kLn2Lo, lp));
}

// (cos, sin) of the full angle (q + r) * pi/2.
template <class T, std::size_t NS, std::size_t NC>
inline void recipe_sincos(T r, unsigned q, const T (&ks)[NS], const T (&kc)[NC], T& c_out, T& s_out) {
  const T x2 = r * r;
  T ps = ks[NS - 1];
  for (std::size_t i = NS - 1; i-- > 0;) ps = std::fma(ps, x2, ks[i]);
  const T S = r * ps;
  T pc = kc[NC - 1];
  for (std::size_t i = NC - 1; i-- > 0;) pc = std::fma(pc, x2, kc[i]);
  const T C = std::fma(pc, x2, T(1));
  switch (q & 3u) {
    case 0: c_out = C; s_out = S; break;
    case 1: c_out = -S; s_out = C; break;
    case 2: c_out = -C; s_out = -S; break;
    default: c_out = S; s_out = -C; break;
  }
}

// The two double normals of one block: z[0] = index 2j, z[1] = index 2j+1.
inline void normals_f64(const PhiloxBlock& blk, double z[2]) {
  namespace R = recipe::f64;
  const std::uint64_t a = blk.w[0] | (std::uint64_t{blk.w[1]} << 32);
  const std::uint64_t b = blk.w[2] | (std::uint64_t{blk.w[3]} << 32);
  const double u1 = 2.0 - f64_from_bits(R::kOneBits | (a >> 12));
  const std::uint64_t t = (b >> 10) + (std::uint64_t{1} << 51);
  const unsigned q = static_cast<unsigned>(t >> 52) & 3u;
  const double r = f64_from_bits(R::kOneBits | (t & R::kMantMask)) - 1.5;
  const double rho = std::sqrt(-2.0 * recipe_log(u1));
  double c, s;
  recipe_sincos(r, q, R::kSin, R::kCos, c, s);
  z[0] = rho * c;
  z[1] = rho * s;
}

// The four float normals of one block: z[k] = index 4j + k.
inline void normals_f32(const PhiloxBlock& blk, float z[4]) {
  namespace R = recipe::f32;
  for (int pair = 0; pair < 2; ++pair) {
    const std::uint32_t we = blk.w[2 * pair], wo = blk.w[2 * pair + 1];
    const float u1 = 2.0f - f32_from_bits(R::kOneBits | (we >> 9));
    const std::uint32_t t = (wo >> 7) + (std::uint32_t{1} << 22);
    const unsigned q = (t >> 23) & 3u;
    const float r = f32_from_bits(R::kOneBits | (t & R::kMantMask)) - 1.5f;
    const float rho = std::sqrt(-2.0f * recipe_log(u1));
    float c, s;
    recipe_sincos(r, q, R::kSin, R::kCos, c, s);
    z[2 * pair] = rho * c;
    z[2 * pair + 1] = rho * s;
  }
}

inline double uniform_f64_from_words(std::uint32_t lo, std::uint32_t hi) {
  const std::uint64_t a = lo | (std::uint64_t{hi} << 32);
  return (f64_from_bits(recipe::f64::kOneBits | (a >> 12)) - 1.0) + 0x1p-53;
}
inline float uniform_f32_from_word(std::uint32_t w) {
  return (f32_from_bits(recipe::f32::kOneBits | (w >> 9)) - 1.0f) + 0x1p-24f;
}

}  // namespace diaggauss::scalar
