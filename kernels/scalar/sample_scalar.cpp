// Scalar sampling kernels: the recipe of kernels/common/normal_recipe.hpp one block at a time.
#include <cmath>

#include "kernels/scalar/philox_scalar.hpp"
#include "kernels/scalar/scalar_kernels.hpp"

namespace diaggauss::scalar {

#include "kernels/common/count_above.inc"

void uniform_u32(std::uint64_t seed, std::uint64_t stream, std::uint64_t block_base, std::uint64_t offset,
                 std::size_t n, std::uint32_t* out) {
  for (std::size_t i = 0; i < n;) {
    const std::uint64_t word = offset + i;  // modulo 2^64: the stream's period is 2^64 words
    const PhiloxBlock b = philox_block(seed, stream, block_base | (word >> 2));
    for (unsigned k = static_cast<unsigned>(word & 3); k < 4 && i < n; ++k) out[i++] = b.w[k];
  }
}

template <>
void uniform<double>(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, double* out) {
  for (std::size_t i = 0; i < n;) {
    const std::uint64_t idx = offset + i;
    const PhiloxBlock b = philox_block(seed, stream, idx >> 1);
    for (unsigned k = static_cast<unsigned>(idx & 1); k < 2 && i < n; ++k)
      out[i++] = uniform_f64_from_words(b.w[2 * k], b.w[2 * k + 1]);
  }
}

template <>
void uniform<float>(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, float* out) {
  for (std::size_t i = 0; i < n;) {
    const std::uint64_t idx = offset + i;
    const PhiloxBlock b = philox_block(seed, stream, idx >> 2);
    for (unsigned k = static_cast<unsigned>(idx & 3); k < 4 && i < n; ++k) out[i++] = uniform_f32_from_word(b.w[k]);
  }
}

// Normals come in chunks of 64 (kernels/common/normal_recipe.hpp): each chunk the range touches is made whole and
// the needed part copied.
template <class T, class Chunk>
void normals_by_chunk(std::uint64_t offset, std::size_t n, T* out, Chunk chunk_of) {
  T chunk[64];
  for (std::size_t i = 0; i < n;) {
    const std::uint64_t idx = offset + i;  // modulo 2^64
    chunk_of(idx >> 6, chunk);
    for (unsigned k = static_cast<unsigned>(idx & 63); k < 64 && i < n; ++k) out[i++] = chunk[k];
  }
}

template <>
void normal<double>(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, double* out,
                    const Blocking&) {
  normals_by_chunk(offset, n, out, [&](std::uint64_t c, double* z) { normal_chunk_f64(seed, stream, c, z); });
}

template <>
void normal<float>(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, float* out,
                   const Blocking&) {
  normals_by_chunk(offset, n, out, [&](std::uint64_t c, float* z) { normal_chunk_f32(seed, stream, c, z); });
}

template <class T>
void scale_shift_rows(std::size_t npoints, std::size_t dim, const std::uint32_t* labels, const T* means,
                      const T* stddevs, T* inout) {
  for (std::size_t p = 0; p < npoints; ++p) {
    const std::size_t k = labels ? labels[p] : 0;
    const T* mu = means + k * dim;
    const T* sd = stddevs + k * dim;
    T* row = inout + p * dim;
    for (std::size_t j = 0; j < dim; ++j) row[j] = std::fma(sd[j], row[j], mu[j]);
  }
}

template void scale_shift_rows<float>(std::size_t, std::size_t, const std::uint32_t*, const float*, const float*,
                                      float*);
template void scale_shift_rows<double>(std::size_t, std::size_t, const std::uint32_t*, const double*, const double*,
                                       double*);

}  // namespace diaggauss::scalar
