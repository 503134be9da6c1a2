// Anchors that need nothing outside the toolchain: the plain loops auto-vectorised per ISA (anchors/autovec_*),
// the fast-math Box-Muller loop per ISA (anchors/fastmath_*), and the C++ standard library's
// std::normal_distribution over std::mt19937_64 (compiled here, at the baseline ISA).
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "bench/anchors/anchor_api.hpp"
#include "bench/bench_common.hpp"

namespace dgbench {

std::vector<const AutovecTable*> autovec_tables() {
  std::vector<const AutovecTable*> v{&autovec_baseline::table()};
#if DG_BENCH_X86
  v.push_back(&autovec_sse4::table());
  v.push_back(&autovec_avx2::table());
  v.push_back(&autovec_avx512::table());
#elif DG_BENCH_AARCH64
  v.push_back(&autovec_neon::table());
#endif
  return v;
}

namespace {

std::vector<const FastmathTable*> fastmath_tables() {
  std::vector<const FastmathTable*> v{&fastmath_baseline::table()};
#if DG_BENCH_X86
  v.push_back(&fastmath_sse4::table());
  v.push_back(&fastmath_avx2::table());
  v.push_back(&fastmath_avx512::table());
#elif DG_BENCH_AARCH64
  v.push_back(&fastmath_neon::table());
#endif
  return v;
}

template <class T> const AutovecLoops<T>& loops_of(const AutovecTable& t);
template <> const AutovecLoops<double>& loops_of<double>(const AutovecTable& t) { return t.f64; }
template <> const AutovecLoops<float>& loops_of<float>(const AutovecTable& t) { return t.f32; }

template <class T>
T log_norm_of(std::size_t dim, const T* var) {
  double s = static_cast<double>(dim) * 1.8378770664093454836;
  for (std::size_t j = 0; j < dim; ++j) s += std::log(static_cast<double>(var[j]));
  return static_cast<T>(-0.5 * s);
}

template <class T>
void register_autovec(const AutovecTable* tab) {
  const Config& c = config();
  const std::string isa = tab->isa, dt = dtype_name<T>();
  const AutovecLoops<T>* L = &loops_of<T>(*tab);
  for (std::size_t n : c.sizes)
    benchmark::RegisterBenchmark(bm_name("solve_diag", isa, "autovec", dt, std::to_string(n)).c_str(),
                                 [L, n](benchmark::State& st) {
                                   const T* d = pool<T>(kDiag, n);
                                   const T* b = pool<T>(kData, n);
                                   T* x = pool<T>(kOut, n);
                                   for (auto _ : st) {
                                     L->solve_diag(n, d, b, x);
                                     benchmark::ClobberMemory();
                                   }
                                   set_counters(st, Costs<T>::solve_diag(n));
                                 });
  for (std::size_t n : c.sizes)
    benchmark::RegisterBenchmark(bm_name("reciprocal", isa, "autovec", dt, std::to_string(n)).c_str(),
                                 [L, n](benchmark::State& st) {
                                   const T* d = pool<T>(kDiag, n);
                                   T* x = pool<T>(kOut, n);
                                   for (auto _ : st) {
                                     L->reciprocal(n, d, x);
                                     benchmark::ClobberMemory();
                                   }
                                   set_counters(st, Costs<T>::reciprocal(n));
                                 });
  for (std::size_t n : c.sizes)
    benchmark::RegisterBenchmark(bm_name("solve_diag_inv", isa, "autovec", dt, std::to_string(n)).c_str(),
                                 [L, n](benchmark::State& st) {
                                   const T* v = pool<T>(kDiag, n);
                                   const T* b = pool<T>(kData, n);
                                   T* x = pool<T>(kOut, n);
                                   for (auto _ : st) {
                                     L->solve_diag_inv(n, v, b, x);
                                     benchmark::ClobberMemory();
                                   }
                                   set_counters(st, Costs<T>::solve_diag_inv(n));
                                 });
  for (std::size_t n : c.sizes)
    benchmark::RegisterBenchmark(bm_name("solve_diag_multi", isa, "autovec", dt, std::to_string(n)).c_str(),
                                 [L, n](benchmark::State& st) {
                                   const std::size_t r = config().multi_nrhs, rows = n / r;
                                   const T* d = pool<T>(kDiag, rows);
                                   const T* B = pool<T>(kData, rows * r);
                                   T* X = pool<T>(kOut, rows * r);
                                   for (auto _ : st) {
                                     L->solve_diag_multi(rows, r, d, B, r, X, r);
                                     benchmark::ClobberMemory();
                                   }
                                   set_counters(st, Costs<T>::solve_diag_multi(rows * r, r));
                                 });
  for (std::size_t n : c.sizes)
    benchmark::RegisterBenchmark(bm_name("whiten", isa, "autovec", dt, std::to_string(n)).c_str(),
                                 [L, n](benchmark::State& st) {
                                   const std::size_t dim = config().point_dim, np = n / dim;
                                   const T* X = pool<T>(kData, np * dim);
                                   const T* mean = pool<T>(kParamA, dim);
                                   const T* sd = pool<T>(kParamB, dim);
                                   T* Z = pool<T>(kOut, np * dim);
                                   for (auto _ : st) {
                                     L->whiten(np, dim, X, mean, sd, Z);
                                     benchmark::ClobberMemory();
                                   }
                                   set_counters(st, Costs<T>::whiten(np * dim, dim));
                                 });
  for (std::size_t n : c.sizes)
    benchmark::RegisterBenchmark(bm_name("diag_logpdf", isa, "autovec", dt, std::to_string(n)).c_str(),
                                 [L, n](benchmark::State& st) {
                                   const std::size_t dim = config().point_dim, np = n / dim;
                                   const T* X = pool<T>(kData, np * dim);
                                   const T* mean = pool<T>(kParamA, dim);
                                   const T* var = pool<T>(kParamB, dim);
                                   T* out = pool<T>(kOut, np);
                                   std::vector<T> inv(dim);
                                   for (std::size_t j = 0; j < dim; ++j) inv[j] = T(1) / var[j];
                                   const T ln = log_norm_of(dim, var);
                                   for (auto _ : st) {
                                     L->diag_logpdf(np, dim, X, mean, inv.data(), ln, out);
                                     benchmark::ClobberMemory();
                                   }
                                   set_counters(st, Costs<T>::diag_logpdf(np * dim, dim));
                                 });
  for (const GmmShape& g : c.gmm)
    benchmark::RegisterBenchmark(bm_name("gmm_logpdf", isa, "autovec", dt, gmm_size_name(g)).c_str(),
                                 [L, g](benchmark::State& st) {
                                   const T* X = pool<T>(kData, g.N * g.D);
                                   const T* means = pool<T>(kParamA, g.K * g.D);
                                   const T* vars = pool<T>(kParamB, g.K * g.D);
                                   T* out = pool<T>(kOut, g.N);
                                   std::vector<T> inv(g.K * g.D), ln(g.K), lw(g.K), scratch(g.K);
                                   for (std::size_t i = 0; i < g.K * g.D; ++i) inv[i] = T(1) / vars[i];
                                   for (std::size_t k = 0; k < g.K; ++k) {
                                     ln[k] = log_norm_of(g.D, vars + k * g.D);
                                     lw[k] = static_cast<T>(-std::log(static_cast<double>(g.K)));
                                   }
                                   for (auto _ : st) {
                                     L->gmm_logpdf(g.N, g.D, g.K, X, ln.data(), lw.data(), means, inv.data(), out,
                                                   scratch.data());
                                     benchmark::ClobberMemory();
                                   }
                                   set_counters(st, Costs<T>::gmm_logpdf(g));
                                 });
}

template <class T>
void register_fastmath(const FastmathTable* tab) {
  const std::string isa = tab->isa, dt = dtype_name<T>();
  for (std::size_t n : config().sizes)
    benchmark::RegisterBenchmark(bm_name("normal", isa, "fastmath_boxmuller", dt, std::to_string(n)).c_str(),
                                 [tab, n](benchmark::State& st) {
                                   T* out = pool<T>(kOut, n);
                                   for (auto _ : st) {
                                     if constexpr (sizeof(T) == 8) tab->normal_f64(42, n & ~std::size_t{1}, out);
                                     else tab->normal_f32(42, n & ~std::size_t{1}, out);
                                     benchmark::ClobberMemory();
                                   }
                                   set_counters(st, Costs<T>::normal(n));
                                 });
}

template <class T>
void register_std_normal() {
  for (std::size_t n : config().sizes)
    benchmark::RegisterBenchmark(bm_name("normal", "baseline", "std_mt19937_64", dtype_name<T>(), std::to_string(n)).c_str(),
                                 [n](benchmark::State& st) {
                                   T* out = pool<T>(kOut, n);
                                   std::mt19937_64 eng(42);
                                   for (auto _ : st) {
                                     std::normal_distribution<T> dist;
                                     for (std::size_t i = 0; i < n; ++i) out[i] = dist(eng);
                                     benchmark::ClobberMemory();
                                   }
                                   set_counters(st, Costs<T>::normal(n));
                                 });
}

}  // namespace

void register_anchor_benchmarks() {
  for (const AutovecTable* t : autovec_tables()) {
    if (!cpu_runs_isa(t->isa)) {
      note_skipped(std::string("autovec/fastmath ") + t->isa + " anchors (CPU cannot run " + t->isa + ")");
      continue;
    }
    register_autovec<double>(t);
    register_autovec<float>(t);
  }
  for (const FastmathTable* t : fastmath_tables()) {
    if (!cpu_runs_isa(t->isa)) continue;
    register_fastmath<double>(t);
    register_fastmath<float>(t);
  }
  register_std_normal<double>();
  register_std_normal<float>();
  for (std::size_t n : config().sizes)
    benchmark::RegisterBenchmark(bm_name("uniform_u32", "baseline", "std_mt19937", "u32", std::to_string(n)).c_str(),
                                 [n](benchmark::State& st) {
                                   std::uint32_t* out = pool<std::uint32_t>(kOut, n);
                                   std::mt19937 eng(42);
                                   for (auto _ : st) {
                                     for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint32_t>(eng());
                                     benchmark::ClobberMemory();
                                   }
                                   set_counters(st, {double(n), 4.0 * n, 4.0 * n, 0, 0});
                                 });
}

}  // namespace dgbench
