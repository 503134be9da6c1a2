// The autotuner behind `diaggauss tune`: for each kernel and working-set size class, it measures every
// implementation this CPU runs and searches the kernel's block parameters, then keeps the default unless a
// candidate is faster beyond the measured noise.  Measuring never changes a result: every candidate is one the
// kernel contracts already cover (tests/test_tuning_invariance.cpp).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "dispatch/registry.hpp"
#include "tune/measure.hpp"
#include "dispatch/profile.hpp"

namespace diaggauss::detail {

struct TuneOptions {
  double budget_seconds = 15;         // --quick default; --full uses 180
  bool full = false;                  // more repetitions and a finer parameter grid
  std::vector<Operation> operations;  // empty: all tunable operations
};

struct TuneRow {
  Operation operation;
  SizeClass size_class;
  std::string default_name, chosen_name, chosen_params;
  double default_throughput = 0, chosen_throughput = 0;  // elements per second (medians)
  double noise = 0;                                      // coefficient of variation of the chosen measurement
  bool measured = false;                                 // false when the budget ran out first
};

// Runs the tuner; fills `profile` (to be written with profile_to_json) and one row per (kernel, class).
// `progress` receives one short line per step.
void run_tuner(const TuneOptions& opt, ProfileData& profile, std::vector<TuneRow>& rows,
               const std::function<void(const std::string&)>& progress);

// Measures the profile's choice against the default for every (kernel, class) it sets, alternating A and B
// `pairs` times; returns rows with default_throughput (A) and chosen_throughput (B) medians.
std::vector<TuneRow> verify_profile(const ProfileData& profile, int pairs,
                                    const std::function<void(const std::string&)>& progress);

// The throughput unit of an operation, the same in tune, bench and bench/report.py: "elements/s", and for
// gmm_logpdf "terms/s" (points x components x dimensions).
const char* operation_unit(Operation k);

// The tuner's workload for (k, c), called through the public API, measured with each implementation's defaults
// (`runs` samples, median): what `diaggauss bench` shows.  `items` per call in operation_unit(k); `bytes` the
// working set.  Leaves no profile installed.
std::vector<Measurement> measure_implementations(Operation k, SizeClass c,
                                                 const std::vector<const Implementation*>& impls, int runs,
                                                 double& items, std::size_t& bytes);

// The operations the tuner knows how to measure.
const std::vector<Operation>& tunable_operations();

}  // namespace diaggauss::detail
