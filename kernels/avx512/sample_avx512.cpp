// AVX-512 sampling kernels: Philox4x32-10 on eight blocks at once (one block per 64-bit lane, _mm512_mul_epu32
// for the 32x32->64-bit products), then the recipe of kernels/common/normal_recipe.hpp on the words, with the fmas
// where the recipe has them, so the outputs are bit-identical to the scalar oracle.  `philox_ilv` groups of eight
// blocks go through the rounds together so that their multiplies overlap; a group that straddles out[0] or
// out[n - 1] is produced into a stack buffer.  The structure is that of the sse4 sampler, two lanes -> eight.
#include <algorithm>

#include "kernels/avx512/avx512_kernels.hpp"
#include "kernels/avx512/simd_avx512.hpp"
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
// The same for the sixteen 32-bit lanes of two float vectors.
inline __m512 interleave_first(__m512 a, __m512 b) {
  return _mm512_permutex2var_ps(a, _mm512_set_epi32(23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0), b);
}
inline __m512 interleave_second(__m512 a, __m512 b) {
  return _mm512_permutex2var_ps(a, _mm512_set_epi32(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8),
                                b);
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

template <>
struct Convert<stream_driver::NormalF64> {
  static void emit(const Philox& g, double* out) {
    namespace R = recipe::f64;
    const __m512i one = _mm512_set1_epi64(R::kOneBits);
    const __m512i a = pack_words(g.c[0], g.c[1]), b = pack_words(g.c[2], g.c[3]);
    const __m512d u1 =
        _mm512_sub_pd(_mm512_set1_pd(2.0), _mm512_castsi512_pd(_mm512_or_si512(_mm512_srli_epi64(a, 12), one)));
    const __m512i t = _mm512_add_epi64(_mm512_srli_epi64(b, 10), _mm512_set1_epi64(std::int64_t{1} << 51));
    const __m512d r = _mm512_sub_pd(
        _mm512_castsi512_pd(_mm512_or_si512(_mm512_and_si512(t, _mm512_set1_epi64(R::kMantMask)), one)),
        _mm512_set1_pd(1.5));
    const __m512d rho = _mm512_sqrt_pd(_mm512_mul_pd(_mm512_set1_pd(-2.0), log_recipe(u1)));
    __m512d cos_r, sin_r;
    sincos_recipe(r, cos_r, sin_r);
    // Quarter turn q = (t >> 52) & 3: bit 0 swaps cos and sin; c is negated for q = 1, 2 and s for q = 2, 3.  Both
    // bits are moved to the sign position, where movepi64_mask reads the swap and where xor negates.
    const __m512i swap = _mm512_slli_epi64(_mm512_srli_epi64(t, 52), 63);
    const __m512i neg_s = _mm512_slli_epi64(_mm512_srli_epi64(t, 53), 63);
    const __mmask8 swapped = _mm512_movepi64_mask(swap);
    const __m512d c = _mm512_xor_pd(_mm512_mask_blend_pd(swapped, cos_r, sin_r),
                                    _mm512_castsi512_pd(_mm512_xor_si512(swap, neg_s)));
    const __m512d s = _mm512_xor_pd(_mm512_mask_blend_pd(swapped, sin_r, cos_r), _mm512_castsi512_pd(neg_s));
    const __m512d zc = _mm512_mul_pd(rho, c), zs = _mm512_mul_pd(rho, s);  // normals 2j and 2j + 1
    _mm512_storeu_pd(out, interleave_first(zc, zs));
    _mm512_storeu_pd(out + 8, interleave_second(zc, zs));
  }
};

template <>
struct Convert<stream_driver::NormalF32> {
  static void emit(const Philox& g, float* out) {
    namespace R = recipe::f32;
    const __m512i one = _mm512_set1_epi32(R::kOneBits);
    // Lanes are the pairs (w0, w1), (w2, w3) of block 0, then of block 1, ...: normals 4j + {0, 1}, 4j + {2, 3}, ...
    const __m512i we = pack_words(g.c[0], g.c[2]), wo = pack_words(g.c[1], g.c[3]);
    const __m512 u1 =
        _mm512_sub_ps(_mm512_set1_ps(2.0f), _mm512_castsi512_ps(_mm512_or_si512(_mm512_srli_epi32(we, 9), one)));
    const __m512i t = _mm512_add_epi32(_mm512_srli_epi32(wo, 7), _mm512_set1_epi32(1 << 22));
    const __m512 r = _mm512_sub_ps(
        _mm512_castsi512_ps(_mm512_or_si512(_mm512_and_si512(t, _mm512_set1_epi32(R::kMantMask)), one)),
        _mm512_set1_ps(1.5f));
    const __m512 rho = _mm512_sqrt_ps(_mm512_mul_ps(_mm512_set1_ps(-2.0f), log_recipe(u1)));
    __m512 cos_r, sin_r;
    sincos_recipe(r, cos_r, sin_r);
    const __m512i swap = _mm512_slli_epi32(_mm512_srli_epi32(t, 23), 31);
    const __m512i neg_s = _mm512_slli_epi32(_mm512_srli_epi32(t, 24), 31);
    const __mmask16 swapped = _mm512_movepi32_mask(swap);
    const __m512 c = _mm512_xor_ps(_mm512_mask_blend_ps(swapped, cos_r, sin_r),
                                   _mm512_castsi512_ps(_mm512_xor_si512(swap, neg_s)));
    const __m512 s = _mm512_xor_ps(_mm512_mask_blend_ps(swapped, sin_r, cos_r), _mm512_castsi512_ps(neg_s));
    const __m512 zc = _mm512_mul_ps(rho, c), zs = _mm512_mul_ps(rho, s);
    _mm512_storeu_ps(out, interleave_first(zc, zs));
    _mm512_storeu_ps(out + 16, interleave_second(zc, zs));
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
