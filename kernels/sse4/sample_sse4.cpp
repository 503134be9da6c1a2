// SSE4.2 sampling kernels: Philox4x32-10 on two blocks at once (one block per 64-bit lane, _mm_mul_epu32 for the
// 32x32->64-bit products), then the recipe of kernels/common/normal_recipe.hpp on the words, mul+add standing in
// for each fma.  `philox_ilv` groups of two blocks go through the rounds together so that their multiplies
// overlap; a group that straddles out[0] or out[n - 1] is produced into a stack buffer.
#include <algorithm>

#include "kernels/sse4/simd_sse4.hpp"
#include "kernels/common/stream_driver.hpp"
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

template <>
struct Convert<stream_driver::NormalF64> {
  static void emit(const Philox& g, double* out) {
    namespace R = recipe::f64;
    const __m128i one = _mm_set1_epi64x(R::kOneBits);
    const __m128i a = pack_words(g.c[0], g.c[1]), b = pack_words(g.c[2], g.c[3]);
    const __m128d u1 = _mm_sub_pd(_mm_set1_pd(2.0), _mm_castsi128_pd(_mm_or_si128(_mm_srli_epi64(a, 12), one)));
    const __m128i t = _mm_add_epi64(_mm_srli_epi64(b, 10), _mm_set1_epi64x(std::int64_t{1} << 51));
    const __m128d r = _mm_sub_pd(
        _mm_castsi128_pd(_mm_or_si128(_mm_and_si128(t, _mm_set1_epi64x(R::kMantMask)), one)), _mm_set1_pd(1.5));
    const __m128d rho = _mm_sqrt_pd(_mm_mul_pd(_mm_set1_pd(-2.0), log_recipe(u1)));
    __m128d cos_r, sin_r;
    sincos_recipe(r, cos_r, sin_r);
    // Quarter turn q = (t >> 52) & 3: bit 0 swaps cos and sin; c is negated for q = 1, 2 and s for q = 2, 3.  Both
    // bits are moved to the sign position, which is what blendv selects on and what xor negates.
    const __m128i swap = _mm_slli_epi64(_mm_srli_epi64(t, 52), 63);
    const __m128i neg_s = _mm_slli_epi64(_mm_srli_epi64(t, 53), 63);
    const __m128d c = _mm_xor_pd(_mm_blendv_pd(cos_r, sin_r, _mm_castsi128_pd(swap)),
                                 _mm_castsi128_pd(_mm_xor_si128(swap, neg_s)));
    const __m128d s = _mm_xor_pd(_mm_blendv_pd(sin_r, cos_r, _mm_castsi128_pd(swap)), _mm_castsi128_pd(neg_s));
    const __m128d zc = _mm_mul_pd(rho, c), zs = _mm_mul_pd(rho, s);  // normals 2j and 2j + 1
    _mm_storeu_pd(out, _mm_unpacklo_pd(zc, zs));
    _mm_storeu_pd(out + 2, _mm_unpackhi_pd(zc, zs));
  }
};

template <>
struct Convert<stream_driver::NormalF32> {
  static void emit(const Philox& g, float* out) {
    namespace R = recipe::f32;
    const __m128i one = _mm_set1_epi32(R::kOneBits);
    // Lanes are the pairs (w0, w1), (w2, w3) of block 0, then of block 1: normals 4j + {0, 1}, 4j + {2, 3}, ...
    const __m128i we = pack_words(g.c[0], g.c[2]), wo = pack_words(g.c[1], g.c[3]);
    const __m128 u1 = _mm_sub_ps(_mm_set1_ps(2.0f), _mm_castsi128_ps(_mm_or_si128(_mm_srli_epi32(we, 9), one)));
    const __m128i t = _mm_add_epi32(_mm_srli_epi32(wo, 7), _mm_set1_epi32(1 << 22));
    const __m128 r = _mm_sub_ps(
        _mm_castsi128_ps(_mm_or_si128(_mm_and_si128(t, _mm_set1_epi32(R::kMantMask)), one)), _mm_set1_ps(1.5f));
    const __m128 rho = _mm_sqrt_ps(_mm_mul_ps(_mm_set1_ps(-2.0f), log_recipe(u1)));
    __m128 cos_r, sin_r;
    sincos_recipe(r, cos_r, sin_r);
    const __m128i swap = _mm_slli_epi32(_mm_srli_epi32(t, 23), 31);
    const __m128i neg_s = _mm_slli_epi32(_mm_srli_epi32(t, 24), 31);
    const __m128 c = _mm_xor_ps(_mm_blendv_ps(cos_r, sin_r, _mm_castsi128_ps(swap)),
                                _mm_castsi128_ps(_mm_xor_si128(swap, neg_s)));
    const __m128 s = _mm_xor_ps(_mm_blendv_ps(sin_r, cos_r, _mm_castsi128_ps(swap)), _mm_castsi128_ps(neg_s));
    const __m128 zc = _mm_mul_ps(rho, c), zs = _mm_mul_ps(rho, s);
    _mm_storeu_ps(out, _mm_unpacklo_ps(zc, zs));
    _mm_storeu_ps(out + 4, _mm_unpackhi_ps(zc, zs));
  }
};

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

}  // namespace

#include "kernels/common/sample_entry_points.inc"

template <class T>
void scale_shift_rows(std::size_t npoints, std::size_t dim, const std::uint32_t* labels, const T* means,
                      const T* stddevs, T* inout) {
  using S = Simd<T>;
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
