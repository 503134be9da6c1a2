// avx512_simde (ctest): the AVX-512 sampler, kernels/avx512/sample_avx512.cpp, checked bit for bit against the
// scalar oracle (kernels/scalar/) on any x86-64 machine, whether or not it has AVX-512.  The kernel source is
// compiled into this program with avx512_shim/immintrin.h in place of the compiler's <immintrin.h>: every AVX-512
// intrinsic runs as SIMDe's portable emulation (Debian package libsimde-dev), the FMAs as true fused
// multiply-adds (std::fma), as the recipe requires.  This program must be built WITHOUT -mavx512* flags (the
// emulation is the point) and with -ffp-contract=off, like the library (tests/CMakeLists.txt does both).
//
// What it checks, in order (exit status 0 only if all of it holds):
//   1. the shim's own definitions: its vpshufd-with-mask against SIMDe's _mm_shuffle_epi32 on each 128-bit
//      quarter, and that its fma is fused (one rounding);
//   2. normals (double, float) for philox_ilv 1..4, uniforms (double, float) and the raw words (uniform_u32, with
//      block_base 0 and the selection words' base), over offsets and sizes that cover partial first and last
//      groups, the wrap of the 64-bit output index, block numbers whose low word carries into the high word, and
//      seeds and streams with their high bits set; the scale-and-shift pass (scale_shift_rows, every row length to
//      past four vectors, with and without labels) and the mixture's threshold count (count_above): every output
//      equal to the oracle's, bit for bit;
//   3. negative controls: with a deliberate error in the emulation (an unfused fma; one lane of the masked
//      shuffle in Philox's rounds ignoring its mask) the same comparisons must find differences, else the check
//      could not see such an error and fails.
// It tests the source as written, not the library's build: it does not link the library, so it runs whatever
// implementations the build compiles (DG_IMPLS) and on every CPU.
#include <immintrin.h>  // avx512_shim/immintrin.h (first on the include path)

#include "kernels/avx512/sample_avx512.cpp"
#include "kernels/scalar/sample_scalar.cpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

using namespace diaggauss;

namespace {

int g_failures = 0;
std::uint64_t g_compared = 0;

void fail(const char* what) {
  std::printf("FAIL: %s\n", what);
  ++g_failures;
}

// ---- 1. the shim ---------------------------------------------------------------------------------------------
template <int kImm>
bool shuffle_matches(std::mt19937& rng) {
  for (int trial = 0; trial < 64; ++trial) {
    simde__m512i_private src, a;
    for (int j = 0; j < 16; ++j) {
      src.i32[j] = static_cast<std::int32_t>(rng());
      a.i32[j] = static_cast<std::int32_t>(rng());
    }
    const auto k = static_cast<simde__mmask16>(trial < 4 ? (0x5555u << trial) & 0xFFFF : rng() & 0xFFFF);
    const simde__m512i_private got = simde__m512i_to_private(_mm512_mask_shuffle_epi32(
        simde__m512i_from_private(src), k, simde__m512i_from_private(a), kImm));
    for (int q = 0; q < 4; ++q) {
      simde__m128i_private ref = simde__m128i_to_private(simde_mm_shuffle_epi32(a.m128i[q], kImm));
      for (int l = 0; l < 4; ++l) {
        const int j = 4 * q + l;
        const std::int32_t want = (k >> j) & 1 ? ref.i32[l] : src.i32[j];
        if (got.i32[j] != want) return false;
      }
    }
  }
  return true;
}

void check_shim() {
  std::mt19937 rng(12345);
  if (!(shuffle_matches<0xB1>(rng) && shuffle_matches<0x1B>(rng) && shuffle_matches<0x4E>(rng) &&
        shuffle_matches<0xE4>(rng) && shuffle_matches<0x00>(rng) && shuffle_matches<0xFF>(rng)))
    fail("shim: _mm512_mask_shuffle_epi32 differs from SIMDe's _mm_shuffle_epi32 per 128-bit quarter");
  if (_MM_PERM_CDAB != 0xB1) fail("shim: _MM_PERM_CDAB is not 0xB1");
  // (1 + e)(1 - e) - 1 = -e^2 exactly; unfused, the product rounds to 1 and the result is 0.
  double d[8];
  _mm512_storeu_pd(d, _mm512_fmadd_pd(_mm512_set1_pd(1 + 0x1p-27), _mm512_set1_pd(1 - 0x1p-27), _mm512_set1_pd(-1)));
  float f[16];
  _mm512_storeu_ps(f, _mm512_fmadd_ps(_mm512_set1_ps(1 + 0x1p-12f), _mm512_set1_ps(1 - 0x1p-12f), _mm512_set1_ps(-1)));
  for (double x : d)
    if (x != -0x1p-54) return fail("shim: _mm512_fmadd_pd is not fused");
  for (float x : f)
    if (x != -0x1p-24f) return fail("shim: _mm512_fmadd_ps is not fused");
}

// ---- 2. the sampler against the oracle -------------------------------------------------------------------
// The number of outputs whose bits differ (printing the first few when `verbose`).
template <class T>
std::size_t count_diffs(const std::vector<T>& got, const std::vector<T>& want, bool verbose) {
  std::size_t bad = 0;
  for (std::size_t i = 0; i < got.size(); ++i)
    if (std::memcmp(&got[i], &want[i], sizeof(T)) != 0) {
      if (verbose && bad < 3)
        std::printf("    i=%zu: avx512 %a, oracle %a\n", i, static_cast<double>(got[i]), static_cast<double>(want[i]));
      ++bad;
    }
  g_compared += got.size();
  return bad;
}

struct Case {
  std::uint64_t seed, stream, offset;
  std::size_t n;
};

// Offsets and sizes: partial first/last groups, small n, the 2^64 wrap, block numbers crossing 2^32 (float chunk
// 2^28 = block 2^32; double triples' blocks 24c cross 2^32 near chunk 178956970; words: block 2^32 = word 2^34).
const Case kCases[] = {
    {20261207, 1, 12345, 20003},
    {1, 0, 0, 64 * 4 * 12 + 17},
    {7, 3, ~std::uint64_t{0} - 500, 1000},
    {0xFEDCBA9876543210u, 0x8000000000000001u, 3, 5000},
    {42, 0xFFFFFFFFFFFFFFFFu, (std::uint64_t{1} << 34) - 200, 1000},
    {9, 2, (std::uint64_t{1} << 28) * 64 - 300, 1000},
    {9, 2, std::uint64_t{178956970} * 64 - 300, 1000},
    {5, 6, 77, 1},
    {5, 6, 63, 2},
    {5, 6, 64, 64},
    {5, 6, 65, 127},
};

template <class T>
std::size_t normals(const Case& c, std::uint32_t ilv, bool verbose) {
  std::vector<T> a(c.n), b(c.n);
  Blocking blk{};
  blk.philox_ilv = ilv;
  avx512::normal<T>(c.seed, c.stream, c.offset, c.n, a.data(), blk);
  scalar::normal<T>(c.seed, c.stream, c.offset, c.n, b.data(), blk);
  return count_diffs(a, b, verbose);
}

template <class T>
std::size_t uniforms(const Case& c, bool verbose) {
  std::vector<T> a(c.n), b(c.n);
  avx512::uniform<T>(c.seed, c.stream, c.offset, c.n, a.data());
  scalar::uniform<T>(c.seed, c.stream, c.offset, c.n, b.data());
  return count_diffs(a, b, verbose);
}

std::size_t words(const Case& c, std::uint64_t block_base, bool verbose) {
  std::vector<std::uint32_t> a(c.n), b(c.n);
  avx512::uniform_u32(c.seed, c.stream, block_base, c.offset, c.n, a.data());
  scalar::uniform_u32(c.seed, c.stream, block_base, c.offset, c.n, b.data());
  return count_diffs(a, b, verbose);
}

// scale_shift_rows (the samplers' scale-and-shift pass) on every row length up to past four vectors — the whole-
// vector rows (1-4 vectors: kernels/common/scale_whole_rows.hpp) and the general loop with its masked tails —,
// row counts around its four-row step, with and without labels.
template <class T>
std::size_t scale_rows(bool verbose) {
  std::mt19937_64 rng(31);
  std::uniform_real_distribution<double> val(-4, 4);
  std::size_t bad = 0;
  const std::size_t K = 3;
  for (std::size_t dim = 0; dim <= 4 * 64 / sizeof(T) + 3; ++dim) {
    std::vector<T> mu(K * dim), sd(K * dim);
    for (auto& x : mu) x = static_cast<T>(val(rng));
    for (auto& x : sd) x = static_cast<T>(val(rng) + 4);
    for (std::size_t np : {0, 1, 3, 4, 5, 9, 13}) {
      std::vector<std::uint32_t> lab(np);
      for (auto& l : lab) l = static_cast<std::uint32_t>(rng() % K);
      for (bool with_labels : {false, true}) {
        std::vector<T> a(np * dim), b;
        for (auto& x : a) x = static_cast<T>(val(rng));
        b = a;
        const std::uint32_t* lp = with_labels ? lab.data() : nullptr;
        avx512::scale_shift_rows<T>(np, dim, lp, mu.data(), sd.data(), a.data());
        scalar::scale_shift_rows<T>(np, dim, lp, mu.data(), sd.data(), b.data());
        const std::size_t d = count_diffs(a, b, verbose);
        if (verbose && d) std::printf("  scale_shift_rows %s dim=%zu np=%zu labels=%d: %zu differ\n",
                                      sizeof(T) == 8 ? "f64" : "f32", dim, np, int(with_labels), d);
        bad += d;
      }
    }
  }
  return bad;
}

// count_above (the mixture's threshold count): unsorted thresholds take the plain C++ count, vectorised by the
// compiler at AVX-512 width; sorted ones (as the selector passes them) the bucket tables looked up with vpermd —
// one threshold per bucket (the tables apply) and random sorted ones (often two per bucket: the plain count).
std::size_t counts(bool verbose) {
  std::mt19937_64 rng(37);
  std::size_t bad = 0;
  for (int kind = 0; kind < 3; ++kind)
  for (std::size_t nt = 0; nt <= kMaxCountThresholds; ++nt) {
    std::vector<std::uint32_t> t(nt);
    for (auto& x : t) x = static_cast<std::uint32_t>(rng());
    if (kind == 1)  // one per bucket of 2^28 words, the last one's possibly at its edge
      for (std::size_t j = 0; j < nt && j < 16; ++j)
        t[j] = static_cast<std::uint32_t>((std::uint64_t{j} << 28) + (j == nt - 1 ? 0 : rng() % (1u << 28)));
    if (kind >= 1) std::sort(t.begin(), t.end());
    std::vector<std::uint32_t> a(1001);
    for (std::size_t i = 0; i < a.size(); ++i)
      a[i] = nt && i % 2 ? t[i % nt] + static_cast<std::uint32_t>(i % 3) - 1 : static_cast<std::uint32_t>(rng());
    std::vector<std::uint32_t> b = a;
    avx512::count_above(a.data(), a.size(), 1, t.data(), nt);
    scalar::count_above(b.data(), b.size(), 1, t.data(), nt);
    bad += count_diffs(a, b, verbose);
  }
  return bad;
}

// Differences per output kind over all cases (each printed as it goes when `verbose`).
struct Diffs {
  std::size_t normal_f64 = 0, normal_f32 = 0, uniform_f64 = 0, uniform_f32 = 0, words = 0, scale_f64 = 0,
              scale_f32 = 0, count = 0;
};

Diffs run_all(bool verbose) {
  Diffs d;
  const auto note = [&](const char* kind, const Case& c, std::uint32_t ilv, std::size_t bad) {
    if (verbose && bad)
      std::printf("  %s seed=%llu stream=%llu offset=%llu n=%zu ilv=%u: %zu differ\n", kind,
                  static_cast<unsigned long long>(c.seed), static_cast<unsigned long long>(c.stream),
                  static_cast<unsigned long long>(c.offset), c.n, ilv, bad);
  };
  for (const Case& c : kCases) {
    for (std::uint32_t ilv : {1u, 2u, 3u, 4u}) {
      std::size_t bad = normals<double>(c, ilv, verbose);
      note("normal f64", c, ilv, bad);
      d.normal_f64 += bad;
      bad = normals<float>(c, ilv, verbose);
      note("normal f32", c, ilv, bad);
      d.normal_f32 += bad;
    }
    std::size_t bad = uniforms<double>(c, verbose);
    note("uniform f64", c, 0, bad);
    d.uniform_f64 += bad;
    bad = uniforms<float>(c, verbose);
    note("uniform f32", c, 0, bad);
    d.uniform_f32 += bad;
    for (std::uint64_t base : {std::uint64_t{0}, recipe::kSelectionBlockBase}) {
      bad = words(c, base, verbose);
      note("uniform_u32", c, 0, bad);
      d.words += bad;
    }
  }
  d.scale_f64 = scale_rows<double>(verbose);
  d.scale_f32 = scale_rows<float>(verbose);
  d.count = counts(verbose);
  return d;
}

}  // namespace

int main() {
  check_shim();

  const Diffs exact = run_all(true);
  const std::uint64_t compared = g_compared;
  const std::size_t total = exact.normal_f64 + exact.normal_f32 + exact.uniform_f64 + exact.uniform_f32 + exact.words +
                            exact.scale_f64 + exact.scale_f32 + exact.count;
  std::printf("avx512 sampler vs scalar oracle under SIMDe: %llu outputs compared, %zu differ\n",
              static_cast<unsigned long long>(compared), total);
  if (total) fail("the AVX-512 sampler differs from the oracle");

  // 3. Negative controls: each deliberate error must be seen by the kinds it touches.
  shim_break = kShimUnfusedFma;
  const Diffs unfused = run_all(false);
  std::printf("negative control, unfused fma: normal f64 %zu, normal f32 %zu, scale_shift_rows f64 %zu, f32 %zu "
              "differ\n", unfused.normal_f64, unfused.normal_f32, unfused.scale_f64, unfused.scale_f32);
  if (!unfused.normal_f64 || !unfused.normal_f32 || !unfused.scale_f64 || !unfused.scale_f32)
    fail("negative control: an unfused fma went unnoticed");
  shim_break = kShimShuffleLane;
  const Diffs shuffle = run_all(false);
  std::printf("negative control, one lane of Philox's masked shuffle wrong: normal f64 %zu, normal f32 %zu, "
              "uniform f64 %zu, uniform f32 %zu, words %zu differ\n",
              shuffle.normal_f64, shuffle.normal_f32, shuffle.uniform_f64, shuffle.uniform_f32, shuffle.words);
  if (!shuffle.normal_f64 || !shuffle.normal_f32 || !shuffle.uniform_f64 || !shuffle.uniform_f32 || !shuffle.words)
    fail("negative control: a wrong lane in Philox's rounds went unnoticed");
  shim_break = kShimExact;

  std::printf(g_failures ? "avx512_simde: FAILED\n" : "avx512_simde: ok\n");
  return g_failures ? 1 : 0;
}
