// Shared pieces of diaggauss_bench: the run configuration, a pool of aligned, pre-filled buffers reused across
// benchmarks (so a 32M-element run does not allocate and fill 768 MB for every repetition), and the counters
// every benchmark reports.
//
// Naming: BM_<kernel>/<isa>/<family>/<dtype>/<size>
//   <isa>     sse4 avx2 avx512 neon scalar | dispatched (the public C API) | baseline (plain x86-64 / armv8-a
//             code, no ISA flag) | lib (a library that picks its own ISA: OpenBLAS, LAPACK, numpy)
//   <family>  intrinsics highway xsimd scalar | api | autovec eigen std_mt19937_64 fastmath_boxmuller
//             lapack_dgesv openblas_gemm numpy ... (anchors)
//   <size>    elements processed per call; gmm_logpdf: N<points>_K<components>_D<dim>; roofline peaks: "regs"
// Counters (besides Google Benchmark's bytes_per_second / items_per_second):
//   bytes_per_item  bytes the kernel must move per item (reads + writes, no write-allocate)
//   footprint       bytes the call touches (decides the cache level; the report's bandwidth bound is the STREAM
//                   triad measured at the same footprint)
//   div_per_item    vector-lane divisions per item the contract requires (the division bound)
//   fma_per_item    multiply-class operations per item (the FMA bound); 0 = not compute-bounded this way
#pragma once
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dgbench {

struct GmmShape {
  std::size_t N, K, D;
};

struct Config {
  bool quick = false;
  std::vector<std::size_t> sizes;        // elementwise kernels, elements per call
  std::vector<std::size_t> triad_sizes;  // STREAM triad (the bandwidth bound at each cache level)
  std::vector<std::size_t> small_sizes;  // the dense-solve comparison (LAPACK dgesv) and small-n API calls
  std::vector<GmmShape> gmm;
  std::size_t multi_nrhs = 16;   // solve_diag_multi: right-hand sides (n = rows * nrhs)
  std::size_t point_dim = 16;    // whiten / diag_logpdf / sample_gmm: dimension (n = points * dim)
  std::size_t sample_ncomp = 8;  // sample_gmm: components
  std::size_t misalign = 0;      // bytes past a cache line at which every buffer starts (--dg_misalign)
  unsigned threads = 1;          // "all threads" for the multi-threaded STREAM triad
};

const Config& config();

// Buffer roles; each (role, element type) pair has one buffer that grows to the largest size asked for.
//   kDiag   values in [0.5, 2)   (diagonals, inverse variances, standard deviations)
//   kData   values in [-1, 1)    (right-hand sides, points, means)
//   kOut    zero-filled outputs
enum Role { kDiag = 0, kData = 1, kOut = 2, kOut2 = 3, kParamA = 4, kParamB = 5, kRoleCount = 6 };
template <class T>
T* pool(Role role, std::size_t n);

template <class T> inline const char* dtype_name();
template <> inline const char* dtype_name<double>() { return "f64"; }
template <> inline const char* dtype_name<float>() { return "f32"; }
template <> inline const char* dtype_name<std::uint32_t>() { return "u32"; }

inline std::string bm_name(const std::string& kernel, const std::string& isa, const std::string& family,
                           const std::string& dtype, const std::string& size) {
  return "BM_" + kernel + "/" + isa + "/" + family + "/" + dtype + "/" + size;
}
inline std::string gmm_size_name(const GmmShape& g) {
  return "N" + std::to_string(g.N) + "_K" + std::to_string(g.K) + "_D" + std::to_string(g.D);
}

// What one call of a kernel costs, for the counters.
struct Cost {
  double items = 0;          // items per call (elements; gmm: point-component-dimension terms)
  double bytes = 0;          // bytes that must move per call
  double footprint = 0;      // bytes touched per call
  double div_per_item = 0;
  double fma_per_item = 0;
};

inline void set_counters(benchmark::State& state, const Cost& c) {
  state.SetItemsProcessed(static_cast<std::int64_t>(c.items * static_cast<double>(state.iterations())));
  state.SetBytesProcessed(static_cast<std::int64_t>(c.bytes * static_cast<double>(state.iterations())));
  state.counters["bytes_per_item"] = c.items > 0 ? c.bytes / c.items : 0;
  state.counters["footprint"] = c.footprint;
  state.counters["div_per_item"] = c.div_per_item;
  state.counters["fma_per_item"] = c.fma_per_item;
}

// Per-call costs of the kernels (shared by the library benchmarks and their anchors).
template <class T>
struct Costs {
  static constexpr double s = sizeof(T);
  static Cost solve_diag(std::size_t n) { return {double(n), 3 * s * n, 3 * s * n, 1, 0}; }
  static Cost reciprocal(std::size_t n) { return {double(n), 2 * s * n, 2 * s * n, 1, 0}; }
  static Cost solve_diag_inv(std::size_t n) { return {double(n), 3 * s * n, 3 * s * n, 0, 0}; }
  static Cost solve_diag_multi(std::size_t n, std::size_t nrhs) {
    const double rows = double(n / nrhs);
    return {double(n), s * (2.0 * n + rows), s * (2.0 * n + rows), 1.0 / nrhs, 0};
  }
  static Cost whiten(std::size_t n, std::size_t dim) {
    return {double(n), s * (2.0 * n + 2 * dim), s * (2.0 * n + 2 * dim), 1, 0};
  }
  static Cost diag_logpdf(std::size_t n, std::size_t dim) {
    const double pts = double(n / dim);
    return {double(n), s * (n + pts + 2 * dim), s * (n + pts + 2 * dim), 0, 2};
  }
  // Items are the N*K*D (x - mu)^2 / var terms: a multiply and a fused multiply-add each.
  static Cost gmm_logpdf(const GmmShape& g) {
    const double moved = s * (double(g.N) * g.D + g.N + 2.0 * g.K * g.D + 2.0 * g.K);
    return {double(g.N) * g.K * g.D, moved, moved, 0, 2};
  }
  static Cost normal(std::size_t n) { return {double(n), s * n, s * n, 0, 0}; }
};

// Registration entry points (each file registers its group).
void register_library_benchmarks();  // bench_kernels.cpp: every registry implementation, dispatched, tiny calls
void register_anchor_benchmarks();   // bench_anchors.cpp: autovec, fastmath, std::normal_distribution
void register_roofline_benchmarks(); // bench_roofline.cpp: STREAM triad, peak division, peak FMA
#if DG_BENCH_HAVE_EIGEN
void register_eigen_benchmarks();    // bench_eigen.cpp
#endif
#if DG_BENCH_HAVE_BLAS
void register_blas_benchmarks();     // bench_blas.cpp: LAPACKE dgesv, OpenBLAS GEMM mixture log-density
#endif

struct AutovecTable;
// The auto-vectorised anchor tables compiled into this binary (bench_anchors.cpp), baseline first.
std::vector<const AutovecTable*> autovec_tables();

// Whether this CPU can run an anchor compiled for `isa` ("baseline" always can).
bool cpu_runs_isa(const char* isa);
// Names of ISAs whose implementations / anchors were not registered because the CPU lacks them (for the report).
void note_skipped(const std::string& what);

}  // namespace dgbench
