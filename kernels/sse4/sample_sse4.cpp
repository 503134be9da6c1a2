// SSE4.2 sampling kernels: Philox4x32-10 on two blocks at once (one block per 64-bit lane, _mm_mul_epu32 for the
// 32x32->64-bit products), then the recipe of kernels/common/normal_recipe.hpp on the words (the normals through
// the shared body, kernels/common/normal_v2_body.hpp), mul+add standing in for each fma.  The words and uniforms
// take `kUniformIlv` groups of two consecutive blocks through the rounds together so that their multiplies
// overlap; the normals build each chunk's lane block numbers themselves.  The stream driver produces a group that
// straddles out[0] or out[n - 1] into a stack buffer.
#include <algorithm>

#include "kernels/common/normal_v2_body.hpp"
#include "kernels/common/scale_whole_rows.hpp"
#include "kernels/common/stream_driver.hpp"
#include "kernels/sse4/simd_sse4.hpp"
#include "kernels/sse4/sse4_kernels.hpp"

namespace diaggauss::sse4 {
namespace {

constexpr std::size_t kGroup = 2;  // Philox blocks per group: one per 64-bit lane
constexpr std::uint32_t kUniformIlv = 2;           // groups in flight for the uniform kernels (which take no Blocking)

// Round keys, each in the low half of both 64-bit lanes.
struct PhiloxKey {
  __m128i k0[recipe::kPhiloxRounds], k1[recipe::kPhiloxRounds];
  explicit PhiloxKey(std::uint64_t seed) {
    std::uint32_t a = static_cast<std::uint32_t>(seed), b = static_cast<std::uint32_t>(seed >> 32);
    for (int r = 0; r < recipe::kPhiloxRounds; ++r, a += recipe::kPhiloxW0, b += recipe::kPhiloxW1) {
      k0[r] = _mm_set1_epi64x(a);
      k1[r] = _mm_set1_epi64x(b);
    }
  }
};

// The four counter words of a group, word k of each block in the low half of that block's lane of c[k].  The high
// halves hold junk: _mm_mul_epu32 ignores them, and the outputs take only the low halves.
struct Philox {
  __m128i c[4];
};

inline Philox philox_start(__m128i blocks, std::uint64_t stream) {
  return {{blocks, _mm_srli_epi64(blocks, 32), _mm_set1_epi64x(static_cast<long long>(stream)),
           _mm_set1_epi64x(static_cast<long long>(stream >> 32))}};
}

template <int N>
inline void philox_rounds(Philox (&g)[N], const PhiloxKey& key) {
  const __m128i m0 = _mm_set1_epi64x(recipe::kPhiloxM0), m1 = _mm_set1_epi64x(recipe::kPhiloxM1);
  for (int r = 0; r < recipe::kPhiloxRounds; ++r)
    for (int i = 0; i < N; ++i) {
      const __m128i p0 = _mm_mul_epu32(g[i].c[0], m0);
      const __m128i p1 = _mm_mul_epu32(g[i].c[2], m1);
      g[i].c[0] = _mm_xor_si128(_mm_xor_si128(_mm_srli_epi64(p1, 32), g[i].c[1]), key.k0[r]);
      g[i].c[2] = _mm_xor_si128(_mm_xor_si128(_mm_srli_epi64(p0, 32), g[i].c[3]), key.k1[r]);
      g[i].c[1] = p1;
      g[i].c[3] = p0;
    }
}

// 32-bit lanes {lo(block 0), lo'(block 0), lo(block 1), lo'(block 1)} from the low halves of two word vectors.
inline __m128i pack_words(__m128i lo, __m128i hi) { return _mm_blend_epi16(lo, _mm_slli_epi64(hi, 32), 0xCC); }

// Convert<Kind>::emit turns one group into its kGroup << Kind::kShift consecutive outputs, in index order.
template <class Kind>
struct Convert;

template <>
struct Convert<stream_driver::Words> {
  static void emit(const Philox& g, std::uint32_t* out) {
    const __m128i a = pack_words(g.c[0], g.c[1]), b = pack_words(g.c[2], g.c[3]);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_unpacklo_epi64(a, b));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 4), _mm_unpackhi_epi64(a, b));
  }
};

inline __m128d uniform_f64_from_bits(__m128i a) {
  const __m128d m = _mm_castsi128_pd(_mm_or_si128(_mm_srli_epi64(a, 12), _mm_set1_epi64x(recipe::f64::kOneBits)));
  return _mm_add_pd(_mm_sub_pd(m, _mm_set1_pd(1.0)), _mm_set1_pd(0x1p-53));
}

inline __m128 uniform_f32_from_bits(__m128i w) {
  const __m128 m = _mm_castsi128_ps(_mm_or_si128(_mm_srli_epi32(w, 9), _mm_set1_epi32(recipe::f32::kOneBits)));
  return _mm_add_ps(_mm_sub_ps(m, _mm_set1_ps(1.0f)), _mm_set1_ps(0x1p-24f));
}

template <>
struct Convert<stream_driver::UniformF64> {
  static void emit(const Philox& g, double* out) {
    const __m128d ua = uniform_f64_from_bits(pack_words(g.c[0], g.c[1]));  // elements 2j
    const __m128d ub = uniform_f64_from_bits(pack_words(g.c[2], g.c[3]));  // elements 2j + 1
    _mm_storeu_pd(out, _mm_unpacklo_pd(ua, ub));
    _mm_storeu_pd(out + 2, _mm_unpackhi_pd(ua, ub));
  }
};

template <>
struct Convert<stream_driver::UniformF32> {
  static void emit(const Philox& g, float* out) {
    const __m128i a = pack_words(g.c[0], g.c[1]), b = pack_words(g.c[2], g.c[3]);
    _mm_storeu_ps(out, uniform_f32_from_bits(_mm_unpacklo_epi64(a, b)));
    _mm_storeu_ps(out + 4, uniform_f32_from_bits(_mm_unpackhi_epi64(a, b)));
  }
};

// The lane operations of kernels/common/normal_v2_body.hpp on SSE4.2.  SSE4 has no FMA: fma(a, b, c) rounds the
// product and then the sum (as Simd<T>::mul_add), the one place where these normals differ from the scalar oracle
// (within the bound tests/test_sse4_normal_bound.cpp measures).
template <class T>
struct Ops;
template <>
struct Ops<double> {
  using F = __m128d;
  using U = __m128i;
  static F set(double x) { return _mm_set1_pd(x); }
  static U set_u(std::uint64_t x) { return _mm_set1_epi64x(static_cast<long long>(x)); }
  static F add(F a, F b) { return _mm_add_pd(a, b); }
  static F sub(F a, F b) { return _mm_sub_pd(a, b); }
  static F mul(F a, F b) { return _mm_mul_pd(a, b); }
  static F div(F a, F b) { return _mm_div_pd(a, b); }
  static F sqrt(F a) { return _mm_sqrt_pd(a); }
  static F fma(F a, F b, F c) { return _mm_add_pd(_mm_mul_pd(a, b), c); }
  static F as_f(U a) { return _mm_castsi128_pd(a); }
  static U as_u(F a) { return _mm_castpd_si128(a); }
  static U add_u(U a, U b) { return _mm_add_epi64(a, b); }
  static U and_u(U a, U b) { return _mm_and_si128(a, b); }
  static U or_u(U a, U b) { return _mm_or_si128(a, b); }
  static U xor_u(U a, U b) { return _mm_xor_si128(a, b); }
  template <int n> static U shr(U a) { return _mm_srli_epi64(a, n); }
  template <int n> static U shl(U a) { return _mm_slli_epi64(a, n); }
  static F select(F no, F yes, U m) { return _mm_blendv_pd(no, yes, as_f(m)); }
  static F negate_if(F v, U m) { return _mm_xor_pd(v, _mm_and_pd(as_f(m), set(-0.0))); }
};
template <>
struct Ops<float> {
  using F = __m128;
  using U = __m128i;
  static F set(float x) { return _mm_set1_ps(x); }
  static U set_u(std::uint32_t x) { return _mm_set1_epi32(static_cast<int>(x)); }
  static F add(F a, F b) { return _mm_add_ps(a, b); }
  static F sub(F a, F b) { return _mm_sub_ps(a, b); }
  static F mul(F a, F b) { return _mm_mul_ps(a, b); }
  static F div(F a, F b) { return _mm_div_ps(a, b); }
  static F sqrt(F a) { return _mm_sqrt_ps(a); }
  static F fma(F a, F b, F c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }
  static F as_f(U a) { return _mm_castsi128_ps(a); }
  static U as_u(F a) { return _mm_castps_si128(a); }
  static U add_u(U a, U b) { return _mm_add_epi32(a, b); }
  static U and_u(U a, U b) { return _mm_and_si128(a, b); }
  static U or_u(U a, U b) { return _mm_or_si128(a, b); }
  static U xor_u(U a, U b) { return _mm_xor_si128(a, b); }
  template <int n> static U shr(U a) { return _mm_srli_epi32(a, n); }
  template <int n> static U shl(U a) { return _mm_slli_epi32(a, n); }
  static F select(F no, F yes, U m) { return _mm_blendv_ps(no, yes, as_f(m)); }
  static F negate_if(F v, U m) { return _mm_xor_ps(v, _mm_and_ps(as_f(m), set(-0.0f))); }
};

// Double normals, one chunk (kernels/common/normal_recipe.hpp) in parts of kVecsF64 vectors: vector n holds
// triples 8c + 2n + (0, 1), whose blocks 3t + j come from three Philox groups (j = 0, 1, 2); output k of lane b is
// normal 8k + 2n + b, so each result vector is one contiguous store, no transpose.
constexpr int kVecsF64 = 2;  // vectors of triples in lockstep through Philox and the transform

inline void normal_chunk_f64(const PhiloxKey& key, std::uint64_t stream, std::uint64_t chunk, double* out) {
  constexpr int N = kVecsF64;
  for (int n0 = 0; n0 < 4; n0 += N) {
    Philox g[3 * N];
    for (int n = 0; n < N; ++n)
      for (int j = 0; j < 3; ++j) {
        const std::uint64_t first = 24 * chunk + 6 * static_cast<std::uint64_t>(n0 + n) + j;  // block 3t + j, lane 0
        g[3 * n + j] =
            philox_start(_mm_add_epi64(_mm_set1_epi64x(static_cast<long long>(first)), _mm_set_epi64x(3, 0)), stream);
      }
    philox_rounds(g, key);
    __m128i w[N][6];
    for (int n = 0; n < N; ++n)
      for (int j = 0; j < 3; ++j) {
        w[n][2 * j] = pack_words(g[3 * n + j].c[0], g[3 * n + j].c[1]);      // w0 | w1 << 32
        w[n][2 * j + 1] = pack_words(g[3 * n + j].c[2], g[3 * n + j].c[3]);  // w2 | w3 << 32
      }
    __m128d z[N][8];
    normal_v2::triples_f64<Ops<double>, N>(w, z);
    for (int n = 0; n < N; ++n)
      for (int k = 0; k < 8; ++k) _mm_storeu_pd(out + 8 * k + 2 * (n0 + n), z[n][k]);
  }
}

// Float normals, one chunk of 16 blocks in parts of kVecsF32 vectors: vector n holds blocks 16c + 4n + (0..3), from
// two Philox groups (blocks 4n, 4n + 1 and 4n + 2, 4n + 3), so that shuffle_ps of the two gives word j of the four
// blocks in lane order; output k of lane b is normal 16k + 4n + b.
constexpr int kVecsF32 = 2;

inline void normal_chunk_f32(const PhiloxKey& key, std::uint64_t stream, std::uint64_t chunk, float* out) {
  constexpr int N = kVecsF32;
  for (int n0 = 0; n0 < 4; n0 += N) {
    Philox g[2 * N];
    for (int n = 0; n < N; ++n)
      for (int h = 0; h < 2; ++h) {
        const std::uint64_t first = 16 * chunk + 4 * static_cast<std::uint64_t>(n0 + n) + 2 * h;
        g[2 * n + h] =
            philox_start(_mm_add_epi64(_mm_set1_epi64x(static_cast<long long>(first)), _mm_set_epi64x(1, 0)), stream);
      }
    philox_rounds(g, key);
    __m128i w[N][4];
    for (int n = 0; n < N; ++n)
      for (int j = 0; j < 4; ++j)
        w[n][j] = _mm_castps_si128(
            _mm_shuffle_ps(_mm_castsi128_ps(g[2 * n].c[j]), _mm_castsi128_ps(g[2 * n + 1].c[j]), 0x88));
    __m128 z[N][4];
    normal_v2::blocks_f32<Ops<float>, N>(w, z);
    for (int n = 0; n < N; ++n)
      for (int k = 0; k < 4; ++k) _mm_storeu_ps(out + 16 * k + 4 * (n0 + n), z[n][k]);
  }
}

// The stream driver's emitter: G groups of kGroup consecutive blocks from `block` on, block numbers wrapped
// with the 64-bit output index and then OR-ed with `base` (0, or the selection words' half of the block space).
template <class Kind>
struct Emitter : stream_driver::EmitterBase<Kind, kGroup, PhiloxKey> {
  // The lanes' block numbers of the next group, wrapped.
  using Cursor = __m128i;
  static __m128i mask() { return _mm_set1_epi64x(static_cast<long long>(stream_driver::block_mask<Kind::kShift>())); }
  static Cursor cursor(std::uint64_t block) {
    return _mm_and_si128(_mm_add_epi64(_mm_set1_epi64x(static_cast<long long>(block)), _mm_set_epi64x(1, 0)), mask());
  }

  template <int G>
  static void emit(const PhiloxKey& key, std::uint64_t stream, Cursor& next,
                   std::uint64_t base, typename Kind::Out* out) {
    const __m128i step = _mm_set1_epi64x(kGroup), or_base = _mm_set1_epi64x(static_cast<long long>(base));
    Philox g[G];
    for (int k = 0; k < G; ++k) {
      g[k] = philox_start(_mm_or_si128(next, or_base), stream);
      next = _mm_and_si128(_mm_add_epi64(next, step), mask());
    }
    philox_rounds(g, key);
    for (int k = 0; k < G; ++k) Convert<Kind>::emit(g[k], out + k * (kGroup << Kind::kShift));
  }
};

template <>
struct Emitter<stream_driver::NormalF64>
    : stream_driver::ChunkEmitter<stream_driver::NormalF64, PhiloxKey, &normal_chunk_f64> {};
template <>
struct Emitter<stream_driver::NormalF32>
    : stream_driver::ChunkEmitter<stream_driver::NormalF32, PhiloxKey, &normal_chunk_f32> {};

}  // namespace

#include "kernels/common/sample_entry_points.inc"

template <class T>
void scale_shift_rows(std::size_t npoints, std::size_t dim, const std::uint32_t* labels, const T* means,
                      const T* stddevs, T* inout) {
  using S = Simd<T>;
  if (scale_rows::whole_rows<S>(npoints, dim, labels, means, stddevs, inout)) return;
  const auto vec_op = [](auto x, auto sd, auto mu) { return S::mul_add(sd, x, mu); };
  const auto scalar_op = [](T x, T sd, T mu) { return sd * x + mu; };
  if (!labels) return rows_elementwise(npoints, dim, inout, stddevs, means, inout, vec_op, scalar_op);
  for (std::size_t p = 0; p < npoints; ++p) {
    const std::size_t k = labels[p];
    T* row = inout + p * dim;
    elementwise(dim, row, vec_op, scalar_op, static_cast<const T*>(row), stddevs + k * dim, means + k * dim);
  }
}

template void scale_shift_rows<float>(std::size_t, std::size_t, const std::uint32_t*, const float*, const float*,
                                      float*);
template void scale_shift_rows<double>(std::size_t, std::size_t, const std::uint32_t*, const double*,
                                       const double*, double*);

}  // namespace diaggauss::sse4
