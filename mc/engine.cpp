#include "mc/engine.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <new>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "diaggauss/diaggauss.h"
#include "kernels/scalar/scalar_kernels.hpp"
#include "mc/thread_pin.hpp"

namespace diaggauss::detail::mc {

namespace {

constexpr double kLog2Pi = 1.8378770664093454836;

// Per-run constants shared by the diagonal and generic paths.
struct Prepared {
  std::vector<double> stddevs, inv_vars, log_norm, log_weight;
  explicit Prepared(const Model& m) : stddevs(m.K * m.D), inv_vars(m.K * m.D), log_norm(m.K), log_weight(m.K) {
    for (std::size_t i = 0; i < stddevs.size(); ++i) stddevs[i] = std::sqrt(m.variances[i]);
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
void logpdf_generic(const Model& m, const Prepared& pre, dg_dgesv_fn dgesv, const double* X, std::size_t n,
                    double* out) {
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
      dgesv(&D, &one, A.data(), &D, ipiv.data(), y.data(), &D, &info);
      double quad = 0, logdet = 0;
      for (std::size_t d = 0; d < m.D; ++d) {
        quad += (x[d] - m.means[k * m.D + d]) * y[d];
        logdet += std::log(std::fabs(A[d * m.D + d]));
      }
      l[k] = pre.log_weight[k] - 0.5 * (m.D * kLog2Pi + logdet + quad);
    }
    out[p] = log_sum_exp(l.data(), m.K);
  }
}

// The scalar reference kernels: reciprocal computed once, then multiplications.
void logpdf_diagonal(const Model& m, const Prepared& pre, const double* X, std::size_t n, double* out) {
  scalar::gmm_logpdf<double>(n, m.D, m.K, X, pre.log_norm.data(), pre.log_weight.data(), m.means,
                             pre.inv_vars.data(), out, nullptr, Blocking{});
}

// A failed library call or allocation: every worker stops; the status and message go to the caller.
struct Failure {
  int status;
  std::string message;
};

dg_mc_sums run_chunk(const Model& m, const Prepared& pre, const Run& run, std::size_t begin, std::size_t end) {
  const std::size_t block = run.block;
  std::vector<double> X(block * m.D), lp(block);
  double sum[4] = {0, 0, 0, 0}, sum_sq[4] = {0, 0, 0, 0};
  for (std::size_t p0 = begin; p0 < end; p0 += block) {
    const std::size_t n = std::min(block, end - p0);
    if (int st = dg_sample_gmm_f64(run.seed, 0, p0, n, m.D, m.K, m.weights, m.means, pre.stddevs.data(), X.data(),
                                   nullptr))
      throw Failure{st, dg_last_error()};
    switch (run.path) {
      case DG_MC_GENERIC: logpdf_generic(m, pre, run.dgesv, X.data(), n, lp.data()); break;
      case DG_MC_DIAGONAL: logpdf_diagonal(m, pre, X.data(), n, lp.data()); break;
      case DG_MC_SIMD:
        if (int st = dg_gmm_logpdf_f64(n, m.D, m.K, X.data(), m.weights, m.means, m.variances, lp.data(), nullptr))
          throw Failure{st, dg_last_error()};
        break;
    }
    // Four running sums (point i into sum i % 4) break the add latency chain; the split depends only on the
    // point's place in its chunk (block is a multiple of 4), so the result is the same for any thread or process
    // count.
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4)
      for (std::size_t l = 0; l < 4; ++l) sum[l] += lp[i + l], sum_sq[l] += lp[i + l] * lp[i + l];
    for (; i < n; ++i) sum[i % 4] += lp[i], sum_sq[i % 4] += lp[i] * lp[i];
  }
  dg_mc_sums s;
  s.sum = (sum[0] + sum[1]) + (sum[2] + sum[3]);
  s.sum_sq = (sum_sq[0] + sum_sq[1]) + (sum_sq[2] + sum_sq[3]);
  return s;
}

}  // namespace

std::uint64_t chunk_count(std::uint64_t samples) { return samples / kChunkPoints + (samples % kChunkPoints != 0); }

int run_chunks(const Model& m, const Run& run, std::uint64_t first, std::uint64_t last, dg_mc_sums* out,
               unsigned& started, std::string& message) {
  const Prepared pre(m);
  std::atomic<std::uint64_t> next{first};
  std::mutex failure_mutex;
  Failure failure{DG_OK, {}};
  // A worker never lets an exception out (it would call std::terminate): the first failure is kept and every
  // worker stops at its next chunk.
  auto worker = [&]() noexcept {
    Failure f{DG_OK, {}};
    try {
      for (std::uint64_t c; (c = next.fetch_add(1)) < last;) {
        const std::uint64_t begin = c * kChunkPoints, end = std::min(run.samples, begin + kChunkPoints);
        out[c - first] = run_chunk(m, pre, run, begin, end);
      }
    } catch (Failure& e) {
      f = std::move(e);
    } catch (const std::bad_alloc&) {
      f.status = DG_E_NOMEM;
    } catch (const std::exception& e) {
      f.status = DG_E_INTERNAL;
      try {
        f.message = e.what();
      } catch (...) {  // no memory for the message: the status still says what happened
      }
    } catch (...) {
      f.status = DG_E_INTERNAL;
    }
    if (f.status == DG_OK) return;
    next.store(last);
    const std::lock_guard<std::mutex> lock(failure_mutex);
    if (failure.status == DG_OK) failure = std::move(f);
  };
  std::vector<std::thread> pool;
  // Workers 1.. pin themselves; this thread (worker 0) pins itself after starting them, so that they inherit
  // the full CPU set, and gets that set back when `pinning` goes (mc/thread_pin.hpp: why pin at all).
  WorkerPinning pinning(run.pin_threads ? run.threads : 1);
  for (unsigned t = 1; t < std::max(1u, run.threads); ++t) {
    try {
      pool.emplace_back([&, t] {
        pinning.pin(t);
        worker();
      });
    } catch (const std::system_error&) {
      break;  // the system allows no more threads: the ones running share the chunks
    } catch (const std::bad_alloc&) {
      break;
    }
  }
  started = static_cast<unsigned>(pool.size()) + 1;
  pinning.pin(0);
  worker();
  for (auto& th : pool) th.join();
  if (failure.status == DG_OK) return DG_OK;
  message = !failure.message.empty() ? failure.message
            : failure.status == DG_E_NOMEM ? "out of memory for a worker's block of points"
                                           : "unknown exception in a worker";
  return failure.status;
}

void combine(const dg_mc_sums* chunks, std::uint64_t nchunks, std::uint64_t samples, double& est,
             double& std_error) {
  dg_mc_sums total{0, 0};
  for (std::uint64_t c = 0; c < nchunks; ++c) total.sum += chunks[c].sum, total.sum_sq += chunks[c].sum_sq;  // chunk order
  estimate(total, samples, est, std_error);
}

void estimate(const dg_mc_sums& total, std::uint64_t samples, double& est, double& std_error) {
  const double n = static_cast<double>(samples), mean = total.sum / n;
  est = -mean;
  const double var = samples > 1 ? std::max(0.0, (total.sum_sq - n * mean * mean) / (n - 1)) : 0;
  std_error = std::sqrt(var / n);
}

}  // namespace diaggauss::detail::mc
