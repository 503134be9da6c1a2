// C API of the Gaussian-sampling family.  Sample_diag and sample_gmm run in L1-sized chunks: the active
// implementation's normal kernel fills a chunk of the output, then its scale_shift_rows kernel turns the chunk
// into samples in place.  The mixture's component choice (src/component_select.hpp) uses integer Philox on the
// selection half of the stream (one block per four points), so it is the same on every implementation.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <numeric>
#include <string>
#include <cmath>
#include <new>
#include <vector>

#include "src/component_select.hpp"
#include "src/dispatch_access.hpp"
#include "src/guard.hpp"
#include "src/stream_range.hpp"
#include "src/validate.hpp"

namespace diaggauss::detail {
namespace {

int check_out(const char* fn, const void* out, std::size_t n) { return check_ptr(fn, "out", out, n); }

template <class T>
int uniform(const char* fn, std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, T* out) {
  int st;
  if ((st = check_out(fn, out, n))) return st;
  const Choice* a = choice_or_fail(Operation::uniform, {n, 1, 1, sizeof(T)}, fn, st);
  if (!a) return st;
  if (n) sample_of<T>(*a->table).uniform(seed, stream, offset, n, out);
  return DG_OK;
}

template <class T>
int normal(const char* fn, std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, T* out) {
  int st;
  if ((st = check_out(fn, out, n))) return st;
  const Choice* a = choice_or_fail(Operation::normal, {n, 1, 1, sizeof(T)}, fn, st);
  if (!a) return st;
  if (n) sample_of<T>(*a->table).normal(seed, stream, offset, n, out, a->blocking);
  return DG_OK;
}

// Rows per normal() call: sample_chunk values' worth, rounded down to a whole number of the stream's 64-normal
// chunks where the row count allows (rows * dim a multiple of 64): a call that starts or ends inside a chunk
// computes the whole chunk and keeps part of it, so with dim 3 and 1024 values a call cost 17 chunks for 16.
std::size_t rows_per_chunk(const Blocking& b, std::size_t dim) {
  const std::size_t d = std::max<std::size_t>(dim, 1);
  std::size_t rows = std::max<std::size_t>(1, b.sample_chunk / d);
  const std::size_t whole_chunks = 64 / std::gcd(d, std::size_t{64});  // the fewest rows that fill whole chunks
  if (rows >= whole_chunks) rows -= rows % whole_chunks;
  DG_NOTE_BLOCKING(kSampleChunkParam, rows);
  return rows;
}

template <class T>
int sample_diag(const char* fn, std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t npoints,
                std::size_t dim, const T* mean, const T* stddev, T* out) {
  int st;
  std::size_t total;
  if ((st = check_mul(fn, "npoints", npoints, "dim", dim, total))) return st;
  if ((st = check_out(fn, out, total)) || (st = check_ptr(fn, "mean", mean, dim)) ||
      (st = check_ptr(fn, "stddev", stddev, dim)))
    return st;
  if ((st = check_finite(fn, "mean", dim, mean)) ||
      (st = check_scale(fn, "stddev", dim, stddev, Scale::stddev_or_zero)))
    return st;
  if ((st = check_diag_offset(fn, offset, total))) return st;
  const Choice* a = choice_or_fail(Operation::sample_diag, {npoints, dim, 1, sizeof(T)}, fn, st);
  if (!a) return st;
  const SampleKernels<T>& k = sample_of<T>(*a->table);
  const std::size_t rows = rows_per_chunk(a->blocking, dim);
  for (std::size_t p0 = 0; p0 < npoints && total; p0 += rows) {
    const std::size_t r = std::min(rows, npoints - p0);
    T* chunk = out + p0 * dim;
    k.normal(seed, stream, offset + static_cast<std::uint64_t>(p0 * dim), r * dim, chunk, a->blocking);
    k.scale_shift_rows(r, dim, nullptr, mean, stddev, chunk);
  }
  return DG_OK;
}

template <class T>
int sample_gmm(const char* fn, std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t npoints,
               std::size_t dim, std::size_t ncomp, const T* weights, const T* means, const T* stddevs, T* out,
               std::uint32_t* labels) {
  int st;
  std::size_t total, kd;
  long double weight_sum;  // the selector normalises by its own running sum
  if ((st = check_mul(fn, "npoints", npoints, "dim", dim, total)) || (st = check_mul(fn, "ncomp", ncomp, "dim", dim, kd)))
    return st;
  if (ncomp > 0xFFFFFFFFull) return fail(DG_E_INVALID_ARGUMENT, std::string(fn) + ": ncomp exceeds 2^32 - 1");
  if ((st = check_out(fn, out, total)) || (st = check_ptr(fn, "weights", weights, ncomp)) ||
      (st = check_ptr(fn, "means", means, kd)) || (st = check_ptr(fn, "stddevs", stddevs, kd)))
    return st;
  // Weights equal to this thread's last selector's were validated then (src/component_select.hpp).
  if ((!ComponentSelector::seen_last(weights, ncomp) && (st = check_weights(fn, ncomp, weights, weight_sum))) ||
      (st = check_finite(fn, "means", kd, means, dim)) ||
      (st = check_scale(fn, "stddevs", kd, stddevs, Scale::stddev_or_zero, dim)))
    return st;
  if ((st = check_gmm_offset(fn, offset, npoints, dim))) return st;
  const Choice* a = choice_or_fail(Operation::sample_gmm, {npoints, dim, ncomp, sizeof(T)}, fn, st);
  if (!a) return st;
  const SampleKernels<T>& k = sample_of<T>(*a->table);
  const ComponentSelector selector(weights, ncomp, a->table->uniform_u32, a->table->count_above);
  const std::size_t rows = rows_per_chunk(a->blocking, dim);
  // Labels are chosen for a batch of at least kLabelBatch points at a time, not per normal chunk: with dim 16 a
  // chunk is only 64 points, and per-chunk selection calls (a 16-block Philox call and a threshold pass each)
  // measured ~10 % of sample_gmm on AVX2.  Which points get which label does not depend on the batching.
  constexpr std::size_t kLabelBatch = 2048;
  const std::size_t batch = std::min(npoints, rows * ((kLabelBatch + rows - 1) / rows));
  // Not zero-filled (select() writes every label it is asked for): the fill showed in the profile.  On the stack
  // when it fits (a heap buffer per call showed in small calls' profiles, with the selector's set-up).
  constexpr std::size_t kStackLabels = 4096;
  std::uint32_t stack_labels[kStackLabels];
  std::unique_ptr<std::uint32_t[]> heap_labels(labels || batch <= kStackLabels ? nullptr : new std::uint32_t[batch]);
  std::uint32_t* const batch_labels = heap_labels ? heap_labels.get() : stack_labels;
  for (std::size_t b0 = 0; b0 < npoints; b0 += batch) {
    const std::size_t nb = std::min(batch, npoints - b0);
    std::uint32_t* lab = labels ? labels + b0 : batch_labels;
    selector.select(seed, stream, offset + b0, nb, lab);
    if (!dim) continue;
    for (std::size_t q0 = 0; q0 < nb; q0 += rows) {
      const std::size_t r = std::min(rows, nb - q0);
      const std::uint64_t P0 = offset + b0 + q0;
      T* chunk = out + (b0 + q0) * dim;
      k.normal(seed, stream, P0 * dim, r * dim, chunk, a->blocking);
      k.scale_shift_rows(r, dim, lab + q0, means, stddevs, chunk);
    }
  }
  return DG_OK;
}

// The _var samplers: validate the variances (0, or finite and >= the smallest normal number, as stddevs; named `arg` in errors), take their square roots, and
// sample with those standard deviations — one convention with the log-densities, which take variances too.
template <class T>
int stddevs_of(const char* fn, const char* arg, std::size_t n, const T* var, std::size_t cols, std::vector<T>& sd) {
  int st;
  if ((st = check_ptr(fn, arg, var, n)) || (st = check_scale(fn, arg, n, var, Scale::stddev_or_zero, cols))) return st;
  try {
    sd.resize(n);
  } catch (const std::bad_alloc&) {
    return fail(DG_E_NOMEM, std::string(fn) + ": out of memory for " + std::to_string(n) + " standard deviations");
  }
  for (std::size_t i = 0; i < n; ++i) sd[i] = std::sqrt(var[i]);
  return DG_OK;
}

template <class T>
int sample_diag_var(const char* fn, std::uint64_t seed, std::uint64_t stream, std::uint64_t offset,
                    std::size_t npoints, std::size_t dim, const T* mean, const T* var, T* out) {
  std::vector<T> sd;
  if (int st = stddevs_of(fn, "var", dim, var, 0, sd)) return st;
  return sample_diag(fn, seed, stream, offset, npoints, dim, mean, sd.data(), out);
}

template <class T>
int sample_gmm_var(const char* fn, std::uint64_t seed, std::uint64_t stream, std::uint64_t offset,
                   std::size_t npoints, std::size_t dim, std::size_t ncomp, const T* weights, const T* means,
                   const T* vars, T* out, std::uint32_t* labels) {
  int st;
  std::size_t kd;
  std::vector<T> sds;
  if ((st = check_mul(fn, "ncomp", ncomp, "dim", dim, kd)) || (st = stddevs_of(fn, "vars", kd, vars, dim, sds)))
    return st;
  return sample_gmm(fn, seed, stream, offset, npoints, dim, ncomp, weights, means, sds.data(), out, labels);
}

}  // namespace
}  // namespace diaggauss::detail

using namespace diaggauss::detail;

extern "C" {

int dg_uniform_u32(uint64_t seed, uint64_t stream, uint64_t offset, size_t n, uint32_t* out) {
  return guarded(__func__, [&](const char* fn) {
    int st;
    if ((st = check_out(fn, out, n))) return st;
    const Choice* a = choice_or_fail(Operation::uniform_u32, {n, 1, 1, sizeof(std::uint32_t)}, fn, st);
    if (!a) return st;
    if (n) a->table->uniform_u32(seed, stream, 0, offset, n, out);
    return int{DG_OK};
  });
}
int dg_uniform_f64(uint64_t seed, uint64_t stream, uint64_t offset, size_t n, double* out) {
  return guarded(__func__, [&](const char* fn) { return uniform(fn, seed, stream, offset, n, out); });
}
int dg_uniform_f32(uint64_t seed, uint64_t stream, uint64_t offset, size_t n, float* out) {
  return guarded(__func__, [&](const char* fn) { return uniform(fn, seed, stream, offset, n, out); });
}
int dg_normal_f64(uint64_t seed, uint64_t stream, uint64_t offset, size_t n, double* out) {
  return guarded(__func__, [&](const char* fn) { return normal(fn, seed, stream, offset, n, out); });
}
int dg_normal_f32(uint64_t seed, uint64_t stream, uint64_t offset, size_t n, float* out) {
  return guarded(__func__, [&](const char* fn) { return normal(fn, seed, stream, offset, n, out); });
}
int dg_sample_diag_f64(uint64_t seed, uint64_t stream, uint64_t offset, size_t np, size_t dim, const double* mean,
                       const double* sd, double* out) {
  return guarded(__func__, [&](const char* fn) { return sample_diag(fn, seed, stream, offset, np, dim, mean, sd, out); });
}
int dg_sample_diag_f32(uint64_t seed, uint64_t stream, uint64_t offset, size_t np, size_t dim, const float* mean,
                       const float* sd, float* out) {
  return guarded(__func__, [&](const char* fn) { return sample_diag(fn, seed, stream, offset, np, dim, mean, sd, out); });
}
int dg_sample_gmm_f64(uint64_t seed, uint64_t stream, uint64_t offset, size_t np, size_t dim, size_t nc,
                      const double* w, const double* means, const double* sds, double* out, uint32_t* labels) {
  return guarded(__func__, [&](const char* fn) { return sample_gmm(fn, seed, stream, offset, np, dim, nc, w, means, sds, out, labels); });
}
int dg_sample_gmm_f32(uint64_t seed, uint64_t stream, uint64_t offset, size_t np, size_t dim, size_t nc,
                      const float* w, const float* means, const float* sds, float* out, uint32_t* labels) {
  return guarded(__func__, [&](const char* fn) { return sample_gmm(fn, seed, stream, offset, np, dim, nc, w, means, sds, out, labels); });
}

int dg_sample_diag_var_f64(uint64_t seed, uint64_t stream, uint64_t offset, size_t np, size_t dim,
                           const double* mean, const double* var, double* out) {
  return guarded(__func__, [&](const char* fn) { return sample_diag_var(fn, seed, stream, offset, np, dim, mean, var, out); });
}
int dg_sample_diag_var_f32(uint64_t seed, uint64_t stream, uint64_t offset, size_t np, size_t dim, const float* mean,
                           const float* var, float* out) {
  return guarded(__func__, [&](const char* fn) { return sample_diag_var(fn, seed, stream, offset, np, dim, mean, var, out); });
}
int dg_sample_gmm_var_f64(uint64_t seed, uint64_t stream, uint64_t offset, size_t np, size_t dim, size_t nc,
                          const double* w, const double* means, const double* vars, double* out, uint32_t* labels) {
  return guarded(__func__, [&](const char* fn) { return sample_gmm_var(fn, seed, stream, offset, np, dim, nc, w, means, vars, out, labels); });
}
int dg_sample_gmm_var_f32(uint64_t seed, uint64_t stream, uint64_t offset, size_t np, size_t dim, size_t nc,
                          const float* w, const float* means, const float* vars, float* out, uint32_t* labels) {
  return guarded(__func__, [&](const char* fn) { return sample_gmm_var(fn, seed, stream, offset, np, dim, nc, w, means, vars, out, labels); });
}

}  // extern "C"
