// `diaggauss bench [--kernel NAME] [--runs N]`: a quick terminal comparison of every implementation this CPU can
// run, without Google Benchmark or Python.  One representative size per kernel, each implementation's kernel
// table called directly (as the tests do), timed by the tuner's timer (tune/measure.hpp): warm-up, then the median of
// --runs samples (default 7), each sample repeating the call for at least a millisecond.  The full suite with
// anchors, rooflines and plots is bench/run_bench.sh (`./dg bench`, docs/benchmarks.md).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "diaggauss/diaggauss.h"
#include "dispatch/registry.hpp"
#include "tools/commands.hpp"
#include "tune/measure.hpp"

namespace diaggauss::cli {
namespace {

using detail::Implementation;

// 64-byte aligned, filled buffer.
template <class T>
struct Buffer {
  std::unique_ptr<T, void (*)(void*)> p{nullptr, std::free};
  Buffer(std::size_t n, double lo, double hi, std::uint64_t seed) {
    p.reset(static_cast<T*>(std::aligned_alloc(64, (n * sizeof(T) + 63) / 64 * 64 + 64)));
    std::uint64_t s = seed;
    for (std::size_t i = 0; i < n; ++i) {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      p.get()[i] = static_cast<T>(lo + (hi - lo) * static_cast<double>(s >> 11) * 0x1p-53);
    }
  }
  T* get() const { return p.get(); }
};

struct Case {
  const char* kernel;  // dg_active name
  std::string title;
  double items;        // per call
  const char* unit;
  // Returns the callable for one implementation's table.
  std::function<std::function<void()>(const KernelTable&, const Blocking&)> make;
};

std::vector<Case> make_cases() {
  std::vector<Case> cases;
  {
    const std::size_t n = 16384;
    auto d = std::make_shared<Buffer<double>>(n, 0.5, 2.0, 1);
    auto b = std::make_shared<Buffer<double>>(n, -1.0, 1.0, 2);
    auto x = std::make_shared<Buffer<double>>(n, 0.0, 0.0, 3);
    cases.push_back({"solve_diag", "solve_diag f64, n = 16384 (L2)", double(n), "G elements/s",
                     [=](const KernelTable& t, const Blocking&) {
                       return std::function<void()>([=, f = t.solve64.solve_diag] { f(n, d->get(), b->get(), x->get()); });
                     }});
    auto v = std::make_shared<Buffer<double>>(n, 0.5, 2.0, 4);
    cases.push_back({"solve_diag_inv", "solve_diag_inv f64, n = 16384 (L2)", double(n), "G elements/s",
                     [=](const KernelTable& t, const Blocking&) {
                       return std::function<void()>(
                           [=, f = t.solve64.solve_diag_inv] { f(n, v->get(), b->get(), x->get()); });
                     }});
  }
  {
    const std::size_t N = 20000, K = 16, D = 16;
    auto X = std::make_shared<Buffer<double>>(N * D, -1.0, 1.0, 5);
    auto means = std::make_shared<Buffer<double>>(K * D, -1.0, 1.0, 6);
    auto inv = std::make_shared<Buffer<double>>(K * D, 0.5, 2.0, 7);
    auto out = std::make_shared<Buffer<double>>(N, 0.0, 0.0, 8);
    auto ln = std::make_shared<std::vector<double>>(K), lw = std::make_shared<std::vector<double>>(K);
    for (std::size_t k = 0; k < K; ++k) {
      double s = D * 1.8378770664093454836;
      for (std::size_t j = 0; j < D; ++j) s -= std::log(inv->get()[k * D + j]);
      (*ln)[k] = -0.5 * s;
      (*lw)[k] = -std::log(double(K));
    }
    cases.push_back({"gmm_logpdf", "gmm_logpdf f64, N = 20000, K = 16, D = 16", double(N * K * D),
                     "G terms/s (N*K*D)", [=](const KernelTable& t, const Blocking& blk) {
                       return std::function<void()>([=, f = t.solve64.gmm_logpdf] {
                         f(N, D, K, X->get(), ln->data(), lw->data(), means->get(), inv->get(), out->get(), nullptr,
                           blk);
                       });
                     }});
  }
  {
    const std::size_t n = 1 << 20;
    auto o64 = std::make_shared<Buffer<double>>(n, 0.0, 0.0, 9);
    auto o32 = std::make_shared<Buffer<float>>(n, 0.0, 0.0, 10);
    cases.push_back({"normal", "normal f64, n = 1M", double(n), "G elements/s",
                     [=](const KernelTable& t, const Blocking& blk) {
                       return std::function<void()>([=, f = t.sample64.normal] { f(42, 0, 0, n, o64->get(), blk); });
                     }});
    cases.push_back({"normal", "normal f32, n = 1M", double(n), "G elements/s",
                     [=](const KernelTable& t, const Blocking& blk) {
                       return std::function<void()>([=, f = t.sample32.normal] { f(42, 0, 0, n, o32->get(), blk); });
                     }});
  }
  return cases;
}

}  // namespace

int cmd_bench(const Args& args) {
  using namespace detail;
  const int runs = std::max(1, std::atoi(args.value("--runs", "7").c_str()));
  const std::string only = args.value("--kernel");
  if (args.has("-h") || args.has("--help")) {
    std::printf("usage: diaggauss bench [--kernel NAME] [--runs N]\n"
                "  quick comparison of every implementation this CPU can run, one size per kernel\n"
                "  (median of N runs, default 7); the full suite is bench/run_bench.sh (./dg bench)\n");
    return 0;
  }
  const CpuInfo& cpu = host_cpu();
  std::vector<const Implementation*> impls;
  std::string skipped;
  for (const Implementation& impl : registry()) {
    const std::string miss = missing_features(impl.isa, cpu);
    if (miss.empty()) impls.push_back(&impl);
    else skipped += std::string(skipped.empty() ? "" : ", ") + impl.name + " (lacks " + miss + ")";
  }
  std::printf("diaggauss bench — %s (%s); median of %d runs, wall clock\n", cpu.brand.c_str(), cpu.key().c_str(),
              runs);
  if (!skipped.empty()) std::printf("not run on this CPU: %s\n", skipped.c_str());
  const auto start = std::chrono::steady_clock::now();
  bool any = false;
  for (const Case& c : make_cases()) {
    if (!only.empty() && only != c.kernel) continue;
    any = true;
    std::vector<double> rate(impls.size());
    double scalar_rate = 0;
    for (std::size_t i = 0; i < impls.size(); ++i) {
      const auto fn = c.make(impls[i]->table(), impls[i]->defaults);
      rate[i] = c.items / detail::measure(fn, runs, 1e-3).median_seconds;
      if (impls[i]->isa == Isa::scalar) scalar_rate = rate[i];
    }
    const std::size_t best = static_cast<std::size_t>(std::max_element(rate.begin(), rate.end()) - rate.begin());
    const char* active = dg_active(c.kernel);
    std::printf("\n%s   [%s; dispatch picks %s]\n", c.title.c_str(), c.unit, active ? active : "?");
    for (std::size_t i = 0; i < impls.size(); ++i) {
      char speedup[32] = "";
      if (scalar_rate > 0) std::snprintf(speedup, sizeof speedup, "%6.1fx scalar", rate[i] / scalar_rate);
      std::printf("  %-20s %9.3f  %s%s\n", impls[i]->name, rate[i] / 1e9, speedup, i == best ? "   <- fastest" : "");
    }
  }
  if (!any) {
    std::fprintf(stderr, "diaggauss bench: no case for kernel '%s' (solve_diag, solve_diag_inv, gmm_logpdf, normal)\n",
                 only.c_str());
    return 2;
  }
  std::printf("\n(%.1f s; loaded machines give noisy numbers: the full suite takes repetitions and medians)\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 0;
}

}  // namespace diaggauss::cli
