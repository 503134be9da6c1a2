// The raw-word stream is cuRAND's: dg_uniform_u32(seed, stream, offset) returns the words of
// curand_init(seed, subsequence = stream, offset) on curandStatePhilox4_32_10_t.  Known answers measured on an
// NVIDIA H200 (tests/data/curand-philox-raw-words.txt, which cites its source), checked through the C API and on
// every implementation's raw-word kernel, one of them at a mid-block offset and one with subsequence 2^40 + 1.
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "diaggauss/diaggauss.h"
#include "tests/impl_fixture.hpp"
#include "tests/test_util.hpp"

namespace diaggauss::test {
namespace {

struct CurandCase {
  std::uint64_t seed, subsequence, offset;
  std::uint32_t words[2];
};

std::vector<CurandCase> load_cases() {
  std::ifstream f(test_data_dir() + "/curand-philox-raw-words.txt");
  std::vector<CurandCase> v;
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream is(line);
    CurandCase c;
    is >> c.seed >> c.subsequence >> c.offset >> std::hex >> c.words[0] >> c.words[1];
    if (is) v.push_back(c);
  }
  return v;
}

TEST(CurandRawWords, CApiEqualsCurandWords) {
  const auto cases = load_cases();
  ASSERT_EQ(cases.size(), 4u) << "known-answer file missing or malformed under " << test_data_dir();
  for (const CurandCase& c : cases) {
    std::uint32_t got[2] = {0, 0};
    ASSERT_EQ(dg_uniform_u32(c.seed, c.subsequence, c.offset, 2, got), DG_OK);
    EXPECT_EQ(got[0], c.words[0]) << "seed " << c.seed << " subsequence " << c.subsequence << " offset " << c.offset;
    EXPECT_EQ(got[1], c.words[1]) << "seed " << c.seed << " subsequence " << c.subsequence << " offset " << c.offset;
  }
}

class CurandRawWordsImpl : public ImplTest {};

TEST_P(CurandRawWordsImpl, KernelEqualsCurandWords) {
  const auto cases = load_cases();
  ASSERT_EQ(cases.size(), 4u);
  for (const CurandCase& c : cases) {
    // The two words and 30 after them, so the vector paths (not only the partial-block head) are exercised:
    // the two known words must come out the same at the start of a longer call.
    std::uint32_t got[32];
    table().uniform_u32(c.seed, c.subsequence, 0, c.offset, 32, got);
    EXPECT_EQ(got[0], c.words[0]) << "offset " << c.offset;
    EXPECT_EQ(got[1], c.words[1]) << "offset " << c.offset;
    // And when the known words sit in the middle of a call that starts earlier.
    if (c.offset >= 21) {
      table().uniform_u32(c.seed, c.subsequence, 0, c.offset - 21, 32, got);
      EXPECT_EQ(got[21], c.words[0]) << "offset " << c.offset << " - 21";
      EXPECT_EQ(got[22], c.words[1]) << "offset " << c.offset << " - 21";
    }
  }
}

DG_INSTANTIATE_ALL_IMPLS(CurandRawWordsImpl);

}  // namespace
}  // namespace diaggauss::test
