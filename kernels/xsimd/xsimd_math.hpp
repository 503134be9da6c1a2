// Vector building blocks of the xsimd family: per-type recipe constants, the FMA policy, and the log-density
// kernels' log and exp (fdlibm's log with recipe::*::kLog, kernels/common/normal_recipe.hpp; exp_recipe.hpp) in
// xsimd batch arithmetic.  The sampler's normals use the shared transform (kernels/common/normal_v2_body.hpp) through
// xsimd_sample.hpp's NormalOps, on fmadd, quotient and square_root below.  xsimd's own log/exp/sin/cos are never
// used: every family evaluates the same documented recipes.
// Included inside a per-ISA namespace by xsimd_kernels.hpp; everything is a template over the arch tag A.
#pragma once

template <class T, class A>
using Vec = xsimd::batch<T, A>;

// T's recipe constants and the unsigned integer of T's width.
template <class T>
struct Fp;

template <>
struct Fp<double> {
  using Bits = std::uint64_t;
  static constexpr int kMantBits = 52;
  static constexpr Bits kMantMask = recipe::f64::kMantMask;
  static constexpr Bits kOneBits = recipe::f64::kOneBits;
  static constexpr Bits kSqrt2Mant = recipe::f64::kSqrt2Mant;
  static constexpr Bits kSignBit = Bits{1} << 63;
  static constexpr int kBias = recipe::f64::kBias;
  static constexpr Bits kTwoPowMantBits = 0x4330000000000000ull;  // 2^52: integers below it sit in the mantissa
  static constexpr double kTwoPowMant = 0x1p52;
  static constexpr double kRoundShifter = 0x1.8p52;  // (x + this) - this rounds x to the nearest integer
  static constexpr double kLn2Hi = recipe::f64::kLn2Hi;
  static constexpr double kLn2Lo = recipe::f64::kLn2Lo;
  static constexpr const double (&kLog)[7] = recipe::f64::kLog;
  static constexpr double kUniformHalfUlp = 0x1p-53;
  static constexpr double kExpMinArg = recipe::f64::kExpMinArg;
  static constexpr double kLog2e = recipe::f64::kLog2e;
  static constexpr double kExpLn2Hi = recipe::f64::kExpLn2Hi;
  static constexpr double kExpLn2Lo = recipe::f64::kExpLn2Lo;
  static constexpr const double (&kExp)[14] = recipe::f64::kExp;
};

template <>
struct Fp<float> {
  using Bits = std::uint32_t;
  static constexpr int kMantBits = 23;
  static constexpr Bits kMantMask = recipe::f32::kMantMask;
  static constexpr Bits kOneBits = recipe::f32::kOneBits;
  static constexpr Bits kSqrt2Mant = recipe::f32::kSqrt2Mant;
  static constexpr Bits kSignBit = Bits{1} << 31;
  static constexpr int kBias = recipe::f32::kBias;
  static constexpr Bits kTwoPowMantBits = 0x4B000000u;  // 2^23
  static constexpr float kTwoPowMant = 0x1p23f;
  static constexpr float kRoundShifter = 0x1.8p23f;
  static constexpr float kLn2Hi = recipe::f32::kLn2Hi;
  static constexpr float kLn2Lo = recipe::f32::kLn2Lo;
  static constexpr const float (&kLog)[4] = recipe::f32::kLog;
  static constexpr float kUniformHalfUlp = 0x1p-24f;
  static constexpr float kExpMinArg = recipe::f32::kExpMinArg;
  static constexpr float kLog2e = recipe::f32::kLog2e;
  static constexpr float kExpLn2Hi = recipe::f32::kExpLn2Hi;
  static constexpr float kExpLn2Lo = recipe::f32::kExpLn2Lo;
  static constexpr const float (&kExp)[8] = recipe::f32::kExp;
};

template <class T, class A>
using BitsVec = Vec<typename Fp<T>::Bits, A>;

template <class To, class From, class A>
inline Vec<To, A> as(const Vec<From, A>& v) {
  if constexpr (std::is_same_v<To, From>)
    return v;
  else
    return xsimd::bitwise_cast<Vec<To, A>>(v);
}

// The recipes' fma.  xsimd 8.1 implements xsimd::fma on its AVX-512 archs by the generic fallback x*y + z
// (two roundings), which would break bit-identity with the scalar oracle, so AVX-512 issues the instruction
// itself.  On sse4_2 xsimd::fma is that mul+add, as the sse4 contract intends (no FMA unit).
template <class T, class A>
inline Vec<T, A> fmadd(const Vec<T, A>& x, const Vec<T, A>& y, const Vec<T, A>& z) {
#if XSIMD_WITH_AVX512F
  if constexpr (std::is_base_of_v<xsimd::avx512f, A>) {
    if constexpr (std::is_same_v<T, double>)
      return _mm512_fmadd_pd(x, y, z);
    else
      return _mm512_fmadd_ps(x, y, z);
  } else
#endif
  {
    return xsimd::fma(x, y, z);
  }
}

// Correctly rounded division and square root.  xsimd 8.1's neon64 arch inherits ARMv7 NEON's float division and
// sqrt, which are reciprocal estimates refined by Newton steps (not IEEE), so AArch64 floats use the IEEE
// instructions directly.  The scalar overload lets one generic lambda serve vector bodies and scalar tails.
template <class T, class A>
inline Vec<T, A> quotient(const Vec<T, A>& x, const Vec<T, A>& y) {
#if XSIMD_WITH_NEON64
  if constexpr (std::is_same_v<T, float>)
    return vdivq_f32(x, y);
  else
#endif
    return x / y;
}
template <class T>
inline T quotient(T x, T y) {
  return x / y;
}

template <class T, class A>
inline Vec<T, A> square_root(const Vec<T, A>& x) {
#if XSIMD_WITH_NEON64
  if constexpr (std::is_same_v<T, float>)
    return vsqrtq_f32(x);
  else
#endif
    return xsimd::sqrt(x);
}

// Scalar tails must round exactly as the vector body does (fused or not, per arch), so they run the very same
// vector operation on a broadcast and keep lane 0.
template <class A, class T>
inline T fmadd_scalar(T x, T y, T z) {
  return fmadd(Vec<T, A>(x), Vec<T, A>(y), Vec<T, A>(z)).get(0);
}

// p(x) = k[0] + x*(k[1] + x*(...)), by fma from the highest coefficient (the recipes' Horner form).
template <class T, class A, std::size_t N>
inline Vec<T, A> horner(const Vec<T, A>& x, const T (&k)[N]) {
  Vec<T, A> p(k[N - 1]);
  for (std::size_t i = N - 1; i-- > 0;) p = fmadd(p, x, Vec<T, A>(k[i]));
  return p;
}

// The log-density kernels' log for positive normal u: fdlibm's, with the Lg coefficients recipe::*::kLog (not the
// sampler's LOG of stream v2, which normal_v2_body.hpp evaluates).  The integer steps are rephrased without
// compares or int-to-float conversions (both are missing or scalar for 64-bit lanes on some xsimd 8.1 archs); they
// give exactly fdlibm's reduction (m and E), so the floating-point sequence, and its bits, are fdlibm's.
template <class T, class A>
inline Vec<T, A> recipe_log(const Vec<T, A>& u) {
  using F = Fp<T>;
  using V = Vec<T, A>;
  using U = BitsVec<T, A>;
  const U bits = as<typename F::Bits>(u);
  const U mant = bits & U(F::kMantMask);
  // big = (mant > kSqrt2Mant), read as the carry of mant + (kMantMask - kSqrt2Mant) into bit kMantBits.
  const U big = (mant + U(F::kMantMask - F::kSqrt2Mant)) & U(F::kMantMask + 1);
  const V m = as<T>(mant | (U(F::kOneBits) - big));  // exponent of 0.5 when big, of 1.0 otherwise
  // E = biased exponent + big - bias, converted exactly through the 2^p mantissa trick.
  const U ebits = (bits >> F::kMantBits) + (big >> F::kMantBits);
  const V E = as<T>(ebits | U(F::kTwoPowMantBits)) - V(F::kTwoPowMant + F::kBias);
  const V f = m - V(1);
  const V s = quotient(f, V(2) + f);
  const V z = s * s;
  const V R = horner(z, F::kLog) * z;
  const V hfsq = (V(0.5) * f) * f;
  const V lp = f - (hfsq - s * (hfsq + R));
  return fmadd(E, V(F::kLn2Hi), fmadd(E, V(F::kLn2Lo), lp));
}

// exp of exp_recipe.hpp for x <= 0 (x = -inf gives 0).
template <class T, class A>
inline Vec<T, A> recipe_exp(const Vec<T, A>& x) {
  using F = Fp<T>;
  using V = Vec<T, A>;
  using U = BitsVec<T, A>;
  // Adding 1.5*2^p rounds x*log2e to an integer n (ties to even) and leaves n in the low mantissa bits.
  const V shifted = x * V(F::kLog2e) + V(F::kRoundShifter);
  const V n = shifted - V(F::kRoundShifter);
  V r = fmadd(-n, V(F::kExpLn2Hi), x);
  r = fmadd(-n, V(F::kExpLn2Lo), r);
  const V p = horner(r, F::kExp);
  const V two_n = as<T>((as<typename F::Bits>(shifted) + U(F::kBias)) << F::kMantBits);
  return xsimd::select(x < V(F::kExpMinArg), V(0), p * two_n);
}
