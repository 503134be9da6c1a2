// `diaggauss mc`: Monte Carlo entropy of a diagonal Gaussian mixture — the workload this project was born from.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>

#include "diaggauss/diaggauss.h"
#include "tools/atomic_file.hpp"
#include "tools/cli_numbers.hpp"
#include "tools/commands.hpp"
#include "tools/mc_engine.hpp"
#include "tools/mc_mpi.hpp"

namespace diaggauss::cli {

namespace {

// False (with the library's or the OS's message in `error`, on every rank) when any rank failed.
bool run_path(const MixtureModel& m, std::uint64_t seed, std::size_t N, McPath path, unsigned threads, bool pin,
              McResult& r, std::string& error) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::size_t chunks = chunk_count(N);
  const MpiRange range = mpi_chunk_range(chunks);
  unsigned started = threads;
  std::vector<ChunkSums> mine = run_chunks(m, seed, N, path, threads, range.first, range.last, pin, &error, &started);
  if (started < std::max(1u, threads))
    std::fprintf(stderr, "diaggauss mc: the system allowed %u of %u threads; they shared the work (same estimate)\n",
                 started, threads);
  if (mpi_any(!error.empty())) {
    if (error.empty()) error = "another MPI rank failed";
    return false;
  }
  const std::vector<ChunkSums> sums = mpi_gather_chunks(mine, chunks, range);
  r = combine(sums, N);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.samples_per_second = N / r.seconds;
  return true;
}

nlohmann::ordered_json to_json(const McResult& r) {
  return {{"estimate", r.estimate}, {"stderr", r.std_error}, {"seconds", r.seconds},
          {"samples_per_second", r.samples_per_second}, {"samples", r.samples}};
}

// Limits checked before anything is allocated (docs/monte-carlo.md): the model's arrays and each worker's
// block of points stay within a few tens of MiB, and the sample count keeps chunk arithmetic and the
// estimate's count (a double) exact.
constexpr std::uint64_t kMaxComponents = 1 << 16, kMaxDim = 1 << 12, kMaxModelEntries = 1 << 22;
constexpr std::uint64_t kMaxSamples = std::uint64_t{1} << 53;
constexpr std::uint64_t kMaxThreadsAsked = 1 << 20;

std::string model_json(const MixtureModel& m) {
  nlohmann::ordered_json mj;
  mj["weights"] = m.weights;
  for (const char* key : {"means", "variances"}) {
    const std::vector<double>& v = std::string(key) == "means" ? m.means : m.variances;
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < m.K; ++k) rows.push_back(std::vector<double>(v.begin() + k * m.D, v.begin() + (k + 1) * m.D));
    mj[key] = rows;
  }
  return mj.dump(1) + "\n";
}

}  // namespace

Runner add_mc(CLI::App& root) {
  auto o = std::make_shared<McOptions>();
  CLI::App* app = root.add_subcommand("mc", "Monte Carlo entropy of a diagonal Gaussian mixture");
  app->footer(
      "Monte Carlo estimate of the differential entropy H = -E[log p(X)] of a diagonal Gaussian mixture.\n"
      "Model file: {\"weights\": [K], \"means\": [[D] x K], \"variances\": [[D] x K]}; without one, a random model\n"
      "from --seed (docs/monte-carlo.md).  With T > 1 each worker thread is pinned to its own CPU where the\n"
      "process may use T CPUs (--no-pin: leave placement to the OS).  MPI is used only when started by mpirun/srun.\n"
      "Limits: K <= 65536, D <= 4096, K x D <= 2^22, N <= 2^53; --threads above 8 per CPU are capped.");
  auto* comp = app->add_option("--components,-K", o->components, "mixture components K (random model)")
                   ->transform(u64_in(1, kMaxComponents))
                   ->capture_default_str();
  auto* dim = app->add_option("--dim,-D", o->dim, "dimension D (random model)")
                  ->transform(u64_in(1, kMaxDim))
                  ->capture_default_str();
  app->add_option("--samples,-N", o->samples, "samples")->transform(u64_in(2, kMaxSamples))->capture_default_str();
  app->add_option("--seed", o->seed, "seed of the samples and of the random model")
      ->transform(u64_in(0, UINT64_MAX))
      ->capture_default_str();
  app->add_option("--model", o->model, "model file (JSON)")->check(CLI::ExistingFile)->excludes(comp)->excludes(dim);
  app->add_option("--threads,-T", o->threads, "worker threads (0: one per CPU)")
      ->transform(u64_in(0, kMaxThreadsAsked))
      ->capture_default_str();
  app->add_flag("--no-pin", o->no_pin, "do not pin worker threads to CPUs");
  app->add_option("--path", o->path, "which evaluation: generic (dense LU), diagonal (scalar), simd, or all three")
      ->check(CLI::IsMember({"generic", "diagonal", "simd", "all"}))
      ->capture_default_str();
  app->add_flag("--json", o->json, "machine-readable output");
  app->add_option("--save-model", o->save_model, "also write the model used to this JSON file");
  return [o] { return run_mc(*o); };
}

int run_mc(const McOptions& o) {
  if (const std::string err = library_error(); !err.empty()) {
    std::fprintf(stderr, "diaggauss mc: %s\n", err.c_str());
    return 2;
  }
  // A one-value probe: a library that refuses to run (no usable implementation) says so here, before any work.
  if (double probe; dg_uniform_f64(0, 0, 0, 1, &probe) != DG_OK) {
    std::fprintf(stderr, "diaggauss mc: %s\n", dg_last_error());
    return 1;
  }
  const std::size_t N = o.samples;
  std::size_t threads = o.threads;
  const std::size_t cpus = std::max(1u, std::thread::hardware_concurrency());
  if (threads == 0) threads = cpus;
  // More workers than 8 per CPU only adds stacks and switching: the estimate is the same for any count.
  if (threads > 8 * cpus) {
    if (mpi_is_root())
      std::fprintf(stderr, "diaggauss mc: --threads %zu capped at %zu (8 per CPU; the estimate does not depend on it)\n",
                   threads, 8 * cpus);
    threads = 8 * cpus;
  }
  if (o.model.empty() && o.components * o.dim > kMaxModelEntries) {
    std::fprintf(stderr, "diaggauss mc: --components x --dim = %llu exceeds %llu model entries\n",
                 static_cast<unsigned long long>(o.components * o.dim), static_cast<unsigned long long>(kMaxModelEntries));
    return 2;
  }
  if (!o.save_model.empty()) {
    if (const std::string why = check_output_path(o.save_model); !why.empty()) {
      std::fprintf(stderr, "diaggauss mc: --save-model: %s\n", why.c_str());
      return 2;
    }
  }
  MixtureModel m;
  const std::string& model_path = o.model;
  if (!model_path.empty()) {
    if (const std::string err = load_model(model_path, m); !err.empty()) {
      std::fprintf(stderr, "diaggauss mc: bad model: %s\n", err.c_str());
      return 2;
    }
    if (m.K > kMaxComponents || m.D > kMaxDim || m.K * m.D > kMaxModelEntries) {
      std::fprintf(stderr, "diaggauss mc: model %s has K=%zu D=%zu; limits are K <= %llu, D <= %llu, K x D <= %llu\n",
                   model_path.c_str(), m.K, m.D, (unsigned long long)kMaxComponents, (unsigned long long)kMaxDim,
                   (unsigned long long)kMaxModelEntries);
      return 2;
    }
  } else {
    m = random_model(o.components, o.dim, o.seed);
  }
  if (!o.save_model.empty() && mpi_is_root()) {
    if (const std::string err = write_file_atomically(o.save_model, model_json(m)); !err.empty()) {
      std::fprintf(stderr, "diaggauss mc: --save-model: %s\n", err.c_str());
      return 1;
    }
  }
  const std::string& which = o.path;
  const std::uint64_t seed = o.seed;
  std::vector<McPath> paths;
  if (which == "all") paths = {McPath::generic, McPath::diagonal, McPath::simd};
  else if (which == "generic") paths = {McPath::generic};
  else if (which == "diagonal") paths = {McPath::diagonal};
  else if (which == "simd") paths = {McPath::simd};

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
    if (!o.json && mpi_is_root()) std::fprintf(stderr, "[mc] %s path, %zu samples ...\n", mc_path_name(p), N);
    McResult r;
    std::string error;
    if (!run_path(m, seed, N, p, static_cast<unsigned>(threads), !o.no_pin, r, error)) {
      if (mpi_is_root()) std::fprintf(stderr, "diaggauss mc: %s path: %s\n", mc_path_name(p), error.c_str());
      return 1;
    }
    results.push_back(r);
  }
  if (!mpi_is_root()) return 0;  // rank 0 alone holds the combined estimate and reports it
  const McResult& main_result = results.back();
  if (o.json) {
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
    std::cout << dump_json(j) << "\n";
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
