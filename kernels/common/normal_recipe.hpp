// The sampling recipe, stream version 1: the exact operation sequence that turns Philox4x32-10 words into
// uniforms and N(0,1) normals.  Every implementation follows it step for step, with the same FMA policy
// ("fma(a,b,c)" below is one fused multiply-add; every other operation is a separately rounded IEEE op), which
// is why all of them (except sse4, which has no FMA) return the same bits.  Constants only: no functions here,
// so that no per-ISA copy of an inline helper can leak into another ISA's code.
//
// Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC'11):
//   round:  (hi0, lo0) = M0 * c0;  (hi1, lo1) = M1 * c2   (32x32 -> 64-bit products)
//           c = { hi1 ^ c1 ^ k0,  lo1,  hi0 ^ c3 ^ k1,  lo0 };   then k0 += W0, k1 += W1 (no bump after the last)
//   key = {lo32(seed), hi32(seed)};  counter of block j = {lo32(j), hi32(j), lo32(stream), hi32(stream)}.
//
// Uniforms (dg_uniform_*), open interval (0, 1), exact:
//   f64 i: a = word(2i) | word(2i+1) << 32;  u = (as_f64(0x3FF0000000000000 | a >> 12) - 1.0) + 0x1p-53
//   f32 i: w = word(i);                        u = (as_f32(0x3F800000 | w >> 9) - 1.0f) + 0x1p-24f
//
// Normals, double: block j = (w0, w1, w2, w3) gives normals 2j (cos) and 2j+1 (sin):
//   a = w0 | w1 << 32;  b = w2 | w3 << 32
//   u1 = 2.0 - as_f64(0x3FF0000000000000 | a >> 12)                 in [2^-52, 1], exact
//   t  = (b >> 10) + 2^51;  q = (t >> 52) & 3                        quarter turn, rounded to nearest
//   r  = as_f64(0x3FF0000000000000 | (t & (2^52 - 1))) - 1.5       in [-0.5, 0.5), exact; angle = (q + r) * pi/2
//   L  = log(u1) by LOG below;  rho = sqrt(-2.0 * L)               (sqrt correctly rounded)
//   S  = sin(r*pi/2), C = cos(r*pi/2) by SINCOS below
//   (c, s) = q==0: (C, S)   q==1: (-S, C)   q==2: (-C, -S)   q==3: (S, -C)
//   z(2j) = rho * c;  z(2j+1) = rho * s
// Normals, float: block j gives normals 4j..4j+3 from the pairs (w0, w1) and (w2, w3), each pair as:
//   u1 = 2.0f - as_f32(0x3F800000 | w_even >> 9)                    in [2^-23, 1]
//   t  = (w_odd >> 7) + 2^22;  q = (t >> 23) & 3;  r = as_f32(0x3F800000 | (t & (2^23 - 1))) - 1.5f
//   then as for double with the float polynomials: z(4j) = rho0*c0, z(4j+1) = rho0*s0, z(4j+2) = rho1*c1, z(4j+3) = rho1*s1
//
// LOG(u), u a positive normal number (fdlibm's e_log.c reduction and coefficients, Sun Microsystems 1993):
//   bits = as_int(u); e = (bits >> MANT_BITS) - BIAS;  mant = bits & MANT_MASK
//   big = mant > SQRT2_MANT;  m = as_float(mant | (big ? HALF_EXP_BITS : ONE_EXP_BITS));  e += big
//   f = m - 1;  s = f / (2 + f);  z = s * s
//   R = z * (L1 + z*(L2 + z*(L3 + ...)))  evaluated as  p = Ln;  p = fma(p, z, L(n-1)) ... ;  R = p * z
//   hfsq = (0.5 * f) * f;  lp = f - (hfsq - s * (hfsq + R))
//   L = fma(E, LN2_HI, fma(E, LN2_LO, lp))      with E = (floating) e
// SINCOS(r), r in [-0.5, 0.5]: x2 = r * r
//   S = r * PS(x2),  PS(x2) = S1 + x2*(S3 + ...)  evaluated by Horner with fma from the highest coefficient
//   C = PC(x2),      PC(x2) = 1 + x2*(C2 + ...)   likewise (the final step is fma(p, x2, 1))
// Taylor coefficients of sin(pi r / 2) and cos(pi r / 2), computed to 50 digits and rounded to nearest:
// truncation error below 0.05 ulp on |r| <= 1/2.
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
// fdlibm Lg1..Lg7
inline constexpr double kLog[7] = {6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
                                   2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
                                   1.479819860511658591e-01};
// sin(pi r/2) = r * (kSin[0] + x2*(kSin[1] + ...)), x2 = r*r
inline constexpr double kSin[9] = {0x1.921fb54442d18p+0,  -0x1.4abbce625be53p-1, 0x1.466bc6775aae2p-4,
                                   -0x1.32d2cce62bd86p-8, 0x1.50783487ee782p-13, -0x1.e3074fde8871fp-19,
                                   0x1.e8f434d018d63p-25, -0x1.6fadb9f155744p-31, 0x1.aaec32af93359p-38};
// cos(pi r/2) = 1 + x2*(kCos[0] + x2*(kCos[1] + ...))
inline constexpr double kCos[8] = {-0x1.3bd3cc9be45dep+0, 0x1.03c1f081b5ac4p-2,  -0x1.55d3c7e3cbffap-6,
                                   0x1.e1f506891babbp-11, -0x1.a6d1f2a204a8cp-16, 0x1.f9d38a3763cc3p-22,
                                   -0x1.b6e24f44b128fp-28, 0x1.20c62c2f2d7f5p-34};
}  // namespace f64

namespace f32 {
inline constexpr std::uint32_t kMantMask = (std::uint32_t{1} << 23) - 1;
inline constexpr std::uint32_t kOneBits = 0x3F800000u;
inline constexpr std::uint32_t kHalfBits = 0x3F000000u;
inline constexpr std::uint32_t kSqrt2Mant = 0x3504F3u;  // mantissa of sqrt(2) as float
inline constexpr int kBias = 127;
inline constexpr float kLn2Hi = 6.9313812256e-01f;  // fdlibm e_logf.c ln2_hi
inline constexpr float kLn2Lo = 9.0580006145e-06f;  // fdlibm e_logf.c ln2_lo
// fdlibm e_logf.c Lg1..Lg4 (enough for float on |s| <= 0.1716)
inline constexpr float kLog[4] = {6.6666668653e-01f, 4.0000000596e-01f, 2.8571429849e-01f, 2.2222198546e-01f};
inline constexpr float kSin[5] = {0x1.921fb6p+0f, -0x1.4abbcep-1f, 0x1.466bc6p-4f, -0x1.32d2ccp-8f, 0x1.507834p-13f};
inline constexpr float kCos[5] = {-0x1.3bd3ccp+0f, 0x1.03c1f0p-2f, -0x1.55d3c8p-6f, 0x1.e1f506p-11f, -0x1.a6d1f2p-16f};
}  // namespace f32

}  // namespace diaggauss::recipe
