// diaggauss — command-line front end: info, demo (and, as the project grows: sample, bench, tune, mc).
#include <cstdio>
#include <cstring>
#include <string>

#include "tools/commands.hpp"
#include "tools/mc_mpi.hpp"

namespace diaggauss::cli {

bool Args::has(const std::string& flag) const {
  for (const auto& s : items)
    if (s == flag) return true;
  return false;
}

std::string Args::value(const std::string& flag, const std::string& fallback) const {
  for (std::size_t i = 0; i + 1 < items.size(); ++i)
    if (items[i] == flag) return items[i + 1];
  return fallback;
}

bool Args::only(const char* cmd, const std::vector<std::string>& valued,
                const std::vector<std::string>& switches) const {
  const auto in = [](const std::vector<std::string>& v, const std::string& s) {
    for (const auto& x : v)
      if (x == s) return true;
    return false;
  };
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (in(switches, items[i])) continue;
    if (in(valued, items[i])) {
      if (i + 1 == items.size()) {
        std::fprintf(stderr, "diaggauss %s: %s needs a value (see diaggauss %s --help)\n", cmd, items[i].c_str(), cmd);
        return false;
      }
      ++i;
      continue;
    }
    std::fprintf(stderr, "diaggauss %s: unknown option '%s' (see diaggauss %s --help)\n", cmd, items[i].c_str(), cmd);
    return false;
  }
  return true;
}

}  // namespace diaggauss::cli

static void usage(std::FILE* f) {
  std::fprintf(f,
               "usage: diaggauss <command> [options]\n"
               "  info [--json]     CPU, compiled implementations, the implementation chosen per kernel\n"
               "  demo              the main job: dispatch report (and, as kernels land, quick comparisons)\n"
               "  tune [--quick|--full] [--budget S] [--kernel NAME]... [--out PATH]\n"
               "                    measure and save a tuning profile; tune --verify [PATH] re-checks one A/B\n"
               "  mc [--components K --dim D --samples N --threads T --path generic|diagonal|simd|all --json]\n"
               "                    Monte Carlo entropy of a Gaussian mixture (mc --help)\n"
               "  bench [--kernel NAME] [--runs N]\n"
               "                    quick per-implementation throughput comparison (winner marked)\n"
               "  sample            normals/uniforms to a .npy file, or raw Philox words to stdout (--raw)\n"
               "environment: DIAGGAUSS_ISA=scalar|sse4|avx2|avx512|neon  DIAGGAUSS_IMPL=intrinsics|highway|xsimd|scalar\n");
}

int main(int argc, char** argv) {
  using namespace diaggauss::cli;
  if (argc < 2 || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "--help")) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  Args args;
  for (int i = 2; i < argc; ++i) args.items.emplace_back(argv[i]);
  const std::string cmd = argv[1];
  if (cmd == "info") return cmd_info(args);
  if (cmd == "demo") return cmd_demo(args);
  if (cmd == "sample") return cmd_sample(args);
  if (cmd == "tune") return cmd_tune(args);
  if (cmd == "bench") return cmd_bench(args);
  if (cmd == "mc") {
    mpi_start(&argc, &argv);
    const int rc = cmd_mc(args);
    mpi_stop();
    return rc;
  }
  std::fprintf(stderr, "diaggauss: unknown command '%s'\n", cmd.c_str());
  usage(stderr);
  return 2;
}
