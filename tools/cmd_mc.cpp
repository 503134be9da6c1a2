// `diaggauss mc`: Monte Carlo entropy of a diagonal Gaussian mixture — the workload this project was born from.
// The engine is the library's (diaggauss/mc.hpp); this file is the command: options, limits, the model file,
// LAPACK for the generic path, MPI (tools/mc_mpi.hpp), timing and the report.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <new>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

#include "diaggauss/diaggauss.h"
#include "diaggauss/mc.hpp"
#include "tools/atomic_file.hpp"
#include "tools/cli_numbers.hpp"
#include "tools/commands.hpp"
#include "tools/mc_lapack.hpp"
#include "tools/mc_model_file.hpp"
#include "tools/mc_mpi.hpp"
#include "tools/progress.hpp"

namespace diaggauss::cli {

namespace {

// One path's result with its wall time (the library's Result has no timing: timing is the command's).
struct Timed {
  mc::Result r;
  double seconds = 0, samples_per_second = 0;
};

std::string out_of_memory(const char* doing, const mc::Mixture& m, const mc::Config& cfg) {
  return std::string("out of memory ") + doing + " (K=" + std::to_string(m.components) + ", D=" +
         std::to_string(m.dim) + ", N=" + std::to_string(cfg.samples) + ", " + std::to_string(cfg.threads) +
         (cfg.threads == 1 ? " thread)" : " threads)");
}

// A sample is x = mu + sigma z in doubles, so z keeps only ~52 - log2(|mu| / sigma) bits, and the log-density sees
// that rounded z: with means 1e17 standard deviations from 0 nothing of z is left and the estimate is silently
// wrong (the audit's model gave 0.92 for 1.42).  Warned about (not refused: the model is valid) once z keeps
// fewer than 16 bits' worth of relative precision (|mu| / sigma > 2^36).
void warn_if_means_swamp_noise(const mc::Mixture& m) {
  double worst = 0;
  std::size_t at = 0;
  for (std::size_t i = 0; i < m.means.size(); ++i) {
    const double r = std::fabs(m.means[i]) / std::sqrt(m.variances[i]);
    if (r > worst) worst = r, at = i;
  }
  if (worst <= 0x1p36 || !mpi_is_root()) return;
  std::fprintf(stderr,
               "diaggauss mc: warning: means[%zu][%zu] is %.3g standard deviations from 0: a sample mu + sigma z keeps "
               "only ~%.0f bits of z in double precision, so the estimate may be off by far more than its standard "
               "error (shift the whole model towards 0: a common shift does not change the entropy)\n",
               at / m.dim, at % m.dim, worst, std::max(0.0, 52 - std::log2(worst)));
}

// False (with the library's message in `error`, on every rank) when any rank failed.  Each rank computes its
// chunk range in pieces of about half a second (chunk sums do not depend on how the range is cut), so that a long
// run shows its progress between pieces.  One process adds each piece's sums to running totals in chunk order
// (mc::accumulate, then mc::estimate: the bits of combining every chunk's sums, in memory that does not grow with
// N); under MPI rank 0 gathers every chunk's sums and combines them in chunk order (the same bits again).
bool run_path(const mc::Mixture& m, const mc::Config& cfg, bool show_progress, Timed& out, std::string& error) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::uint64_t N = cfg.samples, chunks = mc::chunk_count(N);
  const MpiRange range = mpi_chunk_range(chunks);
  const bool one_process = mpi_size() == 1;
  unsigned started = std::max(1u, cfg.threads);
  mc::ChunkSums total{0, 0};
  std::vector<mc::ChunkSums> mine;  // MPI: this rank's sums, for the gather
  Progress progress("mc", std::string(mc::path_name(cfg.path)) + " path: ", N, "samples", show_progress && one_process);
  try {
    if (!one_process) mine.reserve(range.last - range.first);
    // Aim at 0.5 s per piece: start small, grow (at most 8x at a time) while pieces are short, up to the library's
    // own segment (1 MiB of sums).
    std::uint64_t piece = 4 * std::uint64_t{std::max(1u, cfg.threads)};
    auto p0 = std::chrono::steady_clock::now();
    const auto next_piece = [&] {
      p0 = std::chrono::steady_clock::now();
      return piece;
    };
    const auto take = [&](const std::vector<mc::ChunkSums>& part, std::uint64_t end) {
      if (one_process) mc::accumulate(total, part);
      else mine.insert(mine.end(), part.begin(), part.end());
      progress.update(std::min<std::uint64_t>(N, end * std::uint64_t{DG_MC_CHUNK_POINTS}));
      const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - p0).count();
      if (dt < 0.25) piece = std::min(mc::kEntropySegmentChunks, piece * (dt > 0.0625 ? 2 : 8));
    };
    started = std::max(1u, mc::for_each_piece(m, cfg, range.first, range.last, next_piece, take));
  } catch (const Error& e) {
    error = e.what();
  } catch (const std::bad_alloc&) {
    error = out_of_memory("computing the samples", m, cfg);
  } catch (const std::length_error&) {
    error = out_of_memory("computing the samples", m, cfg);
  }
  progress.finish();
  if (error.empty() && started < std::max(1u, cfg.threads))
    std::fprintf(stderr, "diaggauss mc: the system allowed %u of %u threads; they shared the work (same estimate)\n",
                 started, cfg.threads);
  if (mpi_any(!error.empty())) {
    if (error.empty()) error = "another MPI rank failed";
    return false;
  }
  try {
    if (one_process) {
      out.r = mc::estimate(total, N);
    } else {
      const std::vector<mc::ChunkSums> sums = mpi_gather_chunks(mine, chunks, range);
      if (mpi_is_root()) out.r = mc::combine(sums, N);  // the other ranks hold no sums
    }
  } catch (const Error& e) {
    error = e.what();
    return false;
  } catch (const std::bad_alloc&) {
    error = out_of_memory("gathering the chunk sums", m, cfg);
    return false;
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.samples_per_second = N / out.seconds;
  return true;
}

nlohmann::ordered_json to_json(const Timed& t) {
  return {{"estimate", t.r.estimate}, {"stderr", t.r.std_error}, {"seconds", t.seconds},
          {"samples_per_second", t.samples_per_second}, {"samples", t.r.samples}};
}

// Limits checked before anything is allocated (docs/monte-carlo.md): the model's arrays and each worker's
// block of points stay within a few tens of MiB, and the sample count keeps chunk arithmetic and the
// estimate's count (a double) exact.
constexpr std::uint64_t kMaxComponents = 1 << 16, kMaxDim = 1 << 12, kMaxModelEntries = 1 << 22;
constexpr std::uint64_t kMaxSamples = DG_MC_MAX_SAMPLES;  // the engine's own limit (diaggauss/mc.h)
constexpr std::uint64_t kMaxThreadsAsked = 1 << 20;

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
  auto* save = app->add_option("--save-model", o->save_model, "also write the model used to this JSON file");
  // Checked when given, as sample's --out: an explicitly empty path is a mistake ("empty output path"), not "no
  // --save-model", and an unwritable one fails before the run.
  app->callback([save, o] {
    if (save->count() == 0) return;
    if (const std::string why = check_output_path(o->save_model); !why.empty())
      throw CLI::ValidationError("--save-model", why);
  });
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
  mc::Mixture m;
  const std::string& model_path = o.model;
  if (!model_path.empty()) {
    std::string err;
    try {
      err = load_model(model_path, m);
    } catch (const std::bad_alloc&) {
      std::fprintf(stderr, "diaggauss mc: out of memory reading the model %s\n", model_path.c_str());
      return 1;
    }
    if (!err.empty()) {
      std::fprintf(stderr, "diaggauss mc: bad model: %s\n", err.c_str());
      return 2;
    }
    if (m.components > kMaxComponents || m.dim > kMaxDim || m.components * m.dim > kMaxModelEntries) {
      std::fprintf(stderr, "diaggauss mc: model %s has K=%zu D=%zu; limits are K <= %llu, D <= %llu, K x D <= %llu\n",
                   model_path.c_str(), m.components, m.dim, (unsigned long long)kMaxComponents,
                   (unsigned long long)kMaxDim, (unsigned long long)kMaxModelEntries);
      return 2;
    }
  } else {
    try {
      m = mc::random_mixture(o.components, o.dim, o.seed);
    } catch (const Error& e) {
      std::fprintf(stderr, "diaggauss mc: %s\n", e.what());
      return 1;
    } catch (const std::bad_alloc&) {
      std::fprintf(stderr, "diaggauss mc: out of memory building the random model (K=%llu, D=%llu)\n",
                   (unsigned long long)o.components, (unsigned long long)o.dim);
      return 1;
    }
  }
  warn_if_means_swamp_noise(m);
  if (!o.save_model.empty() && mpi_is_root()) {
    if (const std::string err = write_file_atomically(o.save_model, model_json(m)); !err.empty()) {
      std::fprintf(stderr, "diaggauss mc: --save-model: %s\n", err.c_str());
      return 1;
    }
  }
  const std::string& which = o.path;
  std::vector<mc::Path> paths;
  if (which == "all") paths = {mc::Path::generic, mc::Path::diagonal, mc::Path::simd};
  else if (which == "generic") paths = {mc::Path::generic};
  else if (which == "diagonal") paths = {mc::Path::diagonal};
  else if (which == "simd") paths = {mc::Path::simd};

  mc::Config cfg;
  cfg.seed = o.seed;
  cfg.samples = o.samples;
  cfg.threads = static_cast<unsigned>(threads);
  cfg.pin_threads = !o.no_pin;
  if (which == "generic" || which == "all") {  // LAPACK is loaded here, only for the path that uses it
    std::string why;
    cfg.dgesv = lapack_dgesv(why);
    if (!cfg.dgesv) {
      std::fprintf(stderr, "diaggauss mc: the generic path is unavailable: %s\n", why.c_str());
      if (which == "generic") return 2;
      paths.erase(paths.begin());
    }
  }
  std::vector<Timed> results;
  for (mc::Path p : paths) {
    if (!o.json && mpi_is_root()) std::fprintf(stderr, "[mc] %s path, %zu samples ...\n", mc::path_name(p), N);
    cfg.path = p;
    Timed r;
    std::string error;
    if (!run_path(m, cfg, /*show_progress=*/true, r, error)) {
      if (mpi_is_root()) std::fprintf(stderr, "diaggauss mc: %s path: %s\n", mc::path_name(p), error.c_str());
      return 1;
    }
    results.push_back(r);
  }
  if (!mpi_is_root()) return 0;  // rank 0 alone holds the combined estimate and reports it
  const mc::Result& main_result = results.back().r;
  const bool one_component = m.components == 1;
  if (o.json) {
    nlohmann::ordered_json j = to_json(results.back());
    j["path"] = mc::path_name(paths.back());
    j["threads"] = threads;
    j["processes"] = mpi_size();
    j["model"] = {{"components", m.components}, {"dim", m.dim}, {"source", model_path.empty() ? "random" : model_path}};
    if (one_component) j["closed_form"] = mc::single_gaussian_entropy(m);
    if (paths.size() > 1) {
      nlohmann::ordered_json p = nlohmann::ordered_json::object();
      for (std::size_t i = 0; i < paths.size(); ++i) p[mc::path_name(paths[i])] = to_json(results[i]);
      j["paths"] = p;
    }
    std::cout << dump_json(j) << "\n";
    return 0;
  }
  std::printf("mixture: K=%zu D=%zu (%s), N=%zu, threads=%zu, processes=%d\n", m.components, m.dim,
              model_path.empty() ? "random model" : model_path.c_str(), N, threads, mpi_size());
  std::printf("%-9s %22s %12s %10s %14s %9s\n", "path", "entropy estimate", "std. error", "seconds", "samples/s", "speedup");
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const Timed& t = results[i];
    std::printf("%-9s %22.15f %12.3g %10.4f %14.4g %8.1fx\n", mc::path_name(paths[i]), t.r.estimate, t.r.std_error,
                t.seconds, t.samples_per_second, results[0].seconds / t.seconds);
  }
  if (one_component)
    std::printf("closed form (K = 1): %.15f  (estimate is %.2f standard errors away)\n", mc::single_gaussian_entropy(m),
                std::fabs(main_result.estimate - mc::single_gaussian_entropy(m)) / main_result.std_error);
  if (paths.size() > 1) {
    double spread = 0;
    for (const Timed& t : results) spread = std::max(spread, std::fabs(t.r.estimate - main_result.estimate));
    std::printf("paths agree within %.3g (%.2g standard errors): they evaluate the same samples\n", spread,
                spread / main_result.std_error);
  }
  return 0;
}

}  // namespace diaggauss::cli
