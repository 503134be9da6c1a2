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

// LOG of stream v2 (kernels/common/normal_recipe.hpp), u in [2^-52, 1].
inline double recipe_log(double u) {
  namespace R = recipe::f64;
  const std::uint64_t ix = bits_from_f64(u) + R::kLogReduce;
  const double E = f64_from_bits((ix >> 52) | R::kExpMagicBits) - R::kExpMagic;
  const double m = f64_from_bits((ix & R::kMantMask) + R::kSqrtHalfBits);
  const double f = m - 1.0;
  const double s = f / (m + 1.0);
  const double z = s * s;
  double p = R::kLogAtanh[6];
  for (int i = 5; i >= 0; --i) p = std::fma(p, z, R::kLogAtanh[i]);
  const double lp = std::fma(s * z, p, s + s);
  return std::fma(E, R::kLn2Hi, std::fma(E, R::kLn2Lo, lp));
}

// LOG of stream v2, u in [2^-23, 1].
inline float recipe_log(float u) {
  namespace R = recipe::f32;
  const std::uint32_t ix = bits_from_f32(u) + R::kLogReduce;
  const float E = f32_from_bits((ix >> 23) | R::kExpMagicBits) - R::kExpMagic;
  const float m = f32_from_bits((ix & R::kMantMask) + R::kSqrtHalfBits);
  const float f = m - 1.0f;
  const float s = f / (m + 1.0f);
  const float z = s * s;
  float p = R::kLogAtanh[2];
  for (int i = 1; i >= 0; --i) p = std::fma(p, z, R::kLogAtanh[i]);
  const float lp = std::fma(s * z, p, s + s);
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

// One double pair: radius word a (64 bits), angle word w (32 bits) -> z[0] = rho * c, z[1] = rho * s.
inline void normal_pair_f64(std::uint64_t a, std::uint32_t w, double z[2]) {
  namespace R = recipe::f64;
  const double u1 = 2.0 - f64_from_bits(R::kOneBits | (a >> 12));
  const std::uint32_t t = w + R::kAngleHalfQuarter;  // modulo 2^32
  const unsigned q = t >> 30;
  const double r = f64_from_bits(R::kOneBits | (std::uint64_t{t & ((1u << 30) - 1)} << 22)) - 1.5;
  const double rho = std::sqrt(-2.0 * recipe_log(u1));
  recipe_sincos(r, q, R::kSin, R::kCos, z[0], z[1]);
  z[0] = rho * z[0];
  z[1] = rho * z[1];
}

// The eight double normals of a triple of blocks (A, B, C) = (3t, 3t+1, 3t+2): z[2p], z[2p+1] = pair p.
inline void normals_f64_triple(const PhiloxBlock& A, const PhiloxBlock& B, const PhiloxBlock& C, double z[8]) {
  const std::uint64_t radius[4] = {A.w[0] | (std::uint64_t{A.w[1]} << 32), A.w[2] | (std::uint64_t{A.w[3]} << 32),
                                   B.w[0] | (std::uint64_t{B.w[1]} << 32), B.w[2] | (std::uint64_t{B.w[3]} << 32)};
  for (int p = 0; p < 4; ++p) normal_pair_f64(radius[p], C.w[p], z + 2 * p);
}

// The four float normals of one block: z[0..3] = rho0*c0, rho0*s0, rho1*c1, rho1*s1.
inline void normals_f32_block(const PhiloxBlock& blk, float z[4]) {
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

// The 64 normals of chunk c in index order (lane-major: normal 64c + i is output i >> 3 of triple 8c + (i & 7)
// for double, output i >> 4 of block 16c + (i & 15) for float).  Chunk numbers are taken modulo the chunks of the
// 2^64 normal indices (2^58), so triples stay below 2^61 and blocks below 3 * 2^61 (double) and 2^62 (float).
inline void normal_chunk_f64(std::uint64_t seed, std::uint64_t stream, std::uint64_t chunk, double out[64]) {
  chunk &= ~std::uint64_t{0} >> 6;
  for (unsigned lane = 0; lane < 8; ++lane) {
    const std::uint64_t t = chunk * 8 + lane;
    double z[8];
    normals_f64_triple(philox_block(seed, stream, 3 * t), philox_block(seed, stream, 3 * t + 1),
                       philox_block(seed, stream, 3 * t + 2), z);
    for (unsigned k = 0; k < 8; ++k) out[8 * k + lane] = z[k];
  }
}
inline void normal_chunk_f32(std::uint64_t seed, std::uint64_t stream, std::uint64_t chunk, float out[64]) {
  chunk &= ~std::uint64_t{0} >> 6;
  for (unsigned lane = 0; lane < 16; ++lane) {
    float z[4];
    normals_f32_block(philox_block(seed, stream, chunk * 16 + lane), z);
    for (unsigned k = 0; k < 4; ++k) out[16 * k + lane] = z[k];
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
