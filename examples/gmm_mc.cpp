// gmm_mc — the example a newcomer copies: Monte Carlo entropy H = -E[log p(X)] of a diagonal Gaussian mixture,
// with diaggauss doing the two hot loops (sampling and the mixture log-density) on the best SIMD path of the CPU.
//
//   build/gmm_mc [samples]        (the CLI's `diaggauss mc` is the full version: paths, threads, MPI, JSON)
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "diaggauss/diaggauss.hpp"

int main(int argc, char** argv) {
  const std::size_t N = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  // A 3-component mixture in 4 dimensions: weights, then per component its means and variances.
  const std::size_t K = 3, D = 4;
  const std::vector<double> weights = {0.5, 0.3, 0.2};
  const std::vector<double> means = {0, 0, 0, 0, /**/ 3, -1, 2, 0, /**/ -2, 4, 1, 1};
  const std::vector<double> vars = {1, 2, 0.5, 1, /**/ 0.3, 0.3, 1, 2, /**/ 4, 1, 1, 0.5};
  std::vector<double> stddevs(vars.size());
  for (std::size_t i = 0; i < vars.size(); ++i) stddevs[i] = std::sqrt(vars[i]);

  const std::uint64_t seed = 2026;
  const std::size_t block = 4096;  // points per step: fits in L1/L2 with its log-densities
  std::vector<double> X(block * D), logp(block);
  double sum = 0, sum_sq = 0;
  try {
    for (std::size_t first = 0; first < N; first += block) {
      const std::size_t n = std::min(block, N - first);
      // Points first .. first+n-1 of the stream: any blocking gives the same samples (index-pure sampler).
      diaggauss::sample_gmm(seed, /*stream=*/0, /*offset=*/first, n, D, K, weights.data(), means.data(),
                            stddevs.data(), X.data());
      diaggauss::gmm_logpdf(n, D, K, X.data(), weights.data(), means.data(), vars.data(), logp.data());
      for (std::size_t i = 0; i < n; ++i) sum += logp[i], sum_sq += logp[i] * logp[i];
    }
  } catch (const diaggauss::Error& e) {  // bad input: a clear message naming the argument
    std::fprintf(stderr, "diaggauss error %d: %s\n", e.status(), e.what());
    return 1;
  }
  const double mean = sum / N, var = (sum_sq - N * mean * mean) / (N - 1);
  std::printf("H = %.6f +- %.6f  (N = %zu, kernels: %s, %s)\n", -mean, std::sqrt(var / N), N,
              diaggauss::active("sample_gmm").c_str(), diaggauss::active("gmm_logpdf").c_str());
  return 0;
}
