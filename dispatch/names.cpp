#include "dispatch/names.hpp"

namespace diaggauss::detail {

namespace {
constexpr const char* kKernelNames[kKernelCount] = {
    "solve_diag", "reciprocal", "solve_diag_inv", "solve_diag_multi", "whiten", "diag_logpdf", "gmm_logpdf",
    "uniform_u32", "uniform", "normal", "sample_diag", "sample_gmm"};
constexpr const char* kSizeClassNames[kSizeClassCount] = {"l1", "l2", "llc", "mem"};
}  // namespace

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::scalar: return "scalar";
    case Isa::sse4: return "sse4";
    case Isa::avx2: return "avx2";
    case Isa::avx512: return "avx512";
    case Isa::neon: return "neon";
  }
  return "?";
}

const char* family_name(Family f) {
  switch (f) {
    case Family::intrinsics: return "intrinsics";
    case Family::highway: return "highway";
    case Family::xsimd: return "xsimd";
    case Family::scalar: return "scalar";
  }
  return "?";
}

bool parse_isa(const std::string& s, Isa& out) {
  for (Isa i : {Isa::scalar, Isa::sse4, Isa::avx2, Isa::avx512, Isa::neon})
    if (s == isa_name(i)) return out = i, true;
  return false;
}

bool parse_family(const std::string& s, Family& out) {
  for (Family f : {Family::intrinsics, Family::highway, Family::xsimd, Family::scalar})
    if (s == family_name(f)) return out = f, true;
  return false;
}

const char* all_isa_names() { return "scalar, sse4, avx2, avx512, neon"; }
const char* all_family_names() { return "intrinsics, highway, xsimd, scalar"; }

const char* kernel_name(Kernel k) { return kKernelNames[static_cast<int>(k)]; }

bool parse_kernel(const std::string& s, Kernel& out) {
  for (int k = 0; k < kKernelCount; ++k)
    if (s == kKernelNames[k]) return out = static_cast<Kernel>(k), true;
  return false;
}

const char* size_class_name(SizeClass c) { return kSizeClassNames[static_cast<int>(c)]; }

bool parse_size_class(const std::string& s, SizeClass& out) {
  for (int c = 0; c < kSizeClassCount; ++c)
    if (s == kSizeClassNames[c]) return out = static_cast<SizeClass>(c), true;
  return false;
}

}  // namespace diaggauss::detail
