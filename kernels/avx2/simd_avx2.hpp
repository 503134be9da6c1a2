// AVX2+FMA helpers shared by the kernels of this folder.  Everything, inline helpers included, lives in
// diaggauss::avx2 so that the linker can never merge a copy compiled with these flags into another ISA's code.
// Overloads on __m256d / __m256 let one template body serve double and float.
#pragma once
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "kernels/common/normal_recipe.hpp"

namespace diaggauss::avx2 {

template <class T> struct VecOf;
template <> struct VecOf<double> { using type = __m256d; };
template <> struct VecOf<float> { using type = __m256; };
template <class T> using Vec = typename VecOf<T>::type;
template <class T> inline constexpr std::size_t kLanes = 32 / sizeof(T);

inline __m256d loadu(const double* p) { return _mm256_loadu_pd(p); }
inline __m256 loadu(const float* p) { return _mm256_loadu_ps(p); }
inline void storeu(double* p, __m256d v) { _mm256_storeu_pd(p, v); }
inline void storeu(float* p, __m256 v) { _mm256_storeu_ps(p, v); }
inline __m256d set1(double x) { return _mm256_set1_pd(x); }
inline __m256 set1(float x) { return _mm256_set1_ps(x); }

inline __m256d add(__m256d a, __m256d b) { return _mm256_add_pd(a, b); }
inline __m256 add(__m256 a, __m256 b) { return _mm256_add_ps(a, b); }
inline __m256d sub(__m256d a, __m256d b) { return _mm256_sub_pd(a, b); }
inline __m256 sub(__m256 a, __m256 b) { return _mm256_sub_ps(a, b); }
inline __m256d mul(__m256d a, __m256d b) { return _mm256_mul_pd(a, b); }
inline __m256 mul(__m256 a, __m256 b) { return _mm256_mul_ps(a, b); }
inline __m256d div(__m256d a, __m256d b) { return _mm256_div_pd(a, b); }
inline __m256 div(__m256 a, __m256 b) { return _mm256_div_ps(a, b); }
// fma(a, b, c) = a*b + c, one rounding
inline __m256d fma(__m256d a, __m256d b, __m256d c) { return _mm256_fmadd_pd(a, b, c); }
inline __m256 fma(__m256 a, __m256 b, __m256 c) { return _mm256_fmadd_ps(a, b, c); }
// c - a*b, one rounding (equals fma(-a, b, c): negation is exact)
inline __m256d fnma(__m256d a, __m256d b, __m256d c) { return _mm256_fnmadd_pd(a, b, c); }
inline __m256 fnma(__m256 a, __m256 b, __m256 c) { return _mm256_fnmadd_ps(a, b, c); }
inline __m256d max(__m256d a, __m256d b) { return _mm256_max_pd(a, b); }
inline __m256 max(__m256 a, __m256 b) { return _mm256_max_ps(a, b); }
inline __m256d bit_or(__m256d a, __m256d b) { return _mm256_or_pd(a, b); }
inline __m256 bit_or(__m256 a, __m256 b) { return _mm256_or_ps(a, b); }
inline bool any_sign(__m256d m) { return _mm256_movemask_pd(m) != 0; }
inline bool any_sign(__m256 m) { return _mm256_movemask_ps(m) != 0; }

inline __m256i bits(__m256d v) { return _mm256_castpd_si256(v); }
inline __m256i bits(__m256 v) { return _mm256_castps_si256(v); }
inline __m256d as_f64(__m256i v) { return _mm256_castsi256_pd(v); }
inline __m256 as_f32(__m256i v) { return _mm256_castsi256_ps(v); }

// Half-width (128-bit) vectors take tail elements that do not fill a whole vector.
inline __m128d loadu_half(const double* p) { return _mm_loadu_pd(p); }
inline __m128 loadu_half(const float* p) { return _mm_loadu_ps(p); }
inline void storeu(double* p, __m128d v) { _mm_storeu_pd(p, v); }
inline void storeu(float* p, __m128 v) { _mm_storeu_ps(p, v); }
inline __m128d sub(__m128d a, __m128d b) { return _mm_sub_pd(a, b); }
inline __m128 sub(__m128 a, __m128 b) { return _mm_sub_ps(a, b); }
inline __m128d mul(__m128d a, __m128d b) { return _mm_mul_pd(a, b); }
inline __m128 mul(__m128 a, __m128 b) { return _mm_mul_ps(a, b); }
inline __m128d div(__m128d a, __m128d b) { return _mm_div_pd(a, b); }
inline __m128 div(__m128 a, __m128 b) { return _mm_div_ps(a, b); }
inline __m128d fma(__m128d a, __m128d b, __m128d c) { return _mm_fmadd_pd(a, b, c); }
inline __m128 fma(__m128 a, __m128 b, __m128 c) { return _mm_fmadd_ps(a, b, c); }
// x broadcast to the width of the first argument, for operations written once for both widths.
inline __m256d splat(__m256d, double x) { return _mm256_set1_pd(x); }
inline __m256 splat(__m256, float x) { return _mm256_set1_ps(x); }
inline __m128d splat(__m128d, double x) { return _mm_set1_pd(x); }
inline __m128 splat(__m128, float x) { return _mm_set1_ps(x); }

// The log-density kernels' LOG (fdlibm's, recipe::f64::kLog / f32::kLog; not the sampler's) for positive normal
// inputs (and 0, which gives a finite value that callers only ever add to -inf), on G independent vectors at once:
// each step is issued for all G before the next, so the divisions and Horner chains of different vectors overlap
// instead of waiting on each other.
template <int G>
inline void recipe_log(const __m256d (&u)[G], __m256d (&out)[G]) {
  namespace R = recipe::f64;
  __m256d E[G], f[G], s[G], z[G], p[G];
  for (int g = 0; g < G; ++g) {
    const __m256i b = bits(u[g]);
    const __m256i mant = _mm256_and_si256(b, _mm256_set1_epi64x(R::kMantMask));
    const __m256i big = _mm256_cmpgt_epi64(mant, _mm256_set1_epi64x(R::kSqrt2Mant));  // all ones where big
    const __m256i exp_bits =
        _mm256_blendv_epi8(_mm256_set1_epi64x(R::kOneBits), _mm256_set1_epi64x(R::kHalfBits), big);
    f[g] = sub(as_f64(_mm256_or_si256(mant, exp_bits)), set1(1.0));
    s[g] = div(f[g], add(set1(2.0), f[g]));
    z[g] = mul(s[g], s[g]);
    // AVX2 has no int64 -> double conversion; the biased exponent (< 2^11) placed in the mantissa of 2^52,
    // minus 2^52 + bias, is e exactly.
    const __m256i biased = _mm256_sub_epi64(_mm256_srli_epi64(b, 52), big);
    E[g] = sub(as_f64(_mm256_or_si256(biased, _mm256_set1_epi64x(0x4330000000000000ll))), set1(0x1p52 + R::kBias));
  }
  for (int g = 0; g < G; ++g) p[g] = set1(R::kLog[6]);
  for (int i = 5; i >= 0; --i)
    for (int g = 0; g < G; ++g) p[g] = fma(p[g], z[g], set1(R::kLog[i]));
  for (int g = 0; g < G; ++g) {
    const __m256d r = mul(p[g], z[g]);
    const __m256d hfsq = mul(mul(set1(0.5), f[g]), f[g]);
    const __m256d lp = sub(f[g], sub(hfsq, mul(s[g], add(hfsq, r))));
    out[g] = fma(E[g], set1(R::kLn2Hi), fma(E[g], set1(R::kLn2Lo), lp));
  }
}

template <int G>
inline void recipe_log(const __m256 (&u)[G], __m256 (&out)[G]) {
  namespace R = recipe::f32;
  __m256 E[G], f[G], s[G], z[G], p[G];
  for (int g = 0; g < G; ++g) {
    const __m256i b = bits(u[g]);
    const __m256i mant = _mm256_and_si256(b, _mm256_set1_epi32(R::kMantMask));
    const __m256i big = _mm256_cmpgt_epi32(mant, _mm256_set1_epi32(R::kSqrt2Mant));
    const __m256i exp_bits =
        _mm256_blendv_epi8(_mm256_set1_epi32(R::kOneBits), _mm256_set1_epi32(R::kHalfBits), big);
    f[g] = sub(as_f32(_mm256_or_si256(mant, exp_bits)), set1(1.0f));
    s[g] = div(f[g], add(set1(2.0f), f[g]));
    z[g] = mul(s[g], s[g]);
    const __m256i e = _mm256_sub_epi32(_mm256_srli_epi32(b, 23), _mm256_add_epi32(_mm256_set1_epi32(R::kBias), big));
    E[g] = _mm256_cvtepi32_ps(e);
  }
  for (int g = 0; g < G; ++g) p[g] = set1(R::kLog[3]);
  for (int i = 2; i >= 0; --i)
    for (int g = 0; g < G; ++g) p[g] = fma(p[g], z[g], set1(R::kLog[i]));
  for (int g = 0; g < G; ++g) {
    const __m256 r = mul(p[g], z[g]);
    const __m256 hfsq = mul(mul(set1(0.5f), f[g]), f[g]);
    const __m256 lp = sub(f[g], sub(hfsq, mul(s[g], add(hfsq, r))));
    out[g] = fma(E[g], set1(R::kLn2Hi), fma(E[g], set1(R::kLn2Lo), lp));
  }
}

template <class V>
inline V recipe_log(V u) {
  const V in[1] = {u};
  V out[1];
  recipe_log<1>(in, out);
  return out[0];
}

// out[i] = op(in[i]...), with vop generic over the vector width.  Four vectors per iteration keep enough
// independent divisions in flight to pipeline the divider and keep the load/store ports busy.  The tail (one
// half-width vector, then scalars) runs the same IEEE operations as the body, so no result depends on where
// the vector loop stops.  out may alias an input.
template <class T, class VecOp, class ScalarOp, class... In>
inline void map(std::size_t n, T* out, VecOp vop, ScalarOp sop, const In*... in) {
  constexpr std::size_t W = kLanes<T>;
  std::size_t i = 0;
  // Each result is stored as soon as it is computed: the loads of the next vector then never wait behind a
  // queue of stores (measured: 10 % faster than grouping the stores for the L2-resident multiply).
  for (; i + 4 * W <= n; i += 4 * W) {
    storeu(out + i, vop(loadu(in + i)...));
    storeu(out + i + W, vop(loadu(in + i + W)...));
    storeu(out + i + 2 * W, vop(loadu(in + i + 2 * W)...));
    storeu(out + i + 3 * W, vop(loadu(in + i + 3 * W)...));
  }
  for (; i + W <= n; i += W) storeu(out + i, vop(loadu(in + i)...));
  if (i + W / 2 <= n) {
    storeu(out + i, vop(loadu_half(in + i)...));
    i += W / 2;
  }
  for (; i < n; ++i) out[i] = sop(in[i]...);
}

// map() for one long array, with its stores aligned to the vector (so that none writes two cache lines), as
// avx512's elementwise_line_aligned (kernels/avx512/simd_avx512.hpp, which says why: glibc's large blocks start 16
// bytes past a line): when out is a whole number of elements off and aliases no input, the first vector is done
// unaligned and the rest starts at the next 32-byte boundary, the elements in between computed twice into the
// same values.  From 16 vectors on; the flat kernels only.
template <class T, class VecOp, class ScalarOp, class... In>
inline void map_aligned_stores(std::size_t n, T* out, VecOp vop, ScalarOp sop, const In*... in) {
  constexpr std::size_t W = kLanes<T>, kBytes = W * sizeof(T);
  const std::size_t past = reinterpret_cast<std::uintptr_t>(out) % kBytes;
  std::size_t skip = 0;
  if (n >= 16 * W && past != 0 && past % sizeof(T) == 0 &&
      ((static_cast<const void*>(in) != static_cast<const void*>(out)) && ...)) {
    storeu(out, vop(loadu(in)...));
    skip = (kBytes - past) / sizeof(T);
  }
  map(n - skip, out + skip, vop, sop, (in + skip)...);
}

// One row z[j] = op(x[j], a[j], b[j]): whole vectors and no tail logic when dim is a multiple of the width
// (D = 4 doubles: one operation per row), map() otherwise.
template <class T, class VecOp, class ScalarOp>
inline void map_row(std::size_t dim, T* z, VecOp vop, ScalarOp sop, const T* x, const T* a, const T* b) {
  constexpr std::size_t W = kLanes<T>;
  if (dim % W != 0) return map(dim, z, vop, sop, x, a, b);
  for (std::size_t j = 0; j < dim; j += W) storeu(z + j, vop(loadu(x + j), loadu(a + j), loadu(b + j)));
}

// Z[p][j] = op(X[p][j], a[j], b[j]) over a row-major npoints x dim block.  Short rows would leave most of the
// work to the scalar tail, so when a few rows' worth of (a, b) fits on the stack the block is treated as one
// flat array: a[] and b[] are repeated to a length that is a multiple of both dim and the vector width, and
// every chunk of that length starts at column 0.
template <class T, class VecOp, class ScalarOp>
inline void map_rows(std::size_t npoints, std::size_t dim, const T* X, const T* a, const T* b, T* Z, VecOp vop,
                     ScalarOp sop) {
  constexpr std::size_t W = kLanes<T>, kRepCap = 512;
  const std::size_t total = npoints * dim, period = dim * W;
  if (period == 0) return;
  // Rows of whole vectors read a[] and b[] in place: nothing to repeat.
  if (dim % W == 0 || period > kRepCap || total < period) {
    for (std::size_t p = 0; p < npoints; ++p) map_row(dim, Z + p * dim, vop, sop, X + p * dim, a, b);
    return;
  }
  alignas(32) T rep_a[kRepCap], rep_b[kRepCap];
  const std::size_t chunk = period * std::min(kRepCap / period, total / period);
  // Row-sized copies, not an element loop with i % dim: a 64-bit division per element made building the
  // repeats cost more than whitening 1024 elements (0.62 vs 2.5 G/s for the auto-vectorised loop).
  for (std::size_t r = 0; r < chunk; r += dim) {
    std::copy(a, a + dim, rep_a + r);
    std::copy(b, b + dim, rep_b + r);
  }
  for (std::size_t f = 0; f < total; f += chunk)
    map(std::min(chunk, total - f), Z + f, vop, sop, X + f, +rep_a, +rep_b);
}

}  // namespace diaggauss::avx2
