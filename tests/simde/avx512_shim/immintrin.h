// <immintrin.h> for tests/simde/avx512_sampler_check.cpp: the AVX-512 intrinsics of kernels/avx512/ emulated by
// SIMDe (https://github.com/simd-everywhere/simde; Debian package libsimde-dev), so that the AVX-512 sampler's
// bits are checked on every x86-64 machine, AVX-512 or not.  The check is compiled with this folder first on the
// include path and WITHOUT any -mavx512* flag: SIMDe then runs each intrinsic as portable per-lane code.
//
// What SIMDe does not give as the kernels need it is defined here, from the Intel intrinsics guide's pseudocode:
// - _mm512_fmadd_pd/ps: a true fused multiply-add per lane (std::fma).  SIMDe's portable fallback is a * b + c,
//   which -ffp-contract=off leaves unfused, and the normal recipe (kernels/common/normal_recipe.hpp) requires the
//   single rounding of a real FMA, as AVX-512 hardware gives it.
// - _mm512_mask_shuffle_epi32 (vpshufd with a merge mask) and _MM_PERM_CDAB: not in SIMDe 0.7 (Debian 12).  The
//   check program compares this definition with SIMDe's _mm_shuffle_epi32 on each 128-bit quarter first.
// - Masked unaligned loads and stores (the scale-and-shift pass's row tails), per lane from the pseudocode.
// - Stubs for the intrinsics that only the log-density helpers of kernels/avx512/simd_avx512.hpp use (gathers,
//   row transposes, fpclass, conversions): they must compile, and abort if ever called.
// shim_break selects a deliberate error in the definitions above (the check's negative controls): 0 = none.
#pragma once
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/x86/avx512.h>

#include <cmath>
#include <cstdlib>

enum ShimBreak { kShimExact = 0, kShimUnfusedFma = 1, kShimShuffleLane = 2 };
inline int shim_break = kShimExact;

static inline simde__m512d shim_fmadd_pd(simde__m512d a, simde__m512d b, simde__m512d c) {
  simde__m512d_private A = simde__m512d_to_private(a), B = simde__m512d_to_private(b), C = simde__m512d_to_private(c),
                       R;
  for (int i = 0; i < 8; ++i)
    R.f64[i] = shim_break == kShimUnfusedFma ? A.f64[i] * B.f64[i] + C.f64[i] : std::fma(A.f64[i], B.f64[i], C.f64[i]);
  return simde__m512d_from_private(R);
}
static inline simde__m512 shim_fmadd_ps(simde__m512 a, simde__m512 b, simde__m512 c) {
  simde__m512_private A = simde__m512_to_private(a), B = simde__m512_to_private(b), C = simde__m512_to_private(c), R;
  for (int i = 0; i < 16; ++i)
    R.f32[i] = shim_break == kShimUnfusedFma ? A.f32[i] * B.f32[i] + C.f32[i] : std::fma(A.f32[i], B.f32[i], C.f32[i]);
  return simde__m512_from_private(R);
}
#undef _mm512_fmadd_pd
#undef _mm512_fmadd_ps
#define _mm512_fmadd_pd shim_fmadd_pd
#define _mm512_fmadd_ps shim_fmadd_ps

// vpshufd with merge masking: lane j = (k bit j) ? a[4 * (j / 4) + ((imm >> 2 * (j % 4)) & 3)] : src[j].
static inline simde__m512i shim_mask_shuffle_epi32(simde__m512i src, simde__mmask16 k, simde__m512i a, int imm) {
  simde__m512i_private S = simde__m512i_to_private(src), A = simde__m512i_to_private(a), R;
  for (int j = 0; j < 16; ++j) {
    const bool take = (k >> j) & 1;
    R.i32[j] = take ? A.i32[4 * (j / 4) + ((imm >> (2 * (j % 4))) & 3)] : S.i32[j];
    if (shim_break == kShimShuffleLane && j == 13) R.i32[j] = S.i32[j];  // lane 13 ignores its mask bit
  }
  return simde__m512i_from_private(R);
}
#undef _mm512_mask_shuffle_epi32
#define _mm512_mask_shuffle_epi32(src, k, a, imm) shim_mask_shuffle_epi32((src), (k), (a), (imm))
#ifndef _MM_PERM_CDAB
#define _MM_PERM_CDAB 0xB1
#endif

typedef simde__mmask8 __mmask8;
typedef simde__mmask16 __mmask16;

// Masked unaligned loads and stores (the scale-and-shift pass's row tails), per the guide's pseudocode: lanes
// outside the mask are neither read nor written; a masked load gives them src's value.
static inline simde__m512d shim_mask_loadu_pd(simde__m512d src, simde__mmask8 m, const void* p) {
  simde__m512d_private r = simde__m512d_to_private(src);
  for (int i = 0; i < 8; ++i)
    if (m >> i & 1) r.f64[i] = static_cast<const double*>(p)[i];
  return simde__m512d_from_private(r);
}
static inline simde__m512 shim_mask_loadu_ps(simde__m512 src, simde__mmask16 m, const void* p) {
  simde__m512_private r = simde__m512_to_private(src);
  for (int i = 0; i < 16; ++i)
    if (m >> i & 1) r.f32[i] = static_cast<const float*>(p)[i];
  return simde__m512_from_private(r);
}
static inline void shim_mask_storeu_pd(void* p, simde__mmask8 m, simde__m512d v) {
  const simde__m512d_private a = simde__m512d_to_private(v);
  for (int i = 0; i < 8; ++i)
    if (m >> i & 1) static_cast<double*>(p)[i] = a.f64[i];
}
static inline void shim_mask_storeu_ps(void* p, simde__mmask16 m, simde__m512 v) {
  const simde__m512_private a = simde__m512_to_private(v);
  for (int i = 0; i < 16; ++i)
    if (m >> i & 1) static_cast<float*>(p)[i] = a.f32[i];
}
#undef _mm512_mask_loadu_pd
#undef _mm512_mask_loadu_ps
#undef _mm512_mask_storeu_pd
#undef _mm512_mask_storeu_ps
#define _mm512_mask_loadu_pd(s, m, p) shim_mask_loadu_pd(s, m, p)
#define _mm512_mask_loadu_ps(s, m, p) shim_mask_loadu_ps(s, m, p)
#define _mm512_mask_storeu_pd(p, m, v) shim_mask_storeu_pd(p, m, v)
#define _mm512_mask_storeu_ps(p, m, v) shim_mask_storeu_ps(p, m, v)

// Not used by the sampler (log-density helpers): stubs that only need to compile (every operand is evaluated, so
// no unused-parameter warning), and abort if called.
template <class... A>
[[noreturn]] inline void shim_abort(const A&...) { std::abort(); }
#define SHIM_ABORT(...) shim_abort(__VA_ARGS__)
#define _mm512_i64gather_pd(i, p, s) (SHIM_ABORT(i, p), simde_mm512_setzero_pd())
#define _mm512_mask_i64gather_pd(s, m, i, p, sc) (SHIM_ABORT(m, i, p), (s))
#define _mm512_i64gather_ps(i, p, s) (SHIM_ABORT(i, p), simde_mm256_setzero_ps())
#define _mm512_mask_i64gather_ps(s, m, i, p, sc) (SHIM_ABORT(m, i, p), (s))
#define _mm512_fpclass_pd_mask(d, c) (SHIM_ABORT(d), simde__mmask8(0))
#define _mm512_mask_fpclass_pd_mask(m, d, c) (SHIM_ABORT(m, d), simde__mmask8(0))
#define _mm512_fpclass_ps_mask(d, c) (SHIM_ABORT(d), simde__mmask16(0))
#define _mm512_mask_fpclass_ps_mask(m, d, c) (SHIM_ABORT(m, d), simde__mmask16(0))
#define _mm512_cvtepi64_pd(e) (SHIM_ABORT(e), simde_mm512_setzero_pd())
#define _mm512_cvtepi32_ps(e) (SHIM_ABORT(e), simde_mm512_setzero_ps())
// the log-densities' row transposes (simd_avx512.hpp transpose_rows); not in SIMDe 0.7 at 512 bits
#define _mm512_maskz_loadu_pd(m, p) (SHIM_ABORT(m, p), simde_mm512_setzero_pd())
#define _mm512_maskz_loadu_ps(m, p) (SHIM_ABORT(m, p), simde_mm512_setzero_ps())
#define _mm512_shuffle_f64x2(a, b, imm) (SHIM_ABORT(a, b), simde_mm512_setzero_pd())
#define _mm512_shuffle_f32x4(a, b, imm) (SHIM_ABORT(a, b), simde_mm512_setzero_ps())
#define _mm256_maskz_loadu_pd(m, p) (SHIM_ABORT(m, p), simde_mm256_setzero_pd())
#define _mm256_maskz_loadu_ps(m, p) (SHIM_ABORT(m, p), simde_mm256_setzero_ps())
#ifndef _MM_FROUND_NO_EXC
#define _MM_FROUND_NO_EXC SIMDE_MM_FROUND_NO_EXC
#define _MM_FROUND_TO_NEAREST_INT SIMDE_MM_FROUND_TO_NEAREST_INT
#endif
