#include "dispatch/cpu_tables.hpp"

#include "dispatch/profile.hpp"  // param_retired

#include <cstdlib>
#include <cstring>

namespace diaggauss::detail {
namespace {

// ---- the measured rows ------------------------------------------------------------------------------------
// Each block below is the output of tune/profile_to_cpu_table.py for one profile; the comment after each row is
// the speed-up the tuner measured over that run's default (the generic choice: the best ISA's intrinsics).
// To refresh a table: run `diaggauss tune --full --out P.json` on that CPU, then the script on P.json.  The
// profiles behind the tables are kept in tune/measured/ (see its README.md); the library never reads them.

// AMD Zen 3.  Source: tune/measured/amd-zen3-25-1-full-profile.json, `diaggauss tune --full` on the development
// machine, an AMD EPYC family 25 model 1 (Milan; brand string "AMD EPYC"), 2026-12-07, library 0.1.0 (branch
// issue12), with reciprocal, solve_diag_multi and uniform_u32 re-tuned the same day (`tune --full --kernel ...`,
// tune/measured/amd-zen3-25-1-full-rerun-profile.json).  The 2 cores were shared with four other builds (load
// average about 9), so the tuner's noise margin kept the generic choice (avx2/intrinsics) wherever a rival was not
// clearly faster in its alternated A/B measurements.  One manual change, from a quieter measurement: uniform_u32
// runs avx2/xsimd, 1.27x avx2/intrinsics at 1K and 4M in `diaggauss_bench --dg_quick` with 15 randomly interleaved
// repetitions (CPU time; docs/benchmarks.md "Per-CPU tables on Zen 3"), which the tuner's wall-clock samples under
// that load could not resolve.
const CpuTableRow kZen3Rows[] = {
    {"solve_diag", "l1", "avx2/intrinsics", ""},                                   // 1.00x avx2/intrinsics
    {"solve_diag", "l2", "avx2/intrinsics", ""},                                   // 1.00x avx2/intrinsics
    {"solve_diag", "llc", "avx2/intrinsics", ""},                                  // 1.00x avx2/intrinsics
    {"solve_diag", "mem", "avx2/intrinsics", ""},                                  // 1.00x avx2/intrinsics
    {"reciprocal", "l1", "avx2/intrinsics", ""},                                   // 1.00x avx2/intrinsics
    {"reciprocal", "l2", "avx2/intrinsics", ""},                                   // 1.00x avx2/intrinsics
    {"reciprocal", "llc", "avx2/intrinsics", ""},                                  // 1.00x avx2/intrinsics
    {"reciprocal", "mem", "avx2/intrinsics", ""},                                  // 1.00x avx2/intrinsics
    {"solve_diag_inv", "l1", "avx2/intrinsics", ""},                               // 1.00x avx2/intrinsics
    {"solve_diag_inv", "l2", "avx2/intrinsics", ""},                               // 1.00x avx2/intrinsics
    {"solve_diag_inv", "llc", "avx2/intrinsics", ""},                              // 1.00x avx2/intrinsics
    {"solve_diag_inv", "mem", "avx2/intrinsics", ""},                              // 1.00x avx2/intrinsics
    {"solve_diag_multi", "l1", "avx2/highway", ""},                    // 4.35x avx2/intrinsics
    {"solve_diag_multi", "l2", "avx2/intrinsics", ""},                 // 1.00x avx2/intrinsics
    {"solve_diag_multi", "llc", "avx2/intrinsics", ""},                // 1.00x avx2/intrinsics
    {"solve_diag_multi", "mem", "avx2/intrinsics", ""},                // 1.00x avx2/intrinsics
    {"whiten", "l1", "avx2/intrinsics", ""},                                       // 1.00x avx2/intrinsics
    {"whiten", "l2", "avx2/intrinsics", ""},                                       // 1.00x avx2/intrinsics
    {"whiten", "llc", "avx2/intrinsics", ""},                                      // 1.00x avx2/intrinsics
    {"whiten", "mem", "avx2/intrinsics", ""},                                      // 1.00x avx2/intrinsics
    {"diag_logpdf", "l1", "avx2/intrinsics", ""},                                  // 1.00x avx2/intrinsics
    {"diag_logpdf", "l2", "avx2/intrinsics", ""},                                  // 1.00x avx2/intrinsics
    {"diag_logpdf", "llc", "avx2/intrinsics", ""},                                 // 1.00x avx2/intrinsics
    {"diag_logpdf", "mem", "avx2/intrinsics", ""},                                 // 1.00x avx2/intrinsics
    {"gmm_logpdf", "l1", "avx2/intrinsics", "comp_tile=16,point_tile=64"},         // 1.00x avx2/intrinsics
    {"gmm_logpdf", "l2", "avx2/intrinsics", "comp_tile=16,point_tile=64"},         // 1.00x avx2/intrinsics
    {"gmm_logpdf", "llc", "avx2/intrinsics", "comp_tile=16,point_tile=64"},        // 1.00x avx2/intrinsics
    {"gmm_logpdf", "mem", "avx2/intrinsics", "comp_tile=16,point_tile=64"},        // 1.00x avx2/intrinsics
    {"uniform_u32", "l1", "avx2/xsimd", ""},                                       // 1.27x in diaggauss_bench (tuner: within noise)
    {"uniform_u32", "l2", "avx2/xsimd", ""},                                       // 1.27x in diaggauss_bench (tuner: within noise)
    {"uniform_u32", "llc", "avx2/xsimd", ""},                                      // 1.27x in diaggauss_bench (tuner: within noise)
    {"uniform_u32", "mem", "avx2/xsimd", ""},                                      // 1.27x in diaggauss_bench (tuner: within noise)
    {"uniform", "l1", "avx2/intrinsics", ""},                                      // 1.00x avx2/intrinsics
    {"uniform", "l2", "avx2/intrinsics", ""},                                      // 1.00x avx2/intrinsics
    {"uniform", "llc", "avx2/intrinsics", ""},                                     // 1.00x avx2/intrinsics
    {"uniform", "mem", "avx2/xsimd", ""},                                          // 1.30x avx2/intrinsics
    {"normal", "l1", "avx2/intrinsics", "philox_ilv=4"},         // 1.00x avx2/intrinsics
    {"normal", "l2", "avx2/intrinsics", "philox_ilv=4"},         // 1.00x avx2/intrinsics
    {"normal", "llc", "avx2/intrinsics", "philox_ilv=4"},        // 1.00x avx2/intrinsics
    {"normal", "mem", "avx2/intrinsics", "philox_ilv=4"},        // 1.00x avx2/intrinsics
    {"sample_diag", "l1", "avx2/intrinsics", "philox_ilv=4,sample_chunk=1024"},    // 1.00x avx2/intrinsics
    {"sample_diag", "l2", "avx2/intrinsics", "philox_ilv=4,sample_chunk=1024"},    // 1.00x avx2/intrinsics
    {"sample_diag", "llc", "avx2/intrinsics", "philox_ilv=4,sample_chunk=1024"},   // 1.00x avx2/intrinsics
    {"sample_diag", "mem", "avx2/intrinsics", "philox_ilv=4,sample_chunk=1024"},   // 1.00x avx2/intrinsics
    {"sample_gmm", "l1", "avx2/intrinsics", "philox_ilv=4,sample_chunk=1024"},     // 1.00x avx2/intrinsics
    {"sample_gmm", "l2", "avx2/intrinsics", "philox_ilv=4,sample_chunk=1024"},     // 1.00x avx2/intrinsics
    {"sample_gmm", "llc", "avx2/intrinsics", "philox_ilv=4,sample_chunk=1024"},    // 1.00x avx2/intrinsics
    {"sample_gmm", "mem", "avx2/intrinsics", "philox_ilv=4,sample_chunk=1024"},    // 1.00x avx2/intrinsics
};

// AMD Zen 4.  Source: tune/measured/amd-zen4-25-17-full-profile.json (copied from the project's shared measurements),
// `diaggauss tune --full` on an AMD EPYC family 25 model 17 (Genoa), 2 cores, quiet machine, 2026-12-04, library
// 0.1.0 (commit 593cc37).  AVX-512 on 256-bit datapaths: the avx2 logpdf kernels beat avx512/intrinsics' gathers
// 2-7x, xsimd wins sample_gmm, and the memory-bound solves prefer narrower vectors.
const CpuTableRow kZen4Rows[] = {
    {"solve_diag", "l1", "avx512/intrinsics", ""},                                 // 1.00x avx512/intrinsics
    {"solve_diag", "l2", "avx512/intrinsics", ""},                                 // 1.00x avx512/intrinsics
    {"solve_diag", "llc", "avx512/intrinsics", ""},                                // 1.00x avx512/intrinsics
    {"solve_diag", "mem", "avx2/highway", ""},                                     // 1.08x avx512/intrinsics
    {"reciprocal", "l1", "avx512/intrinsics", ""},                                 // 1.00x avx512/intrinsics
    {"reciprocal", "l2", "avx512/intrinsics", ""},                                 // 1.00x avx512/intrinsics
    {"reciprocal", "llc", "avx512/intrinsics", ""},                                // 1.00x avx512/intrinsics
    {"reciprocal", "mem", "avx512/intrinsics", ""},                                // 1.00x avx512/intrinsics
    {"solve_diag_inv", "l1", "avx2/highway", ""},                                  // 1.04x avx512/intrinsics
    {"solve_diag_inv", "l2", "sse4/highway", ""},                                  // 1.13x avx512/intrinsics
    {"solve_diag_inv", "llc", "avx2/highway", ""},                                 // 1.07x avx512/intrinsics
    {"solve_diag_inv", "mem", "sse4/xsimd", ""},                                   // 1.30x avx512/intrinsics
    {"solve_diag_multi", "l1", "avx2/highway", ""},                    // 1.08x avx512/intrinsics
    {"solve_diag_multi", "l2", "avx512/intrinsics", ""},               // 1.00x avx512/intrinsics
    {"solve_diag_multi", "llc", "sse4/highway", ""},                   // 1.04x avx512/intrinsics
    {"solve_diag_multi", "mem", "sse4/intrinsics", ""},                 // 1.10x avx512/intrinsics
    {"whiten", "l1", "avx512/highway", ""},                                        // 1.09x avx512/intrinsics
    {"whiten", "l2", "avx512/intrinsics", ""},                                     // 1.00x avx512/intrinsics
    {"whiten", "llc", "avx512/intrinsics", ""},                                    // 1.00x avx512/intrinsics
    {"whiten", "mem", "avx2/xsimd", ""},                                           // 1.22x avx512/intrinsics
    {"diag_logpdf", "l1", "avx2/intrinsics", ""},                                  // 2.25x avx512/intrinsics
    {"diag_logpdf", "l2", "avx2/intrinsics", ""},                                  // 3.45x avx512/intrinsics
    {"diag_logpdf", "llc", "avx2/intrinsics", ""},                                 // 3.49x avx512/intrinsics
    {"diag_logpdf", "mem", "avx2/highway", ""},                                    // 6.72x avx512/intrinsics
    {"gmm_logpdf", "l1", "avx2/intrinsics", "comp_tile=16,point_tile=512"},        // 1.05x avx512/intrinsics
    {"gmm_logpdf", "l2", "avx2/intrinsics", "comp_tile=16,point_tile=64"},         // 1.08x avx512/intrinsics
    {"gmm_logpdf", "llc", "avx2/intrinsics", "comp_tile=32,point_tile=32"},        // 1.13x avx512/intrinsics
    {"gmm_logpdf", "mem", "avx512/highway", "comp_tile=16,point_tile=32"},         // 1.44x avx512/intrinsics
    {"uniform_u32", "l1", "avx512/intrinsics", ""},                                // 1.00x avx512/intrinsics
    {"uniform_u32", "l2", "avx512/intrinsics", ""},                                // 1.00x avx512/intrinsics
    {"uniform_u32", "llc", "avx512/intrinsics", ""},                               // 1.00x avx512/intrinsics
    {"uniform_u32", "mem", "avx512/intrinsics", ""},                               // 1.00x avx512/intrinsics
    {"uniform", "l1", "avx512/intrinsics", ""},                                    // 1.00x avx512/intrinsics
    {"uniform", "l2", "avx512/intrinsics", ""},                                    // 1.00x avx512/intrinsics
    {"uniform", "llc", "avx512/intrinsics", ""},                                   // 1.00x avx512/intrinsics
    {"uniform", "mem", "avx512/intrinsics", ""},                                   // 1.00x avx512/intrinsics
    {"normal", "l1", "avx512/intrinsics", "philox_ilv=4"},       // 1.00x avx512/intrinsics
    {"normal", "l2", "avx512/intrinsics", "philox_ilv=3"},       // 1.05x avx512/intrinsics
    {"normal", "llc", "avx512/intrinsics", "philox_ilv=3"},      // 1.04x avx512/intrinsics
    {"normal", "mem", "avx512/intrinsics", "philox_ilv=3"},      // 1.04x avx512/intrinsics
    {"sample_diag", "l1", "avx512/intrinsics", "philox_ilv=3,sample_chunk=4096"},  // 1.05x avx512/intrinsics
    {"sample_diag", "l2", "avx512/intrinsics", "philox_ilv=3,sample_chunk=8192"},  // 1.06x avx512/intrinsics
    {"sample_diag", "llc", "avx512/intrinsics", "philox_ilv=3,sample_chunk=8192"}, // 1.06x avx512/intrinsics
    {"sample_diag", "mem", "avx512/intrinsics", "philox_ilv=4,sample_chunk=1024"}, // 1.00x avx512/intrinsics
    {"sample_gmm", "l1", "avx512/xsimd", "philox_ilv=3,sample_chunk=2048"},        // 1.55x avx512/intrinsics
    {"sample_gmm", "l2", "avx512/xsimd", "philox_ilv=3,sample_chunk=4096"},        // 1.58x avx512/intrinsics
    {"sample_gmm", "llc", "avx512/xsimd", "philox_ilv=4,sample_chunk=8192"},       // 1.56x avx512/intrinsics
    {"sample_gmm", "mem", "avx512/xsimd", "philox_ilv=3,sample_chunk=8192"},       // 1.59x avx512/intrinsics
};

// Intel Sapphire Rapids (family 6 model 143) / Emerald Rapids (model 207), both Golden/Raptor Cove server cores.
// Source: tune/measured/intel-xeon-6-207-full-profile.json, `DIAGGAUSS_PROFILE=none DIAGGAUSS_CPU_TABLE=generic
// diaggauss tune --full --budget 480` on the development machine of 2026-12-07/08 (night), "Intel(R) Xeon(R)
// Processor", family 6 model 207 (Emerald Rapids class), 2 cores of a KVM guest, library 0.1.0 after the AVX2
// Philox and aligned-store changes of that night.  Replaces the rows of a `tune --quick` profile of 2026-12-04
// (tune/measured/intel-xeon-6-207-quick-profile.json), which predated the AVX-512 log-density transposes, the
// half-vector sampler rows and the aligned stores (it sent sample_gmm to avx512/xsimd, solve_diag_inv and whiten to
// narrower bodies).  The tuner's arrays are std::vectors, 16 bytes past a cache line: rows are chosen for such
// data (whiten mem on scalar/scalar: its split-line zmm stores lose to 8-byte ones when bound by memory).
// Sapphire Rapids was not measured; it shares the core design.
const CpuTableRow kSprRows[] = {
    {"solve_diag", "l1", "avx512/intrinsics", ""},                                 // 1.00x avx512/intrinsics
    {"solve_diag", "l2", "avx512/intrinsics", ""},                                 // 1.00x avx512/intrinsics
    {"solve_diag", "llc", "avx512/intrinsics", ""},                                // 1.00x avx512/intrinsics
    {"solve_diag", "mem", "avx512/intrinsics", ""},                                // 1.00x avx512/intrinsics
    {"reciprocal", "l1", "avx512/intrinsics", ""},                                 // 1.00x avx512/intrinsics
    {"reciprocal", "l2", "avx512/intrinsics", ""},                                 // 1.00x avx512/intrinsics
    {"reciprocal", "llc", "avx512/intrinsics", ""},                                // 1.00x avx512/intrinsics
    {"reciprocal", "mem", "avx512/intrinsics", ""},                                // 1.00x avx512/intrinsics
    {"solve_diag_inv", "l1", "avx512/intrinsics", ""},                             // 1.00x avx512/intrinsics
    {"solve_diag_inv", "l2", "sse4/highway", ""},                                  // 1.05x avx512/intrinsics
    {"solve_diag_inv", "llc", "avx512/intrinsics", ""},                            // 1.00x avx512/intrinsics
    {"solve_diag_inv", "mem", "avx512/intrinsics", ""},                            // 1.00x avx512/intrinsics
    {"solve_diag_multi", "l1", "avx512/intrinsics", ""},                           // 1.00x avx512/intrinsics
    {"solve_diag_multi", "l2", "avx2/intrinsics", ""},                             // 1.31x avx512/intrinsics
    {"solve_diag_multi", "llc", "avx512/highway", ""},                             // 1.09x avx512/intrinsics
    {"solve_diag_multi", "mem", "avx512/intrinsics", ""},                          // 1.00x avx512/intrinsics
    {"whiten", "l1", "avx2/highway", ""},                                          // 1.04x avx512/intrinsics
    {"whiten", "l2", "avx512/intrinsics", ""},                                     // 1.00x avx512/intrinsics
    {"whiten", "llc", "avx512/intrinsics", ""},                                    // 1.00x avx512/intrinsics
    {"whiten", "mem", "scalar/scalar", ""},                                        // 1.49x avx512/intrinsics
    {"diag_logpdf", "l1", "avx512/intrinsics", ""},                                // 1.00x avx512/intrinsics
    {"diag_logpdf", "l2", "avx512/intrinsics", ""},                                // 1.00x avx512/intrinsics
    {"diag_logpdf", "llc", "avx2/intrinsics", ""},                                 // 1.06x avx512/intrinsics
    {"diag_logpdf", "mem", "avx2/xsimd", ""},                                      // 1.10x avx512/intrinsics
    {"gmm_logpdf", "l1", "avx512/intrinsics", "comp_tile=8,point_tile=64"},        // 1.00x avx512/intrinsics
    {"gmm_logpdf", "l2", "avx512/intrinsics", "comp_tile=8,point_tile=64"},        // 1.00x avx512/intrinsics
    {"gmm_logpdf", "llc", "avx512/intrinsics", "comp_tile=8,point_tile=64"},       // 1.00x avx512/intrinsics
    {"gmm_logpdf", "mem", "avx512/intrinsics", "comp_tile=8,point_tile=64"},       // 1.00x avx512/intrinsics
    {"uniform_u32", "l1", "avx512/intrinsics", ""},                                // 1.00x avx512/intrinsics
    {"uniform_u32", "l2", "avx512/intrinsics", ""},                                // 1.00x avx512/intrinsics
    {"uniform_u32", "llc", "avx512/intrinsics", ""},                               // 1.00x avx512/intrinsics
    {"uniform_u32", "mem", "avx512/highway", ""},                                  // 1.20x avx512/intrinsics
    {"uniform", "l1", "avx512/intrinsics", ""},                                    // 1.00x avx512/intrinsics
    {"uniform", "l2", "avx512/intrinsics", ""},                                    // 1.00x avx512/intrinsics
    {"uniform", "llc", "avx512/intrinsics", ""},                                   // 1.00x avx512/intrinsics
    {"uniform", "mem", "avx512/xsimd", ""},                                        // 1.08x avx512/intrinsics
    {"normal", "l1", "avx512/intrinsics", "philox_ilv=4"},                         // 1.00x avx512/intrinsics
    {"normal", "l2", "avx512/intrinsics", "philox_ilv=4"},                         // 1.00x avx512/intrinsics
    {"normal", "llc", "avx512/intrinsics", "philox_ilv=4"},                        // 1.00x avx512/intrinsics
    {"normal", "mem", "avx512/intrinsics", "philox_ilv=4"},                        // 1.00x avx512/intrinsics
    {"sample_diag", "l1", "avx512/intrinsics", "philox_ilv=4,sample_chunk=4096"},  // 1.00x avx512/intrinsics
    {"sample_diag", "l2", "avx512/intrinsics", "philox_ilv=4,sample_chunk=4096"},  // 1.00x avx512/intrinsics
    {"sample_diag", "llc", "avx512/intrinsics", "philox_ilv=4,sample_chunk=4096"}, // 1.00x avx512/intrinsics
    {"sample_diag", "mem", "avx512/intrinsics", "philox_ilv=4,sample_chunk=4096"}, // 1.00x avx512/intrinsics
    {"sample_gmm", "l1", "avx512/intrinsics", "philox_ilv=4,sample_chunk=4096"},   // 1.00x avx512/intrinsics
    {"sample_gmm", "l2", "avx512/intrinsics", "philox_ilv=4,sample_chunk=4096"},   // 1.00x avx512/intrinsics
    {"sample_gmm", "llc", "avx512/intrinsics", "philox_ilv=4,sample_chunk=4096"},  // 1.00x avx512/intrinsics
    {"sample_gmm", "mem", "avx512/intrinsics", "philox_ilv=4,sample_chunk=4096"},  // 1.00x avx512/intrinsics
};

// AMD Zen 5.  Source: tune/measured/amd-zen5-26-2-full-profile.json, `diaggauss tune --full --budget 480` on the
// development machine of 2026-12-07 (night), "Oxide Virtual Turin-like Processor", AMD family 26 model 2, 2 cores,
// library 0.1.0, then `tune --full --kernel sample_diag --kernel sample_gmm --kernel normal --budget 150` after
// avx512's sample_chunk default became 4096, and `tune --full --kernel diag_logpdf --kernel gmm_logpdf --budget 150`
// (with DIAGGAUSS_CPU_TABLE=generic) after the AVX-512 log-densities stopped gathering (both merged).  Before
// that change the first run sent diag_logpdf to xsimd (4-8x over the gathers); now avx512/intrinsics wins every
// class.  A few memory-bound rows prefer AVX2 bodies (1.05-1.13x).
const CpuTableRow kZen5Rows[] = {
    {"solve_diag", "l1", "avx512/intrinsics", ""},                                 // 1.00x avx512/intrinsics
    {"solve_diag", "l2", "avx512/intrinsics", ""},                                 // 1.00x avx512/intrinsics
    {"solve_diag", "llc", "avx512/intrinsics", ""},                                // 1.00x avx512/intrinsics
    {"solve_diag", "mem", "avx2/highway", ""},                                     // 1.08x avx512/intrinsics
    {"reciprocal", "l1", "avx512/intrinsics", ""},                                 // 1.00x avx512/intrinsics
    {"reciprocal", "l2", "avx512/intrinsics", ""},                                 // 1.00x avx512/intrinsics
    {"reciprocal", "llc", "avx512/intrinsics", ""},                                // 1.00x avx512/intrinsics
    {"reciprocal", "mem", "avx2/intrinsics", ""},                                  // 1.10x avx512/intrinsics
    {"solve_diag_inv", "l1", "avx512/intrinsics", ""},                             // 1.00x avx512/intrinsics
    {"solve_diag_inv", "l2", "avx2/highway", ""},                                  // 1.07x avx512/intrinsics
    {"solve_diag_inv", "llc", "avx2/highway", ""},                                 // 1.05x avx512/intrinsics
    {"solve_diag_inv", "mem", "avx512/intrinsics", ""},                            // 1.00x avx512/intrinsics
    {"solve_diag_multi", "l1", "avx512/intrinsics", ""},                           // 1.00x avx512/intrinsics
    {"solve_diag_multi", "l2", "avx512/intrinsics", ""},                           // 1.00x avx512/intrinsics
    {"solve_diag_multi", "llc", "avx512/intrinsics", ""},                          // 1.00x avx512/intrinsics
    {"solve_diag_multi", "mem", "avx512/intrinsics", ""},                          // 1.00x avx512/intrinsics
    {"whiten", "l1", "avx512/highway", ""},                                        // 1.08x avx512/intrinsics
    {"whiten", "l2", "avx512/intrinsics", ""},                                     // 1.00x avx512/intrinsics
    {"whiten", "llc", "avx512/intrinsics", ""},                                    // 1.00x avx512/intrinsics
    {"whiten", "mem", "avx2/highway", ""},                                         // 1.13x avx512/intrinsics
    {"diag_logpdf", "l1", "avx512/intrinsics", ""},                                // 1.00x avx512/intrinsics
    {"diag_logpdf", "l2", "avx512/intrinsics", ""},                                // 1.00x avx512/intrinsics
    {"diag_logpdf", "llc", "avx512/intrinsics", ""},                               // 1.00x avx512/intrinsics
    {"diag_logpdf", "mem", "avx512/intrinsics", ""},                               // 1.00x avx512/intrinsics
    {"gmm_logpdf", "l1", "avx512/intrinsics", "comp_tile=8,point_tile=64"},        // 1.00x avx512/intrinsics
    {"gmm_logpdf", "l2", "avx512/intrinsics", "comp_tile=32,point_tile=128"},      // 1.09x avx512/intrinsics
    {"gmm_logpdf", "llc", "avx512/intrinsics", "comp_tile=8,point_tile=32"},       // 1.10x avx512/intrinsics
    {"gmm_logpdf", "mem", "avx512/intrinsics", "comp_tile=8,point_tile=64"},       // 1.00x avx512/intrinsics
    {"uniform_u32", "l1", "avx512/intrinsics", ""},                                // 1.00x avx512/intrinsics
    {"uniform_u32", "l2", "avx512/intrinsics", ""},                                // 1.00x avx512/intrinsics
    {"uniform_u32", "llc", "avx512/intrinsics", ""},                               // 1.00x avx512/intrinsics
    {"uniform_u32", "mem", "avx512/xsimd", ""},                                    // 1.15x avx512/intrinsics
    {"uniform", "l1", "avx512/intrinsics", ""},                                    // 1.00x avx512/intrinsics
    {"uniform", "l2", "avx512/intrinsics", ""},                                    // 1.00x avx512/intrinsics
    {"uniform", "llc", "avx512/intrinsics", ""},                                   // 1.00x avx512/intrinsics
    {"uniform", "mem", "avx512/intrinsics", ""},                                   // 1.00x avx512/intrinsics
    {"normal", "l1", "avx512/intrinsics", "philox_ilv=4"},                         // 1.00x avx512/intrinsics
    {"normal", "l2", "avx512/intrinsics", "philox_ilv=4"},                         // 1.00x avx512/intrinsics
    {"normal", "llc", "avx512/intrinsics", "philox_ilv=4"},                        // 1.00x avx512/intrinsics
    {"normal", "mem", "avx512/intrinsics", "philox_ilv=4"},                        // 1.00x avx512/intrinsics
    {"sample_diag", "l1", "avx512/intrinsics", "philox_ilv=4,sample_chunk=4096"},  // 1.00x avx512/intrinsics
    {"sample_diag", "l2", "avx512/intrinsics", "philox_ilv=4,sample_chunk=4096"},  // 1.00x avx512/intrinsics
    {"sample_diag", "llc", "avx512/intrinsics", "philox_ilv=4,sample_chunk=4096"}, // 1.00x avx512/intrinsics
    {"sample_diag", "mem", "avx512/intrinsics", "philox_ilv=4,sample_chunk=4096"}, // 1.00x avx512/intrinsics
    {"sample_gmm", "l1", "avx512/intrinsics", "philox_ilv=4,sample_chunk=4096"},   // 1.00x avx512/intrinsics
    {"sample_gmm", "l2", "avx512/intrinsics", "philox_ilv=4,sample_chunk=4096"},   // 1.00x avx512/intrinsics
    {"sample_gmm", "llc", "avx512/intrinsics", "philox_ilv=4,sample_chunk=4096"},  // 1.00x avx512/intrinsics
    {"sample_gmm", "mem", "avx512/intrinsics", "philox_ilv=4,sample_chunk=4096"},  // 1.00x avx512/intrinsics
};

const CpuTable kGeneric{"generic", "any CPU no other table matches: the best ISA's intrinsics everywhere", "",
                        nullptr, 0};
const CpuTable kZen3{"zen3", "AMD family 25 (19h) models 00-0F, 20-2F, 40-5F (Zen 3 / Zen 3+)",
                     "diaggauss tune --full on AMD EPYC family 25 model 1 (Milan), 2026-12-07", kZen3Rows, sizeof kZen3Rows / sizeof kZen3Rows[0]};
const CpuTable kZen4{"zen4", "AMD family 25 (19h) models 10-1F, 60-7F, A0-AF (Zen 4)",
                     "diaggauss tune --full on AMD EPYC family 25 model 17, 2026-12-04", kZen4Rows,
                     sizeof kZen4Rows / sizeof kZen4Rows[0]};
const CpuTable kZen5{"zen5", "AMD family 26 (1Ah), any model (Zen 5)",
                     "diaggauss tune --full on AMD family 26 model 2 (Turin-like VM), 2026-12-07", kZen5Rows,
                     sizeof kZen5Rows / sizeof kZen5Rows[0]};
const CpuTable kSpr{"spr", "Intel family 6 models 143 (8Fh, Sapphire Rapids) and 207 (CFh, Emerald Rapids)",
                    "diaggauss tune --full on Intel Xeon family 6 model 207, 2026-12-07", kSprRows,
                    sizeof kSprRows / sizeof kSprRows[0]};

bool in(std::uint32_t v, std::uint32_t lo, std::uint32_t hi) { return v >= lo && v <= hi; }

}  // namespace

const std::vector<const CpuTable*>& cpu_tables() {
  static const std::vector<const CpuTable*> t = {&kGeneric, &kZen3, &kZen4, &kZen5, &kSpr};
  return t;
}

const CpuTable& generic_cpu_table() { return kGeneric; }

const CpuTable* find_cpu_table(const std::string& name) {
  for (const CpuTable* t : cpu_tables())
    if (name == t->name) return t;
  return nullptr;
}

std::string cpu_table_names() {
  std::string s;
  for (const CpuTable* t : cpu_tables()) s += (s.empty() ? "" : ", ") + std::string(t->name);
  return s;
}

// Model numbers from AMD's and Intel's family/model lists (display family and model, as CpuInfo holds them).
const CpuTable& cpu_table_for(const CpuInfo& cpu) {
  const std::uint32_t f = cpu.family, m = cpu.model;
  if (cpu.vendor == "AuthenticAMD" && f == 0x19) {
    if (in(m, 0x00, 0x0F) || in(m, 0x20, 0x2F) || in(m, 0x40, 0x5F)) return kZen3;
    if (in(m, 0x10, 0x1F) || in(m, 0x60, 0x7F) || in(m, 0xA0, 0xAF)) return kZen4;
  }
  if (cpu.vendor == "AuthenticAMD" && f == 0x1A) return kZen5;
  if (cpu.vendor == "GenuineIntel" && f == 6 && (m == 143 || m == 207)) return kSpr;
  return kGeneric;
}

bool parse_cpu_table_row(const CpuTableRow& row, ParsedTableRow& out, std::string& error) {
  out = ParsedTableRow{};
  if (!row.kernel || !parse_operation(row.kernel, out.operation)) {
    error = std::string("unknown kernel '") + (row.kernel ? row.kernel : "(null)") + "'";
    return false;
  }
  const std::string where = std::string(row.kernel) + "/" + (row.size_class ? row.size_class : "(null)");
  if (!row.size_class || !parse_size_class(row.size_class, out.size_class)) {
    error = where + ": unknown size class";
    return false;
  }
  const std::string impl = row.impl ? row.impl : "";
  const std::size_t slash = impl.find('/');
  if (slash == std::string::npos || !parse_isa(impl.substr(0, slash), out.isa) ||
      !parse_family(impl.substr(slash + 1), out.family)) {
    error = where + ": bad implementation '" + impl + "' (want isa/family)";
    return false;
  }
  // "name=value,name=value": each name from kBlockingParams, each value in its range and step.
  const std::string params = row.params ? row.params : "";
  std::size_t pos = 0;
  while (pos < params.size()) {
    std::size_t end = params.find(',', pos);
    if (end == std::string::npos) end = params.size();
    const std::string item = params.substr(pos, end - pos);
    const std::size_t eq = item.find('=');
    bool found = eq != std::string::npos && param_retired(out.operation, item.substr(0, eq));  // ignored (profile.hpp)
    for (std::size_t i = 0; i < sizeof kBlockingParams / sizeof kBlockingParams[0] && eq != std::string::npos; ++i) {
      const BlockingParam& p = kBlockingParams[i];
      if (item.compare(0, eq, p.name) != 0 || std::strlen(p.name) != eq) continue;
      char* rest = nullptr;
      const unsigned long v = std::strtoul(item.c_str() + eq + 1, &rest, 10);
      if (rest == item.c_str() + eq + 1 || *rest != '\0' || v < p.min || v > p.max || v % p.multiple != 0) {
        error = where + ": " + p.name + " value out of range in '" + item + "'";
        return false;
      }
      out.blocking.*(p.field) = static_cast<std::uint32_t>(v);
      out.blocking_set[i] = true;
      found = true;
    }
    if (!found) {
      error = where + ": unknown block-size parameter '" + item + "'";
      return false;
    }
    pos = end + 1;
  }
  return true;
}

Blocking apply_row_blocking(const ParsedTableRow& row, const Blocking& defaults) {
  Blocking b = defaults;
  for (std::size_t i = 0; i < sizeof kBlockingParams / sizeof kBlockingParams[0]; ++i)
    if (row.blocking_set[i]) b.*(kBlockingParams[i].field) = row.blocking.*(kBlockingParams[i].field);
  return b;
}

}  // namespace diaggauss::detail
