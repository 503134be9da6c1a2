// Highway sampling kernels: the raw Philox words and the uniforms of kernels/common/normal_recipe.hpp, step for
// step (Philox itself: philox-inl.h).  The normals are in normal_hwy-inl.h, which says why each target compiles
// them in a file of its own (normal_hwy_<target>.cpp).
//
// kDefaultIlv independent vectors of blocks are interleaved so their multiply latencies overlap.  Every output
// vector is built from two vectors of the output type (one per half of a block's words) and written with
// StoreInterleaved2, which puts them in contract order.  The first and last group of a call, where the requested
// range starts or ends inside it, are generated into a stack buffer by the same code and copied, so each output
// depends only on (seed, stream, index) -- and no byte outside [out, out + n) is touched.
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
#include "kernels/highway/philox-inl.h"
#include "kernels/highway/vecmath-inl.h"

HWY_BEFORE_NAMESPACE();
namespace diaggauss::hwy_family::HWY_NAMESPACE {
#if DG_HWY_KERNEL_TARGET
namespace hn = hwy::HWY_NAMESPACE;

// The mixture's threshold count: plain C++, vectorised by the compiler for this target (its attributes are in
// force here), as the intrinsics and xsimd families have it.
#include "kernels/common/count_above.inc"

namespace {

// The raw-word and uniform kernels take no Blocking.
constexpr std::size_t kDefaultIlv = 2;

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

}  // namespace

void uniform_u32(std::uint64_t seed, std::uint64_t stream, std::uint64_t block_base, std::uint64_t offset,
                 std::size_t n, std::uint32_t* out) {
  generate<kDefaultIlv>(seed, stream, offset, n, out, EmitWords{}, block_base);
}

template <class T>
void uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, T* out) {
  generate<kDefaultIlv>(seed, stream, offset, n, out, EmitUniform<T>{});
}

// The algorithm of kernels/common/scale_whole_rows.hpp, written again in Highway's ops: that header's template is
// parsed once per translation unit outside any target region, and a template takes the target attributes of
// where it is parsed (normal_hwy-inl.h says more), so it cannot inline Highway's per-target ops.
// Rows of R whole vectors (dim = R * lanes, R <= 4), four rows per iteration, as the avx2 intrinsics kernel: the
// vector count a constant; without labels the parameters in registers and all four rows' loads before their
// stores.  map_elements per row cost 26 % of sample_diag f32 at dim 8 on Zen 3 (AVX2), against 5 % for the
// intrinsics.
template <int R, class T>
HWY_NOINLINE void scale_shift_whole_rows(std::size_t npoints, const std::uint32_t* labels, const T* means,
                                         const T* stddevs, T* inout) {
  const hn::ScalableTag<T> d;
  using V = hn::Vec<decltype(d)>;
  const std::size_t W = hn::Lanes(d), D = R * W;
  std::size_t p = 0;
  if (!labels) {
    V mu[R], sd[R];
    for (int v = 0; v < R; ++v) {
      mu[v] = hn::LoadU(d, means + v * W);
      sd[v] = hn::LoadU(d, stddevs + v * W);
    }
    for (; npoints - p >= 4; p += 4) {
      V x[4][R];
      for (int r = 0; r < 4; ++r)
        for (int v = 0; v < R; ++v) x[r][v] = hn::LoadU(d, inout + (p + r) * D + v * W);
      for (int r = 0; r < 4; ++r)
        for (int v = 0; v < R; ++v) hn::StoreU(hn::MulAdd(sd[v], x[r][v], mu[v]), d, inout + (p + r) * D + v * W);
    }
    for (; p < npoints; ++p)
      for (int v = 0; v < R; ++v)
        hn::StoreU(hn::MulAdd(sd[v], hn::LoadU(d, inout + p * D + v * W), mu[v]), d, inout + p * D + v * W);
    return;
  }
  const auto row = [&](std::size_t q) HWY_ATTR {
    const T* mu = means + std::size_t{labels[q]} * D;
    const T* sd = stddevs + std::size_t{labels[q]} * D;
    for (int v = 0; v < R; ++v)
      hn::StoreU(hn::MulAdd(hn::LoadU(d, sd + v * W), hn::LoadU(d, inout + q * D + v * W), hn::LoadU(d, mu + v * W)),
                 d, inout + q * D + v * W);
  };
  for (; npoints - p >= 4; p += 4) {
    row(p);
    row(p + 1);
    row(p + 2);
    row(p + 3);
  }
  for (; p < npoints; ++p) row(p);
}

// And scale_whole_rows.hpp's rows of half a vector (dim = lanes / 2: f32 dim 8 on AVX3), two rows per vector, the
// halves joined by Combine; the per-row map_elements tail made sample_diag f32 dim 8 2x slower than normal on
// Zen 5 (AVX3).
template <class T>
HWY_NOINLINE void scale_shift_half_rows(std::size_t npoints, const std::uint32_t* labels, const T* means,
                                        const T* stddevs, T* inout) {
  const hn::ScalableTag<T> d;
  const hn::Half<decltype(d)> dh;
  using V = hn::Vec<decltype(d)>;
  const std::size_t W = hn::Lanes(d), D = W / 2;
  const auto halves = [&](const T* lo, const T* hi) HWY_ATTR { return hn::Combine(d, hn::LoadU(dh, hi), hn::LoadU(dh, lo)); };
  std::size_t p = 0;
  if (!labels) {
    const V mu = halves(means, means), sd = halves(stddevs, stddevs);
    for (; npoints - p >= 8; p += 8) {
      V x[4];
      for (int v = 0; v < 4; ++v) x[v] = hn::LoadU(d, inout + p * D + v * W);
      for (int v = 0; v < 4; ++v) hn::StoreU(hn::MulAdd(sd, x[v], mu), d, inout + p * D + v * W);
    }
    for (; npoints - p >= 2; p += 2) hn::StoreU(hn::MulAdd(sd, hn::LoadU(d, inout + p * D), mu), d, inout + p * D);
  } else {
    for (; npoints - p >= 2; p += 2) {
      const std::size_t k0 = labels[p], k1 = labels[p + 1];
      const V mu = halves(means + k0 * D, means + k1 * D), sd = halves(stddevs + k0 * D, stddevs + k1 * D);
      hn::StoreU(hn::MulAdd(sd, hn::LoadU(d, inout + p * D), mu), d, inout + p * D);
    }
  }
  if (p < npoints) {  // an odd last row through a vector on the stack, its upper half zero
    const std::size_t k = labels ? labels[p] : 0;
    HWY_ALIGN T row[hn::MaxLanes(d)] = {};
    for (std::size_t j = 0; j < D; ++j) row[j] = inout[p * D + j];
    const V mu = halves(means + k * D, means + k * D), sd = halves(stddevs + k * D, stddevs + k * D);
    hn::Store(hn::MulAdd(sd, hn::Load(d, row), mu), d, row);
    for (std::size_t j = 0; j < D; ++j) inout[p * D + j] = row[j];
  }
}

template <class T>
void scale_shift_rows(std::size_t npoints, std::size_t dim, const std::uint32_t* labels, const T* means,
                      const T* stddevs, T* inout) {
  const std::size_t W = hn::Lanes(hn::ScalableTag<T>());
  if (W >= 2 && dim == W / 2) return scale_shift_half_rows(npoints, labels, means, stddevs, inout);
  switch (dim % W == 0 ? dim / W : 0) {
    case 1: return scale_shift_whole_rows<1>(npoints, labels, means, stddevs, inout);
    case 2: return scale_shift_whole_rows<2>(npoints, labels, means, stddevs, inout);
    case 3: return scale_shift_whole_rows<3>(npoints, labels, means, stddevs, inout);
    case 4: return scale_shift_whole_rows<4>(npoints, labels, means, stddevs, inout);
    default: break;
  }
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
  template void scale_shift_rows<T>(std::size_t, std::size_t, const std::uint32_t*, const T*, const T*, T*);
DG_HWY_INSTANTIATE(float)
DG_HWY_INSTANTIATE(double)
#undef DG_HWY_INSTANTIATE

#endif  // DG_HWY_KERNEL_TARGET
}  // namespace diaggauss::hwy_family::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();
