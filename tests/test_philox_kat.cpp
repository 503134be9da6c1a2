// Philox4x32-10 against Random123's known-answer vectors (tests/data/philox4x32_10_kat.hpp), on the scalar oracle
// and on every implementation's raw-word kernel (the vectors are placed at the right block by choosing seed/stream).
#include "kernels/scalar/philox_scalar.hpp"
#include "tests/data/philox4x32_10_kat.hpp"
#include "tests/impl_fixture.hpp"

namespace diaggauss::test {
namespace {

using Kat = PhiloxKat;

TEST(PhiloxKat, ScalarMatchesRandom123Vectors) {
  for (const Kat& k : kPhilox4x32_10Kats) {
    const auto b = scalar::philox4x32_10(k.ctr[0], k.ctr[1], k.ctr[2], k.ctr[3], k.key[0], k.key[1]);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(b.w[i], k.out[i]) << "word " << i;
  }
}

class PhiloxKatImpl : public ImplTest {};

TEST_P(PhiloxKatImpl, RawWordsMatchVectors) {
  // Raw word indices are 64-bit, so blocks >= 2^62 are out of the word API's reach; those vectors are covered by
  // the scalar test above plus RawWordsBitExact (every implementation equals the scalar oracle near 2^64).
  int used = 0;
  for (const Kat& k : kPhilox4x32_10Kats) {
    if (k.ctr[1] >= 0x40000000u) continue;
    ++used;
    const std::uint64_t seed = k.key[0] | (std::uint64_t{k.key[1]} << 32);
    const std::uint64_t stream = k.ctr[2] | (std::uint64_t{k.ctr[3]} << 32);
    const std::uint64_t block = k.ctr[0] | (std::uint64_t{k.ctr[1]} << 32);
    // Words of `block` and a few around it, so vector lanes other than the first are exercised.
    std::uint32_t got[12];
    table().uniform_u32(seed, stream, 0, block * 4 - 4, 12, got);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(got[4 + i], k.out[i]) << "word " << i;
  }
  EXPECT_GE(used, 1);
}

DG_INSTANTIATE_ALL_IMPLS(PhiloxKatImpl);

}  // namespace
}  // namespace diaggauss::test
