// CPU feature detection (see cpu_detect.hpp).  This file is compiled WITHOUT any -m ISA flags: it must run on
// every x86-64 (or aarch64) machine, so it uses no intrinsics that need target flags (xgetbv is inline asm).
#include "dispatch/cpu_detect.hpp"

#include <cctype>
#include <cstring>
#include <utility>

#if defined(__x86_64__) || defined(_M_X64)
#if defined(_MSC_VER)
#include <intrin.h>  // __cpuidex, _xgetbv (MSVC's need no target flags)
#else
#include <cpuid.h>
#endif
#elif defined(__aarch64__)
#include <fstream>
#include <sys/auxv.h>
#include <asm/hwcap.h>
#include <unistd.h>
#endif

namespace diaggauss::detail {
namespace {

constexpr bool bit(std::uint32_t reg, int n) { return (reg >> n) & 1u; }
constexpr std::uint32_t bits(std::uint32_t reg, int lo, int width) { return (reg >> lo) & ((1u << width) - 1u); }

// Strips the leading/trailing spaces and NULs that cpuid brand strings are padded with.
std::string trim(const std::string& s) {
  const char* ws = " \t\r\n\f\v";
  std::string t(s.c_str());  // cut at the first NUL
  const auto b = t.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  return t.substr(b, t.find_last_not_of(ws) - b + 1);
}

// Leaf 4 and AMD's 0x8000001D share one layout: eax type[4:0] level[7:5]; ebx line-1[11:0] partitions-1[21:12]
// ways-1[31:22]; ecx sets-1.  Walks the subleafs until the "no more caches" type 0.
void read_cache_leaf(const CpuProbe& p, std::uint32_t leaf, CpuInfo& info) {
  for (std::uint32_t sub = 0; sub < 32; ++sub) {
    const CpuidRegs r = p.cpuid(leaf, sub);
    const std::uint32_t type = bits(r.eax, 0, 5), level = bits(r.eax, 5, 3);
    if (type == 0) break;
    if (type == 2) continue;  // instruction cache
    const std::uint64_t size = std::uint64_t{bits(r.ebx, 22, 10) + 1} * (bits(r.ebx, 12, 10) + 1) *
                               (bits(r.ebx, 0, 12) + 1) * (std::uint64_t{r.ecx} + 1);
    if (level == 1) info.l1d = size;
    else if (level == 2) info.l2 = size;
    else if (level == 3) info.l3 = size;
  }
}

// Lower case, keeping only [a-z0-9-] (key() goes into file names).
std::string key_part(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    c = static_cast<unsigned char>(std::tolower(c));
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') out += static_cast<char>(c);
  }
  return out.empty() ? "unknown" : out;
}

#if defined(__x86_64__) || defined(_M_X64)
class HostProbe final : public CpuProbe {
 public:
  CpuidRegs cpuid(std::uint32_t leaf, std::uint32_t subleaf) const override {
    CpuidRegs r;
#if defined(_MSC_VER)
    int v[4];
    __cpuidex(v, static_cast<int>(leaf), static_cast<int>(subleaf));
    r.eax = std::uint32_t(v[0]), r.ebx = std::uint32_t(v[1]), r.ecx = std::uint32_t(v[2]), r.edx = std::uint32_t(v[3]);
#else
    __cpuid_count(leaf, subleaf, r.eax, r.ebx, r.ecx, r.edx);
#endif
    return r;
  }
  std::uint64_t xgetbv0() const override {
#if defined(_MSC_VER)
    return _xgetbv(0);
#else
    // GCC's _xgetbv needs -mxsave; the raw instruction doesn't.  It faults unless CR4.OSXSAVE is set, which is
    // why detect_x86 only calls this after seeing cpuid's OSXSAVE bit.
    std::uint32_t lo = 0, hi = 0;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0u));
    return (std::uint64_t{hi} << 32) | lo;
#endif
  }
};
#endif

CpuInfo detect_host() {
#if defined(__x86_64__) || defined(_M_X64)
  return detect_x86(HostProbe{});
#elif defined(__aarch64__)
  CpuInfo info;
  info.arch = "aarch64";
  info.neon = true;  // baseline on AArch64
#ifdef HWCAP_SVE
  info.sve = (getauxval(AT_HWCAP) & HWCAP_SVE) != 0;
#endif
  // Most arm64 kernels print no "model name"; older ones and some vendors use "Hardware" or "Model".
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; info.brand.empty() && std::getline(in, line);) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string k = trim(line.substr(0, colon));
    if (k == "model name" || k == "Hardware" || k == "Model") info.brand = trim(line.substr(colon + 1));
  }
  const auto sc = [](int name) -> std::uint64_t {
    const long v = sysconf(name);
    return v > 0 ? static_cast<std::uint64_t>(v) : 0;
  };
#ifdef _SC_LEVEL1_DCACHE_SIZE
  info.l1d = sc(_SC_LEVEL1_DCACHE_SIZE);
#endif
#ifdef _SC_LEVEL2_CACHE_SIZE
  info.l2 = sc(_SC_LEVEL2_CACHE_SIZE);
#endif
#ifdef _SC_LEVEL3_CACHE_SIZE
  info.l3 = sc(_SC_LEVEL3_CACHE_SIZE);
#endif
  (void)sc;
  return info;
#else
  CpuInfo info;
  info.arch = "unknown";
  return info;
#endif
}

}  // namespace

CpuInfo detect_x86(const CpuProbe& p) {
  CpuInfo info;
  info.arch = "x86_64";

  const CpuidRegs l0 = p.cpuid(0, 0);
  const std::uint32_t max_leaf = l0.eax;
  char vendor[12];
  std::memcpy(vendor + 0, &l0.ebx, 4);  // the vendor string is ebx, edx, ecx in that order
  std::memcpy(vendor + 4, &l0.edx, 4);
  std::memcpy(vendor + 8, &l0.ecx, 4);
  info.vendor = trim(std::string(vendor, 12));
  const bool amd = info.vendor == "AuthenticAMD" || info.vendor == "HygonGenuine";

  // Above the max leaf Intel returns the highest basic leaf's data instead of zeros, so every leaf is gated.
  CpuidRegs l1, l7;
  if (max_leaf >= 1) l1 = p.cpuid(1, 0);
  if (max_leaf >= 7) l7 = p.cpuid(7, 0);

  const std::uint32_t base_family = bits(l1.eax, 8, 4), base_model = bits(l1.eax, 4, 4);
  info.stepping = bits(l1.eax, 0, 4);
  info.family = base_family == 0xF ? base_family + bits(l1.eax, 20, 8) : base_family;
  info.model = (base_family == 0x6 || base_family == 0xF) ? (bits(l1.eax, 16, 4) << 4) + base_model : base_model;

  info.sse2 = bit(l1.edx, 26);
  info.sse3 = bit(l1.ecx, 0);
  info.ssse3 = bit(l1.ecx, 9);
  info.sse41 = bit(l1.ecx, 19);
  info.sse42 = bit(l1.ecx, 20);
  info.popcnt = bit(l1.ecx, 23);
  info.bmi1 = bit(l7.ebx, 3);
  info.bmi2 = bit(l7.ebx, 8);

  // The CPU may support AVX/AVX-512 while the OS doesn't save the wider registers on a context switch; using
  // them then corrupts state (or faults), so each counts only when XCR0 shows the OS enabled its state.
  info.os_xsave = bit(l1.ecx, 27);
  const std::uint64_t xcr0 = info.os_xsave ? p.xgetbv0() : 0;
  info.os_ymm = (xcr0 & 0x6) == 0x6;                     // SSE + AVX (YMM upper halves)
  info.os_zmm = info.os_ymm && (xcr0 & 0xE0) == 0xE0;    // opmask + ZMM0-15 upper halves + ZMM16-31

  info.avx = info.os_ymm && bit(l1.ecx, 28);
  info.fma = info.os_ymm && bit(l1.ecx, 12);
  info.f16c = info.os_ymm && bit(l1.ecx, 29);
  info.avx2 = info.os_ymm && bit(l7.ebx, 5);
  info.avx512f = info.os_zmm && bit(l7.ebx, 16);
  info.avx512dq = info.os_zmm && bit(l7.ebx, 17);
  info.avx512cd = info.os_zmm && bit(l7.ebx, 28);
  info.avx512bw = info.os_zmm && bit(l7.ebx, 30);
  info.avx512vl = info.os_zmm && bit(l7.ebx, 31);

  std::uint32_t max_ext = p.cpuid(0x80000000u, 0).eax;
  if (!(max_ext & 0x80000000u)) max_ext = 0;  // garbage from a CPU without extended leaves
  if (max_ext >= 0x80000004u) {
    char brand[48];
    for (std::uint32_t i = 0; i < 3; ++i) {
      const CpuidRegs r = p.cpuid(0x80000002u + i, 0);
      const std::uint32_t w[4] = {r.eax, r.ebx, r.ecx, r.edx};
      std::memcpy(brand + 16 * i, w, 16);
    }
    info.brand = trim(std::string(brand, 48));
  }

  // Caches: AMD describes them in 0x8000001D (Zen and later; all zeros without TopologyExtensions), everyone
  // else in leaf 4.  Older AMD parts only have the legacy 0x80000005/6 summary, in KB (L3 in 512 KB units).
  if (amd) {
    if (max_ext >= 0x8000001Du) read_cache_leaf(p, 0x8000001Du, info);
    if (info.l1d == 0 && max_ext >= 0x80000005u) info.l1d = std::uint64_t{bits(p.cpuid(0x80000005u, 0).ecx, 24, 8)} << 10;
    if ((info.l2 == 0 || info.l3 == 0) && max_ext >= 0x80000006u) {
      const CpuidRegs r = p.cpuid(0x80000006u, 0);
      if (info.l2 == 0) info.l2 = std::uint64_t{bits(r.ecx, 16, 16)} << 10;
      if (info.l3 == 0) info.l3 = std::uint64_t{bits(r.edx, 18, 14)} << 19;
    }
  } else if (max_leaf >= 4) {
    read_cache_leaf(p, 4, info);
  }
  return info;
}

const CpuInfo& host_cpu() {
  static const CpuInfo info = detect_host();  // C++11 "magic static": initialised once, thread-safe
  return info;
}

namespace {
// Every feature flag with its name, in feature_names() order.
struct FeatureField {
  bool CpuInfo::*have;
  const char* name;
};
constexpr FeatureField kFeatureFields[] = {
    {&CpuInfo::sse2, "sse2"},         {&CpuInfo::sse3, "sse3"},         {&CpuInfo::ssse3, "ssse3"},
    {&CpuInfo::sse41, "sse4.1"},      {&CpuInfo::sse42, "sse4.2"},      {&CpuInfo::popcnt, "popcnt"},
    {&CpuInfo::avx, "avx"},           {&CpuInfo::avx2, "avx2"},         {&CpuInfo::fma, "fma"},
    {&CpuInfo::bmi1, "bmi1"},         {&CpuInfo::bmi2, "bmi2"},         {&CpuInfo::f16c, "f16c"},
    {&CpuInfo::avx512f, "avx512f"},   {&CpuInfo::avx512vl, "avx512vl"}, {&CpuInfo::avx512dq, "avx512dq"},
    {&CpuInfo::avx512bw, "avx512bw"}, {&CpuInfo::avx512cd, "avx512cd"}, {&CpuInfo::neon, "neon"},
    {&CpuInfo::sve, "sve"}};
}  // namespace

std::vector<std::string> CpuInfo::feature_names() const {
  std::vector<std::string> out;
  for (const FeatureField& f : kFeatureFields)
    if (this->*f.have) out.emplace_back(f.name);
  return out;
}

bool CpuInfo::has(const std::string& name) const {
  for (const FeatureField& f : kFeatureFields)
    if (name == f.name) return this->*f.have;
  return false;
}

std::string missing_features(Isa isa, const CpuInfo& cpu) {
  std::string miss;
  const std::string features = isa_spec(isa).features;
  for (std::size_t b = 0; b < features.size();) {
    std::size_t e = features.find(' ', b);
    if (e == std::string::npos) e = features.size();
    const std::string name = features.substr(b, e - b);
    if (!name.empty() && !cpu.has(name)) miss += (miss.empty() ? "" : ", ") + name;
    b = e + 1;
  }
  return miss;
}

std::string CpuInfo::key() const {
  if (arch == "aarch64") return std::string("aarch64-") + (sve ? "sve" : "neon");
  // The best x86 ISA this CPU can run, by the same definition the dispatcher uses (isa_list.hpp).
  const char* level = "scalar";
  for (Isa isa : isas_by_priority())
    if (missing_features(isa, *this).empty()) {  // (an x86 CPU never has "neon")
      level = isa_spec(isa).name;
      break;
    }
  return key_part(vendor) + "-" + std::to_string(family) + "-" + std::to_string(model) + "-" + level;
}

}  // namespace diaggauss::detail
