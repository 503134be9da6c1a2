// NEON sampling kernels: Philox4x32-10 on four consecutive blocks per vector group (32x32->64 products by the
// widening vmull), then the recipe of kernels/common/normal_recipe.hpp operation for operation, FMA where it has fma,
// so every output is bit-identical to the scalar oracle.
#include <algorithm>
#include <cstring>

#include "kernels/neon/neon_kernels.hpp"
#include "kernels/neon/simd_neon.hpp"
#include "kernels/common/stream_driver.hpp"

namespace diaggauss::neon {
namespace {

// The uniform kernels take no Blocking; two groups already cover the multiply latency.
inline constexpr std::uint32_t kUniformIlv = 2;

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

// Convert<Kind>::emit turns one group's words (w[k] = word k of four consecutive blocks) into their 4 << kShift
// outputs in index order.
template <class Kind>
struct Convert;

template <>
struct Convert<stream_driver::Words> {
  // vst4 interleaves the four word vectors back into block order.
  static void emit(const uint32x4_t (&w)[4], std::uint32_t* dst) {
    vst4q_u32(dst, uint32x4x4_t{{w[0], w[1], w[2], w[3]}});
  }
};

template <>
struct Convert<stream_driver::UniformF64> {
  static void emit(const uint32x4_t (&w)[4], double* dst) {
    vst2q_f64(dst, float64x2x2_t{{uniform_f64(join_low(w[0], w[1])), uniform_f64(join_low(w[2], w[3]))}});
    vst2q_f64(dst + 4, float64x2x2_t{{uniform_f64(join_high(w[0], w[1])), uniform_f64(join_high(w[2], w[3]))}});
  }
};

template <>
struct Convert<stream_driver::UniformF32> {
  static void emit(const uint32x4_t (&w)[4], float* dst) {
    vst4q_f32(dst, float32x4x4_t{{uniform_f32(w[0]), uniform_f32(w[1]), uniform_f32(w[2]), uniform_f32(w[3])}});
  }
};

template <>
struct Convert<stream_driver::NormalF64> {
  static void emit(const uint32x4_t (&w)[4], double* dst) {
    store_normals_f64(join_low(w[0], w[1]), join_low(w[2], w[3]), dst);
    store_normals_f64(join_high(w[0], w[1]), join_high(w[2], w[3]), dst + 4);
  }
};

template <>
struct Convert<stream_driver::NormalF32> {
  static void emit(const uint32x4_t (&w)[4], float* dst) {
    const float32x4x2_t z01 = normal_pair_f32(w[0], w[1]), z23 = normal_pair_f32(w[2], w[3]);
    vst4q_f32(dst, float32x4x4_t{{z01.val[0], z01.val[1], z23.val[0], z23.val[1]}});
  }
};

// The stream driver's emitter: G groups of four consecutive blocks, rounds interleaved across the groups.  The
// round keys are derived from the seed round by round (scalar adds), so the key is the seed.
template <class Kind>
struct Emitter : stream_driver::EmitterBase<Kind, 4, std::uint64_t> {
  template <int G>
  static void emit(std::uint64_t seed, std::uint64_t stream, std::uint64_t& next,
                   std::uint64_t base, typename Kind::Out* out) {
    const std::uint64_t block = next;  // set_counters wraps each lane
    next += G * std::size_t{4};
    uint32x4_t w[G][4];
    set_counters<G>(block, stream_driver::block_mask<Kind::kShift>(), stream, w, hi32(base));
    philox<G>(seed, w);
    for (int g = 0; g < G; ++g) Convert<Kind>::emit(w[g], out + g * (std::size_t{4} << Kind::kShift));
  }
};

}  // namespace

#include "kernels/common/sample_entry_points.inc"

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
