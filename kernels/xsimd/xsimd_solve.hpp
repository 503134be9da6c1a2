// Diagonal-solve family: the scalar oracle's IEEE operations, element for element, so the results are
// bit-identical; vectors only change how many elements one instruction handles.
// Included inside a per-ISA namespace by xsimd_kernels.hpp.
#pragma once

// out[i] = op(in[i]...) for i < n: four vectors per step, then one, then scalars.  op is a generic lambda, so the
// tail runs the very same IEEE operation on scalars.  Loads of a step precede its stores: out may equal an input.
template <class A, class T, class Op, class... In>
inline void map(std::size_t n, T* out, Op op, const In*... in) {
  using V = Vec<T, A>;
  constexpr std::size_t W = V::size;
  std::size_t i = 0;
  for (; i + 4 * W <= n; i += 4 * W) {
    V r[4];
    for (std::size_t u = 0; u < 4; ++u) r[u] = op(V::load_unaligned(in + i + u * W)...);
    for (std::size_t u = 0; u < 4; ++u) r[u].store_unaligned(out + i + u * W);
  }
  for (; i + W <= n; i += W) op(V::load_unaligned(in + i)...).store_unaligned(out + i);
  for (; i < n; ++i) out[i] = op(in[i]...);
}

// Usable diagonal entry: nonzero and finite (v - v is 0 for finite v, NaN for an infinity or NaN).
template <class T>
inline bool usable(T v) {
  return v != T(0) && v - v == T(0);
}
template <class T, class A>
inline xsimd::batch_bool<T, A> usable(const Vec<T, A>& v) {
  return (v != Vec<T, A>(0)) & (v - v == Vec<T, A>(0));
}

template <class A, class T>
std::size_t find_bad_diag(std::size_t n, const T* d) {
  using V = Vec<T, A>;
  constexpr std::size_t W = V::size;
  std::size_t i = 0;
  // One combined test per four vectors; a step that holds a bad entry ends the vector scan, and the scalar
  // loop below then finds the first bad index exactly.
  for (; i + 4 * W <= n; i += 4 * W) {
    const auto ok = (usable(V::load_unaligned(d + i)) & usable(V::load_unaligned(d + i + W))) &
                    (usable(V::load_unaligned(d + i + 2 * W)) & usable(V::load_unaligned(d + i + 3 * W)));
    if (!xsimd::all(ok)) break;
  }
  for (; i + W <= n; i += W)
    if (!xsimd::all(usable(V::load_unaligned(d + i)))) break;
  for (; i < n; ++i)
    if (!usable(d[i])) return i;
  return n;
}

template <class A, class T>
void solve_diag(std::size_t n, const T* d, const T* b, T* x) {
  map<A>(n, x, [](auto bi, auto di) { return quotient(bi, di); }, b, d);
}

template <class A, class T>
void reciprocal(std::size_t n, const T* d, T* inv) {
  map<A>(n, inv, [](auto di) { return quotient(decltype(di)(1), di); }, d);
}

template <class A, class T>
void solve_diag_inv(std::size_t n, const T* inv, const T* b, T* x) {
  map<A>(n, x, [](auto bi, auto vi) { return bi * vi; }, b, inv);
}

// No column tiling (the rhs_tile knob was removed in issue 16): each row of B is one contiguous stream read
// once, so column tiles have nothing to reuse.
template <class A, class T>
void solve_diag_multi(std::size_t n, std::size_t nrhs, const T* d, const T* B, std::size_t ldb, T* X,
                      std::size_t ldx) {
  using V = Vec<T, A>;
  constexpr std::size_t W = V::size;
  alignas(64) T inv[W];
  for (std::size_t i0 = 0; i0 < n; i0 += W) {
    const std::size_t rows = n - i0 < W ? n - i0 : W;
    // W reciprocals in one vector division (the same quotients T(1)/d[i]): short rows would otherwise wait
    // on one scalar division each.
    if (rows == W)
      quotient(V(1), V::load_unaligned(d + i0)).store_aligned(inv);
    else
      for (std::size_t r = 0; r < rows; ++r) inv[r] = T(1) / d[i0 + r];
    for (std::size_t r = 0; r < rows; ++r) {
      const T s = inv[r];
      const std::size_t i = i0 + r;
      map<A>(nrhs, X + i * ldx, [s](auto bij) { return bij * s; }, B + i * ldb);
    }
  }
}

template <class A, class T>
void whiten(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* stddev, T* Z) {
  using V = Vec<T, A>;
  constexpr std::size_t W = V::size;
  const auto op = [](auto x, auto m, auto s) { return quotient(x - m, s); };
  std::size_t p = 0;
  if (dim > 0 && dim < W) {
    // Short rows: W points are dim whole vectors, whose mean/stddev lanes repeat with period dim.  Precomputed
    // lane patterns let those vectors go through the vector path unchanged.
    alignas(64) T mpat[W * W], spat[W * W];
    for (std::size_t e = 0; e < dim * W; ++e) {
      mpat[e] = mean[e % dim];
      spat[e] = stddev[e % dim];
    }
    for (; p + W <= npoints; p += W)
      for (std::size_t v = 0; v < dim; ++v) {
        const std::size_t e = p * dim + v * W;
        op(V::load_unaligned(X + e), V::load_aligned(mpat + v * W), V::load_aligned(spat + v * W))
            .store_unaligned(Z + e);
      }
  }
  for (; p < npoints; ++p) map<A>(dim, Z + p * dim, op, X + p * dim, mean, stddev);
}
