// The one list of instruction sets.  Everything else follows from it: the `Isa` enum, the names and their
// parsing, the CPU features an ISA needs before its code may run (never SIGILL), whether it has FMA, and the
// default priority order.  It lives in kernels/common/ (the bottom layer) because kernels, dispatch, tuner, CLI
// and tests all speak it; it depends on nothing.
//
// Columns: X(id, rank, fma, "features")
//   rank      the default dispatcher prefers the runnable ISA of highest rank (ties never meet in one build:
//             neon and the x86 ISAs are never compiled together).
//   fma       the ISA's kernels compute the recipes' fma steps fused (scalar: std::fma, correctly rounded even
//             where the CPU has no FMA unit), so their results are bit-identical to the scalar oracle's; sse4
//             has no FMA and rounds twice (tests then allow a few ulps).
//   features  CPU features (CpuInfo::feature_names() spelling, space separated) the ISA's code needs.  They are
//             exactly the features its compile flags let the compiler use (cmake/DiaggaussIsa.cmake's
//             DG_FLAGS_<isa>): "an AVX2 CPU" is x86-64-v3's AVX2 + FMA + BMI1/2 + F16C (+ POPCNT), because
//             kernels/avx2 is compiled with -mbmi -mbmi2 -mf16c and the compiler may emit those instructions.
//             The profile key (CpuInfo::key) uses the same definition.
// Adding an ISA: one line here, DG_FLAGS_<isa> in cmake/DiaggaussIsa.cmake, and its kernels/<isa>/ folder
// (docs/implementing-a-target.md).
#pragma once

namespace diaggauss::detail {

#define DG_ISA_LIST(X)                                                                  \
  X(scalar, 0, true, "")                                                                \
  X(sse4, 1, false, "sse4.2 popcnt")                                                    \
  X(avx2, 2, true, "avx2 fma bmi1 bmi2 f16c popcnt")                                    \
  X(avx512, 3, true, "avx512f avx512vl avx512dq avx512bw avx2 fma bmi1 bmi2 f16c popcnt") \
  X(neon, 2, true, "neon")

enum class Isa {
#define DG_ISA_ENUM(id, rank, fma, features) id,
  DG_ISA_LIST(DG_ISA_ENUM)
#undef DG_ISA_ENUM
};

struct IsaSpec {
  Isa isa;
  const char* name;
  int rank;
  bool fma;
  const char* features;  // space separated, "" for none
};

inline constexpr IsaSpec kIsaSpecs[] = {
#define DG_ISA_SPEC(id, rank, fma, features) {Isa::id, #id, rank, fma, features},
    DG_ISA_LIST(DG_ISA_SPEC)
#undef DG_ISA_SPEC
};
inline constexpr int kIsaCount = static_cast<int>(sizeof kIsaSpecs / sizeof kIsaSpecs[0]);

constexpr const IsaSpec& isa_spec(Isa isa) { return kIsaSpecs[static_cast<int>(isa)]; }

// Every ISA, best first (rank descending; the list's order among equal ranks).
struct IsaOrder {
  Isa isa[kIsaCount];
  constexpr const Isa* begin() const { return isa; }
  constexpr const Isa* end() const { return isa + kIsaCount; }
};
constexpr IsaOrder isas_by_priority() {
  IsaOrder o{};
  for (int i = 0; i < kIsaCount; ++i) {
    int j = i;
    for (; j > 0 && isa_spec(o.isa[j - 1]).rank < kIsaSpecs[i].rank; --j) o.isa[j] = o.isa[j - 1];
    o.isa[j] = kIsaSpecs[i].isa;
  }
  return o;
}

// Every ISA in list order (for listing names).
constexpr IsaOrder all_isas() {
  IsaOrder o{};
  for (int i = 0; i < kIsaCount; ++i) o.isa[i] = kIsaSpecs[i].isa;
  return o;
}

}  // namespace diaggauss::detail
