// `diaggauss tune`: measure, choose, save a profile the library loads at start-up; `--verify` re-measures a
// profile's choices against the defaults, A/B alternated.
// Profiles are handled like FFTW wisdom: `--kernel X` merges the new rows into the existing profile (the other
// kernels' choices stay), the previous file is kept as <name>.bak, and the new one is written whole or not at all
// (tools/atomic_file.hpp).  The output path is checked before tuning starts.
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "diaggauss/diaggauss.h"
#include "dispatch/selection.hpp"
#include "tools/atomic_file.hpp"
#include "tools/cli_numbers.hpp"
#include "tools/commands.hpp"
#include "tune/tuner.hpp"

namespace diaggauss::cli {

using namespace diaggauss::detail;

namespace {

struct TuneCliOptions {
  bool quick = false, full = false, json = false;
  double budget = 0;  // 0: the mode's default
  std::vector<std::string> kernels;
  std::string out;
  bool verify = false;
  std::string verify_path;
  std::uint64_t pairs = 7;
};

const char* kUnitNote = "throughput in G elements/s; gmm_logpdf in G terms/s (points x components x dimensions)";

void print_rows(const std::vector<TuneRow>& rows, const char* a_label, const char* b_label) {
  std::printf("%-17s %-5s %-19s %-19s %-32s %10s %10s %8s %6s\n", "kernel", "class", a_label, b_label, "params",
              "default", "chosen", "speedup", "cv");
  for (const TuneRow& r : rows) {
    if (!r.measured) {
      std::printf("%-17s %-5s %-19s %-19s %-32s %10s %10s %8s %6s\n", operation_name(r.operation),
                  size_class_name(r.size_class), r.default_name.c_str(), "(budget spent)", "-", "-", "-", "-", "-");
      continue;
    }
    // The CV column is the chosen measurement's noise: a speedup within it is not a win (the tuner keeps the
    // default unless the gain exceeds max(3 %, 2 x CV)).
    std::printf("%-17s %-5s %-19s %-19s %-32s %9.3gG %9.3gG %7.2fx %5.1f%%\n", operation_name(r.operation),
                size_class_name(r.size_class), r.default_name.c_str(), r.chosen_name.c_str(), r.chosen_params.c_str(),
                r.default_throughput / 1e9, r.chosen_throughput / 1e9, r.chosen_throughput / r.default_throughput,
                100 * r.noise);
  }
  std::printf("(%s; cv: noise of the %s measurement)\n", kUnitNote, b_label);
}

nlohmann::ordered_json rows_json(const std::vector<TuneRow>& rows) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const TuneRow& r : rows) {
    nlohmann::ordered_json j = {{"kernel", operation_name(r.operation)},
                                {"size_class", size_class_name(r.size_class)},
                                {"measured", r.measured},
                                {"default", r.default_name}};
    if (r.measured) {
      j["chosen"] = r.chosen_name;
      j["params"] = r.chosen_params;
      j["default_throughput"] = r.default_throughput;
      j["chosen_throughput"] = r.chosen_throughput;
      j["speedup"] = r.chosen_throughput / r.default_throughput;
      j["cv"] = r.noise;
    }
    a.push_back(j);
  }
  return a;
}

// On a terminal the line is redrawn in place; in a log file each step is a plain line.  With a budget, each
// line ends with the time left (the tuner stops on time, so that is the ETA).
std::function<void(const std::string&)> progress_printer(bool tty, double budget_seconds = 0) {
  const auto start = std::chrono::steady_clock::now();
  return [tty, budget_seconds, start](const std::string& line) {
    std::string eta;
    if (budget_seconds > 0) {
      const double left =
          budget_seconds - std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      eta = " (ETA " + std::to_string(static_cast<int>(std::max(0.0, left) + 0.5)) + " s)";
    }
    if (tty) std::fprintf(stderr, "\r\033[K[tune] %s%s", line.c_str(), eta.c_str());
    else std::fprintf(stderr, "[tune] %s%s\n", line.c_str(), eta.c_str());
    std::fflush(stderr);
  };
}

void end_progress(bool tty) {
  if (tty) std::fprintf(stderr, "\r\033[K");
}

int run_verify(const TuneCliOptions& o, const CpuInfo& cpu) {
  const std::string path = o.verify_path.empty() ? default_profile_path(cpu) : o.verify_path;
  ProfileData data;
  std::string why;
  if (read_profile_file(path, cpu, data, why) != ProfileVerdict::ok) {
    std::fprintf(stderr, "diaggauss tune --verify: %s: %s\n", path.c_str(), why.c_str());
    return 1;
  }
  const bool tty = stderr_is_tty();
  const auto rows = verify_profile(data, static_cast<int>(o.pairs), progress_printer(tty));
  end_progress(tty);
  if (o.json) {
    nlohmann::ordered_json j = {{"profile", path}, {"pairs", o.pairs}, {"unit", kUnitNote}, {"rows", rows_json(rows)}};
    std::cout << dump_json(j) << "\n";
    return 0;
  }
  std::printf("A/B verification of %s (%llu alternated pairs, medians)\n", path.c_str(), (unsigned long long)o.pairs);
  print_rows(rows, "default (A)", "profile (B)");
  return 0;
}

int run_tune(const TuneCliOptions& o) {
  if (const std::string err = library_error(); !err.empty()) {
    std::fprintf(stderr, "diaggauss tune: %s\n", err.c_str());
    return 2;
  }
  const CpuInfo& cpu = host_cpu();
  if (o.verify) return run_verify(o, cpu);
  TuneOptions opt;
  opt.full = o.full;
  opt.budget_seconds = o.budget > 0 ? o.budget : (opt.full ? 180 : 15);
  for (const std::string& name : o.kernels) {
    Operation k;
    if (parse_operation(name, k)) opt.operations.push_back(k);  // names were checked by the option's validator
  }
  const std::string out = o.out.empty() ? default_profile_path(cpu) : o.out;
  if (out.empty()) {
    std::fprintf(stderr, "diaggauss tune: no absolute HOME or XDG_CONFIG_HOME; give --out PATH\n");
    return 2;
  }
  // Before tuning: a path that cannot be written fails now, not after the budget is spent.
  if (const std::string why = make_parent_dirs(out); !why.empty()) {
    std::fprintf(stderr, "diaggauss tune: --out: %s\n", why.c_str());
    return 2;
  }
  // A real trial, not only a look at the folder: the temporary file and the backup link are created and removed
  // (a name over NAME_MAX once ".tmp.XXXXXX" is added, a read-only file system, fail here).
  if (const std::string why = probe_output_path(out, /*keep_backup=*/true); !why.empty()) {
    std::fprintf(stderr, "diaggauss tune: --out: %s\n", why.c_str());
    return 2;
  }
  // Tuning some kernels merges into the existing profile: read it now (a profile for this CPU only).
  ProfileData old;
  bool merge = false;
  if (!opt.operations.empty()) {
    std::string why;
    const ProfileVerdict v = read_profile_file(out, cpu, old, why);
    merge = v == ProfileVerdict::ok;
    if (!merge && why.rfind("no file at", 0) != 0)
      std::fprintf(stderr, "diaggauss tune: not merging into %s: %s\n", out.c_str(), why.c_str());
  }
  if (!o.json)
    std::printf("tuning on %s (%s), %s mode, budget %.0f s\n", cpu.brand.c_str(), cpu.key().c_str(),
                opt.full ? "full" : "quick", opt.budget_seconds);
  std::fflush(stdout);
  ProfileData data;
  std::vector<TuneRow> rows;
  const bool tty = stderr_is_tty();
  run_tuner(opt, data, rows, progress_printer(tty, opt.budget_seconds));
  end_progress(tty);
  int merged = 0;
  if (merge) {
    for (int k = 0; k < kOperationCount; ++k) {
      bool tuned = false;
      for (Operation t : opt.operations) tuned |= static_cast<int>(t) == k;
      if (tuned) continue;
      bool any = false;
      for (int c = 0; c < kSizeClassCount; ++c) {
        data.choice[k][c] = old.choice[k][c];
        any |= old.choice[k][c].set;
      }
      merged += any;
    }
  }
  if (o.json) {
    nlohmann::ordered_json j = {{"cpu", {{"brand", cpu.brand}, {"key", cpu.key()}}},
                                {"mode", opt.full ? "full" : "quick"},
                                {"budget_seconds", opt.budget_seconds},
                                {"unit", kUnitNote},
                                {"rows", rows_json(rows)},
                                {"profile", out},
                                {"kernels_kept_from_previous_profile", merged}};
    std::cout << dump_json(j) << "\n";
  } else {
    print_rows(rows, "default", "chosen");
  }
  struct stat st {};
  const bool had_previous = ::stat(out.c_str(), &st) == 0;
  if (const std::string err = write_file_atomically(out, profile_to_json(data, cpu), /*keep_backup=*/true);
      !err.empty()) {
    std::fprintf(stderr, "diaggauss tune: %s (the previous profile is unchanged)\n", err.c_str());
    return 1;
  }
  if (!o.json) {
    std::printf("profile written to %s", out.c_str());
    if (merged) std::printf(" (merged: %d other kernels kept from the previous profile)", merged);
    if (had_previous) std::printf("; the previous one is %s.bak", out.c_str());
    std::printf("\n");
  }
  return 0;
}

}  // namespace

Runner add_tune(CLI::App& root) {
  auto o = std::make_shared<TuneCliOptions>();
  CLI::App* app = root.add_subcommand("tune", "measure and save a tuning profile; --verify re-checks one A/B");
  auto* quick = app->add_flag("--quick", o->quick, "about 15 s (default)");
  auto* full = app->add_flag("--full", o->full, "about 3 min, finer parameter grid");
  quick->excludes(full);
  app->add_option("--budget", o->budget, "seconds to spend (default 15 quick, 180 full)")->transform(real_in(0.001, 86400));
  std::vector<std::string> names;
  for (Operation k : tunable_operations()) names.push_back(operation_name(k));
  auto* kernel = app->add_option("--kernel", o->kernels, "tune only these kernels, merged into the existing profile")
                     ->check(CLI::IsMember(names));
  auto* out = app->add_option("--out", o->out, "profile path (default: $XDG_CONFIG_HOME/diaggauss/<cpu-key>.json)");
  auto* verify = app->add_option("--verify", o->verify_path, "A/B re-measure a profile (default: the one in use)")
                     ->expected(0, 1);
  app->add_option("--pairs", o->pairs, "--verify: alternated A/B pairs")->transform(u64_in(3, 1000))->capture_default_str();
  app->add_flag("--json", o->json, "machine-readable output (progress goes to stderr)");
  verify->excludes(kernel)->excludes(out)->excludes(full)->excludes(quick);
  // An explicitly empty --out is a mistake, not "the default path" (an empty --verify value is refused in main()).
  app->callback([o, verify, out] {
    o->verify = verify->count() > 0;
    if (out->count() > 0 && o->out.empty()) throw CLI::ValidationError("--out", "empty output path");
  });
  return [o] { return run_tune(*o); };
}

}  // namespace diaggauss::cli
