// `diaggauss bench [--kernel NAME]... [--runs N] [--json]`: a quick terminal comparison of every implementation
// this CPU can run on all twelve kernels, without Google Benchmark or Python.  Each kernel runs the tuner's
// workload for the L2 size class through the public API (tune/tuner.hpp: measure_implementations), so bench, tune
// and bench/report.py speak one unit per kernel (elements/s; gmm_logpdf: terms/s, points x components x
// dimensions).  Timing is the tuner's (tune/measure.hpp): warm-up, then the median of --runs samples (default 7),
// each repeating the call for at least a millisecond.  The full suite with anchors, rooflines and plots is
// bench/run_bench.sh (`./dg bench`, docs/benchmarks.md).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "diaggauss/diaggauss.h"
#include "dispatch/registry.hpp"
#include "dispatch/selection.hpp"
#include "tools/cli_numbers.hpp"
#include "tools/commands.hpp"
#include "tune/tuner.hpp"

namespace diaggauss::cli {

int run_bench(const BenchOptions& o) {
  using namespace detail;
  if (const std::string err = library_error(); !err.empty()) {
    std::fprintf(stderr, "diaggauss bench: %s\n", err.c_str());
    return 2;
  }
  const SelectionReport sel = selection_report();
  if (!sel.forced_isa.empty() || !sel.forced_family.empty()) {
    // A forced ISA/family overrides per-kernel choices, so every row would measure the same code.
    std::fprintf(stderr, "diaggauss bench: DIAGGAUSS_ISA / DIAGGAUSS_IMPL force one implementation; unset them to compare\n");
    return 2;
  }
  const int runs = static_cast<int>(o.runs);
  // With fewer than 3 samples the timer has no noise estimate (tune/measure.hpp reports a placeholder cv of 0.5):
  // the table says "n/a", the JSON null.
  const bool noise_known = runs >= 3;
  const CpuInfo& cpu = host_cpu();
  std::vector<const Implementation*> impls;
  std::string skipped;
  for (const Implementation& impl : registry()) {
    const std::string miss = missing_features(impl.isa, cpu);
    if (miss.empty()) impls.push_back(&impl);
    else skipped += std::string(skipped.empty() ? "" : ", ") + impl.name + " (lacks " + miss + ")";
  }
  std::vector<Operation> kernels;
  for (Operation k : tunable_operations())
    if (o.kernels.empty() || std::find(o.kernels.begin(), o.kernels.end(), operation_name(k)) != o.kernels.end())
      kernels.push_back(k);
  // What dispatch picks, read before measuring (measuring points the dispatcher at each candidate in turn).
  std::vector<std::string> picks;
  for (Operation k : kernels) {
    const char* a = dg_active(operation_name(k));
    picks.push_back(a ? a : "?");
  }
  if (!o.json) {
    std::printf("diaggauss bench — %s (%s); median of %d runs, wall clock, L2-sized working sets\n",
                cpu.brand.c_str(), cpu.key().c_str(), runs);
    if (!skipped.empty()) std::printf("not run on this CPU: %s\n", skipped.c_str());
  }
  nlohmann::ordered_json jcases = nlohmann::ordered_json::array();
  const auto start = std::chrono::steady_clock::now();
  const bool tty = stderr_is_tty();
  for (std::size_t ki = 0; ki < kernels.size(); ++ki) {
    const Operation k = kernels[ki];
    if (o.json) {  // the table itself is the progress otherwise
      const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const std::string eta = ki ? " (ETA " + std::to_string(static_cast<int>(t / ki * (kernels.size() - ki) + 0.5)) + " s)" : "";
      if (tty) std::fprintf(stderr, "\r\033[K[bench] %zu/%zu %s%s", ki + 1, kernels.size(), operation_name(k), eta.c_str());
      else std::fprintf(stderr, "[bench] %zu/%zu %s%s\n", ki + 1, kernels.size(), operation_name(k), eta.c_str());
    }
    double items = 0;
    std::size_t bytes = 0;
    const std::vector<Measurement> ms = measure_implementations(k, SizeClass::l2, impls, runs, items, bytes);
    if (ms.size() != impls.size()) continue;
    std::vector<double> rate(impls.size());
    double scalar_rate = 0;
    for (std::size_t i = 0; i < impls.size(); ++i) {
      rate[i] = items / ms[i].median_seconds;
      if (impls[i]->isa == Isa::scalar) scalar_rate = rate[i];
    }
    const std::size_t best = static_cast<std::size_t>(std::max_element(rate.begin(), rate.end()) - rate.begin());
    if (o.json) {
      nlohmann::ordered_json rows = nlohmann::ordered_json::array();
      for (std::size_t i = 0; i < impls.size(); ++i)
        rows.push_back({{"implementation", impls[i]->name}, {"throughput", rate[i]},
                        {"cv", noise_known ? nlohmann::ordered_json(ms[i].cv) : nlohmann::ordered_json(nullptr)},
                        {"fastest", i == best}});
      jcases.push_back({{"kernel", operation_name(k)}, {"dtype", k == Operation::uniform_u32 ? "u32" : "f64"}, {"working_set_bytes", bytes},
                        {"unit", operation_unit(k)}, {"items_per_call", items}, {"dispatch_picks", picks[ki]},
                        {"results", rows}});
      continue;
    }
    std::printf("\n%s %s, %zu KiB working set   [G %s; dispatch picks %s]\n", operation_name(k),
                k == Operation::uniform_u32 ? "u32" : "f64", bytes / 1024,
                operation_unit(k), picks[ki].c_str());
    for (std::size_t i = 0; i < impls.size(); ++i) {
      char speedup[32] = "";
      if (scalar_rate > 0) std::snprintf(speedup, sizeof speedup, "%6.1fx scalar", rate[i] / scalar_rate);
      char cv[16] = "  n/a";
      if (noise_known) std::snprintf(cv, sizeof cv, "%4.1f%%", 100 * ms[i].cv);
      std::printf("  %-20s %9.3f  %s  cv %s%s\n", impls[i]->name, rate[i] / 1e9, speedup, cv,
                  i == best ? "   <- fastest" : "");
    }
    std::fflush(stdout);
  }
  if (o.json && tty) std::fprintf(stderr, "\r\033[K");
  // Measuring left no profile installed; put back the one the process started with.
  if (!sel.profile_path.empty() && sel.profile_path != "(imported)") dg_load_profile(sel.profile_path.c_str());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (o.json) {
    nlohmann::ordered_json j;
    j["cpu"] = {{"brand", cpu.brand}, {"key", cpu.key()}};
    j["runs"] = runs;
    j["not_run"] = skipped;
    j["seconds"] = seconds;
    j["kernels"] = jcases;
    std::cout << dump_json(j) << "\n";
    return 0;
  }
  std::printf("\n(%.1f s; cv: noise of each median%s; loaded machines give noisy numbers: the full suite takes\n"
              " repetitions and medians)\n", seconds, noise_known ? "" : ", n/a with fewer than 3 runs");
  return 0;
}

Runner add_bench(CLI::App& root) {
  auto o = std::make_shared<BenchOptions>();
  CLI::App* app = root.add_subcommand(
      "bench", "quick per-implementation throughput comparison on all 12 kernels (full suite: ./dg bench)");
  std::vector<std::string> names;
  for (detail::Operation k : detail::tunable_operations()) names.push_back(detail::operation_name(k));
  app->add_option("--kernel", o->kernels, "only these kernels (repeatable)")->check(CLI::IsMember(names));
  app->add_option("--runs", o->runs, "timed samples per implementation (median reported)")
      ->transform(u64_in(1, 1000))
      ->capture_default_str();
  app->add_flag("--json", o->json, "machine-readable output (progress lines go to stderr)");
  return [o] { return run_bench(*o); };
}

}  // namespace diaggauss::cli
