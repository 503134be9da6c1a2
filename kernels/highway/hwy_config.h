// Which Highway targets this family is compiled for.  Included first by every kernels/highway/*.cpp, before
// any Highway header, so that all of the family's translation units agree on the set.
//
// One Highway target per ISA the registry knows: SSE4 -> sse4, AVX2 -> avx2, AVX3 -> avx512, NEON -> neon.
// SSSE3, AVX3_DL and the SVE family have no registry entry, so compiling them would only cost build time.
// Highway always adds its baseline target as well (HWY_SCALAR on plain x86-64 with GCC 12, which Highway
// considers too buggy for EMU128); it cannot be disabled, so DG_HWY_KERNEL_TARGET leaves that pass empty:
// the portable fallback is our own scalar oracle.
#pragma once

#ifndef HWY_DISABLED_TARGETS
#define HWY_DISABLED_TARGETS (HWY_SSSE3 | HWY_AVX3_DL | HWY_SVE | HWY_SVE2 | HWY_SVE_256 | HWY_SVE2_128)
#endif

// True in the foreach_target passes whose code the registry can select.
#define DG_HWY_KERNEL_TARGET \
  (HWY_TARGET == HWY_SSE4 || HWY_TARGET == HWY_AVX2 || HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_NEON)
