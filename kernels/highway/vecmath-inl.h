// Vector forms of the log-density kernels' maths, per target (see kernels_hwy-inl.h for the guard): the fdlibm
// LOG of kernels/common/normal_recipe.hpp (recipe::f64::kLog / recipe::f32::kLog; not the sampler's LOG, which
// is the shared body kernels/common/normal_v2_body.hpp, see normal_hwy-inl.h) and the exp of exp_recipe.hpp, plus
// the constants the uniforms of sample_hwy.cpp use.  Each function performs its recipe's operations in the
// recipe's order, with hn::MulAdd / hn::NegMulAdd exactly where it says fma (on SSE4, Highway emulates MulAdd by
// a multiply and an add).
#if defined(DIAGGAUSS_KERNELS_HIGHWAY_VECMATH_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef DIAGGAUSS_KERNELS_HIGHWAY_VECMATH_INL_H_
#undef DIAGGAUSS_KERNELS_HIGHWAY_VECMATH_INL_H_
#else
#define DIAGGAUSS_KERNELS_HIGHWAY_VECMATH_INL_H_
#endif

#include <cstddef>
#include <cstdint>

#include "kernels/highway/hwy_config.h"  // before Highway's headers
#include "hwy/highway.h"
#include "kernels/common/exp_recipe.hpp"
#include "kernels/common/normal_recipe.hpp"

HWY_BEFORE_NAMESPACE();
namespace diaggauss::hwy_family::HWY_NAMESPACE {
#if DG_HWY_KERNEL_TARGET
namespace hn = hwy::HWY_NAMESPACE;

// The recipe's constants for T, under one set of names so each function is written once for both types.
template <class T>
struct Recipe;

template <>
struct Recipe<double> {
  using Bits = std::uint64_t;
  static constexpr int kMantBits = 52;
  static constexpr Bits kMantMask = recipe::f64::kMantMask;
  static constexpr Bits kOneBits = recipe::f64::kOneBits;
  static constexpr Bits kHalfBits = recipe::f64::kHalfBits;
  static constexpr Bits kSqrt2Mant = recipe::f64::kSqrt2Mant;
  static constexpr Bits kMagicBits = 0x4330000000000000ull;  // 2^52: integers below it sit in the mantissa
  static constexpr double kMagic = 0x1p52;
  static constexpr int kBias = recipe::f64::kBias;
  static constexpr double kLn2Hi = recipe::f64::kLn2Hi, kLn2Lo = recipe::f64::kLn2Lo;
  static constexpr const auto& kLog = recipe::f64::kLog;
  static constexpr double kExpMinArg = recipe::f64::kExpMinArg, kLog2e = recipe::f64::kLog2e;
  static constexpr double kExpLn2Hi = recipe::f64::kExpLn2Hi, kExpLn2Lo = recipe::f64::kExpLn2Lo;
  static constexpr const auto& kExp = recipe::f64::kExp;
};

template <>
struct Recipe<float> {
  using Bits = std::uint32_t;
  static constexpr int kMantBits = 23;
  static constexpr Bits kMantMask = recipe::f32::kMantMask;
  static constexpr Bits kOneBits = recipe::f32::kOneBits;
  static constexpr Bits kHalfBits = recipe::f32::kHalfBits;
  static constexpr Bits kSqrt2Mant = recipe::f32::kSqrt2Mant;
  static constexpr Bits kMagicBits = 0x4B000000u;  // 2^23
  static constexpr float kMagic = 0x1p23f;
  static constexpr int kBias = recipe::f32::kBias;
  static constexpr float kLn2Hi = recipe::f32::kLn2Hi, kLn2Lo = recipe::f32::kLn2Lo;
  static constexpr const auto& kLog = recipe::f32::kLog;
  static constexpr float kExpMinArg = recipe::f32::kExpMinArg, kLog2e = recipe::f32::kLog2e;
  static constexpr float kExpLn2Hi = recipe::f32::kExpLn2Hi, kExpLn2Lo = recipe::f32::kExpLn2Lo;
  static constexpr const auto& kExp = recipe::f32::kExp;
};

// p = c[K-1];  p = fma(p, x, c[i]) for i = K-2 .. 0.
template <class D, std::size_t K>
HWY_INLINE hn::VFromD<D> horner(D d, hn::VFromD<D> x, const hn::TFromD<D> (&c)[K]) {
  auto p = hn::Set(d, c[K - 1]);
  for (std::size_t i = K - 1; i-- > 0;) p = hn::MulAdd(p, x, hn::Set(d, c[i]));
  return p;
}

// The log-density kernels' LOG (fdlibm's reduction and Lg1..Lg7 / Lg1..Lg4) for positive normal u.
template <class D>
HWY_INLINE hn::VFromD<D> recipe_log(D d, hn::VFromD<D> u) {
  using T = hn::TFromD<D>;
  using R = Recipe<T>;
  const hn::RebindToUnsigned<D> du;
  const hn::RebindToSigned<D> di;
  const auto bits = hn::BitCast(du, u);
  const auto mant = hn::And(bits, hn::Set(du, R::kMantMask));
  // mant < 2^kMantBits, so a signed compare is exact (and cheaper than unsigned before AVX-512).
  using SignedBits = hn::TFromD<decltype(di)>;
  const auto big = hn::Gt(hn::BitCast(di, mant), hn::Set(di, static_cast<SignedBits>(R::kSqrt2Mant)));
  const auto exp_bits = hn::IfThenElse(hn::RebindMask(du, big), hn::Set(du, R::kHalfBits), hn::Set(du, R::kOneBits));
  const auto m = hn::BitCast(d, hn::Or(mant, exp_bits));
  // Biased exponent + big (subtracting a true mask, all ones, adds 1).  Made a float exactly by placing the small
  // integer in the mantissa of 2^kMantBits and subtracting 2^kMantBits + bias: this avoids the 64-bit
  // int -> double conversion, which x86 only has with AVX-512DQ.
  const auto e_biased = hn::Sub(hn::ShiftRight<R::kMantBits>(bits), hn::BitCast(du, hn::VecFromMask(di, big)));
  const auto E =
      hn::Sub(hn::BitCast(d, hn::Or(e_biased, hn::Set(du, R::kMagicBits))), hn::Set(d, R::kMagic + T(R::kBias)));
  const auto f = hn::Sub(m, hn::Set(d, T(1)));
  const auto s = hn::Div(f, hn::Add(hn::Set(d, T(2)), f));
  const auto z = hn::Mul(s, s);
  const auto r = hn::Mul(horner(d, z, R::kLog), z);
  const auto hfsq = hn::Mul(hn::Mul(hn::Set(d, T(0.5)), f), f);
  const auto lp = hn::Sub(f, hn::Sub(hfsq, hn::Mul(s, hn::Add(hfsq, r))));
  return hn::MulAdd(E, hn::Set(d, R::kLn2Hi), hn::MulAdd(E, hn::Set(d, R::kLn2Lo), lp));
}

// exp(x) of the exp recipe for x <= 0 (the log-sum-exp's l - max).  x < kExpMinArg gives 0, and so does NaN
// (from -inf - -inf when every term is -inf): the comparison is false for it.
template <class D>
HWY_INLINE hn::VFromD<D> recipe_exp(D d, hn::VFromD<D> x) {
  using T = hn::TFromD<D>;
  using R = Recipe<T>;
  const hn::RebindToUnsigned<D> du;
  const auto in_range = hn::Ge(x, hn::Set(d, R::kExpMinArg));
  x = hn::IfThenElseZero(in_range, x);  // keeps n small for the lanes that are discarded anyway
  const auto n = hn::Round(hn::Mul(x, hn::Set(d, R::kLog2e)));
  auto r = hn::NegMulAdd(n, hn::Set(d, R::kExpLn2Hi), x);
  r = hn::NegMulAdd(n, hn::Set(d, R::kExpLn2Lo), r);
  const auto p = horner(d, r, R::kExp);
  // 2^n: n + magic + bias holds n + bias in its low mantissa bits; shifting them up makes them the exponent.
  const auto biased = hn::BitCast(du, hn::Add(n, hn::Set(d, R::kMagic + T(R::kBias))));
  const auto pow2 = hn::BitCast(d, hn::ShiftLeft<R::kMantBits>(biased));
  return hn::IfThenElseZero(in_range, hn::Mul(p, pow2));
}

#endif  // DG_HWY_KERNEL_TARGET
}  // namespace diaggauss::hwy_family::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
