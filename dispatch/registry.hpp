// The registry: every implementation compiled into this build, as a record in priority order (simdjson's
// "implementations in a priority list").  The order is not written by hand: it follows from the ISA list's rank
// (kernels/common/isa_list.hpp) and the family order (dispatch/names.hpp).  docs/implementing-a-target.md has the
// checklist for adding an ISA.
#pragma once
#include <string>
#include <vector>

#include "dispatch/cpu_detect.hpp"
#include "dispatch/names.hpp"
#include "kernels/common/kernel_table.hpp"

namespace diaggauss::detail {

struct Implementation {
  Isa isa;
  Family family;
  const char* name;         // "avx2/intrinsics"
  const char* description;  // one line for `diaggauss info`
  const KernelTable& (*table)();
  Blocking defaults;        // the block sizes this implementation starts from
};

// Every compiled-in implementation, best first: higher ISA rank first, then intrinsics, highway, xsimd, scalar.
const std::vector<Implementation>& registry();
const Implementation* find_implementation(Isa isa, Family family);

}  // namespace diaggauss::detail
