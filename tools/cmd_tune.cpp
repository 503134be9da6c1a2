// `diaggauss tune`: measure, choose, save a profile the library loads at start-up; `--verify` re-measures a
// profile's choices against the defaults, A/B alternated.
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <string>

#include "diaggauss/diaggauss.h"
#include "dispatch/selection.hpp"
#include "tools/commands.hpp"
#include "tune/tuner.hpp"

namespace diaggauss::cli {

using namespace diaggauss::detail;

static bool make_parent_dirs(const std::string& path) {
  for (std::size_t pos = path.find('/', 1); pos != std::string::npos; pos = path.find('/', pos + 1)) {
    const std::string dir = path.substr(0, pos);
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return false;
  }
  return true;
}

static void print_rows(const std::vector<TuneRow>& rows, const char* a_label, const char* b_label) {
  std::printf("%-17s %-5s %-19s %-19s %-32s %10s %10s %8s\n", "kernel", "class", a_label, b_label, "params", "default",
              "chosen", "speedup");
  for (const TuneRow& r : rows) {
    if (!r.measured) {
      std::printf("%-17s %-5s %-19s %-19s %-32s %10s %10s %8s\n", kernel_name(r.kernel), size_class_name(r.size_class),
                  r.default_name.c_str(), "(budget spent)", "-", "-", "-", "-");
      continue;
    }
    std::printf("%-17s %-5s %-19s %-19s %-32s %9.3gG %9.3gG %7.2fx\n", kernel_name(r.kernel),
                size_class_name(r.size_class), r.default_name.c_str(), r.chosen_name.c_str(), r.chosen_params.c_str(),
                r.default_throughput / 1e9, r.chosen_throughput / 1e9, r.chosen_throughput / r.default_throughput);
  }
  std::printf("(throughput in G elements/s; gmm_logpdf in G point-components/s)\n");
}

static auto progress_printer() {
  return [](const std::string& line) {
    std::fprintf(stderr, "\r\033[K[tune] %s", line.c_str());
    std::fflush(stderr);
  };
}

int cmd_tune(const Args& args) {
  const CpuInfo& cpu = host_cpu();
  if (args.has("--verify")) {
    std::string path = args.value("--verify");
    if (path.empty() || path.rfind("--", 0) == 0) path = default_profile_path(cpu);
    ProfileData data;
    std::string why;
    if (read_profile_file(path, cpu, data, why) != ProfileVerdict::ok) {
      std::fprintf(stderr, "diaggauss tune --verify: %s: %s\n", path.c_str(), why.c_str());
      return 1;
    }
    const int pairs = std::max(3, std::atoi(args.value("--pairs", "7").c_str()));
    const auto rows = verify_profile(data, pairs, progress_printer());
    std::fprintf(stderr, "\r\033[K");
    std::printf("A/B verification of %s (%d alternated pairs, medians)\n", path.c_str(), pairs);
    print_rows(rows, "default (A)", "profile (B)");
    return 0;
  }
  TuneOptions opt;
  opt.full = args.has("--full");
  opt.budget_seconds = opt.full ? 180 : 15;
  if (!args.value("--budget").empty()) {
    opt.budget_seconds = std::atof(args.value("--budget").c_str());
    if (!(opt.budget_seconds > 0) || opt.budget_seconds > 86400) {
      std::fprintf(stderr, "diaggauss tune: --budget takes seconds in (0, 86400], got '%s'\n", args.value("--budget").c_str());
      return 2;
    }
  }
  for (std::size_t i = 0; i + 1 < args.items.size(); ++i) {
    if (args.items[i] != "--kernel") continue;
    Kernel k;
    if (!parse_kernel(args.items[i + 1], k)) {
      std::fprintf(stderr, "diaggauss tune: unknown kernel '%s'; kernels:", args.items[i + 1].c_str());
      for (Kernel t : tunable_kernels()) std::fprintf(stderr, " %s", kernel_name(t));
      std::fprintf(stderr, "\n");
      return 2;
    }
    opt.kernels.push_back(k);
  }
  const std::string out = args.value("--out", default_profile_path(cpu));
  if (out.empty()) {
    std::fprintf(stderr, "diaggauss tune: no HOME or XDG_CONFIG_HOME; give --out PATH\n");
    return 2;
  }
  std::printf("tuning on %s (%s), %s mode, budget %.0f s\n", cpu.brand.c_str(), cpu.key().c_str(),
              opt.full ? "full" : "quick", opt.budget_seconds);
  ProfileData data;
  std::vector<TuneRow> rows;
  run_tuner(opt, data, rows, progress_printer());
  std::fprintf(stderr, "\r\033[K");
  print_rows(rows, "default", "chosen");
  if (!make_parent_dirs(out)) {
    std::fprintf(stderr, "diaggauss tune: cannot create the folder of %s\n", out.c_str());
    return 1;
  }
  std::ofstream f(out);
  f << profile_to_json(data, cpu);
  f.close();
  if (!f) {
    std::fprintf(stderr, "diaggauss tune: cannot write %s\n", out.c_str());
    return 1;
  }
  std::printf("profile written to %s\n", out.c_str());
  return 0;
}

}  // namespace diaggauss::cli
