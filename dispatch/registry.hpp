// The registry: every implementation compiled into this build, as a record in priority order (simdjson's
// "implementations in a priority list").  Adding an ISA = one kernels/<isa>/ folder + one line in registry.cpp.
#pragma once
#include <string>
#include <vector>

#include "dispatch/cpu_detect.hpp"
#include "dispatch/names.hpp"
#include "kernels/common/kernel_table.hpp"

namespace diaggauss::detail {

// Whether the CPU can run code compiled for `isa`, and if not, which features it lacks ("" when it can).
std::string missing_features(Isa isa, const CpuInfo& cpu);

struct Implementation {
  Isa isa;
  Family family;
  const char* name;         // "avx2/intrinsics"
  const char* description;  // one line for `diaggauss info`
  const KernelTable& (*table)();
  Blocking defaults;        // the block sizes this implementation starts from
};

// Every compiled-in implementation, best first.
const std::vector<Implementation>& registry();
const Implementation* find_implementation(Isa isa, Family family);

}  // namespace diaggauss::detail
