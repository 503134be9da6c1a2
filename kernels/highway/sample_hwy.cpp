// Highway sampling kernels: Philox4x32-10 and the recipe of kernels/common/normal_recipe.hpp, step for step.
//
// Philox runs one block per 64-bit lane: a word lives in the low half of its lane, and MulEven (32x32 -> 64, the
// even 32-bit lanes) gives the round's full products without any shuffles.  philox_ilv independent vectors of
// blocks are interleaved so their multiply latencies overlap; each block is still computed on its own, so the
// interleave never changes a result.  Every output vector is built from two vectors of the output type (one per
// half of a block's words, or cos/sin) and written with StoreInterleaved2, which puts them in contract order.
// The first and last group of a call, where the requested range starts or ends inside it, are generated into a
// stack buffer by the same code and copied, so each output depends only on (seed, stream, index) — and no
// byte outside [out, out + n) is touched.
#include "kernels/highway/hwy_config.h"  // before Highway's headers

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/highway/sample_hwy.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include <algorithm>
#include <cstring>

#include "hwy/highway.h"
#include "kernels/common/normal_recipe.hpp"
#include "kernels/highway/kernels_hwy-inl.h"
#include "kernels/highway/map-inl.h"
#include "kernels/highway/vecmath-inl.h"

HWY_BEFORE_NAMESPACE();
namespace diaggauss::hwy_family::HWY_NAMESPACE {
#if DG_HWY_KERNEL_TARGET
namespace hn = hwy::HWY_NAMESPACE;

namespace {

using DU64 = hn::ScalableTag<std::uint64_t>;
using DU32 = hn::Repartition<std::uint32_t, DU64>;
using VU64 = hn::VFromD<DU64>;

// The raw-word and uniform kernels take no Blocking.
constexpr std::size_t kDefaultIlv = 2;

// The four counter words of one vector of blocks.  Only the low 32 bits of each lane are meaningful: MulEven
// reads only those, so what the XORs leave in the high halves never needs masking.
struct Counters {
  VU64 w0, w1, w2, w3;
};

// Philox's round keys, broadcast once per call.  (Advanced inside the rounds instead, GCC rematerialises every
// round key from an immediate -- move, broadcast, add -- in every group, as many instructions as the rounds.)
struct RoundKeys {
  VU64 k0[recipe::kPhiloxRounds], k1[recipe::kPhiloxRounds];
  explicit RoundKeys(std::uint64_t seed) {
    const DU64 du;
    std::uint32_t a = static_cast<std::uint32_t>(seed), b = static_cast<std::uint32_t>(seed >> 32);
    for (int round = 0; round < recipe::kPhiloxRounds; ++round, a += recipe::kPhiloxW0, b += recipe::kPhiloxW1) {
      k0[round] = hn::Set(du, a);
      k1[round] = hn::Set(du, b);
    }
  }
};

// Philox4x32-10 of blocks first + g*N + lane (mod 2^64, then masked by block_mask) for g < ILV.
template <std::size_t ILV>
HWY_INLINE void philox_group(const RoundKeys& keys, std::uint64_t stream, std::uint64_t first,
                             std::uint64_t block_mask, std::uint64_t base, Counters (&x)[ILV]) {
  const DU64 du;
  const DU32 d32;
  const std::size_t N = hn::Lanes(du);
  const auto lane = hn::Iota(du, 0);
  const auto s_lo = hn::Set(du, stream & 0xFFFFFFFFu), s_hi = hn::Set(du, stream >> 32);
  for (std::size_t g = 0; g < ILV; ++g) {
    // base (0, or the selection words' half of the block space) is OR-ed in after the wrap.
    const auto block =
        hn::Or(hn::And(hn::Add(hn::Set(du, first + g * N), lane), hn::Set(du, block_mask)), hn::Set(du, base));
    x[g] = Counters{block, hn::ShiftRight<32>(block), s_lo, s_hi};
  }
  const auto m0 = hn::BitCast(d32, hn::Set(du, recipe::kPhiloxM0));
  const auto m1 = hn::BitCast(d32, hn::Set(du, recipe::kPhiloxM1));
  for (int round = 0; round < recipe::kPhiloxRounds; ++round) {
    for (std::size_t g = 0; g < ILV; ++g) {
      const auto p0 = hn::MulEven(hn::BitCast(d32, x[g].w0), m0);  // hi0:lo0
      const auto p1 = hn::MulEven(hn::BitCast(d32, x[g].w2), m1);  // hi1:lo1
      x[g].w0 = hn::Xor3(hn::ShiftRight<32>(p1), x[g].w1, keys.k0[round]);
      x[g].w2 = hn::Xor3(hn::ShiftRight<32>(p0), x[g].w3, keys.k1[round]);
      x[g].w1 = p1;
      x[g].w3 = p0;
    }
  }
}

// lo | hi << 32 in each 64-bit lane: two words of a block side by side, in memory order.
HWY_INLINE VU64 join_words(VU64 lo, VU64 hi) {
  const DU64 du;
  const DU32 d32;
  return hn::BitCast(du, hn::OddEven(hn::BitCast(d32, hn::ShiftLeft<32>(hi)), hn::BitCast(d32, lo)));
}

// (as_float(one | bits >> (W - M)) - 1) + 2^-(M+1): the recipe's exact map of the top M bits into (0, 1).
template <class D>
HWY_INLINE hn::VFromD<D> uniform_from_bits(D d, hn::VFromD<hn::RebindToUnsigned<D>> bits) {
  using T = hn::TFromD<D>;
  using R = Recipe<T>;
  const hn::RebindToUnsigned<D> du;
  constexpr T kHalfUlp = T(1) / static_cast<T>(typename R::Bits{1} << (R::kMantBits + 1));
  const auto top_bits = hn::ShiftRight<sizeof(T) * 8 - R::kMantBits>(bits);
  const auto one_plus = hn::BitCast(d, hn::Or(top_bits, hn::Set(du, R::kOneBits)));  // in [1, 2)
  return hn::Add(hn::Sub(one_plus, hn::Set(d, T(1))), hn::Set(d, kHalfUlp));
}

// Box-Muller of the recipe: one normal pair per lane from a radius word and an angle word.
template <class D, class VU = hn::VFromD<hn::RebindToUnsigned<D>>>
HWY_INLINE void box_muller(D d, VU radius_word, VU angle_word, hn::VFromD<D>& zc, hn::VFromD<D>& zs) {
  using T = hn::TFromD<D>;
  using R = Recipe<T>;
  using Bits = typename R::Bits;
  constexpr int W = sizeof(T) * 8, M = R::kMantBits;
  const hn::RebindToUnsigned<D> du;
  const auto one_bits = hn::Set(du, R::kOneBits);
  const auto u1 = hn::Sub(hn::Set(d, T(2)), hn::BitCast(d, hn::Or(hn::ShiftRight<W - M>(radius_word), one_bits)));
  // The angle in quarter turns: t's bits M, M+1 are the quadrant q, its mantissa the offset r in [-0.5, 0.5).
  const auto t = hn::Add(hn::ShiftRight<W - M - 2>(angle_word), hn::Set(du, Bits{1} << (M - 1)));
  const auto r = hn::Sub(hn::BitCast(d, hn::Or(hn::And(t, hn::Set(du, R::kMantMask)), one_bits)), hn::Set(d, T(1.5)));
  const auto rho = hn::Sqrt(hn::Mul(hn::Set(d, T(-2)), recipe_log(d, u1)));
  const auto x2 = hn::Mul(r, r);
  const auto S = hn::Mul(r, horner(d, x2, R::kSin));
  const auto C = hn::MulAdd(horner(d, x2, R::kCos), x2, hn::Set(d, T(1)));
  // (c, s) = (C, S), (-S, C), (-C, -S), (S, -C) for q = 0..3: swap when q is odd, then flip signs by XOR
  // (exactly the scalar's negation): s is negative when q >= 2, c when q is 1 or 2.
  const auto swap = hn::RebindMask(d, hn::TestBit(t, hn::Set(du, Bits{1} << M)));
  const auto q_top = hn::ShiftLeft<W - 2 - M>(t);  // q's high bit at the sign position, its low bit below
  const auto sign = hn::Set(du, Bits{1} << (W - 1));
  const auto s_sign = hn::BitCast(d, hn::And(q_top, sign));
  const auto c_sign = hn::BitCast(d, hn::And(hn::Xor(q_top, hn::ShiftLeft<1>(q_top)), sign));
  zc = hn::Mul(rho, hn::Xor(hn::IfThenElse(swap, S, C), c_sign));
  zs = hn::Mul(rho, hn::Xor(hn::IfThenElse(swap, C, S), s_sign));
}

// Emitters: write the kPerBlock * N outputs of one vector of blocks, in contract order.
// Four outputs per block use 32-bit lanes [w0, w2] and [w1, w3] per block; two per block use 64-bit lanes
// (w0, w1) and (w2, w3).  Interleaving the pair restores the block's order either way.
struct EmitWords {
  static constexpr std::size_t kPerBlock = 4;
  HWY_INLINE void operator()(const Counters& x, std::uint32_t* dst) const {
    const DU32 d32;
    hn::StoreInterleaved2(hn::BitCast(d32, join_words(x.w0, x.w2)), hn::BitCast(d32, join_words(x.w1, x.w3)), d32,
                          dst);
  }
};

template <class T>
struct EmitUniform;
template <>
struct EmitUniform<double> {
  static constexpr std::size_t kPerBlock = 2;
  HWY_INLINE void operator()(const Counters& x, double* dst) const {
    const hn::Repartition<double, DU64> d;
    hn::StoreInterleaved2(uniform_from_bits(d, join_words(x.w0, x.w1)), uniform_from_bits(d, join_words(x.w2, x.w3)),
                          d, dst);
  }
};
template <>
struct EmitUniform<float> {
  static constexpr std::size_t kPerBlock = 4;
  HWY_INLINE void operator()(const Counters& x, float* dst) const {
    const hn::Repartition<float, DU64> d;
    const DU32 d32;
    hn::StoreInterleaved2(uniform_from_bits(d, hn::BitCast(d32, join_words(x.w0, x.w2))),
                          uniform_from_bits(d, hn::BitCast(d32, join_words(x.w1, x.w3))), d, dst);
  }
};

template <class T>
struct EmitNormal;
template <>
struct EmitNormal<double> {
  static constexpr std::size_t kPerBlock = 2;  // block j -> 2j (cos), 2j+1 (sin)
  HWY_INLINE void operator()(const Counters& x, double* dst) const {
    const hn::Repartition<double, DU64> d;
    hn::VFromD<decltype(d)> zc, zs;
    box_muller(d, join_words(x.w0, x.w1), join_words(x.w2, x.w3), zc, zs);
    hn::StoreInterleaved2(zc, zs, d, dst);
  }
};
template <>
struct EmitNormal<float> {
  static constexpr std::size_t kPerBlock = 4;  // block j -> pair (w0, w1): 4j, 4j+1; pair (w2, w3): 4j+2, 4j+3
  HWY_INLINE void operator()(const Counters& x, float* dst) const {
    const hn::Repartition<float, DU64> d;
    const DU32 d32;
    hn::VFromD<decltype(d)> zc, zs;
    box_muller(d, hn::BitCast(d32, join_words(x.w0, x.w2)), hn::BitCast(d32, join_words(x.w1, x.w3)), zc, zs);
    hn::StoreInterleaved2(zc, zs, d, dst);
  }
};

// out[i] = output offset + i of the stream, for i < n.  Output index o comes from block o / kPerBlock; indices
// wrap at 2^64, so block numbers wrap at 2^64 / kPerBlock (block_mask).
template <std::size_t ILV, class Emit, class T>
void generate(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, T* out,
              const Emit& emit, std::uint64_t base = 0) {
  constexpr std::size_t kPer = Emit::kPerBlock;
  constexpr int kShift = kPer == 4 ? 2 : 1;
  const DU64 du;
  const std::size_t N = hn::Lanes(du), per_vec = kPer * N, per_group = ILV * per_vec;
  const std::uint64_t block_mask = ~std::uint64_t{0} >> kShift;
  // Positions count from the first block's first output; the caller wants positions [skip, end).
  const std::size_t skip = static_cast<std::size_t>(offset & (kPer - 1)), end = skip + n;
  HWY_ALIGN T buf[ILV * kPer * HWY_LANES(std::uint64_t)];
  const RoundKeys keys(seed);
  std::uint64_t block = offset >> kShift;
  for (std::size_t pos = 0; pos < end; pos += per_group, block += ILV * N) {
    Counters x[ILV];
    philox_group(keys, stream, block, block_mask, base, x);
    const bool whole = pos >= skip && end - pos >= per_group;
    T* dst = whole ? out + (pos - skip) : buf;
    for (std::size_t g = 0; g < ILV; ++g) emit(x[g], dst + g * per_vec);
    if (!whole) {
      const std::size_t lo = std::max(pos, skip), hi = std::min(pos + per_group, end);
      std::memcpy(out + (lo - skip), buf + (lo - pos), (hi - lo) * sizeof(T));
    }
  }
}

template <class Emit, class T>
void generate_interleaved(std::uint32_t ilv, std::uint64_t seed, std::uint64_t stream, std::uint64_t offset,
                          std::size_t n, T* out, const Emit& emit) {
  DG_NOTE_BLOCKING(kPhiloxIlvParam, ilv == 1 || ilv == 3 || ilv == 4 ? ilv : 2);
  switch (ilv) {
    case 1: return generate<1>(seed, stream, offset, n, out, emit);
    case 3: return generate<3>(seed, stream, offset, n, out, emit);
    case 4: return generate<4>(seed, stream, offset, n, out, emit);
    default: return generate<2>(seed, stream, offset, n, out, emit);
  }
}

}  // namespace

void uniform_u32(std::uint64_t seed, std::uint64_t stream, std::uint64_t block_base, std::uint64_t offset,
                 std::size_t n, std::uint32_t* out) {
  generate<kDefaultIlv>(seed, stream, offset, n, out, EmitWords{}, block_base);
}

template <class T>
void uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, T* out) {
  generate<kDefaultIlv>(seed, stream, offset, n, out, EmitUniform<T>{});
}

// One fused pass (Philox, then the transform, straight into out): no intermediate buffer to size
// (blk.sample_chunk is the API's row chunking of sample_diag / sample_gmm).
template <class T>
void normal(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, T* out,
            const Blocking& blk) {
  generate_interleaved(blk.philox_ilv, seed, stream, offset, n, out, EmitNormal<T>{});
}

template <class T>
void scale_shift_rows(std::size_t npoints, std::size_t dim, const std::uint32_t* labels, const T* means,
                      const T* stddevs, T* inout) {
  for (std::size_t p = 0; p < npoints; ++p) {
    const std::size_t k = labels ? labels[p] : 0;
    T* row = inout + p * dim;
    map_elements(
        dim, row, [](auto sd, auto x, auto mu) HWY_ATTR { return hn::MulAdd(sd, x, mu); }, stddevs + k * dim, row,
        means + k * dim);
  }
}

#define DG_HWY_INSTANTIATE(T)                                                                              \
  template void uniform<T>(std::uint64_t, std::uint64_t, std::uint64_t, std::size_t, T*);                  \
  template void normal<T>(std::uint64_t, std::uint64_t, std::uint64_t, std::size_t, T*, const Blocking&);  \
  template void scale_shift_rows<T>(std::size_t, std::size_t, const std::uint32_t*, const T*, const T*, T*);
DG_HWY_INSTANTIATE(float)
DG_HWY_INSTANTIATE(double)
#undef DG_HWY_INSTANTIATE

#endif  // DG_HWY_KERNEL_TARGET
}  // namespace diaggauss::hwy_family::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();
