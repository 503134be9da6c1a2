// Block sizes that shape the kernels' loops (BLIS's "context" idea): every implementation record carries
// its defaults next to its kernels; a tuning profile may override them within each parameter's range.
// No parameter may change a result beyond its kernel's contract (tests run kernels under several settings).
#pragma once
#include <cstddef>
#include <cstdint>

namespace diaggauss {

struct Blocking {
  std::uint32_t rhs_tile = 256;      // multi-RHS solve: right-hand sides per pass over a row
  std::uint32_t point_tile = 64;     // log-densities: points per tile
  std::uint32_t comp_tile = 8;       // mixture log-density: components per tile
  std::uint32_t sample_chunk = 1024; // sampler: normals produced per inner chunk (stack buffer size)
  std::uint32_t philox_ilv = 2;      // sampler: independent Philox groups interleaved
  std::uint32_t grain = 1u << 16;    // threading: elements per task
};

// Description of one tunable parameter: the tuner may only move it within [min, max] in steps of `multiple`.
struct BlockingParam {
  const char* name;
  std::uint32_t Blocking::*field;
  std::uint32_t min, max, multiple;
};

inline constexpr BlockingParam kBlockingParams[] = {
    {"rhs_tile", &Blocking::rhs_tile, 8, 4096, 8},
    {"point_tile", &Blocking::point_tile, 8, 1024, 8},
    {"comp_tile", &Blocking::comp_tile, 1, 64, 1},
    {"sample_chunk", &Blocking::sample_chunk, 64, 16384, 64},
    {"philox_ilv", &Blocking::philox_ilv, 1, 4, 1},
    {"grain", &Blocking::grain, 1024, 1u << 24, 1024},
};

}  // namespace diaggauss
