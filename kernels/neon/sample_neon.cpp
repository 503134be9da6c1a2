// NEON sampling kernels: Philox4x32-10 on four consecutive blocks per vector group (32x32->64 products by the
// widening vmull), then the recipe of kernels/common/normal_recipe.hpp operation for operation, FMA where it has fma,
// so every output is bit-identical to the scalar oracle.
#include <algorithm>
#include <cstring>

#include "kernels/neon/neon_kernels.hpp"
#include "kernels/neon/simd_neon.hpp"

namespace diaggauss::neon {
namespace {

// The uniform kernels take no Blocking; two groups already cover the multiply latency.
inline constexpr int kUniformIlv = 2;

inline std::uint32_t lo32(std::uint64_t x) { return static_cast<std::uint32_t>(x); }
inline std::uint32_t hi32(std::uint64_t x) { return static_cast<std::uint32_t>(x >> 32); }

// hi:lo = c * M per lane, with M lane kLane of `m` (both multipliers share one register).  The two widening
// products hold (lo, hi) pairs; unzipping separates the halves.
template <int kLane>
inline void mulhilo(uint32x4_t c, uint32x4_t m, uint32x4_t& hi, uint32x4_t& lo) {
  const uint32x4_t p01 = vreinterpretq_u32_u64(vmull_laneq_u32(vget_low_u32(c), m, kLane));
  const uint32x4_t p23 = vreinterpretq_u32_u64(vmull_high_laneq_u32(c, m, kLane));
  lo = vuzp1q_u32(p01, p23);
  hi = vuzp2q_u32(p01, p23);
}

// Counters of blocks `block` .. `block + 4G - 1`, lane l of group g holding block + 4g + l, all modulo
// block_mask + 1: a carry out of a lane's low word goes into its high word, which is then wrapped.  base_hi (the
// high word of the selection words' block base, or 0) is OR-ed in after the wrap.
template <int G>
inline void set_counters(std::uint64_t block, std::uint64_t block_mask, std::uint64_t stream, uint32x4_t (&c)[G][4],
                         std::uint32_t base_hi) {
  static constexpr std::uint32_t kIota[4] = {0, 1, 2, 3};
  const uint32x4_t iota = vld1q_u32(kIota), hi_mask = vdupq_n_u32(hi32(block_mask));
  for (int g = 0; g < G; ++g) {
    const std::uint64_t b = (block + 4 * static_cast<std::uint64_t>(g)) & block_mask;
    const uint32x4_t base = vdupq_n_u32(lo32(b));
    const uint32x4_t lo = vaddq_u32(base, iota);
    // vcltq yields all ones (-1) in lanes whose low word wrapped: subtracting it adds the carry.
    c[g][0] = lo;
    c[g][1] = vorrq_u32(vandq_u32(vsubq_u32(vdupq_n_u32(hi32(b)), vcltq_u32(lo, base)), hi_mask),
                        vdupq_n_u32(base_hi));
    c[g][2] = vdupq_n_u32(lo32(stream));
    c[g][3] = vdupq_n_u32(hi32(stream));
  }
}

// Philox4x32-10 rounds on G independent groups, round by round, so the groups' multiplies overlap.
template <int G>
inline void philox(std::uint64_t seed, uint32x4_t (&c)[G][4]) {
  static constexpr std::uint32_t kMultipliers[4] = {recipe::kPhiloxM0, recipe::kPhiloxM1, 0, 0};
  const uint32x4_t m = vld1q_u32(kMultipliers);
  std::uint32_t k0 = lo32(seed), k1 = hi32(seed);
  for (int round = 0; round < recipe::kPhiloxRounds; ++round) {
    if (round > 0) {
      k0 += recipe::kPhiloxW0;
      k1 += recipe::kPhiloxW1;
    }
    const uint32x4_t vk0 = vdupq_n_u32(k0), vk1 = vdupq_n_u32(k1);
    for (int g = 0; g < G; ++g) {
      uint32x4_t hi0, lo0, hi1, lo1;
      mulhilo<0>(c[g][0], m, hi0, lo0);
      mulhilo<1>(c[g][2], m, hi1, lo1);
      c[g][0] = veorq_u32(veorq_u32(hi1, c[g][1]), vk0);
      c[g][1] = lo1;
      c[g][2] = veorq_u32(veorq_u32(hi0, c[g][3]), vk1);
      c[g][3] = lo0;
    }
  }
}

// Writes outputs [offset, offset + n) of a stream in which block j yields kPerBlock outputs (j * kPerBlock ...).
// `convert(w, dst)` turns one group's words (w[k] = word k of four consecutive blocks) into their 4 * kPerBlock
// outputs in index order.  The steps that straddle either end of the range go through a small stack buffer, so
// any offset and n work without touching memory outside out[0, n).
template <int G, std::size_t kPerBlock, class Out, class Convert>
void generate(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, Out* out,
              Convert convert, std::uint64_t block_base = 0) {
  constexpr std::size_t kGroupOut = 4 * kPerBlock, kStepOut = G * kGroupOut;
  // Output indices wrap modulo 2^64, so block numbers wrap modulo 2^64 / kPerBlock.
  const std::uint64_t block_mask = ~std::uint64_t{0} / kPerBlock;
  std::uint64_t block = offset / kPerBlock;
  const std::size_t skip = offset % kPerBlock, end = skip + n;
  for (std::size_t pos = 0; pos < end; pos += kStepOut) {
    uint32x4_t w[G][4];
    set_counters<G>(block, block_mask, stream, w, hi32(block_base));
    philox<G>(seed, w);
    block = (block + 4 * G) & block_mask;
    if (pos >= skip && end - pos >= kStepOut) {
      for (int g = 0; g < G; ++g) convert(w[g], out + (pos - skip) + g * kGroupOut);
    } else {
      Out buf[kStepOut];
      for (int g = 0; g < G; ++g) convert(w[g], buf + g * kGroupOut);
      const std::size_t first = std::max(pos, skip), last = std::min(pos + kStepOut, end);
      std::memcpy(out + (first - skip), buf + (first - pos), (last - first) * sizeof(Out));
    }
  }
}

// generate() with the interleave factor as a compile-time constant (Blocking::philox_ilv, range 1..4).
template <std::size_t kPerBlock, class Out, class Convert>
void generate_ilv(std::uint32_t ilv, std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n,
                  Out* out, Convert convert) {
  switch (ilv) {
    case 1: return generate<1, kPerBlock>(seed, stream, offset, n, out, convert);
    case 2: return generate<2, kPerBlock>(seed, stream, offset, n, out, convert);
    case 3: return generate<3, kPerBlock>(seed, stream, offset, n, out, convert);
    default: return generate<4, kPerBlock>(seed, stream, offset, n, out, convert);
  }
}

// The 64-bit words w_even | w_odd << 32 of blocks 0, 1 (low half of the group) and 2, 3 (high half).
inline uint64x2_t join_low(uint32x4_t even, uint32x4_t odd) { return vreinterpretq_u64_u32(vzip1q_u32(even, odd)); }
inline uint64x2_t join_high(uint32x4_t even, uint32x4_t odd) { return vreinterpretq_u64_u32(vzip2q_u32(even, odd)); }

inline float64x2_t uniform_f64(uint64x2_t a) {
  namespace R = recipe::f64;
  const float64x2_t one_based = vreinterpretq_f64_u64(vorrq_u64(vdupq_n_u64(R::kOneBits), vshrq_n_u64(a, 12)));
  return vaddq_f64(vsubq_f64(one_based, vdupq_n_f64(1.0)), vdupq_n_f64(0x1p-53));
}

inline float32x4_t uniform_f32(uint32x4_t w) {
  namespace R = recipe::f32;
  const float32x4_t one_based = vreinterpretq_f32_u32(vorrq_u32(vdupq_n_u32(R::kOneBits), vshrq_n_u32(w, 9)));
  return vaddq_f32(vsubq_f32(one_based, vdupq_n_f32(1.0f)), vdupq_n_f32(0x1p-24f));
}

// Normals 2j (rho * cos) and 2j+1 (rho * sin) of the two blocks with words a, b, interleaved into index order.
inline void store_normals_f64(uint64x2_t a, uint64x2_t b, double* dst) {
  namespace R = recipe::f64;
  const float64x2_t u1 =
      vsubq_f64(vdupq_n_f64(2.0), vreinterpretq_f64_u64(vorrq_u64(vdupq_n_u64(R::kOneBits), vshrq_n_u64(a, 12))));
  const uint64x2_t t = vaddq_u64(vshrq_n_u64(b, 10), vdupq_n_u64(std::uint64_t{1} << 51));
  const uint64x2_t q = vandq_u64(vshrq_n_u64(t, 52), vdupq_n_u64(3));
  const float64x2_t r = vsubq_f64(
      vreinterpretq_f64_u64(vorrq_u64(vdupq_n_u64(R::kOneBits), vandq_u64(t, vdupq_n_u64(R::kMantMask)))),
      vdupq_n_f64(1.5));
  const float64x2_t rho = vsqrtq_f64(vmulq_f64(vdupq_n_f64(-2.0), log_recipe(u1)));
  float64x2_t c, s;
  sincos_recipe(r, q, c, s);
  vst2q_f64(dst, float64x2x2_t{{vmulq_f64(rho, c), vmulq_f64(rho, s)}});
}

// (rho * cos, rho * sin) of the word pair (w_even, w_odd), four blocks per vector.
inline float32x4x2_t normal_pair_f32(uint32x4_t w_even, uint32x4_t w_odd) {
  namespace R = recipe::f32;
  const float32x4_t u1 = vsubq_f32(
      vdupq_n_f32(2.0f), vreinterpretq_f32_u32(vorrq_u32(vdupq_n_u32(R::kOneBits), vshrq_n_u32(w_even, 9))));
  const uint32x4_t t = vaddq_u32(vshrq_n_u32(w_odd, 7), vdupq_n_u32(std::uint32_t{1} << 22));
  const uint32x4_t q = vandq_u32(vshrq_n_u32(t, 23), vdupq_n_u32(3));
  const float32x4_t r = vsubq_f32(
      vreinterpretq_f32_u32(vorrq_u32(vdupq_n_u32(R::kOneBits), vandq_u32(t, vdupq_n_u32(R::kMantMask)))),
      vdupq_n_f32(1.5f));
  const float32x4_t rho = vsqrtq_f32(vmulq_f32(vdupq_n_f32(-2.0f), log_recipe(u1)));
  float32x4_t c, s;
  sincos_recipe(r, q, c, s);
  return {{vmulq_f32(rho, c), vmulq_f32(rho, s)}};
}

}  // namespace

void uniform_u32(std::uint64_t seed, std::uint64_t stream, std::uint64_t block_base, std::uint64_t offset,
                 std::size_t n, std::uint32_t* out) {
  // vst4 interleaves the four word vectors back into block order.
  generate<kUniformIlv, 4>(
      seed, stream, offset, n, out,
      [](const uint32x4_t (&w)[4], std::uint32_t* dst) { vst4q_u32(dst, uint32x4x4_t{{w[0], w[1], w[2], w[3]}}); },
      block_base);
}

template <>
void uniform<double>(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, double* out) {
  generate<kUniformIlv, 2>(seed, stream, offset, n, out, [](const uint32x4_t (&w)[4], double* dst) {
    vst2q_f64(dst, float64x2x2_t{{uniform_f64(join_low(w[0], w[1])), uniform_f64(join_low(w[2], w[3]))}});
    vst2q_f64(dst + 4, float64x2x2_t{{uniform_f64(join_high(w[0], w[1])), uniform_f64(join_high(w[2], w[3]))}});
  });
}

template <>
void uniform<float>(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, float* out) {
  generate<kUniformIlv, 4>(seed, stream, offset, n, out, [](const uint32x4_t (&w)[4], float* dst) {
    vst4q_f32(dst, float32x4x4_t{{uniform_f32(w[0]), uniform_f32(w[1]), uniform_f32(w[2]), uniform_f32(w[3])}});
  });
}

// Outputs go straight to `out`: no staging buffer (Blocking::sample_chunk is the API's row chunking of
// sample_diag / sample_gmm, not a kernel buffer size).
template <>
void normal<double>(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, double* out,
                    const Blocking& blk) {
  generate_ilv<2>(blk.philox_ilv, seed, stream, offset, n, out, [](const uint32x4_t (&w)[4], double* dst) {
    store_normals_f64(join_low(w[0], w[1]), join_low(w[2], w[3]), dst);
    store_normals_f64(join_high(w[0], w[1]), join_high(w[2], w[3]), dst + 4);
  });
}

template <>
void normal<float>(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, float* out,
                   const Blocking& blk) {
  generate_ilv<4>(blk.philox_ilv, seed, stream, offset, n, out, [](const uint32x4_t (&w)[4], float* dst) {
    const float32x4x2_t z01 = normal_pair_f32(w[0], w[1]), z23 = normal_pair_f32(w[2], w[3]);
    vst4q_f32(dst, float32x4x4_t{{z01.val[0], z01.val[1], z23.val[0], z23.val[1]}});
  });
}

template <class T>
void scale_shift_rows(std::size_t npoints, std::size_t dim, const std::uint32_t* labels, const T* means,
                      const T* stddevs, T* inout) {
  for (std::size_t p = 0; p < npoints; ++p) {
    const std::size_t k = labels ? labels[p] : 0;
    T* row = inout + p * dim;
    map(dim, row, [](auto sd, auto x, auto mu) { return fmadd(sd, x, mu); }, stddevs + k * dim, row, means + k * dim);
  }
}

template void scale_shift_rows<float>(std::size_t, std::size_t, const std::uint32_t*, const float*, const float*,
                                      float*);
template void scale_shift_rows<double>(std::size_t, std::size_t, const std::uint32_t*, const double*, const double*,
                                       double*);

}  // namespace diaggauss::neon
