// The stream API's traps (issue 13): a diaggauss::Stream must never hand two calls the same Philox block, whatever
// the element types drawn, and sample_diag / sample_gmm must refuse offsets whose normals would run past 2^64
// (where the index wraps and points would repeat earlier ones).  Each test here fails on the stream API of
// stream version 1 as first released (Stream counting elements; sample_gmm using P*dim mod 2^64).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <set>
#include <vector>

#include "diaggauss/diaggauss.h"
#include "diaggauss/diaggauss.hpp"

namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

// Angles of the Box-Muller pairs of a draw that starts on a chunk (random-stream version 2, docs/random-stream.md):
// in a chunk of 64, a double pair's cosine and sine are 8 apart (outputs 2p, 2p+1 of the lane's triple), a float
// pair's 16 apart.  A pair's angle comes from one word, so two draws that reuse a block show (nearly) equal angles.
template <class T>
std::vector<double> pair_angles(const std::vector<T>& z) {
  constexpr std::size_t apart = sizeof(T) == 8 ? 8 : 16;
  std::vector<double> a;
  for (std::size_t c = 0; c + 64 <= z.size(); c += 64)
    for (std::size_t i = 0; i < 64; ++i)
      if ((i / apart) % 2 == 0) a.push_back(std::atan2(double(z[c + i + apart]), double(z[c + i])));
  return a;
}

// The Philox blocks element i of each kind reads (docs/random-stream.md, version 2), written from the spec, not
// from the Stream class.
void add_blocks(char kind, std::uint64_t first, std::size_t n, std::set<std::uint64_t>& blocks) {
  for (std::uint64_t i = first; i < first + n; ++i) {
    if (kind == 'd') {  // double normal: triple t = 8 (i >> 6) + (i & 7), blocks 3t .. 3t + 2
      const std::uint64_t t = 8 * (i >> 6) + (i & 7);
      for (std::uint64_t j = 0; j < 3; ++j) blocks.insert(3 * t + j);
    } else if (kind == 'f') {  // float normal: block 16 (i >> 6) + (i & 15)
      blocks.insert(16 * (i >> 6) + (i & 15));
    } else {  // uniforms: 2 doubles or 4 floats per block
      blocks.insert(kind == 'u' ? i >> 1 : i >> 2);
    }
  }
}

// How many angles of `a` lie within `tol` of some angle of `b`.  For independent draws of sizes na, nb this is
// about na * nb * 2 tol / (2 pi): ~5 for 4000 x 4000 at tol 1e-6; a reused block gives thousands.
std::size_t near_coincidences(const std::vector<double>& a, std::vector<double> b, double tol) {
  std::sort(b.begin(), b.end());
  std::size_t n = 0;
  for (double x : a) {
    auto it = std::lower_bound(b.begin(), b.end(), x - tol);
    if (it != b.end() && *it <= x + tol) ++n;
  }
  return n;
}

TEST(StreamApi, MixedTypeDrawsNeverShareABlock) {
  diaggauss::Stream s(11, 7);
  const std::vector<double> d = s.normal<double>(8000);
  const std::vector<float> f = s.normal<float>(8000);
  // The reproducer: on the element-counting Stream the float pairs reused the double pairs' blocks and
  // ~half their angles agreed within 4e-7 rad.
  EXPECT_LT(near_coincidences(pair_angles(f), pair_angles(d), 1e-6), 100u);
  const std::vector<double> u = s.uniform<double>(4000);
  const std::vector<double> d2 = s.normal<double>(8000);
  EXPECT_LT(near_coincidences(pair_angles(d2), pair_angles(d), 1e-6), 100u);
  // Uniform doubles (two words each) against the first draw's radius words: on the element-counting Stream
  // u[i] would be the uniform behind normal pair i/2... here they must simply be new numbers.
  std::vector<double> u_ref(4000);
  ASSERT_EQ(dg_uniform_f64(11, 7, 0, 4000, u_ref.data()), DG_OK);
  EXPECT_NE(u, u_ref);
}

TEST(StreamApi, PositionCountsWholeBlocksAndDrawsMatchTheCApi) {
  diaggauss::Stream s(5, 9, 3);  // starts at block 3
  EXPECT_EQ(s.position(), 3u);
  struct Step { char kind; std::size_t n; };
  // Sizes that do not fill their last unit, in every type, so a block-sharing bug would show.
  const Step steps[] = {{'d', 3}, {'f', 5}, {'u', 1}, {'v', 7}, {'d', 1}, {'f', 1}, {'f', 70}, {'d', 130}, {'u', 2}};
  std::uint64_t used_to = 0;  // the end of the blocks the previous draws used
  std::set<std::uint64_t> used;  // and the blocks themselves
  for (const Step& st : steps) {
    const std::uint64_t b = s.position();
    // The type's unit (random-stream version 2): blocks per unit, elements per unit.
    const std::uint64_t ub = st.kind == 'd' ? 24 : st.kind == 'f' ? 16 : 1;
    const std::uint64_t ue = st.kind == 'd' || st.kind == 'f' ? 64 : st.kind == 'u' ? 2 : 4;
    const std::uint64_t unit = (b + ub - 1) / ub, units = (st.n + ue - 1) / ue;
    const std::uint64_t first = unit * ue;
    bool same = false;
    if (st.kind == 'd') {
      std::vector<double> ref(st.n);
      ASSERT_EQ(dg_normal_f64(5, 9, first, st.n, ref.data()), DG_OK);
      same = s.normal<double>(st.n) == ref;
    } else if (st.kind == 'f') {
      std::vector<float> ref(st.n);
      ASSERT_EQ(dg_normal_f32(5, 9, first, st.n, ref.data()), DG_OK);
      same = s.normal<float>(st.n) == ref;
    } else if (st.kind == 'u') {  // uniform<double>: 2 words each, 2 per block
      std::vector<double> ref(st.n);
      ASSERT_EQ(dg_uniform_f64(5, 9, first, st.n, ref.data()), DG_OK);
      same = s.uniform<double>(st.n) == ref;
    } else {  // uniform<float>: 4 per block
      std::vector<float> ref(st.n);
      ASSERT_EQ(dg_uniform_f32(5, 9, first, st.n, ref.data()), DG_OK);
      same = s.uniform<float>(st.n) == ref;
    }
    EXPECT_TRUE(same) << st.kind << " " << st.n << " at block " << b;
    EXPECT_EQ(s.position(), (unit + units) * ub) << st.kind << " " << st.n;
    // The blocks this draw read (docs/random-stream.md: double chunk c is blocks 24c..24c+23, float chunk c blocks
    // 16c..16c+15, uniform element i block i/2 or i/4) start at or after the previous draws' end.
    EXPECT_GE(unit * ub, used_to) << st.kind << " " << st.n;
    EXPECT_GE(unit * ub, b);
    used_to = (unit + units) * ub;
    std::set<std::uint64_t> mine;
    add_blocks(st.kind, first, st.n, mine);
    for (std::uint64_t blk : mine) EXPECT_EQ(used.count(blk), 0u) << st.kind << " " << st.n << " reuses block " << blk;
    used.insert(mine.begin(), mine.end());
    EXPECT_LE(*mine.rbegin(), s.position() - 1) << "a block at or past the new position";
  }
}

TEST(StreamApi, ContinuationStillEqualsOneDraw) {
  // Draws that fill whole units (64 normals) continue one another exactly.
  diaggauss::Stream a(2024, 3), b(2024, 3);
  const std::vector<double> x = a.normal<double>(512), y = a.normal<double>(512), all = b.normal<double>(1024);
  EXPECT_TRUE(std::equal(x.begin(), x.end(), all.begin()));
  EXPECT_TRUE(std::equal(y.begin(), y.end(), all.begin() + 512));
  EXPECT_EQ(a.position(), 16u * 24u);
  diaggauss::Stream c(2024, 3), d(2024, 3);
  const std::vector<float> u = c.uniform<float>(400), v = c.uniform<float>(400), uv = d.uniform<float>(800);
  EXPECT_TRUE(std::equal(u.begin(), u.end(), uv.begin()));
  EXPECT_TRUE(std::equal(v.begin(), v.end(), uv.begin() + 400));
}

TEST(StreamApi, ExhaustedStreamThrowsInsteadOfWrapping) {
  // Every type has 2^64 elements: double normals reach block 3 * 2^61 (2^58 chunks of 24 blocks), float normals
  // block 2^62, double uniforms 2^63, float uniforms 2^62.  A draw that would pass the end throws and leaves the
  // position alone.
  diaggauss::Stream s(1, 2, (std::uint64_t(1) << 62) - 16);
  EXPECT_EQ(s.normal<float>(4).size(), 4u);
  EXPECT_EQ(s.position(), std::uint64_t(1) << 62);
  try {
    s.normal<float>(1);
    ADD_FAILURE() << "no error";
  } catch (const diaggauss::Error& e) {
    EXPECT_EQ(e.status(), DG_E_INVALID_ARGUMENT);
    EXPECT_NE(std::string(e.what()).find("Stream"), std::string::npos) << e.what();
  }
  EXPECT_EQ(s.position(), std::uint64_t(1) << 62);
  EXPECT_EQ(s.normal<double>(2).size(), 2u);  // doubles still have room
  diaggauss::Stream t(1, 2, 3 * (std::uint64_t(1) << 61) - 24);
  EXPECT_EQ(t.normal<double>(64).size(), 64u);
  EXPECT_EQ(t.position(), 3 * (std::uint64_t(1) << 61));
  EXPECT_THROW(t.normal<double>(1), diaggauss::Error);
  diaggauss::Stream w(1, 2, (std::uint64_t(1) << 63) - 1);
  EXPECT_EQ(w.uniform<double>(2).size(), 2u);
  EXPECT_THROW(w.uniform<double>(1), diaggauss::Error);
  EXPECT_EQ(w.position(), std::uint64_t(1) << 63);
  // Empty draws read nothing: no error at the end, position unchanged (they threw here).
  diaggauss::Stream e(1, 2, ~std::uint64_t{0});
  EXPECT_TRUE(e.normal<double>(0).empty());
  EXPECT_TRUE(e.normal<float>(0).empty());
  EXPECT_TRUE(e.uniform<float>(0).empty());
  EXPECT_EQ(e.position(), ~std::uint64_t{0});
  diaggauss::Stream m(1, 2, 5);
  EXPECT_TRUE(m.normal<double>(0).empty());
  EXPECT_EQ(m.position(), 5u);
}

// ---- sample_diag / sample_gmm offsets ------------------------------------------------------------------------

TEST(StreamApi, GmmRankSplitOffsetsGiveDistinctPoints) {
  // The reproducer: offset 2^60 with dim 16 reached normal 2^64 = 0, so "rank << 60" gave every rank
  // rank 0's draws.  Now such an offset is refused, and offsets that fit give distinct points.
  const std::size_t dim = 16, np = 4;
  const std::vector<double> w = {1.0}, mu(dim, 0.0), sd(dim, 1.0);
  std::vector<double> a(np * dim), b(np * dim);
  ASSERT_EQ(dg_sample_gmm_f64(1, 0, 0, np, dim, 1, w.data(), mu.data(), sd.data(), a.data(), nullptr), DG_OK);
  const std::uint64_t big = std::uint64_t(1) << 60;
  EXPECT_EQ(dg_sample_gmm_f64(1, 0, big, np, dim, 1, w.data(), mu.data(), sd.data(), b.data(), nullptr),
            DG_E_INVALID_ARGUMENT);
  EXPECT_NE(std::string(dg_last_error()).find("offset"), std::string::npos) << dg_last_error();
  // The largest offset that fits: points (2^64 / 16) - np .. 2^60 - 1 use normals up to 2^64 - 1.
  ASSERT_EQ(dg_sample_gmm_f64(1, 0, big - np, np, dim, 1, w.data(), mu.data(), sd.data(), b.data(), nullptr), DG_OK);
  EXPECT_NE(a, b);
  std::vector<double> tail(np * dim);
  ASSERT_EQ(dg_normal_f64(1, 0, (big - np) * dim, np * dim, tail.data()), DG_OK);
  EXPECT_EQ(b, tail);  // weight 1, mean 0, sd 1: the points are the normals themselves
}

TEST(StreamApi, SampleOffsetsThatWrapAreRefusedNamingOffset) {
  const std::size_t dim = 3;
  const std::vector<double> mu(dim, 0.0), sd(dim, 1.0), w = {0.5, 0.5}, mus(2 * dim, 0.0), sds(2 * dim, 1.0);
  const std::vector<float> muf(dim, 0.0f), sdf(dim, 1.0f), wf = {0.5f, 0.5f}, musf(2 * dim, 0.0f),
                           sdsf(2 * dim, 1.0f);
  std::vector<double> out(2 * dim);
  std::vector<float> outf(2 * dim);
  std::vector<std::uint32_t> lab(2);
  auto expect_refused = [](int st, const char* what) {
    EXPECT_EQ(st, DG_E_INVALID_ARGUMENT) << what;
    EXPECT_NE(std::string(dg_last_error()).find("offset"), std::string::npos) << what << ": " << dg_last_error();
  };
  // sample_diag counts normals: offset + npoints*dim must not pass 2^64.
  EXPECT_EQ(dg_sample_diag_f64(1, 0, kMax - 5, 2, dim, mu.data(), sd.data(), out.data()), DG_OK);  // ends at 2^64
  expect_refused(dg_sample_diag_f64(1, 0, kMax - 4, 2, dim, mu.data(), sd.data(), out.data()), "diag f64");
  expect_refused(dg_sample_diag_f32(1, 0, kMax, 1, dim, muf.data(), sdf.data(), outf.data()), "diag f32");
  // sample_gmm counts points: (offset + npoints) * dim must not pass 2^64, nor offset + npoints itself.
  const std::uint64_t last_ok = kMax / dim - 2;  // (last_ok + 2) * 3 <= 2^64 < (last_ok + 3) * 3
  EXPECT_EQ(dg_sample_gmm_f64(1, 0, last_ok, 2, dim, 2, w.data(), mus.data(), sds.data(), out.data(), lab.data()),
            DG_OK);
  expect_refused(dg_sample_gmm_f64(1, 0, last_ok + 1, 2, dim, 2, w.data(), mus.data(), sds.data(), out.data(),
                                   lab.data()),
                 "gmm f64");
  expect_refused(dg_sample_gmm_f32(1, 0, kMax, 2, dim, 2, wf.data(), musf.data(), sdsf.data(), outf.data(),
                                   lab.data()),
                 "gmm f32 offset+npoints wraps");
  // dim 0: no normals, but the selection words are still indexed by point, which must not wrap either.
  EXPECT_EQ(dg_sample_gmm_f64(1, 0, kMax - 1, 1, 0, 2, w.data(), nullptr, nullptr, nullptr, lab.data()), DG_OK);
  expect_refused(dg_sample_gmm_f64(1, 0, kMax, 2, 0, 2, w.data(), nullptr, nullptr, nullptr, lab.data()),
                 "gmm dim 0");
  // Nothing is written by a refused call.
  std::vector<double> untouched(2 * dim, 7.0);
  dg_sample_diag_f64(1, 0, kMax, 2, dim, mu.data(), sd.data(), untouched.data());
  EXPECT_EQ(untouched, std::vector<double>(2 * dim, 7.0));
  // The C++ layer throws with the same message.
  EXPECT_THROW(diaggauss::sample_diag(1, 0, kMax, 2, dim, mu.data(), sd.data(), out.data()), diaggauss::Error);
}

}  // namespace
