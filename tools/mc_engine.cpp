#include "tools/mc_engine.hpp"

#include <dlfcn.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>

#include "diaggauss/diaggauss.h"
#include "dispatch/selection.hpp"
#include "kernels/scalar/scalar_kernels.hpp"
#include "tools/thread_pin.hpp"

#if DG_HAVE_LAPACK
extern "C" void dgesv_(const int* n, const int* nrhs, double* a, const int* lda, int* ipiv, double* b, const int* ldb,
                       int* info);
#endif

namespace diaggauss::cli {

namespace {

constexpr double kLog2Pi = 1.8378770664093454836;

// Per-call constants shared by the diagonal and generic paths.
struct Prepared {
  std::vector<double> stddevs, inv_vars, log_norm, log_weight;
  explicit Prepared(const MixtureModel& m) : stddevs(m.stddevs()), inv_vars(m.K * m.D), log_norm(m.K), log_weight(m.K) {
    for (std::size_t i = 0; i < inv_vars.size(); ++i) inv_vars[i] = 1.0 / m.variances[i];  // reciprocal once...
    for (std::size_t k = 0; k < m.K; ++k) {
      double s = m.D * kLog2Pi;
      for (std::size_t d = 0; d < m.D; ++d) s += std::log(m.variances[k * m.D + d]);
      log_norm[k] = -0.5 * s;
      log_weight[k] = std::log(m.weights[k]);
    }
  }
};

double log_sum_exp(const double* l, std::size_t K) {
  double mx = -std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < K; ++k) mx = std::max(mx, l[k]);
  if (mx == -std::numeric_limits<double>::infinity()) return mx;
  double s = 0;
  for (std::size_t k = 0; k < K; ++k) s += std::exp(l[k] - mx);
  return mx + std::log(s);
}

// What the numpy code did: per sample and component, a dense LU solve of the full D x D covariance.
void logpdf_generic(const MixtureModel& m, const Prepared& pre, const double* X, std::size_t n, double* out) {
#if DG_HAVE_LAPACK
  const int D = static_cast<int>(m.D), one = 1;
  std::vector<double> A(m.D * m.D), y(m.D), l(m.K);
  std::vector<int> ipiv(m.D);
  for (std::size_t p = 0; p < n; ++p) {
    const double* x = X + p * m.D;
    for (std::size_t k = 0; k < m.K; ++k) {
      std::fill(A.begin(), A.end(), 0.0);
      for (std::size_t d = 0; d < m.D; ++d) {
        A[d * m.D + d] = m.variances[k * m.D + d];
        y[d] = x[d] - m.means[k * m.D + d];
      }
      int info = 0;
      dgesv_(&D, &one, A.data(), &D, ipiv.data(), y.data(), &D, &info);
      double quad = 0, logdet = 0;
      for (std::size_t d = 0; d < m.D; ++d) {
        quad += (x[d] - m.means[k * m.D + d]) * y[d];
        logdet += std::log(std::fabs(A[d * m.D + d]));
      }
      l[k] = pre.log_weight[k] - 0.5 * (m.D * kLog2Pi + logdet + quad);
    }
    out[p] = log_sum_exp(l.data(), m.K);
  }
#else
  (void)m, (void)pre, (void)X, (void)n, (void)out;
#endif
}

// The scalar reference kernels: reciprocal computed once, then multiplications.
void logpdf_diagonal(const MixtureModel& m, const Prepared& pre, const double* X, std::size_t n, double* out) {
  scalar::gmm_logpdf<double>(n, m.D, m.K, X, pre.log_norm.data(), pre.log_weight.data(), m.means.data(),
                             pre.inv_vars.data(), out, nullptr, Blocking{});
}

// A failed library call: the chunk is abandoned with the library's message.
struct LibraryFailure {
  std::string message;
};

ChunkSums run_chunk(const MixtureModel& m, const Prepared& pre, std::uint64_t seed, std::size_t begin, std::size_t end,
                    McPath path, std::size_t block) {
  std::vector<double> X(block * m.D), lp(block);
  double sum[4] = {0, 0, 0, 0}, sum_sq[4] = {0, 0, 0, 0};
  for (std::size_t p0 = begin; p0 < end; p0 += block) {
    const std::size_t n = std::min(block, end - p0);
    if (dg_sample_gmm_f64(seed, 0, p0, n, m.D, m.K, m.weights.data(), m.means.data(), pre.stddevs.data(), X.data(),
                          nullptr) != DG_OK)
      throw LibraryFailure{std::string("dg_sample_gmm_f64: ") + dg_last_error()};
    switch (path) {
      case McPath::generic: logpdf_generic(m, pre, X.data(), n, lp.data()); break;
      case McPath::diagonal: logpdf_diagonal(m, pre, X.data(), n, lp.data()); break;
      case McPath::simd:
        if (dg_gmm_logpdf_f64(n, m.D, m.K, X.data(), m.weights.data(), m.means.data(), m.variances.data(), lp.data(),
                              nullptr) != DG_OK)
          throw LibraryFailure{std::string("dg_gmm_logpdf_f64: ") + dg_last_error()};
        break;
    }
    // Four running sums (point i into sum i % 4) break the add latency chain; the split depends only on the
    // point's place in its chunk, so the result is the same for any thread or process count.
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4)
      for (std::size_t l = 0; l < 4; ++l) sum[l] += lp[i + l], sum_sq[l] += lp[i + l] * lp[i + l];
    for (; i < n; ++i) sum[i % 4] += lp[i], sum_sq[i % 4] += lp[i] * lp[i];
  }
  ChunkSums s;
  s.sum = (sum[0] + sum[1]) + (sum[2] + sum[3]);
  s.sum_sq = (sum_sq[0] + sum_sq[1]) + (sum_sq[2] + sum_sq[3]);
  return s;
}

// The generic path solves one D x D system at a time, so BLAS threads get no work; but OpenBLAS's pthread build
// starts its workers when it is loaded and they spin in sched_yield, on the cores our own workers need
// (measured on 2 cores: the simd path ran 0.070 s instead of 0.096 s per 10^6 points without them).  Setting
// one thread is not enough (the idle workers keep spinning until their timeout), so they are also shut down.
// Looked up at run time so that any LAPACK provider links; without OpenBLAS there is nothing to do.
void single_threaded_blas() {
  static std::once_flag once;
  std::call_once(once, [] {
    using SetThreads = void (*)(int);
    using Shutdown = int (*)();
    if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(1);
    if (auto stop = reinterpret_cast<Shutdown>(dlsym(RTLD_DEFAULT, "blas_thread_shutdown_"))) stop();
  });
}

}  // namespace

const char* mc_path_name(McPath p) {
  switch (p) {
    case McPath::generic: return "generic";
    case McPath::diagonal: return "diagonal";
    case McPath::simd: return "simd";
  }
  return "?";
}

bool generic_path_available(std::string& why) {
#if DG_HAVE_LAPACK
  (void)why;
  return true;
#else
  why = "this build has no LAPACK (install libopenblas-dev and rebuild)";
  return false;
#endif
}

// Written so that it cannot overflow for samples near SIZE_MAX (samples + kChunkPoints - 1 would).
std::size_t chunk_count(std::size_t samples) { return samples / kChunkPoints + (samples % kChunkPoints != 0); }

std::vector<ChunkSums> run_chunks(const MixtureModel& m, std::uint64_t seed, std::size_t samples, McPath path,
                                  unsigned threads, std::size_t first, std::size_t last, bool pin_threads,
                                  std::string* error, unsigned* started) {
  single_threaded_blas();
  const Prepared pre(m);
  // Points per sampling/evaluation block: the sampler's tuned chunk (in values) spread over the dimension.
  const auto& blk = detail::active(detail::Operation::sample_gmm)->pick(kChunkPoints * m.D * sizeof(double)).blocking;
  // A multiple of 4, so that run_chunk's four running sums see the same points whatever the profile says.
  const std::size_t block =
      std::max<std::size_t>(256, std::min<std::size_t>(kChunkPoints, 4 * blk.sample_chunk / std::max<std::size_t>(1, m.D))) / 4 * 4;
  std::vector<ChunkSums> out(last - first);
  std::atomic<std::size_t> next{first};
  std::mutex error_mutex;
  std::string first_error;
  auto worker = [&] {
    try {
      for (std::size_t c; (c = next.fetch_add(1)) < last;) {
        const std::size_t begin = c * kChunkPoints, end = std::min(samples, begin + kChunkPoints);
        out[c - first] = run_chunk(m, pre, seed, begin, end, path, block);
      }
    } catch (const LibraryFailure& f) {
      next.store(last);  // the others stop at their next chunk
      const std::lock_guard<std::mutex> lock(error_mutex);
      if (first_error.empty()) first_error = f.message;
    }
  };
  std::vector<std::thread> pool;
  // Workers 1.. pin themselves; this thread (worker 0) pins itself after starting them, so that they inherit
  // the full CPU set, and gets that set back when `pinning` goes (tools/thread_pin.hpp: why pin at all).
  WorkerPinning pinning(pin_threads ? threads : 1);
  for (unsigned t = 1; t < std::max(1u, threads); ++t) {
    try {
      pool.emplace_back([&, t] {
        pinning.pin(t);
        worker();
      });
    } catch (const std::system_error&) {
      break;  // the system allows no more threads: the ones running share the chunks
    }
  }
  if (started) *started = static_cast<unsigned>(pool.size()) + 1;
  pinning.pin(0);
  worker();
  for (auto& th : pool) th.join();
  if (!first_error.empty()) {
    if (error) *error = first_error;
    return {};
  }
  return out;
}

McResult combine(const std::vector<ChunkSums>& chunks, std::size_t samples) {
  double sum = 0, sum_sq = 0;
  for (const ChunkSums& c : chunks) sum += c.sum, sum_sq += c.sum_sq;  // chunk order
  McResult r;
  r.samples = samples;
  const double n = static_cast<double>(samples), mean = sum / n;
  r.estimate = -mean;
  const double var = samples > 1 ? std::max(0.0, (sum_sq - n * mean * mean) / (n - 1)) : 0;
  r.std_error = std::sqrt(var / n);
  return r;
}

}  // namespace diaggauss::cli
