// The one vocabulary of names (ISAs, families, operations, size classes) used by the environment, the API, tests,
// benchmarks and profiles.  Pure functions with no dependency on the kernels (the profile fuzzer links this alone).
#pragma once
#include <cstddef>
#include <string>

#include "dispatch/kernel_list.hpp"   // Operation: the one list of API operations
#include "kernels/common/isa_list.hpp"  // Isa: the one ISA list

namespace diaggauss::detail {

// Implementation families, in the order the default dispatcher prefers them within one ISA.
#define DG_FAMILY_LIST(X) X(intrinsics) X(highway) X(xsimd) X(scalar)
enum class Family {
#define DG_FAMILY_ENUM(id) id,
  DG_FAMILY_LIST(DG_FAMILY_ENUM)
#undef DG_FAMILY_ENUM
};
// Working-set size classes: fits L1, L2, the last-level cache, or beyond it.
enum class SizeClass { l1, l2, llc, mem };
inline constexpr int kSizeClassCount = 4;

const char* isa_name(Isa isa);
const char* family_name(Family f);
const char* operation_name(Operation k);
const char* size_class_name(SizeClass c);
bool parse_isa(const std::string& s, Isa& out);
bool parse_family(const std::string& s, Family& out);
bool parse_operation(const std::string& s, Operation& out);
bool parse_size_class(const std::string& s, SizeClass& out);
// All ISA / family names, comma separated, for error messages.
const char* all_isa_names();
const char* all_family_names();

}  // namespace diaggauss::detail
