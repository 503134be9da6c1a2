// Block sizes that shape the kernels' loops (BLIS's "context" idea): every implementation record carries
// its defaults next to its kernels; a tuning profile may override them within each parameter's range.
// No parameter may change a result beyond its kernel's contract (tests run kernels under several settings).
// Every parameter here is read by code it tunes (dispatch/profile.cpp's param_applies says which kernels);
// rhs_tile (multi-RHS column tile) and grain (threading) were removed in issue 16 because nothing read them:
// old profiles and table rows that name them still load, the value is ignored (profile.cpp: param_retired).
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace diaggauss {

struct Blocking {
  std::uint32_t point_tile = 64;     // log-densities: points per tile
  std::uint32_t comp_tile = 8;       // mixture log-density: components per tile
  std::uint32_t sample_chunk = 1024; // sample_diag/gmm: values per chunk of rows (src/api_sample.cpp)
  std::uint32_t philox_ilv = 2;      // sampler: independent Philox groups interleaved
};

// Description of one tunable parameter: the tuner may only move it within [min, max] in steps of `multiple`, and
// only for the operations in `read_by` (dispatch/profile.cpp's param_applies reads this list): the operations whose
// code reads the parameter on every implementation but the scalar oracle, which has no loop shapes to tune.
// tests/test_knobs_live.cpp holds every pair to it.
struct BlockingParam {
  const char* name;
  std::uint32_t Blocking::*field;
  std::uint32_t min, max, multiple;
  const char* read_by;  // operation names (dispatch/kernel_list.hpp), space separated
};

inline constexpr BlockingParam kBlockingParams[] = {
    // the mixture log-density's tiling (diag_logpdf uses each point once: one pass, no tile to tune)
    {"point_tile", &Blocking::point_tile, 8, 1024, 8, "gmm_logpdf"},
    {"comp_tile", &Blocking::comp_tile, 1, 64, 1, "gmm_logpdf"},
    // the API's row chunking of the composed samplers (src/api_sample.cpp)
    {"sample_chunk", &Blocking::sample_chunk, 64, 16384, 64, "sample_diag sample_gmm"},
    // the sampler's Philox groups in flight (kernels/common/stream_driver.hpp, Highway's own driver)
    {"philox_ilv", &Blocking::philox_ilv, 1, 4, 1, "normal sample_diag sample_gmm"},
};

// Positions in kBlockingParams, for the probe below.
enum BlockingParamIndex : int {
  kPointTileParam,
  kCompTileParam,
  kSampleChunkParam,
  kPhiloxIlvParam,
  kBlockingParamCount
};
static_assert(sizeof kBlockingParams / sizeof kBlockingParams[0] == kBlockingParamCount);

// What the last call actually made of each parameter where it shapes a loop (points per tile, components per tile,
// rows per sampling chunk, Philox groups in flight), written by the code that reads the parameter.
// tests/test_knobs_live.cpp moves each tuned parameter between two values and requires the recorded shape to move
// with it, on every implementation: a parameter that stops being read fails that test.  Relaxed atomics, not
// thread_local: a store costs one plain move (a thread_local in a shared library costs a __tls_get_addr call per
// kernel call, measurable on the short sampling chunks), and concurrent calls from several threads are no data
// race (the value is then any one call's; the test calls from one thread).  Data only, so that ISA-specific code
// can write it without sharing any function.
inline std::atomic<std::uint32_t> blocking_used[kBlockingParamCount] = {};

}  // namespace diaggauss

// blocking_used[index] = value (a macro, not a function: an inline function compiled with one ISA's flags could be
// merged into another's code by the linker).
#define DG_NOTE_BLOCKING(index, value) \
  (::diaggauss::blocking_used[::diaggauss::index].store(static_cast<std::uint32_t>(value), std::memory_order_relaxed))
