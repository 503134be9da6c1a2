// C API of the log-densities (diag_logpdf, gmm_logpdf, gmm_responsibilities) and of the mixture weights rule
// (normalize_weights): validate once, form the per-call constants (normalising constants, log-weights, reciprocal
// variances), then one indirect call into the active kernel table.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "src/dispatch_access.hpp"
#include "src/guard.hpp"
#include "src/validate.hpp"

namespace diaggauss::detail {
namespace {

constexpr double kLog2Pi = 1.8378770664093454836;
constexpr double kLn2 = 0.69314718055994530942;

// -0.5 * (dim * log(2 pi) + sum_j log var[j]) in double, with ONE logarithm per call instead of dim (issue 12:
// dim calls of std::log cost more than a small diag_logpdf call's kernel).  sum_j log var[j] = log(prod_j m_j) +
// ln 2 * sum_j e_j, where var[j] = m_j * 2^e_j with m_j in [1, 2): the exponents add exactly, and the mantissa
// product, renormalised every 16 factors so it never overflows, carries a relative error of about dim ulp, so the
// sum's absolute error is of the order of dim * 1e-16, like summing dim rounded logarithms.  check_scale has
// already refused zero, subnormal, negative and non-finite variances, so every var[j] is a normal number (a float
// one stays normal as a double).  Four partial products keep the multiplies independent.  (p[0] takes at most 6
// factors per round: 3 in the last, partial group of fours and 3 in the tail.)
inline void split_normal(double v, double& mantissa, std::int64_t& exponent) {
  std::uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  exponent += static_cast<std::int64_t>((bits >> 52) & 0x7ff) - 1023;
  bits = (bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
  std::memcpy(&mantissa, &bits, sizeof bits);
}

template <class T>
T log_norm_of(std::size_t dim, const T* var) {
  std::int64_t e = 0;
  double p[4] = {1.0, 1.0, 1.0, 1.0};
  std::size_t j = 0;
  while (j < dim) {
    const std::size_t stop = dim - j < 16 ? dim : j + 16;  // 4 factors < 2 per lane: products stay below 16
    // A float variance lies in [2^-126, 2^126]: up to 6 of them multiply in double without leaving the normal
    // range, so they need no splitting of their own; a double one may reach 2^1022 and is split first.
    const auto factor = [&e](T v) {
      if constexpr (sizeof(T) < sizeof(double)) return static_cast<double>(v);
      double m;
      split_normal(static_cast<double>(v), m, e);
      return m;
    };
    for (; j + 4 <= stop; j += 4)
      for (int l = 0; l < 4; ++l) p[l] *= factor(var[j + l]);
    for (; j < stop; ++j) p[0] *= factor(var[j]);
    for (double& q : p) split_normal(q, q, e);  // back to [1, 2): the exponent moves into e exactly
  }
  const double log_var_sum = std::log((p[0] * p[1]) * (p[2] * p[3])) + kLn2 * static_cast<double>(e);
  return static_cast<T>(-0.5 * (static_cast<double>(dim) * kLog2Pi + log_var_sum));
}

// Per-call scratch: on the stack for the usual small sizes, so that small calls do not pay for an allocation.
template <class T, std::size_t N = 1024>
class Scratch {
 public:
  explicit Scratch(std::size_t n) : heap_(n > N ? n : 0), p_(n > N ? heap_.data() : stack_) {}
  T* data() { return p_; }
  T& operator[](std::size_t i) { return p_[i]; }

 private:
  T stack_[N];
  std::vector<T> heap_;
  T* p_;
};

template <class T>
int diag_logpdf(const char* fn, std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* var, T* out) {
  int st;
  std::size_t total;
  if ((st = check_mul(fn, "npoints", npoints, "dim", dim, total))) return st;
  if ((st = check_ptr(fn, "X", X, total)) || (st = check_ptr(fn, "out", out, npoints)) ||
      (st = check_ptr(fn, "mean", mean, dim)) || (st = check_ptr(fn, "var", var, dim)))
    return st;
  if ((st = check_finite(fn, "mean", dim, mean)) || (st = check_scale(fn, "var", dim, var, Scale::variance))) return st;
  const Choice* a = choice_or_fail(Operation::diag_logpdf, {npoints, dim, 1, sizeof(T)}, fn, st);
  if (!a) return st;
  if (npoints == 0) return DG_OK;
  const SolveKernels<T>& k = solve_of<T>(*a->table);
  Scratch<T> inv_var(dim);
  k.reciprocal(dim, var, inv_var.data());  // the same IEEE division as a loop, on the active ISA's vector width
  logpdf_of<T>(*a->table).diag_logpdf(npoints, dim, X, mean, inv_var.data(), log_norm_of(dim, var), out, a->blocking);
  return DG_OK;
}

template <class T>
int gmm_logpdf(const char* fn, std::size_t npoints, std::size_t dim, std::size_t ncomp, const T* X, const T* weights,
               const T* means, const T* vars, T* out, T* resp) {
  int st;
  std::size_t total, kd, resp_total;
  long double weight_sum;
  if ((st = check_mul(fn, "npoints", npoints, "dim", dim, total)) ||
      (st = check_mul(fn, "ncomp", ncomp, "dim", dim, kd)) ||
      (st = check_mul(fn, "npoints", npoints, "ncomp", ncomp, resp_total)))
    return st;
  if ((st = check_ptr(fn, "X", X, total)) || (st = check_ptr(fn, "out", out, npoints)) ||
      (st = check_ptr(fn, "weights", weights, ncomp)) || (st = check_ptr(fn, "means", means, kd)) ||
      (st = check_ptr(fn, "vars", vars, kd)))
    return st;
  if ((st = check_weights(fn, ncomp, weights, weight_sum)) || (st = check_finite(fn, "means", kd, means, dim)) ||
      (st = check_scale(fn, "vars", kd, vars, Scale::variance, dim)))
    return st;
  const Choice* a = choice_or_fail(Operation::gmm_logpdf, {npoints, dim, ncomp, sizeof(T)}, fn, st);
  if (!a) return st;
  if (npoints == 0) return DG_OK;
  Scratch<T> inv_vars(kd);
  Scratch<T, 256> log_norm(ncomp), log_weight(ncomp);
  const SolveKernels<T>& kern = solve_of<T>(*a->table);
  kern.reciprocal(kd, vars, inv_vars.data());  // the same IEEE division as a loop, on the active ISA's vector width
  for (std::size_t k = 0; k < ncomp; ++k) {
    log_norm[k] = log_norm_of(dim, vars + k * dim);
    // Normalised weights (validate.hpp); log(0) = -inf: a zero-weight component never contributes.
    log_weight[k] = static_cast<T>(std::log(static_cast<long double>(weights[k]) / weight_sum));
  }
  logpdf_of<T>(*a->table).gmm_logpdf(npoints, dim, ncomp, X, log_norm.data(), log_weight.data(), means,
                  inv_vars.data(), out, resp, a->blocking);
  return DG_OK;
}

// Responsibilities as scikit-learn's predict_proba means them: resp[p][k] = w_k N_k(X[p]) / sum_j w_j N_j(X[p]),
// a softmax of log w_k + log N_k computed with the row maximum subtracted (no overflow, rows sum to 1).
template <class T>
int gmm_responsibilities(const char* fn, std::size_t npoints, std::size_t dim, std::size_t ncomp, const T* X,
                         const T* weights, const T* means, const T* vars, T* out, T* resp) {
  int st;
  std::size_t resp_total;
  long double weight_sum;
  if ((st = check_mul(fn, "npoints", npoints, "ncomp", ncomp, resp_total)) ||
      (st = check_ptr(fn, "resp", resp, resp_total)) || (st = check_ptr(fn, "weights", weights, ncomp)) ||
      (st = check_weights(fn, ncomp, weights, weight_sum)))
    return st;
  Scratch<T> own_out(out ? 0 : npoints);
  T* mix = out ? out : own_out.data();
  if ((st = gmm_logpdf(fn, npoints, dim, ncomp, X, weights, means, vars, mix, resp))) return st;
  Scratch<T, 256> log_weight(ncomp);
  for (std::size_t k = 0; k < ncomp; ++k)
    log_weight[k] = static_cast<T>(std::log(static_cast<long double>(weights[k]) / weight_sum));
  for (std::size_t p = 0; p < npoints; ++p) {
    T* r = resp + p * ncomp;
    T top = -INFINITY;
    for (std::size_t k = 0; k < ncomp; ++k) top = std::fmax(top, r[k] += log_weight[k]);
    T total = 0;
    for (std::size_t k = 0; k < ncomp; ++k) total += (r[k] = std::exp(r[k] - top));
    for (std::size_t k = 0; k < ncomp; ++k) r[k] /= total;
  }
  return DG_OK;
}

// out[k] = weights[k] / sum(weights), under the rule of check_weights (validate.hpp).
template <class T>
int normalize_weights(const char* fn, std::size_t ncomp, const T* weights, T* out) {
  int st;
  long double sum;
  if ((st = check_ptr(fn, "weights", weights, ncomp)) || (st = check_ptr(fn, "out", out, ncomp)) ||
      (st = check_weights(fn, ncomp, weights, sum)))
    return st;
  for (std::size_t k = 0; k < ncomp; ++k) out[k] = static_cast<T>(weights[k] / sum);
  return DG_OK;
}

}  // namespace
}  // namespace diaggauss::detail

using namespace diaggauss::detail;

extern "C" {

int dg_diag_logpdf_f64(size_t np, size_t dim, const double* X, const double* mean, const double* var, double* out) {
  return guarded(__func__, [&](const char* fn) { return diag_logpdf(fn, np, dim, X, mean, var, out); });
}
int dg_diag_logpdf_f32(size_t np, size_t dim, const float* X, const float* mean, const float* var, float* out) {
  return guarded(__func__, [&](const char* fn) { return diag_logpdf(fn, np, dim, X, mean, var, out); });
}
int dg_gmm_logpdf_f64(size_t np, size_t dim, size_t nc, const double* X, const double* w, const double* means,
                      const double* vars, double* out, double* resp) {
  return guarded(__func__, [&](const char* fn) { return gmm_logpdf(fn, np, dim, nc, X, w, means, vars, out, resp); });
}
int dg_gmm_logpdf_f32(size_t np, size_t dim, size_t nc, const float* X, const float* w, const float* means,
                      const float* vars, float* out, float* resp) {
  return guarded(__func__, [&](const char* fn) { return gmm_logpdf(fn, np, dim, nc, X, w, means, vars, out, resp); });
}

int dg_gmm_responsibilities_f64(size_t np, size_t dim, size_t nc, const double* X, const double* w,
                                const double* means, const double* vars, double* out, double* resp) {
  return guarded(__func__, [&](const char* fn) { return gmm_responsibilities(fn, np, dim, nc, X, w, means, vars, out, resp); });
}
int dg_gmm_responsibilities_f32(size_t np, size_t dim, size_t nc, const float* X, const float* w, const float* means,
                                const float* vars, float* out, float* resp) {
  return guarded(__func__, [&](const char* fn) { return gmm_responsibilities(fn, np, dim, nc, X, w, means, vars, out, resp); });
}
int dg_normalize_weights_f64(size_t nc, const double* w, double* out) {
  return guarded(__func__, [&](const char* fn) { return normalize_weights(fn, nc, w, out); });
}
int dg_normalize_weights_f32(size_t nc, const float* w, float* out) {
  return guarded(__func__, [&](const char* fn) { return normalize_weights(fn, nc, w, out); });
}

}  // extern "C"
