// Roofline references, measured in-process so the report can express each result as a share of what limits it:
//   BM_triad/<isa>/autovec/<dtype>/<n>       STREAM triad a = b + s*c, one thread, at each benchmark size: the
//                                            load/store bound in L1 and the bandwidth bound of each cache level
//   BM_triad_mt/<isa>/autovec/f64/<n>        the same on all hardware threads (memory sizes only; for reference,
//                                            the library's kernels are single-threaded)
//   BM_peak_div/<isa>/autovec/<dtype>/regs   independent vector divisions at the ISA's width (division bound)
//   BM_peak_fma/<isa>/autovec/<dtype>/regs   independent FMAs at the ISA's width (mul+add on sse4/baseline)
// All of them are compiled in the per-ISA anchor units (anchors/autovec_loops.inc).
#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "bench/anchors/anchor_api.hpp"
#include "bench/bench_common.hpp"

namespace dgbench {
namespace {

template <class T> const AutovecLoops<T>& loops_of(const AutovecTable& t);
template <> const AutovecLoops<double>& loops_of<double>(const AutovecTable& t) { return t.f64; }
template <> const AutovecLoops<float>& loops_of<float>(const AutovecTable& t) { return t.f32; }

constexpr std::size_t kPeakIters = 1 << 16;

template <class T>
void register_isa(const AutovecTable* tab) {
  const std::string isa = tab->isa, dt = dtype_name<T>();
  const AutovecLoops<T>* L = &loops_of<T>(*tab);
  for (std::size_t n : config().triad_sizes)
    benchmark::RegisterBenchmark(bm_name("triad", isa, "autovec", dt, std::to_string(n)).c_str(),
                                 [L, n](benchmark::State& st) {
                                   T* a = pool<T>(kOut, n);
                                   const T* b = pool<T>(kData, n);
                                   const T* c = pool<T>(kDiag, n);
                                   for (auto _ : st) {
                                     L->triad(n, a, b, c, T(0.5));
                                     benchmark::ClobberMemory();
                                   }
                                   set_counters(st, {double(n), 3.0 * sizeof(T) * n, 3.0 * sizeof(T) * n, 0, 0});
                                 });
  const double lanes = static_cast<double>(tab->lanes64) * (8.0 / sizeof(T));
  benchmark::RegisterBenchmark(bm_name("peak_div", isa, "autovec", dt, "regs").c_str(),
                               [L, lanes](benchmark::State& st) {
                                 for (auto _ : st) benchmark::DoNotOptimize(L->peak_div(kPeakIters, T(1.5)));
                                 const double per_call = static_cast<double>(kPeakIters) * 12 * lanes;
                                 set_counters(st, {per_call, 0, 0, 1, 0});
                                 st.counters["lanes"] = lanes;
                               });
  benchmark::RegisterBenchmark(bm_name("peak_fma", isa, "autovec", dt, "regs").c_str(),
                               [L, lanes](benchmark::State& st) {
                                 for (auto _ : st) benchmark::DoNotOptimize(L->peak_fma(kPeakIters, T(0.5), T(0.25)));
                                 const double per_call = static_cast<double>(kPeakIters) * 12 * lanes;
                                 set_counters(st, {per_call, 0, 0, 0, 1});
                                 st.counters["lanes"] = lanes;
                               });
}

// Triad on `threads` threads, each on its own contiguous slice (threads started per call: a few tens of
// microseconds against milliseconds of memory traffic at these sizes).
void register_triad_mt(const AutovecTable* tab) {
  const unsigned threads = config().threads;
  const AutovecLoops<double>* L = &tab->f64;
  for (std::size_t n : config().sizes) {
    if (n * 3 * sizeof(double) < (std::size_t{64} << 20)) continue;  // memory-sized working sets only
    benchmark::RegisterBenchmark(bm_name("triad_mt", tab->isa, "autovec", "f64", std::to_string(n)).c_str(),
                                 [L, n, threads](benchmark::State& st) {
                                   double* a = pool<double>(kOut, n);
                                   const double* b = pool<double>(kData, n);
                                   const double* c = pool<double>(kDiag, n);
                                   const std::size_t chunk = (n / threads + 7) / 8 * 8;
                                   for (auto _ : st) {
                                     std::vector<std::thread> pool_threads;
                                     for (unsigned t = 1; t < threads; ++t) {
                                       const std::size_t lo = std::min(n, t * chunk), hi = std::min(n, lo + chunk);
                                       pool_threads.emplace_back([=] { L->triad(hi - lo, a + lo, b + lo, c + lo, 0.5); });
                                     }
                                     L->triad(std::min(n, chunk), a, b, c, 0.5);
                                     for (auto& th : pool_threads) th.join();
                                     benchmark::ClobberMemory();
                                   }
                                   set_counters(st, {double(n), 24.0 * n, 24.0 * n, 0, 0});
                                   st.counters["threads"] = threads;
                                 })
        ->UseRealTime();
  }
}

}  // namespace

void register_roofline_benchmarks() {
  const AutovecTable* widest = nullptr;
  for (const AutovecTable* t : autovec_tables()) {
    if (!cpu_runs_isa(t->isa)) continue;
    register_isa<double>(t);
    register_isa<float>(t);
    if (!widest || t->lanes64 > widest->lanes64) widest = t;
  }
  if (widest) register_triad_mt(widest);
}

}  // namespace dgbench
