// BLAS / LAPACK anchors (OpenBLAS + LAPACKE, single-threaded for a like-for-like comparison with our
// single-threaded kernels):
//   BM_solve_diag/lib/lapack_dgesv/f64/<n>   the generic dense solve of the numpy story, np.linalg.solve(np.diag(d), b):
//                                            build the dense n x n matrix from d, then LAPACKE_dgesv (LU with
//                                            partial pivoting).  n = 2 .. 64.
//   BM_gmm_logpdf/lib/openblas_gemm/<dtype>/N.._K.._D..   scikit-learn's formulation of the diagonal mixture
//                                            log-density: sum x^2/var - 2 x.(mu/var) + sum mu^2/var as two GEMMs
//                                            (X^2 @ prec^T, X @ (mu*prec)^T), then a log-sum-exp per point.
#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "bench/bench_common.hpp"

namespace dgbench {
namespace {

void gemm(std::size_t M, std::size_t N, std::size_t K, double alpha, const double* A, const double* B, double beta,
          double* C) {
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)M, (int)N, (int)K, alpha, A, (int)K, B, (int)K, beta, C,
              (int)N);
}
void gemm(std::size_t M, std::size_t N, std::size_t K, float alpha, const float* A, const float* B, float beta,
          float* C) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)M, (int)N, (int)K, alpha, A, (int)K, B, (int)K, beta, C,
              (int)N);
}

template <class T>
void bm_gemm_gmm(benchmark::State& st, GmmShape g) {
  const std::size_t N = g.N, K = g.K, D = g.D;
  const T* X = pool<T>(kData, N * D);
  const T* means = pool<T>(kParamA, K * D);
  const T* vars = pool<T>(kParamB, K * D);
  T* out = pool<T>(kOut, N);
  const std::vector<T> w(K, T(1) / static_cast<T>(K));
  std::vector<T> X2(N * D), L(N * K), prec(K * D), mp(K * D), c(K), lw(K), ln(K), l(K);
  for (auto _ : st) {
    // Per-component terms (as sklearn recomputes them per call).
    for (std::size_t k = 0; k < K; ++k) {
      T s = 0, logdet = 0;
      for (std::size_t j = 0; j < D; ++j) {
        const T p = T(1) / vars[k * D + j];
        prec[k * D + j] = p;
        mp[k * D + j] = means[k * D + j] * p;
        s += means[k * D + j] * means[k * D + j] * p;
        logdet += std::log(vars[k * D + j]);
      }
      c[k] = s;
      ln[k] = T(-0.5) * (static_cast<T>(D) * T(1.8378770664093454836) + logdet);
      lw[k] = std::log(w[k]);
    }
    for (std::size_t i = 0; i < N * D; ++i) X2[i] = X[i] * X[i];
    gemm(N, K, D, T(-2), X, mp.data(), T(0), L.data());
    gemm(N, K, D, T(1), X2.data(), prec.data(), T(1), L.data());
    for (std::size_t p = 0; p < N; ++p) {
      T m = -std::numeric_limits<T>::infinity();
      for (std::size_t k = 0; k < K; ++k) {
        l[k] = lw[k] + ln[k] - T(0.5) * (c[k] + L[p * K + k]);
        m = std::max(m, l[k]);
      }
      T s = 0;
      for (std::size_t k = 0; k < K; ++k) s += std::exp(l[k] - m);
      out[p] = m + std::log(s);
    }
    benchmark::ClobberMemory();
  }
  set_counters(st, Costs<T>::gmm_logpdf(g));
}

void bm_dgesv(benchmark::State& st, std::size_t n) {
  const double* d = pool<double>(kDiag, n);
  const double* b = pool<double>(kData, n);
  std::vector<double> A(n * n), x(n);
  std::vector<lapack_int> ipiv(n);
  for (auto _ : st) {
    std::memset(A.data(), 0, n * n * sizeof(double));  // np.diag(d)
    for (std::size_t i = 0; i < n; ++i) A[i * n + i] = d[i];
    std::memcpy(x.data(), b, n * sizeof(double));
    const lapack_int info = LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)n, 1, A.data(), (lapack_int)n, ipiv.data(),
                                          x.data(), 1);
    benchmark::DoNotOptimize(info);
    benchmark::ClobberMemory();
  }
  Cost c = Costs<double>::solve_diag(n);
  c.footprint = 8.0 * (n * n + 2 * n);
  set_counters(st, c);
}

}  // namespace

void register_blas_benchmarks() {
#if DG_BENCH_OPENBLAS
  openblas_set_num_threads(1);
#endif
  for (std::size_t n : config().small_sizes) {
    if (n < 2) continue;
    benchmark::RegisterBenchmark(bm_name("solve_diag", "lib", "lapack_dgesv", "f64", std::to_string(n)).c_str(),
                                 [n](benchmark::State& st) { bm_dgesv(st, n); });
  }
  for (const GmmShape& g : config().gmm) {
    benchmark::RegisterBenchmark(bm_name("gmm_logpdf", "lib", "openblas_gemm", "f64", gmm_size_name(g)).c_str(),
                                 [g](benchmark::State& st) { bm_gemm_gmm<double>(st, g); });
    benchmark::RegisterBenchmark(bm_name("gmm_logpdf", "lib", "openblas_gemm", "f32", gmm_size_name(g)).c_str(),
                                 [g](benchmark::State& st) { bm_gemm_gmm<float>(st, g); });
  }
}

}  // namespace dgbench
