// Input validation shared by the C API entry points.  Every check runs before any output is written.
#pragma once
#include <cmath>
#include <cstdio>
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

// Every entry finite (means).  cols > 0 names entries as [row][col].
template <class T>
int check_finite(const char* fn, const char* arg, std::size_t n, const T* v, std::size_t cols = 0) {
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(v[i]))
      return fail(DG_E_NON_FINITE, std::string(fn) + ": " + element_name(arg, i, cols) + " = " + fmt_value(v[i]) +
                                       " is not finite");
  return DG_OK;
}

// Every entry finite and > 0 (variances, standard deviations); allow_zero for sampling's stddev >= 0.
template <class T>
int check_positive(const char* fn, const char* arg, std::size_t n, const T* v, bool allow_zero = false,
                   std::size_t cols = 0) {
  for (std::size_t i = 0; i < n; ++i) {
    const bool ok = std::isfinite(v[i]) && (allow_zero ? v[i] >= T(0) : v[i] > T(0));
    if (!ok)
      return fail(DG_E_INVALID_ARGUMENT, std::string(fn) + ": " + element_name(arg, i, cols) + " = " +
                                             fmt_value(v[i]) + " must be finite and " +
                                             (allow_zero ? ">= 0" : "> 0"));
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
