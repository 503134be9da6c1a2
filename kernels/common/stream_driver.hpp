// The sampler's stream driver, written once: it turns "outputs offset .. offset + n - 1 of stream (seed, stream)"
// into calls of an ISA's emitter on whole groups of Philox blocks, and handles everything index-pure sampling
// needs around them (a first block split by the offset, the interleave of G groups, the partial last group, the
// wrap of the 64-bit output index).  Per-ISA files keep what is truly different: the Philox group (how blocks sit
// in registers, how the rounds run) and the conversion of words into outputs.
//
// An emitter E (one per ISA and output kind; kernels/<isa>/sample_<isa>.cpp) derives from EmitterBase below, which
// gives it Out (Kind::Out), kShift (log2 of the outputs per unit), kGroupBlocks (consecutive units per group: the
// ISA's vector width in blocks for words and uniforms, 1 chunk for normals), Key and key(seed) (the round keys,
// built once per call), and a default Cursor, and defines
//   template <int G> static void emit(const Key&, std::uint64_t stream, Cursor& next, std::uint64_t base, Out* out);
//     the G * kGroupBlocks << kShift outputs of the units from `next` on (each unit number taken modulo
//     2^(64 - kShift), then, for blocks, OR-ed with base), in index order, advancing `next` past them.
// The cursor is where the next group starts: by default the unit number (modulo 2^64; emitters wrap it), or a
// vector of the next group's lane block numbers (sse4's words and uniforms), which then is not rebuilt from a
// scalar on every call: rebuilding it cost sse4's uniform_u32 about 5 % (a broadcast, an add and a shift per two
// groups of 16 words, against ~180 operations of Philox rounds).
// Outputs are index-pure: output i depends only on (seed, stream, i), never on n, the offset's alignment or G.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "kernels/common/blocking.hpp"

namespace diaggauss::stream_driver {

// The output kinds of stream version 2 (docs/random-stream.md).  The driver counts units: a unit is a Philox block
// for the raw words and uniforms, and a chunk of blocks for the normals, whose outputs are ordered lane-major
// inside the chunk (kernels/common/normal_recipe.hpp); kShift is log2 of the outputs per unit.
struct Words {  // the raw 32-bit words, four per block
  using Out = std::uint32_t;
  static constexpr unsigned kShift = 2;
};
struct UniformF64 {  // one double per 64-bit word pair
  using Out = double;
  static constexpr unsigned kShift = 1;
};
struct UniformF32 {  // one float per word
  using Out = float;
  static constexpr unsigned kShift = 2;
};
struct NormalF64 {  // a chunk of 8 triples of blocks (24 blocks): 64 normals
  using Out = double;
  static constexpr unsigned kShift = 6;
  static constexpr unsigned kChunkLanes = 8;
};
struct NormalF32 {  // a chunk of 16 blocks: 64 normals
  using Out = float;
  static constexpr unsigned kShift = 6;
  static constexpr unsigned kChunkLanes = 16;
};

// What every emitter declares the same way; Key is constructible from the seed.
template <class Kind, std::size_t GroupBlocks, class KeyType>
struct EmitterBase {
  using Out = typename Kind::Out;
  static constexpr unsigned kShift = Kind::kShift;
  static constexpr std::size_t kGroupBlocks = GroupBlocks;
  using Key = KeyType;
  static Key key(std::uint64_t seed) { return Key(seed); }
  using Cursor = std::uint64_t;
  static Cursor cursor(std::uint64_t block) { return block; }
};

// The unit number of output index i, modulo the unit space of a kind with kShift.
template <unsigned kShift>
constexpr std::uint64_t block_mask() {
  return ~std::uint64_t{0} >> kShift;
}

// The normals' emitter for an ISA that makes one chunk at a time: G chunks from `next` on (chunk numbers modulo
// 2^58, so blocks stay below 2^63), each written whole by MakeChunk(key, stream, chunk, out) — the ISA's chunk
// function for Kind's output type, 64 outputs per call.
template <class Kind, class KeyType, auto MakeChunk>
struct ChunkEmitter : EmitterBase<Kind, 1, KeyType> {
  template <int G>
  static void emit(const KeyType& key, std::uint64_t stream, std::uint64_t& next, std::uint64_t,
                   typename Kind::Out* out) {
    for (int g = 0; g < G; ++g, ++next)
      MakeChunk(key, stream, next & block_mask<Kind::kShift>(), out + (static_cast<std::size_t>(g) << Kind::kShift));
  }
};

// Outputs offset .. offset + n - 1 (modulo 2^64) into out[0, n), G groups per pass.  Whole groups go straight to
// out; a partial first or last group is produced whole into a stack buffer and only its needed part copied, so
// nothing outside out[0, n) is touched.
template <class E, int G>
void generate(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, typename E::Out* out,
              std::uint64_t base) {
  using Out = typename E::Out;
  constexpr unsigned kShift = E::kShift;
  constexpr std::size_t kGroup = E::kGroupBlocks << kShift;  // outputs of one group
  const typename E::Key key = E::key(seed);
  Out tmp[kGroup];  // written with unaligned stores: no alignment asked (it would realign the frame)
  // Every group starts a unit: the one holding output `offset`, then each group right after the previous one.
  typename E::Cursor next = E::cursor(offset >> kShift);
  std::size_t i = 0;
  const std::size_t head = static_cast<std::size_t>(offset & ((std::uint64_t{1} << kShift) - 1));
  if (head != 0) {
    E::template emit<1>(key, stream, next, base, tmp);
    i = std::min(n, kGroup - head);
    std::copy(tmp + head, tmp + head + i, out);
  }
  for (; n - i >= G * kGroup; i += G * kGroup) E::template emit<G>(key, stream, next, base, out + i);
  // The whole groups left (fewer than G) in one pass, their Philox rounds interleaved as in the loop above.  One
  // group at a time, each waited for the multiply latency of its own rounds: `normal` of 128 floats (two chunks)
  // ran 1.20x faster this way on an Intel Xeon (AVX-512), and short calls are what the samplers make per batch.
  static_assert(G >= 1 && G <= 4, "the interleave is 1..4 (Blocking::philox_ilv)");
  if (const std::size_t rest = (n - i) / kGroup) {  // rest < G <= 4
    if (rest == 3) E::template emit<3>(key, stream, next, base, out + i);
    else if (rest == 2) E::template emit<2>(key, stream, next, base, out + i);
    else E::template emit<1>(key, stream, next, base, out + i);
    i += rest * kGroup;
  }
  if (i < n) {
    E::template emit<1>(key, stream, next, base, tmp);
    std::copy(tmp, tmp + (n - i), out + i);
  }
}

// generate() with the interleave (Blocking::philox_ilv, 1..4; 0 means 1) as a compile-time constant.
template <class E>
void generate(std::uint32_t interleave, std::uint64_t seed, std::uint64_t stream, std::uint64_t offset,
              std::size_t n, typename E::Out* out, std::uint64_t base = 0) {
  DG_NOTE_BLOCKING(kPhiloxIlvParam, interleave >= 4 ? 4 : interleave == 0 ? 1 : interleave);
  switch (interleave) {
    case 0:
    case 1: return generate<E, 1>(seed, stream, offset, n, out, base);
    case 2: return generate<E, 2>(seed, stream, offset, n, out, base);
    case 3: return generate<E, 3>(seed, stream, offset, n, out, base);
    default: return generate<E, 4>(seed, stream, offset, n, out, base);
  }
}

}  // namespace diaggauss::stream_driver
