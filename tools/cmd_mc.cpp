// `diaggauss mc`: Monte Carlo entropy of a diagonal Gaussian mixture — the workload this project was born from.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "tools/commands.hpp"
#include "tools/mc_engine.hpp"
#include "tools/mc_mpi.hpp"

namespace diaggauss::cli {

namespace {

bool parse_size(const Args& a, const char* flag, std::size_t fallback, std::size_t& out) {
  const std::string v = a.value(flag);
  if (v.empty()) return out = fallback, true;
  char* end = nullptr;
  const unsigned long long x = std::strtoull(v.c_str(), &end, 10);
  if (!end || *end || v[0] == '-') {
    std::fprintf(stderr, "diaggauss mc: %s takes a non-negative integer, got '%s'\n", flag, v.c_str());
    return false;
  }
  out = static_cast<std::size_t>(x);
  return true;
}

McResult run_path(const MixtureModel& m, std::uint64_t seed, std::size_t N, McPath path, unsigned threads, bool pin) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::size_t chunks = chunk_count(N);
  std::vector<ChunkSums> sums;
  const MpiRange range = mpi_chunk_range(chunks);
  std::vector<ChunkSums> mine = run_chunks(m, seed, N, path, threads, range.first, range.last, pin);
  sums = mpi_gather_chunks(mine, chunks, range);
  McResult r = combine(sums, N);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.samples_per_second = N / r.seconds;
  return r;
}

nlohmann::ordered_json to_json(const McResult& r) {
  return {{"estimate", r.estimate}, {"stderr", r.std_error}, {"seconds", r.seconds},
          {"samples_per_second", r.samples_per_second}, {"samples", r.samples}};
}

}  // namespace

int cmd_mc(const Args& args) {
  if (args.has("--help")) {
    std::printf(
        "usage: diaggauss mc [--components K] [--dim D] [--samples N] [--seed S] [--model FILE.json]\n"
        "                    [--threads T] [--no-pin] [--path generic|diagonal|simd|all] [--json]\n"
        "                    [--save-model FILE]\n"
        "Monte Carlo estimate of the differential entropy H = -E[log p(X)] of a diagonal Gaussian mixture.\n"
        "Model file: {\"weights\": [K], \"means\": [[D] x K], \"variances\": [[D] x K]}; without one, a random\n"
        "model from --seed (docs/monte-carlo.md).  Defaults: K=3 D=4 N=1000000 seed=1 threads=1 path=simd.\n"
        "With T > 1 each worker thread is pinned to its own CPU where the process may use T CPUs (--no-pin: leave\n"
        "placement to the OS).\n");
    return 0;
  }
  if (!args.only("mc", {"--components", "--dim", "--samples", "--seed", "--model", "--threads", "--path", "--save-model"},
                 {"--json", "--no-pin"}))
    return 2;
  std::size_t K, D, N, threads;
  if (!parse_size(args, "--components", 3, K) || !parse_size(args, "--dim", 4, D) ||
      !parse_size(args, "--samples", 1000000, N) || !parse_size(args, "--threads", 1, threads))
    return 2;
  std::size_t seed_sz;
  if (!parse_size(args, "--seed", 1, seed_sz)) return 2;
  const std::uint64_t seed = seed_sz;
  if (N < 2 || K == 0 || D == 0) {
    std::fprintf(stderr, "diaggauss mc: need --samples >= 2, --components >= 1 and --dim >= 1\n");
    return 2;
  }
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  MixtureModel m;
  const std::string model_path = args.value("--model");
  if (!model_path.empty()) {
    if (const std::string err = load_model(model_path, m); !err.empty()) {
      std::fprintf(stderr, "diaggauss mc: bad model: %s\n", err.c_str());
      return 2;
    }
  } else {
    m = random_model(K, D, seed);
  }
  if (const std::string save = args.value("--save-model"); !save.empty()) {
    std::ofstream f(save);
    nlohmann::ordered_json mj;
    mj["weights"] = m.weights;
    for (const char* key : {"means", "variances"}) {
      const std::vector<double>& v = std::string(key) == "means" ? m.means : m.variances;
      nlohmann::ordered_json rows = nlohmann::ordered_json::array();
      for (std::size_t k = 0; k < m.K; ++k) rows.push_back(std::vector<double>(v.begin() + k * m.D, v.begin() + (k + 1) * m.D));
      mj[key] = rows;
    }
    f << mj.dump(1) << "\n";
    if (!f) {
      std::fprintf(stderr, "diaggauss mc: cannot write model to '%s'\n", save.c_str());
      return 1;
    }
  }
  const std::string which = args.value("--path", "simd");
  std::vector<McPath> paths;
  if (which == "all") paths = {McPath::generic, McPath::diagonal, McPath::simd};
  else if (which == "generic") paths = {McPath::generic};
  else if (which == "diagonal") paths = {McPath::diagonal};
  else if (which == "simd") paths = {McPath::simd};
  else {
    std::fprintf(stderr, "diaggauss mc: --path must be generic, diagonal, simd or all, got '%s'\n", which.c_str());
    return 2;
  }
  std::string why;
  if (!generic_path_available(why)) {
    if (which == "generic") {
      std::fprintf(stderr, "diaggauss mc: the generic path is unavailable: %s\n", why.c_str());
      return 2;
    }
    if (which == "all") paths.erase(paths.begin());
  }
  std::vector<McResult> results;
  for (McPath p : paths) {
    if (!args.has("--json") && mpi_is_root()) std::fprintf(stderr, "[mc] %s path, %zu samples ...\n", mc_path_name(p), N);
    results.push_back(run_path(m, seed, N, p, static_cast<unsigned>(threads), !args.has("--no-pin")));
  }
  if (!mpi_is_root()) return 0;
  const McResult& main_result = results.back();
  if (args.has("--json")) {
    nlohmann::ordered_json j = to_json(main_result);
    j["path"] = mc_path_name(paths.back());
    j["threads"] = threads;
    j["processes"] = mpi_size();
    j["model"] = {{"components", m.K}, {"dim", m.D}, {"source", model_path.empty() ? "random" : model_path}};
    if (m.K == 1) j["closed_form"] = single_gaussian_entropy(m);
    if (paths.size() > 1) {
      nlohmann::ordered_json p = nlohmann::ordered_json::object();
      for (std::size_t i = 0; i < paths.size(); ++i) p[mc_path_name(paths[i])] = to_json(results[i]);
      j["paths"] = p;
    }
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::printf("mixture: K=%zu D=%zu (%s), N=%zu, threads=%zu, processes=%d\n", m.K, m.D,
              model_path.empty() ? "random model" : model_path.c_str(), N, threads, mpi_size());
  std::printf("%-9s %22s %12s %10s %14s %9s\n", "path", "entropy estimate", "std. error", "seconds", "samples/s", "speedup");
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const McResult& r = results[i];
    std::printf("%-9s %22.15f %12.3g %10.4f %14.4g %8.1fx\n", mc_path_name(paths[i]), r.estimate, r.std_error, r.seconds,
                r.samples_per_second, results[0].seconds / r.seconds);
  }
  if (m.K == 1)
    std::printf("closed form (K = 1): %.15f  (estimate is %.2f standard errors away)\n", single_gaussian_entropy(m),
                std::fabs(main_result.estimate - single_gaussian_entropy(m)) / main_result.std_error);
  if (paths.size() > 1) {
    double spread = 0;
    for (const McResult& r : results) spread = std::max(spread, std::fabs(r.estimate - main_result.estimate));
    std::printf("paths agree within %.3g (%.2g standard errors): they evaluate the same samples\n", spread,
                spread / main_result.std_error);
  }
  return 0;
}

}  // namespace diaggauss::cli
