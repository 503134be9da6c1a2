// A small timer for the tuner.  Why not Google Benchmark: the tuner runs inside the library's CLI under a hard
// time budget, needs to interleave candidates (A/B) and to reject noisy samples itself; Google Benchmark owns its
// own main(), flags and reporting and decides its own iteration counts.  What we need is 40 lines.
#pragma once
#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

namespace diaggauss::detail {

struct Measurement {
  double median_seconds = 0;  // per call
  double cv = 0;              // coefficient of variation of the samples
};

// Runs `fn` (one kernel call) in batches of at least `min_sample_seconds`, `samples` times, after a warm-up.
// Stops early at `deadline` (keeping at least one sample); with fewer than 3 samples the noise is unknown and
// reported as cv = 0.5, which makes the tuner keep the default.
template <class Fn>
Measurement measure(Fn&& fn, int samples, double min_sample_seconds,
                    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max()) {
  using clock = std::chrono::steady_clock;
  const auto w0 = clock::now();
  fn();  // warm-up: page faults, caches, frequency
  const double warm = std::chrono::duration<double>(clock::now() - w0).count();
  std::vector<double> per_call;
  if (clock::now() > deadline) return {warm, 0.5};
  int batch = 1;
  for (;;) {  // grow the batch until one sample is long enough to time reliably
    const auto t0 = clock::now();
    for (int i = 0; i < batch; ++i) fn();
    const double dt = std::chrono::duration<double>(clock::now() - t0).count();
    if (dt >= min_sample_seconds || batch >= (1 << 24)) {
      if (batch == 1) per_call.push_back(dt);  // a single call already long enough counts as a sample
      break;
    }
    batch = std::max(batch * 2, static_cast<int>(batch * min_sample_seconds / std::max(dt, 1e-9)));
  }
  while (static_cast<int>(per_call.size()) < samples && (per_call.empty() || clock::now() < deadline)) {
    const auto t0 = clock::now();
    for (int i = 0; i < batch; ++i) fn();
    per_call.push_back(std::chrono::duration<double>(clock::now() - t0).count() / batch);
  }
  samples = static_cast<int>(per_call.size());
  std::vector<double> sorted = per_call;
  std::sort(sorted.begin(), sorted.end());
  Measurement m;
  m.median_seconds = sorted[sorted.size() / 2];
  double mean = 0, var = 0;
  for (double v : per_call) mean += v;
  mean /= samples;
  for (double v : per_call) var += (v - mean) * (v - mean);
  m.cv = samples >= 3 ? std::sqrt(var / (samples - 1)) / mean : 0.5;
  return m;
}

}  // namespace diaggauss::detail
