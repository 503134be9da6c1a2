// Sampling kernels on every implementation: bit-identical to the scalar oracle (sse4: within a few ulp, it has
// no FMA), for offsets inside a block and a 64-output chunk, sizes past three vectors and two chunks, counters
// carrying into their high word inside a chunk, and offsets near 2^64.
#include <algorithm>
#include <cmath>

#include "kernels/common/normal_recipe.hpp"
#include "kernels/scalar/philox_scalar.hpp"
#include "tests/impl_fixture.hpp"
#include "tests/test_util.hpp"

namespace diaggauss::test {
namespace {

class SampleKernelTest : public ImplTest {
 protected:
  template <class T>
  const SampleKernels<T>& k(const KernelTable& t) const {
    if constexpr (sizeof(T) == 8) return t.sample64; else return t.sample32;
  }

  // Bit-exact where the ISA has FMA; otherwise within `ulps` units in the last place (relative to max(|ref|, 1)).
  template <class T>
  void expect_match(const T* got, const T* want, std::size_t n, int ulps) {
    if (fma_exact()) {
      DG_EXPECT_BITS_EQ(got, want, n);
      return;
    }
    for (std::size_t i = 0; i < n; ++i)
      ASSERT_LE(std::fabs((double)got[i] - (double)want[i]),
                ulps * std::numeric_limits<T>::epsilon() * std::max(1.0, std::fabs((double)want[i])))
          << "index " << i;
  }

  // count_above on n words drawn from `pool` (two in three) or at random, against its definition
  // (labels = always + #{j : word > t[j]}), the buffer `misalign` words off its alignment.
  void check_count_above(const std::vector<std::uint32_t>& t, const std::vector<std::uint32_t>& pool, std::size_t n,
                         std::uint32_t always, std::size_t misalign, std::mt19937_64& rng) {
    GuardedBuffer<std::uint32_t> got(n, misalign);
    std::vector<std::uint32_t> want(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t w = i % 3 == 0 ? static_cast<std::uint32_t>(rng()) : pool[rng() % pool.size()];
      got.data()[i] = w;
      want[i] = always;
      for (std::uint32_t x : t) want[i] += w > x ? 1u : 0u;
    }
    table().count_above(got.data(), n, always, t.data(), t.size());
    DG_EXPECT_BITS_EQ(got.data(), want.data(), n);
    ASSERT_TRUE(got.guards_intact());
  }

  template <class T>
  void check_uniform_and_normal() {
    const SampleKernels<T>& impl = k<T>(table());
    const SampleKernels<T>& ref = k<T>(oracle());
    // ... and chunks whose block numbers carry into the counter's high word inside a vector: double chunk c uses
    // blocks 24c .. 24c + 23 (24 * 178956970 = 2^32 - 16, 24 * 357913941 = 2^33 - 8), float chunk c blocks 16c ..
    // 16c + 15 (2^28 - 1: the last chunk below 2^32 blocks, then the first above).
    const std::uint64_t offsets[] = {0, 1, 2, 3, 4, 5, 7, 63, 1000003, ~std::uint64_t{0} - 40,
                                     (std::uint64_t{1} << 62) - 3, 64 * std::uint64_t{178956970} - 5, 64 * std::uint64_t{357913941} + 3,
                                     64 * ((std::uint64_t{1} << 28) - 1) + 1};
    // Past two vector widths and past two of the normals' 64-output chunks (stream v2's unit).
    const std::size_t max_n = std::max<std::size_t>(3 * kWidest<T> + 9, 2 * 64 + 9);
    for (std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{0x123456789abcdefull}}) {
      for (std::uint64_t off : offsets) {
        for (std::size_t n = 0; n <= max_n; ++n) {
          SCOPED_TRACE(testing::Message() << "seed=" << seed << " offset=" << off << " n=" << n);
          GuardedBuffer<T> got(n, n % kWidest<T>);
          std::vector<T> want(n);
          ref.uniform(seed, 5, off, n, want.data());
          impl.uniform(seed, 5, off, n, got.data());
          DG_EXPECT_BITS_EQ(got.data(), want.data(), n);  // integer -> float mapping: exact on every ISA
          EXPECT_TRUE(got.guards_intact());
          ref.normal(seed, 5, off, n, want.data(), blocking());
          impl.normal(seed, 5, off, n, got.data(), blocking());
          expect_match(got.data(), want.data(), n, 8);
          EXPECT_TRUE(got.guards_intact());
        }
      }
    }
  }

  template <class T>
  void check_long_normal_run() {
    // A long run crosses every chunk and interleave boundary of the vector loops.
    const std::size_t n = 100003;
    std::vector<T> want(n), got(n);
    for (std::uint32_t ilv : {1u, 2u, 4u}) {
      for (std::uint32_t chunk : {64u, 1024u, 16384u}) {
        Blocking b = blocking();
        b.philox_ilv = ilv;
        b.sample_chunk = chunk;
        k<T>(oracle()).normal(99, 3, 17, n, want.data(), b);
        k<T>(table()).normal(99, 3, 17, n, got.data(), b);
        expect_match(got.data(), want.data(), n, 8);
      }
    }
  }

  // The stream driver takes the whole groups left after its interleaved loop (fewer than the interleave) in one
  // pass of 1, 2 or 3 groups: every such count, at every interleave, after a head inside a chunk or none.
  template <class T>
  void check_group_remainders() {
    const SampleKernels<T>& impl = k<T>(table());
    const SampleKernels<T>& ref = k<T>(oracle());
    for (std::uint32_t ilv : {1u, 2u, 3u, 4u}) {
      Blocking b = blocking();
      b.philox_ilv = ilv;
      for (std::uint64_t off : {std::uint64_t{0}, std::uint64_t{17}, std::uint64_t{64 * 5}}) {
        for (std::size_t m = 0; m <= 9; ++m) {
          for (std::size_t r : {std::size_t{0}, std::size_t{1}, std::size_t{63}}) {
            const std::size_t n = 64 * m + r;
            SCOPED_TRACE(testing::Message() << "ilv=" << ilv << " offset=" << off << " n=" << n);
            GuardedBuffer<T> got(n, n % kWidest<T>);
            std::vector<T> want(n);
            ref.normal(3, 8, off, n, want.data(), b);
            impl.normal(3, 8, off, n, got.data(), b);
            expect_match(got.data(), want.data(), n, 8);
            ASSERT_TRUE(got.guards_intact());
          }
        }
      }
    }
    // The words and uniforms run at the implementation's fixed interleave: sizes up to four of the widest groups
    // (16 blocks) and more, so every remainder count comes up.
    for (std::uint64_t off : {std::uint64_t{0}, std::uint64_t{3}}) {
      for (std::size_t n = 0; n <= 4 * 64 + 70; ++n) {
        GuardedBuffer<T> got(n, n % kWidest<T>);
        std::vector<T> want(n);
        ref.uniform(4, 9, off, n, want.data());
        impl.uniform(4, 9, off, n, got.data());
        DG_EXPECT_BITS_EQ(got.data(), want.data(), n);
        GuardedBuffer<std::uint32_t> gw(n, n % 16);
        std::vector<std::uint32_t> ww(n);
        oracle().uniform_u32(4, 9, 0, off, n, ww.data());
        table().uniform_u32(4, 9, 0, off, n, gw.data());
        DG_EXPECT_BITS_EQ(gw.data(), ww.data(), n);
        ASSERT_TRUE(got.guards_intact() && gw.guards_intact());
      }
    }
  }

  template <class T>
  void check_scale_shift() {
    std::mt19937_64 rng(21);
    // Point counts around the half-vector rows' pairs and eight-row blocks (odd last rows included); every dim to
    // past two of the widest vectors, then rows of 5-9 vectors of every width (the two column blocks of rows of
    // 5-8 vectors, and the general loop after them).
    std::vector<std::size_t> dims;
    for (std::size_t dim = 0; dim <= 2 * kWidest<T> + 1; ++dim) dims.push_back(dim);
    for (std::size_t w : {std::size_t{2}, std::size_t{4}, std::size_t{8}, std::size_t{16}})
      for (std::size_t r = 5; r <= 9; ++r)
        if (w * r > 2 * kWidest<T> + 1) dims.push_back(w * r);
    for (const std::size_t dim : dims) {
      for (const std::size_t np : {0, 1, 2, 7, 9, 16, 17}) {
        for (bool with_labels : {false, true}) {
          SCOPED_TRACE(testing::Message() << "dim=" << dim << " np=" << np << " labels=" << with_labels);
          const std::size_t K = 3;
          std::vector<T> mu(K * dim), sd(K * dim), want(np * dim);
          std::vector<std::uint32_t> lab(np);
          for (auto& l : lab) l = rng() % K;
          fill_uniform(mu.data(), mu.size(), rng, -5, 5);
          fill_uniform(sd.data(), sd.size(), rng, 0, 4);
          GuardedBuffer<T> got(np * dim, dim % 3);
          fill_uniform(want.data(), want.size(), rng, -4, 4);
          std::copy(want.begin(), want.end(), got.data());
          const std::uint32_t* lp = with_labels ? lab.data() : nullptr;
          k<T>(oracle()).scale_shift_rows(np, dim, lp, mu.data(), sd.data(), want.data());
          k<T>(table()).scale_shift_rows(np, dim, lp, mu.data(), sd.data(), got.data());
          expect_match(got.data(), want.data(), np * dim, 2);
          EXPECT_TRUE(got.guards_intact());
        }
      }
    }
  }
};

// Both block bases: 0 (dg_uniform_u32) and the mixture's selection half of the block space, where the
// block number's top bit is set in every lane, also across the 2^64 wrap of the word index.
TEST_P(SampleKernelTest, RawWordsBitExact) {
  const std::uint64_t offsets[] = {0, 1, 2, 3, 5, ~std::uint64_t{0} - 20};
  for (std::uint64_t base : {std::uint64_t{0}, recipe::kSelectionBlockBase}) {
    for (std::uint64_t off : offsets) {
      for (std::size_t n = 0; n <= 70; ++n) {
        GuardedBuffer<std::uint32_t> got(n, n % 16);
        std::vector<std::uint32_t> want(n);
        oracle().uniform_u32(77, 1, base, off, n, want.data());
        table().uniform_u32(77, 1, base, off, n, got.data());
        DG_EXPECT_BITS_EQ(got.data(), want.data(), n);
        EXPECT_TRUE(got.guards_intact());
      }
    }
  }
}

// The selection words are Philox blocks 2^63 + P/4 by definition: check the scalar oracle against that too.
TEST(SelectionWords, OracleReadsTheSelectionBlocks) {
  std::uint32_t w[9];
  scalar::uniform_u32(5, 2, recipe::kSelectionBlockBase, 7, 9, w);
  for (std::uint64_t i = 0; i < 9; ++i) {
    const std::uint64_t P = 7 + i;
    EXPECT_EQ(w[i], scalar::philox_block(5, 2, recipe::kSelectionBlockBase + (P >> 2)).w[P & 3]);
  }
}
// The mixture's threshold count, compiled per ISA: every threshold count, words at and beside each threshold and at
// the ends of the range, lengths past two of the widest vectors, misaligned.
TEST_P(SampleKernelTest, CountAboveMatchesItsDefinition) {
  std::mt19937_64 rng(29);
  for (std::size_t nt = 0; nt <= kMaxCountThresholds; ++nt) {
    std::vector<std::uint32_t> t(nt);
    for (auto& x : t) x = static_cast<std::uint32_t>(rng());
    if (nt > 1) t[1] = 0xFFFFFFFFu;  // nothing is above it
    if (nt > 2) t[2] = 0;            // everything but 0 is
    std::vector<std::uint32_t> pool = {0u, 1u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFEu, 0xFFFFFFFFu};
    for (std::uint32_t x : t) pool.insert(pool.end(), {x - 1, x, x + 1});
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{33}, std::size_t{40},
                          std::size_t{1001}}) {
      for (std::uint32_t always : {0u, 2u}) {
        SCOPED_TRACE(testing::Message() << "nt=" << nt << " n=" << n << " always=" << always);
        check_count_above(t, pool, n, always, n % 16, rng);
      }
    }
  }
}

// The count as the selector calls it: sorted thresholds (AVX2 and AVX-512 then look the words up in bucket tables
// by their top 3 or 4 bits, count_above.inc).  Thresholds at, beside and between bucket edges of both widths,
// repeated ones (zero weights), two in one bucket (the tables refuse: the plain count), at 0 and 0xFFFFFFFF;
// words at and beside every threshold and edge; lengths around the vectors and the 256-word minimum.
TEST_P(SampleKernelTest, CountAboveSortedThresholds) {
  std::mt19937_64 rng(31);
  const auto edge = [](std::uint32_t b, int buckets) { return static_cast<std::uint32_t>(std::uint64_t{b} << (buckets == 8 ? 29 : 28)); };
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t nt = trial % (kMaxCountThresholds + 1);
    std::vector<std::uint32_t> t(nt);
    for (auto& x : t) {
      const std::uint32_t e = edge(static_cast<std::uint32_t>(rng() % 16), 16);
      switch (rng() % 5) {
        case 0: x = e; break;
        case 1: x = e - 1; break;
        case 2: x = e + 1; break;
        case 3: x = static_cast<std::uint32_t>(rng()); break;
        default: x = rng() % 2 ? 0xFFFFFFFFu : 0u; break;
      }
    }
    if (nt > 3 && trial % 3 == 0) t[3] = t[1];  // a repeated value
    std::sort(t.begin(), t.end());
    std::vector<std::uint32_t> pool = {0u, 1u, 0xFFFFFFFEu, 0xFFFFFFFFu};
    for (std::uint32_t x : t) pool.insert(pool.end(), {x - 1, x, x + 1});
    for (std::uint32_t b = 0; b < 16; ++b) pool.insert(pool.end(), {edge(b, 16) - 1, edge(b, 16), edge(b, 16) + 1});
    for (std::size_t n : {std::size_t{255}, std::size_t{256}, std::size_t{271}, std::size_t{300}}) {
      SCOPED_TRACE(testing::Message() << "trial=" << trial << " nt=" << nt << " n=" << n);
      check_count_above(t, pool, n, static_cast<std::uint32_t>(trial % 3), (n + trial) % 16, rng);
    }
  }
}

TEST_P(SampleKernelTest, UniformAndNormalF64) { check_uniform_and_normal<double>(); }
TEST_P(SampleKernelTest, UniformAndNormalF32) { check_uniform_and_normal<float>(); }
TEST_P(SampleKernelTest, LongNormalRunF64AnyBlocking) { check_long_normal_run<double>(); }
TEST_P(SampleKernelTest, LongNormalRunF32AnyBlocking) { check_long_normal_run<float>(); }
TEST_P(SampleKernelTest, GroupRemaindersF64) { check_group_remainders<double>(); }
TEST_P(SampleKernelTest, GroupRemaindersF32) { check_group_remainders<float>(); }
TEST_P(SampleKernelTest, ScaleShiftRowsF64) { check_scale_shift<double>(); }
TEST_P(SampleKernelTest, ScaleShiftRowsF32) { check_scale_shift<float>(); }

DG_INSTANTIATE_ALL_IMPLS(SampleKernelTest);

}  // namespace
}  // namespace diaggauss::test
