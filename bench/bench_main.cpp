// diaggauss_bench: Google Benchmark driver.  Besides Google Benchmark's own flags it reads
//   --dg_quick            sizes 1K and 4M only (triad: 1K 16K 256K 4M), mixtures of 20000 points
//                         (what `bench/run_bench.sh --quick` uses)
//   --dg_sizes=a,b,...    elementwise sizes in elements (default 1024,16384,262144,4194304,33554432)
//   --dg_point_dim=D      point dimension of whiten / diag_logpdf / sample_diag / sample_gmm (default 16)
//   --dg_misalign=B       every buffer starts B bytes (0-56, a multiple of 8) past a cache line (default 0): the
//                         arrays a program gets from malloc or std::vector, 16 bytes past a line for large blocks
//                         with glibc, rather than the suite's line-aligned ones
// and records the CPU key, the library version and what was skipped in the JSON "context".
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <sys/mman.h>

#include "bench/bench_common.hpp"
#include "diaggauss/diaggauss.h"
#include "dispatch/registry.hpp"

namespace dgbench {
namespace {

Config g_config;
std::string g_skipped;

struct PoolBuf {
  void* base = nullptr;  // what aligned_alloc returned
  void* p = nullptr;     // base + the role's stagger
  std::size_t bytes = 0;
};
// Input buffers start half a page away from output buffers (as STREAM offsets its arrays): a load whose address
// matches a pending earlier store's in the low 12 bits is held back on many cores (4K aliasing) -- up to 2x in L1
// on the machine this was written on.  Half a page puts the matching load thousands of bytes ahead of the store,
// well outside the store buffer's reach.  The buffers themselves are page-aligned, so that these offsets are the
// only ones: with 64-byte alignment the page offsets came from the heap's history, which differs between two
// builds of the benchmark, and an A/B of identical kernel code measured 0.58-1.7x (issue 16).
std::size_t page_offset(Role role) { return role == kOut || role == kOut2 ? 0 : 2048; }
std::map<std::pair<int, int>, PoolBuf> g_pool;  // (role, type id) -> buffer

std::uint64_t splitmix64(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

template <class T> int type_id();
template <> int type_id<double>() { return 0; }
template <> int type_id<float>() { return 1; }
template <> int type_id<std::uint32_t>() { return 2; }

template <class T>
void fill(Role role, T* p, std::size_t n) {
  std::uint64_t s = 0x5EED0000ull + static_cast<unsigned>(role);
  for (std::size_t i = 0; i < n; ++i) {
    const double u = static_cast<double>(splitmix64(s) >> 11) * 0x1p-53;  // [0, 1)
    switch (role) {
      case kDiag: p[i] = static_cast<T>(0.5 + 1.5 * u); break;
      case kData: case kParamA: p[i] = static_cast<T>(2.0 * u - 1.0); break;
      case kParamB: p[i] = static_cast<T>(0.5 + 1.5 * u); break;
      default: p[i] = T(0); break;
    }
  }
}

std::vector<std::size_t> parse_sizes(const char* s) {
  std::vector<std::size_t> v;
  while (*s) {
    char* end = nullptr;
    const unsigned long long x = std::strtoull(s, &end, 10);
    if (end == s || x == 0) throw std::invalid_argument("bad --dg_sizes list");
    v.push_back(static_cast<std::size_t>(x));
    s = *end == ',' ? end + 1 : end;
    if (*end && *end != ',') throw std::invalid_argument("bad --dg_sizes list");
  }
  return v;
}

}  // namespace

const Config& config() { return g_config; }

template <class T>
T* pool(Role role, std::size_t n) {
  PoolBuf& b = g_pool[{static_cast<int>(role), type_id<T>()}];
  const std::size_t want = ((n == 0 ? 1 : n) * sizeof(T) + 63) / 64 * 64;
  if (b.bytes < want) {
    std::free(b.base);
    const std::size_t offset = page_offset(role) + g_config.misalign;
    b.base = std::aligned_alloc(4096, (want + 64 + 4096 + 4095) / 4096 * 4096);  // size: a multiple of the alignment
    if (!b.base) throw std::bad_alloc();
    if (want >= (std::size_t{2} << 20)) madvise(b.base, want + 4096, MADV_HUGEPAGE);  // fewer TLB misses
    b.p = static_cast<char*>(b.base) + offset;
    b.bytes = want;
    fill(role, static_cast<T*>(b.p), want / sizeof(T));
  }
  return static_cast<T*>(b.p);
}
template double* pool<double>(Role, std::size_t);
template float* pool<float>(Role, std::size_t);
template std::uint32_t* pool<std::uint32_t>(Role, std::size_t);

bool cpu_runs_isa(const char* isa) {
  using namespace diaggauss::detail;
  if (!std::strcmp(isa, "baseline")) return true;
  Isa i;
  if (!parse_isa(isa, i)) return false;
#if defined(__x86_64__)
  if (i == Isa::neon) return false;
#elif defined(__aarch64__)
  if (i != Isa::neon && i != Isa::scalar) return false;
#endif
  return missing_features(i, host_cpu()).empty();
}

void note_skipped(const std::string& what) {
  static std::mutex m;
  std::lock_guard<std::mutex> lock(m);
  if (g_skipped.find(what) != std::string::npos) return;
  g_skipped += (g_skipped.empty() ? "" : "; ") + what;
}

}  // namespace dgbench

int main(int argc, char** argv) {
  using namespace dgbench;
  benchmark::Initialize(&argc, argv);
  Config& c = g_config;
  c.sizes = {1024, 16384, 262144, 4194304, 33554432};
  c.small_sizes = {1, 2, 4, 8, 16, 32, 64};
  c.gmm = {{100000, 16, 16}, {100000, 64, 64}, {100000, 3, 4}};
  const char* sizes_arg = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--dg_quick")) c.quick = true;
    else if (!std::strncmp(argv[i], "--dg_sizes=", 11)) sizes_arg = argv[i] + 11;
    else if (!std::strncmp(argv[i], "--dg_point_dim=", 15)) {
      char* end = nullptr;
      const unsigned long d = std::strtoul(argv[i] + 15, &end, 10);
      if (end == argv[i] + 15 || *end || d == 0 || d > 4096) {
        std::fprintf(stderr, "diaggauss_bench: --dg_point_dim needs an integer in 1..4096\n");
        return 2;
      }
      c.point_dim = d;
    } else if (!std::strncmp(argv[i], "--dg_misalign=", 14)) {
      char* end = nullptr;
      const unsigned long b = std::strtoul(argv[i] + 14, &end, 10);
      if (end == argv[i] + 14 || *end || b > 56 || b % 8) {
        std::fprintf(stderr, "diaggauss_bench: --dg_misalign needs a multiple of 8 in 0..56 (bytes)\n");
        return 2;
      }
      c.misalign = b;
    } else {
      std::fprintf(stderr, "diaggauss_bench: unknown argument '%s' (Google Benchmark flags, --dg_quick, "
                           "--dg_sizes=a,b,..., --dg_point_dim=D, --dg_misalign=B)\n", argv[i]);
      return 2;
    }
  }
  if (c.quick) {
    c.sizes = {1024, 4194304};  // L1 and memory: the division-bound and the bandwidth-bound regimes
    c.small_sizes = {1, 4, 16, 64};
    c.gmm = {{20000, 16, 16}, {20000, 3, 4}};
  }
  c.triad_sizes = c.sizes;
  if (c.quick) c.triad_sizes = {1024, 16384, 262144, 4194304};  // the bandwidth curve still needs every level
  try {
    if (sizes_arg) c.sizes = c.triad_sizes = parse_sizes(sizes_arg);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "diaggauss_bench: %s\n", e.what());
    return 2;
  }
  c.threads = std::max(1u, std::thread::hardware_concurrency());

  register_library_benchmarks();
  register_anchor_benchmarks();
#if DG_BENCH_HAVE_EIGEN
  register_eigen_benchmarks();
#endif
#if DG_BENCH_HAVE_BLAS
  register_blas_benchmarks();
#endif
  register_roofline_benchmarks();

  const diaggauss::detail::CpuInfo& cpu = diaggauss::detail::host_cpu();
  benchmark::AddCustomContext("dg_cpu_key", cpu.key());
  benchmark::AddCustomContext("dg_cpu_brand", cpu.brand);
  benchmark::AddCustomContext("dg_cache_l1d", std::to_string(cpu.l1d));
  benchmark::AddCustomContext("dg_cache_l2", std::to_string(cpu.l2));
  benchmark::AddCustomContext("dg_cache_l3", std::to_string(cpu.l3));
  benchmark::AddCustomContext("dg_version", dg_version());
  benchmark::AddCustomContext("dg_stream_version", std::to_string(dg_stream_version()));
  benchmark::AddCustomContext("dg_quick", c.quick ? "1" : "0");
  benchmark::AddCustomContext("dg_point_dim", std::to_string(c.point_dim));
  benchmark::AddCustomContext("dg_misalign", std::to_string(c.misalign));
  benchmark::AddCustomContext("dg_skipped", g_skipped);
  benchmark::AddCustomContext("dg_threads", std::to_string(c.threads));
  std::string anchors = "autovec fastmath_boxmuller std_mt19937_64";
#if DG_BENCH_HAVE_EIGEN
  anchors += " eigen";
#endif
#if DG_BENCH_HAVE_BLAS
  anchors += " lapack_dgesv openblas_gemm";
#endif
  benchmark::AddCustomContext("dg_anchors", anchors);
  if (!g_skipped.empty()) std::fprintf(stderr, "diaggauss_bench: not registered: %s\n", g_skipped.c_str());

  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
