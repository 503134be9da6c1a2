// C API: the leading-dimension variants (dg_*_ld_*) for sub-matrix views and column-major matrices.  Rather than a
// second set of kernels, rows pass through an L1-sized row-major buffer and the contiguous entry points do the work:
// one extra pass over the data, the same kernels (so whiten and the samplers give the same bits as on a row-major
// copy), and every argument check of the contiguous function.  Its error messages are relabelled with the ld
// function's name.
#include <algorithm>
#include <cstdint>
#include <new>
#include <string>
#include <vector>

#include "src/errors.hpp"
#include "src/guard.hpp"
#include "src/stream_range.hpp"

namespace diaggauss::detail {
namespace {

// Where a points matrix's element (p, j) lives: p * row + j * col, from the layout and the leading dimension.
struct Strides {
  std::size_t row, col;
};

// Checks the layout and ld for an npoints x dim matrix named `arg` (ld named `ldname`); fills the strides.
int strides_of(const char* fn, int layout, std::size_t npoints, std::size_t dim, const char* ldname, std::size_t ld,
               Strides& s) {
  if (layout == DG_ROW_MAJOR) {
    if (ld < dim && npoints > 1)
      return fail(DG_E_INVALID_ARGUMENT, std::string(fn) + ": " + ldname + " = " + std::to_string(ld) +
                                             " is less than dim = " + std::to_string(dim) + " (DG_ROW_MAJOR)");
    s = {ld, 1};
  } else if (layout == DG_COL_MAJOR) {
    if (ld < npoints && dim > 1)
      return fail(DG_E_INVALID_ARGUMENT, std::string(fn) + ": " + ldname + " = " + std::to_string(ld) +
                                             " is less than npoints = " + std::to_string(npoints) + " (DG_COL_MAJOR)");
    s = {1, ld};
  } else {
    return fail(DG_E_INVALID_ARGUMENT, std::string(fn) + ": layout = " + std::to_string(layout) +
                                           " is neither DG_ROW_MAJOR (101) nor DG_COL_MAJOR (102)");
  }
  return DG_OK;
}

// The last element's offset + 1 must not overflow size_t (the caller's matrix is that big).
int check_extent(const char* fn, const char* arg, std::size_t npoints, std::size_t dim, const Strides& s) {
  if (npoints == 0 || dim == 0) return DG_OK;
  std::size_t a, b;
  if (__builtin_mul_overflow(npoints - 1, s.row, &a) || __builtin_mul_overflow(dim - 1, s.col, &b) ||
      __builtin_add_overflow(a, b, &a))
    return fail(DG_E_SIZE_OVERFLOW, std::string(fn) + ": " + arg + " spans more than SIZE_MAX elements");
  return DG_OK;
}

// Re-records the contiguous function's error under the ld function's name.
int relabel(int status, const char* inner, const char* fn) {
  std::string msg = dg_last_error();
  const std::string from(inner);
  if (msg.compare(0, from.size(), from) == 0) msg = fn + msg.substr(from.size());
  return fail(status, msg);
}

// Rows per buffer pass: about 32 KiB of T, at least one row.
template <class T>
std::size_t block_rows(std::size_t dim) {
  return std::max<std::size_t>(1, (32768 / sizeof(T)) / std::max<std::size_t>(dim, 1));
}

// The loops walk the strided matrix along its contiguous direction (rows for row-major, columns for column-major).
template <class T>
void gather(const T* M, const Strides& s, std::size_t p0, std::size_t rows, std::size_t dim, T* buf) {
  if (s.col == 1) {
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t j = 0; j < dim; ++j) buf[r * dim + j] = M[(p0 + r) * s.row + j];
  } else {
    for (std::size_t j = 0; j < dim; ++j)
      for (std::size_t r = 0; r < rows; ++r) buf[r * dim + j] = M[(p0 + r) + j * s.col];
  }
}

template <class T>
void scatter(const T* buf, std::size_t p0, std::size_t rows, std::size_t dim, const Strides& s, T* M) {
  if (s.col == 1) {
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t j = 0; j < dim; ++j) M[(p0 + r) * s.row + j] = buf[r * dim + j];
  } else {
    for (std::size_t j = 0; j < dim; ++j)
      for (std::size_t r = 0; r < rows; ++r) M[(p0 + r) + j * s.col] = buf[r * dim + j];
  }
}

// A matrix the contiguous function takes as it is: row-major with ld == dim (or a single row / column).
bool contiguous(const Strides& s, std::size_t npoints, std::size_t dim) {
  return (s.col == 1 && (s.row == dim || npoints <= 1)) || (dim <= 1 && (s.row == 1 || npoints <= 1));
}

template <class T>
bool allocate(std::vector<T>& v, std::size_t n) {
  try {
    v.resize(n);
    return true;
  } catch (const std::bad_alloc&) {
    return false;
  }
}

int no_memory(const char* fn) { return fail(DG_E_NOMEM, std::string(fn) + ": out of memory for the row buffer"); }

// Runs `kernel(p0, rows, in_buf, out_buf)` over row blocks: gathers X (when given) into in_buf and scatters out_buf
// into Z (when given).  The first block (or an empty call) validates every argument before anything is written.
template <class T, class Kernel>
int blocks(const char* fn, const char* inner, std::size_t npoints, std::size_t dim, const T* X, const Strides& sx,
           T* Z, const Strides& sz, Kernel kernel) {
  if ((!X || contiguous(sx, npoints, dim)) && (!Z || contiguous(sz, npoints, dim))) {  // nothing to rearrange
    if (int st = kernel(0, npoints, X, Z)) return relabel(st, inner, fn);
    return DG_OK;
  }
  const std::size_t rows = std::min(block_rows<T>(dim), std::max<std::size_t>(npoints, 1));
  std::vector<T> in, out;
  if ((X && !allocate(in, rows * dim)) || (Z && !allocate(out, rows * dim))) return no_memory(fn);
  if (npoints == 0) {
    if (int st = kernel(0, 0, in.data(), out.data())) return relabel(st, inner, fn);
    return DG_OK;
  }
  for (std::size_t p0 = 0; p0 < npoints; p0 += rows) {
    const std::size_t r = std::min(rows, npoints - p0);
    if (X) gather(X, sx, p0, r, dim, in.data());
    if (int st = kernel(p0, r, in.data(), out.data())) return relabel(st, inner, fn);
    if (Z) scatter(out.data(), p0, r, dim, sz, Z);
  }
  return DG_OK;
}

template <class T> struct C;
template <> struct C<double> {
  static constexpr auto whiten = dg_whiten_f64;
  static constexpr auto diag_logpdf = dg_diag_logpdf_f64;
  static constexpr auto gmm_logpdf = dg_gmm_logpdf_f64;
  static constexpr auto sample_diag = dg_sample_diag_f64;
  static constexpr auto sample_gmm = dg_sample_gmm_f64;
  static constexpr const char* sfx = "_f64";
};
template <> struct C<float> {
  static constexpr auto whiten = dg_whiten_f32;
  static constexpr auto diag_logpdf = dg_diag_logpdf_f32;
  static constexpr auto gmm_logpdf = dg_gmm_logpdf_f32;
  static constexpr auto sample_diag = dg_sample_diag_f32;
  static constexpr auto sample_gmm = dg_sample_gmm_f32;
  static constexpr const char* sfx = "_f32";
};

std::string inner_name(const char* base, const char* sfx) { return std::string("dg_") + base + sfx; }

template <class T>
int whiten_ld(const char* fn, int layout, std::size_t np, std::size_t dim, const T* X, std::size_t ldx,
              const T* mean, const T* sd, T* Z, std::size_t ldz) {
  int st;
  Strides sx, sz;
  if ((st = strides_of(fn, layout, np, dim, "ldx", ldx, sx)) || (st = strides_of(fn, layout, np, dim, "ldz", ldz, sz)) ||
      (st = check_extent(fn, "X", np, dim, sx)) || (st = check_extent(fn, "Z", np, dim, sz)) ||
      (st = check_ptr(fn, "X", X, np * dim)) || (st = check_ptr(fn, "Z", Z, np * dim)))
    return st;
  const std::string inner = inner_name("whiten", C<T>::sfx);
  return blocks<T>(fn, inner.c_str(), np, dim, X, sx, Z, sz, [&](std::size_t, std::size_t r, const T* in, T* out) {
    return C<T>::whiten(r, dim, in, mean, sd, out);
  });
}

template <class T>
int diag_logpdf_ld(const char* fn, int layout, std::size_t np, std::size_t dim, const T* X, std::size_t ldx,
                   const T* mean, const T* var, T* out) {
  int st;
  Strides sx;
  if ((st = strides_of(fn, layout, np, dim, "ldx", ldx, sx)) || (st = check_extent(fn, "X", np, dim, sx)) ||
      (st = check_ptr(fn, "X", X, np * dim)) || (st = check_ptr(fn, "out", out, np)))
    return st;
  const std::string inner = inner_name("diag_logpdf", C<T>::sfx);
  return blocks<T>(fn, inner.c_str(), np, dim, X, sx, nullptr, sx, [&](std::size_t p0, std::size_t r, const T* in, T*) {
    return C<T>::diag_logpdf(r, dim, in, mean, var, out ? out + p0 : out);
  });
}

template <class T>
int gmm_logpdf_ld(const char* fn, int layout, std::size_t np, std::size_t dim, std::size_t k, const T* X,
                  std::size_t ldx, const T* w, const T* means, const T* vars, T* out, T* comp) {
  int st;
  Strides sx;
  if ((st = strides_of(fn, layout, np, dim, "ldx", ldx, sx)) || (st = check_extent(fn, "X", np, dim, sx)) ||
      (st = check_ptr(fn, "X", X, np * dim)) || (st = check_ptr(fn, "out", out, np)))
    return st;
  const std::string inner = inner_name("gmm_logpdf", C<T>::sfx);
  return blocks<T>(fn, inner.c_str(), np, dim, X, sx, nullptr, sx, [&](std::size_t p0, std::size_t r, const T* in, T*) {
    return C<T>::gmm_logpdf(r, dim, k, in, w, means, vars, out ? out + p0 : out, comp ? comp + p0 * k : comp);
  });
}

template <class T>
int sample_diag_ld(const char* fn, int layout, std::uint64_t seed, std::uint64_t stream, std::uint64_t offset,
                   std::size_t np, std::size_t dim, const T* mean, const T* sd, T* out, std::size_t ldo) {
  int st;
  std::size_t total;
  Strides so;
  if ((st = check_mul(fn, "npoints", np, "dim", dim, total)) ||
      (st = strides_of(fn, layout, np, dim, "ldo", ldo, so)) || (st = check_extent(fn, "out", np, dim, so)) ||
      (st = check_ptr(fn, "out", out, total)) || (st = check_diag_offset(fn, offset, total)))
    return st;  // the whole call's range: a later block refused would leave the first ones written
  const std::string inner = inner_name("sample_diag", C<T>::sfx);
  // Point p's values are the normals offset + p*dim + j, whatever the block: the same bits as one contiguous call.
  return blocks<T>(fn, inner.c_str(), np, dim, nullptr, so, out, so, [&](std::size_t p0, std::size_t r, const T*, T* buf) {
    return C<T>::sample_diag(seed, stream, offset + static_cast<std::uint64_t>(p0) * dim, r, dim, mean, sd, buf);
  });
}

template <class T>
int sample_gmm_ld(const char* fn, int layout, std::uint64_t seed, std::uint64_t stream, std::uint64_t offset,
                  std::size_t np, std::size_t dim, std::size_t k, const T* w, const T* means, const T* sds, T* out,
                  std::size_t ldo, std::uint32_t* labels) {
  int st;
  std::size_t total;
  Strides so;
  if ((st = check_mul(fn, "npoints", np, "dim", dim, total)) ||
      (st = strides_of(fn, layout, np, dim, "ldo", ldo, so)) || (st = check_extent(fn, "out", np, dim, so)) ||
      (st = check_ptr(fn, "out", out, total)) || (st = check_gmm_offset(fn, offset, np, dim)))
    return st;  // the whole call's range: a later block refused would leave the first ones written
  const std::string inner = inner_name("sample_gmm", C<T>::sfx);
  // Here offset counts points (as in dg_sample_gmm_*): block p0 starts at point offset + p0.
  return blocks<T>(fn, inner.c_str(), np, dim, nullptr, so, out, so, [&](std::size_t p0, std::size_t r, const T*, T* buf) {
    return C<T>::sample_gmm(seed, stream, offset + p0, r, dim, k, w, means, sds, buf, labels ? labels + p0 : labels);
  });
}

}  // namespace
}  // namespace diaggauss::detail

using namespace diaggauss::detail;

extern "C" {

int dg_whiten_ld_f64(int layout, size_t np, size_t dim, const double* X, size_t ldx, const double* mean,
                     const double* sd, double* Z, size_t ldz) {
  return guarded(__func__, [&](const char* fn) { return whiten_ld(fn, layout, np, dim, X, ldx, mean, sd, Z, ldz); });
}
int dg_whiten_ld_f32(int layout, size_t np, size_t dim, const float* X, size_t ldx, const float* mean,
                     const float* sd, float* Z, size_t ldz) {
  return guarded(__func__, [&](const char* fn) { return whiten_ld(fn, layout, np, dim, X, ldx, mean, sd, Z, ldz); });
}
int dg_diag_logpdf_ld_f64(int layout, size_t np, size_t dim, const double* X, size_t ldx, const double* mean,
                          const double* var, double* out) {
  return guarded(__func__, [&](const char* fn) { return diag_logpdf_ld(fn, layout, np, dim, X, ldx, mean, var, out); });
}
int dg_diag_logpdf_ld_f32(int layout, size_t np, size_t dim, const float* X, size_t ldx, const float* mean,
                          const float* var, float* out) {
  return guarded(__func__, [&](const char* fn) { return diag_logpdf_ld(fn, layout, np, dim, X, ldx, mean, var, out); });
}
int dg_gmm_logpdf_ld_f64(int layout, size_t np, size_t dim, size_t k, const double* X, size_t ldx, const double* w,
                         const double* means, const double* vars, double* out, double* comp) {
  return guarded(__func__, [&](const char* fn) { return gmm_logpdf_ld(fn, layout, np, dim, k, X, ldx, w, means, vars, out, comp); });
}
int dg_gmm_logpdf_ld_f32(int layout, size_t np, size_t dim, size_t k, const float* X, size_t ldx, const float* w,
                         const float* means, const float* vars, float* out, float* comp) {
  return guarded(__func__, [&](const char* fn) { return gmm_logpdf_ld(fn, layout, np, dim, k, X, ldx, w, means, vars, out, comp); });
}
int dg_sample_diag_ld_f64(int layout, uint64_t seed, uint64_t stream, uint64_t offset, size_t np, size_t dim,
                          const double* mean, const double* sd, double* out, size_t ldo) {
  return guarded(__func__, [&](const char* fn) { return sample_diag_ld(fn, layout, seed, stream, offset, np, dim, mean, sd, out, ldo); });
}
int dg_sample_diag_ld_f32(int layout, uint64_t seed, uint64_t stream, uint64_t offset, size_t np, size_t dim,
                          const float* mean, const float* sd, float* out, size_t ldo) {
  return guarded(__func__, [&](const char* fn) { return sample_diag_ld(fn, layout, seed, stream, offset, np, dim, mean, sd, out, ldo); });
}
int dg_sample_gmm_ld_f64(int layout, uint64_t seed, uint64_t stream, uint64_t offset, size_t np, size_t dim,
                         size_t k, const double* w, const double* means, const double* sds, double* out, size_t ldo,
                         uint32_t* labels) {
  return guarded(__func__, [&](const char* fn) { return sample_gmm_ld(fn, layout, seed, stream, offset, np, dim, k, w, means, sds, out, ldo, labels); });
}
int dg_sample_gmm_ld_f32(int layout, uint64_t seed, uint64_t stream, uint64_t offset, size_t np, size_t dim,
                         size_t k, const float* w, const float* means, const float* sds, float* out, size_t ldo,
                         uint32_t* labels) {
  return guarded(__func__, [&](const char* fn) { return sample_gmm_ld(fn, layout, seed, stream, offset, np, dim, k, w, means, sds, out, ldo, labels); });
}

}  // extern "C"
