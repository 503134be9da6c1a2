// Which implementation runs each kernel.  Chosen once (lazily, thread-safe) from: the CPU, the environment
// (DIAGGAUSS_ISA, DIAGGAUSS_IMPL), the tuning profile, and the dg_force_* API.  A kernel call costs one atomic
// pointer load to find its (kernel table, blocking) pair, then one indirect call.
#pragma once
#include <atomic>
#include <string>

#include "dispatch/registry.hpp"

namespace diaggauss::detail {

enum class Kernel {
  solve_diag, reciprocal, solve_diag_inv, solve_diag_multi, whiten, diag_logpdf, gmm_logpdf,
  uniform_u32, uniform, normal, sample_diag, sample_gmm,
  count
};
inline constexpr int kKernelCount = static_cast<int>(Kernel::count);
const char* kernel_name(Kernel k);
bool parse_kernel(const std::string& s, Kernel& out);

// Why a kernel runs the implementation it runs.
enum class Reason { cpu_default, environment, forced, profile };
const char* reason_name(Reason r);

// Immutable once published; replaced (never mutated) when the choice changes, and never freed, so a reader
// holding a pointer is always safe.
struct Active {
  const Implementation* impl;  // nullptr when the configuration is in error (then `error` says why)
  const KernelTable* table;
  Blocking blocking;
  Reason reason;
  int error_status;
  std::string error;
};

const Active* initialize_active(Kernel k);
extern std::atomic<const Active*> g_active[kKernelCount];

inline const Active* active(Kernel k) {
  const Active* a = g_active[static_cast<int>(k)].load(std::memory_order_acquire);
  if (__builtin_expect(a == nullptr, 0)) a = initialize_active(k);
  return a;
}

// dg_force_isa / dg_force_impl; "auto" (or nullptr) clears.  Returns a dg_status and fills `message` on error.
int force_isa(const char* name, std::string& message);
int force_family(const char* name, std::string& message);
// Re-applies a profile choice for one kernel (the tuner and the profile loader use this).
int set_choice(Kernel k, Isa isa, Family family, const Blocking& blocking, Reason reason, std::string& message);
// Forget all forced/profile choices and recompute from the CPU and the environment.
void reset_choices();

// The state behind `diaggauss info`.
struct SelectionReport {
  std::string forced_isa, forced_family;  // "" when not forced
  std::string env_error;                  // set when DIAGGAUSS_ISA / DIAGGAUSS_IMPL is invalid
};
SelectionReport selection_report();

}  // namespace diaggauss::detail
