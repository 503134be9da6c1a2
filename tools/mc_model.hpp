// The Gaussian-mixture model of `diaggauss mc`: read from JSON or generated from a seed.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace diaggauss::cli {

struct MixtureModel {
  std::size_t K = 0, D = 0;
  std::vector<double> weights;    // K
  std::vector<double> means;      // K x D
  std::vector<double> variances;  // K x D
  std::vector<double> stddevs() const;
};

// {"weights": [K], "means": [[D] x K], "variances": [[D] x K]}.  Returns "" or an error message naming the field.
std::string load_model(const std::string& path, MixtureModel& m);
// The documented random model: weights from uniforms normalised, means ~ N(0, 3^2), variances = exp(U(-1.5, 1.5)),
// all drawn from diaggauss's own stream (seed, stream 0xC0FFEE), so every platform builds the same model.
MixtureModel random_model(std::size_t K, std::size_t D, std::uint64_t seed);
// Closed-form entropy for K = 1: 0.5 * sum_j log(2 pi e var_j).
double single_gaussian_entropy(const MixtureModel& m);

}  // namespace diaggauss::cli
