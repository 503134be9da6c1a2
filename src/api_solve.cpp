// C API of the diagonal-solve family (solve_diag, reciprocal, solve_diag_inv, solve_diag_multi, whiten): validate
// once, then one indirect call into the active kernel table.  The log-densities are in api_logpdf.cpp.
#include <string>

#include "src/dispatch_access.hpp"
#include "src/guard.hpp"
#include "src/validate.hpp"

namespace diaggauss::detail {
namespace {


template <class T>
int check_diag(const char* fn, const SolveKernels<T>& k, std::size_t n, const T* d, std::size_t* bad_index) {
  const std::size_t i = k.find_bad_diag(n, d);
  if (i == n) return DG_OK;
  if (bad_index) *bad_index = i;
  if (d[i] == T(0))
    return fail(DG_E_SINGULAR, std::string(fn) + ": d[" + std::to_string(i) + "] is zero: the matrix is singular");
  return fail(DG_E_NON_FINITE, std::string(fn) + ": d[" + std::to_string(i) + "] = " + fmt_value(d[i]) +
                                   " is not finite");
}

template <class T>
int solve_diag(const char* fn, std::size_t n, const T* d, const T* b, T* x, std::size_t* bad_index) {
  int st;
  if ((st = check_ptr(fn, "d", d, n)) || (st = check_ptr(fn, "b", b, n)) || (st = check_ptr(fn, "x", x, n))) return st;
  const Choice* a = choice_or_fail(Operation::solve_diag, {n, 1, 1, sizeof(T)}, fn, st);
  if (!a) return st;
  const SolveKernels<T>& k = solve_of<T>(*a->table);
  if ((st = check_diag(fn, k, n, d, bad_index))) return st;
  k.solve_diag(n, d, b, x);
  return DG_OK;
}

template <class T>
int reciprocal(const char* fn, std::size_t n, const T* d, T* inv, std::size_t* bad_index) {
  int st;
  if ((st = check_ptr(fn, "d", d, n)) || (st = check_ptr(fn, "inv", inv, n))) return st;
  const Choice* a = choice_or_fail(Operation::reciprocal, {n, 1, 1, sizeof(T)}, fn, st);
  if (!a) return st;
  const SolveKernels<T>& k = solve_of<T>(*a->table);
  if ((st = check_diag(fn, k, n, d, bad_index))) return st;
  k.reciprocal(n, d, inv);
  return DG_OK;
}

template <class T>
int solve_diag_inv(const char* fn, std::size_t n, const T* inv, const T* b, T* x) {
  int st;
  if ((st = check_ptr(fn, "inv", inv, n)) || (st = check_ptr(fn, "b", b, n)) || (st = check_ptr(fn, "x", x, n)))
    return st;
  const Choice* a = choice_or_fail(Operation::solve_diag_inv, {n, 1, 1, sizeof(T)}, fn, st);
  if (!a) return st;
  solve_of<T>(*a->table).solve_diag_inv(n, inv, b, x);
  return DG_OK;
}

template <class T>
int solve_diag_multi(const char* fn, std::size_t n, std::size_t nrhs, const T* d, const T* B, std::size_t ldb, T* X,
                     std::size_t ldx, std::size_t* bad_index) {
  int st;
  std::size_t total, span;
  if ((st = check_mul(fn, "n", n, "nrhs", nrhs, total))) return st;
  if (n > 0 && nrhs > 0) {
    if (ldb < nrhs)
      return fail(DG_E_INVALID_ARGUMENT, std::string(fn) + ": ldb = " + std::to_string(ldb) + " is less than nrhs = " +
                                             std::to_string(nrhs));
    if (ldx < nrhs)
      return fail(DG_E_INVALID_ARGUMENT, std::string(fn) + ": ldx = " + std::to_string(ldx) + " is less than nrhs = " +
                                             std::to_string(nrhs));
    if ((st = check_mul(fn, "n", n, "ldb", ldb, span)) || (st = check_mul(fn, "n", n, "ldx", ldx, span))) return st;
  }
  if ((st = check_ptr(fn, "d", d, n)) || (st = check_ptr(fn, "B", B, total)) || (st = check_ptr(fn, "X", X, total)))
    return st;
  const Choice* a = choice_or_fail(Operation::solve_diag_multi, {n, nrhs, 1, sizeof(T)}, fn, st);
  if (!a) return st;
  const SolveKernels<T>& k = solve_of<T>(*a->table);
  if ((st = check_diag(fn, k, n, d, bad_index))) return st;
  if (total) k.solve_diag_multi(n, nrhs, d, B, ldb, X, ldx);
  return DG_OK;
}

template <class T>
int whiten(const char* fn, std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* stddev, T* Z) {
  int st;
  std::size_t total;
  if ((st = check_mul(fn, "npoints", npoints, "dim", dim, total))) return st;
  if ((st = check_ptr(fn, "X", X, total)) || (st = check_ptr(fn, "Z", Z, total)) ||
      (st = check_ptr(fn, "mean", mean, dim)) || (st = check_ptr(fn, "stddev", stddev, dim)))
    return st;
  if ((st = check_finite(fn, "mean", dim, mean)) || (st = check_scale(fn, "stddev", dim, stddev, Scale::stddev))) return st;
  const Choice* a = choice_or_fail(Operation::whiten, {npoints, dim, 1, sizeof(T)}, fn, st);
  if (!a) return st;
  if (total) solve_of<T>(*a->table).whiten(npoints, dim, X, mean, stddev, Z);
  return DG_OK;
}

}  // namespace
}  // namespace diaggauss::detail

using namespace diaggauss::detail;

extern "C" {

int dg_solve_diag_f64(size_t n, const double* d, const double* b, double* x, size_t* bad) {
  return guarded(__func__, [&](const char* fn) { return solve_diag(fn, n, d, b, x, bad); });
}
int dg_solve_diag_f32(size_t n, const float* d, const float* b, float* x, size_t* bad) {
  return guarded(__func__, [&](const char* fn) { return solve_diag(fn, n, d, b, x, bad); });
}
int dg_reciprocal_f64(size_t n, const double* d, double* inv, size_t* bad) {
  return guarded(__func__, [&](const char* fn) { return reciprocal(fn, n, d, inv, bad); });
}
int dg_reciprocal_f32(size_t n, const float* d, float* inv, size_t* bad) {
  return guarded(__func__, [&](const char* fn) { return reciprocal(fn, n, d, inv, bad); });
}
int dg_solve_diag_inv_f64(size_t n, const double* inv, const double* b, double* x) {
  return guarded(__func__, [&](const char* fn) { return solve_diag_inv(fn, n, inv, b, x); });
}
int dg_solve_diag_inv_f32(size_t n, const float* inv, const float* b, float* x) {
  return guarded(__func__, [&](const char* fn) { return solve_diag_inv(fn, n, inv, b, x); });
}
int dg_solve_diag_multi_f64(size_t n, size_t nrhs, const double* d, const double* B, size_t ldb, double* X, size_t ldx,
                            size_t* bad) {
  return guarded(__func__, [&](const char* fn) { return solve_diag_multi(fn, n, nrhs, d, B, ldb, X, ldx, bad); });
}
int dg_solve_diag_multi_f32(size_t n, size_t nrhs, const float* d, const float* B, size_t ldb, float* X, size_t ldx,
                            size_t* bad) {
  return guarded(__func__, [&](const char* fn) { return solve_diag_multi(fn, n, nrhs, d, B, ldb, X, ldx, bad); });
}
int dg_whiten_f64(size_t np, size_t dim, const double* X, const double* mean, const double* sd, double* Z) {
  return guarded(__func__, [&](const char* fn) { return whiten(fn, np, dim, X, mean, sd, Z); });
}
int dg_whiten_f32(size_t np, size_t dim, const float* X, const float* mean, const float* sd, float* Z) {
  return guarded(__func__, [&](const char* fn) { return whiten(fn, np, dim, X, mean, sd, Z); });
}

}  // extern "C"
