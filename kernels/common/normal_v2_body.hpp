// The normal transform of stream version 2 (kernels/common/normal_recipe.hpp), written once for every vector
// implementation over a small set of lane operations, so that each ISA supplies only its intrinsics (an "ops"
// struct) and its Philox group, and the recipe's operation order, fused multiply-adds included, cannot drift
// between ISAs.  Templates only, no ISA code: a translation unit instantiates them with its own ops type, inside
// its own namespace, so nothing compiled for one ISA is shared with another.
//
// Ops for double lanes (O::F a vector of doubles, O::U a vector of 64-bit integers with the same lane count); ops
// for float lanes likewise with float and 32-bit integers:
//   F set(T);  U set_u(uint);  F add(F, F), sub, mul, div;  F sqrt(F);  F fma(F a, F b, F c)  (a*b + c: fused, or
//   the separate multiply and add of an ISA without FMA: sse4);  F as_f(U);  U as_u(F);  U add_u(U, U), and_u,
//   or_u, xor_u;  template <int n> U shr(U), shl(U)  (logical shifts of each lane);
//   F select(F no, F yes, U m)  (yes where m's top bit is set);  F negate_if(F v, U m)  (-v where m's top bit is set)
#pragma once
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "kernels/common/normal_recipe.hpp"

namespace diaggauss::normal_v2 {

// The recipe's constants of one precision, as a type (a namespace cannot be a template argument).
#define DG_NORMAL_V2_CONSTS(NS)                                                  \
  static constexpr auto kOneBits = recipe::NS::kOneBits;                         \
  static constexpr auto kMantMask = recipe::NS::kMantMask;                       \
  static constexpr auto kLogReduce = recipe::NS::kLogReduce;                     \
  static constexpr auto kExpMagicBits = recipe::NS::kExpMagicBits;               \
  static constexpr auto kExpMagic = recipe::NS::kExpMagic;                       \
  static constexpr auto kSqrtHalfBits = recipe::NS::kSqrtHalfBits;               \
  static constexpr auto kLn2Hi = recipe::NS::kLn2Hi;                             \
  static constexpr auto kLn2Lo = recipe::NS::kLn2Lo;                             \
  static constexpr const auto& kLogAtanh = recipe::NS::kLogAtanh;                \
  static constexpr const auto& kSin = recipe::NS::kSin;                          \
  static constexpr const auto& kCos = recipe::NS::kCos;
struct F64 {
  DG_NORMAL_V2_CONSTS(f64)
};
struct F32 {
  DG_NORMAL_V2_CONSTS(f32)
};
#undef DG_NORMAL_V2_CONSTS

// Horner with fused multiply-adds from the highest coefficient: p = c[n-1]; p = fma(p, x, c[i]) down to c[0].
template <class O, int P, class T, std::size_t NC>
inline void horner(const typename O::F (&x)[P], const T (&c)[NC], typename O::F (&p)[P]) {
  for (int k = 0; k < P; ++k) p[k] = O::set(c[NC - 1]);
  for (std::size_t i = NC - 1; i-- > 0;)
    for (int k = 0; k < P; ++k) p[k] = O::fma(p[k], x[k], O::set(c[i]));
}

// LOG(u) of the recipe for P vectors in lockstep (R = F64 or F32; kMantBits 52 or 23).
template <class O, class R, int kMantBits, int P>
inline void log_v2(const typename O::F (&u)[P], typename O::F (&L)[P]) {
  using F = typename O::F;
  using T = std::remove_const_t<decltype(R::kLn2Hi)>;
  F E[P], s[P], z[P], p[P];
  for (int k = 0; k < P; ++k) {
    const typename O::U ix = O::add_u(O::as_u(u[k]), O::set_u(R::kLogReduce));
    E[k] = O::sub(O::as_f(O::or_u(O::template shr<kMantBits>(ix), O::set_u(R::kExpMagicBits))), O::set(R::kExpMagic));
    const F m = O::as_f(O::add_u(O::and_u(ix, O::set_u(R::kMantMask)), O::set_u(R::kSqrtHalfBits)));
    s[k] = O::div(O::sub(m, O::set(T(1))), O::add(m, O::set(T(1))));
    z[k] = O::mul(s[k], s[k]);
  }
  horner<O, P>(z, R::kLogAtanh, p);
  for (int k = 0; k < P; ++k) {
    const F lp = O::fma(O::mul(s[k], z[k]), p[k], O::add(s[k], s[k]));
    L[k] = O::fma(E[k], O::set(R::kLn2Hi), O::fma(E[k], O::set(R::kLn2Lo), lp));
  }
}

// rho * (cos, sin) of the angle (q + r) * pi/2; q's bits 0 and 1 are the top bits of q0 and q1.  The recipe's
// quadrant table (q=1: (-S, C), q=2: (-C, -S), q=3: (S, -C)) is a swap for odd q, a negated cosine for q in {1, 2}
// (q0 ^ q1) and a negated sine for q in {2, 3} (q1); negation is exact.
template <class O, class R, int P>
inline void polar(const typename O::F (&rho)[P], const typename O::F (&r)[P], const typename O::U (&q0)[P],
                  const typename O::U (&q1)[P], typename O::F (&zc)[P], typename O::F (&zs)[P]) {
  using F = typename O::F;
  using T = std::remove_const_t<decltype(R::kLn2Hi)>;
  F x2[P], ps[P], pc[P];
  for (int k = 0; k < P; ++k) x2[k] = O::mul(r[k], r[k]);
  horner<O, P>(x2, R::kSin, ps);
  horner<O, P>(x2, R::kCos, pc);
  for (int k = 0; k < P; ++k) {
    const F S = O::mul(r[k], ps[k]);
    const F C = O::fma(pc[k], x2[k], O::set(T(1)));
    zc[k] = O::mul(rho[k], O::negate_if(O::select(C, S, q0[k]), O::xor_u(q0[k], q1[k])));
    zs[k] = O::mul(rho[k], O::negate_if(O::select(S, C, q0[k]), q1[k]));
  }
}

// P double pairs in lockstep: rad[k] the 64-bit radius word, ang[k] the 32-bit angle word in the TOP half of each
// lane (low half zero); outputs rho * c and rho * s.
template <class O, int P>
inline void pairs_f64(const typename O::U (&rad)[P], const typename O::U (&ang)[P], typename O::F (&zc)[P],
                      typename O::F (&zs)[P]) {
  using R = F64;
  using F = typename O::F;
  using U = typename O::U;
  F u1[P], L[P], rho[P], r[P];
  U q0[P], q1[P];
  for (int k = 0; k < P; ++k) {
    u1[k] = O::sub(O::set(2.0), O::as_f(O::or_u(O::template shr<12>(rad[k]), O::set_u(R::kOneBits))));
    // t = w + 2^29 in the top half: q is its top two bits, the 30 below are the fraction r + 1/2.
    const U t = O::add_u(ang[k], O::set_u(std::uint64_t{recipe::f64::kAngleHalfQuarter} << 32));
    q1[k] = t;
    q0[k] = O::template shl<1>(t);
    const U frac = O::template shr<12>(O::template shl<2>(t));
    r[k] = O::sub(O::as_f(O::or_u(frac, O::set_u(R::kOneBits))), O::set(1.5));
  }
  log_v2<O, R, 52, P>(u1, L);
  for (int k = 0; k < P; ++k) rho[k] = O::sqrt(O::mul(O::set(-2.0), L[k]));
  polar<O, R, P>(rho, r, q0, q1, zc, zs);
}

// N vectors of triples (lane = triple) in lockstep.  w[n] = {A.x, A.y, B.x, B.y, C.x, C.y} with x = w0 | w1 << 32
// and y = w2 | w3 << 32 of the triple's blocks A, B, C; z[n][k] = output k of each lane's triple (k = 2p: cos of
// pair p, 2p + 1: sin), i.e. the chunk's normals 8k + lane.
template <class O, int N>
inline void triples_f64(const typename O::U (&w)[N][6], typename O::F (&z)[N][8]) {
  using U = typename O::U;
  using F = typename O::F;
  constexpr int P = 4 * N;
  U rad[P], ang[P];
  F zc[P], zs[P];
  const U high = O::set_u(~std::uint64_t{0} << 32);
  for (int n = 0; n < N; ++n) {
    for (int p = 0; p < 4; ++p) rad[4 * n + p] = w[n][p];
    ang[4 * n + 0] = O::template shl<32>(w[n][4]);
    ang[4 * n + 1] = O::and_u(w[n][4], high);
    ang[4 * n + 2] = O::template shl<32>(w[n][5]);
    ang[4 * n + 3] = O::and_u(w[n][5], high);
  }
  pairs_f64<O, P>(rad, ang, zc, zs);
  for (int n = 0; n < N; ++n)
    for (int p = 0; p < 4; ++p) {
      z[n][2 * p] = zc[4 * n + p];
      z[n][2 * p + 1] = zs[4 * n + p];
    }
}

// N vectors of float blocks (lane = block) in lockstep: w[n][j] = word j of each lane's block; z[n][k] = output k
// of each lane's block (rho0*c0, rho0*s0, rho1*c1, rho1*s1), i.e. the chunk's normals 16k + lane.
template <class O, int N>
inline void blocks_f32(const typename O::U (&w)[N][4], typename O::F (&z)[N][4]) {
  using R = F32;
  using F = typename O::F;
  using U = typename O::U;
  constexpr int P = 2 * N;
  F u1[P], L[P], rho[P], r[P], zc[P], zs[P];
  U q0[P], q1[P];
  for (int n = 0; n < N; ++n)
    for (int h = 0; h < 2; ++h) {
      const int k = 2 * n + h;
      u1[k] = O::sub(O::set(2.0f), O::as_f(O::or_u(O::template shr<9>(w[n][2 * h]), O::set_u(R::kOneBits))));
      const U t = O::add_u(O::template shr<7>(w[n][2 * h + 1]), O::set_u(1u << 22));
      q0[k] = O::template shl<31 - 23>(t);
      q1[k] = O::template shl<31 - 24>(t);
      r[k] = O::sub(O::as_f(O::or_u(O::and_u(t, O::set_u(R::kMantMask)), O::set_u(R::kOneBits))), O::set(1.5f));
    }
  log_v2<O, R, 23, P>(u1, L);
  for (int k = 0; k < P; ++k) rho[k] = O::sqrt(O::mul(O::set(-2.0f), L[k]));
  polar<O, R, P>(rho, r, q0, q1, zc, zs);
  for (int n = 0; n < N; ++n)
    for (int h = 0; h < 2; ++h) {
      z[n][2 * h] = zc[2 * n + h];
      z[n][2 * h + 1] = zs[2 * n + h];
    }
}

}  // namespace diaggauss::normal_v2
