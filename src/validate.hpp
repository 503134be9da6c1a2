// Input validation shared by the C API entry points.  Every check runs before any output is written.
#pragma once
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>

#include "src/errors.hpp"

namespace diaggauss::detail {

template <class T>
std::string fmt_value(T v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", static_cast<double>(v));
  return buf;
}

// "name[i]" or, for a (rows x cols) matrix argument, "name[r][c]".
inline std::string element_name(const char* arg, std::size_t i, std::size_t cols = 0) {
  if (cols == 0) return std::string(arg) + "[" + std::to_string(i) + "]";
  return std::string(arg) + "[" + std::to_string(i / cols) + "][" + std::to_string(i % cols) + "]";
}

// The checks below first run a branch-free pass that only answers "all good?": bitwise & | on compares, which
// the compiler turns into packed compares (no early exit, no std::string), so a valid argument costs a fraction
// of a cycle per element (issue 12).  Only when it says no does the original element-by-element loop run to name
// the first bad index and its value, so the messages and the order of the checks are unchanged.
//
// GCC's vector extension with 16-byte vectors is what the baseline build of every target has (SSE2 on x86-64,
// NEON on aarch64); -O3 alone leaves the scalar loop scalar (measured: comisd/setae per element).
typedef double Vec2d __attribute__((vector_size(16)));
typedef float Vec4f __attribute__((vector_size(16)));
template <class T> struct Vec16;
template <> struct Vec16<double> { using type = Vec2d; };
template <> struct Vec16<float> { using type = Vec4f; };

template <class T>
bool all_in_range(std::size_t n, const T* v, T lo, T hi, bool zero_ok) {
  using V = typename Vec16<T>::type;
  // The lane masks are combined as 32-bit integer lanes: with 64-bit mask lanes GCC 12 lowers `|` to per-lane
  // selects, which SSE2 (no 64-bit integer compare) scalarises.
  typedef int Bits __attribute__((vector_size(16)));
  constexpr std::size_t W = 16 / sizeof(T);
  const V vlo = V{} + lo, vhi = V{} + hi, vzero = V{};
  const Bits zero_lanes_ok = zero_ok ? ~Bits{} : Bits{};
  Bits good = ~Bits{};
  std::size_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    V a, b;
    std::memcpy(&a, v + i, sizeof a);
    std::memcpy(&b, v + i + W, sizeof b);
    good &= ((Bits)(a >= vlo) & (Bits)(a <= vhi)) | ((Bits)(a == vzero) & zero_lanes_ok);
    good &= ((Bits)(b >= vlo) & (Bits)(b <= vhi)) | ((Bits)(b == vzero) & zero_lanes_ok);
  }
  bool any = false;
  for (int l = 0; l < 4; ++l) any |= good[l] != -1;
  for (; i < n; ++i) {
    const T x = v[i];
    any |= !((x >= lo) & (x <= hi)) & !(zero_ok & (x == T(0)));
  }
  return !any;
}

// Every entry finite (means).  cols > 0 names entries as [row][col].
template <class T>
int check_finite(const char* fn, const char* arg, std::size_t n, const T* v, std::size_t cols = 0) {
  constexpr T kMax = std::numeric_limits<T>::max();
  if (__builtin_expect(all_in_range(n, v, -kMax, kMax, false), 1)) return DG_OK;
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(v[i]))
      return fail(DG_E_NON_FINITE, std::string(fn) + ": " + element_name(arg, i, cols) + " = " + fmt_value(v[i]) +
                                       " is not finite");
  return DG_OK;
}

// The numeric contract for scale parameters (docs/numerics.md): every non-zero variance and standard deviation
// must be a normal floating-point number.  A subnormal one has a reciprocal that overflows (1 / 1e-310 = inf),
// after which 0 * inf = NaN and each implementation's arithmetic order turns the inf into different garbage; and a
// subnormal is flushed to zero when the caller runs with DAZ set.  Variances are also bounded above by
// 1 / (smallest normal) = 2^1022 (2^126 for float) so that their reciprocal, which the log-density kernels
// multiply by, is normal too.  Sampling's stddev may be exactly 0 (Scale::stddev_or_zero: a point mass).
enum class Scale { variance, stddev, stddev_or_zero };

template <class T>
int check_scale(const char* fn, const char* arg, std::size_t n, const T* v, Scale kind, std::size_t cols = 0) {
  constexpr T kMinNormal = std::numeric_limits<T>::min();
  constexpr T kMaxVariance = T(1) / kMinNormal;  // exact: 2^1022 / 2^126
  if (__builtin_expect(all_in_range(n, v, kMinNormal,
                                    kind == Scale::variance ? kMaxVariance : std::numeric_limits<T>::max(),
                                    kind == Scale::stddev_or_zero),
                       1))
    return DG_OK;
  for (std::size_t i = 0; i < n; ++i) {
    const T x = v[i];
    const bool zero_ok = kind == Scale::stddev_or_zero;
    if (!std::isfinite(x) || (zero_ok ? x < T(0) : x <= T(0)))
      return fail(DG_E_INVALID_ARGUMENT, std::string(fn) + ": " + element_name(arg, i, cols) + " = " + fmt_value(x) +
                                             " must be finite and " + (zero_ok ? ">= 0" : "> 0"));
    if (x != T(0) && x < kMinNormal)
      return fail(DG_E_INVALID_ARGUMENT,
                  std::string(fn) + ": " + element_name(arg, i, cols) + " = " + fmt_value(x) +
                      " is subnormal (below " + fmt_value(kMinNormal) + "): its reciprocal overflows; " +
                      (kind == Scale::variance ? "variances" : "standard deviations") + " must be normal numbers");
    if (kind == Scale::variance && x > kMaxVariance)
      return fail(DG_E_INVALID_ARGUMENT, std::string(fn) + ": " + element_name(arg, i, cols) + " = " + fmt_value(x) +
                                             " is too large: its reciprocal is subnormal; variances must lie in [" +
                                             fmt_value(kMinNormal) + ", " + fmt_value(kMaxVariance) + "]");
  }
  return DG_OK;
}

// Mixture weights — the one rule of the library and of `diaggauss mc`'s model files (dg_normalize_weights_*):
// every weight finite and >= 0, their sum positive and finite; they are then used divided by that sum, as scipy
// and scikit-learn do (weights rounded to float32, or unnormalised counts, are accepted).  `sum` receives the sum.
template <class T>
int check_weights(const char* fn, std::size_t k, const T* w, long double& sum) {
  if (k == 0) return fail(DG_E_BAD_WEIGHTS, std::string(fn) + ": ncomp must be at least 1");
  sum = 0;
  for (std::size_t i = 0; i < k; ++i) {
    if (!std::isfinite(w[i]) || w[i] < T(0))
      return fail(DG_E_BAD_WEIGHTS, std::string(fn) + ": weights[" + std::to_string(i) + "] = " + fmt_value(w[i]) +
                                        " must be finite and >= 0");
    sum += w[i];
  }
  if (!(sum > 0) || !std::isfinite(static_cast<double>(sum)))
    return fail(DG_E_BAD_WEIGHTS, std::string(fn) + ": weights sum to " + fmt_value(static_cast<double>(sum)) +
                                      ": the sum must be positive and finite (they are divided by it)");
  return DG_OK;
}

}  // namespace diaggauss::detail
