// AVX-512 diagonal-solve family.  Every result is one correctly rounded IEEE operation per element (or two, for
// whiten), the same operations as the scalar oracle, so the outputs are bit-identical to it.
#include "kernels/avx512/avx512_kernels.hpp"
#include "kernels/avx512/simd_avx512.hpp"

namespace diaggauss::avx512 {

template <class T>
std::size_t find_bad_diag(std::size_t n, const T* d) {
  using S = Simd<T>;
  constexpr std::size_t W = S::kLanes;
  std::size_t i = 0;
  // A bad entry is the rare case: only the OR of four vectors' masks is branched on.  The loop below both
  // locates the first bad entry of the block that had one and checks the tail (masked: nothing past n is read).
  for (; i + 4 * W <= n; i += 4 * W) {
    const auto bad = S::bad(S::load(d + i)) | S::bad(S::load(d + i + W)) | S::bad(S::load(d + i + 2 * W)) |
                     S::bad(S::load(d + i + 3 * W));
    if (bad) break;
  }
  for (; i < n; i += W) {
    const auto m = S::first(n - i);
    const auto bad = S::bad_tail(m, S::load_tail(d + i, m));
    if (bad) return i + static_cast<std::size_t>(__builtin_ctz(bad));
  }
  return n;
}

template <class T>
void solve_diag(std::size_t n, const T* d, const T* b, T* x) {
  using S = Simd<T>;
  elementwise_line_aligned(n, x, [](auto bv, auto dv) { return S::div(bv, dv); }, b, d);
}

template <class T>
void reciprocal(std::size_t n, const T* d, T* inv) {
  using S = Simd<T>;
  const auto one = S::set1(T(1));
  elementwise_line_aligned(n, inv, [one](auto dv) { return S::div(one, dv); }, d);
}

template <class T>
void solve_diag_inv(std::size_t n, const T* inv, const T* b, T* x) {
  using S = Simd<T>;
  elementwise_line_aligned(n, x, [](auto bv, auto iv) { return S::mul(bv, iv); }, b, inv);
}

template <class T>
void solve_diag_multi(std::size_t n, std::size_t nrhs, const T* d, const T* B, std::size_t ldb, T* X,
                      std::size_t ldx) {
  using S = Simd<T>;
  for (std::size_t i = 0; i < n; ++i) {
    const auto iv = S::set1(T(1) / d[i]);
    elementwise(nrhs, X + i * ldx, [iv](auto bv) { return S::mul(bv, iv); }, B + i * ldb);
  }
}

template <class T>
void whiten(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* stddev, T* Z) {
  using S = Simd<T>;
  rows_elementwise(npoints, dim, X, mean, stddev, Z,
                   [](auto x, auto m, auto sd) { return S::div(S::sub(x, m), sd); });
}

#define DG_AVX512_INSTANTIATE(T)                                                                                \
  template std::size_t find_bad_diag<T>(std::size_t, const T*);                                                \
  template void solve_diag<T>(std::size_t, const T*, const T*, T*);                                            \
  template void reciprocal<T>(std::size_t, const T*, T*);                                                      \
  template void solve_diag_inv<T>(std::size_t, const T*, const T*, T*);                                        \
  template void solve_diag_multi<T>(std::size_t, std::size_t, const T*, const T*, std::size_t, T*, std::size_t); \
  template void whiten<T>(std::size_t, std::size_t, const T*, const T*, const T*, T*);
DG_AVX512_INSTANTIATE(float)
DG_AVX512_INSTANTIATE(double)
#undef DG_AVX512_INSTANTIATE

}  // namespace diaggauss::avx512
