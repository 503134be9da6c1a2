#include "dispatch/registry.hpp"

#include <algorithm>
#include <cstring>

#include "kernels/scalar/scalar_kernels.hpp"

// Each implementation exposes `const KernelTable& diaggauss::<ns>::kernel_table()` and its default blocking.
#define DG_DECLARE_IMPL(ns)                \
  namespace diaggauss::ns {                \
  const KernelTable& kernel_table();       \
  Blocking default_blocking();             \
  }
#if DG_HAVE_INTRINSICS_AVX512
DG_DECLARE_IMPL(avx512)
#endif
#if DG_HAVE_INTRINSICS_AVX2
DG_DECLARE_IMPL(avx2)
#endif
#if DG_HAVE_INTRINSICS_SSE4
DG_DECLARE_IMPL(sse4)
#endif
#if DG_HAVE_INTRINSICS_NEON
DG_DECLARE_IMPL(neon)
#endif
#if DG_HAVE_XSIMD_AVX512
DG_DECLARE_IMPL(xsimd_avx512)
#endif
#if DG_HAVE_XSIMD_AVX2
DG_DECLARE_IMPL(xsimd_avx2)
#endif
#if DG_HAVE_XSIMD_SSE4
DG_DECLARE_IMPL(xsimd_sse4)
#endif
#if DG_HAVE_XSIMD_NEON
DG_DECLARE_IMPL(xsimd_neon)
#endif
#if DG_HAVE_HIGHWAY
namespace diaggauss::hwy_family {
// nullptr when Highway was not compiled for that target in this build.
const KernelTable* kernel_table_for(detail::Isa isa);
Blocking default_blocking(detail::Isa isa);
}  // namespace diaggauss::hwy_family
#endif

namespace diaggauss::detail {

static std::vector<Implementation> build_registry() {
  std::vector<Implementation> r;
  // An implementation's default blocking comes from code compiled with its ISA's flags, so it is asked for only
  // when this CPU can run that ISA (calling it elsewhere could raise SIGILL); other records keep Blocking{}.
  const CpuInfo& cpu = host_cpu();
  auto add = [&](Isa isa, Family fam, const char* name, const char* desc, const KernelTable& (*table)(),
                 Blocking (*blocking)()) {
    r.push_back(Implementation{isa, fam, name, desc, table, missing_features(isa, cpu).empty() ? blocking() : Blocking{}});
  };
  // Records are added in any order and sorted below: the priority order follows from the ISA list.
#define DG_HWY_ENTRY(ISA, NAME, DESC)                                                                   \
  if (hwy_family::kernel_table_for(Isa::ISA))                                                           \
    add(Isa::ISA, Family::highway, NAME, DESC,                                                          \
        [] () -> const KernelTable& { return *hwy_family::kernel_table_for(Isa::ISA); },               \
        [] { return hwy_family::default_blocking(Isa::ISA); });
#if DG_HAVE_INTRINSICS_AVX512
  add(Isa::avx512, Family::intrinsics, "avx512/intrinsics", "AVX-512 F/VL/DQ/BW intrinsics, masked tails",
      &avx512::kernel_table, &avx512::default_blocking);
#endif
#if DG_HAVE_HIGHWAY
  DG_HWY_ENTRY(avx512, "avx512/highway", "Google Highway, AVX3 target")
#endif
#if DG_HAVE_XSIMD_AVX512
  add(Isa::avx512, Family::xsimd, "avx512/xsimd", "xsimd batch<T, avx512bw>", &xsimd_avx512::kernel_table,
      &xsimd_avx512::default_blocking);
#endif
#if DG_HAVE_INTRINSICS_AVX2
  add(Isa::avx2, Family::intrinsics, "avx2/intrinsics", "AVX2 + FMA intrinsics", &avx2::kernel_table,
      &avx2::default_blocking);
#endif
#if DG_HAVE_HIGHWAY
  DG_HWY_ENTRY(avx2, "avx2/highway", "Google Highway, AVX2 target")
#endif
#if DG_HAVE_XSIMD_AVX2
  add(Isa::avx2, Family::xsimd, "avx2/xsimd", "xsimd batch<T, fma3<avx2>>", &xsimd_avx2::kernel_table,
      &xsimd_avx2::default_blocking);
#endif
#if DG_HAVE_INTRINSICS_SSE4
  add(Isa::sse4, Family::intrinsics, "sse4/intrinsics", "SSE4.2 intrinsics (no FMA)", &sse4::kernel_table,
      &sse4::default_blocking);
#endif
#if DG_HAVE_HIGHWAY
  DG_HWY_ENTRY(sse4, "sse4/highway", "Google Highway, SSE4 target")
#endif
#if DG_HAVE_XSIMD_SSE4
  add(Isa::sse4, Family::xsimd, "sse4/xsimd", "xsimd batch<T, sse4_2>", &xsimd_sse4::kernel_table,
      &xsimd_sse4::default_blocking);
#endif
#if DG_HAVE_INTRINSICS_NEON
  add(Isa::neon, Family::intrinsics, "neon/intrinsics", "AArch64 NEON (ASIMD) intrinsics", &neon::kernel_table,
      &neon::default_blocking);
#endif
#if DG_HAVE_HIGHWAY
  DG_HWY_ENTRY(neon, "neon/highway", "Google Highway, NEON target")
#endif
#if DG_HAVE_XSIMD_NEON
  add(Isa::neon, Family::xsimd, "neon/xsimd", "xsimd batch<T, neon64>", &xsimd_neon::kernel_table,
      &xsimd_neon::default_blocking);
#endif
#undef DG_HWY_ENTRY
  add(Isa::scalar, Family::scalar, "scalar/scalar", "portable scalar reference (the oracle)", &scalar::kernel_table,
      [] { return Blocking{}; });
  std::stable_sort(r.begin(), r.end(), [](const Implementation& a, const Implementation& b) {
    const int ra = isa_spec(a.isa).rank, rb = isa_spec(b.isa).rank;
    return ra != rb ? ra > rb : a.family < b.family;
  });
  return r;
}

const std::vector<Implementation>& registry() {
  static const std::vector<Implementation> r = build_registry();
  return r;
}

const Implementation* find_implementation(Isa isa, Family family) {
  for (const Implementation& impl : registry())
    if (impl.isa == isa && impl.family == family) return &impl;
  return nullptr;
}

}  // namespace diaggauss::detail
