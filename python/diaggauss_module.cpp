// diaggauss — Python bindings (pybind11) over the C API.  Linked against the static library, so the extension
// module is self-contained (it does not need libdiaggauss.so).  Built as diaggauss._core: the package
// python/diaggauss/ (__init__.py) checks for numpy first, re-exports everything here and adds Generator.
//
// Conventions (see docs/embedding.md):
//  * dtype: float32 when every array argument is a float32 numpy array, float64 otherwise (mixed -> float64).
//  * Inputs that are C-contiguous, aligned, native-endian arrays of that dtype are used in place; anything else
//    (lists, other dtypes, views with both strides > 1) is converted once into a temporary C-contiguous array.
//    Points matrices with contiguous rows or columns (Fortran order, transposes, sliced views) go in place through
//    the C API's _ld functions (layout + leading dimension); solve_diag_multi takes row-strided views in place.
//  * out=: written in place and returned (the same object); it must already have the result's shape and dtype,
//    be C-contiguous (row-strided for solve_diag_multi), aligned and writeable — it is never silently copied.
//  * The GIL is released while a kernel runs.
//  * Library errors raise diaggauss.Error (a ValueError) with the library's message and .status (a DG_E_* code);
//    solve-family errors also carry .index (the offending d[i]).  Shape mismatches raise diaggauss.Error with
//    status E_INVALID_ARGUMENT; an unusable out= array raises TypeError, and so does an input numpy cannot convert
//    to real numbers (naming the function and the argument).
//  * An input overlapping an output is copied first (unalias); outputs overlapping each other are refused.
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

// The library's message names the C function ("dg_diag_logpdf_ld_f64: var[0] ..."); a Python caller called `fn`
// (diag_logpdf), so that name replaces it.  Messages of other shapes are kept whole.
std::string python_message(const char* fn, const std::string& message) {
  const std::size_t colon = message.find(": ");
  if (message.compare(0, 3, "dg_") != 0 || colon == std::string::npos ||
      message.find_first_of(" (", 0) < colon)  // the prefix must be one identifier
    return message;
  return std::string(fn) + message.substr(colon);
}

// Runs a C API call with the GIL released; raises diaggauss.Error on a non-zero status, its message under `fn`.
template <class F>
void call(const char* fn, F&& f, const std::size_t* bad_index = nullptr) {
  int status;
  std::string message;
  {
    py::gil_scoped_release nogil;
    status = f();
    if (status != DG_OK) message = dg_last_error();  // per-thread message: read it on this thread
  }
  if (status != DG_OK) {
    message = message.empty() ? std::string(fn) + ": " + dg_status_string(status) : python_message(fn, message);
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
  static constexpr auto sample_diag_var = dg_sample_diag_var_f64;
  static constexpr auto sample_gmm_var = dg_sample_gmm_var_f64;
  static constexpr auto gmm_responsibilities = dg_gmm_responsibilities_f64;
  static constexpr auto whiten_ld = dg_whiten_ld_f64;
  static constexpr auto diag_logpdf_ld = dg_diag_logpdf_ld_f64;
  static constexpr auto gmm_logpdf_ld = dg_gmm_logpdf_ld_f64;
  static constexpr auto sample_diag_ld = dg_sample_diag_ld_f64;
  static constexpr auto sample_gmm_ld = dg_sample_gmm_ld_f64;
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
  static constexpr auto sample_diag_var = dg_sample_diag_var_f32;
  static constexpr auto sample_gmm_var = dg_sample_gmm_var_f32;
  static constexpr auto gmm_responsibilities = dg_gmm_responsibilities_f32;
  static constexpr auto whiten_ld = dg_whiten_ld_f32;
  static constexpr auto diag_logpdf_ld = dg_diag_logpdf_ld_f32;
  static constexpr auto gmm_logpdf_ld = dg_gmm_logpdf_ld_f32;
  static constexpr auto sample_diag_ld = dg_sample_diag_ld_f32;
  static constexpr auto sample_gmm_ld = dg_sample_gmm_ld_f32;
};

template <class T>
std::string type_name() {
  return py::str(static_cast<py::handle>(py::dtype::of<T>())).cast<std::string>();
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

// An argument numpy cannot convert to an array of T: TypeError naming the function and the argument, with numpy's
// reason.  (pybind11's array_t::ensure clears numpy's error on failure, so rethrowing it gave "error_already_set
// called while Python error indicator not set"; the conversion is tried again here for the reason.)  Errors that
// are not about the value (MemoryError, KeyboardInterrupt) propagate as they are.
template <class T>
[[noreturn]] void not_real(py::handle h, const char* fn, const char* name) {
  std::string got = Py_TYPE(h.ptr())->tp_name;
  if (py::isinstance<py::array>(h)) got += " of dtype " + py::str(h.attr("dtype")).cast<std::string>();
  std::string why;
  try {
    py::module_::import("numpy").attr("asarray")(h, py::dtype::of<T>());
  } catch (py::error_already_set& e) {
    if (!e.matches(PyExc_ValueError) && !e.matches(PyExc_TypeError)) throw;
    why = ": " + py::str(e.value()).cast<std::string>();
  }
  throw py::type_error(std::string(fn) + ": " + name + " must be an array of real numbers (got " + got + why + ")");
}

// The argument as a C-contiguous, aligned array of T: the object itself when it already is one, otherwise one
// converted copy.
template <class T>
py::array_t<T> input(py::handle h, const char* fn, const char* name) {
  if (h.is_none()) raise_invalid(std::string(fn) + ": " + name + " is None");
  auto a = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(h);
  if (!a) {
    if (PyErr_Occurred()) throw py::error_already_set();
    not_real<T>(h, fn, name);
  }
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
py::array_t<T> output(const py::object& out, const Shape& shape, const char* fn, const char* name = "out") {
  if (out.is_none()) return py::array_t<T>(shape);
  const std::string f = std::string(fn) + ": " + name;
  if (!py::isinstance<py::array>(out)) throw py::type_error(f + " must be a numpy.ndarray");
  if (!py::array_t<T>::check_(out))
    throw py::type_error(f + " has dtype " + py::str(out.attr("dtype")).cast<std::string>() + ", the result is " +
                         type_name<T>());
  py::array a = py::reinterpret_borrow<py::array>(out);
  if (shape_of(a) != shape)
    raise_invalid(f + " has shape " + shape_str(shape_of(a)) + ", expected " + shape_str(shape));
  if (!a.writeable()) throw py::type_error(f + " is read-only");
  if (!py::array_t<T, py::array::c_style>::check_(out) || !aligned(a))
    throw py::type_error(f + " must be C-contiguous and aligned (it is written in place, never copied)");
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

bool overlap(const py::array& a, const py::array& b) {
  const auto i = byte_extent(a), o = byte_extent(b);
  return i.first < o.second && o.first < i.second;
}

// An input that shares memory with out= is copied first (as numpy buffers overlapping ufunc operands), unless it
// is exactly the same view and the function documents that alias (x == b, Z == X, ...): a kernel writing out
// while still reading a partially overlapping input gives implementation-dependent results.  Every function with
// out= (or labels_out=) calls it for every array input against every output.
template <class A>
void unalias(A& in, const py::array& out, bool same_view_ok) {
  if (!overlap(in, out) || (same_view_ok && same_view(in, out))) return;
  in = py::reinterpret_steal<A>(py::array::ensure(in.attr("copy")()).release());
}

// A 2-D points matrix the C API's _ld functions take in place: rows contiguous with a row stride (DG_ROW_MAJOR,
// e.g. X[:, 2:5]) or columns contiguous with a column stride (DG_COL_MAJOR: Fortran order, X.T of a C array,
// F-order slices).  Returns false for anything else (negative or element-misaligned strides, both strides > 1).
struct Layout {
  int order = DG_ROW_MAJOR;
  std::size_t ld = 0;
};

template <class T>
bool strided_layout(const py::array& a, Layout& L) {
  if (a.ndim() != 2 || !aligned(a)) return false;
  const py::ssize_t rows = a.shape(0), cols = a.shape(1), s0 = a.strides(0), s1 = a.strides(1);
  const py::ssize_t item = static_cast<py::ssize_t>(sizeof(T));
  if (s0 < 0 || s1 < 0 || s0 % item || s1 % item) return false;
  const py::ssize_t e0 = s0 / item, e1 = s1 / item;
  if ((cols <= 1 || e1 == 1) && (rows <= 1 || e0 >= cols)) {
    L = {DG_ROW_MAJOR, static_cast<std::size_t>(rows <= 1 ? cols : e0)};
    return true;
  }
  if ((rows <= 1 || e0 == 1) && (cols <= 1 || e1 >= rows)) {
    L = {DG_COL_MAJOR, static_cast<std::size_t>(cols <= 1 ? rows : e1)};
    return true;
  }
  return false;
}

// A points matrix (2-D) of T: the object itself when the C API can read its layout (numpy strides passed through),
// otherwise one C-contiguous converted copy.  `want` (optional) forces a layout, e.g. that of out=.
template <class T>
py::array points_input(py::handle h, const char* fn, const char* name, Layout& L, const int* want = nullptr) {
  if (py::array_t<T>::check_(h)) {
    py::array a = py::reinterpret_borrow<py::array>(h);
    if (strided_layout<T>(a, L) && (!want || L.order == *want)) return a;
  }
  py::array a = input<T>(h, fn, name);
  expect_ndim(fn, name, a, 2);
  if (want && *want == DG_COL_MAJOR) {
    a = py::array_t<T, py::array::f_style | py::array::forcecast>::ensure(a);
    L = {DG_COL_MAJOR, len(a, 0)};
  } else {
    L = {DG_ROW_MAJOR, len(a, 1)};
  }
  return a;
}

// The points output: out itself when the C API can write its layout in place, else a new array in `prefer`'s layout
// (that of the input, as numpy's ufuncs keep the memory order).  An out= that cannot be written in place raises.
template <class T>
py::array points_output(const py::object& out, const Shape& shape, const char* fn, int prefer, Layout& L) {
  if (out.is_none()) {
    if (prefer == DG_COL_MAJOR) {
      L = {DG_COL_MAJOR, static_cast<std::size_t>(shape[0])};
      return py::array_t<T, py::array::f_style>(shape);
    }
    L = {DG_ROW_MAJOR, static_cast<std::size_t>(shape[1])};
    return py::array_t<T>(shape);
  }
  if (py::array_t<T>::check_(out) && py::reinterpret_borrow<py::array>(out).writeable() &&
      strided_layout<T>(py::reinterpret_borrow<py::array>(out), L)) {
    py::array a = py::reinterpret_borrow<py::array>(out);
    expect_shape(fn, "out", a, shape);
    return a;
  }
  output<T>(out, shape, fn);  // raises the precise error (dtype, shape, read-only)
  throw py::type_error(std::string(fn) + ": out must have contiguous rows or contiguous columns (it is written in "
                       "place, never copied)");
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
  call(fn, [&] { return api<T>::solve_diag(n, dp, bp, xp, &bad); }, &bad);
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
  call(fn, [&] { return api<T>::reciprocal(n, dp, xp, &bad); }, &bad);
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
  call(fn, [&] { return api<T>::solve_diag_inv(n, ip, bp, xp); });
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
  call(fn, [&] { return api<T>::solve_diag_multi(n, nrhs, dp, bp, ldb, xp, ldx, &bad); }, &bad);
  return std::move(X);
}

// ---- densities -----------------------------------------------------------------------------------------------------
template <class T>
py::object whiten_t(py::handle x, py::handle mean, py::handle sd, const py::object& out) {
  const char* fn = "whiten";
  Layout LX, LZ;
  py::array X = points_input<T>(x, fn, "X", LX);
  const std::size_t np = len(X), dim = len(X, 1);
  auto M = input<T>(mean, fn, "mean");
  expect_shape(fn, "mean", M, {X.shape(1)});
  auto S = input<T>(sd, fn, "stddev");
  expect_shape(fn, "stddev", S, {X.shape(1)});
  py::array Z = points_output<T>(out, shape_of(X), fn, LX.order, LZ);
  unalias(X, Z, true);  // Z == X is documented
  unalias(M, Z, false);
  unalias(S, Z, false);
  X = points_input<T>(X, fn, "X", LX, &LZ.order);  // one layout for both (C API); a copy made above is C-order
  const T *xp = static_cast<const T*>(X.data()), *mp = M.data(), *sp = S.data();
  T* zp = static_cast<T*>(Z.mutable_data());
  call(fn, [&] { return api<T>::whiten_ld(LX.order, np, dim, xp, LX.ld, mp, sp, zp, LZ.ld); });
  return std::move(Z);
}

template <class T>
py::object diag_logpdf_t(py::handle x, py::handle mean, py::handle var, const py::object& out) {
  const char* fn = "diag_logpdf";
  Layout LX;
  py::array X = points_input<T>(x, fn, "X", LX);
  const std::size_t np = len(X), dim = len(X, 1);
  auto M = input<T>(mean, fn, "mean");
  expect_shape(fn, "mean", M, {X.shape(1)});
  auto V = input<T>(var, fn, "var");
  expect_shape(fn, "var", V, {X.shape(1)});
  auto O = output<T>(out, {X.shape(0)}, fn);
  unalias(X, O, false);
  unalias(M, O, false);
  unalias(V, O, false);
  X = points_input<T>(X, fn, "X", LX);  // unalias may have copied X
  const T *xp = static_cast<const T*>(X.data()), *mp = M.data(), *vp = V.data();
  T* op = O.mutable_data();
  call(fn, [&] { return api<T>::diag_logpdf_ld(LX.order, np, dim, xp, LX.ld, mp, vp, op); });
  return std::move(O);
}

template <class T>
py::object gmm_logpdf_t(py::handle x, py::handle w, py::handle means, py::handle vars, bool return_resp,
                        bool return_component_logpdf) {
  const char* fn = "gmm_logpdf";
  Layout LX;
  py::array X = points_input<T>(x, fn, "X", LX);
  auto W = input<T>(w, fn, "weights");
  expect_ndim(fn, "weights", W, 1);
  const std::size_t np = len(X), dim = len(X, 1), k = len(W);
  const Shape kd{W.shape(0), X.shape(1)};
  auto M = input<T>(means, fn, "means");
  expect_shape(fn, "means", M, kd);
  auto V = input<T>(vars, fn, "vars");
  expect_shape(fn, "vars", V, kd);
  const Shape pk{X.shape(0), W.shape(0)};
  py::array_t<T> O(Shape{X.shape(0)});
  py::array_t<T> R, C;
  if (return_resp) R = py::array_t<T>(pk);
  if (return_component_logpdf) C = py::array_t<T>(pk);
  const T *xp = static_cast<const T*>(X.data()), *wp = W.data(), *mp = M.data(), *vp = V.data();
  T* op = O.mutable_data();
  T* rp = return_resp ? R.mutable_data() : nullptr;
  T* cp = return_component_logpdf ? C.mutable_data() : nullptr;
  call(fn, [&] { return api<T>::gmm_logpdf_ld(LX.order, np, dim, k, xp, LX.ld, wp, mp, vp, op, cp); });
  if (return_resp) {
    // dg_gmm_responsibilities_* has no _ld variant: a strided X is converted once for it.
    py::array Xc = (LX.order == DG_ROW_MAJOR && LX.ld == dim) ? X : py::array(input<T>(X, fn, "X"));
    const T* xcp = static_cast<const T*>(Xc.data());
    call(fn, [&] { return api<T>::gmm_responsibilities(np, dim, k, xcp, wp, mp, vp, nullptr, rp); });
  }
  if (return_resp && return_component_logpdf) return py::make_tuple(O, R, C);
  if (return_resp) return py::make_tuple(O, R);
  if (return_component_logpdf) return py::make_tuple(O, C);
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

// A sampler's size: an int n -> shape (n,), a tuple / sequence of ints -> that shape.  Negative sizes are refused.
Shape size_shape(const py::object& size, const char* fn) {
  // n is an integer (anything with __index__) or a sequence of them; each is validated like every integer argument
  // (TypeError / diaggauss.Error naming "n" or "n[i]").
  Shape shape;
  const auto dim = [&](py::handle h, const std::string& name) {
    return static_cast<py::ssize_t>(int_arg(h, fn, name.c_str(), static_cast<std::uint64_t>(PY_SSIZE_T_MAX)));
  };
  // A 0-d array is a scalar (np.array(3) is an integer to numpy and operator.index), not a sequence.
  const bool zero_d = py::isinstance<py::array>(size) && py::reinterpret_borrow<py::array>(size).ndim() == 0;
  if (!zero_d && py::isinstance<py::sequence>(size) && !py::isinstance<py::str>(size) &&
      !py::isinstance<py::bytes>(size)) {
    std::size_t i = 0;
    for (py::handle h : size.cast<py::sequence>()) shape.push_back(dim(h, "n[" + std::to_string(i++) + "]"));
  } else {
    shape.push_back(dim(size, "n"));
  }
  return shape;
}

std::size_t count(const Shape& s) {
  std::size_t n = 1;
  for (py::ssize_t e : s) n *= static_cast<std::size_t>(e);
  return n;
}

template <class T>
py::object normal_t(const Shape& shape, std::uint64_t seed, std::uint64_t stream, std::uint64_t offset,
                    const py::object& out_arg) {
  auto out = output<T>(out_arg, shape, "normal");
  const std::size_t n = count(shape);
  T* p = out.mutable_data();
  call("normal", [&] { return api<T>::normal(seed, stream, offset, n, p); });
  return std::move(out);
}

template <class T>
py::object uniform_t(const Shape& shape, std::uint64_t seed, std::uint64_t stream, std::uint64_t offset,
                     const py::object& out_arg) {
  auto out = output<T>(out_arg, shape, "uniform");
  const std::size_t n = count(shape);
  T* p = out.mutable_data();
  call("uniform", [&] { return api<T>::uniform(seed, stream, offset, n, p); });
  return std::move(out);
}

template <class T>
py::object sample_diag_t(std::size_t npoints, py::handle mean, py::handle sd, bool is_var, std::uint64_t seed,
                         std::uint64_t stream, std::uint64_t offset, const py::object& out_arg) {
  const char* fn = "sample_diag";
  const char* sname = is_var ? "variances" : "stddev";
  auto M = input<T>(mean, fn, "mean");
  expect_ndim(fn, "mean", M, 1);
  auto S = input<T>(sd, fn, sname);
  expect_shape(fn, sname, S, shape_of(M));
  const std::size_t dim = len(M);
  Layout LO;
  py::array out = points_output<T>(out_arg, Shape{static_cast<py::ssize_t>(npoints), M.shape(0)}, fn,
                                   DG_ROW_MAJOR, LO);
  unalias(M, out, false);  // mean or stddev a row of out: read before out is written
  unalias(S, out, false);
  const T *mp = M.data(), *sp = S.data();
  if (LO.order == DG_ROW_MAJOR && LO.ld == dim) {
    T* op = static_cast<T*>(out.mutable_data());
    const auto kernel = is_var ? api<T>::sample_diag_var : api<T>::sample_diag;
    call(fn, [&] { return kernel(seed, stream, offset, npoints, dim, mp, sp, op); });
  } else if (!is_var) {  // a strided or Fortran-order out=: filled in place
    T* op = static_cast<T*>(out.mutable_data());
    call(fn, [&] { return api<T>::sample_diag_ld(LO.order, seed, stream, offset, npoints, dim, mp, sp, op, LO.ld); });
  } else {  // variances into a strided out=: the _var sampler has no _ld form; sample, then copy
    py::array_t<T> tmp(Shape{static_cast<py::ssize_t>(npoints), M.shape(0)});
    T* tp = tmp.mutable_data();
    call(fn, [&] { return api<T>::sample_diag_var(seed, stream, offset, npoints, dim, mp, sp, tp); });
    py::module_::import("numpy").attr("copyto")(out, tmp);
  }
  return std::move(out);
}

template <class T>
py::object sample_gmm_t(std::size_t npoints, py::handle w, py::handle means, py::handle sds, bool is_var,
                        std::uint64_t seed,
                        std::uint64_t stream, std::uint64_t offset, const py::object& out_arg,
                        const py::object& labels_arg) {
  const char* fn = "sample_gmm";
  auto W = input<T>(w, fn, "weights");
  expect_ndim(fn, "weights", W, 1);
  auto M = input<T>(means, fn, "means");
  expect_ndim(fn, "means", M, 2);
  if (M.shape(0) != W.shape(0))
    raise_invalid(std::string(fn) + ": means has shape " + shape_str(shape_of(M)) + ", expected " +
                  std::to_string(W.shape(0)) + " rows (len(weights))");
  const char* sname = is_var ? "variances" : "stddevs";
  auto S = input<T>(sds, fn, sname);
  expect_shape(fn, sname, S, shape_of(M));
  const std::size_t k = len(W), dim = len(M, 1);
  Layout LO;
  py::array out = points_output<T>(out_arg, Shape{static_cast<py::ssize_t>(npoints), M.shape(1)}, fn,
                                   DG_ROW_MAJOR, LO);
  auto labels = output<std::uint32_t>(labels_arg, Shape{static_cast<py::ssize_t>(npoints)}, fn, "labels_out");
  // Two outputs in one memory cannot both hold their values (labels overwritten by points were then read as
  // component indices: a crash); refused before anything is written.
  if (overlap(out, labels))
    raise_invalid(std::string(fn) + ": labels_out and out overlap (they share memory); give separate arrays");
  for (const py::array& o : {out, py::array(labels)}) {  // inputs overlapping either output: copied first
    unalias(W, o, false);
    unalias(M, o, false);
    unalias(S, o, false);
  }
  const T *wp = W.data(), *mp = M.data(), *sp = S.data();
  std::uint32_t* lp = labels.mutable_data();
  if (LO.order == DG_ROW_MAJOR && LO.ld == dim) {
    T* op = static_cast<T*>(out.mutable_data());
    const auto kernel = is_var ? api<T>::sample_gmm_var : api<T>::sample_gmm;
    call(fn, [&] { return kernel(seed, stream, offset, npoints, dim, k, wp, mp, sp, op, lp); });
  } else if (!is_var) {  // a strided or Fortran-order out=: filled in place
    T* op = static_cast<T*>(out.mutable_data());
    call(fn, [&] {
      return api<T>::sample_gmm_ld(LO.order, seed, stream, offset, npoints, dim, k, wp, mp, sp, op, LO.ld, lp);
    });
  } else {  // variances into a strided out=: sample, then copy
    py::array_t<T> tmp(Shape{static_cast<py::ssize_t>(npoints), M.shape(1)});
    T* tp = tmp.mutable_data();
    call(fn, [&] { return api<T>::sample_gmm_var(seed, stream, offset, npoints, dim, k, wp, mp, sp, tp, lp); });
    py::module_::import("numpy").attr("copyto")(out, tmp);
  }
  return py::make_tuple(out, labels);
}

// Samplers take standard deviations (positional, as before) or variances= (the log-densities' convention):
// exactly one of the two.  Returns true for variances.
bool pick_scale(const char* fn, const char* sd_name, const py::object& sd, const py::object& variances) {
  if (sd.is_none() == variances.is_none())
    throw py::type_error(std::string(fn) + ": give exactly one of " + sd_name + " and variances=");
  return !variances.is_none();
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

PYBIND11_MODULE(_core, m) {
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
  m.def("stream_version", [] { return dg_stream_version(); },
        "The random stream's version (docs/random-stream.md): the same (seed, stream, offset) gives the same numbers "
        "in every release with the same stream version.");
  m.def("status_string", [](int st) { return std::string(dg_status_string(st)); }, py::arg("status"),
        "Short description of a status code.");
  m.def("info", &info,
        "dict: 'version', 'header_version' and 'kernels' (kernel name -> 'isa/family' running it, from "
        "dg_active).");
  m.def(
      "force_isa",
      [](py::object isa_) {
        const std::string isa = name_arg(isa_, "force_isa", "isa");
        call("force_isa", [&] { return dg_force_isa(isa.c_str()); });
      },
      py::arg("isa"),
      "Force an ISA ('scalar', 'sse4', 'avx2', 'avx512', 'neon') or 'auto'.  Raises Error for an unknown name "
      "(E_UNKNOWN_NAME) or an ISA this CPU/build cannot run (E_UNSUPPORTED_ISA); nothing changes then.");
  m.def(
      "force_impl",
      [](py::object fam_) {
        const std::string fam = name_arg(fam_, "force_impl", "family");
        call("force_impl", [&] { return dg_force_impl(fam.c_str()); });
      },
      py::arg("family"),
      "Force an implementation family ('intrinsics', 'highway', 'xsimd', 'scalar') or 'auto'.");
  m.def(
      "active", [](py::object kernel) { return active(name_arg(kernel, "active", "kernel")); }, py::arg("kernel"),
        "'isa/family' that runs a kernel ('solve_diag', 'normal', ...).  Raises Error for an unknown kernel.");
  m.def(
      "load_profile",
      [](const py::object& path) {
        if (path.is_none()) return call("load_profile", [] { return dg_load_profile(nullptr); });
        const std::string p = path_arg(path, "load_profile", "path");
        call("load_profile", [&] { return dg_load_profile(p.c_str()); });
      },
      py::arg("path") = py::none(),
      "Load a tuning profile (JSON file; str, bytes or os.PathLike, encoded like os.fsencode).  None reloads from "
      "the default search path.");
  // Profiles as values (issue 14): thin wrappers of dg_profile_status / dg_profile_export / dg_profile_import.
  m.def(
      "profile_status",
      [] {
        char *path = nullptr, *state = nullptr, *reason = nullptr;
        call("profile_status", [&] { return dg_profile_status(&path, &state, &reason); });
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
        call("profile_export", [&] { return dg_profile_export(&json); });
        std::string text(json);
        dg_free(json);
        return text;
      },
      "The profile in force as JSON text.  Raises Error (E_PROFILE) when none is loaded.");
  m.def(
      "profile_import",
      [](const std::string& json) {
        refuse_nul(json, "profile_import", "json");  // C would read only up to it and install that prefix
        call("profile_import", [&] { return dg_profile_import(json.c_str()); });
      },
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
      [](py::object X, py::object w, py::object means, py::object vars, bool resp, bool comp) {
        return all_float32({X, w, means, vars}) ? gmm_logpdf_t<float>(X, w, means, vars, resp, comp)
                                                : gmm_logpdf_t<double>(X, w, means, vars, resp, comp);
      },
      py::arg("X"), py::arg("weights"), py::arg("means"), py::arg("vars"), py::arg("return_resp") = false,
      py::arg("return_component_logpdf") = false,
      "log sum_k w_k N(X[p]; means[k], diag(vars[k])) for X (npoints, dim), weights (k,), means/vars (k, dim).\n"
      "vars are variances (scikit-learn's covariances_ for covariance_type='diag'); weights are normalised (each "
      "finite and >= 0, the sum positive and finite).\n"
      "return_resp=True also returns the responsibilities resp[p, k] = w_k N_k / sum_j w_j N_j (scikit-learn's "
      "predict_proba); return_component_logpdf=True also returns log N(X[p]; means[k], diag(vars[k])) (unweighted).\n"
      "Returns out, (out, resp), (out, component_logpdf) or (out, resp, component_logpdf).");

  // ---- sampling ------------------------------------------------------------------------------------------------
  const py::object f64 = py::module_::import("numpy").attr("float64");
  m.def(
      "normal",
      [](const py::object& n, py::object seed_, py::object stream_, py::object offset_, py::object dtype,
         const py::object& out) {
        const Shape shape = size_shape(n, "normal");
        const std::uint64_t seed = int_arg(seed_, "normal", "seed"), stream = int_arg(stream_, "normal", "stream"),
                            offset = int_arg(offset_, "normal", "offset");
        return wants_float32(dtype, "normal") ? normal_t<float>(shape, seed, stream, offset, out)
                                              : normal_t<double>(shape, seed, stream, offset, out);
      },
      py::arg("n"), py::kw_only(), py::arg("seed"), py::arg("stream") = py::int_(0), py::arg("offset") = py::int_(0),
      py::arg("dtype") = f64, py::arg("out") = py::none(),
      "Standard normals offset .. offset+N-1 of (seed, stream), N = prod(n) for n an int or a shape tuple, in C "
      "order: the same numbers for any chunking (docs/random-stream.md).  out: a C-contiguous array of that shape "
      "and dtype, written in place.");
  m.def(
      "uniform_u32",
      [](const py::object& n, py::object seed_, py::object stream_, py::object offset_, const py::object& o) {
        const std::uint64_t seed = int_arg(seed_, "uniform_u32", "seed"),
                            stream = int_arg(stream_, "uniform_u32", "stream"),
                            offset = int_arg(offset_, "uniform_u32", "offset");
        auto out = output<std::uint32_t>(o, size_shape(n, "uniform_u32"), "uniform_u32");
        const std::size_t cnt = static_cast<std::size_t>(out.size());
        std::uint32_t* p = out.mutable_data();
        call("uniform_u32", [&] { return dg_uniform_u32(seed, stream, offset, cnt, p); });
        return out;
      },
      py::arg("n"), py::kw_only(), py::arg("seed"), py::arg("stream") = py::int_(0), py::arg("offset") = py::int_(0),
      py::arg("out") = py::none(), "Raw Philox4x32-10 words offset .. offset+N-1 (numpy.uint32).");
  m.def(
      "uniform",
      [](const py::object& n, py::object seed_, py::object stream_, py::object offset_, py::object dtype,
         const py::object& out) {
        const Shape shape = size_shape(n, "uniform");
        const std::uint64_t seed = int_arg(seed_, "uniform", "seed"), stream = int_arg(stream_, "uniform", "stream"),
                            offset = int_arg(offset_, "uniform", "offset");
        return wants_float32(dtype, "uniform") ? uniform_t<float>(shape, seed, stream, offset, out)
                                               : uniform_t<double>(shape, seed, stream, offset, out);
      },
      py::arg("n"), py::kw_only(), py::arg("seed"), py::arg("stream") = py::int_(0), py::arg("offset") = py::int_(0),
      py::arg("dtype") = f64, py::arg("out") = py::none(),
      "Uniforms in the open interval (0, 1), offset .. offset+N-1 (n an int or a shape tuple; out as for normal).");
  m.def(
      "sample_diag",
      [](py::object np_, py::object mean, py::object sd, py::object seed_, py::object stream_, py::object offset_,
         py::object variances, const py::object& out) {
        const char* fn = "sample_diag";
        const std::size_t np = size_arg(np_, fn, "npoints");
        const std::uint64_t seed = int_arg(seed_, fn, "seed"), stream = int_arg(stream_, fn, "stream"),
                            offset = int_arg(offset_, fn, "offset");
        const bool is_var = pick_scale("sample_diag", "stddev", sd, variances);
        py::object s = is_var ? variances : sd;
        return all_float32({mean, s}) ? sample_diag_t<float>(np, mean, s, is_var, seed, stream, offset, out)
                                      : sample_diag_t<double>(np, mean, s, is_var, seed, stream, offset, out);
      },
      py::arg("npoints"), py::arg("mean"), py::arg("stddev") = py::none(), py::kw_only(), py::arg("seed"),
      py::arg("stream") = py::int_(0), py::arg("offset") = py::int_(0), py::arg("variances") = py::none(), py::arg("out") = py::none(),
      "Points (npoints, dim): mean + stddev * z with z the normals offset + p*dim + j of (seed, stream).  Give "
      "either stddev or variances= (then stddev = sqrt(variances), bit for bit).");
  m.def(
      "sample_gmm",
      [](py::object np_, py::object w, py::object means, py::object sds, py::object seed_, py::object stream_,
         py::object offset_, py::object variances, const py::object& out, const py::object& labels_out) {
        const char* fn = "sample_gmm";
        const std::size_t np = size_arg(np_, fn, "npoints");
        const std::uint64_t seed = int_arg(seed_, fn, "seed"), stream = int_arg(stream_, fn, "stream"),
                            offset = int_arg(offset_, fn, "offset");
        const bool is_var = pick_scale("sample_gmm", "stddevs", sds, variances);
        py::object s = is_var ? variances : sds;
        return all_float32({w, means, s})
                   ? sample_gmm_t<float>(np, w, means, s, is_var, seed, stream, offset, out, labels_out)
                   : sample_gmm_t<double>(np, w, means, s, is_var, seed, stream, offset, out, labels_out);
      },
      py::arg("npoints"), py::arg("weights"), py::arg("means"), py::arg("stddevs") = py::none(), py::kw_only(),
      py::arg("seed"), py::arg("stream") = py::int_(0), py::arg("offset") = py::int_(0), py::arg("variances") = py::none(),
      py::arg("out") = py::none(), py::arg("labels_out") = py::none(),
      "Mixture samples: returns (points (npoints, dim), labels (npoints,) numpy.uint32).  offset counts points.  "
      "Give either stddevs or variances= (e.g. a fitted GaussianMixture's covariances_); weights are normalised.");
}
