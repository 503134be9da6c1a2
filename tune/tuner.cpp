#include "tune/tuner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <memory>

#include "diaggauss/diaggauss.h"
#include "dispatch/selection.hpp"
#include "dispatch/working_set.hpp"  // the API's definition of a call's size
#include "tune/measure.hpp"

namespace diaggauss::detail {

namespace {

using Clock = std::chrono::steady_clock;

Clock::duration seconds(double s) { return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s)); }

// One kernel call through the public API at a given working-set size, plus how many elements it produces.
struct Workload {
  std::vector<double> a, b, c, d, e;
  std::vector<std::uint32_t> labels;
  std::function<void()> call;
  double items = 0;
};

std::unique_ptr<Workload> make_workload(Operation k, std::size_t bytes) {
  auto w = std::make_unique<Workload>();
  Workload& W = *w;
  auto fill = [](std::vector<double>& v, std::size_t n, double lo, double span) {
    v.resize(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = lo + span * ((i * 2654435761u) % 1000) / 1000.0;
  };
  const std::size_t dim = 16, K = 16;
  switch (k) {
    case Operation::solve_diag:
    case Operation::solve_diag_inv: {
      const std::size_t n = n_for_working_set(k, {}, bytes, 16);
      fill(W.a, n, 0.5, 2), fill(W.b, n, -1, 2), W.c.resize(n);
      W.items = n;
      W.call = k == Operation::solve_diag ? std::function<void()>([&W, n] { dg_solve_diag_f64(n, W.a.data(), W.b.data(), W.c.data(), nullptr); })
                                       : std::function<void()>([&W, n] { dg_solve_diag_inv_f64(n, W.a.data(), W.b.data(), W.c.data()); });
      break;
    }
    case Operation::reciprocal: {
      const std::size_t n = n_for_working_set(k, {}, bytes, 16);
      fill(W.a, n, 0.5, 2), W.c.resize(n);
      W.items = n;
      W.call = [&W, n] { dg_reciprocal_f64(n, W.a.data(), W.c.data(), nullptr); };
      break;
    }
    case Operation::solve_diag_multi: {
      const std::size_t nrhs = 64, n = n_for_working_set(k, {0, nrhs}, bytes, 4);
      fill(W.a, n, 0.5, 2), fill(W.b, n * nrhs, -1, 2), W.c.resize(n * nrhs);
      W.items = n * nrhs;
      W.call = [&W, n, nrhs] { dg_solve_diag_multi_f64(n, nrhs, W.a.data(), W.b.data(), nrhs, W.c.data(), nrhs, nullptr); };
      break;
    }
    case Operation::whiten:
    case Operation::diag_logpdf: {
      const std::size_t np = n_for_working_set(k, {0, dim}, bytes, 4);
      fill(W.a, np * dim, -2, 4), fill(W.b, dim, -0.5, 1), fill(W.d, dim, 0.5, 2), W.c.resize(np * dim);
      W.items = np * dim;
      W.call = k == Operation::whiten
                   ? std::function<void()>([&W, np] { dg_whiten_f64(np, dim, W.a.data(), W.b.data(), W.d.data(), W.c.data()); })
                   : std::function<void()>([&W, np] { dg_diag_logpdf_f64(np, dim, W.a.data(), W.b.data(), W.d.data(), W.c.data()); });
      break;
    }
    case Operation::gmm_logpdf: {
      const std::size_t np = n_for_working_set(k, {0, dim, K}, bytes, 4);
      fill(W.a, np * dim, -2, 4), fill(W.b, K * dim, -1, 2), fill(W.d, K * dim, 0.5, 2), W.c.resize(np);
      W.e.assign(K, 1.0 / K);
      W.items = np * K * dim;  // terms (x - mu)^2 / var: the unit of diaggauss bench and bench/report.py
      W.call = [&W, np] { dg_gmm_logpdf_f64(np, dim, K, W.a.data(), W.e.data(), W.b.data(), W.d.data(), W.c.data(), nullptr); };
      break;
    }
    case Operation::uniform_u32: {
      const std::size_t n = n_for_working_set(k, {}, bytes, 16);
      W.labels.resize(n);
      W.items = n;
      W.call = [&W, n] { dg_uniform_u32(1, 0, 0, n, W.labels.data()); };
      break;
    }
    case Operation::uniform:
    case Operation::normal: {
      const std::size_t n = n_for_working_set(k, {}, bytes, 16);
      W.c.resize(n);
      W.items = n;
      W.call = k == Operation::normal ? std::function<void()>([&W, n] { dg_normal_f64(1, 0, 0, n, W.c.data()); })
                                   : std::function<void()>([&W, n] { dg_uniform_f64(1, 0, 0, n, W.c.data()); });
      break;
    }
    case Operation::sample_diag:
    case Operation::sample_gmm: {
      const std::size_t d4 = 4, k3 = 3, np = n_for_working_set(k, {0, d4, k == Operation::sample_gmm ? k3 : 1}, bytes, 4);
      fill(W.b, k3 * d4, -1, 2), fill(W.d, k3 * d4, 0.5, 2), W.c.resize(np * d4);
      W.e = {0.2, 0.3, 0.5};
      W.items = np * d4;
      W.call = k == Operation::sample_diag
                   ? std::function<void()>([&W, np] { dg_sample_diag_f64(1, 0, 0, np, 4, W.b.data(), W.d.data(), W.c.data()); })
                   : std::function<void()>([&W, np] {
                       dg_sample_gmm_f64(1, 0, 0, np, 4, 3, W.e.data(), W.b.data(), W.d.data(), W.c.data(), nullptr);
                     });
      break;
    }
    default: return nullptr;
  }
  return w;
}

// Representative working-set bytes for each size class (inside the class, away from its edges).
std::size_t class_bytes(SizeClass c, bool full) {
  std::size_t lim[kSizeClassCount - 1];
  size_class_limits(lim);
  switch (c) {
    case SizeClass::l1: return lim[0] / 2;
    case SizeClass::l2: return static_cast<std::size_t>(std::sqrt(double(lim[0]) * double(lim[1])));
    case SizeClass::llc: return static_cast<std::size_t>(std::sqrt(double(lim[1]) * double(lim[2])));
    case SizeClass::mem: return lim[2] * (full ? 4 : 2);
  }
  return lim[0];
}

// Points every size class of `k` at one candidate, so that whichever class a call lands in, it runs it.
void point_all_classes(Operation k, const Implementation& impl, const Blocking& b) {
  std::string msg;
  for (int c = 0; c < kSizeClassCount; ++c) set_choice(k, static_cast<SizeClass>(c), impl.isa, impl.family, b, msg);
}

std::string params_text(Operation k, const Blocking& b) {
  std::string s;
  for (const BlockingParam& p : kBlockingParams)
    if (param_applies(k, p)) s += (s.empty() ? "" : " ") + std::string(p.name) + "=" + std::to_string(b.*(p.field));
  return s.empty() ? "-" : s;
}

std::vector<std::uint32_t> grid(const BlockingParam& p, bool full) {
  const std::string n = p.name;
  if (n == "point_tile") return full ? std::vector<std::uint32_t>{16, 32, 64, 128, 256, 512} : std::vector<std::uint32_t>{32, 64, 128};
  if (n == "comp_tile") return full ? std::vector<std::uint32_t>{1, 2, 4, 8, 16, 32} : std::vector<std::uint32_t>{4, 8, 16};
  if (n == "sample_chunk") return full ? std::vector<std::uint32_t>{256, 512, 1024, 2048, 4096, 8192} : std::vector<std::uint32_t>{512, 1024, 4096};
  if (n == "philox_ilv") return {1, 2, 3, 4};
  return {};
}

std::string now_iso8601() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

}  // namespace

const char* operation_unit(Operation k) {
  return k == Operation::gmm_logpdf ? "terms/s (points x components x dimensions)" : "elements/s";
}

std::vector<Measurement> measure_implementations(Operation k, SizeClass c,
                                                 const std::vector<const Implementation*>& impls, int runs,
                                                 double& items, std::size_t& bytes) {
  std::vector<Measurement> out;
  bytes = class_bytes(c, false);
  auto W = make_workload(k, bytes);
  if (!W) return out;
  items = W->items;
  clear_profile();
  for (const Implementation* impl : impls) {
    point_all_classes(k, *impl, impl->defaults);
    out.push_back(measure(W->call, runs, 1e-3));
  }
  clear_profile();
  return out;
}

const std::vector<Operation>& tunable_operations() {
  static const std::vector<Operation> k = {Operation::solve_diag,  Operation::reciprocal, Operation::solve_diag_inv,
                                        Operation::solve_diag_multi, Operation::whiten, Operation::diag_logpdf,
                                        Operation::gmm_logpdf, Operation::uniform_u32, Operation::uniform,
                                        Operation::normal, Operation::sample_diag, Operation::sample_gmm};
  return k;
}

void run_tuner(const TuneOptions& opt, ProfileData& profile, std::vector<TuneRow>& rows,
               const std::function<void(const std::string&)>& progress) {
  clear_profile();  // the baseline is what users get without a profile
  const Clock::time_point deadline = Clock::now() + seconds(opt.budget_seconds);
  const std::vector<Operation>& kernels = opt.operations.empty() ? tunable_operations() : opt.operations;
  const int samples = opt.full ? 7 : 5;
  const double sample_seconds = opt.full ? 4e-3 : 1e-3;
  const double max_cv = 0.05;  // above this a measurement is repeated once, and its noise widens the margin
  std::vector<const Implementation*> candidates;
  for (const Implementation& impl : registry())
    if (missing_features(impl.isa, host_cpu()).empty()) candidates.push_back(&impl);
  const std::size_t steps = kernels.size() * kSizeClassCount;
  std::size_t step = 0;
  profile = ProfileData{};
  profile.created = now_iso8601();
  profile.mode = opt.full ? "full" : "quick";
  profile.library_version = DIAGGAUSS_VERSION_STRING;
  profile.cpu_key = host_cpu().key();

  for (Operation k : kernels) {
    if (!active(k)->ok()) continue;  // the library refuses (e.g. a bad DIAGGAUSS_ISA): nothing to measure
    // What users get without a profile, per class (the CPU table's row, else the best ISA's intrinsics); copied
    // before measuring, which points the kernel at each candidate in turn.
    const Active no_profile = *active(k);
    if (!no_profile.ok()) continue;  // a bad DIAGGAUSS_* value: nothing runs (the CLI reports the error)
    for (int ci = 0; ci < kSizeClassCount; ++ci) {
      const SizeClass c = static_cast<SizeClass>(ci);
      const Implementation* def = no_profile.choice[ci].impl;
      const Blocking def_b = no_profile.choice[ci].blocking;
      ++step;
      TuneRow row{k, c, def->name, def->name, params_text(k, def_b), 0, 0, 0, false};
      // Spread what is left of the budget over the steps still to come.
      const double left = std::chrono::duration<double>(deadline - Clock::now()).count();
      const Clock::time_point step_deadline = Clock::now() + seconds(std::max(0.0, left / (steps - step + 1)));
      if (left <= 0) {
        rows.push_back(row);
        continue;
      }
      auto W = make_workload(k, class_bytes(c, opt.full));  // filled once, reused by every candidate
      progress("[" + std::to_string(step) + "/" + std::to_string(steps) + "] " + operation_name(k) + " " +
               size_class_name(c) + " (" + std::to_string(class_bytes(c, opt.full) / 1024) + " KiB)");
      auto run = [&](const Implementation& impl, const Blocking& b) {
        point_all_classes(k, impl, b);
        Measurement m = measure(W->call, samples, sample_seconds, step_deadline);
        if (m.cv > max_cv && Clock::now() < step_deadline) m = measure(W->call, samples, sample_seconds, step_deadline);
        return m;
      };
      Measurement m_def = run(*def, def_b);
      const Implementation* best = def;
      Blocking best_b = def_b;
      Measurement m_best = m_def;
      for (const Implementation* impl : candidates) {
        if (impl == def || Clock::now() > step_deadline) continue;  // (def with its table blocking: measured above)
        const Measurement m = run(*impl, impl->defaults);
        if (m.median_seconds < m_best.median_seconds) best = impl, best_b = impl->defaults, m_best = m;
      }
      // Coordinate search over the winner's block parameters.
      for (const BlockingParam& p : kBlockingParams) {
        if (!param_applies(k, p)) continue;
        for (std::uint32_t v : grid(p, opt.full)) {
          if (Clock::now() > step_deadline || v == best_b.*(p.field)) continue;
          Blocking b = best_b;
          b.*(p.field) = v;
          const Measurement m = run(*best, b);
          if (m.median_seconds < m_best.median_seconds) best_b = b, m_best = m;
        }
      }
      // Keep the default unless the winner is faster beyond the noise of both measurements ...
      const double margin = 1 + std::max(0.03, 2 * std::max(m_def.cv, m_best.cv));
      bool keep_default = m_def.median_seconds / m_best.median_seconds < margin;
      // ... and still is when the two are measured alternately (A/B/A/B/A/B): the candidates above were measured
      // one after another, and a change in machine load between them must not crown a winner.
      if (!keep_default) {
        std::vector<double> ta, tb;
        for (int pair = 0; pair < 3; ++pair) {
          point_all_classes(k, *def, def_b);
          ta.push_back(measure(W->call, 3, sample_seconds).median_seconds);
          point_all_classes(k, *best, best_b);
          tb.push_back(measure(W->call, 3, sample_seconds).median_seconds);
        }
        std::sort(ta.begin(), ta.end());
        std::sort(tb.begin(), tb.end());
        keep_default = ta[1] / tb[1] < margin;
        if (!keep_default) m_def.median_seconds = ta[1], m_best.median_seconds = tb[1];
      }
      if (keep_default) best = def, best_b = def_b, m_best = m_def;
      ProfileChoice& ch = profile.choice[static_cast<int>(k)][ci];
      ch.set = true;
      ch.isa = best->isa;
      ch.family = best->family;
      ch.blocking = best_b;
      ch.throughput = W->items / m_best.median_seconds;
      ch.default_throughput = W->items / m_def.median_seconds;
      ch.default_name = def->name;
      row.chosen_name = best->name;
      row.chosen_params = params_text(k, best_b);
      row.default_throughput = ch.default_throughput;
      row.chosen_throughput = ch.throughput;
      row.noise = m_best.cv;
      row.measured = true;
      rows.push_back(row);
    }
  }
  clear_profile();  // measuring left candidates installed; the caller decides what to load
}

std::vector<TuneRow> verify_profile(const ProfileData& profile, int pairs,
                                    const std::function<void(const std::string&)>& progress) {
  std::vector<TuneRow> rows;
  clear_profile();
  for (Operation k : tunable_operations()) {
    if (!active(k)->ok()) continue;
    const Active no_profile = *active(k);  // A: what users get without a profile (see run_tuner)
    if (!no_profile.ok()) continue;
    for (int ci = 0; ci < kSizeClassCount; ++ci) {
      const Implementation* def = no_profile.choice[ci].impl;
      const Blocking def_b = no_profile.choice[ci].blocking;
      const ProfileChoice& ch = profile.choice[static_cast<int>(k)][ci];
      if (!ch.set) continue;
      const Implementation* tuned = find_implementation(ch.isa, ch.family);
      if (!tuned || !missing_features(ch.isa, host_cpu()).empty()) continue;
      const SizeClass c = static_cast<SizeClass>(ci);
      progress(std::string("verify ") + operation_name(k) + " " + size_class_name(c));
      auto W = make_workload(k, class_bytes(c, false));
      std::vector<double> ta, tb;
      for (int i = 0; i < pairs; ++i) {  // A/B alternated so drifts in machine load hit both alike
        point_all_classes(k, *def, def_b);
        ta.push_back(measure(W->call, 3, 1e-3).median_seconds);
        point_all_classes(k, *tuned, ch.blocking);
        tb.push_back(measure(W->call, 3, 1e-3).median_seconds);
      }
      std::sort(ta.begin(), ta.end());
      std::sort(tb.begin(), tb.end());
      // The row's noise: the coefficient of variation of the profile's (B) medians over the pairs.
      double mean = 0, var = 0;
      for (double t : tb) mean += t / pairs;
      for (double t : tb) var += (t - mean) * (t - mean) / std::max(1, pairs - 1);
      TuneRow r{k, c, def->name, tuned->name, params_text(k, ch.blocking), W->items / ta[pairs / 2],
                W->items / tb[pairs / 2], mean > 0 ? std::sqrt(var) / mean : 0, true};
      rows.push_back(r);
    }
  }
  clear_profile();
  return rows;
}

}  // namespace diaggauss::detail
