// NEON sampling kernels: Philox4x32-10 on four blocks per vector group (32x32->64 products by the widening vmull),
// then kernels/common/normal_recipe.hpp operation for operation (the normals through the shared body,
// kernels/common/normal_v2_body.hpp), FMA exactly where the recipe has fma, so every output is bit-identical to the
// scalar oracle.
#include <algorithm>
#include <cstring>
#include <type_traits>

#include "kernels/neon/neon_kernels.hpp"
#include "kernels/neon/simd_neon.hpp"
#include "kernels/common/normal_v2_body.hpp"
#include "kernels/common/scale_whole_rows.hpp"
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

// The stream driver's emitter of words and uniforms: G groups of four consecutive blocks, rounds interleaved across
// the groups.  The round keys are derived from the seed round by round (scalar adds), so the key is the seed.
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

// The lane operations of kernels/common/normal_v2_body.hpp on AArch64 Advanced SIMD (fused vfmaq; masks live in
// each lane's top bit: select widens it to the whole lane with an arithmetic shift for vbslq, negate_if moves it
// onto the sign bit).
template <class T>
struct Ops;
template <>
struct Ops<double> {
  using F = float64x2_t;
  using U = uint64x2_t;
  static F set(double x) { return vdupq_n_f64(x); }
  static U set_u(std::uint64_t x) { return vdupq_n_u64(x); }
  static F add(F a, F b) { return vaddq_f64(a, b); }
  static F sub(F a, F b) { return vsubq_f64(a, b); }
  static F mul(F a, F b) { return vmulq_f64(a, b); }
  static F div(F a, F b) { return vdivq_f64(a, b); }
  static F sqrt(F a) { return vsqrtq_f64(a); }
  static F fma(F a, F b, F c) { return vfmaq_f64(c, a, b); }  // c + a*b, rounded once
  static F as_f(U a) { return vreinterpretq_f64_u64(a); }
  static U as_u(F a) { return vreinterpretq_u64_f64(a); }
  static U add_u(U a, U b) { return vaddq_u64(a, b); }
  static U and_u(U a, U b) { return vandq_u64(a, b); }
  static U or_u(U a, U b) { return vorrq_u64(a, b); }
  static U xor_u(U a, U b) { return veorq_u64(a, b); }
  template <int n> static U shr(U a) { return vshrq_n_u64(a, n); }
  template <int n> static U shl(U a) { return vshlq_n_u64(a, n); }
  static F select(F no, F yes, U m) {
    return vbslq_f64(vreinterpretq_u64_s64(vshrq_n_s64(vreinterpretq_s64_u64(m), 63)), yes, no);
  }
  static F negate_if(F v, U m) { return as_f(veorq_u64(as_u(v), vandq_u64(m, vdupq_n_u64(std::uint64_t{1} << 63)))); }
};
template <>
struct Ops<float> {
  using F = float32x4_t;
  using U = uint32x4_t;
  static F set(float x) { return vdupq_n_f32(x); }
  static U set_u(std::uint32_t x) { return vdupq_n_u32(x); }
  static F add(F a, F b) { return vaddq_f32(a, b); }
  static F sub(F a, F b) { return vsubq_f32(a, b); }
  static F mul(F a, F b) { return vmulq_f32(a, b); }
  static F div(F a, F b) { return vdivq_f32(a, b); }
  static F sqrt(F a) { return vsqrtq_f32(a); }
  static F fma(F a, F b, F c) { return vfmaq_f32(c, a, b); }  // c + a*b, rounded once
  static F as_f(U a) { return vreinterpretq_f32_u32(a); }
  static U as_u(F a) { return vreinterpretq_u32_f32(a); }
  static U add_u(U a, U b) { return vaddq_u32(a, b); }
  static U and_u(U a, U b) { return vandq_u32(a, b); }
  static U or_u(U a, U b) { return vorrq_u32(a, b); }
  static U xor_u(U a, U b) { return veorq_u32(a, b); }
  template <int n> static U shr(U a) { return vshrq_n_u32(a, n); }
  template <int n> static U shl(U a) { return vshlq_n_u32(a, n); }
  static F select(F no, F yes, U m) {
    return vbslq_f32(vreinterpretq_u32_s32(vshrq_n_s32(vreinterpretq_s32_u32(m), 31)), yes, no);
  }
  static F negate_if(F v, U m) { return as_f(veorq_u32(as_u(v), vandq_u32(m, vdupq_n_u32(std::uint32_t{1} << 31)))); }
};

// Double normals, one chunk (kernels/common/normal_recipe.hpp), in two halves h of four triples 8c + 4h + l
// (l = 0..3): Philox group j holds block 3t + j of triple 8c + 4h + l in lane l.  Zipping a group's words gives the
// 64-bit x = w0 | w1 << 32 and y = w2 | w3 << 32 of two triples per vector: vector n holds triples
// 8c + 4h + 2n + (0, 1), so its output k is normals 8k + 4h + 2n and the next: contiguous stores, no transpose.
// Half a chunk at a time (3 Philox groups, 8 pairs in the body) keeps more of the state in the 32 vector
// registers: for the whole chunk at once (6 groups, 16 pairs) GCC 12.2 emitted about twice as many vector stack
// loads and stores (a count of the code, not a timing: not measured on AArch64 hardware).
inline void normal_chunk_f64(std::uint64_t seed, std::uint64_t stream, std::uint64_t chunk, double* out) {
  static constexpr std::uint64_t kLanes01[2] = {0, 3}, kLanes23[2] = {6, 9};  // 3l
  const uint64x2_t lanes01 = vld1q_u64(kLanes01), lanes23 = vld1q_u64(kLanes23);
  for (int h = 0; h < 2; ++h) {
    uint32x4_t c[3][4];
    for (int j = 0; j < 3; ++j) {
      // Blocks 3 * (8c + 4h) + j + 3l, below 3 * 2^61: no wrap.
      const uint64x2_t first = vdupq_n_u64(3 * (8 * chunk + 4 * h) + j);
      const uint32x4_t b01 = vreinterpretq_u32_u64(vaddq_u64(first, lanes01));
      const uint32x4_t b23 = vreinterpretq_u32_u64(vaddq_u64(first, lanes23));
      c[j][0] = vuzp1q_u32(b01, b23);  // low words of the four block numbers
      c[j][1] = vuzp2q_u32(b01, b23);  // high words
      c[j][2] = vdupq_n_u32(lo32(stream));
      c[j][3] = vdupq_n_u32(hi32(stream));
    }
    philox<3>(seed, c);
    uint64x2_t w[2][6];
    for (int j = 0; j < 3; ++j) {
      w[0][2 * j] = join_low(c[j][0], c[j][1]);
      w[0][2 * j + 1] = join_low(c[j][2], c[j][3]);
      w[1][2 * j] = join_high(c[j][0], c[j][1]);
      w[1][2 * j + 1] = join_high(c[j][2], c[j][3]);
    }
    float64x2_t z[2][8];
    normal_v2::triples_f64<Ops<double>, 2>(w, z);
    for (int k = 0; k < 8; ++k)
      for (int n = 0; n < 2; ++n) vst1q_f64(out + 8 * k + 4 * h + 2 * n, z[n][k]);
  }
}

// Float normals, one chunk of 16 blocks: Philox group n holds blocks 16c + 4n + l in lane l, and its word vectors
// are already the body's input (word j of four consecutive blocks); output k of group n is normals 16k + 4n + l.
inline void normal_chunk_f32(std::uint64_t seed, std::uint64_t stream, std::uint64_t chunk, float* out) {
  uint32x4_t c[4][4];
  set_counters<4>(16 * chunk, ~std::uint64_t{0}, stream, c, 0);  // blocks below 2^62: no wrap
  philox<4>(seed, c);
  float32x4_t z[4][4];
  normal_v2::blocks_f32<Ops<float>, 4>(c, z);
  for (int k = 0; k < 4; ++k)
    for (int n = 0; n < 4; ++n) vst1q_f32(out + 16 * k + 4 * n, z[n][k]);
}

template <>
struct Emitter<stream_driver::NormalF64>
    : stream_driver::ChunkEmitter<stream_driver::NormalF64, std::uint64_t, &normal_chunk_f64> {};
template <>
struct Emitter<stream_driver::NormalF32>
    : stream_driver::ChunkEmitter<stream_driver::NormalF32, std::uint64_t, &normal_chunk_f32> {};

}  // namespace

#include "kernels/common/sample_entry_points.inc"

// The vector wrapper kernels/common/scale_whole_rows.hpp takes (rows of 1-8 whole vectors; measured faster on
// the x86 ISAs, not timed on NEON hardware: the bits are the general loop's, checked under qemu).
template <class T>
struct RowSimd {
  using V = Vec<T>;
  static constexpr std::size_t kLanes = neon::kLanes<T>;
  static V load(const T* p) { return neon::load(p); }
  static void store(T* p, V v) { neon::store(p, v); }
  static V mul_add(V a, V b, V c) { return fmadd(a, b, c); }
  static V load_halves(const T* lo, const T* hi) {  // half a vector from each
    if constexpr (std::is_same_v<T, double>)
      return vcombine_f64(vld1_f64(lo), vld1_f64(hi));
    else
      return vcombine_f32(vld1_f32(lo), vld1_f32(hi));
  }
};

template <class T>
void scale_shift_rows(std::size_t npoints, std::size_t dim, const std::uint32_t* labels, const T* means,
                      const T* stddevs, T* inout) {
  if (scale_rows::whole_rows<RowSimd<T>>(npoints, dim, labels, means, stddevs, inout)) return;
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
