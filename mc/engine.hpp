// The Monte Carlo engine behind diaggauss/mc.h (dg_mc_*; the contract and what is reproducible are documented
// there and in docs/monte-carlo.md).  The entry points (mc/api_mc.cpp) validate the model and the run; this file
// only runs chunks and combines them.  Reproducible at any scale: the samples are cut into fixed chunks of
// kChunkPoints points, independent of the worker count; each chunk's partial sums are computed alone and the
// partials are combined in chunk order, so the estimate is bit-identical for any number of threads or processes.
#pragma once
#include <cstdint>
#include <string>

#include "diaggauss/mc.h"

namespace diaggauss::detail::mc {

inline constexpr std::size_t kChunkPoints = DG_MC_CHUNK_POINTS;

// A validated model (mc/api_mc.cpp): weights summing to 1, variances in the library's range.
struct Model {
  std::size_t K = 0, D = 0;
  const double* weights = nullptr;    // K
  const double* means = nullptr;      // K x D
  const double* variances = nullptr;  // K x D
};

struct Run {
  dg_mc_path path = DG_MC_SIMD;
  dg_dgesv_fn dgesv = nullptr;  // DG_MC_GENERIC
  std::uint64_t seed = 0, samples = 0;
  unsigned threads = 1;
  bool pin_threads = true;
  std::size_t block = 256;  // points per sampling/evaluation call: a multiple of 4 (see run_chunk)
};

// Partial sums of chunks [first, last) into out[0 .. last - first), by a pool of run.threads workers that pull
// chunks (with pin_threads, each on its own CPU where the process has enough: mc/thread_pin.hpp).  Every library
// call's status is checked: on a failure the workers stop and the status is returned with its message in
// `message` (out is then unspecified).  When the system refuses to create more threads, the ones created do the
// work (the result does not depend on the count); `started` says how many ran.
int run_chunks(const Model& m, const Run& run, std::uint64_t first, std::uint64_t last, dg_mc_sums* out,
               unsigned& started, std::string& message);
// Combines all chunks' sums in chunk order into the estimate -mean(log p) and its standard error: the chunks'
// sums added in chunk order from zero, then estimate() of the totals.
void combine(const dg_mc_sums* chunks, std::uint64_t nchunks, std::uint64_t samples, double& estimate,
             double& std_error);
// The estimate and its standard error from the totals of every chunk's sums, added in chunk order from zero.
void estimate(const dg_mc_sums& total, std::uint64_t samples, double& estimate, double& std_error);
std::uint64_t chunk_count(std::uint64_t samples);

}  // namespace diaggauss::detail::mc
