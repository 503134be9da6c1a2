// `diaggauss demo`: the main job in one screen — what runs here (dispatch report), how each ISA and SIMD style
// compares on the key kernels (the quick per-implementation table), and the Monte Carlo showcase.
// `./dg demo` adds the numpy seed table (bench/seed_table.py) after it.
#include <cstdio>

#include "tools/commands.hpp"

namespace diaggauss::cli {

int cmd_demo(const Args& args) {
  std::printf("==== 1. dispatch: what runs on this machine ====\n");
  if (int rc = cmd_info(Args{}); rc != 0) return rc;
  std::printf("\n==== 2. per-ISA comparison (diaggauss bench) ====\n");
  std::fflush(stdout);
  if (int rc = cmd_bench(Args{{"--runs", args.value("--runs", "5")}}); rc != 0) return rc;
  std::printf("\n==== 3. Monte Carlo entropy of a Gaussian mixture (diaggauss mc --path all) ====\n");
  std::fflush(stdout);
  return cmd_mc(Args{{"--path", "all", "--samples", args.value("--samples", "100000")}});
}

}  // namespace diaggauss::cli
