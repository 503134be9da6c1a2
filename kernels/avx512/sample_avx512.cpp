// AVX-512 sampling kernels: Philox4x32-10 on eight blocks at once (one block per 64-bit lane, _mm512_mul_epu32
// for the 32x32->64-bit products), then the recipe of kernels/common/normal_recipe.hpp on the words (the normals
// through the shared body, kernels/common/normal_v2_body.hpp), with the fmas where the recipe has them, so the
// outputs are bit-identical to the scalar oracle.  The words and uniforms take `kUniformIlv` groups of eight
// consecutive blocks through the rounds together so that their multiplies overlap; the normals build each chunk's
// lane block numbers themselves (a chunk is one vector: eight triples of blocks, or sixteen blocks).  The stream
// driver produces a group that straddles out[0] or out[n - 1] into a stack buffer.  The structure is that of the
// sse4 sampler, two lanes -> eight.
#include <algorithm>
#include <type_traits>

#include "kernels/avx512/avx512_kernels.hpp"
#include "kernels/avx512/simd_avx512.hpp"
#include "kernels/common/normal_v2_body.hpp"
#include "kernels/common/stream_driver.hpp"

namespace diaggauss::avx512 {
namespace {

constexpr std::size_t kGroup = 8;  // Philox blocks per group: one per 64-bit lane
constexpr std::uint32_t kUniformIlv = 2;           // groups in flight for the uniform kernels (which take no Blocking)

// Round keys, each in the low half of every 64-bit lane.
struct PhiloxKey {
  __m512i k0[recipe::kPhiloxRounds], k1[recipe::kPhiloxRounds];
  explicit PhiloxKey(std::uint64_t seed) {
    std::uint32_t a = static_cast<std::uint32_t>(seed), b = static_cast<std::uint32_t>(seed >> 32);
    for (int r = 0; r < recipe::kPhiloxRounds; ++r, a += recipe::kPhiloxW0, b += recipe::kPhiloxW1) {
      k0[r] = _mm512_set1_epi64(a);
      k1[r] = _mm512_set1_epi64(b);
    }
  }
};

// The four counter words of a group, word k of each block in the low half of that block's lane of c[k].  The high
// halves hold junk: _mm512_mul_epu32 ignores them, and the outputs take only the low halves.
struct Philox {
  __m512i c[4];
};

inline Philox philox_start(__m512i blocks, std::uint64_t stream) {
  return {{blocks, _mm512_srli_epi64(blocks, 32), _mm512_set1_epi64(static_cast<long long>(stream)),
           _mm512_set1_epi64(static_cast<long long>(stream >> 32))}};
}

// a ^ b ^ c in one instruction (0x96 is the truth table of a three-way xor).
inline __m512i xor3(__m512i a, __m512i b, __m512i c) { return _mm512_ternarylogic_epi64(a, b, c, 0x96); }

template <int N>
inline void philox_rounds(Philox (&g)[N], const PhiloxKey& key) {
  const __m512i m0 = _mm512_set1_epi64(recipe::kPhiloxM0), m1 = _mm512_set1_epi64(recipe::kPhiloxM1);
  for (int r = 0; r < recipe::kPhiloxRounds; ++r)
    for (int i = 0; i < N; ++i) {
      const __m512i p0 = _mm512_mul_epu32(g[i].c[0], m0);
      const __m512i p1 = _mm512_mul_epu32(g[i].c[2], m1);
      g[i].c[0] = xor3(_mm512_srli_epi64(p1, 32), g[i].c[1], key.k0[r]);
      g[i].c[2] = xor3(_mm512_srli_epi64(p0, 32), g[i].c[3], key.k1[r]);
      g[i].c[1] = p1;
      g[i].c[3] = p0;
    }
}

// 32-bit lanes {lo(block 0), lo'(block 0), lo(block 1), lo'(block 1), ...} from the low halves of two word vectors.
inline __m512i pack_words(__m512i lo, __m512i hi) {
  return _mm512_mask_blend_epi32(0xAAAA, lo, _mm512_slli_epi64(hi, 32));
}

// 64-bit lane l of a and of b for l = 0..7, interleaved: a0 b0 a1 b1 ... a3 b3 (first) and a4 b4 ... a7 b7 (second).
inline __m512i interleave_first(__m512i a, __m512i b) {
  return _mm512_permutex2var_epi64(a, _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0), b);
}
inline __m512i interleave_second(__m512i a, __m512i b) {
  return _mm512_permutex2var_epi64(a, _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4), b);
}
inline __m512d interleave_first(__m512d a, __m512d b) {
  return _mm512_permutex2var_pd(a, _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0), b);
}
inline __m512d interleave_second(__m512d a, __m512d b) {
  return _mm512_permutex2var_pd(a, _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4), b);
}

// Convert<Kind>::emit turns one group into its kGroup << Kind::kShift consecutive outputs, in index order.
template <class Kind>
struct Convert;

template <>
struct Convert<stream_driver::Words> {
  static void emit(const Philox& g, std::uint32_t* out) {
    const __m512i a = pack_words(g.c[0], g.c[1]), b = pack_words(g.c[2], g.c[3]);
    _mm512_storeu_si512(out, interleave_first(a, b));
    _mm512_storeu_si512(out + 16, interleave_second(a, b));
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

template <>
struct Convert<stream_driver::UniformF64> {
  static void emit(const Philox& g, double* out) {
    const __m512d ua = uniform_f64_from_bits(pack_words(g.c[0], g.c[1]));  // elements 2j
    const __m512d ub = uniform_f64_from_bits(pack_words(g.c[2], g.c[3]));  // elements 2j + 1
    _mm512_storeu_pd(out, interleave_first(ua, ub));
    _mm512_storeu_pd(out + 8, interleave_second(ua, ub));
  }
};

template <>
struct Convert<stream_driver::UniformF32> {
  static void emit(const Philox& g, float* out) {
    const __m512i a = pack_words(g.c[0], g.c[1]), b = pack_words(g.c[2], g.c[3]);
    _mm512_storeu_ps(out, uniform_f32_from_bits(interleave_first(a, b)));
    _mm512_storeu_ps(out + 16, uniform_f32_from_bits(interleave_second(a, b)));
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

// Double normals, one chunk (kernels/common/normal_recipe.hpp): one vector of triples, lane b = triple 8c + b,
// whose blocks 3t + j come from three Philox groups (j = 0, 1, 2); output k of lane b is normal 8k + b, so each
// result vector is one contiguous store, no transpose.
inline void normal_chunk_f64(const PhiloxKey& key, std::uint64_t stream, std::uint64_t chunk, double* out) {
  const __m512i lanes3 = _mm512_set_epi64(21, 18, 15, 12, 9, 6, 3, 0);  // 3b
  Philox g[3];
  for (int j = 0; j < 3; ++j) {
    const std::uint64_t first = 24 * chunk + j;  // block 3t + j of lane 0
    g[j] = philox_start(_mm512_add_epi64(_mm512_set1_epi64(static_cast<long long>(first)), lanes3), stream);
  }
  philox_rounds(g, key);
  __m512i w[1][6];
  for (int j = 0; j < 3; ++j) {
    w[0][2 * j] = pack_words(g[j].c[0], g[j].c[1]);      // w0 | w1 << 32
    w[0][2 * j + 1] = pack_words(g[j].c[2], g[j].c[3]);  // w2 | w3 << 32
  }
  __m512d z[1][8];
  normal_v2::triples_f64<Ops<double>, 1>(w, z);
  for (int k = 0; k < 8; ++k) _mm512_storeu_pd(out + 8 * k, z[0][k]);
}

// Float normals, one chunk of 16 blocks: one vector, lane b = block 16c + b.  Philox group 0 holds blocks
// 16c + (0, 1, 4, 5, 8, 9, 12, 13), group 1 the same + 2, so that shuffle_ps of the two (per 128-bit lane: the
// low halves of group 0's two blocks, then of group 1's) gives word j of blocks 16c .. 16c + 15 in lane order, as
// in avx2; output k of lane b is normal 16k + b.
inline void normal_chunk_f32(const PhiloxKey& key, std::uint64_t stream, std::uint64_t chunk, float* out) {
  const __m512i lanes = _mm512_set_epi64(13, 12, 9, 8, 5, 4, 1, 0);
  Philox g[2];
  for (int h = 0; h < 2; ++h) {
    const std::uint64_t first = 16 * chunk + 2 * h;
    g[h] = philox_start(_mm512_add_epi64(_mm512_set1_epi64(static_cast<long long>(first)), lanes), stream);
  }
  philox_rounds(g, key);
  __m512i w[1][4];
  for (int j = 0; j < 4; ++j)
    w[0][j] = _mm512_castps_si512(
        _mm512_shuffle_ps(_mm512_castsi512_ps(g[0].c[j]), _mm512_castsi512_ps(g[1].c[j]), 0x88));
  __m512 z[1][4];
  normal_v2::blocks_f32<Ops<float>, 1>(w, z);
  for (int k = 0; k < 4; ++k) _mm512_storeu_ps(out + 16 * k, z[0][k]);
}

// The normals' emitter: G chunks from `next` on (chunk numbers modulo 2^58, so blocks stay below 2^63).
template <class Kind>
struct NormalEmitter : stream_driver::EmitterBase<Kind, 1, PhiloxKey> {
  template <int G>
  static void emit(const PhiloxKey& key, std::uint64_t stream, std::uint64_t& next, std::uint64_t,
                   typename Kind::Out* out) {
    for (int g = 0; g < G; ++g, ++next) {
      const std::uint64_t chunk = next & stream_driver::block_mask<Kind::kShift>();
      if constexpr (std::is_same_v<typename Kind::Out, double>)
        normal_chunk_f64(key, stream, chunk, out + 64 * g);
      else
        normal_chunk_f32(key, stream, chunk, out + 64 * g);
    }
  }
};

// The stream driver's emitter: G groups of kGroup consecutive blocks from `block` on, block numbers wrapped
// with the 64-bit output index and then OR-ed with `base` (0, or the selection words' half of the block space).
template <class Kind>
struct Emitter : stream_driver::EmitterBase<Kind, kGroup, PhiloxKey> {
  // The lanes' block numbers of the next group, wrapped.
  using Cursor = __m512i;
  static __m512i mask() { return _mm512_set1_epi64(static_cast<long long>(stream_driver::block_mask<Kind::kShift>())); }
  static Cursor cursor(std::uint64_t block) {
    const __m512i lanes = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
    return _mm512_and_si512(_mm512_add_epi64(_mm512_set1_epi64(static_cast<long long>(block)), lanes), mask());
  }

  template <int G>
  static void emit(const PhiloxKey& key, std::uint64_t stream, Cursor& next,
                   std::uint64_t base, typename Kind::Out* out) {
    const __m512i step = _mm512_set1_epi64(kGroup), or_base = _mm512_set1_epi64(static_cast<long long>(base));
    Philox g[G];
    for (int k = 0; k < G; ++k) {
      g[k] = philox_start(_mm512_or_si512(next, or_base), stream);
      next = _mm512_and_si512(_mm512_add_epi64(next, step), mask());
    }
    philox_rounds(g, key);
    for (int k = 0; k < G; ++k) Convert<Kind>::emit(g[k], out + k * (kGroup << Kind::kShift));
  }
};

template <>
struct Emitter<stream_driver::NormalF64> : NormalEmitter<stream_driver::NormalF64> {};
template <>
struct Emitter<stream_driver::NormalF32> : NormalEmitter<stream_driver::NormalF32> {};

}  // namespace

#include "kernels/common/sample_entry_points.inc"

template <class T>
void scale_shift_rows(std::size_t npoints, std::size_t dim, const std::uint32_t* labels, const T* means,
                      const T* stddevs, T* inout) {
  using S = Simd<T>;
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
