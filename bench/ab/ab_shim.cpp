// One side of the A/B sampler harness (bench/ab/ab_normal.sh): compiled once per variant with
// -Ddiaggauss=<ns> (so two builds of the same kernel file link side by side) and -DAB_SIDE=A|B, it exposes the
// variant's normal kernels under plain C names.  AB_ISA names the kernel namespace (avx2, sse4, ...).
#include <cstddef>
#include <cstdint>

#include "kernels/common/blocking.hpp"

#define AB_CAT2(a, b) a##b
#define AB_CAT(a, b) AB_CAT2(a, b)

namespace diaggauss::AB_ISA {
template <class T>
void normal(std::uint64_t, std::uint64_t, std::uint64_t, std::size_t, T*, const Blocking&);
}

extern "C" void AB_CAT(ab_normal_f64_, AB_SIDE)(std::uint64_t seed, std::uint64_t offset, std::size_t n, double* out,
                                                unsigned ilv) {
  diaggauss::Blocking b;
  b.philox_ilv = ilv;
  diaggauss::AB_ISA::normal<double>(seed, 0, offset, n, out, b);
}
extern "C" void AB_CAT(ab_normal_f32_, AB_SIDE)(std::uint64_t seed, std::uint64_t offset, std::size_t n, float* out,
                                                unsigned ilv) {
  diaggauss::Blocking b;
  b.philox_ilv = ilv;
  diaggauss::AB_ISA::normal<float>(seed, 0, offset, n, out, b);
}
