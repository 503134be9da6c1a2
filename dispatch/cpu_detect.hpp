// CPU feature detection.  Our own small detector (see docs/dispatch.md for why not xsimd's or cpu_features):
// on x86-64, cpuid + xgetbv, and a vector ISA counts only when the OS saves its register state (OSXSAVE, then
// XCR0's SSE/YMM bits before AVX*, and the opmask/ZMM bits before AVX-512*).  On aarch64 NEON is baseline and
// SVE is read from the auxiliary vector for information.  The x86 part reads the CPU through CpuProbe, so tests
// can feed it recorded cpuid/xgetbv values (the "FakeCpu" seam of Google's cpu_features).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/common/isa_list.hpp"

namespace diaggauss::detail {

struct CpuidRegs {
  std::uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};

// Source of raw x86 values.  The host implementation executes cpuid / xgetbv; tests replay recorded ones.
class CpuProbe {
 public:
  virtual ~CpuProbe() = default;
  virtual CpuidRegs cpuid(std::uint32_t leaf, std::uint32_t subleaf) const = 0;
  // XCR0 (xgetbv with ecx = 0).  Only called when cpuid reports OSXSAVE.
  virtual std::uint64_t xgetbv0() const = 0;
};

struct CpuInfo {
  std::string arch;    // "x86_64" or "aarch64" (or "unknown")
  std::string vendor;  // "GenuineIntel", "AuthenticAMD", ... ("" on aarch64)
  std::string brand;   // processor brand string, trimmed ("" when unknown)
  std::uint32_t family = 0, model = 0, stepping = 0;  // x86 display family/model
  // Cache sizes in bytes, 0 when unknown (x86: cpuid leaf 4 / 0x8000001D; aarch64: sysconf or 0).
  std::uint64_t l1d = 0, l2 = 0, l3 = 0;
  // x86 features, each already gated by OS support where that applies.
  bool sse2 = false, sse3 = false, ssse3 = false, sse41 = false, sse42 = false, popcnt = false;
  bool avx = false, avx2 = false, fma = false, bmi1 = false, bmi2 = false, f16c = false;
  bool avx512f = false, avx512vl = false, avx512dq = false, avx512bw = false, avx512cd = false;
  bool os_xsave = false, os_ymm = false, os_zmm = false;  // OS support read from XCR0
  // aarch64
  bool neon = false, sve = false;

  // Names of the set features in a fixed order, lower case ("sse4.2", "avx2", "fma", "avx512f", "neon", ...).
  std::vector<std::string> feature_names() const;
  // Whether feature `name` (feature_names() spelling) is set; false for a name it does not know.
  bool has(const std::string& name) const;
  // Short stable key for profile file names: e.g. "authenticamd-25-1-avx2" (lower case, [a-z0-9-] only).
  std::string key() const;
};

// Whether the CPU can run code compiled for `isa` (kernels/common/isa_list.hpp's feature column), and if not,
// which features it lacks, comma separated ("" when it can).
std::string missing_features(Isa isa, const CpuInfo& cpu);

// Detect from a probe (x86 logic; testable anywhere).
CpuInfo detect_x86(const CpuProbe& probe);
// Detect the host CPU (cached after the first call; thread-safe).
const CpuInfo& host_cpu();

}  // namespace diaggauss::detail
