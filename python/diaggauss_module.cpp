// diaggauss — Python bindings (pybind11) over the C API.  Linked against the static library, so the extension
// module is self-contained (it does not need libdiaggauss.so).
//
// Conventions (see docs/embedding.md):
//  * dtype: float32 when every array argument is a float32 numpy array, float64 otherwise (mixed -> float64).
//  * Inputs that are C-contiguous, aligned, native-endian arrays of that dtype are used in place; anything else
//    (lists, other dtypes, strided views, Fortran order) is converted once into a temporary C-contiguous array.
//    solve_diag_multi also takes row-strided 2-D views (e.g. B[:, :k]) in place: the C API has a row stride.
//  * out=: written in place and returned (the same object); it must already have the result's shape and dtype,
//    be C-contiguous (row-strided for solve_diag_multi), aligned and writeable — it is never silently copied.
//  * The GIL is released while a kernel runs.
//  * Library errors raise diaggauss.Error (a ValueError) with the library's message and .status (a DG_E_* code);
//    solve-family errors also carry .index (the offending d[i]).  Shape mismatches raise diaggauss.Error with
//    status E_INVALID_ARGUMENT; an unusable out= array raises TypeError.
#include <pybind11/eval.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <utility>
#include <string>
#include <vector>

#include "diaggauss/diaggauss.h"

namespace py = pybind11;

namespace {

// ---- errors ----------------------------------------------------------------------------------------------------
PyObject* g_error = nullptr;  // diaggauss.Error (owned by the module's dict)

// A message as a Python str.  It may quote bytes that are not UTF-8 (a file name): surrogateescape keeps them
// (as os.fsdecode does) instead of raising UnicodeDecodeError in place of the real error (issue 15).
py::str message_str(const std::string& message) {
  PyObject* s = PyUnicode_DecodeUTF8(message.data(), static_cast<Py_ssize_t>(message.size()), "surrogateescape");
  if (!s) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(s);
}

[[noreturn]] void raise(int status, const std::string& message, py::object index = py::none()) {
  py::object type = py::reinterpret_borrow<py::object>(g_error);
  py::object exc = type(message_str(message), status, index);
  PyErr_SetObject(g_error, exc.ptr());
  throw py::error_already_set();
}

[[noreturn]] void raise_invalid(const std::string& message) { raise(DG_E_INVALID_ARGUMENT, message); }

// Runs a C API call with the GIL released; raises diaggauss.Error on a non-zero status.
template <class F>
void call(F&& f, const std::size_t* bad_index = nullptr) {
  int status;
  std::string message;
  {
    py::gil_scoped_release nogil;
    status = f();
    if (status != DG_OK) message = dg_last_error();  // per-thread message: read it on this thread
  }
  if (status != DG_OK) {
    if (message.empty()) message = dg_status_string(status);
    raise(status, message, bad_index ? py::object(py::int_(*bad_index)) : py::object(py::none()));
  }
}

// ---- the C API by element type --------------------------------------------------------------------------------
template <class T>
struct api;
template <>
struct api<double> {
  static constexpr auto solve_diag = dg_solve_diag_f64;
  static constexpr auto reciprocal = dg_reciprocal_f64;
  static constexpr auto solve_diag_inv = dg_solve_diag_inv_f64;
  static constexpr auto solve_diag_multi = dg_solve_diag_multi_f64;
  static constexpr auto whiten = dg_whiten_f64;
  static constexpr auto diag_logpdf = dg_diag_logpdf_f64;
  static constexpr auto gmm_logpdf = dg_gmm_logpdf_f64;
  static constexpr auto uniform = dg_uniform_f64;
  static constexpr auto normal = dg_normal_f64;
  static constexpr auto sample_diag = dg_sample_diag_f64;
  static constexpr auto sample_gmm = dg_sample_gmm_f64;
};
template <>
struct api<float> {
  static constexpr auto solve_diag = dg_solve_diag_f32;
  static constexpr auto reciprocal = dg_reciprocal_f32;
  static constexpr auto solve_diag_inv = dg_solve_diag_inv_f32;
  static constexpr auto solve_diag_multi = dg_solve_diag_multi_f32;
  static constexpr auto whiten = dg_whiten_f32;
  static constexpr auto diag_logpdf = dg_diag_logpdf_f32;
  static constexpr auto gmm_logpdf = dg_gmm_logpdf_f32;
  static constexpr auto uniform = dg_uniform_f32;
  static constexpr auto normal = dg_normal_f32;
  static constexpr auto sample_diag = dg_sample_diag_f32;
  static constexpr auto sample_gmm = dg_sample_gmm_f32;
};

template <class T>
const char* type_name() {
  return sizeof(T) == 4 ? "float32" : "float64";
}

// ---- arrays ------------------------------------------------------------------------------------------------------
using Shape = std::vector<py::ssize_t>;

std::string shape_str(const Shape& s) {
  std::string r = "(";
  for (std::size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
  return r + (s.size() == 1 ? ",)" : ")");
}

Shape shape_of(const py::array& a) { return Shape(a.shape(), a.shape() + a.ndim()); }

bool aligned(const py::array& a) { return (a.flags() & py::detail::npy_api::NPY_ARRAY_ALIGNED_) != 0; }

// True when every argument is a float32 numpy array (the result is then float32; float64 otherwise).
bool all_float32(std::initializer_list<py::handle> args) {
  for (py::handle h : args)
    if (!py::array_t<float>::check_(h)) return false;
  return true;
}

// The argument as a C-contiguous, aligned array of T: the object itself when it already is one, otherwise one
// converted copy.
template <class T>
py::array_t<T> input(py::handle h, const char* fn, const char* name) {
  if (h.is_none()) raise_invalid(std::string(fn) + ": " + name + " is None");
  auto a = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(h);
  if (!a) throw py::error_already_set();
  if (!aligned(a)) a = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(a.attr("copy")());
  return py::reinterpret_borrow<py::array_t<T>>(a);
}

void expect_shape(const char* fn, const char* name, const py::array& a, const Shape& want) {
  if (shape_of(a) != want)
    raise_invalid(std::string(fn) + ": " + name + " has shape " + shape_str(shape_of(a)) + ", expected " +
                  shape_str(want));
}

void expect_ndim(const char* fn, const char* name, const py::array& a, int ndim) {
  if (a.ndim() != ndim)
    raise_invalid(std::string(fn) + ": " + name + " must be " + std::to_string(ndim) + "-D, got shape " +
                  shape_str(shape_of(a)));
}

// A 2-D array whose rows are contiguous: (pointer, row stride in elements) usable by the C API as is.
template <class T>
bool row_strided(const py::array& a, std::size_t& ld) {
  if (a.ndim() != 2 || !aligned(a)) return false;
  const py::ssize_t rows = a.shape(0), cols = a.shape(1), s0 = a.strides(0), s1 = a.strides(1);
  const py::ssize_t item = static_cast<py::ssize_t>(sizeof(T));
  if (cols > 1 && s1 != item) return false;
  if (rows <= 1) return ld = static_cast<std::size_t>(cols), true;
  if (s0 < 0 || s0 % item != 0 || s0 / item < cols) return false;
  ld = static_cast<std::size_t>(s0 / item);
  return true;
}

// The output: a new C-contiguous array, or `out` itself after checking that it can be written in place.
template <class T>
py::array_t<T> output(const py::object& out, const Shape& shape, const char* fn) {
  if (out.is_none()) return py::array_t<T>(shape);
  const std::string f(fn);
  if (!py::isinstance<py::array>(out)) throw py::type_error(f + ": out must be a numpy.ndarray");
  if (!py::array_t<T>::check_(out))
    throw py::type_error(f + ": out has dtype " + py::str(out.attr("dtype")).cast<std::string>() +
                         ", the result is " + type_name<T>());
  py::array a = py::reinterpret_borrow<py::array>(out);
  if (shape_of(a) != shape)
    raise_invalid(f + ": out has shape " + shape_str(shape_of(a)) + ", expected " + shape_str(shape));
  if (!a.writeable()) throw py::type_error(f + ": out is read-only");
  if (!py::array_t<T, py::array::c_style>::check_(out) || !aligned(a))
    throw py::type_error(f + ": out must be C-contiguous and aligned (it is written in place, never copied)");
  return py::reinterpret_borrow<py::array_t<T>>(out);
}

std::size_t len(const py::array& a, int axis = 0) { return static_cast<std::size_t>(a.shape(axis)); }

// ---- argument edges (issue 15): integers, names, paths, out= overlapping an input ------------------------------
// Kept together so that they can move as one piece.

// An integer argument (anything with __index__: int, numpy integers) as a value in [0, max]: TypeError naming the
// argument for a non-integer, diaggauss.Error (E_INVALID_ARGUMENT) naming it for a value out of range, instead of
// pybind11's "incompatible function arguments".
std::uint64_t int_arg(py::handle h, const char* fn, const char* name, std::uint64_t max = UINT64_MAX) {
  const std::string where = std::string(fn) + ": " + name;
  PyObject* idx = PyNumber_Index(h.ptr());
  if (!idx) {
    PyErr_Clear();
    throw py::type_error(where + " must be an integer, got " + std::string(Py_TYPE(h.ptr())->tp_name));
  }
  const py::object value = py::reinterpret_steal<py::object>(idx);
  const std::string text = py::str(value).cast<std::string>();
  if (PyObject_RichCompareBool(idx, py::int_(0).ptr(), Py_LT) == 1) raise_invalid(where + " = " + text + " is negative");
  const unsigned long long u = PyLong_AsUnsignedLongLong(idx);
  if (PyErr_Occurred()) {
    PyErr_Clear();
    raise_invalid(where + " = " + text + " does not fit in 64 bits");
  }
  if (u > max) raise_invalid(where + " = " + text + " is larger than " + std::to_string(max));
  return u;
}
std::size_t size_arg(py::handle h, const char* fn, const char* name) {
  return static_cast<std::size_t>(int_arg(h, fn, name, static_cast<std::uint64_t>(PY_SSIZE_T_MAX)));
}

// Bytes for the C API must not contain NUL: C would silently stop there ('avx2\x00junk' would select avx2).
void refuse_nul(const std::string& s, const char* fn, const char* name) {
  if (s.find('\0') != std::string::npos) raise_invalid(std::string(fn) + ": " + name + " contains a NUL byte");
}

// A name (ISA, family, kernel): a str, UTF-8 encoded, without NUL bytes.
std::string name_arg(py::handle h, const char* fn, const char* name) {
  if (!py::isinstance<py::str>(h))
    throw py::type_error(std::string(fn) + ": " + name + " must be a str, got " + Py_TYPE(h.ptr())->tp_name);
  const std::string s = py::reinterpret_borrow<py::str>(h).attr("encode")("utf-8", "surrogateescape").cast<std::string>();
  refuse_nul(s, fn, name);
  return s;
}

// A path: str, bytes or os.PathLike, encoded as the OS does (os.fsencode: surrogate escapes become the original
// bytes, so any file name os.listdir returned works), without NUL bytes.
std::string path_arg(py::handle h, const char* fn, const char* name) {
  py::object b;
  try {
    b = py::module_::import("os").attr("fsencode")(h);
  } catch (py::error_already_set& e) {
    if (!e.matches(PyExc_TypeError)) throw;
    throw py::type_error(std::string(fn) + ": " + name + " must be str, bytes or os.PathLike, got " +
                         Py_TYPE(h.ptr())->tp_name);
  }
  const std::string s = b.cast<std::string>();
  refuse_nul(s, fn, name);
  return s;
}

// The byte range an array's elements span (strides may be negative); empty arrays span nothing.
std::pair<std::uintptr_t, std::uintptr_t> byte_extent(const py::array& a) {
  const auto base = reinterpret_cast<std::uintptr_t>(a.data());
  if (a.size() == 0) return {base, base};
  std::intptr_t lo = 0, hi = 0;
  for (py::ssize_t i = 0; i < a.ndim(); ++i) {
    const std::intptr_t span = static_cast<std::intptr_t>(a.shape(i) - 1) * a.strides(i);
    (span < 0 ? lo : hi) += span;
  }
  return {base + lo, base + hi + static_cast<std::intptr_t>(a.itemsize())};
}

bool same_view(const py::array& a, const py::array& b) {
  return a.data() == b.data() && shape_of(a) == shape_of(b) && a.itemsize() == b.itemsize() &&
         std::equal(a.strides(), a.strides() + a.ndim(), b.strides());
}

// An input that shares memory with out= is copied first (as numpy buffers overlapping ufunc operands), unless it
// is exactly the same view and the function documents that alias (x == b, Z == X, ...): a kernel writing out
// while still reading a partially overlapping input gives implementation-dependent results.
template <class A>
void unalias(A& in, const py::array& out, bool same_view_ok) {
  const auto i = byte_extent(in), o = byte_extent(out);
  const bool overlap = i.first < o.second && o.first < i.second;
  if (!overlap || (same_view_ok && same_view(in, out))) return;
  in = py::reinterpret_steal<A>(py::array::ensure(in.attr("copy")()).release());
}

// ---- solve family ------------------------------------------------------------------------------------------------
template <class T>
py::object solve_diag_t(py::handle d, py::handle b, const py::object& out) {
  const char* fn = "solve_diag";
  auto D = input<T>(d, fn, "d");
  expect_ndim(fn, "d", D, 1);
  auto B = input<T>(b, fn, "b");
  expect_shape(fn, "b", B, shape_of(D));
  auto X = output<T>(out, shape_of(D), fn);
  unalias(D, X, false);
  unalias(B, X, true);  // x == b is documented
  const std::size_t n = len(D);
  const T *dp = D.data(), *bp = B.data();
  T* xp = X.mutable_data();
  std::size_t bad = 0;
  call([&] { return api<T>::solve_diag(n, dp, bp, xp, &bad); }, &bad);
  return std::move(X);
}

template <class T>
py::object reciprocal_t(py::handle d, const py::object& out) {
  const char* fn = "reciprocal";
  auto D = input<T>(d, fn, "d");
  expect_ndim(fn, "d", D, 1);
  auto X = output<T>(out, shape_of(D), fn);
  unalias(D, X, true);  // inv == d is documented
  const std::size_t n = len(D);
  const T* dp = D.data();
  T* xp = X.mutable_data();
  std::size_t bad = 0;
  call([&] { return api<T>::reciprocal(n, dp, xp, &bad); }, &bad);
  return std::move(X);
}

template <class T>
py::object solve_diag_inv_t(py::handle inv, py::handle b, const py::object& out) {
  const char* fn = "solve_diag_inv";
  auto I = input<T>(inv, fn, "inv");
  expect_ndim(fn, "inv", I, 1);
  auto B = input<T>(b, fn, "b");
  expect_shape(fn, "b", B, shape_of(I));
  auto X = output<T>(out, shape_of(I), fn);
  unalias(I, X, false);
  unalias(B, X, true);  // x == b is documented
  const std::size_t n = len(I);
  const T *ip = I.data(), *bp = B.data();
  T* xp = X.mutable_data();
  call([&] { return api<T>::solve_diag_inv(n, ip, bp, xp); });
  return std::move(X);
}

template <class T>
py::object solve_diag_multi_t(py::handle d, py::handle b, const py::object& out) {
  const char* fn = "solve_diag_multi";
  auto D = input<T>(d, fn, "d");
  expect_ndim(fn, "d", D, 1);
  const std::size_t n = len(D);
  // B: used in place when its rows are contiguous (any row stride), else converted once.
  py::array B;
  std::size_t ldb = 0;
  if (py::array_t<T>::check_(b) && row_strided<T>(py::reinterpret_borrow<py::array>(b), ldb)) {
    B = py::reinterpret_borrow<py::array>(b);
  } else {
    B = input<T>(b, fn, "B");
    expect_ndim(fn, "B", B, 2);
    ldb = len(B, 1);
  }
  if (len(B, 0) != n)
    raise_invalid(std::string(fn) + ": B has shape " + shape_str(shape_of(B)) + ", expected " +
                  std::to_string(n) + " rows (len(d))");
  const std::size_t nrhs = len(B, 1);
  const Shape shape{static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(nrhs)};
  py::array X;
  std::size_t ldx = nrhs;
  if (out.is_none()) {
    X = py::array_t<T>(shape);
  } else if (py::array_t<T>::check_(out) && py::reinterpret_borrow<py::array>(out).writeable() &&
             row_strided<T>(py::reinterpret_borrow<py::array>(out), ldx)) {
    X = py::reinterpret_borrow<py::array>(out);
    expect_shape(fn, "out", X, shape);
  } else {
    X = output<T>(out, shape, fn);  // raises the precise error
  }
  unalias(D, X, false);
  if (!out.is_none()) {
    const py::array before = B;
    unalias(B, X, true);  // X == B (same view, so ldx == ldb) is documented
    if (B.ptr() != before.ptr()) ldb = len(B, 1);  // the copy is C-contiguous
  }
  const T *dp = D.data(), *bp = static_cast<const T*>(B.data());
  T* xp = static_cast<T*>(X.mutable_data());
  std::size_t bad = 0;
  call([&] { return api<T>::solve_diag_multi(n, nrhs, dp, bp, ldb, xp, ldx, &bad); }, &bad);
  return std::move(X);
}

// ---- densities -----------------------------------------------------------------------------------------------------
template <class T>
py::object whiten_t(py::handle x, py::handle mean, py::handle sd, const py::object& out) {
  const char* fn = "whiten";
  auto X = input<T>(x, fn, "X");
  expect_ndim(fn, "X", X, 2);
  const std::size_t np = len(X), dim = len(X, 1);
  auto M = input<T>(mean, fn, "mean");
  expect_shape(fn, "mean", M, {X.shape(1)});
  auto S = input<T>(sd, fn, "stddev");
  expect_shape(fn, "stddev", S, {X.shape(1)});
  auto Z = output<T>(out, shape_of(X), fn);
  unalias(X, Z, true);  // Z == X is documented
  unalias(M, Z, false);
  unalias(S, Z, false);
  const T *xp = X.data(), *mp = M.data(), *sp = S.data();
  T* zp = Z.mutable_data();
  call([&] { return api<T>::whiten(np, dim, xp, mp, sp, zp); });
  return std::move(Z);
}

template <class T>
py::object diag_logpdf_t(py::handle x, py::handle mean, py::handle var, const py::object& out) {
  const char* fn = "diag_logpdf";
  auto X = input<T>(x, fn, "X");
  expect_ndim(fn, "X", X, 2);
  const std::size_t np = len(X), dim = len(X, 1);
  auto M = input<T>(mean, fn, "mean");
  expect_shape(fn, "mean", M, {X.shape(1)});
  auto V = input<T>(var, fn, "var");
  expect_shape(fn, "var", V, {X.shape(1)});
  auto O = output<T>(out, {X.shape(0)}, fn);
  unalias(X, O, false);
  unalias(M, O, false);
  unalias(V, O, false);
  const T *xp = X.data(), *mp = M.data(), *vp = V.data();
  T* op = O.mutable_data();
  call([&] { return api<T>::diag_logpdf(np, dim, xp, mp, vp, op); });
  return std::move(O);
}

template <class T>
py::object gmm_logpdf_t(py::handle x, py::handle w, py::handle means, py::handle vars, bool return_resp) {
  const char* fn = "gmm_logpdf";
  auto X = input<T>(x, fn, "X");
  expect_ndim(fn, "X", X, 2);
  auto W = input<T>(w, fn, "weights");
  expect_ndim(fn, "weights", W, 1);
  const std::size_t np = len(X), dim = len(X, 1), k = len(W);
  const Shape kd{W.shape(0), X.shape(1)};
  auto M = input<T>(means, fn, "means");
  expect_shape(fn, "means", M, kd);
  auto V = input<T>(vars, fn, "vars");
  expect_shape(fn, "vars", V, kd);
  py::array_t<T> O(Shape{X.shape(0)});
  py::array_t<T> R;
  if (return_resp) R = py::array_t<T>(Shape{X.shape(0), W.shape(0)});
  const T *xp = X.data(), *wp = W.data(), *mp = M.data(), *vp = V.data();
  T* op = O.mutable_data();
  T* rp = return_resp ? R.mutable_data() : nullptr;
  call([&] { return api<T>::gmm_logpdf(np, dim, k, xp, wp, mp, vp, op, rp); });
  if (return_resp) return py::make_tuple(O, R);
  return std::move(O);
}

// ---- sampling ------------------------------------------------------------------------------------------------------
// numpy.float32 / numpy.float64 (or anything numpy.dtype() maps to them) -> true for float32.
bool wants_float32(const py::object& dtype, const char* fn) {
  const py::dtype dt = py::dtype::from_args(dtype);
  if (dt.kind() == 'f' && dt.itemsize() == 4) return true;
  if (dt.kind() == 'f' && dt.itemsize() == 8) return false;
  throw py::type_error(std::string(fn) + ": dtype must be numpy.float32 or numpy.float64, got " +
                       py::str(static_cast<py::handle>(dt)).cast<std::string>());
}

template <class T>
py::object normal_t(std::size_t n, std::uint64_t seed, std::uint64_t stream, std::uint64_t offset) {
  py::array_t<T> out(static_cast<py::ssize_t>(n));
  T* p = out.mutable_data();
  call([&] { return api<T>::normal(seed, stream, offset, n, p); });
  return std::move(out);
}

template <class T>
py::object uniform_t(std::size_t n, std::uint64_t seed, std::uint64_t stream, std::uint64_t offset) {
  py::array_t<T> out(static_cast<py::ssize_t>(n));
  T* p = out.mutable_data();
  call([&] { return api<T>::uniform(seed, stream, offset, n, p); });
  return std::move(out);
}

template <class T>
py::object sample_diag_t(std::size_t npoints, py::handle mean, py::handle sd, std::uint64_t seed,
                         std::uint64_t stream, std::uint64_t offset) {
  const char* fn = "sample_diag";
  auto M = input<T>(mean, fn, "mean");
  expect_ndim(fn, "mean", M, 1);
  auto S = input<T>(sd, fn, "stddev");
  expect_shape(fn, "stddev", S, shape_of(M));
  const std::size_t dim = len(M);
  py::array_t<T> out(Shape{static_cast<py::ssize_t>(npoints), M.shape(0)});
  const T *mp = M.data(), *sp = S.data();
  T* op = out.mutable_data();
  call([&] { return api<T>::sample_diag(seed, stream, offset, npoints, dim, mp, sp, op); });
  return std::move(out);
}

template <class T>
py::object sample_gmm_t(std::size_t npoints, py::handle w, py::handle means, py::handle sds, std::uint64_t seed,
                        std::uint64_t stream, std::uint64_t offset) {
  const char* fn = "sample_gmm";
  auto W = input<T>(w, fn, "weights");
  expect_ndim(fn, "weights", W, 1);
  auto M = input<T>(means, fn, "means");
  expect_ndim(fn, "means", M, 2);
  if (M.shape(0) != W.shape(0))
    raise_invalid(std::string(fn) + ": means has shape " + shape_str(shape_of(M)) + ", expected " +
                  std::to_string(W.shape(0)) + " rows (len(weights))");
  auto S = input<T>(sds, fn, "stddevs");
  expect_shape(fn, "stddevs", S, shape_of(M));
  const std::size_t k = len(W), dim = len(M, 1);
  py::array_t<T> out(Shape{static_cast<py::ssize_t>(npoints), M.shape(1)});
  py::array_t<std::uint32_t> labels(static_cast<py::ssize_t>(npoints));
  const T *wp = W.data(), *mp = M.data(), *sp = S.data();
  T* op = out.mutable_data();
  std::uint32_t* lp = labels.mutable_data();
  call([&] { return api<T>::sample_gmm(seed, stream, offset, npoints, dim, k, wp, mp, sp, op, lp); });
  return py::make_tuple(out, labels);
}

// ---- dispatcher ---------------------------------------------------------------------------------------------------
const char* const kKernels[] = {"solve_diag", "reciprocal", "solve_diag_inv", "solve_diag_multi", "whiten",
                                "diag_logpdf", "gmm_logpdf", "uniform_u32", "uniform", "normal",
                                "sample_diag", "sample_gmm"};

std::string active(const std::string& kernel) {
  const char* a = dg_active(kernel.c_str());
  if (!a) raise(DG_E_UNKNOWN_NAME, "active: unknown kernel '" + kernel + "'");
  return a;
}

py::dict info() {
  py::dict kernels;
  for (const char* k : kKernels) {
    const char* a = dg_active(k);
    kernels[k] = a ? py::object(py::str(a)) : py::object(py::none());
  }
  py::dict d;
  d["version"] = dg_version();
  d["header_version"] = DIAGGAUSS_VERSION_STRING;
  d["kernels"] = kernels;
  return d;
}

const char* const kErrorClass = R"PY(
class Error(ValueError):
    """A diaggauss error: the library's message, with .status (a diaggauss.E_* code, negative) and .index
    (the offending element, e.g. i of d[i], or None)."""

    def __init__(self, message, status=-4, index=None):
        super().__init__(message)
        self.status = status
        self.index = index

    def __reduce__(self):
        return (type(self), (str(self), self.status, self.index))
)PY";

}  // namespace

PYBIND11_MODULE(diaggauss, m) {
  m.doc() =
      "diaggauss: hand-vectorized diagonal-covariance Gaussian kernels (diagonal solves, log-densities, "
      "counter-based sampling).\n\n"
      "Arrays: float32 when every array argument is float32, float64 otherwise.  C-contiguous inputs of that "
      "dtype are used without a copy; others are converted once.  out= arrays are written in place.  The GIL is "
      "released while kernels run.  Errors raise diaggauss.Error (a ValueError) with .status.";

  // diaggauss.Error, defined in Python so that it takes (message, status, index) and pickles.
  {
    py::dict ns;
    ns["__builtins__"] = py::module_::import("builtins");
    ns["__name__"] = "diaggauss";
    py::exec(kErrorClass, ns);
    py::object err = ns["Error"];
    m.attr("Error") = err;
    g_error = err.ptr();  // kept alive by the module
  }
  m.attr("__version__") = dg_version();
  m.attr("OK") = static_cast<int>(DG_OK);
  m.attr("E_NULL_POINTER") = static_cast<int>(DG_E_NULL_POINTER);
  m.attr("E_SINGULAR") = static_cast<int>(DG_E_SINGULAR);
  m.attr("E_NON_FINITE") = static_cast<int>(DG_E_NON_FINITE);
  m.attr("E_INVALID_ARGUMENT") = static_cast<int>(DG_E_INVALID_ARGUMENT);
  m.attr("E_BAD_WEIGHTS") = static_cast<int>(DG_E_BAD_WEIGHTS);
  m.attr("E_SIZE_OVERFLOW") = static_cast<int>(DG_E_SIZE_OVERFLOW);
  m.attr("E_UNKNOWN_NAME") = static_cast<int>(DG_E_UNKNOWN_NAME);
  m.attr("E_UNSUPPORTED_ISA") = static_cast<int>(DG_E_UNSUPPORTED_ISA);
  m.attr("E_PROFILE") = static_cast<int>(DG_E_PROFILE);
  m.attr("E_IO") = static_cast<int>(DG_E_IO);
  m.attr("E_INTERNAL") = static_cast<int>(DG_E_INTERNAL);
  m.attr("E_NOMEM") = static_cast<int>(DG_E_NOMEM);

  // ---- dispatcher / profile --------------------------------------------------------------------------------
  m.def("version", [] { return std::string(dg_version()); }, "The library version, 'MAJOR.MINOR.PATCH'.");
  m.def("status_string", [](int st) { return std::string(dg_status_string(st)); }, py::arg("status"),
        "Short description of a status code.");
  m.def("info", &info,
        "dict: 'version', 'header_version' and 'kernels' (kernel name -> 'isa/family' running it, from "
        "dg_active).");
  m.def(
      "force_isa",
      [](py::object isa_) {
        const std::string isa = name_arg(isa_, "force_isa", "isa");
        call([&] { return dg_force_isa(isa.c_str()); });
      },
      py::arg("isa"),
      "Force an ISA ('scalar', 'sse4', 'avx2', 'avx512', 'neon') or 'auto'.  Raises Error for an unknown name "
      "(E_UNKNOWN_NAME) or an ISA this CPU/build cannot run (E_UNSUPPORTED_ISA); nothing changes then.");
  m.def(
      "force_impl",
      [](py::object fam_) {
        const std::string fam = name_arg(fam_, "force_impl", "family");
        call([&] { return dg_force_impl(fam.c_str()); });
      },
      py::arg("family"),
      "Force an implementation family ('intrinsics', 'highway', 'xsimd', 'scalar') or 'auto'.");
  m.def(
      "active", [](py::object kernel) { return active(name_arg(kernel, "active", "kernel")); }, py::arg("kernel"),
        "'isa/family' that runs a kernel ('solve_diag', 'normal', ...).  Raises Error for an unknown kernel.");
  m.def(
      "load_profile",
      [](const py::object& path) {
        if (path.is_none()) return call([] { return dg_load_profile(nullptr); });
        const std::string p = path_arg(path, "load_profile", "path");
        call([&] { return dg_load_profile(p.c_str()); });
      },
      py::arg("path") = py::none(),
      "Load a tuning profile (JSON file; str, bytes or os.PathLike, encoded like os.fsencode).  None reloads from "
      "the default search path.");
  // Profiles as values (issue 14): thin wrappers of dg_profile_status / dg_profile_export / dg_profile_import.
  m.def(
      "profile_status",
      [] {
        char *path = nullptr, *state = nullptr, *reason = nullptr;
        call([&] { return dg_profile_status(&path, &state, &reason); });
        py::dict d;
        d["path"] = std::string(path), d["state"] = std::string(state), d["reason"] = std::string(reason);
        dg_free(path), dg_free(state), dg_free(reason);
        return d;
      },
      "dict: 'path' (the profile in force, '(imported)' or ''), 'state' ('loaded', 'none', 'ignored', 'refused') "
      "and 'reason' (the loader's message).");
  m.def(
      "profile_export",
      [] {
        char* json = nullptr;
        call([&] { return dg_profile_export(&json); });
        std::string text(json);
        dg_free(json);
        return text;
      },
      "The profile in force as JSON text.  Raises Error (E_PROFILE) when none is loaded.");
  m.def(
      "profile_import", [](const std::string& json) { call([&] { return dg_profile_import(json.c_str()); }); },
      py::arg("json"), "Install a profile from JSON text (all or nothing; Error with the reason otherwise).");

  // ---- solve family ------------------------------------------------------------------------------------------
  m.def(
      "solve_diag",
      [](py::object d, py::object b, py::object out) {
        return all_float32({d, b}) ? solve_diag_t<float>(d, b, out) : solve_diag_t<double>(d, b, out);
      },
      py::arg("d"), py::arg("b"), py::arg("out") = py::none(),
      "x = b / d elementwise (d, b 1-D of equal length), bit-identical to IEEE division.  out may be b.\n"
      "Raises Error (E_SINGULAR for a zero, E_NON_FINITE for NaN/Inf in d; .index = i) and writes nothing then.");
  m.def(
      "reciprocal",
      [](py::object d, py::object out) {
        return all_float32({d}) ? reciprocal_t<float>(d, out) : reciprocal_t<double>(d, out);
      },
      py::arg("d"), py::arg("out") = py::none(), "inv = 1 / d (validated like solve_diag).  out may be d.");
  m.def(
      "solve_diag_inv",
      [](py::object inv, py::object b, py::object out) {
        return all_float32({inv, b}) ? solve_diag_inv_t<float>(inv, b, out) : solve_diag_inv_t<double>(inv, b, out);
      },
      py::arg("inv"), py::arg("b"), py::arg("out") = py::none(),
      "x = b * inv (inv from reciprocal(); not validated: the fast path).  out may be b.");
  m.def(
      "solve_diag_multi",
      [](py::object d, py::object B, py::object out) {
        return all_float32({d, B}) ? solve_diag_multi_t<float>(d, B, out) : solve_diag_multi_t<double>(d, B, out);
      },
      py::arg("d"), py::arg("B"), py::arg("out") = py::none(),
      "X[i, j] = B[i, j] * (1 / d[i]) for B of shape (len(d), nrhs).  B and out may be row-strided views "
      "(contiguous rows, any row stride) and are then used in place; out may be B.");
  m.def(
      "whiten",
      [](py::object X, py::object mean, py::object sd, py::object out) {
        return all_float32({X, mean, sd}) ? whiten_t<float>(X, mean, sd, out) : whiten_t<double>(X, mean, sd, out);
      },
      py::arg("X"), py::arg("mean"), py::arg("stddev"), py::arg("out") = py::none(),
      "Z = (X - mean) / stddev for X of shape (npoints, dim).  out may be X.");
  m.def(
      "diag_logpdf",
      [](py::object X, py::object mean, py::object var, py::object out) {
        return all_float32({X, mean, var}) ? diag_logpdf_t<float>(X, mean, var, out)
                                           : diag_logpdf_t<double>(X, mean, var, out);
      },
      py::arg("X"), py::arg("mean"), py::arg("var"), py::arg("out") = py::none(),
      "log N(X[p]; mean, diag(var)) for X of shape (npoints, dim); returns shape (npoints,).");
  m.def(
      "gmm_logpdf",
      [](py::object X, py::object w, py::object means, py::object vars, bool return_resp) {
        return all_float32({X, w, means, vars}) ? gmm_logpdf_t<float>(X, w, means, vars, return_resp)
                                                : gmm_logpdf_t<double>(X, w, means, vars, return_resp);
      },
      py::arg("X"), py::arg("weights"), py::arg("means"), py::arg("vars"), py::arg("return_resp") = false,
      "log sum_k w_k N(X[p]; means[k], diag(vars[k])) for X (npoints, dim), weights (k,), means/vars (k, dim).\n"
      "return_resp=True returns (out, resp) with resp[p, k] = log N(X[p]; means[k], diag(vars[k])) (unweighted).");

  // ---- sampling ------------------------------------------------------------------------------------------------
  const py::object f64 = py::module_::import("numpy").attr("float64");
  m.def(
      "normal",
      [](py::object n_, py::object seed_, py::object stream_, py::object offset_, py::object dtype) {
        const char* fn = "normal";
        const std::size_t n = size_arg(n_, fn, "n");
        const std::uint64_t seed = int_arg(seed_, fn, "seed"), stream = int_arg(stream_, fn, "stream"),
                            offset = int_arg(offset_, fn, "offset");
        return wants_float32(dtype, fn) ? normal_t<float>(n, seed, stream, offset)
                                        : normal_t<double>(n, seed, stream, offset);
      },
      py::arg("n"), py::kw_only(), py::arg("seed"), py::arg("stream") = py::int_(0), py::arg("offset") = py::int_(0),
      py::arg("dtype") = f64,
      "Standard normals offset .. offset+n-1 of (seed, stream): the same numbers for any chunking "
      "(docs/random-stream.md).");
  m.def(
      "uniform_u32",
      [](py::object n_, py::object seed_, py::object stream_, py::object offset_) {
        const char* fn = "uniform_u32";
        const std::size_t n = size_arg(n_, fn, "n");
        const std::uint64_t seed = int_arg(seed_, fn, "seed"), stream = int_arg(stream_, fn, "stream"),
                            offset = int_arg(offset_, fn, "offset");
        py::array_t<std::uint32_t> out(static_cast<py::ssize_t>(n));
        std::uint32_t* p = out.mutable_data();
        call([&] { return dg_uniform_u32(seed, stream, offset, n, p); });
        return out;
      },
      py::arg("n"), py::kw_only(), py::arg("seed"), py::arg("stream") = py::int_(0), py::arg("offset") = py::int_(0),
      "Raw Philox4x32-10 words offset .. offset+n-1 (numpy.uint32).");
  m.def(
      "uniform",
      [](py::object n_, py::object seed_, py::object stream_, py::object offset_, py::object dtype) {
        const char* fn = "uniform";
        const std::size_t n = size_arg(n_, fn, "n");
        const std::uint64_t seed = int_arg(seed_, fn, "seed"), stream = int_arg(stream_, fn, "stream"),
                            offset = int_arg(offset_, fn, "offset");
        return wants_float32(dtype, fn) ? uniform_t<float>(n, seed, stream, offset)
                                        : uniform_t<double>(n, seed, stream, offset);
      },
      py::arg("n"), py::kw_only(), py::arg("seed"), py::arg("stream") = py::int_(0), py::arg("offset") = py::int_(0),
      py::arg("dtype") = f64, "Uniforms in the open interval (0, 1), offset .. offset+n-1.");
  m.def(
      "sample_diag",
      [](py::object np_, py::object mean, py::object sd, py::object seed_, py::object stream_, py::object offset_) {
        const char* fn = "sample_diag";
        const std::size_t np = size_arg(np_, fn, "npoints");
        const std::uint64_t seed = int_arg(seed_, fn, "seed"), stream = int_arg(stream_, fn, "stream"),
                            offset = int_arg(offset_, fn, "offset");
        return all_float32({mean, sd}) ? sample_diag_t<float>(np, mean, sd, seed, stream, offset)
                                       : sample_diag_t<double>(np, mean, sd, seed, stream, offset);
      },
      py::arg("npoints"), py::arg("mean"), py::arg("stddev"), py::kw_only(), py::arg("seed"),
      py::arg("stream") = py::int_(0), py::arg("offset") = py::int_(0),
      "Points (npoints, dim): mean + stddev * z with z the normals offset + p*dim + j of (seed, stream).");
  m.def(
      "sample_gmm",
      [](py::object np_, py::object w, py::object means, py::object sds, py::object seed_, py::object stream_,
         py::object offset_) {
        const char* fn = "sample_gmm";
        const std::size_t np = size_arg(np_, fn, "npoints");
        const std::uint64_t seed = int_arg(seed_, fn, "seed"), stream = int_arg(stream_, fn, "stream"),
                            offset = int_arg(offset_, fn, "offset");
        return all_float32({w, means, sds}) ? sample_gmm_t<float>(np, w, means, sds, seed, stream, offset)
                                            : sample_gmm_t<double>(np, w, means, sds, seed, stream, offset);
      },
      py::arg("npoints"), py::arg("weights"), py::arg("means"), py::arg("stddevs"), py::kw_only(), py::arg("seed"),
      py::arg("stream") = py::int_(0), py::arg("offset") = py::int_(0),
      "Mixture samples: returns (points (npoints, dim), labels (npoints,) numpy.uint32).  offset counts points.");
}
