// diaggauss — C++ API: a thin layer over the C API (same kernels, same contracts; see diaggauss.h) that throws
// diaggauss::Error instead of returning status codes.  Header-only on top of libdiaggauss; needs no ISA flags.
#ifndef DIAGGAUSS_HPP
#define DIAGGAUSS_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "diaggauss/diaggauss.h"

namespace diaggauss {

// Thrown by every function below on error; status() is the dg_status code, what() the detailed message.
class Error : public std::runtime_error {
 public:
  Error(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const noexcept { return status_; }

 private:
  int status_;
};

namespace detail_api {
inline void check(int status) {
  if (status != DG_OK) {
    const char* msg = dg_last_error();
    throw Error(status, (msg && *msg) ? msg : dg_status_string(status));
  }
}
template <class T>
constexpr bool is_fp = std::is_same<T, float>::value || std::is_same<T, double>::value;
// A name or path for the C API, which reads up to the first NUL: one inside the string would silently cut it
// ("scalar\0junk" forcing scalar), so it is refused.
inline const char* c_string(const std::string& s, int status, const char* fn, const char* what) {
  if (s.find('\0') != std::string::npos)
    throw Error(status, std::string("diaggauss::") + fn + ": " + what + " contains a NUL character");
  return s.c_str();
}
}  // namespace detail_api

inline std::string version() { return dg_version(); }
// The random-stream version of the library in use (DG_STREAM_VERSION is the one this header describes).
inline int stream_version() { return dg_stream_version(); }
inline void force_isa(const std::string& isa) {
  detail_api::check(dg_force_isa(detail_api::c_string(isa, DG_E_UNKNOWN_NAME, "force_isa", "the ISA name")));
}
inline void force_impl(const std::string& family) {
  detail_api::check(dg_force_impl(detail_api::c_string(family, DG_E_UNKNOWN_NAME, "force_impl", "the family name")));
}
inline std::string active(const std::string& kernel) {
  const char* a = dg_active(detail_api::c_string(kernel, DG_E_UNKNOWN_NAME, "active", "the kernel name"));
  if (!a) throw Error(DG_E_UNKNOWN_NAME, "diaggauss::active: unknown kernel '" + kernel + "'");
  return a;
}
inline void load_profile(const std::string& path) {
  detail_api::check(dg_load_profile(detail_api::c_string(path, DG_E_INVALID_ARGUMENT, "load_profile", "the path")));
}

// ---- diagonal solve family (T = float or double) -----------------------------------------------------------
inline void solve_diag(std::size_t n, const double* d, const double* b, double* x) {
  detail_api::check(dg_solve_diag_f64(n, d, b, x, nullptr));
}
inline void solve_diag(std::size_t n, const float* d, const float* b, float* x) {
  detail_api::check(dg_solve_diag_f32(n, d, b, x, nullptr));
}
inline void reciprocal(std::size_t n, const double* d, double* inv) { detail_api::check(dg_reciprocal_f64(n, d, inv, nullptr)); }
inline void reciprocal(std::size_t n, const float* d, float* inv) { detail_api::check(dg_reciprocal_f32(n, d, inv, nullptr)); }
inline void solve_diag_inv(std::size_t n, const double* inv, const double* b, double* x) {
  detail_api::check(dg_solve_diag_inv_f64(n, inv, b, x));
}
inline void solve_diag_inv(std::size_t n, const float* inv, const float* b, float* x) {
  detail_api::check(dg_solve_diag_inv_f32(n, inv, b, x));
}
inline void solve_diag_multi(std::size_t n, std::size_t nrhs, const double* d, const double* B, std::size_t ldb,
                             double* X, std::size_t ldx) {
  detail_api::check(dg_solve_diag_multi_f64(n, nrhs, d, B, ldb, X, ldx, nullptr));
}
inline void solve_diag_multi(std::size_t n, std::size_t nrhs, const float* d, const float* B, std::size_t ldb, float* X,
                             std::size_t ldx) {
  detail_api::check(dg_solve_diag_multi_f32(n, nrhs, d, B, ldb, X, ldx, nullptr));
}
inline void whiten(std::size_t np, std::size_t dim, const double* X, const double* mean, const double* sd, double* Z) {
  detail_api::check(dg_whiten_f64(np, dim, X, mean, sd, Z));
}
inline void whiten(std::size_t np, std::size_t dim, const float* X, const float* mean, const float* sd, float* Z) {
  detail_api::check(dg_whiten_f32(np, dim, X, mean, sd, Z));
}
inline void diag_logpdf(std::size_t np, std::size_t dim, const double* X, const double* mean, const double* var,
                        double* out) {
  detail_api::check(dg_diag_logpdf_f64(np, dim, X, mean, var, out));
}
inline void diag_logpdf(std::size_t np, std::size_t dim, const float* X, const float* mean, const float* var, float* out) {
  detail_api::check(dg_diag_logpdf_f32(np, dim, X, mean, var, out));
}
// component_logpdf (optional): the per-component log-densities, unweighted — not responsibilities.
inline void gmm_logpdf(std::size_t np, std::size_t dim, std::size_t k, const double* X, const double* w,
                       const double* means, const double* vars, double* out, double* component_logpdf = nullptr) {
  detail_api::check(dg_gmm_logpdf_f64(np, dim, k, X, w, means, vars, out, component_logpdf));
}
inline void gmm_logpdf(std::size_t np, std::size_t dim, std::size_t k, const float* X, const float* w,
                       const float* means, const float* vars, float* out, float* component_logpdf = nullptr) {
  detail_api::check(dg_gmm_logpdf_f32(np, dim, k, X, w, means, vars, out, component_logpdf));
}
// Responsibilities as scikit-learn's predict_proba: rows of resp (np x k) sum to 1; out (optional) as gmm_logpdf.
inline void gmm_responsibilities(std::size_t np, std::size_t dim, std::size_t k, const double* X, const double* w,
                                 const double* means, const double* vars, double* resp, double* out = nullptr) {
  detail_api::check(dg_gmm_responsibilities_f64(np, dim, k, X, w, means, vars, out, resp));
}
inline void gmm_responsibilities(std::size_t np, std::size_t dim, std::size_t k, const float* X, const float* w,
                                 const float* means, const float* vars, float* resp, float* out = nullptr) {
  detail_api::check(dg_gmm_responsibilities_f32(np, dim, k, X, w, means, vars, out, resp));
}
// weights / sum(weights), under the library's one weights rule (each finite and >= 0, positive finite sum).
inline void normalize_weights(std::size_t k, const double* w, double* out) {
  detail_api::check(dg_normalize_weights_f64(k, w, out));
}
inline void normalize_weights(std::size_t k, const float* w, float* out) {
  detail_api::check(dg_normalize_weights_f32(k, w, out));
}

// ---- sampling -------------------------------------------------------------------------------------------------
inline void uniform_u32(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, std::uint32_t* out) {
  detail_api::check(dg_uniform_u32(seed, stream, offset, n, out));
}
inline void uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, double* out) {
  detail_api::check(dg_uniform_f64(seed, stream, offset, n, out));
}
inline void uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, float* out) {
  detail_api::check(dg_uniform_f32(seed, stream, offset, n, out));
}

// Standard normals offset .. offset+n-1.  threads > 1 splits the range into contiguous slices, one per thread;
// because every element depends only on (seed, stream, index), the result is bit-identical for any thread count.
// threads == 0 means std::thread::hardware_concurrency().  Small fills (< 65536 per thread) stay on the caller.
// Never terminates: a null `out` is refused (diaggauss::Error, DG_E_NULL_POINTER) before any slicing, and when a
// thread cannot be created (std::system_error, e.g. out of memory for its stack) the calling thread fills the
// slices that have no thread, so the result is the same, just slower.
template <class T>
void normal(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, T* out,
            unsigned threads = 1) {
  static_assert(detail_api::is_fp<T>, "diaggauss::normal: T must be float or double");
  auto fill = [&](std::size_t begin, std::size_t count) {
    if constexpr (std::is_same<T, double>::value) return dg_normal_f64(seed, stream, offset + begin, count, out + begin);
    else return dg_normal_f32(seed, stream, offset + begin, count, out + begin);
  };
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t min_per_thread = 65536;
  if (threads > 1 && n / threads < min_per_thread) threads = static_cast<unsigned>(std::max<std::size_t>(1, n / min_per_thread));
  // One call on the caller also for out == nullptr: the library refuses it whole (slices would get out + begin,
  // a non-null pointer the library cannot tell from a real one).
  if (threads <= 1 || out == nullptr) return detail_api::check(fill(0, n));
  std::vector<int> status(threads, DG_OK);
  std::vector<std::string> message(threads);
  std::vector<std::thread> pool;
  pool.reserve(threads);
  const std::size_t per = (n + threads - 1) / threads;
  auto run = [&](unsigned t) noexcept {
    const std::size_t begin = std::min<std::size_t>(n, t * per), count = std::min(per, n - begin);
    status[t] = fill(begin, count);
    if (status[t] != DG_OK) {
      try {
        message[t] = dg_last_error();  // dg_last_error is per thread
      } catch (...) {                  // no memory for the message: the status still says what happened
      }
    }
  };
  unsigned started = 0;
  for (; started < threads; ++started) {
    try {
      pool.emplace_back(run, started);
    } catch (...) {  // std::system_error: no thread for this slice; the caller runs it and the rest below
      break;
    }
  }
  for (unsigned t = started; t < threads; ++t) run(t);
  for (auto& th : pool) th.join();
  for (unsigned t = 0; t < threads; ++t)
    if (status[t] != DG_OK) throw Error(status[t], message[t].empty() ? dg_status_string(status[t]) : message[t]);
}

inline void sample_diag(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t np, std::size_t dim,
                        const double* mean, const double* sd, double* out) {
  detail_api::check(dg_sample_diag_f64(seed, stream, offset, np, dim, mean, sd, out));
}
inline void sample_diag(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t np, std::size_t dim,
                        const float* mean, const float* sd, float* out) {
  detail_api::check(dg_sample_diag_f32(seed, stream, offset, np, dim, mean, sd, out));
}
inline void sample_gmm(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t np, std::size_t dim,
                       std::size_t k, const double* w, const double* means, const double* sds, double* out,
                       std::uint32_t* labels = nullptr) {
  detail_api::check(dg_sample_gmm_f64(seed, stream, offset, np, dim, k, w, means, sds, out, labels));
}
inline void sample_gmm(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t np, std::size_t dim,
                       std::size_t k, const float* w, const float* means, const float* sds, float* out,
                       std::uint32_t* labels = nullptr) {
  detail_api::check(dg_sample_gmm_f32(seed, stream, offset, np, dim, k, w, means, sds, out, labels));
}

// The samplers with variances (the log-densities' convention): the same samples as with stddev = sqrt(var).
inline void sample_diag_var(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t np,
                            std::size_t dim, const double* mean, const double* var, double* out) {
  detail_api::check(dg_sample_diag_var_f64(seed, stream, offset, np, dim, mean, var, out));
}
inline void sample_diag_var(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t np,
                            std::size_t dim, const float* mean, const float* var, float* out) {
  detail_api::check(dg_sample_diag_var_f32(seed, stream, offset, np, dim, mean, var, out));
}
inline void sample_gmm_var(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t np,
                           std::size_t dim, std::size_t k, const double* w, const double* means, const double* vars,
                           double* out, std::uint32_t* labels = nullptr) {
  detail_api::check(dg_sample_gmm_var_f64(seed, stream, offset, np, dim, k, w, means, vars, out, labels));
}
inline void sample_gmm_var(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t np,
                           std::size_t dim, std::size_t k, const float* w, const float* means, const float* vars,
                           float* out, std::uint32_t* labels = nullptr) {
  detail_api::check(dg_sample_gmm_var_f32(seed, stream, offset, np, dim, k, w, means, vars, out, labels));
}

// A stateful convenience over the index-pure kernels: remembers (seed, stream) and the next Philox block, so
// successive draws continue the stream.  Two Streams with the same seed, stream and start produce the same numbers.
// The position counts whole Philox blocks (4 words each), not elements, and every draw takes whole units of its
// type's blocks (random-stream version 2, docs/random-stream.md): a chunk of 64 double normals is 24 blocks, a
// chunk of 64 float normals 16 blocks, a block holds 2 double or 4 float uniforms.  A draw starts at the first
// unit boundary of its type at or after position() and moves the position past its last unit, so no two draws
// ever share a block whatever types are mixed on one Stream.  (Counting elements, as this class did at first,
// gave normal<double>(n) then normal<float>(n) the same blocks.)  Draws that fill whole units (normals: multiples
// of 64) continue one another exactly; a partial unit's rest is skipped.  A draw that would run past the elements
// its type can address (2^64) throws Error(DG_E_INVALID_ARGUMENT) and leaves the position alone.
class Stream {
 public:
  // `first_block`: the Philox block the first draw starts at (rounded up to that draw's unit).
  explicit Stream(std::uint64_t seed, std::uint64_t stream = 0, std::uint64_t first_block = 0)
      : seed_(seed), stream_(stream), next_(first_block) {}

  template <class T>
  std::vector<T> normal(std::size_t n, unsigned threads = 1) {
    static_assert(detail_api::is_fp<T>, "diaggauss::Stream::normal: T must be float or double");
    std::vector<T> v(n);
    const Unit u = std::is_same<T, double>::value ? Unit{24, 64} : Unit{16, 64};
    const Claim c = claim(u, n, "normal");
    diaggauss::normal(seed_, stream_, c.first_element, n, v.data(), threads);
    next_ = c.next_block;
    return v;
  }
  template <class T>
  std::vector<T> uniform(std::size_t n) {
    static_assert(detail_api::is_fp<T>, "diaggauss::Stream::uniform: T must be float or double");
    std::vector<T> v(n);
    const Unit u = std::is_same<T, double>::value ? Unit{1, 2} : Unit{1, 4};
    const Claim c = claim(u, n, "uniform");
    diaggauss::uniform(seed_, stream_, c.first_element, n, v.data());
    next_ = c.next_block;
    return v;
  }
  std::uint64_t seed() const { return seed_; }
  std::uint64_t stream() const { return stream_; }
  // The next unused Philox block.
  std::uint64_t position() const { return next_; }

 private:
  struct Unit {  // a draw's granule: `blocks` Philox blocks hold `elements` consecutive elements
    std::uint64_t blocks, elements;
  };
  struct Claim {
    std::uint64_t first_element, next_block;
  };
  // The units a draw of n elements takes, from the first unit boundary at or after next_; throws when they would
  // pass the 2^64 elements of the type (2^64 / elements units).
  // An empty draw reads no block: it leaves the position alone and never throws, even at the stream's end.
  Claim claim(Unit u, std::size_t n, const char* what) const {
    if (n == 0) return {0, next_};
    const std::uint64_t limit = ~std::uint64_t{0} / u.elements + 1;  // units in 2^64 elements (a power of two)
    const std::uint64_t first = next_ / u.blocks + (next_ % u.blocks != 0);
    const std::uint64_t need = static_cast<std::uint64_t>(n / u.elements) + (n % u.elements != 0);
    if (first > limit || need > limit - first)
      throw Error(DG_E_INVALID_ARGUMENT, std::string("diaggauss::Stream::") + what + ": drawing " +
                                             std::to_string(n) + " values from block " + std::to_string(next_) +
                                             " would pass the end of the stream for this type");
    return {first * u.elements, (first + need) * u.blocks};
  }

  std::uint64_t seed_, stream_, next_;
};

}  // namespace diaggauss

#endif  // DIAGGAUSS_HPP
