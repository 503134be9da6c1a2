// The library's own numbers: every kernel on every registered implementation this CPU can run, called through
// the implementation's kernel table (like the tests do), with the implementation's default blocking; plus one
// "dispatched" row per kernel through the public C API (argument validation + the active choice), and tiny
// calls (n = 1) through the API against a direct table call, which shows what dispatch costs per call.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "bench/bench_common.hpp"
#include "diaggauss/diaggauss.h"
#include "diaggauss/diaggauss.hpp"
#include "dispatch/registry.hpp"
#include "dispatch/selection.hpp"
#include "dispatch/working_set.hpp"

namespace dgbench {
namespace {

using diaggauss::Blocking;
using diaggauss::KernelTable;
using diaggauss::detail::Implementation;
using diaggauss::detail::family_name;
using diaggauss::detail::isa_name;


// ---- the public API, by element type ---------------------------------------------------------------------
int api_solve_diag(std::size_t n, const double* d, const double* b, double* x) { return dg_solve_diag_f64(n, d, b, x, nullptr); }
int api_solve_diag(std::size_t n, const float* d, const float* b, float* x) { return dg_solve_diag_f32(n, d, b, x, nullptr); }
int api_reciprocal(std::size_t n, const double* d, double* x) { return dg_reciprocal_f64(n, d, x, nullptr); }
int api_reciprocal(std::size_t n, const float* d, float* x) { return dg_reciprocal_f32(n, d, x, nullptr); }
int api_solve_diag_inv(std::size_t n, const double* v, const double* b, double* x) { return dg_solve_diag_inv_f64(n, v, b, x); }
int api_solve_diag_inv(std::size_t n, const float* v, const float* b, float* x) { return dg_solve_diag_inv_f32(n, v, b, x); }
int api_multi(std::size_t n, std::size_t r, const double* d, const double* B, double* X) {
  return dg_solve_diag_multi_f64(n, r, d, B, r, X, r, nullptr);
}
int api_multi(std::size_t n, std::size_t r, const float* d, const float* B, float* X) {
  return dg_solve_diag_multi_f32(n, r, d, B, r, X, r, nullptr);
}
int api_whiten(std::size_t np, std::size_t dim, const double* X, const double* m, const double* s, double* Z) {
  return dg_whiten_f64(np, dim, X, m, s, Z);
}
int api_whiten(std::size_t np, std::size_t dim, const float* X, const float* m, const float* s, float* Z) {
  return dg_whiten_f32(np, dim, X, m, s, Z);
}
int api_diag_logpdf(std::size_t np, std::size_t dim, const double* X, const double* m, const double* v, double* o) {
  return dg_diag_logpdf_f64(np, dim, X, m, v, o);
}
int api_diag_logpdf(std::size_t np, std::size_t dim, const float* X, const float* m, const float* v, float* o) {
  return dg_diag_logpdf_f32(np, dim, X, m, v, o);
}
int api_gmm(std::size_t np, std::size_t dim, std::size_t K, const double* X, const double* w, const double* m,
            const double* v, double* o) {
  return dg_gmm_logpdf_f64(np, dim, K, X, w, m, v, o, nullptr);
}
int api_gmm(std::size_t np, std::size_t dim, std::size_t K, const float* X, const float* w, const float* m,
            const float* v, float* o) {
  return dg_gmm_logpdf_f32(np, dim, K, X, w, m, v, o, nullptr);
}
int api_normal(std::size_t n, double* o) { return dg_normal_f64(42, 0, 0, n, o); }
int api_normal(std::size_t n, float* o) { return dg_normal_f32(42, 0, 0, n, o); }
int api_sample_diag(std::size_t np, std::size_t dim, const double* m, const double* s, double* o) {
  return dg_sample_diag_f64(42, 0, 0, np, dim, m, s, o);
}
int api_sample_diag(std::size_t np, std::size_t dim, const float* m, const float* s, float* o) {
  return dg_sample_diag_f32(42, 0, 0, np, dim, m, s, o);
}
int api_sample_gmm(std::size_t np, std::size_t dim, std::size_t K, const double* w, const double* m, const double* s,
                   double* o) {
  return dg_sample_gmm_f64(42, 0, 0, np, dim, K, w, m, s, o, nullptr);
}
int api_sample_gmm(std::size_t np, std::size_t dim, std::size_t K, const float* w, const float* m, const float* s,
                   float* o) {
  return dg_sample_gmm_f32(42, 0, 0, np, dim, K, w, m, s, o, nullptr);
}

// A benchmark either calls one implementation's table (impl != nullptr) or the public API (impl == nullptr).
struct Target {
  const Implementation* impl;
  const KernelTable& table() const { return impl->table(); }
  const Blocking& blk() const { return impl->defaults; }
  bool api() const { return impl == nullptr; }
};

bool check_status(benchmark::State& st, int status) {
  if (status == DG_OK) return true;
  st.SkipWithError((std::string(dg_status_string(status)) + ": " + dg_last_error()).c_str());
  return false;
}

// The label of a "dispatched" row: the implementation the dispatcher picks for THIS call's working set and its
// size class ("avx2/highway@l1"), not dg_active()'s L2-class answer, so that a tuned profile whose classes choose
// different implementations is reported truthfully (and report.py takes each cell's bounds from the ISA that ran).
// `shape` is the call's shape as the API entry point passes it (src/api_*.cpp), and its bytes come from the one
// definition the API uses, working_set_bytes (dispatch/working_set.hpp).  Before, the bytes were counted here by
// hand and left out the parameters and some outputs (diag_logpdf: X only), so a call near a class limit could be
// labelled with a class the API did not use.
void label_active(benchmark::State& st, const Target& t, diaggauss::detail::Operation k,
                  const diaggauss::detail::CallShape& shape) {
  if (!t.api()) return;
  using namespace diaggauss::detail;
  const std::size_t bytes = working_set_bytes(k, shape);
  const Active* a = active(k);
  if (!a->ok()) return st.SetLabel("?");
  const int cls = (bytes > a->limit[0]) + (bytes > a->limit[1]) + (bytes > a->limit[2]);
  const Choice& c = a->choice[cls];
  st.SetLabel(std::string(c.impl ? c.impl->name : "?") + "@" + size_class_name(static_cast<SizeClass>(cls)));
}

// ---- kernels ---------------------------------------------------------------------------------------------
template <class T>
void bm_solve_diag(benchmark::State& st, Target t, std::size_t n) {
  const T* d = pool<T>(kDiag, n);
  const T* b = pool<T>(kData, n);
  T* x = pool<T>(kOut, n);
  label_active(st, t, diaggauss::detail::Operation::solve_diag, {n, 1, 1, sizeof(T)});
  if (t.api()) {
    if (!check_status(st, api_solve_diag(n, d, b, x))) return;
    for (auto _ : st) benchmark::DoNotOptimize(api_solve_diag(n, d, b, x));
  } else {
    const auto f = diaggauss::solve_of<T>(t.table()).solve_diag;
    for (auto _ : st) {
      f(n, d, b, x);
      benchmark::ClobberMemory();
    }
  }
  set_counters(st, Costs<T>::solve_diag(n));
}

template <class T>
void bm_reciprocal(benchmark::State& st, Target t, std::size_t n) {
  const T* d = pool<T>(kDiag, n);
  T* x = pool<T>(kOut, n);
  label_active(st, t, diaggauss::detail::Operation::reciprocal, {n, 1, 1, sizeof(T)});
  if (t.api()) {
    if (!check_status(st, api_reciprocal(n, d, x))) return;
    for (auto _ : st) benchmark::DoNotOptimize(api_reciprocal(n, d, x));
  } else {
    const auto f = diaggauss::solve_of<T>(t.table()).reciprocal;
    for (auto _ : st) {
      f(n, d, x);
      benchmark::ClobberMemory();
    }
  }
  set_counters(st, Costs<T>::reciprocal(n));
}

template <class T>
void bm_solve_diag_inv(benchmark::State& st, Target t, std::size_t n) {
  const T* v = pool<T>(kDiag, n);
  const T* b = pool<T>(kData, n);
  T* x = pool<T>(kOut, n);
  label_active(st, t, diaggauss::detail::Operation::solve_diag_inv, {n, 1, 1, sizeof(T)});
  if (t.api()) {
    if (!check_status(st, api_solve_diag_inv(n, v, b, x))) return;
    for (auto _ : st) benchmark::DoNotOptimize(api_solve_diag_inv(n, v, b, x));
  } else {
    const auto f = diaggauss::solve_of<T>(t.table()).solve_diag_inv;
    for (auto _ : st) {
      f(n, v, b, x);
      benchmark::ClobberMemory();
    }
  }
  set_counters(st, Costs<T>::solve_diag_inv(n));
}

template <class T>
void bm_solve_diag_multi(benchmark::State& st, Target t, std::size_t n) {
  const std::size_t r = config().multi_nrhs, rows = n / r;
  const T* d = pool<T>(kDiag, rows);
  const T* B = pool<T>(kData, rows * r);
  T* X = pool<T>(kOut, rows * r);
  label_active(st, t, diaggauss::detail::Operation::solve_diag_multi, {rows, r, 1, sizeof(T)});
  if (t.api()) {
    if (!check_status(st, api_multi(rows, r, d, B, X))) return;
    for (auto _ : st) benchmark::DoNotOptimize(api_multi(rows, r, d, B, X));
  } else {
    const auto f = diaggauss::solve_of<T>(t.table()).solve_diag_multi;
    for (auto _ : st) {
      f(rows, r, d, B, r, X, r);
      benchmark::ClobberMemory();
    }
  }
  set_counters(st, Costs<T>::solve_diag_multi(rows * r, r));
}

template <class T>
void bm_whiten(benchmark::State& st, Target t, std::size_t n) {
  const std::size_t dim = config().point_dim, np = n / dim;
  const T* X = pool<T>(kData, np * dim);
  const T* mean = pool<T>(kParamA, dim);
  const T* sd = pool<T>(kParamB, dim);
  T* Z = pool<T>(kOut, np * dim);
  label_active(st, t, diaggauss::detail::Operation::whiten, {np, dim, 1, sizeof(T)});
  if (t.api()) {
    if (!check_status(st, api_whiten(np, dim, X, mean, sd, Z))) return;
    for (auto _ : st) benchmark::DoNotOptimize(api_whiten(np, dim, X, mean, sd, Z));
  } else {
    const auto f = diaggauss::solve_of<T>(t.table()).whiten;
    for (auto _ : st) {
      f(np, dim, X, mean, sd, Z);
      benchmark::ClobberMemory();
    }
  }
  set_counters(st, Costs<T>::whiten(np * dim, dim));
}

template <class T>
T log_norm_of(std::size_t dim, const T* var) {
  double s = static_cast<double>(dim) * 1.8378770664093454836;
  for (std::size_t j = 0; j < dim; ++j) s += std::log(static_cast<double>(var[j]));
  return static_cast<T>(-0.5 * s);
}

template <class T>
void bm_diag_logpdf(benchmark::State& st, Target t, std::size_t n) {
  const std::size_t dim = config().point_dim, np = n / dim;
  const T* X = pool<T>(kData, np * dim);
  const T* mean = pool<T>(kParamA, dim);
  const T* var = pool<T>(kParamB, dim);
  T* out = pool<T>(kOut, np);
  label_active(st, t, diaggauss::detail::Operation::diag_logpdf, {np, dim, 1, sizeof(T)});
  if (t.api()) {
    if (!check_status(st, api_diag_logpdf(np, dim, X, mean, var, out))) return;
    for (auto _ : st) benchmark::DoNotOptimize(api_diag_logpdf(np, dim, X, mean, var, out));
  } else {
    std::vector<T> inv(dim);
    for (std::size_t j = 0; j < dim; ++j) inv[j] = T(1) / var[j];
    const T ln = log_norm_of(dim, var);
    const auto f = diaggauss::logpdf_of<T>(t.table()).diag_logpdf;
    const Blocking blk = t.blk();
    for (auto _ : st) {
      f(np, dim, X, mean, inv.data(), ln, out, blk);
      benchmark::ClobberMemory();
    }
  }
  set_counters(st, Costs<T>::diag_logpdf(np * dim, dim));
}

template <class T>
void bm_gmm_logpdf(benchmark::State& st, Target t, GmmShape g) {
  const T* X = pool<T>(kData, g.N * g.D);
  const T* means = pool<T>(kParamA, g.K * g.D);
  const T* vars = pool<T>(kParamB, g.K * g.D);
  T* out = pool<T>(kOut, g.N);
  std::vector<T> w(g.K, T(1) / static_cast<T>(g.K));
  label_active(st, t, diaggauss::detail::Operation::gmm_logpdf, {g.N, g.D, g.K, sizeof(T)});
  if (t.api()) {
    if (!check_status(st, api_gmm(g.N, g.D, g.K, X, w.data(), means, vars, out))) return;
    for (auto _ : st) benchmark::DoNotOptimize(api_gmm(g.N, g.D, g.K, X, w.data(), means, vars, out));
  } else {
    std::vector<T> inv(g.K * g.D), ln(g.K), lw(g.K);
    for (std::size_t i = 0; i < g.K * g.D; ++i) inv[i] = T(1) / vars[i];
    for (std::size_t k = 0; k < g.K; ++k) {
      ln[k] = log_norm_of(g.D, vars + k * g.D);
      lw[k] = std::log(w[k]);
    }
    const auto f = diaggauss::logpdf_of<T>(t.table()).gmm_logpdf;
    const Blocking blk = t.blk();
    for (auto _ : st) {
      f(g.N, g.D, g.K, X, ln.data(), lw.data(), means, inv.data(), out, nullptr, blk);
      benchmark::ClobberMemory();
    }
  }
  set_counters(st, Costs<T>::gmm_logpdf(g));
}

void bm_uniform_u32(benchmark::State& st, Target t, std::size_t n) {
  std::uint32_t* out = pool<std::uint32_t>(kOut, n);
  label_active(st, t, diaggauss::detail::Operation::uniform_u32, {n, 1, 1, sizeof(std::uint32_t)});
  if (t.api()) {
    if (!check_status(st, dg_uniform_u32(42, 0, 0, n, out))) return;
    for (auto _ : st) benchmark::DoNotOptimize(dg_uniform_u32(42, 0, 0, n, out));
  } else {
    const auto f = t.table().uniform_u32;
    for (auto _ : st) {
      f(42, 0, 0, 0, n, out);
      benchmark::ClobberMemory();
    }
  }
  set_counters(st, {double(n), 4.0 * n, 4.0 * n, 0, 0});
}

template <class T>
void bm_normal(benchmark::State& st, Target t, std::size_t n) {
  T* out = pool<T>(kOut, n);
  label_active(st, t, diaggauss::detail::Operation::normal, {n, 1, 1, sizeof(T)});
  if (t.api()) {
    if (!check_status(st, api_normal(n, out))) return;
    for (auto _ : st) benchmark::DoNotOptimize(api_normal(n, out));
  } else {
    const auto f = diaggauss::sample_of<T>(t.table()).normal;
    const Blocking blk = t.blk();
    for (auto _ : st) {
      f(42, 0, 0, n, out, blk);
      benchmark::ClobberMemory();
    }
  }
  set_counters(st, Costs<T>::normal(n));
}

// The C++ API's threaded fill (diaggauss::normal(..., threads)): same bits for any thread count, so the only
// question is how it scales.  Real time, not CPU time: the work is spread over threads.
template <class T>
void bm_normal_threads(benchmark::State& st, std::size_t n, unsigned threads) {
  T* out = pool<T>(kOut, n);
  // Each thread's slice ((n + threads - 1) / threads values, diaggauss.hpp) is one API call.
  label_active(st, Target{nullptr}, diaggauss::detail::Operation::normal,
               {(n + threads - 1) / threads, 1, 1, sizeof(T)});
  for (auto _ : st) {
    diaggauss::normal(42, 0, 0, n, out, threads);
    benchmark::ClobberMemory();
  }
  set_counters(st, Costs<T>::normal(n));
}

// sample_diag and sample_gmm are composed in the API layer (normal + scale_shift_rows, and for mixtures component
// selection), so the per-implementation rows force the implementation and call the API.  ForcedImpl does the
// forcing for one benchmark and undoes it; ok() is false (and the benchmark skipped) where it did not take effect.
class ForcedImpl {
 public:
  ForcedImpl(benchmark::State& st, const Target& t, const char* kernel) {
    if (t.api()) return;
    if (!check_status(st, dg_force_impl("auto")) || !check_status(st, dg_force_isa(isa_name(t.impl->isa))) ||
        !check_status(st, dg_force_impl(family_name(t.impl->family)))) {
      ok_ = false;
      return;
    }
    forced_ = true;
    const char* a = dg_active(kernel);
    if (!a || std::strcmp(a, t.impl->name) != 0) {
      st.SkipWithError("forcing the implementation did not take effect");
      ok_ = false;
    }
  }
  ~ForcedImpl() {
    if (!forced_) return;
    dg_force_isa("auto");
    dg_force_impl("auto");
  }
  ForcedImpl(const ForcedImpl&) = delete;
  ForcedImpl& operator=(const ForcedImpl&) = delete;
  bool ok() const { return ok_; }

 private:
  bool ok_ = true, forced_ = false;
};

template <class T>
void bm_sample_gmm(benchmark::State& st, Target t, std::size_t n) {
  const std::size_t dim = config().point_dim, K = config().sample_ncomp, np = n / dim;
  const T* means = pool<T>(kParamA, K * dim);
  const T* sds = pool<T>(kParamB, K * dim);
  T* out = pool<T>(kOut, np * dim);
  std::vector<T> w(K, T(1) / static_cast<T>(K));
  const ForcedImpl force(st, t, "sample_gmm");
  if (!force.ok()) return;
  label_active(st, t, diaggauss::detail::Operation::sample_gmm, {np, dim, K, sizeof(T)});
  if (check_status(st, api_sample_gmm(np, dim, K, w.data(), means, sds, out)))
    for (auto _ : st) benchmark::DoNotOptimize(api_sample_gmm(np, dim, K, w.data(), means, sds, out));
  set_counters(st, Costs<T>::normal(np * dim));
}

template <class T>
void bm_sample_diag(benchmark::State& st, Target t, std::size_t n) {
  const std::size_t dim = config().point_dim, np = n / dim;
  const T* mean = pool<T>(kParamA, dim);
  const T* sd = pool<T>(kParamB, dim);
  T* out = pool<T>(kOut, np * dim);
  const ForcedImpl force(st, t, "sample_diag");
  if (!force.ok()) return;
  label_active(st, t, diaggauss::detail::Operation::sample_diag, {np, dim, 1, sizeof(T)});
  if (check_status(st, api_sample_diag(np, dim, mean, sd, out)))
    for (auto _ : st) benchmark::DoNotOptimize(api_sample_diag(np, dim, mean, sd, out));
  set_counters(st, Costs<T>::normal(np * dim));
}

// ---- registration ----------------------------------------------------------------------------------------
template <class F>
benchmark::internal::Benchmark* reg(const std::string& name, F f) {
  return benchmark::RegisterBenchmark(name.c_str(), f);
}

template <class T>
void register_for(const Target& t, const std::string& isa, const std::string& fam) {
  const Config& c = config();
  const std::string dt = dtype_name<T>();
  auto each_size = [&](const char* kernel, void (*fn)(benchmark::State&, Target, std::size_t)) {
    for (std::size_t n : c.sizes)
      reg(bm_name(kernel, isa, fam, dt, std::to_string(n)), [fn, t, n](benchmark::State& st) { fn(st, t, n); });
  };
  each_size("solve_diag", &bm_solve_diag<T>);
  each_size("reciprocal", &bm_reciprocal<T>);
  each_size("solve_diag_inv", &bm_solve_diag_inv<T>);
  each_size("solve_diag_multi", &bm_solve_diag_multi<T>);
  each_size("whiten", &bm_whiten<T>);
  each_size("diag_logpdf", &bm_diag_logpdf<T>);
  for (const GmmShape& g : c.gmm)
    reg(bm_name("gmm_logpdf", isa, fam, dt, gmm_size_name(g)),
        [t, g](benchmark::State& st) { bm_gmm_logpdf<T>(st, t, g); });
  each_size("normal", &bm_normal<T>);
  each_size("sample_diag", &bm_sample_diag<T>);
  each_size("sample_gmm", &bm_sample_gmm<T>);
}

void register_target(const Target& t, const std::string& isa, const std::string& fam) {
  register_for<double>(t, isa, fam);
  register_for<float>(t, isa, fam);
  for (std::size_t n : config().sizes)
    reg(bm_name("uniform_u32", isa, fam, "u32", std::to_string(n)),
        [t, n](benchmark::State& st) { bm_uniform_u32(st, t, n); });
}

}  // namespace

void register_library_benchmarks() {
  using namespace diaggauss::detail;
  for (const Implementation& impl : registry()) {
    const std::string miss = missing_features(impl.isa, host_cpu());
    if (!miss.empty()) {
      note_skipped(std::string(impl.name) + " (CPU lacks " + miss + ")");
      continue;
    }
    register_target(Target{&impl}, isa_name(impl.isa), family_name(impl.family));
  }
  register_target(Target{nullptr}, "dispatched", "api");

  // Small calls: what validation + dispatch cost when there is almost no work (issue 2: one indirect call),
  // and the API's small-n solves that the LAPACK dgesv anchor is compared with.
  const Target api{nullptr};
  for (std::size_t n : config().small_sizes)
    reg(bm_name("solve_diag", "dispatched", "api", "f64", std::to_string(n)),
        [api, n](benchmark::State& st) { bm_solve_diag<double>(st, api, n); });
  // The direct rows compare like with like: for each kernel, the implementation the API itself picks for an n = 1
  // call (its L1-class choice, which a tuned profile may set per kernel), not one kernel's choice for all three.
  using diaggauss::detail::Operation;
  const struct {
    Operation k;
    void (*fn)(benchmark::State&, Target, std::size_t);
    const char* name;
  } small[] = {{Operation::solve_diag, &bm_solve_diag<double>, "solve_diag"},
               {Operation::solve_diag_inv, &bm_solve_diag_inv<double>, "solve_diag_inv"},
               {Operation::normal, &bm_normal<double>, "normal"}};
  for (const auto& s : small) {
    const diaggauss::detail::Active* a = diaggauss::detail::active(s.k);
    // The API's working set of an n = 1 double call (dispatch/working_set.hpp, as the entry points count it).
    const std::size_t bytes = diaggauss::detail::working_set_bytes(s.k, {1, 1, 1, sizeof(double)});
    const Implementation* direct = a->ok() ? a->pick(bytes).impl : nullptr;
    if (!direct) continue;
    const Target t{direct};
    const auto fn = s.fn;
    reg(bm_name(s.name, isa_name(direct->isa), family_name(direct->family), "f64", "1"),
        [t, fn](benchmark::State& st) { fn(st, t, 1); });
  }
  reg(bm_name("solve_diag_inv", "dispatched", "api", "f64", "1"),
      [api](benchmark::State& st) { bm_solve_diag_inv<double>(st, api, 1); });
  reg(bm_name("normal", "dispatched", "api", "f64", "1"), [api](benchmark::State& st) { bm_normal<double>(st, api, 1); });

  // Threaded fills of 2^24 normals: 1 thread and every hardware thread (BM_normal_threads/<T>threads/...).
  const std::size_t big = std::size_t{1} << 24;
  for (unsigned th : {1u, config().threads}) {
    const std::string fam = std::to_string(th) + "threads";
    reg(bm_name("normal_threads", "dispatched", fam, "f64", std::to_string(big)),
        [big, th](benchmark::State& st) { bm_normal_threads<double>(st, big, th); })->UseRealTime();
    reg(bm_name("normal_threads", "dispatched", fam, "f32", std::to_string(big)),
        [big, th](benchmark::State& st) { bm_normal_threads<float>(st, big, th); })->UseRealTime();
    if (config().threads == 1) break;
  }
}

}  // namespace dgbench
