// Everything the xsimd kernel headers need from outside, included at global scope by each table_<isa>.cpp
// before it opens its own namespace.  The kernel headers (xsimd_kernels.hpp and the files it includes) are
// included *inside* that namespace and so must not include anything themselves.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include <xsimd/xsimd.hpp>  // also brings in <immintrin.h> or <arm_neon.h> for the few raw intrinsics

#include "kernels/common/blocking.hpp"
#include "kernels/common/exp_recipe.hpp"
#include "kernels/common/kernel_table.hpp"
#include "kernels/common/normal_recipe.hpp"
#include "kernels/common/normal_v2_body.hpp"
#include "kernels/common/scale_whole_rows.hpp"
#include "kernels/common/stream_driver.hpp"
#include "kernels/scalar/scalar_table.hpp"

// dispatch/registry.cpp calls default_blocking() (and may call kernel_table()) while it builds the registry,
// before any CPU-feature check, so those two functions must run on every CPU of the architecture even though
// their file is compiled with wider ISA flags: they are kept to baseline instructions.
#if defined(__x86_64__) || defined(__i386__)
#define DG_XSIMD_BASELINE_FN __attribute__((target("no-sse3")))
#else
#define DG_XSIMD_BASELINE_FN
#endif
