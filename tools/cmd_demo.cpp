// `diaggauss demo`: the main job in one screen — what runs here (dispatch report), how each ISA and SIMD style
// compares on the key kernels (the quick per-implementation table), and the Monte Carlo showcase.
// `./dg demo` adds the numpy seed table (bench/seed_table.py) after it.
#include <cstdio>
#include <memory>

#include "dispatch/selection.hpp"
#include "tools/cli_numbers.hpp"
#include "tools/commands.hpp"

namespace diaggauss::cli {

namespace {
struct DemoOptions {
  std::uint64_t runs = 5, samples = 100000;
};

int run_demo(const DemoOptions& o) {
  std::printf("==== 1. dispatch: what runs on this machine ====\n");
  if (int rc = run_info(InfoOptions{}); rc != 0) return rc;
  std::printf("\n==== 2. per-ISA comparison (diaggauss bench) ====\n");
  std::fflush(stdout);
  const detail::SelectionReport sel = detail::selection_report();
  if (!sel.forced_isa.empty() || !sel.forced_family.empty()) {
    // Every row would measure the one forced implementation (bench refuses, exit 2); the rest of the demo still
    // means something, so the table is skipped with the reason instead of ending the demo.
    std::printf("skipped: DIAGGAUSS_ISA / DIAGGAUSS_IMPL force one implementation; unset them to compare\n");
  } else {
    BenchOptions b;
    b.runs = o.runs;
    if (int rc = run_bench(b); rc != 0) return rc;
  }
  std::printf("\n==== 3. Monte Carlo entropy of a Gaussian mixture (diaggauss mc --path all) ====\n");
  std::fflush(stdout);
  McOptions m;
  m.path = "all";
  m.samples = o.samples;
  return run_mc(m);
}
}  // namespace

Runner add_demo(CLI::App& root) {
  auto o = std::make_shared<DemoOptions>();
  CLI::App* app = root.add_subcommand("demo", "the main job in one screen: dispatch report, per-ISA table, Monte Carlo");
  app->add_option("--runs", o->runs, "bench repetitions per implementation (median)")
      ->transform(u64_in(1, 1000))
      ->capture_default_str();
  app->add_option("--samples", o->samples, "Monte Carlo samples")->transform(u64_in(2, 1u << 30))->capture_default_str();
  return [o] { return run_demo(*o); };
}

}  // namespace diaggauss::cli
