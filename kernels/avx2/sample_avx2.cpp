// AVX2 sampling kernels: kernels/common/normal_recipe.hpp step for step (the normals through the shared body,
// kernels/common/normal_v2_body.hpp), Philox in 32-bit lanes (eight blocks per register), so the outputs are
// bit-identical to the scalar oracle (same operations, same order, fma exactly where the recipe has one).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "kernels/avx2/avx2_kernels.hpp"
#include "kernels/avx2/simd_avx2.hpp"
#include "kernels/common/normal_v2_body.hpp"
#include "kernels/common/scale_whole_rows.hpp"
#include "kernels/common/stream_driver.hpp"

namespace diaggauss::avx2 {
namespace {

using stream_driver::NormalF32;
using stream_driver::NormalF64;
using stream_driver::UniformF32;
using stream_driver::UniformF64;
using stream_driver::Words;

// The uniform recipe: a 64-bit word pair per double, one word per float.
inline __m256d uniform64_from(__m256i a) {
  const __m256i m = _mm256_or_si256(_mm256_srli_epi64(a, 12), _mm256_set1_epi64x(recipe::f64::kOneBits));
  return add(sub(as_f64(m), set1(1.0)), set1(0x1p-53));
}
inline __m256 uniform32_from(__m256i w) {
  const __m256i m = _mm256_or_si256(_mm256_srli_epi32(w, 9), _mm256_set1_epi32(recipe::f32::kOneBits));
  return add(sub(as_f32(m), set1(1.0f)), set1(0x1p-24f));
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
// from _mm256_mul_epu32 directly, the odd lanes' from the inputs shifted down; hi and lo halves are put back
// into 32-bit lanes in one of two ways (RoundForm, below).
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

// The round's two ways of putting the 64-bit products' halves back into 32-bit lanes (the same words either way):
//   kBlend: hi = blend(e >> 32, o), lo = blend(e, o << 32): lane order kept; 2 shifts + 2 blends per product pair.
//   kShufflePs: hi = shuffle_ps(e, o, odd halves), lo = shuffle_ps(e, o, even halves): one shuffle each, but the
//     lanes come out in the order (0, 2, 1, 3) of each 128-bit half; the words xor-ed in (w1, w3, which came from
//     the previous round's lo) are put into that order too (one pshufd each).  The swap is its own inverse, so after
//     the ten rounds every word is back in lane order.  16 instead of 18 instructions per round and group, and the
//     shifts (ports 0/1 on Intel, shared with the multiplies and the transform's FMAs) become shuffles (ports 1/5).
// Measured on an Intel Xeon (family 6 model 207, n = 16K, ab_binaries --each, 9-11 rounds, against kBlend):
// kShufflePs made uniform_u32 1.17-1.18x, float normals 1.08-1.09x (sample_diag f32 1.08x) and double uniforms
// (four groups) about 1.1x, but the double normals' chunk 0.93-0.95x (sample_gmm f64 0.91x): that one function
// holds three groups and, flattened into it, the whole transform; it keeps kBlend.
enum class RoundForm { kBlend, kShufflePs };

template <int G, RoundForm kForm = RoundForm::kShufflePs>
inline void philox10_lanes(__m256i (&c)[4][G], const PhiloxKey32& key) {
  const __m256i m0 = _mm256_set1_epi64x(recipe::kPhiloxM0), m1 = _mm256_set1_epi64x(recipe::kPhiloxM1);
  static_assert(recipe::kPhiloxRounds % 2 == 0, "kShufflePs relies on an even round count to restore lane order");
#pragma GCC unroll 10
  for (int r = 0; r < recipe::kPhiloxRounds; ++r) {
#pragma GCC unroll 8
    for (int g = 0; g < G; ++g) {
      const __m256i e0 = _mm256_mul_epu32(c[0][g], m0), o0 = _mm256_mul_epu32(_mm256_srli_epi64(c[0][g], 32), m0);
      const __m256i e1 = _mm256_mul_epu32(c[2][g], m1), o1 = _mm256_mul_epu32(_mm256_srli_epi64(c[2][g], 32), m1);
      __m256i hi0, hi1, lo0, lo1, w1 = c[1][g], w3 = c[3][g];
      if constexpr (kForm == RoundForm::kBlend) {
        hi0 = _mm256_blend_epi32(_mm256_srli_epi64(e0, 32), o0, 0xAA);
        hi1 = _mm256_blend_epi32(_mm256_srli_epi64(e1, 32), o1, 0xAA);
        lo0 = _mm256_blend_epi32(e0, _mm256_slli_epi64(o0, 32), 0xAA);
        lo1 = _mm256_blend_epi32(e1, _mm256_slli_epi64(o1, 32), 0xAA);
      } else {
        hi0 = bits(_mm256_shuffle_ps(as_f32(e0), as_f32(o0), 0xDD));  // hi of lanes 0, 2, 1, 3
        hi1 = bits(_mm256_shuffle_ps(as_f32(e1), as_f32(o1), 0xDD));
        lo0 = bits(_mm256_shuffle_ps(as_f32(e0), as_f32(o0), 0x88));  // lo of lanes 0, 2, 1, 3
        lo1 = bits(_mm256_shuffle_ps(as_f32(e1), as_f32(o1), 0x88));
        w1 = _mm256_shuffle_epi32(w1, 0xD8);  // lanes 0, 2, 1, 3
        w3 = _mm256_shuffle_epi32(w3, 0xD8);
      }
      c[0][g] = _mm256_xor_si256(_mm256_xor_si256(hi1, w1), key.k0[r]);
      c[2][g] = _mm256_xor_si256(_mm256_xor_si256(hi0, w3), key.k1[r]);
      c[1][g] = lo1;
      c[3][g] = lo0;
    }
  }
}

// Double normals, one chunk (kernels/common/normal_recipe.hpp): Philox in 32-bit lanes on three groups of eight
// blocks (A, B, C = blocks 3t, 3t+1, 3t+2 of the chunk's triples t = 8c + lane).  unpacklo/hi_epi32 of words 0 and
// 1 (2 and 3) give the 64-bit words of 32-bit lanes 0, 1, 4, 5 (resp. 2, 3, 6, 7); the block numbers are packed so
// that those are triples 0-3 (resp. 4-7) in order.  Output k of a 64-bit lane is normal 8k + lane of the chunk: two
// contiguous stores per k, no transpose.  Flattened (Philox and the shared body inlined into this one function, kept
// out of line): left to GCC, the body's transform was a separate call whose 16 vectors came back through the stack.
[[gnu::flatten, gnu::noinline]] void normal_chunk_f64(const PhiloxKey32& key, std::uint64_t stream,
                                                      std::uint64_t chunk, double* out) {
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
  philox10_lanes<3, RoundForm::kBlend>(c, key);  // kShufflePs measured slower here (above)
  __m256i w[2][6];
  for (int j = 0; j < 3; ++j) {
    w[0][2 * j] = _mm256_unpacklo_epi32(c[0][j], c[1][j]);
    w[1][2 * j] = _mm256_unpackhi_epi32(c[0][j], c[1][j]);
    w[0][2 * j + 1] = _mm256_unpacklo_epi32(c[2][j], c[3][j]);
    w[1][2 * j + 1] = _mm256_unpackhi_epi32(c[2][j], c[3][j]);
  }
  // Ask for the output lines 4 KiB ahead now, before the transform: this function ends in a burst of 16 stores
  // after a long computation, and out of cache their reads for ownership came too late (`normal` 2^26 1.10x faster
  // on an Intel Xeon 6/207, 16K 0.99x; the same in the float and AVX-512 normals measured 0.96-1.03x: not there).
  // A prefetch never faults, so past the end of `out` is harmless; the address is formed as an integer.
  for (int l = 0; l < 8; ++l)
    __builtin_prefetch(reinterpret_cast<const void*>(reinterpret_cast<std::uintptr_t>(out) + 4096 + 64 * l), 1, 3);
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

// The words and uniforms in block order (word i = word i % 4 of block i / 4).  Philox runs in 32-bit lanes on
// groups of eight blocks whose lanes hold the blocks in the order (0, 2, 4, 6, 1, 3, 5, 7): after the 4x8
// transpose by unpacks (32-bit, then 64-bit), each 128-bit half holds one block's four words and the four result
// vectors are blocks (0 | 1), (2 | 3), (4 | 5), (6 | 7) — stores in order, no cross-lane permute.  Block numbers are
// built in 64 bits (a group may straddle a multiple of 2^32, and they wrap with the output index, then take
// `base`) and split into low and high words by shuffle_ps, which also puts them in that lane order.
template <class Kind>
struct Emitter : stream_driver::EmitterBase<Kind, 8, PhiloxKey32> {
  template <int G>
  static void emit(const PhiloxKey32& key, std::uint64_t stream, std::uint64_t& next, std::uint64_t base,
                   typename Kind::Out* out) {
    const std::uint64_t block = next;  // lanes are wrapped below
    next += G * std::size_t{8};
    const __m256i mask = _mm256_set1_epi64x(static_cast<long long>(stream_driver::block_mask<Kind::kShift>()));
    const __m256i or_base = _mm256_set1_epi64x(static_cast<long long>(base));
    const __m256i first = _mm256_set1_epi64x(static_cast<long long>(block));
    __m256i c[4][G];
    for (int g = 0; g < G; ++g) {
      // shuffle_ps(lo, hi) takes 32-bit lanes (lo0, lo1, hi0, hi1 | lo2, lo3, hi2, hi3): offsets 0,2,4,6 | 1,3,5,7.
      const __m256i at = _mm256_add_epi64(first, _mm256_set1_epi64x(8 * g));
      const __m256 lo = as_f32(_mm256_or_si256(
          _mm256_and_si256(_mm256_add_epi64(at, _mm256_setr_epi64x(0, 2, 1, 3)), mask), or_base));
      const __m256 hi = as_f32(_mm256_or_si256(
          _mm256_and_si256(_mm256_add_epi64(at, _mm256_setr_epi64x(4, 6, 5, 7)), mask), or_base));
      c[0][g] = bits(_mm256_shuffle_ps(lo, hi, 0x88));
      c[1][g] = bits(_mm256_shuffle_ps(lo, hi, 0xDD));
      c[2][g] = _mm256_set1_epi32(static_cast<int>(stream));
      c[3][g] = _mm256_set1_epi32(static_cast<int>(stream >> 32));
    }
    philox10_lanes<G>(c, key);
    for (int g = 0; g < G; ++g) {
      const __m256i t0 = _mm256_unpacklo_epi32(c[0][g], c[1][g]), t1 = _mm256_unpackhi_epi32(c[0][g], c[1][g]);
      const __m256i t2 = _mm256_unpacklo_epi32(c[2][g], c[3][g]), t3 = _mm256_unpackhi_epi32(c[2][g], c[3][g]);
      const __m256i v[4] = {_mm256_unpacklo_epi64(t0, t2), _mm256_unpackhi_epi64(t0, t2),
                            _mm256_unpacklo_epi64(t1, t3), _mm256_unpackhi_epi64(t1, t3)};  // blocks 2i | 2i+1
      for (int i = 0; i < 4; ++i) store_words(Kind{}, v[i], out + (32 * g + 8 * i) / (4 >> Kind::kShift));
    }
  }

 private:
  // Eight words of two blocks in order: as they are, as two double uniforms per block (w0 | w1 << 32 and
  // w2 | w3 << 32 are the vector's 64-bit lanes), or as eight float uniforms.
  static void store_words(Words, __m256i v, std::uint32_t* out) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), v);
  }
  static void store_words(UniformF64, __m256i v, double* out) { storeu(out, uniform64_from(v)); }
  static void store_words(UniformF32, __m256i v, float* out) { storeu(out, uniform32_from(v)); }
};

template <>
struct Emitter<NormalF64> : stream_driver::ChunkEmitter<NormalF64, PhiloxKey32, &normal_chunk_f64> {};
template <>
struct Emitter<NormalF32> : stream_driver::ChunkEmitter<NormalF32, PhiloxKey32, &normal_chunk_f32> {};

// Interleave of the kernels that take no Blocking: their per-block work is short, and two groups measured best.
constexpr std::uint32_t kUniformIlv = 2;

}  // namespace

// The mixture's count by table lookup (kernels/common/count_above.inc, count_by_tables): eight buckets by the
// words' top three bits, each table one register, looked up with vpermd; AVX2 compares signed, so the inner
// thresholds and the words are compared with their top bits flipped.
namespace {
struct BucketLookup {
  static constexpr std::size_t kBuckets = 8, kLanes = 8;
  using V = __m256i;
  static V load(const std::uint32_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
  static void store(std::uint32_t* p, V v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }
  BucketLookup(const std::uint32_t* base, const std::uint32_t* inner, const std::uint32_t* mult)
      : flip(_mm256_set1_epi32(static_cast<int>(0x80000000u))), vbase(load(base)),
        vinner(_mm256_xor_si256(load(inner), flip)), vmult(load(mult)) {}
  V label(V w) const {
    const __m256i b = _mm256_srli_epi32(w, 29);
    const __m256i above = _mm256_cmpgt_epi32(_mm256_xor_si256(w, flip), _mm256_permutevar8x32_epi32(vinner, b));
    return _mm256_add_epi32(_mm256_permutevar8x32_epi32(vbase, b),
                            _mm256_and_si256(above, _mm256_permutevar8x32_epi32(vmult, b)));
  }
  __m256i flip, vbase, vinner, vmult;
};
}  // namespace
#define DG_COUNT_ABOVE_BY_BUCKETS

#include "kernels/common/sample_entry_points.inc"

// The vector wrapper kernels/common/scale_whole_rows.hpp takes.
template <class T>
struct RowSimd {
  using V = Vec<T>;
  static constexpr std::size_t kLanes = avx2::kLanes<T>;
  static V load(const T* p) { return loadu(p); }
  static void store(T* p, V v) { storeu(p, v); }
  static V mul_add(V a, V b, V c) { return fma(a, b, c); }
  static V load_halves(const T* lo, const T* hi) {  // half a vector from each
    if constexpr (std::is_same_v<T, double>)
      return _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(lo)), _mm_loadu_pd(hi), 1);
    else
      return _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(lo)), _mm_loadu_ps(hi), 1);
  }
};

template <class T>
void scale_shift_rows(std::size_t npoints, std::size_t dim, const std::uint32_t* labels, const T* means,
                      const T* stddevs, T* inout) {
  if (scale_rows::whole_rows<RowSimd<T>>(npoints, dim, labels, means, stddevs, inout)) return;
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
