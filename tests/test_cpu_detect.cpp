// Tests for dispatch/cpu_detect: detect_x86 against recorded-style cpuid/xgetbv values replayed by FakeCpu, and
// a sanity check of host_cpu() on whatever machine (or emulator) runs the tests.
#include "dispatch/cpu_detect.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <regex>
#include <set>
#include <thread>
#include <utility>

namespace diaggauss::detail {
namespace {

// Replays a table of (leaf, subleaf) -> registers; absent entries read as zeros, like reserved leaves do.  It also
// fails the test if the detector reads above the max basic / extended leaf, or calls xgetbv when it mustn't.
class FakeCpu final : public CpuProbe {
 public:
  std::map<std::pair<std::uint32_t, std::uint32_t>, CpuidRegs> regs;
  std::uint64_t xcr0 = 0;
  bool allow_xgetbv = true;
  mutable std::set<std::uint32_t> leaves_read;

  CpuidRegs cpuid(std::uint32_t leaf, std::uint32_t subleaf) const override {
    leaves_read.insert(leaf);
    const std::uint32_t max = get(leaf & 0x80000000u, 0).eax;
    if (leaf != (leaf & 0x80000000u) && leaf > max)
      ADD_FAILURE() << "cpuid leaf 0x" << std::hex << leaf << " read above max leaf 0x" << max;
    return get(leaf, subleaf);
  }
  std::uint64_t xgetbv0() const override {
    if (!allow_xgetbv) ADD_FAILURE() << "xgetbv called although OSXSAVE is clear";
    return xcr0;
  }

  void set(std::uint32_t leaf, std::uint32_t sub, std::uint32_t a, std::uint32_t b, std::uint32_t c,
           std::uint32_t d) {
    regs[{leaf, sub}] = CpuidRegs{a, b, c, d};
  }
  // Leaf 0: max leaf and the 12-byte vendor string in ebx, edx, ecx.
  void vendor(std::uint32_t max_leaf, const char (&v)[13]) {
    CpuidRegs r;
    r.eax = max_leaf;
    std::memcpy(&r.ebx, v, 4), std::memcpy(&r.edx, v + 4, 4), std::memcpy(&r.ecx, v + 8, 4);
    regs[{0, 0}] = r;
  }
  // Brand string packed into 0x80000002..4 (48 bytes, NUL padded).
  void brand(const std::string& s) {
    EXPECT_LE(s.size(), 48u) << "brand string too long for cpuid";
    char b[48] = {};
    std::memcpy(b, s.data(), std::min<std::size_t>(s.size(), 48));
    for (std::uint32_t i = 0; i < 3; ++i) {
      CpuidRegs r;
      std::memcpy(&r, b + 16 * i, 16);
      regs[{0x80000002u + i, 0}] = r;
    }
  }
  // One leaf-4 / 0x8000001D descriptor (type 1 data, 2 instruction, 3 unified).
  void cache(std::uint32_t leaf, std::uint32_t sub, std::uint32_t type, std::uint32_t level, std::uint32_t ways,
             std::uint32_t line, std::uint32_t sets) {
    set(leaf, sub, type | (level << 5) | 0x100 /* self-initialising */, (ways - 1) << 22 | (line - 1), sets - 1, 0);
  }

 private:
  CpuidRegs get(std::uint32_t leaf, std::uint32_t sub) const {
    const auto it = regs.find({leaf, sub});
    return it == regs.end() ? CpuidRegs{} : it->second;
  }
};

// Core i7-4770 (Haswell, family 6 model 0x3C).
FakeCpu haswell() {
  FakeCpu f;
  f.vendor(0xD, "GenuineIntel");
  f.set(1, 0, 0x000306C3, 0x03100800, 0x7FFAFBBF, 0xBFEBFBFF);
  f.set(4, 0, 0x1C004121, 0x01C0003F, 0x0000003F, 0);  // raw recording: L1d 8 x 64 B x 64 sets = 32 KiB
  f.cache(4, 1, 2, 1, 8, 64, 64);
  f.cache(4, 2, 3, 2, 8, 64, 512);
  f.cache(4, 3, 3, 3, 16, 64, 8192);
  f.set(7, 0, 0, 0x000027AB, 0, 0);
  f.set(0x80000000u, 0, 0x80000008u, 0, 0, 0);
  f.brand("Intel(R) Core(TM) i7-4770 CPU @ 3.40GHz");
  f.xcr0 = 0x7;
  return f;
}

// Core i9-7900X (Skylake-X, family 6 model 0x55): AVX-512 F/CD/BW/DQ/VL.
FakeCpu skylake_x() {
  FakeCpu f;
  f.vendor(0x16, "GenuineIntel");
  f.set(1, 0, 0x00050654, 0x00100800, 0x7FFEFBFF, 0xBFEBFBFF);
  f.cache(4, 0, 1, 1, 8, 64, 64);
  f.cache(4, 1, 2, 1, 8, 64, 64);
  f.cache(4, 2, 3, 2, 16, 64, 1024);
  f.cache(4, 3, 3, 3, 11, 64, 20480);
  f.set(7, 0, 0, 0xD39FFFFB, 0x00000018, 0x9C002400);
  f.set(0x80000000u, 0, 0x80000008u, 0, 0, 0);
  f.brand("Intel(R) Core(TM) i9-7900X CPU @ 3.30GHz");
  f.xcr0 = 0xE7;
  return f;
}

// Xeon X5650 (Westmere, family 6 model 0x2C): SSE4.2 + POPCNT, no XSAVE/AVX.  Intel pads this brand on the left.
FakeCpu westmere() {
  FakeCpu f;
  f.vendor(0xB, "GenuineIntel");
  f.set(1, 0, 0x000206C2, 0x00200800, 0x029EE3FF, 0xBFEBFBFF);
  f.cache(4, 0, 1, 1, 8, 64, 64);
  f.cache(4, 1, 3, 2, 8, 64, 512);
  f.cache(4, 2, 3, 3, 16, 64, 12288);
  f.set(0x80000000u, 0, 0x80000008u, 0, 0, 0);
  f.brand("       Intel(R) Xeon(R) CPU    X5650  @ 2.67GHz");
  f.allow_xgetbv = false;
  return f;
}

// Ryzen 9 5950X (Zen 3): base family 0xF + extended 0xA = 0x19, model 0x21.  AMD pads the brand on the right.
FakeCpu zen3() {
  FakeCpu f;
  f.vendor(0x10, "AuthenticAMD");
  f.set(1, 0, 0x00A20F10, 0x00200800, 0x7ED8320B, 0x178BFBFF);
  f.set(7, 0, 0, 0x219C97A9, 0x0040068C, 0x00000010);
  f.set(0x80000000u, 0, 0x80000020u, 0x68747541, 0x444D4163, 0x69746E65);
  f.brand("AMD Ryzen 9 5950X 16-Core Processor             ");
  f.cache(0x8000001Du, 0, 1, 1, 8, 64, 64);
  f.cache(0x8000001Du, 1, 2, 1, 8, 64, 64);
  f.cache(0x8000001Du, 2, 3, 2, 8, 64, 1024);
  f.cache(0x8000001Du, 3, 3, 3, 16, 64, 32768);
  f.xcr0 = 0x207;  // x87/SSE/AVX + PKRU
  return f;
}

TEST(CpuDetect, HaswellHasAvx2FmaButNoAvx512) {
  const CpuInfo c = detect_x86(haswell());
  EXPECT_EQ(c.arch, "x86_64");
  EXPECT_EQ(c.vendor, "GenuineIntel");
  EXPECT_EQ(c.brand, "Intel(R) Core(TM) i7-4770 CPU @ 3.40GHz");
  EXPECT_EQ(c.family, 6u);
  EXPECT_EQ(c.model, 0x3Cu);
  EXPECT_EQ(c.stepping, 3u);
  EXPECT_TRUE(c.os_xsave && c.os_ymm);
  EXPECT_FALSE(c.os_zmm);
  EXPECT_TRUE(c.sse2 && c.sse3 && c.ssse3 && c.sse41 && c.sse42 && c.popcnt);
  EXPECT_TRUE(c.avx && c.avx2 && c.fma && c.f16c && c.bmi1 && c.bmi2);
  EXPECT_FALSE(c.avx512f || c.avx512vl || c.avx512dq || c.avx512bw || c.avx512cd);
  EXPECT_FALSE(c.neon || c.sve);
  EXPECT_EQ(c.l1d, 32u << 10);
  EXPECT_EQ(c.l2, 256u << 10);
  EXPECT_EQ(c.l3, 8u << 20);
  EXPECT_EQ(c.key(), "genuineintel-6-60-avx2");
  EXPECT_EQ(c.feature_names(), (std::vector<std::string>{"sse2", "sse3", "ssse3", "sse4.1", "sse4.2", "popcnt",
                                                          "avx", "avx2", "fma", "bmi1", "bmi2", "f16c"}));
}

TEST(CpuDetect, SkylakeXHasAvx512) {
  const CpuInfo c = detect_x86(skylake_x());
  EXPECT_EQ(c.brand, "Intel(R) Core(TM) i9-7900X CPU @ 3.30GHz");
  EXPECT_EQ(c.family, 6u);
  EXPECT_EQ(c.model, 0x55u);
  EXPECT_EQ(c.stepping, 4u);
  EXPECT_TRUE(c.os_zmm);
  EXPECT_TRUE(c.avx2 && c.fma);
  EXPECT_TRUE(c.avx512f && c.avx512vl && c.avx512dq && c.avx512bw && c.avx512cd);
  EXPECT_EQ(c.l2, 1u << 20);
  EXPECT_EQ(c.l3, 11u * 64 * 20480);  // 13.75 MiB
  EXPECT_EQ(c.key(), "genuineintel-6-85-avx512");
  const auto names = c.feature_names();
  EXPECT_EQ(std::vector<std::string>(names.end() - 5, names.end()),
            (std::vector<std::string>{"avx512f", "avx512vl", "avx512dq", "avx512bw", "avx512cd"}));
}

TEST(CpuDetect, OsWithoutZmmStateDisablesAvx512Only) {
  FakeCpu f = skylake_x();
  f.xcr0 = 0x7;  // kernel booted without AVX-512 state (e.g. a VM that masks it)
  const CpuInfo c = detect_x86(f);
  EXPECT_TRUE(c.os_ymm);
  EXPECT_FALSE(c.os_zmm);
  EXPECT_TRUE(c.avx && c.avx2 && c.fma);
  EXPECT_FALSE(c.avx512f || c.avx512vl || c.avx512dq || c.avx512bw || c.avx512cd);
  EXPECT_EQ(c.key(), "genuineintel-6-85-avx2");
}

TEST(CpuDetect, OsWithoutYmmStateDisablesAllAvx) {
  FakeCpu f = skylake_x();
  f.xcr0 = 0x3;  // x87 + SSE only
  const CpuInfo c = detect_x86(f);
  EXPECT_TRUE(c.os_xsave);
  EXPECT_FALSE(c.os_ymm || c.os_zmm);
  EXPECT_FALSE(c.avx || c.avx2 || c.fma || c.f16c);
  EXPECT_FALSE(c.avx512f || c.avx512vl || c.avx512dq || c.avx512bw || c.avx512cd);
  EXPECT_TRUE(c.sse42 && c.bmi1 && c.bmi2);  // not tied to XSAVE state
  EXPECT_EQ(c.key(), "genuineintel-6-85-sse4");
}

TEST(CpuDetect, OsxsaveClearMeansNoXgetbvAndNoAvx) {
  FakeCpu f = haswell();
  f.regs[{1, 0}].ecx &= ~(1u << 27);
  f.allow_xgetbv = false;  // xgetbv would #UD on such a system
  const CpuInfo c = detect_x86(f);
  EXPECT_FALSE(c.os_xsave || c.os_ymm || c.os_zmm);
  EXPECT_FALSE(c.avx || c.avx2 || c.fma || c.f16c);
  EXPECT_TRUE(c.sse42 && c.popcnt);
}

TEST(CpuDetect, WestmereIsSse42Only) {
  const CpuInfo c = detect_x86(westmere());  // fails if xgetbv is called
  EXPECT_EQ(c.brand, "Intel(R) Xeon(R) CPU    X5650  @ 2.67GHz");  // inner spaces kept
  EXPECT_EQ(c.model, 0x2Cu);
  EXPECT_FALSE(c.os_xsave);
  EXPECT_TRUE(c.sse41 && c.sse42 && c.popcnt);
  EXPECT_FALSE(c.avx || c.avx2 || c.fma || c.f16c || c.bmi1 || c.bmi2 || c.avx512f);
  EXPECT_EQ(c.l1d, 32u << 10);
  EXPECT_EQ(c.l3, 12u << 20);
  EXPECT_EQ(c.key(), "genuineintel-6-44-sse4");
}

TEST(CpuDetect, Zen3UsesExtendedFamilyAndAmdCacheLeaf) {
  const CpuInfo c = detect_x86(zen3());
  EXPECT_EQ(c.vendor, "AuthenticAMD");
  EXPECT_EQ(c.brand, "AMD Ryzen 9 5950X 16-Core Processor");
  EXPECT_EQ(c.family, 25u);
  EXPECT_EQ(c.model, 0x21u);
  EXPECT_EQ(c.stepping, 0u);
  EXPECT_TRUE(c.os_ymm);
  EXPECT_FALSE(c.os_zmm);
  EXPECT_TRUE(c.avx2 && c.fma && c.bmi2);
  EXPECT_FALSE(c.avx512f);
  EXPECT_EQ(c.l1d, 32u << 10);
  EXPECT_EQ(c.l2, 512u << 10);
  EXPECT_EQ(c.l3, 32u << 20);
  EXPECT_EQ(c.key(), "authenticamd-25-33-avx2");
}

TEST(CpuDetect, OldAmdFallsBackToLegacyCacheLeaves) {
  FakeCpu f = zen3();
  for (std::uint32_t s = 0; s < 4; ++s) f.regs.erase({0x8000001Du, s});
  f.regs[{0x80000000u, 0}].eax = 0x8000001Au;                // 0x8000001D must then not be read
  f.set(0x80000005u, 0, 0, 0, 64u << 24 | 0x00020140, 0);  // L1d 64 KiB, 2-way, 64 B lines
  f.set(0x80000006u, 0, 0, 0, 512u << 16 | 0x6140, 12u << 18 | 0x2140);  // L2 512 KiB, L3 12 x 512 KiB
  const CpuInfo c = detect_x86(f);
  EXPECT_EQ(c.l1d, 64u << 10);
  EXPECT_EQ(c.l2, 512u << 10);
  EXPECT_EQ(c.l3, 6u << 20);
}

TEST(CpuDetect, MaxLeafBelowSevenSkipsLeafSeven) {
  FakeCpu f = haswell();
  f.regs[{0, 0}].eax = 3;  // BIOS "Limit CPUID Maxval": leaves 4 and 7 must not be read
  const CpuInfo c = detect_x86(f);
  EXPECT_EQ(f.leaves_read.count(7), 0u);
  EXPECT_EQ(f.leaves_read.count(4), 0u);
  EXPECT_FALSE(c.avx2 || c.bmi1 || c.bmi2 || c.avx512f);
  EXPECT_TRUE(c.avx && c.fma);  // leaf 1 features still count
  EXPECT_EQ(c.l1d, 0u);
  EXPECT_EQ(c.key(), "genuineintel-6-60-sse4");  // "avx2" needs leaf 7's AVX2 bit
}

TEST(CpuDetect, NoExtendedLeavesMeansEmptyBrand) {
  FakeCpu f = haswell();
  f.regs[{0x80000000u, 0}].eax = 0x80000001u;
  const CpuInfo c = detect_x86(f);
  EXPECT_EQ(c.brand, "");
  EXPECT_EQ(c.vendor, "GenuineIntel");
}

TEST(CpuDetect, KeyKeepsOnlySafeCharacters) {
  CpuInfo c;
  c.arch = "x86_64";
  c.vendor = "  Shanghai  ";  // Zhaoxin's vendor string, spaces included
  c.family = 7, c.model = 59;
  EXPECT_EQ(c.key(), "shanghai-7-59-scalar");
  c.arch = "aarch64", c.neon = true;
  EXPECT_EQ(c.key(), "aarch64-neon");
  c.sve = true;
  EXPECT_EQ(c.key(), "aarch64-sve");
  EXPECT_EQ(c.feature_names(), (std::vector<std::string>{"neon", "sve"}));
}

TEST(CpuDetect, HostCpuIsSane) {
  const CpuInfo& c = host_cpu();
  EXPECT_EQ(&c, &host_cpu());  // cached
  std::vector<std::thread> ts;
  std::vector<const CpuInfo*> seen(4);
  for (int i = 0; i < 4; ++i) ts.emplace_back([&seen, i] { seen[i] = &host_cpu(); });
  for (auto& t : ts) t.join();
  for (const CpuInfo* p : seen) EXPECT_EQ(p, &c);

  EXPECT_TRUE(std::regex_match(c.key(), std::regex("[a-z0-9-]+"))) << c.key();
  const auto names = c.feature_names();
#if defined(__x86_64__) || defined(_M_X64)
  EXPECT_EQ(c.arch, "x86_64");
  EXPECT_EQ(c.vendor.size(), 12u) << c.vendor;
  EXPECT_GE(c.family, 6u);
  EXPECT_TRUE(c.sse2);  // baseline x86-64
  EXPECT_FALSE(c.neon || c.sve);
  // Gating invariants hold whatever the host supports.
  if (c.avx || c.avx2 || c.fma) { EXPECT_TRUE(c.os_ymm); }
  if (c.avx512f) { EXPECT_TRUE(c.os_zmm); }
  if (c.os_zmm) { EXPECT_TRUE(c.os_ymm); }
  if (c.os_ymm) { EXPECT_TRUE(c.os_xsave); }
#elif defined(__aarch64__)
  EXPECT_EQ(c.arch, "aarch64");
  EXPECT_TRUE(c.neon);
  EXPECT_TRUE(c.key() == "aarch64-neon" || c.key() == "aarch64-sve");
#endif
  if (c.l1d && c.l2) { EXPECT_LE(c.l1d, c.l2); }
  if (c.l1d) { EXPECT_LE(c.l1d, 4u << 20); }
  std::string line;
  for (const auto& n : names) line += n + " ";
  std::printf("host: %s | %s | %s | l1d=%llu l2=%llu l3=%llu\n  features: %s\n", c.key().c_str(), c.vendor.c_str(),
              c.brand.c_str(), static_cast<unsigned long long>(c.l1d), static_cast<unsigned long long>(c.l2),
              static_cast<unsigned long long>(c.l3), line.c_str());
}

}  // namespace
}  // namespace diaggauss::detail
