// AVX-512 (F, VL, DQ, BW) building blocks of the avx512 kernels: a per-type vector wrapper (so that each kernel is
// written once for float and double) and the vector forms of the recipes in kernels/common/ with the FMAs where
// the recipes put them.  Everything here is in diaggauss::avx512 (docs/implementing-a-target.md: an inline helper
// compiled with these flags must never be merged with another ISA's copy).  The kernels have the structure of
// the sse4 ones; where SSE4 runs a scalar tail, a masked load/store does the tail here.
#pragma once
// GCC 12's AVX-512 intrinsics seed their pass-through operands from a self-initialized variable, which
// -Wmaybe-uninitialized then reports at every inlined call, and -Wuninitialized where the call is straight-line
// code (the normals' chunks) (GCC PR 105593, fixed in 12.3 and 13).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop

#include <cstddef>
#include <cstdint>

#include "kernels/common/exp_recipe.hpp"
#include "kernels/common/normal_recipe.hpp"

namespace diaggauss::avx512 {

// _mm512_fpclass_*_mask categories of a bad diagonal entry: QNaN, +0, -0, +inf, -inf, SNaN.
inline constexpr int kZeroInfNaN = 0x01 | 0x02 | 0x04 | 0x08 | 0x10 | 0x80;

template <class T>
struct Simd;

template <>
struct Simd<double> {
  using V = __m512d;
  using Mask = __mmask8;
  static constexpr std::size_t kLanes = 8;

  static V zero() { return _mm512_setzero_pd(); }
  static V set1(double x) { return _mm512_set1_pd(x); }
  static V load(const double* p) { return _mm512_loadu_pd(p); }
  static void store(double* p, V v) { _mm512_storeu_pd(p, v); }
  // Four doubles from lo in lanes 0-3, four from hi in lanes 4-7 (scale_whole_rows.hpp's half rows).
  static V load_halves(const double* lo, const double* hi) {
    return _mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_loadu_pd(lo)), _mm256_loadu_pd(hi), 1);
  }
  static V add(V a, V b) { return _mm512_add_pd(a, b); }
  static V sub(V a, V b) { return _mm512_sub_pd(a, b); }
  static V mul(V a, V b) { return _mm512_mul_pd(a, b); }
  static V div(V a, V b) { return _mm512_div_pd(a, b); }
  static V max(V a, V b) { return _mm512_max_pd(a, b); }
  static V mul_add(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
  static V select(Mask m, V if_false, V if_true) { return _mm512_mask_blend_pd(m, if_false, if_true); }
  static Mask equal(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }

  // The first `lanes` lanes (0 <= lanes <= kLanes).
  static Mask first(std::size_t lanes) { return lanes >= kLanes ? Mask(0xFF) : Mask((1u << lanes) - 1); }
  // Masked-off lanes read as 1.0: whatever a kernel computes on them (1/1, (1-1)/1, ...) raises no FP flag.
  static V load_tail(const double* p, Mask m) { return _mm512_mask_loadu_pd(_mm512_set1_pd(1.0), m, p); }
  static void store_tail(double* p, Mask m, V v) { _mm512_mask_storeu_pd(p, m, v); }
  static Mask bad(V d) { return _mm512_fpclass_pd_mask(d, kZeroInfNaN); }
  static Mask bad_tail(Mask m, V d) { return _mm512_mask_fpclass_pd_mask(m, d, kZeroInfNaN); }

  // kLanes rows `stride` elements apart, read one element per row by a hardware gather; built once per call.
  struct Rows {
    __m512i offsets;
  };
  static Rows rows(std::size_t stride) {
    const long long s = static_cast<long long>(stride);
    return {_mm512_set_epi64(7 * s, 6 * s, 5 * s, 4 * s, 3 * s, 2 * s, s, 0)};
  }
  static V gather(const double* p, const Rows& r) { return _mm512_i64gather_pd(r.offsets, p, 8); }
  // Eight rows `stride` apart, their first `cols` (1-8) elements transposed: col[c] lane r = p[r * stride + c]
  // (columns past `cols` are filler).  Loads and shuffles instead of gathers, which run 4-8x slower on AMD Zen
  // 4 and 5 (docs/benchmarks.md "The log-densities on AVX-512 hardware"); by_points uses it where a whole
  // vector of points is read.
  static constexpr bool kTransposeRows = true;
  static void transpose_rows(const double* p, std::size_t stride, std::size_t cols, V (&col)[8]) {
    const Mask m = first(cols);
    V r[8];
    for (int i = 0; i < 8; ++i) r[i] = cols == 8 ? load(p + i * stride) : _mm512_maskz_loadu_pd(m, p + i * stride);
    transpose(r, col);
  }
  // Rows of at most half a vector (cols <= 4): sixteen rows in one transpose, register i holding row i in its lower
  // half and row 8 + i in its upper half, so col[c] is column c of rows 0-7 and col[4 + c] column c of rows 8-15.
  // Half the shuffles per row of transpose_rows on short rows.
  static void transpose_row_pairs(const double* p, std::size_t stride, std::size_t cols, V (&col)[8]) {
    V r[8];
    join_row_halves(p, stride, cols, 8, r);
    transpose(r, col);
  }
  // r[i] = row i (its first cols <= 4 elements, the rest 0) in the lower half, row `upper` + i in the upper half.
  template <std::size_t N>
  static void join_row_halves(const double* p, std::size_t stride, std::size_t cols, std::size_t upper, V (&r)[N]) {
    const __mmask8 m = static_cast<__mmask8>((1u << cols) - 1);
    const auto half = [&](std::size_t row) {
      return cols == 4 ? _mm256_loadu_pd(p + row * stride) : _mm256_maskz_loadu_pd(m, p + row * stride);
    };
    for (std::size_t i = 0; i < N; ++i) r[i] = _mm512_insertf64x4(_mm512_castpd256_pd512(half(i)), half(upper + i), 1);
  }
  // Eight rows of at most 4 doubles (the last block of a longer row): register i holds row i in its lower half and
  // row 4 + i in its upper half; col[c] (c < 4) is column c of rows 0-7.  12 instructions where transpose_rows on
  // the half-empty block takes 8 masked loads and 24 shuffles.
  static void transpose_rows_narrow(const double* p, std::size_t stride, std::size_t cols, V (&col)[4]) {
    V r[4];
    join_row_halves(p, stride, cols, 4, r);
    // t[2i] / t[2i+1], per 128-bit lane: rows (2i, 2i+1) of column 0 / 1 (lane 0), 2 / 3 (lane 1), and the same
    // columns of rows (4 + 2i, 5 + 2i) in lanes 2, 3.
    const V t0 = _mm512_unpacklo_pd(r[0], r[1]), t1 = _mm512_unpackhi_pd(r[0], r[1]);
    const V t2 = _mm512_unpacklo_pd(r[2], r[3]), t3 = _mm512_unpackhi_pd(r[2], r[3]);
    const __m512i lo = _mm512_setr_epi64(0, 1, 8, 9, 4, 5, 12, 13), hi = _mm512_setr_epi64(2, 3, 10, 11, 6, 7, 14, 15);
    col[0] = _mm512_permutex2var_pd(t0, lo, t2);
    col[1] = _mm512_permutex2var_pd(t1, lo, t3);
    col[2] = _mm512_permutex2var_pd(t0, hi, t2);
    col[3] = _mm512_permutex2var_pd(t1, hi, t3);
  }
  // col[c] lane i = r[i] lane c.  Always inlined: as a call its operands went through memory (long-row
  // diag_logpdf f64 0.98x avx2/intrinsics at dim 8 instead of 1.17x).
  [[gnu::always_inline]] static void transpose(const V (&r)[8], V (&col)[8]) {
    V t[8];
    for (int i = 0; i < 4; ++i) {  // t[2i]: rows 2i, 2i+1 of the even columns; t[2i+1]: of the odd ones
      t[2 * i] = _mm512_unpacklo_pd(r[2 * i], r[2 * i + 1]);
      t[2 * i + 1] = _mm512_unpackhi_pd(r[2 * i], r[2 * i + 1]);
    }
    // u: rows 0-3 (or 4-7) of columns {c, c + 4} for c = 0, 2 (from the even t) and 1, 3 (odd t).
    const __m512i lo = _mm512_setr_epi64(0, 1, 8, 9, 4, 5, 12, 13), hi = _mm512_setr_epi64(2, 3, 10, 11, 6, 7, 14, 15);
    V u[8];
    for (int h = 0; h < 2; ++h) {  // h = 0: rows 0-3, h = 1: rows 4-7
      u[4 * h + 0] = _mm512_permutex2var_pd(t[4 * h], lo, t[4 * h + 2]);      // columns 0, 4
      u[4 * h + 1] = _mm512_permutex2var_pd(t[4 * h + 1], lo, t[4 * h + 3]);  // columns 1, 5
      u[4 * h + 2] = _mm512_permutex2var_pd(t[4 * h], hi, t[4 * h + 2]);      // columns 2, 6
      u[4 * h + 3] = _mm512_permutex2var_pd(t[4 * h + 1], hi, t[4 * h + 3]);  // columns 3, 7
    }
    for (int c = 0; c < 4; ++c) {
      col[c] = _mm512_shuffle_f64x2(u[c], u[4 + c], 0x44);      // both lower halves
      col[c + 4] = _mm512_shuffle_f64x2(u[c], u[4 + c], 0xEE);  // both upper halves
    }
  }
  // Rows outside m are not read; their lanes are 0.
  static V gather_tail(const double* p, const Rows& r, Mask m) {
    return _mm512_mask_i64gather_pd(_mm512_setzero_pd(), m, r.offsets, p, 8);
  }
  // The recipes' exp and log (defined below), as members for code written once over Simd<T>.
  static V exp_recipe(V x);
  static V log_recipe(V u);
};

template <>
struct Simd<float> {
  using V = __m512;
  using Mask = __mmask16;
  static constexpr std::size_t kLanes = 16;

  static V zero() { return _mm512_setzero_ps(); }
  static V set1(float x) { return _mm512_set1_ps(x); }
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  static V load_halves(const float* lo, const float* hi) {
    return _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(lo)), _mm256_loadu_ps(hi), 1);
  }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  static V sub(V a, V b) { return _mm512_sub_ps(a, b); }
  static V mul(V a, V b) { return _mm512_mul_ps(a, b); }
  static V div(V a, V b) { return _mm512_div_ps(a, b); }
  static V max(V a, V b) { return _mm512_max_ps(a, b); }
  static V mul_add(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V select(Mask m, V if_false, V if_true) { return _mm512_mask_blend_ps(m, if_false, if_true); }
  static Mask equal(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }

  static Mask first(std::size_t lanes) { return lanes >= kLanes ? Mask(0xFFFF) : Mask((1u << lanes) - 1); }
  static V load_tail(const float* p, Mask m) { return _mm512_mask_loadu_ps(_mm512_set1_ps(1.0f), m, p); }
  static void store_tail(float* p, Mask m, V v) { _mm512_mask_storeu_ps(p, m, v); }
  static Mask bad(V d) { return _mm512_fpclass_ps_mask(d, kZeroInfNaN); }
  static Mask bad_tail(Mask m, V d) { return _mm512_mask_fpclass_ps_mask(m, d, kZeroInfNaN); }

  // Sixteen rows take two 8-lane gathers with 64-bit offsets (no limit on the stride); the upper eight rows
  // start 8 * stride elements further on.
  struct Rows {
    __m512i offsets;
    std::size_t upper;
  };
  static Rows rows(std::size_t stride) { return {Simd<double>::rows(stride).offsets, 8 * stride}; }
  static V gather(const float* p, const Rows& r) {
    return join(_mm512_i64gather_ps(r.offsets, p, 4), _mm512_i64gather_ps(r.offsets, p + r.upper, 4));
  }
  // Sixteen rows, their first `cols` (1-16) elements transposed (as Simd<double>::transpose_rows).
  static constexpr bool kTransposeRows = true;
  static void transpose_rows(const float* p, std::size_t stride, std::size_t cols, V (&col)[16]) {
    const Mask m = first(cols);
    V r[16];
    for (int i = 0; i < 16; ++i) r[i] = cols == 16 ? load(p + i * stride) : _mm512_maskz_loadu_ps(m, p + i * stride);
    transpose(r, col);
  }
  // 32 rows of at most 8 floats in one transpose (as Simd<double>::transpose_row_pairs): col[c] is column c of
  // rows 0-15, col[8 + c] column c of rows 16-31.
  static void transpose_row_pairs(const float* p, std::size_t stride, std::size_t cols, V (&col)[16]) {
    V r[16];
    join_row_halves(p, stride, cols, 16, r);
    transpose(r, col);
  }
  // r[i] = row i (its first cols <= 8 elements, the rest 0) in the lower half, row `upper` + i in the upper half.
  template <std::size_t N>
  static void join_row_halves(const float* p, std::size_t stride, std::size_t cols, std::size_t upper, V (&r)[N]) {
    const __mmask8 m = static_cast<__mmask8>((1u << cols) - 1);
    const auto half = [&](std::size_t row) {
      return cols == 8 ? _mm256_loadu_ps(p + row * stride) : _mm256_maskz_loadu_ps(m, p + row * stride);
    };
    for (std::size_t i = 0; i < N; ++i) r[i] = join(half(i), half(upper + i));
  }
  // Sixteen rows of at most 8 floats (the last block of a longer row): register i holds row i in its lower half
  // and row 8 + i in its upper half, each half 8x8-transposed; col[c] (c < 8) is column c of rows 0-15.  32
  // instructions where transpose_rows on the half-empty block takes 16 masked loads and 64 shuffles.
  static void transpose_rows_narrow(const float* p, std::size_t stride, std::size_t cols, V (&col)[8]) {
    V r[8];
    join_row_halves(p, stride, cols, 8, r);
    V t[8];  // per 128-bit lane: t[2i] rows 2i, 2i+1 of columns 0, 1 (lane 0) / 4, 5 (lane 1); t[2i+1] of 2, 3 / 6, 7
    for (int i = 0; i < 4; ++i) {
      t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
      t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    const auto lo = [](V a, V b) { return _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(a), _mm512_castps_pd(b))); };
    const auto hi = [](V a, V b) { return _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(a), _mm512_castps_pd(b))); };
    V u[8];  // u[4q + k], lanes 0 / 1: rows 4q..4q+3 of column k / 4 + k; lanes 2 / 3: the same of rows 8 + 4q..
    for (int q = 0; q < 2; ++q) {
      u[4 * q + 0] = lo(t[4 * q], t[4 * q + 2]);
      u[4 * q + 1] = hi(t[4 * q], t[4 * q + 2]);
      u[4 * q + 2] = lo(t[4 * q + 1], t[4 * q + 3]);
      u[4 * q + 3] = hi(t[4 * q + 1], t[4 * q + 3]);
    }
    // Column k: lane 0 of u[k] (rows 0-3), of u[4 + k] (4-7), lane 2 of u[k] (8-11), of u[4 + k] (12-15).
    const __m512i first = _mm512_setr_epi32(0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27);
    const __m512i second = _mm512_setr_epi32(4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31);
    for (int k = 0; k < 4; ++k) {
      col[k] = _mm512_permutex2var_ps(u[k], first, u[4 + k]);
      col[4 + k] = _mm512_permutex2var_ps(u[k], second, u[4 + k]);
    }
  }
  static void transpose(const V (&r)[16], V (&col)[16]) {
    V t[16];  // per 128-bit lane: t[2i] rows 2i, 2i+1 of columns 0, 1; t[2i+1] of columns 2, 3
    for (int i = 0; i < 8; ++i) {
      t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
      t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    V u[16];  // u[4q + k], lane L: rows 4q..4q+3 of column 4L + k
    const auto lo = [](V a, V b) { return _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(a), _mm512_castps_pd(b))); };
    const auto hi = [](V a, V b) { return _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(a), _mm512_castps_pd(b))); };
    for (int q = 0; q < 4; ++q) {
      u[4 * q + 0] = lo(t[4 * q], t[4 * q + 2]);
      u[4 * q + 1] = hi(t[4 * q], t[4 * q + 2]);
      u[4 * q + 2] = lo(t[4 * q + 1], t[4 * q + 3]);
      u[4 * q + 3] = hi(t[4 * q + 1], t[4 * q + 3]);
    }
    for (int k = 0; k < 4; ++k) {
      // a: lanes 0, 2 of u[k] and u[4 + k]; b: of u[8 + k] and u[12 + k]; a2, b2: lanes 1, 3.
      const V a = _mm512_shuffle_f32x4(u[k], u[4 + k], 0x88), b = _mm512_shuffle_f32x4(u[8 + k], u[12 + k], 0x88);
      const V a2 = _mm512_shuffle_f32x4(u[k], u[4 + k], 0xDD), b2 = _mm512_shuffle_f32x4(u[8 + k], u[12 + k], 0xDD);
      col[k] = _mm512_shuffle_f32x4(a, b, 0x88);       // lane 0 of each: column k
      col[8 + k] = _mm512_shuffle_f32x4(a, b, 0xDD);   // lane 2: column 8 + k
      col[4 + k] = _mm512_shuffle_f32x4(a2, b2, 0x88); // lane 1: column 4 + k
      col[12 + k] = _mm512_shuffle_f32x4(a2, b2, 0xDD);  // lane 3: column 12 + k
    }
  }
  static V gather_tail(const float* p, const Rows& r, Mask m) {
    const __m256 zero = _mm256_setzero_ps();
    return join(_mm512_mask_i64gather_ps(zero, static_cast<__mmask8>(m), r.offsets, p, 4),
                _mm512_mask_i64gather_ps(zero, static_cast<__mmask8>(m >> 8), r.offsets, p + r.upper, 4));
  }
  static V exp_recipe(V x);
  static V log_recipe(V u);

 private:
  static V join(__m256 lo, __m256 hi) { return _mm512_insertf32x8(_mm512_castps256_ps512(lo), hi, 1); }
};

// ---- loops --------------------------------------------------------------------------------------------------------

// out[i] = vec_op(in[i]...) for i < n, always inlined (callers run it once per row, and a call per row costs
// more than a short row).  Four independent vectors per iteration keep several divisions in flight; the tail is
// one masked vector.  Every vector is loaded before any is stored, so out may alias an input.
template <class T, class VecOp, class... In>
[[gnu::always_inline]] inline void elementwise(std::size_t n, T* out, VecOp vec_op, const In*... in) {
  using S = Simd<T>;
  constexpr std::size_t W = S::kLanes;
  std::size_t i = 0;
  for (; i + 4 * W <= n; i += 4 * W) {
    const auto r0 = vec_op(S::load(in + i)...);
    const auto r1 = vec_op(S::load(in + i + W)...);
    const auto r2 = vec_op(S::load(in + i + 2 * W)...);
    const auto r3 = vec_op(S::load(in + i + 3 * W)...);
    S::store(out + i, r0);
    S::store(out + i + W, r1);
    S::store(out + i + 2 * W, r2);
    S::store(out + i + 3 * W, r3);
  }
  for (; i + W <= n; i += W) S::store(out + i, vec_op(S::load(in + i)...));
  if (i < n) {
    const auto m = S::first(n - i);
    S::store_tail(out + i, m, vec_op(S::load_tail(in + i, m)...));
  }
}

// elementwise() for one long array, with its stores aligned to the cache line.  A zmm store to an address that is
// not a multiple of 64 writes two lines; on Intel (Xeon family 6 model 207) that made solve_diag_inv f64 at 6000
// elements run at 0.66x with all three arrays 8, 16 or 32 bytes past a line (2.8 against 4.2 G elements/s) — and
// 16 bytes past a line is where glibc's malloc puts large blocks, i.e. every large std::vector.  So when out is a
// whole number of elements past a line and aliases no input, the first vector is done unaligned and the rest
// starts at the next line: the elements in between are computed twice, from unchanged inputs, into the same
// values.  (A masked first vector would also serve in place, but masked stores are slow on AMD; in place, the
// stores stay unaligned as before.)  From 16 vectors on, where the extra vector is at most 1/16 more work; only
// for the flat kernels: per row (whiten's runs of rows, solve_diag_multi's rows) the extra vector cost whiten
// 0.94x in L1/L2 (it is division-bound there), and the check alone moved solve_diag_multi's short rows.
template <class T, class VecOp, class... In>
[[gnu::always_inline]] inline void elementwise_line_aligned(std::size_t n, T* out, VecOp vec_op, const In*... in) {
  using S = Simd<T>;
  constexpr std::size_t W = S::kLanes;
  const std::size_t past_line = reinterpret_cast<std::uintptr_t>(out) % 64;
  std::size_t skip = 0;
  if (n >= 16 * W && past_line != 0 && past_line % sizeof(T) == 0 &&
      ((static_cast<const void*>(in) != static_cast<const void*>(out)) && ...)) {
    S::store(out, vec_op(S::load(in)...));
    skip = (64 - past_line) / sizeof(T);
  }
  elementwise(n - skip, out + skip, vec_op, (in + skip)...);
}

// out[p][j] = op(in[p][j], a[j], b[j]) over npoints x dim (out may be in).  With short rows the per-row masked
// tails would leave most lanes idle, so kLanes rows at a time are treated as one run of kLanes * dim elements
// (whole vectors) against a and b replicated kLanes times in a stack buffer.
template <class T, class VecOp>
void rows_elementwise(std::size_t npoints, std::size_t dim, const T* in, const T* a, const T* b, T* out,
                      VecOp vec_op) {
  constexpr std::size_t W = Simd<T>::kLanes, kMaxRun = 512;
  std::size_t p = 0;
  if (W * dim <= kMaxRun && npoints >= 2 * W) {
    alignas(64) T ra[kMaxRun], rb[kMaxRun];
    for (std::size_t r = 0; r < W; ++r)
      for (std::size_t j = 0; j < dim; ++j) ra[r * dim + j] = a[j], rb[r * dim + j] = b[j];
    for (; p + W <= npoints; p += W)
      elementwise(W * dim, out + p * dim, vec_op, in + p * dim, static_cast<const T*>(ra), static_cast<const T*>(rb));
  }
  for (; p < npoints; ++p) elementwise(dim, out + p * dim, vec_op, in + p * dim, a, b);
}

// ---- the log-densities' log (fdlibm form, recipe::f64::kLog / f32::kLog; not the sampler's LOG) ----------------

inline __m512d log_recipe(__m512d u) {
  namespace R = recipe::f64;
  const __m512i bits = _mm512_castpd_si512(u);
  const __m512i mant = _mm512_and_si512(bits, _mm512_set1_epi64(R::kMantMask));
  const __mmask8 big = _mm512_cmpgt_epi64_mask(mant, _mm512_set1_epi64(R::kSqrt2Mant));
  const __m512d m = _mm512_castsi512_pd(_mm512_or_si512(
      mant, _mm512_mask_blend_epi64(big, _mm512_set1_epi64(R::kOneBits), _mm512_set1_epi64(R::kHalfBits))));
  __m512i e = _mm512_sub_epi64(_mm512_srli_epi64(bits, 52), _mm512_set1_epi64(R::kBias));
  e = _mm512_mask_add_epi64(e, big, e, _mm512_set1_epi64(1));
  const __m512d E = _mm512_cvtepi64_pd(e);
  const __m512d f = _mm512_sub_pd(m, _mm512_set1_pd(1.0));
  const __m512d s = _mm512_div_pd(f, _mm512_add_pd(_mm512_set1_pd(2.0), f));
  const __m512d z = _mm512_mul_pd(s, s);
  __m512d p = _mm512_set1_pd(R::kLog[6]);
  for (int i = 5; i >= 0; --i) p = _mm512_fmadd_pd(p, z, _mm512_set1_pd(R::kLog[i]));
  const __m512d r = _mm512_mul_pd(p, z);
  const __m512d hfsq = _mm512_mul_pd(_mm512_mul_pd(_mm512_set1_pd(0.5), f), f);
  const __m512d lp = _mm512_sub_pd(f, _mm512_sub_pd(hfsq, _mm512_mul_pd(s, _mm512_add_pd(hfsq, r))));
  return _mm512_fmadd_pd(E, _mm512_set1_pd(R::kLn2Hi), _mm512_fmadd_pd(E, _mm512_set1_pd(R::kLn2Lo), lp));
}

inline __m512 log_recipe(__m512 u) {
  namespace R = recipe::f32;
  const __m512i bits = _mm512_castps_si512(u);
  const __m512i mant = _mm512_and_si512(bits, _mm512_set1_epi32(R::kMantMask));
  const __mmask16 big = _mm512_cmpgt_epi32_mask(mant, _mm512_set1_epi32(R::kSqrt2Mant));
  const __m512 m = _mm512_castsi512_ps(_mm512_or_si512(
      mant, _mm512_mask_blend_epi32(big, _mm512_set1_epi32(R::kOneBits), _mm512_set1_epi32(R::kHalfBits))));
  __m512i e = _mm512_sub_epi32(_mm512_srli_epi32(bits, 23), _mm512_set1_epi32(R::kBias));
  e = _mm512_mask_add_epi32(e, big, e, _mm512_set1_epi32(1));
  const __m512 E = _mm512_cvtepi32_ps(e);
  const __m512 f = _mm512_sub_ps(m, _mm512_set1_ps(1.0f));
  const __m512 s = _mm512_div_ps(f, _mm512_add_ps(_mm512_set1_ps(2.0f), f));
  const __m512 z = _mm512_mul_ps(s, s);
  __m512 p = _mm512_set1_ps(R::kLog[3]);
  for (int i = 2; i >= 0; --i) p = _mm512_fmadd_ps(p, z, _mm512_set1_ps(R::kLog[i]));
  const __m512 r = _mm512_mul_ps(p, z);
  const __m512 hfsq = _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), f), f);
  const __m512 lp = _mm512_sub_ps(f, _mm512_sub_ps(hfsq, _mm512_mul_ps(s, _mm512_add_ps(hfsq, r))));
  return _mm512_fmadd_ps(E, _mm512_set1_ps(R::kLn2Hi), _mm512_fmadd_ps(E, _mm512_set1_ps(R::kLn2Lo), lp));
}

// ---- recipe exp (exp_recipe.hpp) for x = l - max <= 0 -------------------------------------------------------------
// Lanes below kExpMinArg, and NaN lanes (-inf - -inf: a point whose terms are all -inf), give 0.  2^n is applied
// by scalef, which rounds p * 2^n once, exactly like the multiplication by a built power of two.

inline __m512d exp_recipe(__m512d x) {
  namespace R = recipe::f64;
  const __mmask8 keep = _mm512_cmp_pd_mask(x, _mm512_set1_pd(R::kExpMinArg), _CMP_GE_OQ);
  const __m512d n = _mm512_roundscale_pd(_mm512_mul_pd(x, _mm512_set1_pd(R::kLog2e)),
                                         _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512d r = _mm512_fnmadd_pd(n, _mm512_set1_pd(R::kExpLn2Hi), x);
  r = _mm512_fnmadd_pd(n, _mm512_set1_pd(R::kExpLn2Lo), r);
  __m512d p = _mm512_set1_pd(R::kExp[13]);
  for (int i = 12; i >= 0; --i) p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(R::kExp[i]));
  return _mm512_maskz_scalef_pd(keep, p, n);
}

inline __m512 exp_recipe(__m512 x) {
  namespace R = recipe::f32;
  const __mmask16 keep = _mm512_cmp_ps_mask(x, _mm512_set1_ps(R::kExpMinArg), _CMP_GE_OQ);
  const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(R::kLog2e)),
                                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(R::kExpLn2Hi), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(R::kExpLn2Lo), r);
  __m512 p = _mm512_set1_ps(R::kExp[7]);
  for (int i = 6; i >= 0; --i) p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(R::kExp[i]));
  return _mm512_maskz_scalef_ps(keep, p, n);
}

inline __m512d Simd<double>::exp_recipe(__m512d x) { return avx512::exp_recipe(x); }
inline __m512 Simd<float>::exp_recipe(__m512 x) { return avx512::exp_recipe(x); }
inline __m512d Simd<double>::log_recipe(__m512d u) { return avx512::log_recipe(u); }
inline __m512 Simd<float>::log_recipe(__m512 u) { return avx512::log_recipe(u); }

}  // namespace diaggauss::avx512
