// Long-double reference of the diagonal Gaussian log-density, shared by the kernel tests and the corner-case tests
// (one definition, so a fix to the oracle reaches both).
#pragma once

#include <cmath>
#include <cstddef>

namespace diaggauss::test {

// log(2*pi) to long double precision.
constexpr long double kLog2PiL = 1.837877066409345483560659472811235279722794947275566825634L;

// log N(x; mu, diag(var)) evaluated in long double.
template <class T>
long double ref_component(std::size_t dim, const T* x, const T* mu, const T* var) {
  long double s = dim * kLog2PiL;
  for (std::size_t j = 0; j < dim; ++j) {
    const long double diff = (long double)x[j] - (long double)mu[j];
    s += std::log((long double)var[j]) + diff * diff / (long double)var[j];
  }
  return -0.5L * s;
}

}  // namespace diaggauss::test
