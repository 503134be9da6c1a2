/*
 * diaggauss — hand-vectorized kernels for diagonal-covariance Gaussian work.
 * Public C API (C99).  Every function returns an int status: 0 on success, a negative DG_E* code on error.
 * On error no output is written (the caller's buffers are never half-overwritten) and dg_last_error()
 * returns a message naming the function, the argument and, where it applies, the index.
 *
 * Numerical contracts (tested on every implementation the CPU can run):
 *   solve_diag, reciprocal, solve_diag_inv, solve_diag_multi, whiten: bit-identical to the scalar reference
 *     (IEEE division / multiplication, correctly rounded, in the order written below).
 *   diag_logpdf, gmm_logpdf: |error| <= 1e-12 + 1e-13*|value| for double against a long-double reference;
 *     float: |error| <= 1e-4 + 2e-6*|value| (float kernels accumulate in float).
 *   sampling: bit-identical across scalar, avx2, avx512, neon, highway and xsimd (see docs/random-stream.md);
 *     sse4 has no FMA and is statistically equivalent: its normals are within 3 ulp of the others (the largest
 *     difference measured over 2^21 normals, tests/test_sse4_normal_bound.cpp).
 * Corner cases (the same on every implementation; docs/numerics.md):
 *   variances must lie in [m, 1/m] and standard deviations be 0 (sampling only) or >= m, with m the smallest
 *     normal number (DBL_MIN = 2^-1022, FLT_MIN = 2^-126): a subnormal scale, whose reciprocal overflows, is
 *     refused with DG_E_INVALID_ARGUMENT naming the argument and index;
 *   a NaN in a point of X gives NaN for that point (out and every resp entry), +-Inf gives -inf; -0 behaves as +0;
 *     dim == 0 gives log-density 0; ncomp == 0 is refused (DG_E_BAD_WEIGHTS).
 * Floating-point environment: results are specified under the default MXCSR/FPCR (round to nearest, no FTZ/DAZ,
 *   exceptions masked); the library neither sets nor restores it.  FTZ/DAZ (e.g. from -ffast-math code in the
 *   process) changes only values that are subnormal; see docs/numerics.md.
 * Aliasing: outputs may alias the input of the same shape read element-for-element (x == b for solve,
 *   inv == d for reciprocal, Z == X for whiten, X == B with ldx == ldb for multi); other overlaps are undefined.
 */
#ifndef DIAGGAUSS_H
#define DIAGGAUSS_H

#include <stddef.h>
#include <stdint.h>

#include "diaggauss/version.h"

#if defined(_WIN32)
#define DG_API
#elif defined(__GNUC__)
#define DG_API __attribute__((visibility("default")))
#else
#define DG_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status codes ---------------------------------------------------------------------------------- */
enum dg_status {
  DG_OK = 0,
  DG_E_NULL_POINTER = -1,     /* a pointer argument is NULL while its size is non-zero */
  DG_E_SINGULAR = -2,         /* a diagonal entry is zero (like LAPACK's info > 0); bad_index names it */
  DG_E_NON_FINITE = -3,       /* a NaN or +-Inf where a finite value is required; bad_index names it */
  DG_E_INVALID_ARGUMENT = -4, /* a value out of its valid range (variance <= 0, ld < nrhs, ...) */
  DG_E_BAD_WEIGHTS = -5,      /* mixture weights negative or non-finite, or their sum not positive and finite */
  DG_E_SIZE_OVERFLOW = -6,    /* a product of sizes overflows size_t */
  DG_E_UNKNOWN_NAME = -7,     /* an ISA / family / kernel name that does not exist */
  DG_E_UNSUPPORTED_ISA = -8,  /* an ISA this CPU (or this build) cannot run: refused, never SIGILL */
  DG_E_PROFILE = -9,          /* a tuning profile that cannot be used (corrupt, other CPU, other version) */
  DG_E_IO = -10,              /* a file could not be read or written */
  DG_E_INTERNAL = -11,        /* a bug: please report */
  DG_E_NOMEM = -12            /* memory for a scratch buffer could not be allocated; nothing was written */
};

/* Short fixed description of a status code ("singular matrix", ...). Never NULL. */
DG_API const char* dg_status_string(int status);
/* Detailed message of the last error on this thread (function, argument, index).  "" when none, and "" again
 * after any later successful call on this thread (every status-returning function clears it on entry).
 * No C++ exception ever leaves a dg_* function: allocation failure is DG_E_NOMEM, anything else DG_E_INTERNAL. */
DG_API const char* dg_last_error(void);
/* Library version "MAJOR.MINOR.PATCH"; equals DIAGGAUSS_VERSION_STRING of the headers it was built with. */
DG_API const char* dg_version(void);
/* The random-stream version (docs/random-stream.md): which numbers a (seed, stream, index) produces.  It changes
 * whenever any sampled value changes (announced in CHANGELOG.md); code that stores seeds to reproduce results
 * later should record it.  dg_stream_version() is the library's, DG_STREAM_VERSION the header's: they differ
 * only when a program runs against another build of the library than it was compiled with. */
#define DG_STREAM_VERSION 2
DG_API int dg_stream_version(void);

/* ---- dispatch ---------------------------------------------------------------------------------------
 * ISA names: "scalar", "sse4", "avx2", "avx512", "neon".  Families: "intrinsics", "highway", "xsimd", "scalar".
 * Defaults: best ISA the CPU supports, "intrinsics" family, unless a tuning profile chose otherwise.
 * Environment overrides read once at first use: DIAGGAUSS_ISA, DIAGGAUSS_IMPL (family).
 * "auto" restores the default.  An unknown name or an ISA the CPU lacks returns an error and changes nothing. */
DG_API int dg_force_isa(const char* isa);
DG_API int dg_force_impl(const char* family);
/* "avx2/intrinsics" for a kernel name ("solve_diag", "normal", ...): the implementation a call of L2-cache size
 * runs (a tuning profile may choose others per size class; `diaggauss info` lists them all).  NULL for an unknown
 * kernel.  The string "error" when the configuration is in error (an invalid DIAGGAUSS_ISA / DIAGGAUSS_IMPL:
 * every kernel call then fails with that message) or memory ran out; dg_last_error() says which.
 * An invalid DIAGGAUSS_ISA or DIAGGAUSS_IMPL keeps every kernel in error until dg_force_isa or dg_force_impl is
 * called; a valid value of the other variable is still honoured, so after dg_force_isa("auto") a valid
 * DIAGGAUSS_IMPL is in force.  Memory is bounded however often the choice changes. */
DG_API const char* dg_active(const char* kernel);
/* Loads a tuning profile (JSON). NULL reloads from the default search path. */
DG_API int dg_load_profile(const char* path);
/* Tuning profiles handled like FFTW wisdom (docs/profile.md).  Strings these functions hand out are the caller's,
 * released with dg_free.  dg_profile_status: which profile is in force (*path: its file, "(imported)", or "" when
 * none), *state: "loaded", "none", "ignored" or "refused", *reason: the full message (why it was ignored or
 * refused: "unreadable", "not a file", "too large", "invalid JSON at line L column C", another CPU, ...).
 * Any of the three pointers may be NULL.  dg_profile_export: the profile in force as JSON text (DG_E_PROFILE when
 * none is loaded).  dg_profile_import: parses JSON text and installs it (all-or-nothing, like dg_load_profile). */
DG_API int dg_profile_status(char** path, char** state, char** reason);
DG_API int dg_profile_export(char** json);
DG_API int dg_profile_import(const char* json);
DG_API void dg_free(void* p);

/* ---- diagonal solve family --------------------------------------------------------------------------
 * bad_index may be NULL; when non-NULL it receives the index of the first offending entry on error.
 * d must be finite and non-zero: zero -> DG_E_SINGULAR, NaN/Inf -> DG_E_NON_FINITE.
 * NaN or Inf in b / X is data, not an error, and propagates as IEEE says.
 * Speed: dg_solve_diag_* validates d in a separate pass before writing (that is what guarantees "nothing
 * written on error"); for repeated solves against one diagonal, call dg_reciprocal_* once and then
 * dg_solve_diag_inv_* (no validation: the fast path, bound by loads/stores or memory bandwidth). */

/* x[i] = b[i] / d[i].  x == b allowed. */
DG_API int dg_solve_diag_f64(size_t n, const double* d, const double* b, double* x, size_t* bad_index);
DG_API int dg_solve_diag_f32(size_t n, const float* d, const float* b, float* x, size_t* bad_index);
/* inv[i] = 1 / d[i].  inv == d allowed. */
DG_API int dg_reciprocal_f64(size_t n, const double* d, double* inv, size_t* bad_index);
DG_API int dg_reciprocal_f32(size_t n, const float* d, float* inv, size_t* bad_index);
/* x[i] = b[i] * inv[i] (inv from dg_reciprocal_*; not validated).  x == b allowed. */
DG_API int dg_solve_diag_inv_f64(size_t n, const double* inv, const double* b, double* x);
DG_API int dg_solve_diag_inv_f32(size_t n, const float* inv, const float* b, float* x);
/* Row-major B (n x nrhs, row stride ldb >= nrhs), X likewise with ldx >= nrhs:
 * X[i][j] = B[i][j] * (1 / d[i])  — the reciprocal of each row is computed once (reciprocal-and-multiply). */
DG_API int dg_solve_diag_multi_f64(size_t n, size_t nrhs, const double* d, const double* B, size_t ldb,
                                   double* X, size_t ldx, size_t* bad_index);
DG_API int dg_solve_diag_multi_f32(size_t n, size_t nrhs, const float* d, const float* B, size_t ldb,
                                   float* X, size_t ldx, size_t* bad_index);
/* Z[p][j] = (X[p][j] - mean[j]) / stddev[j]; row-major points.  stddev finite and >= DBL_MIN (FLT_MIN).
 * Z == X allowed. */
DG_API int dg_whiten_f64(size_t npoints, size_t dim, const double* X, const double* mean, const double* stddev,
                         double* Z);
DG_API int dg_whiten_f32(size_t npoints, size_t dim, const float* X, const float* mean, const float* stddev,
                         float* Z);
/* out[p] = log N(X[p]; mean, diag(var)).  var in [DBL_MIN, 1/DBL_MIN] ([FLT_MIN, 1/FLT_MIN]), mean finite. */
DG_API int dg_diag_logpdf_f64(size_t npoints, size_t dim, const double* X, const double* mean, const double* var,
                              double* out);
DG_API int dg_diag_logpdf_f32(size_t npoints, size_t dim, const float* X, const float* mean, const float* var,
                              float* out);
/* out[p] = log sum_k w_k N(X[p]; means[k], diag(vars[k])) with a stable log-sum-exp.
 * weights: ncomp values, each finite and >= 0, their sum positive and finite; they are used divided by their sum
 * (normalised, as scipy and scikit-learn do: float32-rounded weights or counts are fine).  A zero weight is allowed.
 * means, vars: ncomp x dim row-major (vars: variances, as scikit-learn's covariances_ for covariance_type='diag').
 * component_logpdf (nullable, npoints x ncomp) receives the per-component log-densities
 * log N(X[p]; means[k], diag(vars[k])) (without the weight) — NOT responsibilities: see dg_gmm_responsibilities_*. */
DG_API int dg_gmm_logpdf_f64(size_t npoints, size_t dim, size_t ncomp, const double* X, const double* weights,
                             const double* means, const double* vars, double* out, double* component_logpdf);
DG_API int dg_gmm_logpdf_f32(size_t npoints, size_t dim, size_t ncomp, const float* X, const float* weights,
                             const float* means, const float* vars, float* out, float* component_logpdf);
/* Responsibilities as scikit-learn's GaussianMixture.predict_proba gives them:
 * resp[p][k] = w_k N(X[p]; k) / sum_j w_j N(X[p]; j) (npoints x ncomp, each row sums to 1), weights normalised as
 * above.  out (nullable) receives the mixture log-density as dg_gmm_logpdf_* would.  A point no component gives
 * a positive density (one with ±Inf, or so far away that every log N is -inf; docs/numerics.md) gets NaN in every
 * column — the ratio is 0/0 — as scikit-learn's predict_proba gives; so does a point with a NaN. */
DG_API int dg_gmm_responsibilities_f64(size_t npoints, size_t dim, size_t ncomp, const double* X,
                                       const double* weights, const double* means, const double* vars, double* out,
                                       double* resp);
DG_API int dg_gmm_responsibilities_f32(size_t npoints, size_t dim, size_t ncomp, const float* X, const float* weights,
                                       const float* means, const float* vars, float* out, float* resp);
/* out[k] = weights[k] / sum(weights): the rule every mixture function (and `diaggauss mc`'s model files) applies.
 * Refused (DG_E_BAD_WEIGHTS) when a weight is negative or not finite, or when the sum is not positive and finite.
 * out == weights allowed. */
DG_API int dg_normalize_weights_f64(size_t ncomp, const double* weights, double* out);
DG_API int dg_normalize_weights_f32(size_t ncomp, const float* weights, float* out);

/* ---- Gaussian sampling family (Philox4x32-10; see docs/random-stream.md, DG_STREAM_VERSION) ---------------
 * key = {lo32(seed), hi32(seed)}; counter of block j = {lo32(j), hi32(j), lo32(stream), hi32(stream)};
 * raw word i is word i % 4 of block i / 4.  Every output element depends only on (seed, stream, index):
 * any chunking, block size, thread count or implementation gives the same bits. */

/* Raw words offset ... offset + n - 1. */
DG_API int dg_uniform_u32(uint64_t seed, uint64_t stream, uint64_t offset, size_t n, uint32_t* out);
/* Uniforms in the open interval (0, 1): double i = ((w64 >> 12) + 0.5) * 2^-52 with w64 = word(2i) | word(2i+1) << 32;
 * float i = ((word(i) >> 9) + 0.5) * 2^-23. */
DG_API int dg_uniform_f64(uint64_t seed, uint64_t stream, uint64_t offset, size_t n, double* out);
DG_API int dg_uniform_f32(uint64_t seed, uint64_t stream, uint64_t offset, size_t n, float* out);
/* Standard normals offset ... offset + n - 1 (Box-Muller; |z| reaches 8.49 for double, 5.65 for float). */
DG_API int dg_normal_f64(uint64_t seed, uint64_t stream, uint64_t offset, size_t n, double* out);
DG_API int dg_normal_f32(uint64_t seed, uint64_t stream, uint64_t offset, size_t n, float* out);
/* out[p][j] = mean[j] + stddev[j] * z[offset + p*dim + j].  stddev 0 or finite and >= DBL_MIN (FLT_MIN), mean
 * finite.  offset + npoints*dim must not pass 2^64 (DG_E_INVALID_ARGUMENT naming offset: the points would wrap
 * onto the stream's first ones); split work between ranks with distinct stream ids. */
DG_API int dg_sample_diag_f64(uint64_t seed, uint64_t stream, uint64_t offset, size_t npoints, size_t dim,
                              const double* mean, const double* stddev, double* out);
DG_API int dg_sample_diag_f32(uint64_t seed, uint64_t stream, uint64_t offset, size_t npoints, size_t dim,
                              const float* mean, const float* stddev, float* out);
/* Mixture samples.  Here offset counts points: point P = offset + p uses the normals P*dim ... P*dim + dim - 1
 * (exactly as dg_sample_diag) and, to choose its component, raw word P of the selection half of the stream
 * (blocks 2^63 + P/4).  Component k is chosen when cum[k-1] <= (word + 0.5) * 2^-32 < cum[k], cum being the
 * running sum of the weights (normalised).  labels (nullable) receives k.  offset + npoints and
 * (offset + npoints) * dim must not pass 2^64 (DG_E_INVALID_ARGUMENT naming offset; no wrap onto earlier points).
 * Each thread remembers the last weights it was given (their values, up to 4096 components) with their component
 * thresholds, so calls in a loop with the same weights skip that set-up; weights changed in place are seen as new. */
DG_API int dg_sample_gmm_f64(uint64_t seed, uint64_t stream, uint64_t offset, size_t npoints, size_t dim,
                             size_t ncomp, const double* weights, const double* means, const double* stddevs,
                             double* out, uint32_t* labels);
DG_API int dg_sample_gmm_f32(uint64_t seed, uint64_t stream, uint64_t offset, size_t npoints, size_t dim,
                             size_t ncomp, const float* weights, const float* means, const float* stddevs,
                             float* out, uint32_t* labels);

/* The same samplers taking variances instead of standard deviations (var / vars: finite and >= 0), so that the
 * parameters that score (dg_diag_logpdf_*, dg_gmm_logpdf_*) also sample: the output equals dg_sample_diag_* /
 * dg_sample_gmm_* with stddev = sqrt(var) (correctly rounded), bit for bit. */
DG_API int dg_sample_diag_var_f64(uint64_t seed, uint64_t stream, uint64_t offset, size_t npoints, size_t dim,
                                  const double* mean, const double* var, double* out);
DG_API int dg_sample_diag_var_f32(uint64_t seed, uint64_t stream, uint64_t offset, size_t npoints, size_t dim,
                                  const float* mean, const float* var, float* out);
DG_API int dg_sample_gmm_var_f64(uint64_t seed, uint64_t stream, uint64_t offset, size_t npoints, size_t dim,
                                 size_t ncomp, const double* weights, const double* means, const double* vars,
                                 double* out, uint32_t* labels);
DG_API int dg_sample_gmm_var_f32(uint64_t seed, uint64_t stream, uint64_t offset, size_t npoints, size_t dim,
                                 size_t ncomp, const float* weights, const float* means, const float* vars,
                                 float* out, uint32_t* labels);

/* ---- strided and column-major matrices (leading-dimension variants) ----------------------------------------
 * The same functions for a points matrix that is not a contiguous row-major block: a sub-matrix view (row-major
 * with a leading dimension ld >= dim) or a column-major matrix (Eigen's default, Fortran; ld >= npoints), where
 *   DG_ROW_MAJOR: element (p, j) is at M[p * ld + j]        DG_COL_MAJOR: element (p, j) is at M[p + j * ld]
 * One layout describes both the input X and the output Z / out (as CBLAS's Order argument does).  Results equal
 * the contiguous functions' on a row-major copy: bit for bit for whiten and the samplers (the same (seed, stream,
 * offset) numbers land on the same (p, j)), within the log-density contracts above for the log-densities.
 * Vectors (mean, stddev, var), the mixture parameters (weights; means, vars row-major ncomp x dim) and
 * component_logpdf (row-major npoints x ncomp) are contiguous as in the functions above.  Rows go through an
 * L1-sized row-major buffer, so a strided matrix costs one extra pass over the data, never a full copy.
 * ld too small or a layout other than the two -> DG_E_INVALID_ARGUMENT naming it. */
enum dg_layout { DG_ROW_MAJOR = 101, DG_COL_MAJOR = 102 }; /* CBLAS's values */
DG_API int dg_whiten_ld_f64(int layout, size_t npoints, size_t dim, const double* X, size_t ldx, const double* mean,
                            const double* stddev, double* Z, size_t ldz);
DG_API int dg_whiten_ld_f32(int layout, size_t npoints, size_t dim, const float* X, size_t ldx, const float* mean,
                            const float* stddev, float* Z, size_t ldz);
DG_API int dg_diag_logpdf_ld_f64(int layout, size_t npoints, size_t dim, const double* X, size_t ldx,
                                 const double* mean, const double* var, double* out);
DG_API int dg_diag_logpdf_ld_f32(int layout, size_t npoints, size_t dim, const float* X, size_t ldx,
                                 const float* mean, const float* var, float* out);
DG_API int dg_gmm_logpdf_ld_f64(int layout, size_t npoints, size_t dim, size_t ncomp, const double* X, size_t ldx,
                                const double* weights, const double* means, const double* vars, double* out,
                                double* component_logpdf);
DG_API int dg_gmm_logpdf_ld_f32(int layout, size_t npoints, size_t dim, size_t ncomp, const float* X, size_t ldx,
                                const float* weights, const float* means, const float* vars, float* out,
                                float* component_logpdf);
DG_API int dg_sample_diag_ld_f64(int layout, uint64_t seed, uint64_t stream, uint64_t offset, size_t npoints,
                                 size_t dim, const double* mean, const double* stddev, double* out, size_t ldo);
DG_API int dg_sample_diag_ld_f32(int layout, uint64_t seed, uint64_t stream, uint64_t offset, size_t npoints,
                                 size_t dim, const float* mean, const float* stddev, float* out, size_t ldo);
DG_API int dg_sample_gmm_ld_f64(int layout, uint64_t seed, uint64_t stream, uint64_t offset, size_t npoints,
                                size_t dim, size_t ncomp, const double* weights, const double* means,
                                const double* stddevs, double* out, size_t ldo, uint32_t* labels);
DG_API int dg_sample_gmm_ld_f32(int layout, uint64_t seed, uint64_t stream, uint64_t offset, size_t npoints,
                                size_t dim, size_t ncomp, const float* weights, const float* means,
                                const float* stddevs, float* out, size_t ldo, uint32_t* labels);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* DIAGGAUSS_H */
