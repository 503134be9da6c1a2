// Block sizes that shape the kernels' loops (BLIS's "context" idea): every implementation record carries
// its defaults next to its kernels; a tuning profile may override them within each parameter's range.
// No parameter may change a result beyond its kernel's contract (tests run kernels under several settings).
// Every parameter here is read by code it tunes (dispatch/profile.cpp's param_applies says which kernels);
// rhs_tile (multi-RHS column tile) and grain (threading) were removed in issue 16 because nothing read them:
// old profiles and table rows that name them still load, the value is ignored (profile.cpp: param_retired).
#pragma once
#include <cstddef>
#include <cstdint>

namespace diaggauss {

struct Blocking {
  std::uint32_t point_tile = 64;     // log-densities: points per tile
  std::uint32_t comp_tile = 8;       // mixture log-density: components per tile
  std::uint32_t sample_chunk = 1024; // sample_diag/gmm: values per chunk of rows (src/api_sample.cpp)
  std::uint32_t philox_ilv = 2;      // sampler: independent Philox groups interleaved
};

// Description of one tunable parameter: the tuner may only move it within [min, max] in steps of `multiple`.
struct BlockingParam {
  const char* name;
  std::uint32_t Blocking::*field;
  std::uint32_t min, max, multiple;
};

inline constexpr BlockingParam kBlockingParams[] = {
    {"point_tile", &Blocking::point_tile, 8, 1024, 8},
    {"comp_tile", &Blocking::comp_tile, 1, 64, 1},
    {"sample_chunk", &Blocking::sample_chunk, 64, 16384, 64},
    {"philox_ilv", &Blocking::philox_ilv, 1, 4, 1},
};

}  // namespace diaggauss
