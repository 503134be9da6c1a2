// AVX-512 sampling kernels: Philox4x32-10 in 32-bit lanes, sixteen blocks per group (word j of the sixteen blocks
// in one register), then the recipe of kernels/common/normal_recipe.hpp on the words (the normals through the
// shared body, kernels/common/normal_v2_body.hpp), with the fmas where the recipe has them, so the outputs are
// bit-identical to the scalar oracle.  Each kind chooses which block sits in which lane when it builds the
// counters, so that its outputs come out of the rounds in order with few shuffles: the float normals' chunk is
// one group as it is, the double normals' triples come out of in-lane unpacks in natural order (as in avx2), and
// the words need only an in-lane 4x16 transpose.  The stream driver produces a group that straddles out[0] or
// out[n - 1] into a stack buffer.

#include "kernels/avx512/avx512_kernels.hpp"
#include "kernels/avx512/simd_avx512.hpp"
#include "kernels/common/normal_v2_body.hpp"
#include "kernels/common/scale_whole_rows.hpp"
#include "kernels/common/stream_driver.hpp"

namespace diaggauss::avx512 {
namespace {

constexpr std::size_t kGroup = 16;  // Philox blocks per group: one per 32-bit lane
// Groups in flight for the uniform kernels (which take no Blocking): four, as in the feasibility kernel that
// measured this Philox at 3.5 G words/s on Zen 4 (four 16 x 4 word states are 16 of the 32 registers).
constexpr std::uint32_t kUniformIlv = 4;

// Round keys, broadcast to every 32-bit lane.
struct PhiloxKey {
  __m512i k0[recipe::kPhiloxRounds], k1[recipe::kPhiloxRounds];
  explicit PhiloxKey(std::uint64_t seed) {
    std::uint32_t a = static_cast<std::uint32_t>(seed), b = static_cast<std::uint32_t>(seed >> 32);
    for (int r = 0; r < recipe::kPhiloxRounds; ++r, a += recipe::kPhiloxW0, b += recipe::kPhiloxW1) {
      k0[r] = _mm512_set1_epi32(static_cast<int>(a));
      k1[r] = _mm512_set1_epi32(static_cast<int>(b));
    }
  }
};

// Philox4x32-10 on N groups at once, c[g][j] = word j of group g's sixteen blocks (lane = block).  The groups go
// through each round together so that their multiplies overlap (their chains are independent).  One round, for
// the word pair (w0, w1) with M0 (and likewise (w2, w3) with M1):
//   e = M0 * w0 of the even lanes (_mm512_mul_epu32 reads the even 32-bit lanes), o = M0 * w0 of the odd lanes
//   (the input shifted down by 32 first); both are 64-bit products: low half in the even 32-bit lane, high half
//   in the odd one.  Back into lane order, one masked in-lane shuffle each (CDAB swaps the halves of every 64-bit
//   lane):
//     hi = odd lanes from o, even lanes from e swapped = _mm512_mask_shuffle_epi32(o, 0x5555, e, CDAB)
//     lo = even lanes from e, odd lanes from o swapped = _mm512_mask_shuffle_epi32(e, 0xAAAA, o, CDAB)
//   then w0' = hi(M1 w2) ^ w1 ^ k0, w1' = lo(M1 w2), w2' = hi(M0 w0) ^ w3 ^ k1, w3' = lo(M0 w0), the key xor
//   folded into a three-way xor (vpternlogd, truth table 0x96).
// 12 instructions per round for sixteen blocks (4 multiplies, 2 shifts, 4 masked shuffles, 2 three-way xors; plus
// up to 2 register copies, since a merge-masked shuffle overwrites its source), as many as the former 64-bit-lane
// layout (per eight blocks: 2 multiplies, 2 shifts, 2 xors), but the state takes half the registers (4 per
// sixteen blocks instead of 8), so more blocks can be in flight (GCC 12: no spill in the rounds for three groups,
// about 4 stores and 2 loads per round for four), and the words come out in 32-bit lanes, which is what the
// float normals and the transposes below want.  A feasibility kernel of this round with four groups ran at
// 3.5 G words/s on Zen 4, against 2.5 G words/s for the 64-bit-lane layout.
template <int N>
inline void philox10(__m512i (&c)[N][4], const PhiloxKey& key) {
  const __m512i m0 = _mm512_set1_epi64(recipe::kPhiloxM0), m1 = _mm512_set1_epi64(recipe::kPhiloxM1);
  for (int r = 0; r < recipe::kPhiloxRounds; ++r)
    for (int g = 0; g < N; ++g) {
      const __m512i e0 = _mm512_mul_epu32(c[g][0], m0), o0 = _mm512_mul_epu32(_mm512_srli_epi64(c[g][0], 32), m0);
      const __m512i e1 = _mm512_mul_epu32(c[g][2], m1), o1 = _mm512_mul_epu32(_mm512_srli_epi64(c[g][2], 32), m1);
      const __m512i hi0 = _mm512_mask_shuffle_epi32(o0, 0x5555, e0, _MM_PERM_CDAB);
      const __m512i hi1 = _mm512_mask_shuffle_epi32(o1, 0x5555, e1, _MM_PERM_CDAB);
      c[g][0] = _mm512_ternarylogic_epi32(hi1, c[g][1], key.k0[r], 0x96);  // hi1 ^ w1 ^ k0
      c[g][2] = _mm512_ternarylogic_epi32(hi0, c[g][3], key.k1[r], 0x96);  // hi0 ^ w3 ^ k1
      c[g][1] = _mm512_mask_shuffle_epi32(e1, 0xAAAA, o1, _MM_PERM_CDAB);  // lo1
      c[g][3] = _mm512_mask_shuffle_epi32(e0, 0xAAAA, o0, _MM_PERM_CDAB);  // lo0
    }
}

// A group's counters from two vectors of eight 64-bit block numbers a, b: the low and the high words are taken
// by shuffle_ps (as in avx2), so the lanes of each 128-bit quarter q are blocks (a[2q], a[2q + 1], b[2q],
// b[2q + 1]), i.e. a[m] goes to lane 4 (m >> 1) + (m & 1) and b[m] two lanes above it.
inline void philox_start(__m512i a, __m512i b, std::uint64_t stream, __m512i (&c)[4]) {
  const __m512 fa = _mm512_castsi512_ps(a), fb = _mm512_castsi512_ps(b);
  c[0] = _mm512_castps_si512(_mm512_shuffle_ps(fa, fb, 0x88));  // low words
  c[1] = _mm512_castps_si512(_mm512_shuffle_ps(fa, fb, 0xDD));  // high words
  c[2] = _mm512_set1_epi32(static_cast<int>(stream));
  c[3] = _mm512_set1_epi32(static_cast<int>(stream >> 32));
}

// Words and uniforms: group of blocks n .. n + 15 with block n + 4r + q in lane 4q + r (q, r = 0..3).  Then
// unpacking words (0, 1) and (2, 3) by 32 bits, and the results by 64 bits, gathers the four words of lane
// 4q + r into quarter q of v[r]: v[r] = the words of blocks n + 4r .. n + 4r + 3 in index order (block-major).
// 8 in-lane unpacks for sixteen blocks; the 64-bit-lane layout took 12 operations for the same (per eight blocks
// 2 shifts and 2 blends to pack the word pairs, 2 cross-lane permutes to interleave them).
inline void words_in_order(const __m512i (&c)[4], __m512i (&v)[4]) {
  const __m512i t0 = _mm512_unpacklo_epi32(c[0], c[1]), t1 = _mm512_unpackhi_epi32(c[0], c[1]);  // w0 w1 pairs
  const __m512i t2 = _mm512_unpacklo_epi32(c[2], c[3]), t3 = _mm512_unpackhi_epi32(c[2], c[3]);  // w2 w3 pairs
  v[0] = _mm512_unpacklo_epi64(t0, t2);  // lanes 4q: blocks n + q
  v[1] = _mm512_unpackhi_epi64(t0, t2);  // lanes 4q + 1: blocks n + 4 + q
  v[2] = _mm512_unpacklo_epi64(t1, t3);  // lanes 4q + 2: blocks n + 8 + q
  v[3] = _mm512_unpackhi_epi64(t1, t3);  // lanes 4q + 3: blocks n + 12 + q
}

// Convert<Kind>::emit turns a group's words in block-major order (v above) into its kGroup << Kind::kShift
// consecutive outputs, in index order.
template <class Kind>
struct Convert;

template <>
struct Convert<stream_driver::Words> {
  static void emit(const __m512i (&v)[4], std::uint32_t* out) {
    for (int r = 0; r < 4; ++r) _mm512_storeu_si512(out + 16 * r, v[r]);
  }
};

inline __m512d uniform_f64_from_bits(__m512i a) {
  const __m512d m =
      _mm512_castsi512_pd(_mm512_or_si512(_mm512_srli_epi64(a, 12), _mm512_set1_epi64(recipe::f64::kOneBits)));
  return _mm512_add_pd(_mm512_sub_pd(m, _mm512_set1_pd(1.0)), _mm512_set1_pd(0x1p-53));
}

inline __m512 uniform_f32_from_bits(__m512i w) {
  const __m512 m =
      _mm512_castsi512_ps(_mm512_or_si512(_mm512_srli_epi32(w, 9), _mm512_set1_epi32(recipe::f32::kOneBits)));
  return _mm512_add_ps(_mm512_sub_ps(m, _mm512_set1_ps(1.0f)), _mm512_set1_ps(0x1p-24f));
}

// A double takes the word pair w0 | w1 << 32 (resp. w2 | w3 << 32) of its block: in block-major order that is a
// 64-bit lane of v[r], so v[r] holds the doubles of blocks n + 4r .. n + 4r + 3 in order.
template <>
struct Convert<stream_driver::UniformF64> {
  static void emit(const __m512i (&v)[4], double* out) {
    for (int r = 0; r < 4; ++r) _mm512_storeu_pd(out + 8 * r, uniform_f64_from_bits(v[r]));
  }
};

template <>
struct Convert<stream_driver::UniformF32> {
  static void emit(const __m512i (&v)[4], float* out) {
    for (int r = 0; r < 4; ++r) _mm512_storeu_ps(out + 16 * r, uniform_f32_from_bits(v[r]));
  }
};

// The lane operations of kernels/common/normal_v2_body.hpp on AVX-512 (F, DQ), FMA included.  A lane mask is the
// top bit of an integer lane: movepi64/movepi32_mask (DQ) turn it into the k-mask that mask_blend selects on.
template <class T>
struct Ops;
template <>
struct Ops<double> {
  using F = __m512d;
  using U = __m512i;
  static F set(double x) { return _mm512_set1_pd(x); }
  static U set_u(std::uint64_t x) { return _mm512_set1_epi64(static_cast<long long>(x)); }
  static F add(F a, F b) { return _mm512_add_pd(a, b); }
  static F sub(F a, F b) { return _mm512_sub_pd(a, b); }
  static F mul(F a, F b) { return _mm512_mul_pd(a, b); }
  static F div(F a, F b) { return _mm512_div_pd(a, b); }
  static F sqrt(F a) { return _mm512_sqrt_pd(a); }
  static F fma(F a, F b, F c) { return _mm512_fmadd_pd(a, b, c); }
  static F as_f(U a) { return _mm512_castsi512_pd(a); }
  static U as_u(F a) { return _mm512_castpd_si512(a); }
  static U add_u(U a, U b) { return _mm512_add_epi64(a, b); }
  static U and_u(U a, U b) { return _mm512_and_si512(a, b); }
  static U or_u(U a, U b) { return _mm512_or_si512(a, b); }
  static U xor_u(U a, U b) { return _mm512_xor_si512(a, b); }
  template <int n> static U shr(U a) { return _mm512_srli_epi64(a, n); }
  template <int n> static U shl(U a) { return _mm512_slli_epi64(a, n); }
  static F select(F no, F yes, U m) { return _mm512_mask_blend_pd(_mm512_movepi64_mask(m), no, yes); }
  static F negate_if(F v, U m) { return _mm512_xor_pd(v, _mm512_and_pd(as_f(m), set(-0.0))); }
};
template <>
struct Ops<float> {
  using F = __m512;
  using U = __m512i;
  static F set(float x) { return _mm512_set1_ps(x); }
  static U set_u(std::uint32_t x) { return _mm512_set1_epi32(static_cast<int>(x)); }
  static F add(F a, F b) { return _mm512_add_ps(a, b); }
  static F sub(F a, F b) { return _mm512_sub_ps(a, b); }
  static F mul(F a, F b) { return _mm512_mul_ps(a, b); }
  static F div(F a, F b) { return _mm512_div_ps(a, b); }
  static F sqrt(F a) { return _mm512_sqrt_ps(a); }
  static F fma(F a, F b, F c) { return _mm512_fmadd_ps(a, b, c); }
  static F as_f(U a) { return _mm512_castsi512_ps(a); }
  static U as_u(F a) { return _mm512_castps_si512(a); }
  static U add_u(U a, U b) { return _mm512_add_epi32(a, b); }
  static U and_u(U a, U b) { return _mm512_and_si512(a, b); }
  static U or_u(U a, U b) { return _mm512_or_si512(a, b); }
  static U xor_u(U a, U b) { return _mm512_xor_si512(a, b); }
  template <int n> static U shr(U a) { return _mm512_srli_epi32(a, n); }
  template <int n> static U shl(U a) { return _mm512_slli_epi32(a, n); }
  static F select(F no, F yes, U m) { return _mm512_mask_blend_ps(_mm512_movepi32_mask(m), no, yes); }
  static F negate_if(F v, U m) { return _mm512_xor_ps(v, _mm512_and_ps(as_f(m), set(-0.0f))); }
};


// Float normals: chunk c is blocks 16c + b, b = 0..15, and block 16c + b goes to lane b, so a chunk is exactly
// one group and its words go to the shared body as they come out of the rounds: output k of lane b is normal
// 16k + b of the chunk, one contiguous store per k.  16c is a multiple of 16 (below 2^62), so adding the lane to
// its low word never carries into the high word.
inline void start_chunk_f32(std::uint64_t chunk, std::uint64_t stream, __m512i (&c)[4]) {
  const std::uint64_t first = 16 * chunk;
  c[0] = _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(first)),
                          _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
  c[1] = _mm512_set1_epi32(static_cast<int>(first >> 32));
  c[2] = _mm512_set1_epi32(static_cast<int>(stream));
  c[3] = _mm512_set1_epi32(static_cast<int>(stream >> 32));
}

// The float normals' emitter: G chunks from `next` on (chunk numbers modulo 2^58, so blocks stay below 2^62),
// Philox for all of them at once (G groups through the rounds together), then the transform chunk by chunk.
struct NormalF32Emitter : stream_driver::EmitterBase<stream_driver::NormalF32, 1, PhiloxKey> {
  template <int G>
  static void emit(const PhiloxKey& key, std::uint64_t stream, std::uint64_t& next, std::uint64_t, float* out) {
    __m512i c[G][4];
    for (int g = 0; g < G; ++g)
      start_chunk_f32((next + g) & stream_driver::block_mask<stream_driver::NormalF32::kShift>(), stream, c[g]);
    next += G;
    philox10(c, key);
    for (int g = 0; g < G; ++g) {
      const __m512i w[1][4] = {{c[g][0], c[g][1], c[g][2], c[g][3]}};
      __m512 z[1][4];
      normal_v2::blocks_f32<Ops<float>, 1>(w, z);
      for (int k = 0; k < 4; ++k) _mm512_storeu_ps(out + 64 * g + 16 * k, z[0][k]);
    }
  }
};

// Double normals: chunk c (modulo 2^58, so blocks stay below 2^63) is triples t = 8c + b, b = 0..7, of blocks
// A = 3t, B = 3t + 1, C = 3t + 2.  Built from the 64-bit vectors of eight block numbers (lane b), with
// philox_start above:
//   group AB of a chunk = philox_start(A blocks, B blocks): unpacklo_epi32 of its words (0, 1) takes 32-bit lanes
//     4q, 4q + 1 = A of triples 2q, 2q + 1 into 64-bit lanes 2q, 2q + 1: A.x = w0 | w1 << 32 of triple b in lane
//     b; of words (2, 3): A.y; unpackhi_epi32 likewise gives B.x, B.y;
//   group C of chunks c, c' = philox_start(C blocks of c, C blocks of c'): unpacklo gives c's C.x, C.y and
//     unpackhi those of c' (a chunk alone shares its C group with a copy of itself, the copy unused).
// So two chunks take three groups (48 blocks, none wasted; a chunk alone takes two), with no shuffle after the
// rounds but the unpacks, which the body needs anyway to make the 64-bit words; output k of 64-bit lane b is
// normal 8k + b of the chunk: one contiguous store per k.  The transform runs one chunk at a time (4 vectors in
// lockstep, as before).  Philox takes at most two chunks (three groups, 12 state registers) at once: GCC 12's
// code for four chunks at once (six groups) spilled about 20 registers per round, for two chunks none; the
// emitter's G chunks are taken two by two (an odd last one alone).
struct NormalF64Emitter : stream_driver::EmitterBase<stream_driver::NormalF64, 1, PhiloxKey> {
  template <int K>
  static void chunks(const PhiloxKey& key, std::uint64_t stream, std::uint64_t& next, double* out) {
    static_assert(K == 1 || K == 2, "chunks of one C group");
    const __m512i lanes3 = _mm512_setr_epi64(0, 3, 6, 9, 12, 15, 18, 21);  // 3b
    const __m512i one = _mm512_set1_epi64(1), two = _mm512_set1_epi64(2);
    __m512i a[K];  // block A = 3t of each lane's triple, per chunk
    for (int g = 0; g < K; ++g) {
      const std::uint64_t chunk = (next + g) & stream_driver::block_mask<stream_driver::NormalF64::kShift>();
      a[g] = _mm512_add_epi64(_mm512_set1_epi64(static_cast<long long>(24 * chunk)), lanes3);
    }
    next += K;
    __m512i c[K + 1][4];  // c[g]: group AB of chunk g; c[K]: group C of both
    for (int g = 0; g < K; ++g) philox_start(a[g], _mm512_add_epi64(a[g], one), stream, c[g]);
    philox_start(_mm512_add_epi64(a[0], two), _mm512_add_epi64(a[K - 1], two), stream, c[K]);
    philox10(c, key);
    for (int g = 0; g < K; ++g) {
      const __m512i(&ab)[4] = c[g];
      const __m512i(&cc)[4] = c[K];
      const bool second = g == 1;  // the second chunk's C words are in the high unpack of the C group
      const __m512i w[1][6] = {{
          _mm512_unpacklo_epi32(ab[0], ab[1]),  // A.x
          _mm512_unpacklo_epi32(ab[2], ab[3]),  // A.y
          _mm512_unpackhi_epi32(ab[0], ab[1]),  // B.x
          _mm512_unpackhi_epi32(ab[2], ab[3]),  // B.y
          second ? _mm512_unpackhi_epi32(cc[0], cc[1]) : _mm512_unpacklo_epi32(cc[0], cc[1]),  // C.x
          second ? _mm512_unpackhi_epi32(cc[2], cc[3]) : _mm512_unpacklo_epi32(cc[2], cc[3]),  // C.y
      }};
      __m512d z[1][8];
      normal_v2::triples_f64<Ops<double>, 1>(w, z);
      for (int k = 0; k < 8; ++k) _mm512_storeu_pd(out + 64 * g + 8 * k, z[0][k]);
    }
  }

  template <int G>
  static void emit(const PhiloxKey& key, std::uint64_t stream, std::uint64_t& next, std::uint64_t, double* out) {
    for (int g = 0; g + 1 < G; g += 2) chunks<2>(key, stream, next, out + 64 * g);
    if (G % 2) chunks<1>(key, stream, next, out + 64 * (G - 1));
  }
};

// The stream driver's emitter for words and uniforms: G groups of sixteen consecutive blocks from `next` on, block
// numbers wrapped with the 64-bit output index (modulo 2^(64 - kShift)) and then OR-ed with `base` (0, or the
// selection words' half of the block space); block n + 4r + q in lane 4q + r (words_in_order above).
template <class Kind>
struct Emitter : stream_driver::EmitterBase<Kind, kGroup, PhiloxKey> {
  template <int G>
  static void emit(const PhiloxKey& key, std::uint64_t stream, std::uint64_t& next, std::uint64_t base,
                   typename Kind::Out* out) {
    // Block offsets of a[m] and b[m]: philox_start puts a[m] in lane L = 4 (m >> 1) + (m & 1) and b[m] in L + 2,
    // and lane 4q + r is to hold block n + 4r + q.
    const __m512i off_a = _mm512_setr_epi64(0, 4, 1, 5, 2, 6, 3, 7);
    const __m512i off_b = _mm512_setr_epi64(8, 12, 9, 13, 10, 14, 11, 15);
    const __m512i mask = _mm512_set1_epi64(static_cast<long long>(stream_driver::block_mask<Kind::kShift>()));
    const __m512i or_base = _mm512_set1_epi64(static_cast<long long>(base));
    const auto blocks = [&](__m512i first, __m512i off) {
      return _mm512_or_si512(_mm512_and_si512(_mm512_add_epi64(first, off), mask), or_base);
    };
    __m512i c[G][4];
    for (int g = 0; g < G; ++g) {
      const __m512i first = _mm512_set1_epi64(static_cast<long long>(next + kGroup * g));  // wrapped by `blocks`
      philox_start(blocks(first, off_a), blocks(first, off_b), stream, c[g]);
    }
    next += kGroup * G;
    philox10(c, key);
    for (int g = 0; g < G; ++g) {
      __m512i v[4];
      words_in_order(c[g], v);
      Convert<Kind>::emit(v, out + g * (kGroup << Kind::kShift));
    }
  }
};

template <>
struct Emitter<stream_driver::NormalF64> : NormalF64Emitter {};
template <>
struct Emitter<stream_driver::NormalF32> : NormalF32Emitter {};

}  // namespace

// The mixture's count by table lookup (kernels/common/count_above.inc, count_by_tables): sixteen buckets by the
// words' top four bits, each table one register, looked up with vpermd.
namespace {
struct BucketLookup {
  static constexpr std::size_t kBuckets = 16, kLanes = 16;
  using V = __m512i;
  static V load(const std::uint32_t* p) { return _mm512_loadu_si512(p); }
  static void store(std::uint32_t* p, V v) { _mm512_storeu_si512(p, v); }
  BucketLookup(const std::uint32_t* base, const std::uint32_t* inner, const std::uint32_t* mult)
      : vbase(load(base)), vinner(load(inner)), vmult(load(mult)) {}
  V label(V w) const {  // base, or base + mult where the word is above the bucket's threshold
    const __m512i b = _mm512_srli_epi32(w, 28);
    const __m512i lo = _mm512_permutexvar_epi32(b, vbase);
    const __mmask16 not_above = _mm512_cmple_epu32_mask(w, _mm512_permutexvar_epi32(b, vinner));
    return _mm512_mask_blend_epi32(not_above, _mm512_add_epi32(lo, _mm512_permutexvar_epi32(b, vmult)), lo);
  }
  __m512i vbase, vinner, vmult;
};
}  // namespace
#define DG_COUNT_ABOVE_BY_BUCKETS

#include "kernels/common/sample_entry_points.inc"

template <class T>
void scale_shift_rows(std::size_t npoints, std::size_t dim, const std::uint32_t* labels, const T* means,
                      const T* stddevs, T* inout) {
  using S = Simd<T>;
  if (scale_rows::whole_rows<S>(npoints, dim, labels, means, stddevs, inout)) return;
  const auto vec_op = [](auto x, auto sd, auto mu) { return S::mul_add(sd, x, mu); };
  if (!labels) return rows_elementwise(npoints, dim, inout, stddevs, means, inout, vec_op);
  for (std::size_t p = 0; p < npoints; ++p) {
    const std::size_t k = labels[p];
    T* row = inout + p * dim;
    elementwise(dim, row, vec_op, static_cast<const T*>(row), stddevs + k * dim, means + k * dim);
  }
}

template void scale_shift_rows<float>(std::size_t, std::size_t, const std::uint32_t*, const float*, const float*,
                                      float*);
template void scale_shift_rows<double>(std::size_t, std::size_t, const std::uint32_t*, const double*,
                                       const double*, double*);

}  // namespace diaggauss::avx512
