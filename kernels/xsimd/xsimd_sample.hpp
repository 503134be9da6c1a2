// Sampling kernels: Philox words -> raw words, uniforms, normals (normal_recipe.hpp step for step; the normals
// through the shared transform, kernels/common/normal_v2_body.hpp, over xsimd batches), and the in-place
// scale-and-shift.  Included inside a per-ISA namespace by xsimd_kernels.hpp.
#pragma once

// Words of one group in index order (block-major): see kLaneBlocks for why plain in-lane zips suffice.
template <class A>
inline void words_in_order(const U32<A> (&w)[4], U32<A> (&o)[4]) {
  const U32<A> e_lo = xsimd::zip_lo(w[0], w[2]), e_hi = xsimd::zip_hi(w[0], w[2]);
  const U32<A> o_lo = xsimd::zip_lo(w[1], w[3]), o_hi = xsimd::zip_hi(w[1], w[3]);
  o[0] = xsimd::zip_lo(e_lo, o_lo);
  o[1] = xsimd::zip_hi(e_lo, o_lo);
  o[2] = xsimd::zip_lo(e_hi, o_hi);
  o[3] = xsimd::zip_hi(e_hi, o_hi);
}

// Output stages: each turns one group's words into 4 vectors (kPerBlock values per block) stored at out.
template <class A>
struct WordsOut {
  using T = std::uint32_t;
  static constexpr std::size_t kPerBlock = 4;
  static void emit(const U32<A> (&w)[4], T* out) {
    U32<A> o[4];
    words_in_order(w, o);
    for (int k = 0; k < 4; ++k) o[k].store_unaligned(out + k * U32<A>::size);
  }
};

template <class T_, class A>
struct UniformOut {
  using T = T_;
  using F = Fp<T>;
  static constexpr std::size_t kPerBlock = sizeof(T) == 8 ? 2 : 4;
  static void emit(const U32<A> (&w)[4], T* out) {
    using V = Vec<T, A>;
    using U = BitsVec<T, A>;
    constexpr int kShift = 8 * sizeof(T) - F::kMantBits;
    U32<A> o[4];
    words_in_order(w, o);  // as 64-bit lanes: word 2k | word 2k+1 << 32, the recipe's a
    for (int k = 0; k < 4; ++k) {
      const V u = (as<T>(U(F::kOneBits) | (as<typename F::Bits>(o[k]) >> kShift)) - V(1)) + V(F::kUniformHalfUlp);
      u.store_unaligned(out + k * V::size);
    }
  }
};

// The output stage of each stream_driver:: output kind.
template <class A, class Kind>
struct OutputStage;
template <class A>
struct OutputStage<A, stream_driver::Words> {
  using type = WordsOut<A>;
};
template <class A>
struct OutputStage<A, stream_driver::UniformF64> {
  using type = UniformOut<double, A>;
};
template <class A>
struct OutputStage<A, stream_driver::UniformF32> {
  using type = UniformOut<float, A>;
};

// The stream driver's emitter (kernels/common/stream_driver.hpp): G groups of W = U32<A>::size blocks, rounds
// interleaved across the groups; each pass's words go straight from the rounds into the output stage.
template <class A, class Kind>
struct Emitter : stream_driver::EmitterBase<Kind, U32<A>::size, PhiloxKeys<A>> {
  using Stage = typename OutputStage<A, Kind>::type;
  static_assert(Stage::kPerBlock == (std::size_t{1} << Kind::kShift));

  template <int G>
  static void emit(const PhiloxKeys<A>& key, std::uint64_t stream, std::uint64_t& next,
                   std::uint64_t base, typename Kind::Out* out) {
    const std::uint64_t block = next & stream_driver::block_mask<Kind::kShift>();  // philox_groups wants it wrapped
    next += G * U32<A>::size;
    U32<A> w[G][4];
    philox_groups<A, G>(key, stream, block, stream_driver::block_mask<Kind::kShift>(), base, w);
    for (int g = 0; g < G; ++g) Stage::emit(w[g], out + g * (U32<A>::size << Kind::kShift));
  }
};

// ---- Normals, stream v2 (kernels/common/normal_recipe.hpp): the transform is kernels/common/normal_v2_body.hpp's,
// over these lane operations on xsimd batches.  fma is fmadd (xsimd_math.hpp: fused on every arch but sse4_2, where
// it is a separate multiply and add, the sse4 bound), div and sqrt are quotient and square_root (correctly rounded
// on every arch, neon64 floats included).
template <class T, class A>
struct NormalOps {
  using F = Vec<T, A>;
  using U = BitsVec<T, A>;
  using Bits = typename Fp<T>::Bits;
  using Signed = std::make_signed_t<Bits>;
  static F set(T x) { return F(x); }
  static U set_u(Bits x) { return U(x); }
  static F add(const F& a, const F& b) { return a + b; }
  static F sub(const F& a, const F& b) { return a - b; }
  static F mul(const F& a, const F& b) { return a * b; }
  static F div(const F& a, const F& b) { return quotient(a, b); }
  static F sqrt(const F& a) { return square_root(a); }
  static F fma(const F& a, const F& b, const F& c) { return fmadd(a, b, c); }
  static F as_f(const U& a) { return as<T>(a); }
  static U as_u(const F& a) { return as<Bits>(a); }
  static U add_u(const U& a, const U& b) { return a + b; }
  static U and_u(const U& a, const U& b) { return a & b; }
  static U or_u(const U& a, const U& b) { return a | b; }
  static U xor_u(const U& a, const U& b) { return a ^ b; }
  template <int n>
  static U shr(const U& a) { return a >> n; }
  template <int n>
  static U shl(const U& a) { return a << n; }
  // yes where m's top bit is set: a signed compare with 0, then the mask of T's lanes.
  static F select(const F& no, const F& yes, const U& m) {
    return xsimd::select(xsimd::bool_cast(as<Signed>(m) < Vec<Signed, A>(0)), yes, no);
  }
  static F negate_if(const F& v, const U& m) { return v ^ as<T>(m & U(Fp<T>::kSignBit)); }
};

// Chunks per pass of the Philox rounds: one, or two where a chunk's blocks fill fewer than two groups (avx512's 16
// lanes: a double chunk's 24 blocks are 1.5 groups, a float chunk's 16 blocks one group).
template <class A>
inline constexpr int kNormalChunksPerPass = U32<A>::size >= 16 ? 2 : 1;
// Vectors transformed in lockstep by one call of the shared body (as the avx2 kernels: 8 double or 4 float pairs on
// 256 bits).
inline constexpr int kNormalLockstep = 2;

// Lane blocks of the double chunks of one pass (kChunks chunks, 24 blocks each: triple t of a chunk is its blocks
// 3t, 3t+1, 3t+2 = A, B, C).  Block-vector v (D = W/2 lanes: one block per triple of triple-vector v / 3, block
// v % 3 of it, chunk by chunk) is the zip_lo (even v) or zip_hi (odd v) of group v / 2's words; xsimd 8.1's zips
// interleave within 128-bit lanes, so 32-bit lane i = 4g + 2h + k of a group lands in 64-bit lane 2g + k of its
// zip_lo (h = 0) or zip_hi (h = 1).  Lanes past the pass's block-vectors (avx512 with one chunk) get block offset
// 0: computed, never used.
template <std::size_t W, int kChunks>
struct TripleLaneBlocks {
  static constexpr std::size_t D = W / 2;
  static constexpr std::size_t kTripleVecs = 8 / D;           // per chunk
  static constexpr std::size_t kBlockVecs = 3 * kTripleVecs;  // per chunk
  static constexpr int kGroups = static_cast<int>((kChunks * kBlockVecs + 1) / 2);
  std::uint32_t v[kGroups][W];
  constexpr TripleLaneBlocks() : v() {
    for (int g = 0; g < kGroups; ++g)
      for (std::size_t i = 0; i < W; ++i) {
        const std::size_t bv = 2 * g + ((i >> 1) & 1), lane = 2 * (i >> 2) + (i & 1);
        if (bv >= kChunks * kBlockVecs) continue;
        const std::size_t chunk = bv / kBlockVecs, n = bv % kBlockVecs / 3, j = bv % 3;
        v[g][i] = static_cast<std::uint32_t>(24 * chunk + 3 * (n * D + lane) + j);
      }
  }
};
template <class A, int kChunks>
inline constexpr TripleLaneBlocks<U32<A>::size, kChunks> kTripleLaneBlocks{};

// Lane blocks of the float chunks of one pass (16 blocks each): group g, lane l gets block g * W + l, so that
// word j of a group is word j of W consecutive blocks in lane order.
template <std::size_t W, int kChunks>
struct BlockLaneBlocks {
  static constexpr int kGroups = static_cast<int>(16 * kChunks / W);
  std::uint32_t v[kGroups][W];
  constexpr BlockLaneBlocks() : v() {
    for (int g = 0; g < kGroups; ++g)
      for (std::size_t l = 0; l < W; ++l) v[g][l] = static_cast<std::uint32_t>(g * W + l);
  }
};
template <class A, int kChunks>
inline constexpr BlockLaneBlocks<U32<A>::size, kChunks> kBlockLaneBlocks{};

// kChunks double chunks from chunk `first` on (each modulo 2^58) into out[0, 64 * kChunks): triple-vector n (D
// triples) of chunk c gives output k of its lanes at out + 64c + 8k + nD, as the recipe orders them.
template <class A, int kChunks>
inline void normal_chunks_f64(const PhiloxKeys<A>& key, std::uint64_t stream, std::uint64_t first, double* out) {
  using Lanes = TripleLaneBlocks<U32<A>::size, kChunks>;
  using O = NormalOps<double, A>;
  constexpr int kGroups = Lanes::kGroups;
  constexpr int kTripleVecs = static_cast<int>(kChunks * Lanes::kTripleVecs);
  constexpr int N = kTripleVecs < kNormalLockstep ? kTripleVecs : kNormalLockstep;
  constexpr std::size_t D = Lanes::D;
  static_assert(8 % D == 0 && kTripleVecs % N == 0);
  U32<A> w[kGroups][4];
  philox_chunk_groups<A, kGroups, 24, kChunks>(key, stream, first, kTripleLaneBlocks<A, kChunks>.v, w);
  // Block-vector v: x = w0 | w1 << 32 and y = w2 | w3 << 32 of its blocks, as 64-bit lanes.
  U64<A> x[2 * kGroups], y[2 * kGroups];
  for (int g = 0; g < kGroups; ++g) {
    x[2 * g] = as<std::uint64_t>(xsimd::zip_lo(w[g][0], w[g][1]));
    x[2 * g + 1] = as<std::uint64_t>(xsimd::zip_hi(w[g][0], w[g][1]));
    y[2 * g] = as<std::uint64_t>(xsimd::zip_lo(w[g][2], w[g][3]));
    y[2 * g + 1] = as<std::uint64_t>(xsimd::zip_hi(w[g][2], w[g][3]));
  }
  for (int n0 = 0; n0 < kTripleVecs; n0 += N) {
    U64<A> tw[N][6];
    for (int n = 0; n < N; ++n)
      for (int j = 0; j < 3; ++j) {
        tw[n][2 * j] = x[3 * (n0 + n) + j];
        tw[n][2 * j + 1] = y[3 * (n0 + n) + j];
      }
    Vec<double, A> z[N][8];
    normal_v2::triples_f64<O, N>(tw, z);
    for (int n = 0; n < N; ++n) {
      constexpr int kPerChunk = static_cast<int>(Lanes::kTripleVecs);
      const int c = (n0 + n) / kPerChunk, m = (n0 + n) % kPerChunk;
      for (int k = 0; k < 8; ++k) z[n][k].store_unaligned(out + 64 * c + 8 * k + m * D);
    }
  }
}

// kChunks float chunks from chunk `first` on: block-vector n (W blocks) of chunk c gives output k of its lanes at
// out + 64c + 16k + nW.
template <class A, int kChunks>
inline void normal_chunks_f32(const PhiloxKeys<A>& key, std::uint64_t stream, std::uint64_t first, float* out) {
  using O = NormalOps<float, A>;
  constexpr std::size_t W = U32<A>::size;
  constexpr int kGroups = BlockLaneBlocks<W, kChunks>::kGroups;
  constexpr int kPerChunk = static_cast<int>(16 / W);
  constexpr int N = kGroups < kNormalLockstep ? kGroups : kNormalLockstep;
  static_assert(16 % W == 0 && kGroups % N == 0);
  U32<A> w[kGroups][4];
  philox_chunk_groups<A, kGroups, 16, kChunks>(key, stream, first, kBlockLaneBlocks<A, kChunks>.v, w);
  for (int n0 = 0; n0 < kGroups; n0 += N) {
    U32<A> bw[N][4];
    for (int n = 0; n < N; ++n)
      for (int j = 0; j < 4; ++j) bw[n][j] = w[n0 + n][j];
    Vec<float, A> z[N][4];
    normal_v2::blocks_f32<O, N>(bw, z);
    for (int n = 0; n < N; ++n) {
      const int c = (n0 + n) / kPerChunk, m = (n0 + n) % kPerChunk;
      for (int k = 0; k < 4; ++k) z[n][k].store_unaligned(out + 64 * c + 16 * k + m * W);
    }
  }
}

// The normals' emitter: G chunks from `next` on, kNormalChunksPerPass at a time (a last odd one alone).
template <class A, class Kind>
struct NormalEmitter : stream_driver::EmitterBase<Kind, 1, PhiloxKeys<A>> {
  template <int kChunks>
  static void chunks(const PhiloxKeys<A>& key, std::uint64_t stream, std::uint64_t first, typename Kind::Out* out) {
    if constexpr (std::is_same_v<typename Kind::Out, double>)
      normal_chunks_f64<A, kChunks>(key, stream, first, out);
    else
      normal_chunks_f32<A, kChunks>(key, stream, first, out);
  }
  template <int G>
  static void emit(const PhiloxKeys<A>& key, std::uint64_t stream, std::uint64_t& next, std::uint64_t,
                   typename Kind::Out* out) {
    constexpr int P = kNormalChunksPerPass<A>;
    constexpr std::size_t kChunk = std::size_t{1} << Kind::kShift;
    int g = 0;
    for (; g + P <= G; g += P) chunks<P>(key, stream, next + g, out + g * kChunk);
    for (; g < G; ++g) chunks<1>(key, stream, next + g, out + g * kChunk);
    next += G;
  }
};
template <class A>
struct Emitter<A, stream_driver::NormalF64> : NormalEmitter<A, stream_driver::NormalF64> {};
template <class A>
struct Emitter<A, stream_driver::NormalF32> : NormalEmitter<A, stream_driver::NormalF32> {};

// Groups in flight for the uniform kernels (which take no Blocking).
inline constexpr std::uint32_t kUniformIlv = 2;

template <class A>
void uniform_u32(std::uint64_t seed, std::uint64_t stream, std::uint64_t block_base, std::uint64_t offset,
                 std::size_t n, std::uint32_t* out) {
  stream_driver::generate<Emitter<A, stream_driver::Words>>(kUniformIlv, seed, stream, offset, n, out, block_base);
}

template <class A, class T>
void uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, T* out) {
  using Kind = std::conditional_t<sizeof(T) == 8, stream_driver::UniformF64, stream_driver::UniformF32>;
  stream_driver::generate<Emitter<A, Kind>>(kUniformIlv, seed, stream, offset, n, out);
}

// philox_ilv picks how many chunks one emitter call produces; the rounds of one pass interleave that pass's groups
// (see NormalEmitter), as in the avx2 intrinsics kernels (sample_chunk is the API's row chunking).
template <class A, class T>
void normal(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, T* out,
            const Blocking& blk) {
  using Kind = std::conditional_t<sizeof(T) == 8, stream_driver::NormalF64, stream_driver::NormalF32>;
  stream_driver::generate<Emitter<A, Kind>>(blk.philox_ilv, seed, stream, offset, n, out);
}

// Half a vector from lo in the lower lanes, half from hi in the upper (scale_whole_rows.hpp's rows of half a
// vector).  xsimd 8.1 has no op that joins two half-width loads, so each ISA issues its own (as mulhilo); the
// portable fallback goes through memory.
template <class T, class A>
inline Vec<T, A> xsimd_load_halves(const T* lo, const T* hi) {
  constexpr bool f64 = std::is_same_v<T, double>;
#if XSIMD_WITH_AVX512F
  if constexpr (std::is_base_of_v<xsimd::avx512f, A>) {
    if constexpr (f64)
      return _mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_loadu_pd(lo)), _mm256_loadu_pd(hi), 1);
    else
      return _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(lo)), _mm256_loadu_ps(hi), 1);
  } else
#endif
#if XSIMD_WITH_AVX
  if constexpr (std::is_base_of_v<xsimd::avx, A>) {
    if constexpr (f64)
      return _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(lo)), _mm_loadu_pd(hi), 1);
    else
      return _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(lo)), _mm_loadu_ps(hi), 1);
  } else
#endif
#if XSIMD_WITH_SSE2
  if constexpr (std::is_base_of_v<xsimd::sse2, A>) {
    if constexpr (f64)
      return _mm_loadh_pd(_mm_load_sd(lo), hi);
    else
      return _mm_loadh_pi(_mm_loadl_pi(_mm_setzero_ps(), reinterpret_cast<const __m64*>(lo)),
                          reinterpret_cast<const __m64*>(hi));
  } else
#endif
#if XSIMD_WITH_NEON64
  if constexpr (std::is_base_of_v<xsimd::neon64, A>) {
    if constexpr (f64)
      return vcombine_f64(vld1_f64(lo), vld1_f64(hi));
    else
      return vcombine_f32(vld1_f32(lo), vld1_f32(hi));
  } else
#endif
  {
    constexpr std::size_t W = Vec<T, A>::size;
    alignas(A::alignment()) T joined[W];
    for (std::size_t j = 0; j < W / 2; ++j) {
      joined[j] = lo[j];
      joined[W / 2 + j] = hi[j];
    }
    return Vec<T, A>::load_aligned(joined);
  }
}

// The vector wrapper of kernels/common/scale_whole_rows.hpp (rows of 1-8 whole vectors, as the intrinsics; the
// general loop below cost 26 % of sample_diag f32 at dim 8 on Zen 3, avx2).
template <class T, class A>
struct RowSimd {
  using V = Vec<T, A>;
  static constexpr std::size_t kLanes = V::size;
  static V load(const T* p) { return V::load_unaligned(p); }
  static void store(T* p, V v) { v.store_unaligned(p); }
  static V mul_add(V a, V b, V c) { return fmadd(a, b, c); }
  static V load_halves(const T* lo, const T* hi) { return xsimd_load_halves<T, A>(lo, hi); }
};

template <class A, class T>
void scale_shift_rows(std::size_t npoints, std::size_t dim, const std::uint32_t* labels, const T* means,
                      const T* stddevs, T* inout) {
  using V = Vec<T, A>;
  constexpr std::size_t W = V::size;
  if (scale_rows::whole_rows<RowSimd<T, A>>(npoints, dim, labels, means, stddevs, inout)) return;
  for (std::size_t p = 0; p < npoints; ++p) {
    const std::size_t k = labels ? labels[p] : 0;
    const T* mu = means + k * dim;
    const T* sd = stddevs + k * dim;
    T* row = inout + p * dim;
    std::size_t j = 0;
    for (; j + 4 * W <= dim; j += 4 * W) {
      V x[4];
      for (int u = 0; u < 4; ++u)
        x[u] = fmadd(V::load_unaligned(sd + j + u * W), V::load_unaligned(row + j + u * W),
                     V::load_unaligned(mu + j + u * W));
      for (int u = 0; u < 4; ++u) x[u].store_unaligned(row + j + u * W);
    }
    for (; j + W <= dim; j += W)
      fmadd(V::load_unaligned(sd + j), V::load_unaligned(row + j), V::load_unaligned(mu + j)).store_unaligned(row + j);
    for (; j < dim; ++j) row[j] = fmadd_scalar<A>(sd[j], row[j], mu[j]);
  }
}
