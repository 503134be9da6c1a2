// Eigen anchor: the same operations as Eigen array expressions (b.array() / d.array(), ...), compiled at the
// baseline ISA (SSE2 on x86-64) like a distribution-default build: Eigen's templates compiled with several ISA
// flags in one binary would be merged by the linker (docs/pitfalls.md, item 2), so there is one copy.
#include <Eigen/Core>

#include <cmath>
#include <string>

#include "bench/bench_common.hpp"

namespace dgbench {
namespace {

template <class T> using ArrayX = Eigen::Array<T, Eigen::Dynamic, 1>;
template <class T> using RowVec = Eigen::Array<T, 1, Eigen::Dynamic>;
template <class T> using ArrayRM = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

template <class T>
void register_eigen() {
  const Config& c = config();
  const std::string dt = dtype_name<T>();
  for (std::size_t n : c.sizes) {
    const std::string sz = std::to_string(n);
    benchmark::RegisterBenchmark(bm_name("solve_diag", "baseline", "eigen", dt, sz).c_str(), [n](benchmark::State& st) {
      Eigen::Map<const ArrayX<T>> d(pool<T>(kDiag, n), n), b(pool<T>(kData, n), n);
      Eigen::Map<ArrayX<T>> x(pool<T>(kOut, n), n);
      for (auto _ : st) {
        x = b / d;
        benchmark::ClobberMemory();
      }
      set_counters(st, Costs<T>::solve_diag(n));
    });
    benchmark::RegisterBenchmark(bm_name("reciprocal", "baseline", "eigen", dt, sz).c_str(), [n](benchmark::State& st) {
      Eigen::Map<const ArrayX<T>> d(pool<T>(kDiag, n), n);
      Eigen::Map<ArrayX<T>> x(pool<T>(kOut, n), n);
      for (auto _ : st) {
        x = d.inverse();
        benchmark::ClobberMemory();
      }
      set_counters(st, Costs<T>::reciprocal(n));
    });
    benchmark::RegisterBenchmark(bm_name("solve_diag_inv", "baseline", "eigen", dt, sz).c_str(),
                                 [n](benchmark::State& st) {
                                   Eigen::Map<const ArrayX<T>> v(pool<T>(kDiag, n), n), b(pool<T>(kData, n), n);
                                   Eigen::Map<ArrayX<T>> x(pool<T>(kOut, n), n);
                                   for (auto _ : st) {
                                     x = b * v;
                                     benchmark::ClobberMemory();
                                   }
                                   set_counters(st, Costs<T>::solve_diag_inv(n));
                                 });
    benchmark::RegisterBenchmark(bm_name("solve_diag_multi", "baseline", "eigen", dt, sz).c_str(),
                                 [n](benchmark::State& st) {
                                   const std::size_t r = config().multi_nrhs, rows = n / r;
                                   Eigen::Map<const ArrayX<T>> d(pool<T>(kDiag, rows), rows);
                                   Eigen::Map<const ArrayRM<T>> B(pool<T>(kData, rows * r), rows, r);
                                   Eigen::Map<ArrayRM<T>> X(pool<T>(kOut, rows * r), rows, r);
                                   for (auto _ : st) {
                                     X = B.colwise() * d.inverse();
                                     benchmark::ClobberMemory();
                                   }
                                   set_counters(st, Costs<T>::solve_diag_multi(rows * r, r));
                                 });
    benchmark::RegisterBenchmark(bm_name("whiten", "baseline", "eigen", dt, sz).c_str(), [n](benchmark::State& st) {
      const std::size_t dim = config().point_dim, np = n / dim;
      Eigen::Map<const ArrayRM<T>> X(pool<T>(kData, np * dim), np, dim);
      Eigen::Map<const RowVec<T>> mean(pool<T>(kParamA, dim), dim), sd(pool<T>(kParamB, dim), dim);
      Eigen::Map<ArrayRM<T>> Z(pool<T>(kOut, np * dim), np, dim);
      for (auto _ : st) {
        Z = (X.rowwise() - mean).rowwise() / sd;
        benchmark::ClobberMemory();
      }
      set_counters(st, Costs<T>::whiten(np * dim, dim));
    });
    benchmark::RegisterBenchmark(bm_name("diag_logpdf", "baseline", "eigen", dt, sz).c_str(),
                                 [n](benchmark::State& st) {
                                   const std::size_t dim = config().point_dim, np = n / dim;
                                   Eigen::Map<const ArrayRM<T>> X(pool<T>(kData, np * dim), np, dim);
                                   Eigen::Map<const RowVec<T>> mean(pool<T>(kParamA, dim), dim);
                                   const RowVec<T> inv = Eigen::Map<const RowVec<T>>(pool<T>(kParamB, dim), dim).inverse();
                                   T ln = static_cast<T>(-0.5 * dim * 1.8378770664093454836);
                                   for (std::size_t j = 0; j < dim; ++j) ln -= T(0.5) * std::log(T(1) / inv[j]);
                                   Eigen::Map<ArrayX<T>> out(pool<T>(kOut, np), np);
                                   for (auto _ : st) {
                                     out = ln - T(0.5) * ((X.rowwise() - mean).square().rowwise() * inv).rowwise().sum();
                                     benchmark::ClobberMemory();
                                   }
                                   set_counters(st, Costs<T>::diag_logpdf(np * dim, dim));
                                 });
  }
}

}  // namespace

void register_eigen_benchmarks() {
  register_eigen<double>();
  register_eigen<float>();
}

}  // namespace dgbench
