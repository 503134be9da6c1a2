// Philox4x32-10 on vectors: one block per 32-bit lane, the four counter words in four vectors (normal_recipe.hpp
// states the round; kernels/scalar/philox_scalar.hpp is its scalar form).
// Included inside a per-ISA namespace by xsimd_kernels.hpp.
#pragma once

template <class A>
using U32 = Vec<std::uint32_t, A>;
template <class A>
using U64 = Vec<std::uint64_t, A>;

// Lane -> block offset within a group of W = U32::size consecutive blocks.
// A group's words leave through two levels of zip_lo/zip_hi (pairing words per block, then putting results in
// index order).  xsimd 8.1's zips interleave within each 128-bit lane (unpacklo/unpackhi), so after both levels
// output vector k, 128-bit lane g, holds the block of input lane 4g + k.  Giving that lane block k*W/4 + g makes
// the four output vectors, stored one after another, come out in index order without cross-lane shuffles.
// (Results never depend on this choice: each lane's block is set from its own counter.)
template <std::size_t W>
struct LaneBlocks {
  std::uint32_t v[W];
  constexpr LaneBlocks() : v() {
    for (std::size_t g = 0; g < W / 4; ++g)
      for (std::size_t k = 0; k < 4; ++k) v[4 * g + k] = static_cast<std::uint32_t>(k * (W / 4) + g);
  }
};
template <class A>
inline constexpr LaneBlocks<U32<A>::size> kLaneBlocks{};

// (hi, lo) halves of the 64-bit products a[i] * m.  xsimd 8.1 has no widening 32x32 multiply (and its 64-bit
// lane multiply is scalar on x86 below AVX-512DQ), so x86 and NEON use their native widening multiplies.
template <class A>
inline void mulhilo(const U32<A>& a, std::uint32_t m, U32<A>& hi, U32<A>& lo) {
  // x86: mul_epu32 multiplies the even 32-bit lanes into 64-bit products; the odd lanes go through a shift.
#if XSIMD_WITH_AVX512F
  if constexpr (std::is_base_of_v<xsimd::avx512f, A>) {
    const __m512i mv = _mm512_set1_epi32(static_cast<int>(m));
    const __m512i even = _mm512_mul_epu32(a, mv);
    const __m512i odd = _mm512_mul_epu32(_mm512_srli_epi64(a, 32), mv);
    hi = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(even, 32), odd);
    lo = _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
  } else
#endif
#if XSIMD_WITH_AVX2
  if constexpr (std::is_base_of_v<xsimd::avx2, A>) {
    const __m256i mv = _mm256_set1_epi32(static_cast<int>(m));
    const __m256i even = _mm256_mul_epu32(a, mv);
    const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), mv);
    hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
    lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  } else
#endif
#if XSIMD_WITH_SSE4_1
  if constexpr (std::is_base_of_v<xsimd::sse4_1, A>) {
    const __m128i mv = _mm_set1_epi32(static_cast<int>(m));
    const __m128i even = _mm_mul_epu32(a, mv);
    const __m128i odd = _mm_mul_epu32(_mm_srli_epi64(a, 32), mv);
    hi = _mm_blend_epi16(_mm_srli_epi64(even, 32), odd, 0xCC);
    lo = _mm_blend_epi16(even, _mm_slli_epi64(odd, 32), 0xCC);
  } else
#endif
#if XSIMD_WITH_NEON64
  if constexpr (std::is_base_of_v<xsimd::neon64, A>) {
    const uint32x4_t v = a;
    const uint64x2_t p_lo = vmull_u32(vget_low_u32(v), vdup_n_u32(m));
    const uint64x2_t p_hi = vmull_high_u32(v, vdupq_n_u32(m));
    hi = vuzp2q_u32(vreinterpretq_u32_u64(p_lo), vreinterpretq_u32_u64(p_hi));
    lo = vuzp1q_u32(vreinterpretq_u32_u64(p_lo), vreinterpretq_u32_u64(p_hi));
  } else
#endif
  {
    // Portable fallback: zero-extended 64-bit lanes and xsimd's 64-bit multiply, whatever it compiles to.
    const U64<A> av = as<std::uint64_t>(a);
    const U64<A> low32(0xFFFFFFFFull);
    const U64<A> even = (av & low32) * U64<A>(m);
    const U64<A> odd = (av >> 32) * U64<A>(m);
    hi = as<std::uint32_t>((even >> 32) | (odd & ~low32));
    lo = as<std::uint32_t>((even & low32) | (odd << 32));
  }
}

// The ten round keys, broadcast once per kernel call.
template <class A>
struct PhiloxKeys {
  U32<A> k0[recipe::kPhiloxRounds], k1[recipe::kPhiloxRounds];
  explicit PhiloxKeys(std::uint64_t seed) {
    std::uint32_t a = static_cast<std::uint32_t>(seed), b = static_cast<std::uint32_t>(seed >> 32);
    for (int r = 0; r < recipe::kPhiloxRounds; ++r, a += recipe::kPhiloxW0, b += recipe::kPhiloxW1) {
      k0[r] = U32<A>(a);
      k1[r] = U32<A>(b);
    }
  }
};

// Counters of the group of blocks first_block + kLaneBlocks[lane] when nothing carries between the words: the low
// words are one broadcast plus the lane offsets, the high word one broadcast.
template <class A>
inline void philox_counters(std::uint64_t first_block, std::uint64_t stream, U32<A> (&c)[4]) {
  c[0] = U32<A>(static_cast<std::uint32_t>(first_block)) + U32<A>::load_unaligned(kLaneBlocks<A>.v);
  c[1] = U32<A>(static_cast<std::uint32_t>(first_block >> 32));
  c[2] = U32<A>(static_cast<std::uint32_t>(stream));
  c[3] = U32<A>(static_cast<std::uint32_t>(stream >> 32));
}

// The same lane by lane, each block number taken modulo block_mask + 1 (the block space of the output kind: block
// numbers wrap with the 64-bit output index) and then OR-ed with base.  For the rare groups where a low word
// carries into the high one, the block space wraps, or the base has low bits.
template <class A>
inline void philox_counters_by_lane(std::uint64_t first_block, std::uint64_t block_mask, std::uint64_t base,
                                    std::uint64_t stream, U32<A> (&c)[4]) {
  constexpr std::size_t W = U32<A>::size;
  alignas(64) std::uint32_t c0[W], c1[W];
  for (std::size_t l = 0; l < W; ++l) {
    const std::uint64_t block = ((first_block + kLaneBlocks<A>.v[l]) & block_mask) | base;
    c0[l] = static_cast<std::uint32_t>(block);
    c1[l] = static_cast<std::uint32_t>(block >> 32);
  }
  c[0] = U32<A>::load_aligned(c0);
  c[1] = U32<A>::load_aligned(c1);
  c[2] = U32<A>(static_cast<std::uint32_t>(stream));
  c[3] = U32<A>(static_cast<std::uint32_t>(stream >> 32));
}

// The ten rounds on G independent groups in place: w[g][i] holds counter word i on entry and word i of each lane's
// block on exit.  Rounds are interleaved across the groups so that the multiplies of one group hide the latency of
// another.
template <class A, int G>
inline void philox_rounds(const PhiloxKeys<A>& key, U32<A> (&w)[G][4]) {
  // Fully unrolled: a rolled loop keeps w in memory (GCC does not scalarize the array), costing a reload and a
  // store per word per round.
#pragma GCC unroll 10
  for (int r = 0; r < recipe::kPhiloxRounds; ++r) {
#pragma GCC unroll 4
    for (int g = 0; g < G; ++g) {
      U32<A> hi0, lo0, hi1, lo1;
      mulhilo(w[g][0], recipe::kPhiloxM0, hi0, lo0);
      mulhilo(w[g][2], recipe::kPhiloxM1, hi1, lo1);
      w[g][0] = hi1 ^ w[g][1] ^ key.k0[r];
      w[g][2] = hi0 ^ w[g][3] ^ key.k1[r];
      w[g][1] = lo1;
      w[g][3] = lo0;
    }
  }
}

// G independent groups of W blocks each (group g starts at first_block + g*W), rounds interleaved across the
// groups.  w[g][i] is word i of each block.
template <class A, int G>
inline void philox_groups(const PhiloxKeys<A>& key, std::uint64_t stream, std::uint64_t first_block,
                          std::uint64_t block_mask, std::uint64_t base, U32<A> (&w)[G][4]) {
  constexpr std::uint64_t kBlocks = std::uint64_t(G) * U32<A>::size;  // blocks of the G groups
  // One test for all G groups: their G * W block numbers need no carry, no wrap and no low bits of base.
  if (static_cast<std::uint32_t>(first_block) <= 0xFFFFFFFFu - (kBlocks - 1) &&
      block_mask - first_block >= kBlocks - 1 && static_cast<std::uint32_t>(base) == 0) {
    for (int g = 0; g < G; ++g)
      philox_counters<A>((first_block | base) + std::uint64_t(g) * U32<A>::size, stream, w[g]);
  } else {
    for (int g = 0; g < G; ++g)
      philox_counters_by_lane<A>((first_block + std::uint64_t(g) * U32<A>::size) & block_mask, block_mask, base,
                                 stream, w[g]);
  }
  philox_rounds<A, G>(key, w);
}

// G groups of blocks of the normals' chunks (kernels/common/normal_recipe.hpp): chunk c owns blocks kBlocks * c ..
// kBlocks * c + kBlocks - 1, and lane l of group g gets block kBlocks * c0 + off[g][l] where c0 = first_chunk
// modulo 2^58 (off[g][l] / kBlocks chunks further on, each chunk number taken modulo 2^58 as well: the chunks of
// the 2^64 normal indices).  The offsets lie below kBlocks * kChunks.
template <class A, int G, std::uint32_t kBlocks, std::uint32_t kChunks>
inline void philox_chunk_groups(const PhiloxKeys<A>& key, std::uint64_t stream, std::uint64_t first_chunk,
                                const std::uint32_t (&off)[G][U32<A>::size], U32<A> (&w)[G][4]) {
  constexpr std::size_t W = U32<A>::size;
  constexpr std::uint64_t kChunkMask = ~std::uint64_t{0} >> 6;
  const std::uint64_t c0 = first_chunk & kChunkMask;
  const std::uint64_t b0 = c0 * kBlocks;  // below 2^64: kBlocks <= 24 < 64
  const U32<A> c2(static_cast<std::uint32_t>(stream)), c3(static_cast<std::uint32_t>(stream >> 32));
  if (kChunkMask - c0 >= kChunks - 1 && static_cast<std::uint32_t>(b0) <= 0xFFFFFFFFu - (kBlocks * kChunks - 1)) {
    // No chunk wraps and no low word carries: one broadcast plus the offsets, the high word one broadcast.
    const U32<A> lo(static_cast<std::uint32_t>(b0)), hi(static_cast<std::uint32_t>(b0 >> 32));
    for (int g = 0; g < G; ++g) {
      w[g][0] = lo + U32<A>::load_unaligned(off[g]);
      w[g][1] = hi;
    }
  } else {
    for (int g = 0; g < G; ++g) {
      alignas(64) std::uint32_t lo[W], hi[W];
      for (std::size_t l = 0; l < W; ++l) {
        const std::uint64_t block = ((c0 + off[g][l] / kBlocks) & kChunkMask) * kBlocks + off[g][l] % kBlocks;
        lo[l] = static_cast<std::uint32_t>(block);
        hi[l] = static_cast<std::uint32_t>(block >> 32);
      }
      w[g][0] = U32<A>::load_aligned(lo);
      w[g][1] = U32<A>::load_aligned(hi);
    }
  }
  for (int g = 0; g < G; ++g) {
    w[g][2] = c2;
    w[g][3] = c3;
  }
  philox_rounds<A, G>(key, w);
}
