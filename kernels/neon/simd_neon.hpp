// NEON helpers shared by this folder's kernels.  Arithmetic is overloaded for scalars and vectors of float and
// double, so one generic lambda serves both a vector body and its scalar tail: the tail then performs the same
// operations in the same order, which is what keeps results bit-identical to the scalar oracle.  The vector
// forms of the log-density kernels' log and exp (kernels/common/normal_recipe.hpp's fdlibm coefficients,
// kernels/common/exp_recipe.hpp) live here too; the sampler's normals go through kernels/common/normal_v2_body.hpp
// (sample_neon.cpp), not through these.
#pragma once
#include <arm_neon.h>

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "kernels/common/exp_recipe.hpp"
#include "kernels/common/normal_recipe.hpp"

namespace diaggauss::neon {

template <class T> struct VecOf;
template <> struct VecOf<double> { using type = float64x2_t; };
template <> struct VecOf<float> { using type = float32x4_t; };
template <class T> using Vec = typename VecOf<T>::type;
template <class T> inline constexpr std::size_t kLanes = 16 / sizeof(T);

inline float64x2_t load(const double* p) { return vld1q_f64(p); }
inline float32x4_t load(const float* p) { return vld1q_f32(p); }
inline void store(double* p, float64x2_t v) { vst1q_f64(p, v); }
inline void store(float* p, float32x4_t v) { vst1q_f32(p, v); }
inline float64x2_t splat(double x) { return vdupq_n_f64(x); }
inline float32x4_t splat(float x) { return vdupq_n_f32(x); }

inline float64x2_t add(float64x2_t a, float64x2_t b) { return vaddq_f64(a, b); }
inline float32x4_t add(float32x4_t a, float32x4_t b) { return vaddq_f32(a, b); }
inline double sub(double a, double b) { return a - b; }
inline float sub(float a, float b) { return a - b; }
inline float64x2_t sub(float64x2_t a, float64x2_t b) { return vsubq_f64(a, b); }
inline float32x4_t sub(float32x4_t a, float32x4_t b) { return vsubq_f32(a, b); }
inline double mul(double a, double b) { return a * b; }
inline float mul(float a, float b) { return a * b; }
inline float64x2_t mul(float64x2_t a, float64x2_t b) { return vmulq_f64(a, b); }
inline float32x4_t mul(float32x4_t a, float32x4_t b) { return vmulq_f32(a, b); }
inline float64x2_t mul(float64x2_t a, double b) { return vmulq_n_f64(a, b); }
inline float32x4_t mul(float32x4_t a, float b) { return vmulq_n_f32(a, b); }
inline double div(double a, double b) { return a / b; }
inline float div(float a, float b) { return a / b; }
inline float64x2_t div(float64x2_t a, float64x2_t b) { return vdivq_f64(a, b); }
inline float32x4_t div(float32x4_t a, float32x4_t b) { return vdivq_f32(a, b); }
inline double recip(double d) { return 1.0 / d; }
inline float recip(float d) { return 1.0f / d; }
inline float64x2_t recip(float64x2_t d) { return vdivq_f64(vdupq_n_f64(1.0), d); }
inline float32x4_t recip(float32x4_t d) { return vdivq_f32(vdupq_n_f32(1.0f), d); }
// fmadd(a, b, c) = a*b + c rounded once: std::fma's argument order (vfmaq's puts the addend first).
inline double fmadd(double a, double b, double c) { return std::fma(a, b, c); }
inline float fmadd(float a, float b, float c) { return std::fma(a, b, c); }
inline float64x2_t fmadd(float64x2_t a, float64x2_t b, float64x2_t c) { return vfmaq_f64(c, a, b); }
inline float32x4_t fmadd(float32x4_t a, float32x4_t b, float32x4_t c) { return vfmaq_f32(c, a, b); }

// out[i] = op(in[i]...) for i < n.  Four independent vectors per iteration keep the divider / FMA pipes busy;
// each element is read before it is written, so `out` may alias any input element for element.
template <class T, class Op, class... In>
inline void map(std::size_t n, T* out, Op op, const In*... in) {
  constexpr std::size_t L = kLanes<T>;
  std::size_t i = 0;
  for (; i + 4 * L <= n; i += 4 * L) {
    const Vec<T> r0 = op(load(in + i)...);
    const Vec<T> r1 = op(load(in + i + L)...);
    const Vec<T> r2 = op(load(in + i + 2 * L)...);
    const Vec<T> r3 = op(load(in + i + 3 * L)...);
    store(out + i, r0);
    store(out + i + L, r1);
    store(out + i + 2 * L, r2);
    store(out + i + 3 * L, r3);
  }
  for (; i + L <= n; i += L) store(out + i, op(load(in + i)...));
  for (; i < n; ++i) out[i] = op(in[i]...);
}

// Horner's rule from the highest coefficient with one fma per step, as every recipe writes it.
template <class V, class T, std::size_t N>
inline V horner(V x, const T (&c)[N]) {
  V p = splat(c[N - 1]);
  for (std::size_t i = N - 1; i-- > 0;) p = fmadd(p, x, splat(c[i]));
  return p;
}

// The log-densities' log (fdlibm form, recipe::f64::kLog / f32::kLog; not the sampler's LOG), lane by lane; u must
// be a positive normal number.
inline float64x2_t log_recipe(float64x2_t u) {
  namespace R = recipe::f64;
  const uint64x2_t bits = vreinterpretq_u64_f64(u);
  const uint64x2_t mant = vandq_u64(bits, vdupq_n_u64(R::kMantMask));
  const uint64x2_t big = vcgtq_u64(mant, vdupq_n_u64(R::kSqrt2Mant));
  const uint64x2_t exp_bits = vbslq_u64(big, vdupq_n_u64(R::kHalfBits), vdupq_n_u64(R::kOneBits));
  const float64x2_t m = vreinterpretq_f64_u64(vorrq_u64(mant, exp_bits));
  // `big` is all ones (-1) where m was halved, so subtracting it is the recipe's e += big.
  const int64x2_t e = vsubq_s64(vsubq_s64(vreinterpretq_s64_u64(vshrq_n_u64(bits, 52)), vdupq_n_s64(R::kBias)),
                                vreinterpretq_s64_u64(big));
  const float64x2_t f = vsubq_f64(m, vdupq_n_f64(1.0));
  const float64x2_t s = vdivq_f64(f, vaddq_f64(vdupq_n_f64(2.0), f));
  const float64x2_t z = vmulq_f64(s, s);
  const float64x2_t r = vmulq_f64(horner(z, R::kLog), z);
  const float64x2_t hfsq = vmulq_f64(vmulq_f64(vdupq_n_f64(0.5), f), f);
  const float64x2_t lp = vsubq_f64(f, vsubq_f64(hfsq, vmulq_f64(s, vaddq_f64(hfsq, r))));
  const float64x2_t E = vcvtq_f64_s64(e);
  return fmadd(E, splat(R::kLn2Hi), fmadd(E, splat(R::kLn2Lo), lp));
}

inline float32x4_t log_recipe(float32x4_t u) {
  namespace R = recipe::f32;
  const uint32x4_t bits = vreinterpretq_u32_f32(u);
  const uint32x4_t mant = vandq_u32(bits, vdupq_n_u32(R::kMantMask));
  const uint32x4_t big = vcgtq_u32(mant, vdupq_n_u32(R::kSqrt2Mant));
  const uint32x4_t exp_bits = vbslq_u32(big, vdupq_n_u32(R::kHalfBits), vdupq_n_u32(R::kOneBits));
  const float32x4_t m = vreinterpretq_f32_u32(vorrq_u32(mant, exp_bits));
  const int32x4_t e = vsubq_s32(vsubq_s32(vreinterpretq_s32_u32(vshrq_n_u32(bits, 23)), vdupq_n_s32(R::kBias)),
                                vreinterpretq_s32_u32(big));
  const float32x4_t f = vsubq_f32(m, vdupq_n_f32(1.0f));
  const float32x4_t s = vdivq_f32(f, vaddq_f32(vdupq_n_f32(2.0f), f));
  const float32x4_t z = vmulq_f32(s, s);
  const float32x4_t r = vmulq_f32(horner(z, R::kLog), z);
  const float32x4_t hfsq = vmulq_f32(vmulq_f32(vdupq_n_f32(0.5f), f), f);
  const float32x4_t lp = vsubq_f32(f, vsubq_f32(hfsq, vmulq_f32(s, vaddq_f32(hfsq, r))));
  const float32x4_t E = vcvtq_f32_s32(e);
  return fmadd(E, splat(R::kLn2Hi), fmadd(E, splat(R::kLn2Lo), lp));
}

// exp of exp_recipe.hpp for x <= 0.  vfmsq(x, n, c) = x - n*c rounded once, i.e. the recipe's fma(-n, c, x).
inline float64x2_t exp_recipe(float64x2_t x) {
  namespace R = recipe::f64;
  const float64x2_t n = vrndnq_f64(vmulq_f64(x, vdupq_n_f64(R::kLog2e)));
  float64x2_t r = vfmsq_f64(x, n, vdupq_n_f64(R::kExpLn2Hi));
  r = vfmsq_f64(r, n, vdupq_n_f64(R::kExpLn2Lo));
  const int64x2_t biased = vaddq_s64(vcvtq_s64_f64(n), vdupq_n_s64(1023));
  const float64x2_t scale = vreinterpretq_f64_s64(vshlq_n_s64(biased, 52));
  const float64x2_t y = vmulq_f64(horner(r, R::kExp), scale);
  return vbslq_f64(vcltq_f64(x, vdupq_n_f64(R::kExpMinArg)), vdupq_n_f64(0.0), y);
}

inline float32x4_t exp_recipe(float32x4_t x) {
  namespace R = recipe::f32;
  const float32x4_t n = vrndnq_f32(vmulq_f32(x, vdupq_n_f32(R::kLog2e)));
  float32x4_t r = vfmsq_f32(x, n, vdupq_n_f32(R::kExpLn2Hi));
  r = vfmsq_f32(r, n, vdupq_n_f32(R::kExpLn2Lo));
  const int32x4_t biased = vaddq_s32(vcvtq_s32_f32(n), vdupq_n_s32(127));
  const float32x4_t scale = vreinterpretq_f32_s32(vshlq_n_s32(biased, 23));
  const float32x4_t y = vmulq_f32(horner(r, R::kExp), scale);
  return vbslq_f32(vcltq_f32(x, vdupq_n_f32(R::kExpMinArg)), vdupq_n_f32(0.0f), y);
}

}  // namespace diaggauss::neon
