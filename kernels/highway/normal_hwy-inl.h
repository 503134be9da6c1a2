// Highway normals, stream version 2 (kernels/common/normal_recipe.hpp): Philox (philox-inl.h), then the transform
// written once for every vector implementation (kernels/common/normal_v2_body.hpp) over the lane operations of
// Ops below, so the outputs are bit-identical to the scalar oracle on every target with FMA (on SSE4, Highway's
// MulAdd is a separate multiply and add, as in every sse4 kernel: within the bound of
// tests/test_sse4_normal_bound.cpp).
//
// One target per translation unit.  normal_v2_body.hpp is a plain header (#pragma once, templates outside any
// per-target namespace): GCC gives a template the target attributes in force where it is DEFINED, so the body
// must be parsed inside the target's HWY_BEFORE_NAMESPACE region -- and it can be parsed only once per
// translation unit.  Highway's ops are always_inline with the target's attributes, so a body parsed outside that
// region cannot inline them ("target specific option mismatch"), and one parsed in another target's region would
// compile this target's instantiations with that target's instructions.  Hence normal_hwy_<target>.cpp: each sets
// DG_HWY_NORMAL_TARGET and includes this file through foreach_target.h; only the pass of that target defines
// anything (the other passes are empty), so each target's normals live in their own object, and the instantiations
// of the body (named after the per-target Ops) cannot be merged with another target's.
//
// Included once per foreach_target pass (no include guard).
#ifndef DG_HWY_NORMAL_TARGET
#error "define DG_HWY_NORMAL_TARGET (normal_hwy_<target>.cpp) before including normal_hwy-inl.h"
#endif

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "kernels/highway/hwy_config.h"  // before Highway's headers
#include "hwy/highway.h"
#include "kernels/common/blocking.hpp"
#include "kernels/common/normal_recipe.hpp"
#include "kernels/highway/kernels_hwy-inl.h"
#include "kernels/highway/philox-inl.h"

#if DG_HWY_KERNEL_TARGET && HWY_TARGET == DG_HWY_NORMAL_TARGET
// The body's templates take this target's attributes (see above); everything it includes besides is included
// above, outside the region, so no other inline function is compiled with them.
HWY_BEFORE_NAMESPACE();
#include "kernels/common/normal_v2_body.hpp"
HWY_AFTER_NAMESPACE();

HWY_BEFORE_NAMESPACE();
namespace diaggauss::hwy_family::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

namespace {

// The lane operations of kernels/common/normal_v2_body.hpp: full vectors of T (as wide as philox-inl.h's vectors
// of blocks) and of unsigned integers of T's width.
template <class T>
struct Ops {
  using D = hn::Repartition<T, DU64>;
  using DU = hn::RebindToUnsigned<D>;
  using DI = hn::RebindToSigned<D>;
  using F = hn::VFromD<D>;
  using U = hn::VFromD<DU>;
  static HWY_INLINE F set(T x) { return hn::Set(D(), x); }
  static HWY_INLINE U set_u(hn::TFromD<DU> x) { return hn::Set(DU(), x); }
  static HWY_INLINE F add(F a, F b) { return hn::Add(a, b); }
  static HWY_INLINE F sub(F a, F b) { return hn::Sub(a, b); }
  static HWY_INLINE F mul(F a, F b) { return hn::Mul(a, b); }
  static HWY_INLINE F div(F a, F b) { return hn::Div(a, b); }
  static HWY_INLINE F sqrt(F a) { return hn::Sqrt(a); }
  // Fused on AVX2, AVX3 and NEON; on SSE4 (no FMA instruction) Highway 1.0.3's MulAdd is mul * x + add, two
  // roundings -- the v1 policy of every sse4 kernel, kept.
  static HWY_INLINE F fma(F a, F b, F c) { return hn::MulAdd(a, b, c); }
  static HWY_INLINE F as_f(U a) { return hn::BitCast(D(), a); }
  static HWY_INLINE U as_u(F a) { return hn::BitCast(DU(), a); }
  static HWY_INLINE U add_u(U a, U b) { return hn::Add(a, b); }
  static HWY_INLINE U and_u(U a, U b) { return hn::And(a, b); }
  static HWY_INLINE U or_u(U a, U b) { return hn::Or(a, b); }
  static HWY_INLINE U xor_u(U a, U b) { return hn::Xor(a, b); }
  template <int n>
  static HWY_INLINE U shr(U a) {
    return hn::ShiftRight<n>(a);
  }
  template <int n>
  static HWY_INLINE U shl(U a) {
    return hn::ShiftLeft<n>(a);
  }
  // IfNegativeThenElse reads only the top bit (x86: blendv or the AVX-512 mask move; NEON: the broadcast sign).
  static HWY_INLINE F select(F no, F yes, U m) {
    const DI di;
    return hn::BitCast(D(), hn::IfNegativeThenElse(hn::BitCast(di, m), hn::BitCast(di, yes), hn::BitCast(di, no)));
  }
  static HWY_INLINE F negate_if(F v, U m) { return hn::Xor(v, hn::And(as_f(m), set(T(-0.0)))); }
};

// Lanes of a vector of uint64 (= of double); twice as many of float.  Fixed on every target compiled here.
constexpr std::size_t kLanes64 = HWY_LANES(std::uint64_t);
constexpr std::size_t kLanes32 = 2 * kLanes64;
// Vectors per chunk (8 triples for double, 16 blocks for float), and how many go through the transform in lockstep.
constexpr std::size_t kVecs64 = 8 / kLanes64, kVecs32 = 16 / kLanes32;
constexpr std::size_t kStep64 = kVecs64 >= 2 ? 2 : 1, kStep32 = kVecs32 >= 2 ? 2 : 1;
static_assert(kVecs64 * kLanes64 == 8 && kVecs32 * kLanes32 == 16 && kVecs64 % kStep64 == 0 &&
                  kVecs32 % kStep32 == 0,
              "a chunk must be whole vectors");

// Double normals, one chunk (its number already reduced modulo 2^58): vector n holds triples
// t = 8 * chunk + n * kLanes64 + lane; Philox runs the blocks 3t, 3t+1, 3t+2 of one vector of triples in lockstep,
// and output k of vector n is normal 8k + n * kLanes64 + lane: one contiguous store per (k, n), no transpose.
HWY_NOINLINE void normal_chunk(const RoundKeys& keys, std::uint64_t stream, std::uint64_t chunk, double* out) {
  using O = Ops<double>;
  const DU64 du;
  const typename O::D d;
  const auto iota = hn::Iota(du, 0);
  const auto iota3 = hn::Add(hn::Add(iota, iota), iota);
  for (std::size_t n0 = 0; n0 < kVecs64; n0 += kStep64) {
    typename O::U w[kStep64][6];
    for (std::size_t n = 0; n < kStep64; ++n) {
      // 3t for the lanes' triples: 3 * (8 * chunk + (n0 + n) * kLanes64) + 3 * lane (below 3 * 2^61: no wrap).
      const auto b0 = hn::Add(hn::Set(du, 3 * (8 * chunk + (n0 + n) * kLanes64)), iota3);
      Counters x[3] = {counters_of(b0, stream), counters_of(hn::Add(b0, hn::Set(du, 1)), stream),
                       counters_of(hn::Add(b0, hn::Set(du, 2)), stream)};
      philox_rounds(keys, x);
      for (int j = 0; j < 3; ++j) {
        w[n][2 * j] = join_words(x[j].w0, x[j].w1);
        w[n][2 * j + 1] = join_words(x[j].w2, x[j].w3);
      }
    }
    typename O::F z[kStep64][8];
    normal_v2::triples_f64<O, static_cast<int>(kStep64)>(w, z);
    for (std::size_t n = 0; n < kStep64; ++n)
      for (int k = 0; k < 8; ++k) hn::StoreU(z[n][k], d, out + 8 * k + (n0 + n) * kLanes64);
  }
}

// Float normals, one chunk of 16 blocks: vector n holds blocks 16 * chunk + n * kLanes32 + lane.  Philox runs them
// as two vectors of 64-bit lanes, the even blocks and the odd ones, so that join_words of the two puts word j of
// the vector's blocks in lane order; output k of vector n is normal 16k + n * kLanes32 + lane.
HWY_NOINLINE void normal_chunk(const RoundKeys& keys, std::uint64_t stream, std::uint64_t chunk, float* out) {
  using O = Ops<float>;
  const DU64 du;
  const DU32 d32;
  const typename O::D d;
  const auto iota = hn::Iota(du, 0);
  const auto iota2 = hn::Add(iota, iota);
  for (std::size_t n0 = 0; n0 < kVecs32; n0 += kStep32) {
    typename O::U w[kStep32][4];
    for (std::size_t n = 0; n < kStep32; ++n) {
      const auto even = hn::Add(hn::Set(du, 16 * chunk + (n0 + n) * kLanes32), iota2);
      Counters x[2] = {counters_of(even, stream), counters_of(hn::Add(even, hn::Set(du, 1)), stream)};
      philox_rounds(keys, x);
      w[n][0] = hn::BitCast(d32, join_words(x[0].w0, x[1].w0));
      w[n][1] = hn::BitCast(d32, join_words(x[0].w1, x[1].w1));
      w[n][2] = hn::BitCast(d32, join_words(x[0].w2, x[1].w2));
      w[n][3] = hn::BitCast(d32, join_words(x[0].w3, x[1].w3));
    }
    typename O::F z[kStep32][4];
    normal_v2::blocks_f32<O, static_cast<int>(kStep32)>(w, z);
    for (std::size_t n = 0; n < kStep32; ++n)
      for (int k = 0; k < 4; ++k) hn::StoreU(z[n][k], d, out + 16 * k + (n0 + n) * kLanes32);
  }
}

// out[i] = normal offset + i of the stream (indices modulo 2^64), G chunks of 64 per pass (kernels/common/
// stream_driver.hpp's generate(), which Highway cannot call: its code must stay in the per-target namespace).  A
// partial first or last chunk is produced whole into a stack buffer and only its needed part copied, so outputs are
// index-pure and nothing outside out[0, n) is touched.
template <std::size_t G, class T>
void generate_normals(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, T* out) {
  constexpr std::size_t kChunk = 64;
  constexpr std::uint64_t kChunkMask = ~std::uint64_t{0} >> 6;  // chunk numbers modulo 2^58
  const RoundKeys keys(seed);
  T tmp[kChunk];
  std::uint64_t chunk = offset >> 6;
  std::size_t i = 0;
  const std::size_t head = static_cast<std::size_t>(offset & (kChunk - 1));
  if (head != 0) {
    normal_chunk(keys, stream, chunk++ & kChunkMask, tmp);
    i = std::min(n, kChunk - head);
    std::copy(tmp + head, tmp + head + i, out);
  }
  for (; n - i >= G * kChunk; i += G * kChunk)
    for (std::size_t g = 0; g < G; ++g) normal_chunk(keys, stream, chunk++ & kChunkMask, out + i + g * kChunk);
  for (; n - i >= kChunk; i += kChunk) normal_chunk(keys, stream, chunk++ & kChunkMask, out + i);
  if (i < n) {
    normal_chunk(keys, stream, chunk & kChunkMask, tmp);
    std::copy(tmp, tmp + (n - i), out + i);
  }
}

}  // namespace

// philox_ilv (1..4; 0 means 1) is the chunks per pass, as in the other implementations' drivers.
template <class T>
void normal(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, T* out,
            const Blocking& blk) {
  const std::uint32_t ilv = blk.philox_ilv;
  DG_NOTE_BLOCKING(kPhiloxIlvParam, ilv >= 4 ? 4 : ilv == 0 ? 1 : ilv);
  switch (ilv) {
    case 0:
    case 1: return generate_normals<1>(seed, stream, offset, n, out);
    case 2: return generate_normals<2>(seed, stream, offset, n, out);
    case 3: return generate_normals<3>(seed, stream, offset, n, out);
    default: return generate_normals<4>(seed, stream, offset, n, out);
  }
}

template void normal<float>(std::uint64_t, std::uint64_t, std::uint64_t, std::size_t, float*, const Blocking&);
template void normal<double>(std::uint64_t, std::uint64_t, std::uint64_t, std::size_t, double*, const Blocking&);

}  // namespace diaggauss::hwy_family::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // DG_HWY_KERNEL_TARGET && HWY_TARGET == DG_HWY_NORMAL_TARGET
