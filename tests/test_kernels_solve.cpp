// Solve-family kernels on every implementation: bit-identical to the scalar oracle, every size from 0 to past
// three of the widest vectors (and a few past sixteen), every misalignment, with guard zones around outputs.
#include <cmath>
#include <limits>

#include "tests/impl_fixture.hpp"
#include "tests/test_util.hpp"

namespace diaggauss::test {
namespace {

class SolveKernelTest : public ImplTest {
 protected:
  template <class T>
  const SolveKernels<T>& k(const KernelTable& t) const {
    if constexpr (sizeof(T) == 8) return t.solve64; else return t.solve32;
  }

  template <class T>
  void check_elementwise() {
    std::mt19937_64 rng(42);
    const SolveKernels<T>& impl = k<T>(table());
    const SolveKernels<T>& ref = k<T>(oracle());
    std::vector<std::size_t> sizes;
    for (std::size_t n = 0; n <= 3 * kWidest<T> + 1; ++n) sizes.push_back(n);
    // Past the size from which avx512 and avx2 align their stores (16 vectors; elementwise_line_aligned in
    // kernels/avx512/simd_avx512.hpp, map_aligned_stores in kernels/avx2/simd_avx2.hpp): the first vector done
    // unaligned, the rest restarted at the boundary, for every misalignment and in place.
    for (std::size_t n : {16 * kWidest<T> - 1, 16 * kWidest<T>, 16 * kWidest<T> + kWidest<T> / 2 + 3, 40 * kWidest<T> + 5})
      sizes.push_back(n);
    for (std::size_t n : sizes) {
      for (std::size_t mis = 0; mis < kWidest<T>; ++mis) {
        SCOPED_TRACE(testing::Message() << "n=" << n << " misalign=" << mis);
        GuardedBuffer<T> d(n, mis), b(n, (mis + 1) % kWidest<T>), x(n, (mis + 3) % kWidest<T>);
        std::vector<T> want(n);
        fill_nonzero(d.data(), n, rng);
        fill_uniform(b.data(), n, rng, -1e3, 1e3);
        if (n > 2) b[n / 2] = std::numeric_limits<T>::quiet_NaN();  // data, not an error: propagates
        ref.solve_diag(n, d.data(), b.data(), want.data());
        impl.solve_diag(n, d.data(), b.data(), x.data());
        DG_EXPECT_BITS_EQ(x.data(), want.data(), n);
        EXPECT_TRUE(x.guards_intact());
        ref.reciprocal(n, d.data(), want.data());
        impl.reciprocal(n, d.data(), x.data());
        DG_EXPECT_BITS_EQ(x.data(), want.data(), n);
        EXPECT_TRUE(x.guards_intact());
        ref.solve_diag_inv(n, d.data(), b.data(), want.data());
        impl.solve_diag_inv(n, d.data(), b.data(), x.data());
        DG_EXPECT_BITS_EQ(x.data(), want.data(), n);
        EXPECT_TRUE(x.guards_intact());
        // In place: x == b.
        ref.solve_diag(n, d.data(), b.data(), want.data());
        impl.solve_diag(n, d.data(), b.data(), b.data());
        DG_EXPECT_BITS_EQ(b.data(), want.data(), n);
        EXPECT_TRUE(b.guards_intact());
      }
    }
  }

  template <class T>
  void check_find_bad() {
    const SolveKernels<T>& impl = k<T>(table());
    std::mt19937_64 rng(7);
    const T bad_values[] = {T(0), -T(0), std::numeric_limits<T>::infinity(), -std::numeric_limits<T>::infinity(),
                            std::numeric_limits<T>::quiet_NaN()};
    std::vector<std::size_t> sizes;
    for (std::size_t n = 0; n <= 3 * kWidest<T> + 1; ++n) sizes.push_back(n);
    // Past the unrolled scans' blocks too (avx2 tests 8 vectors per branch: 32 doubles, 64 floats).
    for (std::size_t n : {8 * kWidest<T> - 1, 8 * kWidest<T>, 8 * kWidest<T> + 5, 16 * kWidest<T> + 3}) sizes.push_back(n);
    for (std::size_t n : sizes) {
      for (std::size_t mis = 0; mis < kWidest<T>; mis += 3) {
        GuardedBuffer<T> d(n, mis);
        fill_nonzero(d.data(), n, rng);
        ASSERT_EQ(impl.find_bad_diag(n, d.data()), n) << "n=" << n;
        for (std::size_t pos = 0; pos < n; ++pos) {
          for (T bad : bad_values) {
            const T saved = d[pos];
            d[pos] = bad;
            if (pos + 1 < n) d[n - 1] = T(0);  // a later bad entry must not be reported first
            EXPECT_EQ(impl.find_bad_diag(n, d.data()), pos) << "n=" << n << " pos=" << pos << " bad=" << bad;
            d[pos] = saved;
            if (pos + 1 < n) d[n - 1] = T(1.5);
          }
        }
      }
    }
  }

  template <class T>
  void check_multi() {
    std::mt19937_64 rng(11);
    const SolveKernels<T>& impl = k<T>(table());
    const SolveKernels<T>& ref = k<T>(oracle());
    for (std::size_t n : {0, 1, 2, 3, 7, 17}) {
      for (std::size_t nrhs = 0; nrhs <= 3 * kWidest<T> + 1; ++nrhs) {
        for (std::size_t extra : {0, 1, 5}) {
          {
            SCOPED_TRACE(testing::Message() << "n=" << n << " nrhs=" << nrhs << " extra=" << extra);
            const std::size_t ldb = nrhs + extra, ldx = nrhs + (extra ? extra + 2 : 0);
            std::vector<T> d(n), B(n * ldb + 1), want(n * ldx + 1, T(-7));
            GuardedBuffer<T> X(n * ldx, extra % 4);
            fill_nonzero(d.data(), n, rng);
            fill_uniform(B.data(), B.size(), rng, -10, 10);
            for (std::size_t i = 0; i < n * ldx; ++i) X[i] = T(-7);
            ref.solve_diag_multi(n, nrhs, d.data(), B.data(), ldb, want.data(), ldx);
            impl.solve_diag_multi(n, nrhs, d.data(), B.data(), ldb, X.data(), ldx);
            DG_EXPECT_BITS_EQ(X.data(), want.data(), n * ldx);  // padding columns untouched (-7) too
            EXPECT_TRUE(X.guards_intact());
          }
        }
      }
    }
  }

  template <class T>
  void check_whiten() {
    std::mt19937_64 rng(13);
    const SolveKernels<T>& impl = k<T>(table());
    const SolveKernels<T>& ref = k<T>(oracle());
    for (std::size_t dim = 0; dim <= 2 * kWidest<T> + 1; ++dim) {
      for (std::size_t np : {0, 1, 3, 9}) {
        SCOPED_TRACE(testing::Message() << "dim=" << dim << " npoints=" << np);
        std::vector<T> mean(dim), sd(dim), want(np * dim);
        fill_uniform(mean.data(), dim, rng, -5, 5);
        fill_uniform(sd.data(), dim, rng, 0.01, 30);
        GuardedBuffer<T> X(np * dim, dim % 5), Z(np * dim, (dim + 2) % 7);
        fill_uniform(X.data(), np * dim, rng, -50, 50);
        ref.whiten(np, dim, X.data(), mean.data(), sd.data(), want.data());
        impl.whiten(np, dim, X.data(), mean.data(), sd.data(), Z.data());
        DG_EXPECT_BITS_EQ(Z.data(), want.data(), np * dim);
        EXPECT_TRUE(Z.guards_intact());
        impl.whiten(np, dim, X.data(), mean.data(), sd.data(), X.data());  // in place
        DG_EXPECT_BITS_EQ(X.data(), want.data(), np * dim);
      }
    }
  }
};

TEST_P(SolveKernelTest, ElementwiseF64BitExact) { check_elementwise<double>(); }
TEST_P(SolveKernelTest, ElementwiseF32BitExact) { check_elementwise<float>(); }
TEST_P(SolveKernelTest, FindBadDiagF64) { check_find_bad<double>(); }
TEST_P(SolveKernelTest, FindBadDiagF32) { check_find_bad<float>(); }
TEST_P(SolveKernelTest, MultiRhsF64BitExact) { check_multi<double>(); }
TEST_P(SolveKernelTest, MultiRhsF32BitExact) { check_multi<float>(); }
TEST_P(SolveKernelTest, WhitenF64BitExact) { check_whiten<double>(); }
TEST_P(SolveKernelTest, WhitenF32BitExact) { check_whiten<float>(); }

DG_INSTANTIATE_ALL_IMPLS(SolveKernelTest);

}  // namespace
}  // namespace diaggauss::test
