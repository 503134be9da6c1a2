// Log-densities on every implementation, through the public API with the implementation forced: accuracy
// against a long-double reference (|err| <= 1e-12 + 1e-13|value| for double), including huge and tiny variances
// and points far in the tails.
#include <cmath>
#include <limits>

#include "diaggauss/diaggauss.h"
#include "tests/impl_fixture.hpp"
#include "tests/logpdf_reference.hpp"
#include "tests/test_util.hpp"

namespace diaggauss::test {
namespace {

template <class T>
struct Tol;
template <>
struct Tol<double> {
  static constexpr double abs = 1e-12, rel = 1e-13;
};
template <>
struct Tol<float> {  // float kernels accumulate in float: the bound stated in diaggauss.h
  static constexpr double abs = 1e-4, rel = 2e-6;
};

class LogpdfTest : public ForcedImplTest {
 protected:
  void SetUp() override {
    ForcedImplTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_STREQ(dg_active("gmm_logpdf"), GetParam()->name);
  }

  template <class T>
  static int api_diag(std::size_t np, std::size_t dim, const T* X, const T* mu, const T* var, T* out) {
    if constexpr (sizeof(T) == 8) return dg_diag_logpdf_f64(np, dim, X, mu, var, out);
    else return dg_diag_logpdf_f32(np, dim, X, mu, var, out);
  }
  template <class T>
  static int api_gmm(std::size_t np, std::size_t dim, std::size_t K, const T* X, const T* w, const T* mu, const T* var,
                     T* out, T* resp) {
    if constexpr (sizeof(T) == 8) return dg_gmm_logpdf_f64(np, dim, K, X, w, mu, var, out, resp);
    else return dg_gmm_logpdf_f32(np, dim, K, X, w, mu, var, out, resp);
  }

  template <class T>
  static void expect_close(T got, long double want, const char* what, std::size_t p) {
    const double tol = Tol<T>::abs + Tol<T>::rel * std::fabs((double)want);
    ASSERT_TRUE(std::isfinite(got)) << what << "[" << p << "] = " << got << ", want " << (double)want;
    EXPECT_LE(std::fabs((long double)got - want), tol) << what << "[" << p << "] = " << got << " want " << (double)want;
  }

  template <class T>
  void check_diag() {
    std::mt19937_64 rng(3);
    const bool is_f64 = sizeof(T) == 8;
    for (std::size_t dim = 0; dim <= 2 * kWidest<T> + 1; ++dim) {
      for (int scenario = 0; scenario < 6; ++scenario) {
        // Point counts past two and three of the widest vectors: AVX-512 reads two vectors of points at a time,
        // then one, then the tail.
        const std::size_t np = scenario < 3 ? 2 * kWidest<T> + 3 : 3 * kWidest<T> + 1;
        std::vector<T> mu(dim), var(dim), X(np * dim + 1), out(np + 1);
        fill_uniform(mu.data(), dim, rng, -3, 3);
        std::uniform_real_distribution<double> lv(scenario % 3 == 1 ? (is_f64 ? -250 : -30) : -3,
                                                  scenario % 3 == 1 ? (is_f64 ? 250 : 30) : 3);
        for (auto& v : var) v = static_cast<T>(std::exp(lv(rng)));
        for (std::size_t p = 0; p < np; ++p)
          for (std::size_t j = 0; j < dim; ++j) {
            const double z = std::normal_distribution<double>(0, scenario % 3 == 2 ? 30 : 1)(rng);
            X[p * dim + j] = static_cast<T>(mu[j] + z * std::sqrt((double)var[j]));
          }
        ASSERT_EQ(api_diag<T>(np, dim, X.data(), mu.data(), var.data(), out.data()), DG_OK) << dg_last_error();
        for (std::size_t p = 0; p < np; ++p)
          expect_close(out[p], ref_component(dim, X.data() + p * dim, mu.data(), var.data()), "out", p);
      }
    }
  }

  template <class T>
  void check_gmm() {
    std::mt19937_64 rng(5);
    for (std::size_t K : {1, 2, 3, 5, 17, 40}) {
      for (std::size_t dim : {1, 2, 3, 4, 7, 8, 16, 17}) {
        SCOPED_TRACE(testing::Message() << "K=" << K << " dim=" << dim);
        const std::size_t np = 37;
        std::vector<T> w(K), mu(K * dim), var(K * dim), X(np * dim), out(np), resp(np * K);
        double s = 0;
        std::vector<double> wd(K);
        for (auto& v : wd) s += (v = std::uniform_real_distribution<double>(0.1, 1)(rng));
        if (K > 2) s -= wd[1], wd[1] = 0;  // a zero weight is allowed and never contributes
        for (std::size_t k = 0; k < K; ++k) w[k] = static_cast<T>(wd[k] / s);
        fill_uniform(mu.data(), K * dim, rng, -4, 4);
        for (auto& v : var) v = static_cast<T>(std::exp(std::uniform_real_distribution<double>(-2, 2)(rng)));
        fill_uniform(X.data(), np * dim, rng, -6, 6);
        for (std::size_t j = 0; j < dim; ++j) X[j] = static_cast<T>(sizeof(T) == 8 ? 1e5 : 3e2);  // far tail
        ASSERT_EQ(api_gmm<T>(np, dim, K, X.data(), w.data(), mu.data(), var.data(), out.data(), resp.data()), DG_OK)
            << dg_last_error();
        for (std::size_t p = 0; p < np; ++p) {
          std::vector<long double> l(K);
          long double m = -std::numeric_limits<long double>::infinity();
          for (std::size_t k = 0; k < K; ++k) {
            const long double c = ref_component(dim, X.data() + p * dim, mu.data() + k * dim, var.data() + k * dim);
            expect_close(resp[p * K + k], c, "resp", p * K + k);
            l[k] = std::log((long double)w[k]) + c;
            m = std::max(m, l[k]);
          }
          long double sum = 0;
          for (auto v : l) sum += std::exp(v - m);
          expect_close(out[p], m + std::log(sum), "out", p);
        }
      }
    }
  }
};

TEST_P(LogpdfTest, DiagF64WithinBound) { check_diag<double>(); }
TEST_P(LogpdfTest, DiagF32WithinBound) { check_diag<float>(); }
TEST_P(LogpdfTest, GmmF64WithinBound) { check_gmm<double>(); }
TEST_P(LogpdfTest, GmmF32WithinBound) { check_gmm<float>(); }

TEST_P(LogpdfTest, GmmBlockingDoesNotChangeResultsBeyondTolerance) {
  // Direct kernel calls with several tilings; results must agree to the stated tolerance.
  std::mt19937_64 rng(9);
  const std::size_t np = 131, dim = 5, K = 11;
  std::vector<double> X(np * dim), mu(K * dim), iv(K * dim), ln(K), lw(K), a(np), b(np);
  fill_uniform(X.data(), X.size(), rng, -3, 3);
  fill_uniform(mu.data(), mu.size(), rng, -3, 3);
  fill_uniform(iv.data(), iv.size(), rng, 0.2, 3);
  fill_uniform(ln.data(), K, rng, -5, -1);
  for (auto& v : lw) v = std::log(1.0 / K);
  Blocking b1 = blocking(), b2 = blocking();
  b1.point_tile = 8, b1.comp_tile = 1;
  b2.point_tile = 1024, b2.comp_tile = 64;
  table().logpdf64.gmm_logpdf(np, dim, K, X.data(), ln.data(), lw.data(), mu.data(), iv.data(), a.data(), nullptr, b1);
  table().logpdf64.gmm_logpdf(np, dim, K, X.data(), ln.data(), lw.data(), mu.data(), iv.data(), b.data(), nullptr, b2);
  for (std::size_t p = 0; p < np; ++p) EXPECT_NEAR(a[p], b[p], 1e-12 + 1e-13 * std::fabs(a[p]));
}

// The AVX-512 intrinsics read whole vectors of points by row transposes (two vectors per transpose for short rows)
// and the last partial vector by masked gathers, with the same operations per lane in the same order: a point
// must get the same bits wherever it sits.  Each point alone (np = 1: the gather path) against the same points in
// one call (every dim to past two vectors, counts around one and two vectors).
template <class T>
void expect_position_independent_bits(const KernelTable& impl, const Blocking& blk) {
  const LogpdfKernels<T>& k = logpdf_of<T>(impl);
  std::mt19937_64 rng(31);
  for (std::size_t dim = 1; dim <= 2 * kWidest<T> + 1; ++dim) {
    for (std::size_t np : {15, 16, 17, 32, 33, 49}) {
      SCOPED_TRACE(testing::Message() << "dim=" << dim << " np=" << np);
      const std::size_t K = 5;
      std::vector<T> X(np * dim), mu(K * dim), iv(K * dim), ln(K), lw(K), all(np), one(np);
      fill_uniform(X.data(), X.size(), rng, -3, 3);
      fill_uniform(mu.data(), mu.size(), rng, -3, 3);
      fill_uniform(iv.data(), iv.size(), rng, 0.2, 3);
      fill_uniform(ln.data(), K, rng, -5, -1);
      for (auto& v : lw) v = static_cast<T>(std::log(1.0 / K));
      k.diag_logpdf(np, dim, X.data(), mu.data(), iv.data(), ln[0], all.data(), blk);
      for (std::size_t p = 0; p < np; ++p)
        k.diag_logpdf(1, dim, X.data() + p * dim, mu.data(), iv.data(), ln[0], one.data() + p, blk);
      DG_EXPECT_BITS_EQ(all.data(), one.data(), np);
      k.gmm_logpdf(np, dim, K, X.data(), ln.data(), lw.data(), mu.data(), iv.data(), all.data(), nullptr, blk);
      for (std::size_t p = 0; p < np; ++p)
        k.gmm_logpdf(1, dim, K, X.data() + p * dim, ln.data(), lw.data(), mu.data(), iv.data(), one.data() + p,
                     nullptr, blk);
      DG_EXPECT_BITS_EQ(all.data(), one.data(), np);
    }
  }
}

// Not a per-implementation test: only avx512/intrinsics reads points both ways (and the qemu runs treat a skipped
// implementation test as a detection failure).
TEST(LogpdfBits, Avx512TransposedAndGatheredPointsGiveTheSameBits) {
  const detail::Implementation* impl = nullptr;
  for (const detail::Implementation* i : all_implementations())
    if (i->isa == detail::Isa::avx512 && i->family == detail::Family::intrinsics) impl = i;
  if (!impl) GTEST_SKIP() << "avx512/intrinsics is not compiled in";
  const std::string miss = detail::missing_features(impl->isa, detail::host_cpu());
  if (!miss.empty()) GTEST_SKIP() << "this CPU lacks " << miss;
  expect_position_independent_bits<double>(impl->table(), impl->defaults);
  expect_position_independent_bits<float>(impl->table(), impl->defaults);
}

DG_INSTANTIATE_ALL_IMPLS(LogpdfTest);

}  // namespace
}  // namespace diaggauss::test
