// SSE4.2 building blocks of the sse4 kernels: a per-type vector wrapper (so that each kernel is written once for
// float and double) and the vector forms of the recipes in kernels/common/.  Everything here is in
// diaggauss::sse4 (docs/implementing-a-target.md: an inline helper compiled with these flags must never be merged
// with another ISA's copy).  SSE4 has no FMA: wherever a recipe says fma(a, b, c), mul_add() rounds the product
// and then the sum.
#pragma once
#include <nmmintrin.h>

#include <cstddef>
#include <cstdint>

#include "kernels/common/exp_recipe.hpp"
#include "kernels/common/normal_recipe.hpp"

namespace diaggauss::sse4 {

// Partial vectors (kernels/common/logpdf_by_points.hpp): SSE4 has no masked loads or stores, so a "mask" is the
// number of leading lanes, and the tails go through a small stack buffer.  The recipes' exp and log (defined
// below) are members too, so that code written once over Simd<T> can call them.
#define DG_SSE4_TAIL_API(T)                                                                          \
  using Mask = std::size_t;                                                                          \
  static Mask first(std::size_t lanes) { return lanes < kLanes ? lanes : kLanes; }                   \
  static V gather_tail(const T* p, Rows stride, Mask lanes) {                                        \
    alignas(16) T tmp[kLanes] = {};                                                                  \
    for (std::size_t l = 0; l < lanes; ++l) tmp[l] = p[l * stride];                                  \
    return load(tmp);                                                                                \
  }                                                                                                  \
  static void store_tail(T* p, Mask lanes, V v) {                                                    \
    if (lanes == kLanes) return store(p, v);                                                         \
    alignas(16) T tmp[kLanes];                                                                       \
    store(tmp, v);                                                                                   \
    for (std::size_t l = 0; l < lanes; ++l) p[l] = tmp[l];                                           \
  }                                                                                                  \
  static V exp_recipe(V x);                                                                          \
  static V log_recipe(V u);

template <class T>
struct Simd;

template <>
struct Simd<double> {
  using V = __m128d;
  static constexpr std::size_t kLanes = 2;

  static V zero() { return _mm_setzero_pd(); }
  static V set1(double x) { return _mm_set1_pd(x); }
  static V load(const double* p) { return _mm_loadu_pd(p); }
  static void store(double* p, V v) { _mm_storeu_pd(p, v); }
  // One double from lo in lane 0, one from hi in lane 1 (scale_whole_rows.hpp's half rows: dim 1).
  static V load_halves(const double* lo, const double* hi) { return _mm_loadh_pd(_mm_load_sd(lo), hi); }
  static V add(V a, V b) { return _mm_add_pd(a, b); }
  static V sub(V a, V b) { return _mm_sub_pd(a, b); }
  static V mul(V a, V b) { return _mm_mul_pd(a, b); }
  static V div(V a, V b) { return _mm_div_pd(a, b); }
  static V max(V a, V b) { return _mm_max_pd(a, b); }
  static V mul_add(V a, V b, V c) { return _mm_add_pd(_mm_mul_pd(a, b), c); }
  static V bit_or(V a, V b) { return _mm_or_pd(a, b); }
  static V select(V mask, V if_false, V if_true) { return _mm_blendv_pd(if_false, if_true, mask); }
  static V equal(V a, V b) { return _mm_cmpeq_pd(a, b); }
  static bool any(V mask) { return _mm_movemask_pd(mask) != 0; }
  // All-ones lanes where d is zero, infinite or NaN: |d| < inf is false exactly for inf and NaN.
  static V bad(V d) {
    const V a = _mm_andnot_pd(_mm_set1_pd(-0.0), d);
    return _mm_or_pd(_mm_cmpnlt_pd(a, _mm_set1_pd(__builtin_inf())), _mm_cmpeq_pd(d, _mm_setzero_pd()));
  }
  // kLanes rows `stride` elements apart, read one element per row (the avx512 kernels gather in hardware).
  using Rows = std::size_t;
  static Rows rows(std::size_t stride) { return stride; }
  static V gather(const double* p, Rows stride) { return _mm_set_pd(p[stride], p[0]); }
  DG_SSE4_TAIL_API(double)
  static constexpr bool kTransposeRows = false;  // by_points reads columns with gather() (scalar loads here)
};

template <>
struct Simd<float> {
  using V = __m128;
  static constexpr std::size_t kLanes = 4;

  static V zero() { return _mm_setzero_ps(); }
  static V set1(float x) { return _mm_set1_ps(x); }
  static V load(const float* p) { return _mm_loadu_ps(p); }
  static void store(float* p, V v) { _mm_storeu_ps(p, v); }
  // Two floats from lo, two from hi (movlps/movhps: no alignment asked, nothing read beyond the pairs).
  static V load_halves(const float* lo, const float* hi) {
    return _mm_loadh_pi(_mm_loadl_pi(_mm_setzero_ps(), reinterpret_cast<const __m64*>(lo)),
                        reinterpret_cast<const __m64*>(hi));
  }
  static V add(V a, V b) { return _mm_add_ps(a, b); }
  static V sub(V a, V b) { return _mm_sub_ps(a, b); }
  static V mul(V a, V b) { return _mm_mul_ps(a, b); }
  static V div(V a, V b) { return _mm_div_ps(a, b); }
  static V max(V a, V b) { return _mm_max_ps(a, b); }
  static V mul_add(V a, V b, V c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }
  static V bit_or(V a, V b) { return _mm_or_ps(a, b); }
  static V select(V mask, V if_false, V if_true) { return _mm_blendv_ps(if_false, if_true, mask); }
  static V equal(V a, V b) { return _mm_cmpeq_ps(a, b); }
  static bool any(V mask) { return _mm_movemask_ps(mask) != 0; }
  static V bad(V d) {
    const V a = _mm_andnot_ps(_mm_set1_ps(-0.0f), d);
    return _mm_or_ps(_mm_cmpnlt_ps(a, _mm_set1_ps(__builtin_inff())), _mm_cmpeq_ps(d, _mm_setzero_ps()));
  }
  using Rows = std::size_t;
  static Rows rows(std::size_t stride) { return stride; }
  static V gather(const float* p, Rows stride) {
    return _mm_setr_ps(p[0], p[stride], p[2 * stride], p[3 * stride]);
  }
  DG_SSE4_TAIL_API(float)
  static constexpr bool kTransposeRows = false;
};

// ---- loops --------------------------------------------------------------------------------------------------------

// out[i] = vec_op(in[i]...) for i < n, always inlined (callers run it once per row, and a call per row costs
// more than a short row).  Four independent vectors per iteration keep several divisions in flight (the divider
// is the bottleneck of most of these kernels); the scalar tail applies the same IEEE operation.  Every vector is
// loaded before any is stored, so out may alias an input.
template <class T, class VecOp, class ScalarOp, class... In>
[[gnu::always_inline]] inline void elementwise(std::size_t n, T* out, VecOp vec_op, ScalarOp scalar_op,
                                               const In*... in) {
  using S = Simd<T>;
  constexpr std::size_t W = S::kLanes;
  static_assert(W == 2 || W == 4);
  const std::size_t vec_end = n & ~(W - 1);  // a bound the loops end on exactly, so none is recomputed after them
  std::size_t i = 0;
  if (n >= 4 * W) {
    for (; i + 4 * W <= vec_end; i += 4 * W) {
      const auto r0 = vec_op(S::load(in + i)...);
      const auto r1 = vec_op(S::load(in + i + W)...);
      const auto r2 = vec_op(S::load(in + i + 2 * W)...);
      const auto r3 = vec_op(S::load(in + i + 3 * W)...);
      S::store(out + i, r0);
      S::store(out + i + W, r1);
      S::store(out + i + 2 * W, r2);
      S::store(out + i + 3 * W, r3);
    }
  }
  for (; i < vec_end; i += W) S::store(out + i, vec_op(S::load(in + i)...));
  // At most W - 1 elements are left.  Short rows (multi-RHS solves, labelled scale_shift) make this tail hot:
  // straight-line ifs measured up to 2x faster there than a loop or the compiler's vectorized version of one.
  if (i < n) {
    out[i] = scalar_op(in[i]...);
    if constexpr (W == 4) {
      if (++i < n) {
        out[i] = scalar_op(in[i]...);
        if (++i < n) out[i] = scalar_op(in[i]...);
      }
    }
  }
}

// out[p][j] = op(in[p][j], a[j], b[j]) over npoints x dim (out may be in).  With short rows the per-row tails
// would dominate, so kLanes rows at a time are treated as one run of kLanes * dim elements (whole vectors, no
// tail) against a and b replicated kLanes times in a stack buffer.
template <class T, class VecOp, class ScalarOp>
void rows_elementwise(std::size_t npoints, std::size_t dim, const T* in, const T* a, const T* b, T* out,
                      VecOp vec_op, ScalarOp scalar_op) {
  constexpr std::size_t W = Simd<T>::kLanes, kMaxRun = 256;
  std::size_t p = 0;
  if (W * dim <= kMaxRun && npoints >= 2 * W) {
    alignas(16) T ra[kMaxRun], rb[kMaxRun];
    for (std::size_t r = 0; r < W; ++r)
      for (std::size_t j = 0; j < dim; ++j) ra[r * dim + j] = a[j], rb[r * dim + j] = b[j];
    for (; p + W <= npoints; p += W)
      elementwise(W * dim, out + p * dim, vec_op, scalar_op, in + p * dim, static_cast<const T*>(ra),
                  static_cast<const T*>(rb));
  }
  for (; p < npoints; ++p) elementwise(dim, out + p * dim, vec_op, scalar_op, in + p * dim, a, b);
}

// ---- the log-densities' log (fdlibm form, recipe::f64::kLog / f32::kLog; not the sampler's LOG) ----------------

inline __m128d log_recipe(__m128d u) {
  namespace R = recipe::f64;
  const __m128i bits = _mm_castpd_si128(u);
  const __m128i mant = _mm_and_si128(bits, _mm_set1_epi64x(R::kMantMask));
  const __m128i big = _mm_cmpgt_epi64(mant, _mm_set1_epi64x(R::kSqrt2Mant));
  const __m128d m = _mm_castsi128_pd(
      _mm_or_si128(mant, _mm_blendv_epi8(_mm_set1_epi64x(R::kOneBits), _mm_set1_epi64x(R::kHalfBits), big)));
  // e is small, so it converts through the 1.5 * 2^52 trick (SSE has no int64 -> double conversion); big is
  // all ones (-1) where the exponent goes up by one.
  const __m128i e = _mm_sub_epi64(_mm_sub_epi64(_mm_srli_epi64(bits, 52), _mm_set1_epi64x(R::kBias)), big);
  const __m128d E = _mm_sub_pd(_mm_castsi128_pd(_mm_add_epi64(e, _mm_castpd_si128(_mm_set1_pd(0x1.8p52)))),
                               _mm_set1_pd(0x1.8p52));
  using S = Simd<double>;
  const __m128d f = _mm_sub_pd(m, _mm_set1_pd(1.0));
  const __m128d s = _mm_div_pd(f, _mm_add_pd(_mm_set1_pd(2.0), f));
  const __m128d z = _mm_mul_pd(s, s);
  __m128d p = _mm_set1_pd(R::kLog[6]);
  for (int i = 5; i >= 0; --i) p = S::mul_add(p, z, _mm_set1_pd(R::kLog[i]));
  const __m128d r = _mm_mul_pd(p, z);
  const __m128d hfsq = _mm_mul_pd(_mm_mul_pd(_mm_set1_pd(0.5), f), f);
  const __m128d lp = _mm_sub_pd(f, _mm_sub_pd(hfsq, _mm_mul_pd(s, _mm_add_pd(hfsq, r))));
  return S::mul_add(E, _mm_set1_pd(R::kLn2Hi), S::mul_add(E, _mm_set1_pd(R::kLn2Lo), lp));
}

inline __m128 log_recipe(__m128 u) {
  namespace R = recipe::f32;
  const __m128i bits = _mm_castps_si128(u);
  const __m128i mant = _mm_and_si128(bits, _mm_set1_epi32(R::kMantMask));
  const __m128i big = _mm_cmpgt_epi32(mant, _mm_set1_epi32(R::kSqrt2Mant));
  const __m128 m = _mm_castsi128_ps(
      _mm_or_si128(mant, _mm_blendv_epi8(_mm_set1_epi32(R::kOneBits), _mm_set1_epi32(R::kHalfBits), big)));
  const __m128i e = _mm_sub_epi32(_mm_sub_epi32(_mm_srli_epi32(bits, 23), _mm_set1_epi32(R::kBias)), big);
  const __m128 E = _mm_cvtepi32_ps(e);
  using S = Simd<float>;
  const __m128 f = _mm_sub_ps(m, _mm_set1_ps(1.0f));
  const __m128 s = _mm_div_ps(f, _mm_add_ps(_mm_set1_ps(2.0f), f));
  const __m128 z = _mm_mul_ps(s, s);
  __m128 p = _mm_set1_ps(R::kLog[3]);
  for (int i = 2; i >= 0; --i) p = S::mul_add(p, z, _mm_set1_ps(R::kLog[i]));
  const __m128 r = _mm_mul_ps(p, z);
  const __m128 hfsq = _mm_mul_ps(_mm_mul_ps(_mm_set1_ps(0.5f), f), f);
  const __m128 lp = _mm_sub_ps(f, _mm_sub_ps(hfsq, _mm_mul_ps(s, _mm_add_ps(hfsq, r))));
  return S::mul_add(E, _mm_set1_ps(R::kLn2Hi), S::mul_add(E, _mm_set1_ps(R::kLn2Lo), lp));
}

// ---- recipe exp (exp_recipe.hpp) for x = l - max <= 0 -------------------------------------------------------------
// Lanes below kExpMinArg, and NaN lanes (-inf - -inf: a point whose terms are all -inf), give 0.

inline __m128d exp_recipe(__m128d x) {
  namespace R = recipe::f64;
  using S = Simd<double>;
  const __m128d keep = _mm_cmpge_pd(x, _mm_set1_pd(R::kExpMinArg));
  const __m128d n = _mm_round_pd(_mm_mul_pd(x, _mm_set1_pd(R::kLog2e)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  // n * kExpLn2Hi is exact (kExpLn2Hi has 32 significant bits, |n| <= 1075), so the first step equals the fma.
  __m128d r = _mm_sub_pd(x, _mm_mul_pd(n, _mm_set1_pd(R::kExpLn2Hi)));
  r = _mm_sub_pd(r, _mm_mul_pd(n, _mm_set1_pd(R::kExpLn2Lo)));
  __m128d p = _mm_set1_pd(R::kExp[13]);
  for (int i = 12; i >= 0; --i) p = S::mul_add(p, r, _mm_set1_pd(R::kExp[i]));
  const __m128i ni = _mm_cvtepi32_epi64(_mm_cvtpd_epi32(n));
  const __m128d scale = _mm_castsi128_pd(_mm_slli_epi64(_mm_add_epi64(ni, _mm_set1_epi64x(R::kBias)), 52));
  return _mm_and_pd(_mm_mul_pd(p, scale), keep);
}

inline __m128 exp_recipe(__m128 x) {
  namespace R = recipe::f32;
  using S = Simd<float>;
  const __m128 keep = _mm_cmpge_ps(x, _mm_set1_ps(R::kExpMinArg));
  const __m128 n = _mm_round_ps(_mm_mul_ps(x, _mm_set1_ps(R::kLog2e)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m128 r = _mm_sub_ps(x, _mm_mul_ps(n, _mm_set1_ps(R::kExpLn2Hi)));
  r = _mm_sub_ps(r, _mm_mul_ps(n, _mm_set1_ps(R::kExpLn2Lo)));
  __m128 p = _mm_set1_ps(R::kExp[7]);
  for (int i = 6; i >= 0; --i) p = S::mul_add(p, r, _mm_set1_ps(R::kExp[i]));
  const __m128i ni = _mm_cvtps_epi32(n);
  const __m128 scale = _mm_castsi128_ps(_mm_slli_epi32(_mm_add_epi32(ni, _mm_set1_epi32(R::kBias)), 23));
  return _mm_and_ps(_mm_mul_ps(p, scale), keep);
}

inline __m128d Simd<double>::exp_recipe(__m128d x) { return sse4::exp_recipe(x); }
inline __m128 Simd<float>::exp_recipe(__m128 x) { return sse4::exp_recipe(x); }
inline __m128d Simd<double>::log_recipe(__m128d u) { return sse4::log_recipe(u); }
inline __m128 Simd<float>::log_recipe(__m128 u) { return sse4::log_recipe(u); }

#undef DG_SSE4_TAIL_API
}  // namespace diaggauss::sse4
