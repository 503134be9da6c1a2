// C API of the Monte Carlo engine (diaggauss/mc.h): validate the model and the run as the rest of the API does
// (src/validate.hpp: one weights rule, one variance range), then hand them to the engine (mc/engine.cpp).
#include <algorithm>
#include <cfloat>
#include <climits>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "diaggauss/mc.h"
#include "mc/engine.hpp"
#include "src/dispatch_access.hpp"
#include "src/guard.hpp"
#include "src/validate.hpp"

namespace diaggauss::detail {
namespace {

int invalid(const char* fn, const std::string& what) { return fail(DG_E_INVALID_ARGUMENT, std::string(fn) + ": " + what); }

int check_samples(const char* fn, std::uint64_t samples) {
  if (samples == 0 || samples > DG_MC_MAX_SAMPLES)
    return invalid(fn, "samples = " + std::to_string(samples) + " must lie in [1, 2^53] (the count stays exact in a double)");
  return DG_OK;
}

// The model and the run.  `weights` receives the weights the engine is to use: the caller's, or their normalised
// copy in `normalized` (see below).
int check_config(const char* fn, const dg_mc_config& c, std::vector<double>& normalized, const double*& weights) {
  int st;
  std::size_t kd;
  if ((st = check_mul(fn, "ncomp", c.ncomp, "dim", c.dim, kd))) return st;
  if (c.dim == 0) return invalid(fn, "dim must be at least 1");
  if ((st = check_ptr(fn, "weights", c.weights, c.ncomp)) || (st = check_ptr(fn, "means", c.means, kd)) ||
      (st = check_ptr(fn, "vars", c.vars, kd)))
    return st;
  long double sum;
  if ((st = check_weights(fn, c.ncomp, c.weights, sum)) || (st = check_finite(fn, "means", kd, c.means, c.dim)) ||
      (st = check_scale(fn, "vars", kd, c.vars, Scale::variance, c.dim)) || (st = check_samples(fn, c.samples)))
    return st;
  if (c.path != DG_MC_SIMD && c.path != DG_MC_DIAGONAL && c.path != DG_MC_GENERIC)
    return invalid(fn, "path = " + std::to_string(c.path) + " is not a dg_mc_path (DG_MC_SIMD, DG_MC_DIAGONAL, DG_MC_GENERIC)");
  if (c.path == DG_MC_GENERIC) {
    if (!c.dgesv)
      return fail(DG_E_NULL_POINTER, std::string(fn) + ": dgesv is NULL: the generic path needs LAPACK's dgesv_ "
                                                         "(the library does not link LAPACK)");
    std::size_t dd;
    if (c.dim > static_cast<std::size_t>(INT_MAX)) return invalid(fn, "dim is too large for LAPACK's int sizes");
    if ((st = check_mul(fn, "dim", c.dim, "dim", c.dim, dd))) return st;
  }
  // The diagonal and generic paths take log(w_k) as given (the sampler and dg_gmm_logpdf normalise on their own),
  // so weights that do not sum to 1 are divided by their sum first, as dg_normalize_weights_f64 does.  Weights
  // already normalised (a model file, the random model) are used as they are, bit for bit: dividing again by a sum
  // within rounding of 1 could move their last bits and with them the estimate.
  weights = c.weights;
  if (std::fabs(static_cast<double>(sum - 1)) > 2.0 * static_cast<double>(c.ncomp) * DBL_EPSILON) {
    normalized.resize(c.ncomp);
    for (std::size_t k = 0; k < c.ncomp; ++k) normalized[k] = static_cast<double>(c.weights[k] / sum);
    weights = normalized.data();
  }
  return DG_OK;
}

int chunk_sums(const char* fn, const dg_mc_config* config, std::uint64_t first, std::uint64_t last, dg_mc_sums* sums,
               unsigned* threads_started) {
  int st;
  if ((st = check_ptr(fn, "config", config, 1))) return st;
  const dg_mc_config& c = *config;
  std::vector<double> normalized;
  const double* weights = nullptr;
  if ((st = check_config(fn, c, normalized, weights))) return st;
  const std::uint64_t nchunks = mc::chunk_count(c.samples);
  if (first > last || last > nchunks)
    return invalid(fn, "chunks [" + std::to_string(first) + ", " + std::to_string(last) + ") are not within the run's [0, " +
                           std::to_string(nchunks) + ")");
  if ((st = check_ptr(fn, "sums", sums, static_cast<std::size_t>(last - first)))) return st;
  // Points per sampling/evaluation call: the sampler's tuned chunk (in values) spread over the dimension, as the
  // API would choose it for sampling one whole chunk in one call (its size class from working_set_bytes, the
  // API's own definition; the calls then made are `block` points each and the API classifies those itself).
  const Choice* a = choice_or_fail(Operation::sample_gmm, {mc::kChunkPoints, c.dim, c.ncomp, sizeof(double)}, fn, st);
  if (!a) return st;
  mc::Run run;
  run.path = static_cast<dg_mc_path>(c.path);
  run.dgesv = c.dgesv;
  run.seed = c.seed, run.samples = c.samples;
  run.threads = c.threads ? c.threads : std::max(1u, std::thread::hardware_concurrency());
  run.pin_threads = c.pin_threads != 0;
  // A multiple of 4, so that the engine's four running sums see the same points whatever the profile says.
  run.block = std::max<std::size_t>(
                  256, std::min<std::size_t>(mc::kChunkPoints, 4 * a->blocking.sample_chunk / std::max<std::size_t>(1, c.dim))) /
              4 * 4;
  const mc::Model model{c.ncomp, c.dim, weights, c.means, c.vars};
  std::vector<dg_mc_sums> out(static_cast<std::size_t>(last - first));  // nothing is written on error
  unsigned started = 0;
  std::string message;
  if ((st = mc::run_chunks(model, run, first, last, out.data(), started, message)))
    return fail(st, std::string(fn) + ": " + message);
  std::copy(out.begin(), out.end(), sums);
  if (threads_started) *threads_started = started;
  return DG_OK;
}

int combine(const char* fn, std::uint64_t samples, std::uint64_t nchunks, const dg_mc_sums* sums, double* estimate,
            double* std_error) {
  int st;
  if ((st = check_samples(fn, samples))) return st;
  if (nchunks != mc::chunk_count(samples))
    return invalid(fn, "nchunks = " + std::to_string(nchunks) + ", but " + std::to_string(samples) + " samples make " +
                           std::to_string(mc::chunk_count(samples)) + " chunks: every chunk's sums are needed");
  if ((st = check_ptr(fn, "sums", sums, static_cast<std::size_t>(nchunks))) ||
      (st = check_ptr(fn, "estimate", estimate, 1)) || (st = check_ptr(fn, "std_error", std_error, 1)))
    return st;
  mc::combine(sums, nchunks, samples, *estimate, *std_error);
  return DG_OK;
}

int estimate(const char* fn, std::uint64_t samples, const dg_mc_sums* total, double* est, double* std_error) {
  int st;
  if ((st = check_samples(fn, samples)) || (st = check_ptr(fn, "total", total, 1)) ||
      (st = check_ptr(fn, "estimate", est, 1)) || (st = check_ptr(fn, "std_error", std_error, 1)))
    return st;
  mc::estimate(*total, samples, *est, *std_error);
  return DG_OK;
}

int random_mixture(const char* fn, std::uint64_t seed, std::size_t K, std::size_t D, double* weights, double* means,
                   double* vars) {
  int st;
  std::size_t kd, total;
  if (K == 0 || D == 0) return invalid(fn, "ncomp and dim must be at least 1");
  if ((st = check_mul(fn, "ncomp", K, "dim", D, kd))) return st;
  if (__builtin_add_overflow(kd, K, &total)) return size_overflow(fn, "ncomp", K, "dim + 1", D);
  if ((st = check_ptr(fn, "weights", weights, K)) || (st = check_ptr(fn, "means", means, kd)) ||
      (st = check_ptr(fn, "vars", vars, kd)))
    return st;
  const std::uint64_t stream = 0xC0FFEE;
  std::vector<double> u(total), z(kd);  // u: K weights, then K x D variances; z: K x D means
  if ((st = dg_uniform_f64(seed, stream, 0, u.size(), u.data())) || (st = dg_normal_f64(seed, stream + 1, 0, z.size(), z.data())))
    return fail(st, std::string(fn) + ": " + dg_last_error());
  double sum = 0;
  for (std::size_t k = 0; k < K; ++k) sum += (u[k] += 0.5);  // weights in [0.5, 1.5) before normalising
  for (std::size_t k = 0; k < K; ++k) weights[k] = u[k] / sum;
  for (std::size_t i = 0; i < kd; ++i) {
    means[i] = 3.0 * z[i];
    vars[i] = std::exp(3.0 * u[K + i] - 1.5);
  }
  return DG_OK;
}

}  // namespace
}  // namespace diaggauss::detail

using namespace diaggauss::detail;

extern "C" {

int dg_mc_chunk_sums_f64(const dg_mc_config* config, uint64_t first_chunk, uint64_t last_chunk, dg_mc_sums* sums,
                         unsigned* threads_started) {
  return guarded(__func__, [&](const char* fn) { return chunk_sums(fn, config, first_chunk, last_chunk, sums, threads_started); });
}
int dg_mc_combine_f64(uint64_t samples, uint64_t nchunks, const dg_mc_sums* sums, double* estimate, double* std_error) {
  return guarded(__func__, [&](const char* fn) { return combine(fn, samples, nchunks, sums, estimate, std_error); });
}
int dg_mc_estimate_f64(uint64_t samples, const dg_mc_sums* total, double* estimate, double* std_error) {
  return guarded(__func__, [&](const char* fn) { return diaggauss::detail::estimate(fn, samples, total, estimate, std_error); });
}
int dg_mc_random_mixture_f64(uint64_t seed, size_t ncomp, size_t dim, double* weights, double* means, double* vars) {
  return guarded(__func__, [&](const char* fn) { return random_mixture(fn, seed, ncomp, dim, weights, means, vars); });
}

}  // extern "C"
