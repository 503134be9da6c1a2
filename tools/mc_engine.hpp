// Monte Carlo entropy of a diagonal Gaussian mixture, H(p) = -E_p[log p(X)], three ways (docs/monte-carlo.md).
// Reproducible at any scale: the samples are cut into fixed chunks of kChunkPoints points, independent of the
// worker count; each chunk's partial sums are computed alone and the partials are combined in chunk order, so
// the estimate is bit-identical for any number of threads or processes.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tools/mc_model.hpp"

namespace diaggauss::cli {

inline constexpr std::size_t kChunkPoints = 16384;

enum class McPath { generic, diagonal, simd };
const char* mc_path_name(McPath p);

struct ChunkSums {
  double sum = 0, sum_sq = 0;  // of log p(x_i) over the chunk, accumulated in point order
};

struct McResult {
  double estimate = 0, std_error = 0, seconds = 0, samples_per_second = 0;
  std::size_t samples = 0;
};

// Partial sums of chunks [first, last) (a worker pool of `threads` threads pulls chunks; with pin_threads, each
// on its own CPU where the process has enough, see tools/thread_pin.hpp).  Every library call's status is
// checked: on a failure the workers stop and `error` (when given) gets the library's message.  When the system
// refuses to create more threads, the ones created do the work (the result does not depend on the count) and
// `started` (when given) says how many ran.
std::vector<ChunkSums> run_chunks(const MixtureModel& m, std::uint64_t seed, std::size_t samples, McPath path,
                                  unsigned threads, std::size_t first, std::size_t last, bool pin_threads = true,
                                  std::string* error = nullptr, unsigned* started = nullptr);
// Combines all chunks' sums in chunk order into the estimate and its standard error.
McResult combine(const std::vector<ChunkSums>& chunks, std::size_t samples);
std::size_t chunk_count(std::size_t samples);
// False (with a message) when this build has no LAPACK for the generic path.
bool generic_path_available(std::string& why);

}  // namespace diaggauss::cli
