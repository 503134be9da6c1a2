// The sampling recipe, stream version 2 (docs/random-stream.md): the exact operation sequence that turns
// Philox4x32-10 words into uniforms and N(0,1) normals.  Every implementation follows it step for step, with the
// same FMA policy ("fma(a,b,c)" below is one fused multiply-add; every other operation is a separately rounded IEEE
// op), which is why all of them (except sse4, which has no FMA) return the same bits.  Constants only: no functions
// here, so that no per-ISA copy of an inline helper can leak into another ISA's code.  The transform itself is
// written once for the vector implementations (kernels/common/normal_v2_body.hpp) and once, plainly, in the scalar
// oracle (kernels/scalar/philox_scalar.hpp).
//
// Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC'11):
//   round:  (hi0, lo0) = M0 * c0;  (hi1, lo1) = M1 * c2   (32x32 -> 64-bit products)
//           c = { hi1 ^ c1 ^ k0,  lo1,  hi0 ^ c3 ^ k1,  lo0 };   then k0 += W0, k1 += W1 (no bump after the last)
//   key = {lo32(seed), hi32(seed)};  counter of block j = {lo32(j), hi32(j), lo32(stream), hi32(stream)}.
//
// Uniforms (dg_uniform_*), open interval (0, 1), exact (unchanged since version 1):
//   f64 i: a = word(2i) | word(2i+1) << 32;  u = (as_f64(0x3FF0000000000000 | a >> 12) - 1.0) + 0x1p-53
//   f32 i: w = word(i);                        u = (as_f32(0x3F800000 | w >> 9) - 1.0f) + 0x1p-24f
//
// Normals, double: 1.5 words per normal.  Triple t = blocks 3t, 3t+1, 3t+2 = A, B, C gives 8 normals, as 4 pairs:
//   pair p's radius word  a_p = (A.w0 | A.w1 << 32, A.w2 | A.w3 << 32, B.w0 | B.w1 << 32, B.w2 | B.w3 << 32)[p]
//   pair p's angle word   w_p = C.w[p]                     (32 bits)
//   u1 = 2.0 - as_f64(0x3FF0000000000000 | a_p >> 12)                in [2^-52, 1], exact
//   t  = (w_p + 2^29) mod 2^32;  q = t >> 30;  r = as_f64(0x3FF0000000000000 | (t mod 2^30) << 22) - 1.5
//        in [-0.5, 0.5), exact; the angle (q + r) * pi/2 is 2 pi w_p / 2^32
//   L = LOG(u1);  rho = sqrt(-2.0 * L)  (sqrt correctly rounded);  (c, s) = SINCOS(q, r)
//   output 2p = rho * c,  output 2p + 1 = rho * s
// Output order (lane-major chunks, so that no vector width needs a transpose): a chunk of 8 triples gives 64
// normals; normal i is output k = (i >> 3) & 7 of triple t = 8 * (i >> 6) + (i & 7).
// Normals, float: 1 word per normal.  Block j gives 4 normals from the word pairs (w0, w1) and (w2, w3):
//   u1 = 2.0f - as_f32(0x3F800000 | w_even >> 9)                    in [2^-23, 1]
//   t  = (w_odd >> 7) + 2^22;  q = (t >> 23) & 3;  r = as_f32(0x3F800000 | (t & (2^23 - 1))) - 1.5f
//   then as for double with the float polynomials: outputs rho0*c0, rho0*s0, rho1*c1, rho1*s1 (k = 0..3)
// Output order: a chunk of 16 blocks gives 64 normals; normal i is output k = (i >> 4) & 3 of block
// j = 16 * (i >> 6) + (i & 15).
//
// LOG(u), u in [2^-52, 1] (resp. [2^-23, 1]): log m = 2 atanh(s) = s * (2 + z * P(z)), s = (m-1)/(m+1), z = s*s
//   ix = as_int(u) + LOG_REDUCE;  E = as_float((ix >> MANT_BITS) | EXP_MAGIC_BITS) - EXP_MAGIC   (exactly e)
//   m = as_float((ix & MANT_MASK) + SQRT_HALF_BITS)             in [sqrt(1/2), sqrt(2)), u = m * 2^E exactly
//   f = m - 1;  s = f / (m + 1);  z = s * s
//   P = Horner with fma from the highest coefficient of kLogAtanh:  p = c[n-1];  p = fma(p, z, c[i]) ... c[0]
//   lp = fma(s * z, p, s + s)
//   L = fma(E, LN2_HI, fma(E, LN2_LO, lp))
// SINCOS(q, r), r in [-0.5, 0.5): x2 = r * r
//   S = r * PS(x2),  PS = Horner with fma from the highest coefficient of kSin
//   C = fma(PC(x2), x2, 1),  PC = Horner with fma from the highest coefficient of kCos
//   (c, s) = q==0: (C, S)   q==1: (-S, C)   q==2: (-C, -S)   q==3: (S, -C)
// Coefficients: Chebyshev interpolants (near-minimax; mpmath 1.3 chebyfit at 60 digits, rounded to nearest) of
//   P(z) = (log((1+s)/(1-s))/s - 2)/z on [0, (3 - 2 sqrt 2)^2],  sin(pi r/2)/r and (cos(pi r/2) - 1)/r^2 in
//   x2 = r^2 on [0, 1/4]; tools/stream_v2_coefficients.py prints them and their truncation errors (double:
//   log 4.6e-18, sin 3.2e-18, cos 1.7e-19 relative; float: 2.8e-9, 3.1e-9, 2.7e-10), well below half an ulp, so
//   the outputs' error is the rounding of the operations above (measured: tests/test_normal_v2_accuracy.cpp).
#pragma once
#include <cstdint>

namespace diaggauss::recipe {

// Philox4x32 constants (Salmon et al. 2011).
inline constexpr std::uint32_t kPhiloxM0 = 0xD2511F53u;
inline constexpr std::uint32_t kPhiloxM1 = 0xCD9E8D57u;
inline constexpr std::uint32_t kPhiloxW0 = 0x9E3779B9u;
inline constexpr std::uint32_t kPhiloxW1 = 0xBB67AE85u;
inline constexpr int kPhiloxRounds = 10;

// Selection words of mixture sampling live in the upper half of the block-counter space.
inline constexpr std::uint64_t kSelectionBlockBase = std::uint64_t{1} << 63;

namespace f64 {
inline constexpr std::uint64_t kMantMask = (std::uint64_t{1} << 52) - 1;
inline constexpr std::uint64_t kOneBits = 0x3FF0000000000000ull;   // exponent bits of 1.0
inline constexpr std::uint64_t kHalfBits = 0x3FE0000000000000ull;  // exponent bits of 0.5
inline constexpr std::uint64_t kSqrt2Mant = 0x6A09E667F3BCDull;    // mantissa of sqrt(2)
inline constexpr int kBias = 1023;
inline constexpr double kLn2Hi = 6.93147180369123816490e-01;  // fdlibm ln2_hi
inline constexpr double kLn2Lo = 1.90821492927058770002e-10;  // fdlibm ln2_lo
// fdlibm Lg1..Lg7 (the log-density kernels' LOG, not the sampler's)
inline constexpr double kLog[7] = {6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
                                   2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
                                   1.479819860511658591e-01};
// Stream v2 LOG: ix = bits + kLogReduce;  m = as_f64((ix & kMantMask) + kSqrtHalfBits);  E exact by the magic.
inline constexpr std::uint64_t kSqrtHalfBits = 0x3FE6A09E667F3BCDull;  // the double nearest sqrt(1/2)
inline constexpr std::uint64_t kLogReduce = kOneBits - kSqrtHalfBits;
inline constexpr std::uint64_t kExpMagicBits = 0x4330000000000000ull;  // 2^52
inline constexpr double kExpMagic = 0x1p52 + kBias;
// log m = s * (2 + z * P(z)), P(z) = kLogAtanh[0] + z * (kLogAtanh[1] + ...)
inline constexpr double kLogAtanh[7] = {0x1.5555555555558p-1, 0x1.99999999952e2p-2, 0x1.2492492df148dp-2,
                                        0x1.c71c62e5800a1p-3, 0x1.7462b4ab2ef6bp-3, 0x1.39fe606542ddep-3,
                                        0x1.2b584aae78a57p-3};
// sin(pi r/2) = r * (kSin[0] + x2*(kSin[1] + ...)), x2 = r*r
inline constexpr double kSin[7] = {0x1.921fb54442d18p+0,  -0x1.4abbce625be41p-1, 0x1.466bc677587f8p-4,
                                   -0x1.32d2cce2e5b19p-8, 0x1.50782fda12d96p-13, -0x1.e30071afc3e59p-19,
                                   0x1.e3f38399551bfp-25};
// cos(pi r/2) = 1 + x2*(kCos[0] + x2*(kCos[1] + ...))
inline constexpr double kCos[7] = {-0x1.3bd3cc9be45dep+0, 0x1.03c1f081b5ac0p-2,  -0x1.55d3c7e3cb241p-6,
                                   0x1.e1f5068688d5bp-11, -0x1.a6d1eef479be1p-16, 0x1.f9ce245cada0bp-22,
                                   -0x1.b2f3eb054afcdp-28};
// The angle word's quarter-turn rounding: t = w + 2^29 (mod 2^32).
inline constexpr std::uint32_t kAngleHalfQuarter = std::uint32_t{1} << 29;
}  // namespace f64

namespace f32 {
inline constexpr std::uint32_t kMantMask = (std::uint32_t{1} << 23) - 1;
inline constexpr std::uint32_t kOneBits = 0x3F800000u;
inline constexpr std::uint32_t kHalfBits = 0x3F000000u;
inline constexpr std::uint32_t kSqrt2Mant = 0x3504F3u;  // mantissa of sqrt(2) as float
inline constexpr int kBias = 127;
inline constexpr float kLn2Hi = 6.9313812256e-01f;  // fdlibm e_logf.c ln2_hi
inline constexpr float kLn2Lo = 9.0580006145e-06f;  // fdlibm e_logf.c ln2_lo
// fdlibm e_logf.c Lg1..Lg4 (the log-density kernels' LOG, not the sampler's)
inline constexpr float kLog[4] = {6.6666668653e-01f, 4.0000000596e-01f, 2.8571429849e-01f, 2.2222198546e-01f};
inline constexpr std::uint32_t kSqrtHalfBits = 0x3F3504F3u;  // the float nearest sqrt(1/2)
inline constexpr std::uint32_t kLogReduce = kOneBits - kSqrtHalfBits;
inline constexpr std::uint32_t kExpMagicBits = 0x4B000000u;  // 2^23
inline constexpr float kExpMagic = 0x1p23f + kBias;
inline constexpr float kLogAtanh[3] = {0x1.55555cp-1f, 0x1.997c30p-2f, 0x1.2ee610p-2f};
inline constexpr float kSin[4] = {0x1.921fb6p+0f, -0x1.4abbbap-1f, 0x1.465ec4p-4f, -0x1.2d9b40p-8f};
inline constexpr float kCos[4] = {-0x1.3bd3ccp+0f, 0x1.03c1eap-2f, -0x1.55cb98p-6f, 0x1.db6492p-11f};
}  // namespace f32

}  // namespace diaggauss::recipe
