// Scalar sampling kernels: the recipe of kernels/common/normal_recipe.hpp one block at a time.
#include <cmath>

#include "kernels/scalar/philox_scalar.hpp"
#include "kernels/scalar/scalar_kernels.hpp"

namespace diaggauss::scalar {

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

template <>
void normal<double>(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, double* out,
                    const Blocking&) {
  for (std::size_t i = 0; i < n;) {
    const std::uint64_t idx = offset + i;
    double z[2];
    normals_f64(philox_block(seed, stream, idx >> 1), z);
    for (unsigned k = static_cast<unsigned>(idx & 1); k < 2 && i < n; ++k) out[i++] = z[k];
  }
}

template <>
void normal<float>(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::size_t n, float* out,
                   const Blocking&) {
  for (std::size_t i = 0; i < n;) {
    const std::uint64_t idx = offset + i;
    float z[4];
    normals_f32(philox_block(seed, stream, idx >> 2), z);
    for (unsigned k = static_cast<unsigned>(idx & 3); k < 4 && i < n; ++k) out[i++] = z[k];
  }
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
