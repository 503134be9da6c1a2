// The model file of `diaggauss mc` (--model, --save-model): {"weights": [K], "means": [[D] x K],
// "variances": [[D] x K]}.  The file format is the CLI's; the model itself is the library's diaggauss::mc::Mixture
// (the random model of --seed is diaggauss::mc::random_mixture).
#pragma once
#include <string>

#include "diaggauss/mc.hpp"

namespace diaggauss::cli {

// Returns "" or an error message naming the field and index.  Weights are stored normalised
// (dg_normalize_weights_f64); variances must be normal numbers with a normal reciprocal, as the library requires.
std::string load_model(const std::string& path, mc::Mixture& m);
// The file text of `m` (what load_model reads back).
std::string model_json(const mc::Mixture& m);

}  // namespace diaggauss::cli
