// Sampling kernels: Philox words -> raw words, uniforms, normals (normal_recipe.hpp step for step), and the
// in-place scale-and-shift.  Included inside a per-ISA namespace by xsimd_kernels.hpp.
#pragma once

// The recipe's normal pair (cos, sin) from per-lane uniform bits `a` and angle bits `b` (the 64-bit words a, b
// of a block for double; the even and odd word of a pair for float).
template <class T, class A>
inline void normal_pair(const BitsVec<T, A>& a, const BitsVec<T, A>& b, Vec<T, A>& zc, Vec<T, A>& zs) {
  using F = Fp<T>;
  using V = Vec<T, A>;
  using U = BitsVec<T, A>;
  constexpr int kBits = 8 * sizeof(T);
  constexpr int kUniformShift = kBits - F::kMantBits;        // 12 (f64), 9 (f32)
  constexpr int kAngleShift = kBits - F::kMantBits - 2;      // 10, 7: two quadrant bits above the mantissa
  const V u1 = V(2) - as<T>(U(F::kOneBits) | (a >> kUniformShift));
  const U t = (b >> kAngleShift) + U(typename F::Bits{1} << (F::kMantBits - 1));
  const V r = as<T>(U(F::kOneBits) | (t & U(F::kMantMask))) - V(1.5);
  const V rho = square_root(V(-2) * recipe_log(u1));
  const V x2 = r * r;
  const V S = r * horner(x2, F::kSin);
  const V C = fmadd(horner(x2, F::kCos), x2, V(1));
  // q = the two bits of t above the mantissa.  Odd q swaps C and S; cos is negated for q in {1, 2} (q1 ^ q0),
  // sin for q in {2, 3} (q1).  Negation is a sign-bit flip, exactly the scalar's unary minus.
  const V swap = as<T>(U(0) - ((t >> F::kMantBits) & U(1)));
  const V sin_sign = as<T>((t << kAngleShift) & U(F::kSignBit));
  const V cos_sign = as<T>(((t << kAngleShift) ^ (t << (kAngleShift + 1))) & U(F::kSignBit));
  const V d = (C ^ S) & swap;
  zc = rho * ((C ^ d) ^ cos_sign);
  zs = rho * ((S ^ d) ^ sin_sign);
}

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

template <class T_, class A>
struct NormalOut;

template <class A>
struct NormalOut<double, A> {
  using T = double;
  static constexpr std::size_t kPerBlock = 2;
  static void emit(const U32<A> (&w)[4], double* out) {
    constexpr std::size_t N = Vec<double, A>::size;
    // a = w0 | w1 << 32, b = w2 | w3 << 32 as 64-bit lanes.
    const U64<A> a_lo = as<std::uint64_t>(xsimd::zip_lo(w[0], w[1]));
    const U64<A> a_hi = as<std::uint64_t>(xsimd::zip_hi(w[0], w[1]));
    const U64<A> b_lo = as<std::uint64_t>(xsimd::zip_lo(w[2], w[3]));
    const U64<A> b_hi = as<std::uint64_t>(xsimd::zip_hi(w[2], w[3]));
    Vec<double, A> zc, zs;
    normal_pair<double, A>(a_lo, b_lo, zc, zs);
    xsimd::zip_lo(zc, zs).store_unaligned(out);
    xsimd::zip_hi(zc, zs).store_unaligned(out + N);
    normal_pair<double, A>(a_hi, b_hi, zc, zs);
    xsimd::zip_lo(zc, zs).store_unaligned(out + 2 * N);
    xsimd::zip_hi(zc, zs).store_unaligned(out + 3 * N);
  }
};

template <class A>
struct NormalOut<float, A> {
  using T = float;
  static constexpr std::size_t kPerBlock = 4;
  static void emit(const U32<A> (&w)[4], float* out) {
    constexpr std::size_t N = Vec<float, A>::size;
    // Pairs (w0, w1) and (w2, w3) of each block side by side: even words give u1, odd words the angle.
    const U32<A> e_lo = xsimd::zip_lo(w[0], w[2]), e_hi = xsimd::zip_hi(w[0], w[2]);
    const U32<A> o_lo = xsimd::zip_lo(w[1], w[3]), o_hi = xsimd::zip_hi(w[1], w[3]);
    Vec<float, A> zc, zs;
    normal_pair<float, A>(e_lo, o_lo, zc, zs);
    xsimd::zip_lo(zc, zs).store_unaligned(out);
    xsimd::zip_hi(zc, zs).store_unaligned(out + N);
    normal_pair<float, A>(e_hi, o_hi, zc, zs);
    xsimd::zip_lo(zc, zs).store_unaligned(out + 2 * N);
    xsimd::zip_hi(zc, zs).store_unaligned(out + 3 * N);
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
template <class A>
struct OutputStage<A, stream_driver::NormalF64> {
  using type = NormalOut<double, A>;
};
template <class A>
struct OutputStage<A, stream_driver::NormalF32> {
  using type = NormalOut<float, A>;
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

// philox_ilv picks how many groups share one pass of rounds (sample_chunk is the API's row chunking).
template <class A, class T>
void normal(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, T* out,
            const Blocking& blk) {
  using Kind = std::conditional_t<sizeof(T) == 8, stream_driver::NormalF64, stream_driver::NormalF32>;
  stream_driver::generate<Emitter<A, Kind>>(blk.philox_ilv, seed, stream, offset, n, out);
}

template <class A, class T>
void scale_shift_rows(std::size_t npoints, std::size_t dim, const std::uint32_t* labels, const T* means,
                      const T* stddevs, T* inout) {
  using V = Vec<T, A>;
  constexpr std::size_t W = V::size;
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
