/*
 * diaggauss/mc.h — the Monte Carlo engine of `diaggauss mc` as a C API: the differential entropy
 * H(p) = -E_p[log p(X)] of a diagonal Gaussian mixture, estimated from N samples as -(1/N) sum_i log p(x_i) with the
 * standard error sd(log p) / sqrt(N) (docs/monte-carlo.md).  C++ programs use diaggauss/mc.hpp, which wraps these
 * functions and throws diaggauss::Error.  The conventions of diaggauss.h hold: every function returns a status,
 * writes nothing on error, names the bad argument in dg_last_error(), and never lets a C++ exception out.
 *
 * Reproducible at any scale: the sample range is cut into chunks of DG_MC_CHUNK_POINTS points (independent of the
 * number of threads or processes); point i is index i of stream 0 of the seed (dg_sample_gmm_f64).  Each chunk's
 * partial sums are computed alone and combined in chunk order, so the estimate is bit-identical for any number of
 * threads, and for any split of the chunk range between processes (compute each range with dg_mc_chunk_sums_f64,
 * gather the sums in chunk order, then dg_mc_combine_f64).  The numbers depend on the seed, the model, the path and
 * the implementation the dispatcher runs (as for dg_gmm_logpdf_f64).
 */
#ifndef DIAGGAUSS_MC_H
#define DIAGGAUSS_MC_H

#include "diaggauss/diaggauss.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Points per chunk: the unit of reproducibility (part of the estimate's definition; it never changes within a
 * random-stream version). */
#define DG_MC_CHUNK_POINTS 16384
/* The largest sample count: 2^53, so that the count stays exact in a double. */
#define DG_MC_MAX_SAMPLES (((uint64_t)1) << 53)

/* How log p(x) is evaluated (the samples are the same on every path). */
enum dg_mc_path {
  DG_MC_SIMD = 0,     /* dg_gmm_logpdf_f64: the dispatched SIMD kernels, on blocks of points */
  DG_MC_DIAGONAL = 1, /* the scalar reference kernel: reciprocal once, then multiplications */
  DG_MC_GENERIC = 2   /* what a generic code does: per point and component, a dense LU solve of the full D x D
                         covariance with LAPACK's dgesv (dg_mc_config.dgesv; the library does not link LAPACK) */
};

/* LAPACK's dgesv_ (Fortran calling convention), e.g. `extern void dgesv_(...)` from -llapack. */
typedef void (*dg_dgesv_fn)(const int* n, const int* nrhs, double* a, const int* lda, int* ipiv, double* b,
                            const int* ldb, int* info);

/* One run.  The model follows the library's rules (diaggauss.h): weights as dg_normalize_weights_f64 accepts them
 * (weights that do not already sum to 1 within 2 * ncomp * DBL_EPSILON are divided by their sum first), means
 * finite, variances in [DBL_MIN, 1/DBL_MIN]. */
typedef struct dg_mc_config {
  size_t ncomp, dim;      /* K >= 1 components, D >= 1 dimensions */
  const double* weights;  /* K */
  const double* means;    /* K x D, row-major */
  const double* vars;     /* K x D, row-major */
  uint64_t seed;          /* of the samples */
  uint64_t samples;       /* N, 1 <= N <= DG_MC_MAX_SAMPLES */
  int path;               /* enum dg_mc_path */
  unsigned threads;       /* worker threads (the calling thread is one of them); 0: one per CPU.  When the system
                             refuses to create more, the ones created share the chunks (same estimate) */
  int pin_threads;        /* non-zero: each worker, the caller included, is pinned to its own CPU for the run when
                             the process may use at least `threads` CPUs; the caller's CPU set is restored after */
  dg_dgesv_fn dgesv;      /* DG_MC_GENERIC only (NULL otherwise is fine) */
} dg_mc_config;

/* A chunk's partial sums of log p(x_i) and log^2 p(x_i). */
typedef struct dg_mc_sums {
  double sum, sum_sq;
} dg_mc_sums;

/* Partial sums of chunks [first_chunk, last_chunk) (last_chunk <= ceil(samples / DG_MC_CHUNK_POINTS)) into
 * sums[0 .. last_chunk - first_chunk).  threads_started (optional) receives the number of workers that ran.
 * A library call that fails inside a worker (e.g. a bad DIAGGAUSS_ISA) stops every worker; its status and message
 * are returned. */
DG_API int dg_mc_chunk_sums_f64(const dg_mc_config* config, uint64_t first_chunk, uint64_t last_chunk, dg_mc_sums* sums,
                                unsigned* threads_started);
/* The estimate and its standard error from the sums of all ceil(samples / DG_MC_CHUNK_POINTS) chunks, combined in
 * chunk order.  std_error is 0 for samples == 1. */
DG_API int dg_mc_combine_f64(uint64_t samples, uint64_t nchunks, const dg_mc_sums* sums, double* estimate,
                             double* std_error);
/* The same estimate from running totals: total->sum = (((0 + sums[0].sum) + sums[1].sum) + ...) over every chunk
 * in chunk order, total->sum_sq likewise — the additions dg_mc_combine_f64 makes — so a run can be combined while
 * its chunk ranges are computed, in memory that does not grow with N (diaggauss/mc.hpp's entropy() does). */
DG_API int dg_mc_estimate_f64(uint64_t samples, const dg_mc_sums* total, double* estimate, double* std_error);
/* The documented random model of `diaggauss mc --seed S`: weights from uniforms in [0.5, 1.5) normalised, means
 * 3 N(0, 1), variances exp(U(-1.5, 1.5)), all drawn from the library's own generator (seed; uniforms from stream
 * 0xC0FFEE, normals from stream 0xC0FFEF), so the model depends on the seed alone (and, in its last bits, on the C
 * library's exp for the variances).  ncomp, dim >= 1;
 * weights: ncomp; means, vars: ncomp x dim. */
DG_API int dg_mc_random_mixture_f64(uint64_t seed, size_t ncomp, size_t dim, double* weights, double* means,
                                    double* vars);

#ifdef __cplusplus
}
#endif

#endif /* DIAGGAUSS_MC_H */
