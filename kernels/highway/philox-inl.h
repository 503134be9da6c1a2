// Philox4x32-10 (kernels/common/normal_recipe.hpp) on Highway vectors, per target (see kernels_hwy-inl.h for the
// guard): shared by the raw words and uniforms (sample_hwy.cpp) and the normals (normal_hwy-inl.h).
//
// One block per 64-bit lane: a word lives in the low half of its lane, and MulEven (32x32 -> 64, the even 32-bit
// lanes) gives the round's full products without any shuffles.  Several independent vectors of blocks run their
// rounds interleaved so their multiply latencies overlap; each block is still computed on its own, so the
// interleave never changes a result.
#if defined(DIAGGAUSS_KERNELS_HIGHWAY_PHILOX_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef DIAGGAUSS_KERNELS_HIGHWAY_PHILOX_INL_H_
#undef DIAGGAUSS_KERNELS_HIGHWAY_PHILOX_INL_H_
#else
#define DIAGGAUSS_KERNELS_HIGHWAY_PHILOX_INL_H_
#endif

#include <cstddef>
#include <cstdint>

#include "kernels/highway/hwy_config.h"  // before Highway's headers
#include "hwy/highway.h"
#include "kernels/common/normal_recipe.hpp"

HWY_BEFORE_NAMESPACE();
namespace diaggauss::hwy_family::HWY_NAMESPACE {
#if DG_HWY_KERNEL_TARGET
namespace hn = hwy::HWY_NAMESPACE;

using DU64 = hn::ScalableTag<std::uint64_t>;
using DU32 = hn::Repartition<std::uint32_t, DU64>;
using VU64 = hn::VFromD<DU64>;

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

// The counter of blocks `block` (one block number per lane) of `stream`.
HWY_INLINE Counters counters_of(VU64 block, std::uint64_t stream) {
  const DU64 du;
  return Counters{block, hn::ShiftRight<32>(block), hn::Set(du, stream & 0xFFFFFFFFu), hn::Set(du, stream >> 32)};
}

// The ten rounds, in place, on ILV vectors of blocks in lockstep.
template <std::size_t ILV>
HWY_INLINE void philox_rounds(const RoundKeys& keys, Counters (&x)[ILV]) {
  const DU64 du;
  const DU32 d32;
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

// Philox4x32-10 of blocks first + g*N + lane (mod 2^64, then masked by block_mask, then OR-ed with base) for
// g < ILV.
template <std::size_t ILV>
HWY_INLINE void philox_group(const RoundKeys& keys, std::uint64_t stream, std::uint64_t first,
                             std::uint64_t block_mask, std::uint64_t base, Counters (&x)[ILV]) {
  const DU64 du;
  const std::size_t N = hn::Lanes(du);
  const auto lane = hn::Iota(du, 0);
  for (std::size_t g = 0; g < ILV; ++g) {
    // base (0, or the selection words' half of the block space) is OR-ed in after the wrap.
    const auto block =
        hn::Or(hn::And(hn::Add(hn::Set(du, first + g * N), lane), hn::Set(du, block_mask)), hn::Set(du, base));
    x[g] = counters_of(block, stream);
  }
  philox_rounds(keys, x);
}

// lo | hi << 32 in each 64-bit lane: two words of a block side by side, in memory order (as 32-bit lanes: lo's
// word in the even lane, hi's in the odd one).
HWY_INLINE VU64 join_words(VU64 lo, VU64 hi) {
  const DU64 du;
  const DU32 d32;
  return hn::BitCast(du, hn::OddEven(hn::BitCast(d32, hn::ShiftLeft<32>(hi)), hn::BitCast(d32, lo)));
}

#endif  // DG_HWY_KERNEL_TARGET
}  // namespace diaggauss::hwy_family::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
