// AVX2 sampling kernels: kernels/common/normal_recipe.hpp step for step (the normals through the shared body,
// kernels/common/normal_v2_body.hpp), four Philox blocks per vector set, so the outputs are bit-identical to the
// scalar oracle (same operations, same order, fma exactly where the recipe has one).
#include <algorithm>
#include <cmath>

#include "kernels/avx2/avx2_kernels.hpp"
#include "kernels/avx2/simd_avx2.hpp"
#include "kernels/common/normal_v2_body.hpp"
#include "kernels/common/stream_driver.hpp"

namespace diaggauss::avx2 {
namespace {

// Philox4x32-10 on four blocks at a time: block b's words sit in 64-bit lane b of two registers, x = w0 | w1 << 32
// and y = w2 | w3 << 32, so _mm256_mul_epu32 (which reads the low halves) yields the full 32x32->64 products of
// w0 and w2 directly, and the outputs are already the word pairs the double kernels need.
struct PhiloxKey {
  __m256i k0[recipe::kPhiloxRounds], k1[recipe::kPhiloxRounds];
  explicit PhiloxKey(std::uint64_t seed) {
    auto a = static_cast<std::uint32_t>(seed), b = static_cast<std::uint32_t>(seed >> 32);
    for (int r = 0; r < recipe::kPhiloxRounds; ++r, a += recipe::kPhiloxW0, b += recipe::kPhiloxW1) {
      k0[r] = _mm256_set1_epi64x(a);
      k1[r] = _mm256_set1_epi64x(b);
    }
  }
};

// G independent groups of four blocks, advanced round by round together so their dependency chains overlap
// (fully unrolled, rounds and groups: the round keys become memory operands).  Two registers per group instead of
// one per word, so four groups fit in the 16 ymm registers (the one-per-word layout spilled on every round).
// Measured on Zen 3 against that layout, A/B in one process (bench/ab/ab_normal.sh, medians of 41 rounds): f64
// normals 1.04-1.16x, f32 1.03-1.06x, bits equal; six groups measured no better than four.  One round:
//   p0 = M0 * w0 = lo0 | hi0 << 32,  p1 = M1 * w2 = lo1 | hi1 << 32          (_mm256_mul_epu32 reads the low halves)
//   x' = (hi1 ^ w1 ^ k0) | lo1 << 32 = swap(p1) ^ ((x >> 32) ^ k0),  y' = swap(p0) ^ ((y >> 32) ^ k1)
// (the key is zero in the high halves, so the high halves get exactly lo1 and lo0).
template <int G>
inline void philox10_packed(__m256i (&x)[G], __m256i (&y)[G], const PhiloxKey& key) {
  const __m256i m0 = _mm256_set1_epi64x(recipe::kPhiloxM0), m1 = _mm256_set1_epi64x(recipe::kPhiloxM1);
#pragma GCC unroll 10
  for (int r = 0; r < recipe::kPhiloxRounds; ++r) {
#pragma GCC unroll 8
    for (int g = 0; g < G; ++g) {
      const __m256i p0 = _mm256_mul_epu32(x[g], m0);
      const __m256i p1 = _mm256_mul_epu32(y[g], m1);
      const __m256i x1 = _mm256_xor_si256(_mm256_srli_epi64(x[g], 32), key.k0[r]);
      const __m256i y1 = _mm256_xor_si256(_mm256_srli_epi64(y[g], 32), key.k1[r]);
      x[g] = _mm256_xor_si256(_mm256_shuffle_epi32(p1, 0xB1), x1);
      y[g] = _mm256_xor_si256(_mm256_shuffle_epi32(p0, 0xB1), y1);
    }
  }
}

// The 16 words of four blocks in index order: block 0 words 0..3, block 1, ... (two vectors of eight), from the
// packed state x = w0 | w1 << 32, y = w2 | w3 << 32.
inline void words_in_order(__m256i x, __m256i y, __m256i& first, __m256i& second) {
  const __m256i even = _mm256_unpacklo_epi64(x, y), odd = _mm256_unpackhi_epi64(x, y);  // blocks 0,2 | 1,3
  first = _mm256_permute2x128_si256(even, odd, 0x20);
  second = _mm256_permute2x128_si256(even, odd, 0x31);
}

// out = a0 b0 a1 b1 a2 b2 a3 b3 (a lane-per-block pair of results into index order).
inline void store_interleaved(double* out, __m256d a, __m256d b) {
  const __m256d lo = _mm256_unpacklo_pd(a, b), hi = _mm256_unpackhi_pd(a, b);  // blocks 0,2 | 1,3
  storeu(out, _mm256_permute2f128_pd(lo, hi, 0x20));
  storeu(out + 4, _mm256_permute2f128_pd(lo, hi, 0x31));
}
// Float lanes hold two results per block (lanes 2b, 2b+1): out = a0 b0 a1 b1 | a2 b2 a3 b3 | ... per block.
inline void store_interleaved(float* out, __m256 a, __m256 b) {
  const __m256 lo = _mm256_unpacklo_ps(a, b), hi = _mm256_unpackhi_ps(a, b);  // blocks 0,2 | 1,3
  storeu(out, _mm256_permute2f128_ps(lo, hi, 0x20));
  storeu(out + 8, _mm256_permute2f128_ps(lo, hi, 0x31));
}

// Lane masks live in the sign bit: sign_of keeps just that bit, flip negates where it is set, select picks
// `yes` where it is set (blendv reads only the sign bit).
inline __m256d sign_of(__m256i v, double) { return _mm256_and_pd(as_f64(v), set1(-0.0)); }
inline __m256 sign_of(__m256i v, float) { return _mm256_and_ps(as_f32(v), set1(-0.0f)); }
inline __m256d flip(__m256d v, __m256d sign) { return _mm256_xor_pd(v, sign); }
inline __m256 flip(__m256 v, __m256 sign) { return _mm256_xor_ps(v, sign); }
inline __m256d select(__m256d no, __m256d yes, __m256i mask) { return _mm256_blendv_pd(no, yes, as_f64(mask)); }
inline __m256 select(__m256 no, __m256 yes, __m256i mask) { return _mm256_blendv_ps(no, yes, as_f32(mask)); }

// Output kinds (kernels/common/stream_driver.hpp).  emit(kind, x, y, out) turns the words of G groups of four
// consecutive blocks (group g in x[g], y[g]: lane b holds block b's w0 | w1 << 32 and w2 | w3 << 32) into their
// G * 4 << Kind::kShift outputs, in index order.
using stream_driver::NormalF32;
using stream_driver::NormalF64;
using stream_driver::UniformF32;
using stream_driver::UniformF64;
using stream_driver::Words;

template <int G>
inline void emit(Words, const __m256i (&x)[G], const __m256i (&y)[G], std::uint32_t* out) {
  for (int g = 0; g < G; ++g) {
    __m256i first, second;
    words_in_order(x[g], y[g], first, second);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 16 * g), first);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 16 * g + 8), second);
  }
}

// The uniform recipe: a 64-bit word pair per double, one word per float.
inline __m256d uniform64_from(__m256i a) {
  const __m256i m = _mm256_or_si256(_mm256_srli_epi64(a, 12), _mm256_set1_epi64x(recipe::f64::kOneBits));
  return add(sub(as_f64(m), set1(1.0)), set1(0x1p-53));
}
inline __m256 uniform32_from(__m256i w) {
  const __m256i m = _mm256_or_si256(_mm256_srli_epi32(w, 9), _mm256_set1_epi32(recipe::f32::kOneBits));
  return add(sub(as_f32(m), set1(1.0f)), set1(0x1p-24f));
}

template <int G>
inline void emit(UniformF64, const __m256i (&x)[G], const __m256i (&y)[G], double* out) {
  for (int g = 0; g < G; ++g) store_interleaved(out + 8 * g, uniform64_from(x[g]), uniform64_from(y[g]));
}

template <int G>
inline void emit(UniformF32, const __m256i (&x)[G], const __m256i (&y)[G], float* out) {
  for (int g = 0; g < G; ++g) {
    __m256i first, second;
    words_in_order(x[g], y[g], first, second);
    storeu(out + 16 * g, uniform32_from(first));
    storeu(out + 16 * g + 8, uniform32_from(second));
  }
}

// The lane operations of kernels/common/normal_v2_body.hpp on AVX2 + FMA.
template <class T>
struct Ops;
template <>
struct Ops<double> {
  using F = __m256d;
  using U = __m256i;
  static F set(double x) { return _mm256_set1_pd(x); }
  static U set_u(std::uint64_t x) { return _mm256_set1_epi64x(static_cast<long long>(x)); }
  static F add(F a, F b) { return _mm256_add_pd(a, b); }
  static F sub(F a, F b) { return _mm256_sub_pd(a, b); }
  static F mul(F a, F b) { return _mm256_mul_pd(a, b); }
  static F div(F a, F b) { return _mm256_div_pd(a, b); }
  static F sqrt(F a) { return _mm256_sqrt_pd(a); }
  static F fma(F a, F b, F c) { return _mm256_fmadd_pd(a, b, c); }
  static F as_f(U a) { return _mm256_castsi256_pd(a); }
  static U as_u(F a) { return _mm256_castpd_si256(a); }
  static U add_u(U a, U b) { return _mm256_add_epi64(a, b); }
  static U and_u(U a, U b) { return _mm256_and_si256(a, b); }
  static U or_u(U a, U b) { return _mm256_or_si256(a, b); }
  static U xor_u(U a, U b) { return _mm256_xor_si256(a, b); }
  template <int n> static U shr(U a) { return _mm256_srli_epi64(a, n); }
  template <int n> static U shl(U a) { return _mm256_slli_epi64(a, n); }
  static F select(F no, F yes, U m) { return _mm256_blendv_pd(no, yes, as_f(m)); }
  static F negate_if(F v, U m) { return _mm256_xor_pd(v, _mm256_and_pd(as_f(m), set(-0.0))); }
};
template <>
struct Ops<float> {
  using F = __m256;
  using U = __m256i;
  static F set(float x) { return _mm256_set1_ps(x); }
  static U set_u(std::uint32_t x) { return _mm256_set1_epi32(static_cast<int>(x)); }
  static F add(F a, F b) { return _mm256_add_ps(a, b); }
  static F sub(F a, F b) { return _mm256_sub_ps(a, b); }
  static F mul(F a, F b) { return _mm256_mul_ps(a, b); }
  static F div(F a, F b) { return _mm256_div_ps(a, b); }
  static F sqrt(F a) { return _mm256_sqrt_ps(a); }
  static F fma(F a, F b, F c) { return _mm256_fmadd_ps(a, b, c); }
  static F as_f(U a) { return _mm256_castsi256_ps(a); }
  static U as_u(F a) { return _mm256_castps_si256(a); }
  static U add_u(U a, U b) { return _mm256_add_epi32(a, b); }
  static U and_u(U a, U b) { return _mm256_and_si256(a, b); }
  static U or_u(U a, U b) { return _mm256_or_si256(a, b); }
  static U xor_u(U a, U b) { return _mm256_xor_si256(a, b); }
  template <int n> static U shr(U a) { return _mm256_srli_epi32(a, n); }
  template <int n> static U shl(U a) { return _mm256_slli_epi32(a, n); }
  static F select(F no, F yes, U m) { return _mm256_blendv_ps(no, yes, as_f(m)); }
  static F negate_if(F v, U m) { return _mm256_xor_ps(v, _mm256_and_ps(as_f(m), set(-0.0f))); }
};

// Philox4x32-10 in 32-bit lanes: c[j][g] holds word j of eight blocks (lane = block), so the float normals get
// their radius and angle words without any shuffle.  One round on eight blocks: the even lanes' products come
// from _mm256_mul_epu32 directly, the odd lanes' from the inputs shifted down; hi and lo halves are blended back
// into lane order.  Same words as philox10_packed (the tests compare both with the oracle).
struct PhiloxKey32 {
  __m256i k0[recipe::kPhiloxRounds], k1[recipe::kPhiloxRounds];
  explicit PhiloxKey32(std::uint64_t seed) {
    auto a = static_cast<std::uint32_t>(seed), b = static_cast<std::uint32_t>(seed >> 32);
    for (int r = 0; r < recipe::kPhiloxRounds; ++r, a += recipe::kPhiloxW0, b += recipe::kPhiloxW1) {
      k0[r] = _mm256_set1_epi32(static_cast<int>(a));
      k1[r] = _mm256_set1_epi32(static_cast<int>(b));
    }
  }
};

template <int G>
inline void philox10_lanes(__m256i (&c)[4][G], const PhiloxKey32& key) {
  const __m256i m0 = _mm256_set1_epi64x(recipe::kPhiloxM0), m1 = _mm256_set1_epi64x(recipe::kPhiloxM1);
#pragma GCC unroll 10
  for (int r = 0; r < recipe::kPhiloxRounds; ++r) {
#pragma GCC unroll 8
    for (int g = 0; g < G; ++g) {
      const __m256i e0 = _mm256_mul_epu32(c[0][g], m0), o0 = _mm256_mul_epu32(_mm256_srli_epi64(c[0][g], 32), m0);
      const __m256i e1 = _mm256_mul_epu32(c[2][g], m1), o1 = _mm256_mul_epu32(_mm256_srli_epi64(c[2][g], 32), m1);
      const __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(e0, 32), o0, 0xAA);
      const __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(e1, 32), o1, 0xAA);
      const __m256i lo0 = _mm256_blend_epi32(e0, _mm256_slli_epi64(o0, 32), 0xAA);
      const __m256i lo1 = _mm256_blend_epi32(e1, _mm256_slli_epi64(o1, 32), 0xAA);
      c[0][g] = _mm256_xor_si256(_mm256_xor_si256(hi1, c[1][g]), key.k0[r]);
      c[2][g] = _mm256_xor_si256(_mm256_xor_si256(hi0, c[3][g]), key.k1[r]);
      c[1][g] = lo1;
      c[3][g] = lo0;
    }
  }
}

// Double normals, one chunk (kernels/common/normal_recipe.hpp): Philox in 32-bit lanes on three groups of eight
// blocks (A, B, C = blocks 3t, 3t+1, 3t+2 of the chunk's triples t = 8c + lane).  unpacklo/hi_epi32 of words 0 and
// 1 (2 and 3) give the 64-bit words of 32-bit lanes 0, 1, 4, 5 (resp. 2, 3, 6, 7); the block numbers are packed so
// that those are triples 0-3 (resp. 4-7) in order.  Output k of a 64-bit lane is normal 8k + lane of the chunk: two
// contiguous stores per k, no transpose.
inline void normal_chunk_f64(const PhiloxKey32& key, std::uint64_t stream, std::uint64_t chunk, double* out) {
  const __m256i t_lo = _mm256_add_epi64(_mm256_set1_epi64x(static_cast<long long>(8 * chunk)),
                                        _mm256_setr_epi64x(0, 1, 2, 3));
  const __m256i t_hi = _mm256_add_epi64(t_lo, _mm256_set1_epi64x(4));
  const __m256i b_lo = _mm256_add_epi64(_mm256_add_epi64(t_lo, t_lo), t_lo);  // 3t
  const __m256i b_hi = _mm256_add_epi64(_mm256_add_epi64(t_hi, t_hi), t_hi);
  __m256i c[4][3];
  for (int j = 0; j < 3; ++j) {
    const __m256 lo = as_f32(_mm256_add_epi64(b_lo, _mm256_set1_epi64x(j)));
    const __m256 hi = as_f32(_mm256_add_epi64(b_hi, _mm256_set1_epi64x(j)));
    c[0][j] = bits(_mm256_shuffle_ps(lo, hi, 0x88));  // low words: lanes (t0, t1, t4, t5 | t2, t3, t6, t7)
    c[1][j] = bits(_mm256_shuffle_ps(lo, hi, 0xDD));  // high words
    c[2][j] = _mm256_set1_epi32(static_cast<int>(stream));
    c[3][j] = _mm256_set1_epi32(static_cast<int>(stream >> 32));
  }
  philox10_lanes<3>(c, key);
  __m256i w[2][6];
  for (int j = 0; j < 3; ++j) {
    w[0][2 * j] = _mm256_unpacklo_epi32(c[0][j], c[1][j]);
    w[1][2 * j] = _mm256_unpackhi_epi32(c[0][j], c[1][j]);
    w[0][2 * j + 1] = _mm256_unpacklo_epi32(c[2][j], c[3][j]);
    w[1][2 * j + 1] = _mm256_unpackhi_epi32(c[2][j], c[3][j]);
  }
  __m256d z[2][8];
  normal_v2::triples_f64<Ops<double>, 2>(w, z);
  for (int h = 0; h < 2; ++h)
    for (int k = 0; k < 8; ++k) storeu(out + 8 * k + 4 * h, z[h][k]);
}

// Float normals, one chunk of 16 blocks: two groups of eight blocks in 32-bit lanes (group n = blocks
// 16c + 8n + lane; 16c + 8n is a multiple of 8, so adding the lane never carries into the high word).
inline void normal_chunk_f32(const PhiloxKey32& key, std::uint64_t stream, std::uint64_t chunk, float* out) {
  __m256i c[4][2];
  for (int n = 0; n < 2; ++n) {
    const std::uint64_t base = 16 * chunk + 8 * n;
    c[0][n] = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(base)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    c[1][n] = _mm256_set1_epi32(static_cast<int>(base >> 32));
    c[2][n] = _mm256_set1_epi32(static_cast<int>(stream));
    c[3][n] = _mm256_set1_epi32(static_cast<int>(stream >> 32));
  }
  philox10_lanes<2>(c, key);
  const __m256i w[2][4] = {{c[0][0], c[1][0], c[2][0], c[3][0]}, {c[0][1], c[1][1], c[2][1], c[3][1]}};
  __m256 z[2][4];
  normal_v2::blocks_f32<Ops<float>, 2>(w, z);
  for (int n = 0; n < 2; ++n)
    for (int k = 0; k < 4; ++k) storeu(out + 16 * k + 8 * n, z[n][k]);
}

// The normals' emitters: G chunks from `next` on (chunk numbers modulo 2^58, so blocks stay below 2^63).
struct NormalF64Emitter : stream_driver::EmitterBase<NormalF64, 1, PhiloxKey32> {
  template <int G>
  static void emit(const PhiloxKey32& key, std::uint64_t stream, std::uint64_t& next, std::uint64_t, double* out) {
    for (int g = 0; g < G; ++g, ++next)
      normal_chunk_f64(key, stream, next & stream_driver::block_mask<NormalF64::kShift>(), out + 64 * g);
  }
};
struct NormalF32Emitter : stream_driver::EmitterBase<NormalF32, 1, PhiloxKey32> {
  template <int G>
  static void emit(const PhiloxKey32& key, std::uint64_t stream, std::uint64_t& next, std::uint64_t, float* out) {
    for (int g = 0; g < G; ++g, ++next)
      normal_chunk_f32(key, stream, next & stream_driver::block_mask<NormalF32::kShift>(), out + 64 * g);
  }
};

// The stream driver's emitter: G groups of four consecutive blocks from `block` on (block numbers wrap with the
// 64-bit output index; `base` is OR-ed in after the wrap: the selection words' half of the block space, or 0).
template <class Kind>
struct Emitter : stream_driver::EmitterBase<Kind, 4, PhiloxKey> {
  template <int G>
  static void emit(const PhiloxKey& key, std::uint64_t stream, std::uint64_t& next,
                   std::uint64_t base, typename Kind::Out* out) {
    const std::uint64_t block = next;  // lanes are wrapped below
    next += G * std::size_t{4};
    const __m256i mask = _mm256_set1_epi64x(static_cast<long long>(stream_driver::block_mask<Kind::kShift>()));
    const __m256i first =
        _mm256_add_epi64(_mm256_set1_epi64x(static_cast<long long>(block)), _mm256_setr_epi64x(0, 1, 2, 3));
    __m256i x[G], y[G];
    for (int g = 0; g < G; ++g) {
      x[g] = _mm256_or_si256(_mm256_and_si256(_mm256_add_epi64(first, _mm256_set1_epi64x(4 * g)), mask),
                             _mm256_set1_epi64x(static_cast<long long>(base)));
      y[g] = _mm256_set1_epi64x(static_cast<long long>(stream));
    }
    philox10_packed<G>(x, y, key);
    avx2::emit(Kind{}, x, y, out);
  }
};

template <>
struct Emitter<NormalF64> : NormalF64Emitter {};
template <>
struct Emitter<NormalF32> : NormalF32Emitter {};

// Interleave of the kernels that take no Blocking: their per-block work is short, and two groups measured best.
constexpr std::uint32_t kUniformIlv = 2;

}  // namespace

#include "kernels/common/sample_entry_points.inc"

template <class T>
void scale_shift_rows(std::size_t npoints, std::size_t dim, const std::uint32_t* labels, const T* means,
                      const T* stddevs, T* inout) {
  const auto vop = [](auto x, auto mu, auto sd) { return fma(sd, x, mu); };
  const auto sop = [](T x, T mu, T sd) { return std::fma(sd, x, mu); };
  constexpr std::size_t W = kLanes<T>;
  if (dim == W) {
    // One vector per row (dim 8 floats, 4 doubles): the row loop itself, no per-row dispatch; without labels the
    // parameters stay in registers.  Measured on Zen 3: the generic per-row path cost sample_gmm f32 at dim 8
    // about 15 % of its time, against the normals' 71 %.
    if (!labels) {
      const Vec<T> mu = loadu(means), sd = loadu(stddevs);
      for (std::size_t p = 0; p < npoints; ++p) storeu(inout + p * W, fma(sd, loadu(inout + p * W), mu));
      return;
    }
    for (std::size_t p = 0; p < npoints; ++p) {
      const std::size_t k = std::size_t{labels[p]} * W;
      storeu(inout + p * W, fma(loadu(stddevs + k), loadu(inout + p * W), loadu(means + k)));
    }
    return;
  }
  if (!labels) {
    map_rows(npoints, dim, inout, means, stddevs, inout, vop, sop);
    return;
  }
  for (std::size_t p = 0; p < npoints; ++p) {
    T* row = inout + p * dim;
    map_row(dim, row, vop, sop, +row, means + std::size_t{labels[p]} * dim, stddevs + std::size_t{labels[p]} * dim);
  }
}

template void scale_shift_rows<float>(std::size_t, std::size_t, const std::uint32_t*, const float*, const float*,
                                      float*);
template void scale_shift_rows<double>(std::size_t, std::size_t, const std::uint32_t*, const double*, const double*,
                                       double*);

}  // namespace diaggauss::avx2
