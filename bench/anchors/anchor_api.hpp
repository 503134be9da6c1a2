// The interface between the benchmark driver (baseline-compiled) and the per-ISA anchor translation units
// (bench/anchors/autovec_<isa>.cpp, fastmath_<isa>.cpp), each compiled with only that ISA's flags.
// Deliberately plain: function pointers over C types, no std:: templates or inline functions, so no COMDAT copy
// of an ISA-flagged inline function can be merged into baseline code by the linker (docs/pitfalls.md).
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace dgbench {

// Plain loops, written once (anchors/autovec_loops.inc) and compiled per ISA with -O3: what the compiler's
// auto-vectoriser makes of the obvious code.
template <class T>
struct AutovecLoops {
  void (*solve_diag)(size_t n, const T* d, const T* b, T* x);  // x = b / d
  void (*reciprocal)(size_t n, const T* d, T* inv);           // inv = 1 / d
  void (*solve_diag_inv)(size_t n, const T* inv, const T* b, T* x);  // x = b * inv
  void (*solve_diag_multi)(size_t n, size_t nrhs, const T* d, const T* B, size_t ldb, T* X, size_t ldx);
  void (*whiten)(size_t npoints, size_t dim, const T* X, const T* mean, const T* stddev, T* Z);
  void (*diag_logpdf)(size_t npoints, size_t dim, const T* X, const T* mean, const T* inv_var, T log_norm, T* out);
  // Same inputs as the kernel table's gmm_logpdf; `scratch` holds ncomp values.
  void (*gmm_logpdf)(size_t npoints, size_t dim, size_t ncomp, const T* X, const T* log_norm, const T* log_weight,
                     const T* means, const T* inv_vars, T* out, T* scratch);
  // Roofline references.  STREAM triad a[i] = b[i] + s * c[i].
  void (*triad)(size_t n, T* a, const T* b, const T* c, T s);
  // `iters` rounds of independent vector divisions (12 chains x = c / x, one vector register each); returns a
  // value depending on every result.  Divisions performed = iters * 12 * lanes.
  T (*peak_div)(size_t iters, T c);
  // `iters` rounds of 12 independent fused multiply-adds (sse4 and baseline: a multiply plus an add);
  // multiply-adds performed = iters * 12 * lanes.
  T (*peak_fma)(size_t iters, T a, T b);
};

struct AutovecTable {
  const char* isa;      // "sse4", "avx2", "avx512", "neon", "baseline"
  unsigned lanes64;     // vector width in doubles used by peak_div / peak_fma
  AutovecLoops<double> f64;
  AutovecLoops<float> f32;
};

// Box-Muller over a counter-based hash (splitmix64 / a 32-bit integer hash of the index), -O3 -ffast-math:
// GCC vectorises log/sqrt/sin/cos through glibc's libmvec where it can.  Not a usable generator: an anchor for
// "what the compiler plus the vector libm give for free".
struct FastmathTable {
  const char* isa;
  void (*normal_f64)(uint64_t seed, size_t n, double* out);  // n even
  void (*normal_f32)(uint64_t seed, size_t n, float* out);   // n even
};

// Defined in the per-ISA translation units that this build compiled (see bench/CMakeLists.txt).
namespace autovec_baseline { const AutovecTable& table(); }
namespace autovec_sse4 { const AutovecTable& table(); }
namespace autovec_avx2 { const AutovecTable& table(); }
namespace autovec_avx512 { const AutovecTable& table(); }
namespace autovec_neon { const AutovecTable& table(); }
namespace fastmath_baseline { const FastmathTable& table(); }
namespace fastmath_sse4 { const FastmathTable& table(); }
namespace fastmath_avx2 { const FastmathTable& table(); }
namespace fastmath_avx512 { const FastmathTable& table(); }
namespace fastmath_neon { const FastmathTable& table(); }

}  // namespace dgbench
