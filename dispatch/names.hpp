// The one vocabulary of names (ISAs, families, kernels, size classes) used by the environment, the API, tests,
// benchmarks and profiles.  Pure functions with no dependency on the kernels (the profile fuzzer links this alone).
#pragma once
#include <cstddef>
#include <string>

namespace diaggauss::detail {

enum class Isa { scalar, sse4, avx2, avx512, neon };
enum class Family { intrinsics, highway, xsimd, scalar };
enum class Kernel {
  solve_diag, reciprocal, solve_diag_inv, solve_diag_multi, whiten, diag_logpdf, gmm_logpdf,
  uniform_u32, uniform, normal, sample_diag, sample_gmm,
  count
};
inline constexpr int kKernelCount = static_cast<int>(Kernel::count);
// Working-set size classes: fits L1, L2, the last-level cache, or beyond it.
enum class SizeClass { l1, l2, llc, mem };
inline constexpr int kSizeClassCount = 4;

const char* isa_name(Isa isa);
const char* family_name(Family f);
const char* kernel_name(Kernel k);
const char* size_class_name(SizeClass c);
bool parse_isa(const std::string& s, Isa& out);
bool parse_family(const std::string& s, Family& out);
bool parse_kernel(const std::string& s, Kernel& out);
bool parse_size_class(const std::string& s, SizeClass& out);
// All ISA / family names, comma separated, for error messages.
const char* all_isa_names();
const char* all_family_names();

}  // namespace diaggauss::detail
