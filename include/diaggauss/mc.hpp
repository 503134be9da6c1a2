// diaggauss/mc.hpp — C++ entry point of the Monte Carlo engine (the one `diaggauss mc` runs): the differential
// entropy H = -E[log p(X)] of a diagonal Gaussian mixture.  Like diaggauss.hpp, a header-only layer over the C API
// (diaggauss/mc.h: what is reproducible and how) that throws diaggauss::Error on bad input or a failed run.
//
//   diaggauss::mc::Mixture m = diaggauss::mc::random_mixture(3, 4, /*seed=*/1);
//   diaggauss::mc::Config c;                       // simd path, seed 1, 10^6 samples, 1 thread
//   c.threads = 0;                                 // one per CPU: the same estimate, to the last bit
//   diaggauss::mc::Result r = diaggauss::mc::entropy(m, c);   // r.estimate +- r.std_error
#ifndef DIAGGAUSS_MC_HPP
#define DIAGGAUSS_MC_HPP

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "diaggauss/diaggauss.hpp"
#include "diaggauss/mc.h"

namespace diaggauss {
namespace mc {

enum class Path { simd = DG_MC_SIMD, diagonal = DG_MC_DIAGONAL, generic = DG_MC_GENERIC };

inline const char* path_name(Path p) {
  switch (p) {
    case Path::simd: return "simd";
    case Path::diagonal: return "diagonal";
    case Path::generic: return "generic";
  }
  return "?";
}

// A K-component, D-dimensional mixture with diagonal covariances; means and variances row-major (K x D).
struct Mixture {
  std::size_t components = 0, dim = 0;
  std::vector<double> weights, means, variances;
};

struct Config {
  Path path = Path::simd;
  std::uint64_t seed = 1;        // of the samples
  std::uint64_t samples = 1000000;
  unsigned threads = 1;          // 0: one per CPU; the estimate does not depend on it
  bool pin_threads = true;       // dg_mc_config.pin_threads
  dg_dgesv_fn dgesv = nullptr;   // Path::generic: LAPACK's dgesv_ (the library does not link LAPACK)
};

struct Result {
  double estimate = 0, std_error = 0;
  std::uint64_t samples = 0;
  unsigned threads_started = 0;  // workers that ran (fewer than asked when the system refused more threads)
};

using ChunkSums = dg_mc_sums;

namespace detail_mc {
inline void check_shape(const Mixture& m) {
  const std::size_t kd = m.components * m.dim;
  if (m.weights.size() != m.components || m.means.size() != kd || m.variances.size() != kd)
    throw Error(DG_E_INVALID_ARGUMENT, "diaggauss::mc: Mixture with components = " + std::to_string(m.components) +
                                           ", dim = " + std::to_string(m.dim) + " has " +
                                           std::to_string(m.weights.size()) + " weights, " +
                                           std::to_string(m.means.size()) + " means and " +
                                           std::to_string(m.variances.size()) + " variances");
}
inline dg_mc_config to_c(const Mixture& m, const Config& c) {
  check_shape(m);
  dg_mc_config cfg{};
  cfg.ncomp = m.components, cfg.dim = m.dim;
  cfg.weights = m.weights.data(), cfg.means = m.means.data(), cfg.vars = m.variances.data();
  cfg.seed = c.seed, cfg.samples = c.samples, cfg.path = static_cast<int>(c.path);
  cfg.threads = c.threads, cfg.pin_threads = c.pin_threads ? 1 : 0, cfg.dgesv = c.dgesv;
  return cfg;
}
}  // namespace detail_mc

// The number of chunks of DG_MC_CHUNK_POINTS points `samples` are cut into (written so that it cannot overflow).
inline std::uint64_t chunk_count(std::uint64_t samples) {
  return samples / DG_MC_CHUNK_POINTS + (samples % DG_MC_CHUNK_POINTS != 0);
}

// The documented random model of `diaggauss mc --seed S` (dg_mc_random_mixture_f64).
inline Mixture random_mixture(std::size_t components, std::size_t dim, std::uint64_t seed) {
  if (dim != 0 && components > SIZE_MAX / dim)
    throw Error(DG_E_SIZE_OVERFLOW, "diaggauss::mc::random_mixture: components x dim overflows size_t");
  Mixture m;
  m.components = components, m.dim = dim;
  m.weights.resize(components), m.means.resize(components * dim), m.variances.resize(components * dim);
  detail_api::check(dg_mc_random_mixture_f64(seed, components, dim, m.weights.data(), m.means.data(), m.variances.data()));
  return m;
}

// Partial sums of chunks [first, last) of the run (for splitting a run between processes: gather every range's
// sums in chunk order, then combine).  One ChunkSums (16 bytes) per chunk of the range.
inline std::vector<ChunkSums> chunk_sums(const Mixture& m, const Config& c, std::uint64_t first, std::uint64_t last,
                                         unsigned* threads_started = nullptr) {
  const dg_mc_config cfg = detail_mc::to_c(m, c);
  // Room only for a range the library can accept: for any other, it reports the error before looking at `sums`.
  const bool plausible = first <= last && last <= chunk_count(c.samples) && c.samples <= DG_MC_MAX_SAMPLES;
  std::vector<ChunkSums> sums(plausible ? static_cast<std::size_t>(last - first) : 0);
  detail_api::check(dg_mc_chunk_sums_f64(&cfg, first, last, sums.data(), threads_started));
  return sums;
}

// The estimate from the sums of every chunk, in chunk order.
inline Result combine(const std::vector<ChunkSums>& sums, std::uint64_t samples) {
  Result r;
  r.samples = samples;
  detail_api::check(dg_mc_combine_f64(samples, sums.size(), sums.data(), &r.estimate, &r.std_error));
  return r;
}

// Adds a range's sums to running totals, in chunk order: over every chunk of a run, from {0, 0}, the additions
// combine() makes.
inline void accumulate(ChunkSums& total, const std::vector<ChunkSums>& sums) {
  for (const ChunkSums& s : sums) total.sum += s.sum, total.sum_sq += s.sum_sq;
}

// The estimate from the totals of every chunk's sums (accumulate() over the whole run from {0, 0}).
inline Result estimate(const ChunkSums& total, std::uint64_t samples) {
  Result r;
  r.samples = samples;
  detail_api::check(dg_mc_estimate_f64(samples, &total, &r.estimate, &r.std_error));
  return r;
}

// Chunks per chunk_sums() call of entropy(): 1 MiB of sums, 2^30 samples (a second or more of work per call, so
// that the workers' start per call does not show), memory independent of N (the whole run's sums took 32 bytes per
// 16384 samples: 2 GiB at N = 2^40).  Also the largest piece `diaggauss mc` takes.
constexpr std::uint64_t kEntropySegmentChunks = std::uint64_t{1} << 16;

// Chunks [first, last) in pieces, in chunk order: `piece_chunks()` says how many chunks the next piece takes (at
// least 1), `sink(sums, end)` receives each piece's sums and the chunk it ends before.  Runs chunk_sums() at least
// once, so a run the library refuses throws even when the range is empty.  Returns the fewest workers any piece
// started (fewer than asked means the system refused threads somewhere).
template <class PieceChunks, class Sink>
unsigned for_each_piece(const Mixture& m, const Config& c, std::uint64_t first, std::uint64_t last,
                        PieceChunks piece_chunks, Sink sink) {
  unsigned started = 0;
  bool any = false;
  do {
    std::uint64_t len = piece_chunks();
    if (len == 0) len = 1;
    const std::uint64_t end = last - first > len ? first + len : last;
    unsigned piece_started = 0;
    const std::vector<ChunkSums> sums = chunk_sums(m, c, first, end, &piece_started);
    if (!any || piece_started < started) started = piece_started;
    any = true;
    sink(sums, end);
    first = end;
  } while (first < last);
  return started;
}

namespace detail_mc {
// entropy() with its segment length as a parameter (tests use short segments).  Bit-identical to combine() over
// every chunk's sums, whatever the segment length.
inline Result entropy_in_segments(const Mixture& m, const Config& c, std::uint64_t segment_chunks) {
  ChunkSums total{0, 0};
  const unsigned started = for_each_piece(
      m, c, 0, chunk_count(c.samples), [&] { return segment_chunks; },
      [&](const std::vector<ChunkSums>& sums, std::uint64_t) { accumulate(total, sums); });
  Result r = estimate(total, c.samples);
  r.threads_started = started;
  return r;
}
}  // namespace detail_mc

// The whole run in this process, in segments of kEntropySegmentChunks chunks.
inline Result entropy(const Mixture& m, const Config& c) {
  return detail_mc::entropy_in_segments(m, c, kEntropySegmentChunks);
}

// The closed form for one component, 0.5 * sum_j log(2 pi e var_j): a check of the estimate, not part of the
// engine.  Throws unless m.components == 1.
inline double single_gaussian_entropy(const Mixture& m) {
  detail_mc::check_shape(m);
  if (m.components != 1)
    throw Error(DG_E_INVALID_ARGUMENT, "diaggauss::mc::single_gaussian_entropy: components = " +
                                           std::to_string(m.components) + ", the closed form needs 1");
  const double two_pi_e = 2 * 3.14159265358979323846 * 2.71828182845904523536;  // 2 pi e, as 2 * M_PI * M_E
  double h = 0;
  // log(2 pi e) + log(var), not log(2 pi e var): the product overflows for variances above ~1.05e307, which the
  // model's rules allow (up to 1 / DBL_MIN ~ 4.49e307).
  const double log_two_pi_e = std::log(two_pi_e);
  for (std::size_t d = 0; d < m.dim; ++d) h += 0.5 * (log_two_pi_e + std::log(m.variances[d]));
  return h;
}

}  // namespace mc
}  // namespace diaggauss

#endif  // DIAGGAUSS_MC_HPP
