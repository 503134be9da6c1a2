// AVX2 sampling kernels: kernels/common/normal_recipe.hpp step for step, four Philox blocks per vector set, so
// the outputs are bit-identical to the scalar oracle (same operations, same order, fma exactly where the recipe
// has one).
#include <algorithm>
#include <cmath>

#include "kernels/avx2/avx2_kernels.hpp"
#include "kernels/avx2/simd_avx2.hpp"
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

// rho * (cos, sin) of the angle (q + r) * pi/2 for G vectors in lockstep.  q0 and q1 hold bits 0 and 1 of q in
// each lane's sign position.  The recipe's quadrant table (q=1: (-S, C), q=2: (-C, -S), q=3: (S, -C)) is a swap
// for odd q, a negated cosine for q in {1, 2} (q0 ^ q1) and a negated sine for q in {2, 3} (q1); negation is
// exact, as in scalar.
template <int G, class T, std::size_t NS, std::size_t NC>
inline void polar(const Vec<T> (&rho)[G], const Vec<T> (&r)[G], const __m256i (&q0)[G], const __m256i (&q1)[G],
                  const T (&ks)[NS], const T (&kc)[NC], Vec<T> (&zc)[G], Vec<T> (&zs)[G]) {
  Vec<T> x2[G], ps[G], pc[G];
  for (int g = 0; g < G; ++g) {
    x2[g] = mul(r[g], r[g]);
    ps[g] = set1(ks[NS - 1]);
    pc[g] = set1(kc[NC - 1]);
  }
  for (std::size_t i = NS - 1; i-- > 0;)
    for (int g = 0; g < G; ++g) ps[g] = fma(ps[g], x2[g], set1(ks[i]));
  for (std::size_t i = NC - 1; i-- > 0;)
    for (int g = 0; g < G; ++g) pc[g] = fma(pc[g], x2[g], set1(kc[i]));
  for (int g = 0; g < G; ++g) {
    const Vec<T> S = mul(r[g], ps[g]);
    const Vec<T> C = fma(pc[g], x2[g], set1(T(1)));
    const Vec<T> c = flip(select(C, S, q0[g]), sign_of(_mm256_xor_si256(q0[g], q1[g]), T()));
    const Vec<T> s = flip(select(S, C, q0[g]), sign_of(q1[g], T()));
    zc[g] = mul(rho[g], c);
    zs[g] = mul(rho[g], s);
  }
}

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

// Lane b: normals 2b (cos) and 2b+1 (sin) of block b, from a = w0 | w1 << 32 and b = w2 | w3 << 32.
template <int G>
inline void emit(NormalF64, const __m256i (&x)[G], const __m256i (&y)[G], double* out) {
  namespace R = recipe::f64;
  const __m256i one = _mm256_set1_epi64x(R::kOneBits);
  __m256d u1[G], r[G], L[G], rho[G], zc[G], zs[G];
  __m256i q0[G], q1[G];
  for (int g = 0; g < G; ++g) {
    u1[g] = sub(set1(2.0), as_f64(_mm256_or_si256(_mm256_srli_epi64(x[g], 12), one)));
    const __m256i t = _mm256_add_epi64(_mm256_srli_epi64(y[g], 10), _mm256_set1_epi64x(1ll << 51));
    r[g] = sub(as_f64(_mm256_or_si256(_mm256_and_si256(t, _mm256_set1_epi64x(R::kMantMask)), one)), set1(1.5));
    q0[g] = _mm256_slli_epi64(t, 63 - 52);
    q1[g] = _mm256_slli_epi64(t, 63 - 53);
  }
  recipe_log<G>(u1, L);
  for (int g = 0; g < G; ++g) rho[g] = _mm256_sqrt_pd(mul(set1(-2.0), L[g]));
  polar<G>(rho, r, q0, q1, R::kSin, R::kCos, zc, zs);
  for (int g = 0; g < G; ++g) store_interleaved(out + 8 * g, zc[g], zs[g]);
}

// 32-bit lanes 2b and 2b+1: pairs (w0, w1) and (w2, w3) of block b, i.e. normals 4b, 4b+1 and 4b+2, 4b+3.
template <int G>
inline void emit(NormalF32, const __m256i (&x)[G], const __m256i (&y)[G], float* out) {
  namespace R = recipe::f32;
  const __m256i one = _mm256_set1_epi32(R::kOneBits);
  __m256 u1[G], r[G], L[G], rho[G], zc[G], zs[G];
  __m256i q0[G], q1[G];
  for (int g = 0; g < G; ++g) {
    // 32-bit lanes (w0, w2) and (w1, w3) of each block: the pairs' radius and angle words.
    const __m256i w02 = _mm256_blend_epi32(x[g], _mm256_slli_epi64(y[g], 32), 0xAA);
    const __m256i w13 = _mm256_blend_epi32(_mm256_srli_epi64(x[g], 32), y[g], 0xAA);
    u1[g] = sub(set1(2.0f), as_f32(_mm256_or_si256(_mm256_srli_epi32(w02, 9), one)));
    const __m256i t = _mm256_add_epi32(_mm256_srli_epi32(w13, 7), _mm256_set1_epi32(1 << 22));
    r[g] = sub(as_f32(_mm256_or_si256(_mm256_and_si256(t, _mm256_set1_epi32(R::kMantMask)), one)), set1(1.5f));
    q0[g] = _mm256_slli_epi32(t, 31 - 23);
    q1[g] = _mm256_slli_epi32(t, 31 - 24);
  }
  recipe_log<G>(u1, L);
  for (int g = 0; g < G; ++g) rho[g] = _mm256_sqrt_ps(mul(set1(-2.0f), L[g]));
  polar<G>(rho, r, q0, q1, R::kSin, R::kCos, zc, zs);
  for (int g = 0; g < G; ++g) store_interleaved(out + 16 * g, zc[g], zs[g]);
}

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

// Interleave of the kernels that take no Blocking: their per-block work is short, and two groups measured best.
constexpr std::uint32_t kUniformIlv = 2;

}  // namespace

#include "kernels/common/sample_entry_points.inc"

template <class T>
void scale_shift_rows(std::size_t npoints, std::size_t dim, const std::uint32_t* labels, const T* means,
                      const T* stddevs, T* inout) {
  const auto vop = [](auto x, auto mu, auto sd) { return fma(sd, x, mu); };
  const auto sop = [](T x, T mu, T sd) { return std::fma(sd, x, mu); };
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
