// The one definition of a call's working set, used by the API (to pick the size class a call runs in) and by the
// tuner (to build the call it measures for a class), so that a profile's choice for a class is measured on
// calls the API puts in that class.  Before issue 16 the two were written separately and disagreed for
// diag_logpdf (the API counted X only, the tuner X twice).
// Definition: the bytes of every array the call reads or writes (inputs, outputs, parameters), no more.
#pragma once
#include <cstddef>
#include <cstdint>

#include "dispatch/kernel_list.hpp"

namespace diaggauss::detail {

// A call's shape.  `n`: elements (elementwise kernels, samplers' `n`), rows (solve_diag_multi) or points (the
// per-point kernels); `dim`: right-hand sides (solve_diag_multi) or dimensions; `ncomp`: mixture components.
struct CallShape {
  std::size_t n = 0, dim = 1, ncomp = 1;
  std::size_t elem = sizeof(double);  // bytes per element: sizeof(float) or sizeof(double)
};

constexpr std::size_t working_set_bytes(Operation k, const CallShape& s) {
  const std::size_t e = s.elem, nd = s.n * s.dim, kd = s.ncomp * s.dim;
  switch (k) {
    case Operation::solve_diag:
    case Operation::solve_diag_inv: return 3 * s.n * e;                      // d (or inv), b, x
    case Operation::reciprocal: return 2 * s.n * e;                          // d, inv
    case Operation::solve_diag_multi: return (2 * nd + s.n) * e;             // B, X, d
    case Operation::whiten: return (2 * nd + 2 * s.dim) * e;                 // X, Z, mean, stddev
    case Operation::diag_logpdf: return (nd + s.n + 2 * s.dim) * e;          // X, out, mean, var
    case Operation::gmm_logpdf: return (nd + s.n + 2 * kd + s.ncomp) * e;    // X, out, means, vars, weights
    case Operation::uniform_u32: return s.n * sizeof(std::uint32_t);         // out
    case Operation::uniform:
    case Operation::normal: return s.n * e;                                  // out
    case Operation::sample_diag: return (nd + 2 * s.dim) * e;                // out, mean, stddev
    case Operation::sample_gmm: return (nd + 2 * kd + s.ncomp) * e;          // out, means, stddevs, weights
    case Operation::count: break;
  }
  return 0;
}

// The largest `n` (at least `at_least`) whose call of shape `s` (its n ignored) has a working set of at most
// `bytes`: what the tuner measures for a size class.  Working sets are affine in n.
constexpr std::size_t n_for_working_set(Operation k, CallShape s, std::size_t bytes, std::size_t at_least) {
  s.n = 0;
  const std::size_t fixed = working_set_bytes(k, s);
  s.n = 1;
  const std::size_t per = working_set_bytes(k, s) - fixed;
  const std::size_t n = bytes > fixed && per ? (bytes - fixed) / per : 0;
  return n > at_least ? n : at_least;
}

}  // namespace diaggauss::detail
