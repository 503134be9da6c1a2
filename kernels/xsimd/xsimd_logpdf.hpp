// Log-densities.  Their contract is an error bound (tests compare with long double), so summation order is free;
// each term keeps the form t = diff * inv_var, acc = fma(t, diff, acc) (diff*diff first could overflow).
// Included inside a per-ISA namespace by xsimd_kernels.hpp.
#pragma once

// Transposed point tiles hold at most this many elements (16 KiB): with the components they meet, they stay in L1.
template <class T>
inline constexpr std::size_t kTileElems = 16384 / sizeof(T);
// Largest point tile (kBlockingParams' maximum), in points.
inline constexpr std::size_t kMaxPointTile = 1024;

// dst[j*stride + p] = src[p*ld + j0 + j] for p < rows, j < nj; lanes rows .. (rows rounded up to W) get 0 so
// that padded lanes compute harmless finite values that are never stored.
template <class A, class T>
inline void transpose_tile(const T* src, std::size_t rows, std::size_t ld, std::size_t j0, std::size_t nj, T* dst,
                           std::size_t stride) {
  constexpr std::size_t W = Vec<T, A>::size;
  for (std::size_t p = 0; p < rows; ++p) {
    const T* row = src + p * ld + j0;
    for (std::size_t j = 0; j < nj; ++j) dst[j * stride + p] = row[j];
  }
  const std::size_t padded = (rows + W - 1) / W * W;
  for (std::size_t p = rows; p < padded; ++p)
    for (std::size_t j = 0; j < nj; ++j) dst[j * stride + p] = T(0);
}

// Stores the first `lanes` lanes of v at out.
template <class T, class A>
inline void store_lanes(const Vec<T, A>& v, std::size_t lanes, T* out) {
  if (lanes == Vec<T, A>::size) {
    v.store_unaligned(out);
    return;
  }
  alignas(64) T tmp[Vec<T, A>::size];
  v.store_aligned(tmp);
  for (std::size_t l = 0; l < lanes; ++l) out[l] = tmp[l];
}

// sum_j (x[j]-mu[j])^2 * iv[j] of one long row (dim >= W): four accumulators against the fma latency, the
// tail with the same fma on scalars.
template <class A, class T>
inline T quad_form_row(std::size_t dim, const T* x, const T* mu, const T* iv) {
  using V = Vec<T, A>;
  constexpr std::size_t W = V::size;
  V acc[4] = {V(0), V(0), V(0), V(0)};
  std::size_t j = 0;
  for (; j + 4 * W <= dim; j += 4 * W)
    for (std::size_t u = 0; u < 4; ++u) {
      const std::size_t o = j + u * W;
      const V diff = V::load_unaligned(x + o) - V::load_unaligned(mu + o);
      const V t = diff * V::load_unaligned(iv + o);
      acc[u] = fmadd(t, diff, acc[u]);
    }
  for (; j + W <= dim; j += W) {
    const V diff = V::load_unaligned(x + j) - V::load_unaligned(mu + j);
    const V t = diff * V::load_unaligned(iv + j);
    acc[0] = fmadd(t, diff, acc[0]);
  }
  T sum = xsimd::hadd((acc[0] + acc[1]) + (acc[2] + acc[3]));
  for (; j < dim; ++j) {
    const T diff = x[j] - mu[j];
    const T t = diff * iv[j];
    sum = fmadd_scalar<A>(t, diff, sum);
  }
  return sum;
}

// acc[c] += sum_j (x_j - mu_c[j])^2 * iv_c[j] for NC components at once (independent chains hide the fma
// latency), x_j = the lanes' points at xt + j*stride (a transposed tile: one point per lane).
template <int NC, class A, class T>
inline void accumulate_components(Vec<T, A>* acc, const T* xt, std::size_t stride, std::size_t nj, const T* mu,
                                  const T* iv, std::size_t ld) {
  using V = Vec<T, A>;
  V a[NC];
  for (int c = 0; c < NC; ++c) a[c] = acc[c];
  for (std::size_t j = 0; j < nj; ++j) {
    const V x = V::load_aligned(xt + j * stride);
    for (int c = 0; c < NC; ++c) {
      const V diff = x - V(mu[c * ld + j]);
      const V t = diff * V(iv[c * ld + j]);
      a[c] = fmadd(t, diff, a[c]);
    }
  }
  for (int c = 0; c < NC; ++c) acc[c] = a[c];
}

template <class A, class T>
void diag_logpdf(std::size_t npoints, std::size_t dim, const T* X, const T* mean, const T* inv_var, T log_norm,
                 T* out, const Blocking&) {
  using V = Vec<T, A>;
  constexpr std::size_t W = V::size;
  if (dim >= W) {
    for (std::size_t p = 0; p < npoints; ++p)
      out[p] = log_norm - T(0.5) * quad_form_row<A>(dim, X + p * dim, mean, inv_var);
    return;
  }
  // Rows shorter than a vector: one point per lane, W points at a time through a small transposed block.
  alignas(64) T xt[W * W];
  for (std::size_t p0 = 0; p0 < npoints; p0 += W) {
    const std::size_t rows = npoints - p0 < W ? npoints - p0 : W;
    transpose_tile<A>(X + p0 * dim, rows, dim, 0, dim, xt, W);
    V acc(0);
    accumulate_components<1, A>(&acc, xt, W, dim, mean, inv_var, dim);
    store_lanes(V(log_norm) - V(0.5) * acc, rows, out + p0);
  }
}

// Mixture log-density, vectorized across points: a tile of points is transposed (one point per lane) and
// tested against comp_tile components at a time.  The log-sum-exp runs online per lane, rescaled once per
// component tile: m = running max, s = sum of exp(l - m) so far; both live per lane group across the tile.
template <class A, class T>
void gmm_logpdf(std::size_t npoints, std::size_t dim, std::size_t ncomp, const T* X, const T* log_norm,
                const T* log_weight, const T* means, const T* inv_vars, T* out, T* resp, const Blocking& blk) {
  using V = Vec<T, A>;
  constexpr std::size_t W = V::size;
  constexpr std::size_t kMaxCompTile = 64;
  constexpr T kNegInf = -std::numeric_limits<T>::infinity();

  // Points per tile: point_tile rounded to whole vectors, shrunk until the transposed tile fits kTileElems.
  // Rows too long for even one vector of points are transposed and summed in chunks of dimensions.
  std::size_t tile = blk.point_tile < kMaxPointTile ? blk.point_tile : kMaxPointTile;
  tile = tile < W ? W : tile / W * W;
  std::size_t chunk = dim;
  if (tile * dim > kTileElems<T>) tile = kTileElems<T> / dim / W * W;
  if (tile < W) {
    tile = W;
    chunk = kTileElems<T> / W;
  }
  const bool chunked = chunk < dim;
  const std::size_t comp_tile =
      blk.comp_tile < 1 ? 1 : (blk.comp_tile > kMaxCompTile ? kMaxCompTile : std::size_t(blk.comp_tile));

  DG_NOTE_BLOCKING(kPointTileParam, tile);
  DG_NOTE_BLOCKING(kCompTileParam, comp_tile);
  alignas(64) T xt[kTileElems<T>];
  V lse_max[kMaxPointTile / W], lse_sum[kMaxPointTile / W];
  V acc[kMaxCompTile];
  alignas(64) T lanes[W];

  for (std::size_t p0 = 0; p0 < npoints; p0 += tile) {
    const std::size_t pts = npoints - p0 < tile ? npoints - p0 : tile;
    const std::size_t groups = (pts + W - 1) / W;
    const std::size_t stride = chunked ? W : groups * W;
    if (!chunked) transpose_tile<A>(X + p0 * dim, pts, dim, 0, dim, xt, stride);
    for (std::size_t g = 0; g < groups; ++g) {
      lse_max[g] = V(kNegInf);
      lse_sum[g] = V(0);
    }
    for (std::size_t k0 = 0; k0 < ncomp; k0 += comp_tile) {
      const std::size_t nk = ncomp - k0 < comp_tile ? ncomp - k0 : comp_tile;
      const T* mu = means + k0 * dim;
      const T* iv = inv_vars + k0 * dim;
      for (std::size_t g = 0; g < groups; ++g) {
        const std::size_t pg = p0 + g * W;  // first point of this lane group
        const std::size_t valid = pts - g * W < W ? pts - g * W : W;
        for (std::size_t c = 0; c < nk; ++c) acc[c] = V(0);
        for (std::size_t j0 = 0; j0 < dim; j0 += chunk) {
          const std::size_t nj = dim - j0 < chunk ? dim - j0 : chunk;
          if (chunked) transpose_tile<A>(X + pg * dim, valid, dim, j0, nj, xt, W);
          const T* xg = chunked ? xt : xt + g * W;
          std::size_t c = 0;
          for (; c + 4 <= nk; c += 4)
            accumulate_components<4, A>(acc + c, xg, stride, nj, mu + c * dim + j0, iv + c * dim + j0, dim);
          for (; c + 2 <= nk; c += 2)
            accumulate_components<2, A>(acc + c, xg, stride, nj, mu + c * dim + j0, iv + c * dim + j0, dim);
          for (; c < nk; ++c)
            accumulate_components<1, A>(acc + c, xg, stride, nj, mu + c * dim + j0, iv + c * dim + j0, dim);
        }
        // acc[c] becomes l = log_weight + c_k; resp gets c_k.
        V tile_max(kNegInf);
        for (std::size_t c = 0; c < nk; ++c) {
          const std::size_t k = k0 + c;
          const V ck = V(log_norm[k]) - V(0.5) * acc[c];
          if (resp) {
            ck.store_aligned(lanes);
            for (std::size_t l = 0; l < valid; ++l) resp[(pg + l) * ncomp + k] = lanes[l];
          }
          acc[c] = V(log_weight[k]) + ck;
          tile_max = xsimd::max(tile_max, acc[c]);
        }
        const V m = xsimd::max(lse_max[g], tile_max);
        // While every l so far is -inf, shift by 0 instead of m: exp(-inf - 0) = 0 keeps s at 0, not NaN.
        const V shift = xsimd::select(m == V(kNegInf), V(0), m);
        V s = lse_sum[g] * recipe_exp(lse_max[g] - shift);
        for (std::size_t c = 0; c < nk; ++c) s += recipe_exp(acc[c] - shift);
        lse_max[g] = m;
        lse_sum[g] = s;
      }
    }
    for (std::size_t g = 0; g < groups; ++g) {
      const std::size_t valid = pts - g * W < W ? pts - g * W : W;
      // s is in [1, ncomp] where m is finite; m = -inf means every weighted term is zero.
      const V r = xsimd::select(lse_max[g] == V(kNegInf), V(kNegInf), lse_max[g] + recipe_log(lse_sum[g]));
      store_lanes(r, valid, out + p0 + g * W);
    }
  }
}
