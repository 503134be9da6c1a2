// Which implementation runs each operation.  Chosen once (lazily, thread-safe) from: the CPU, the environment
// (DIAGGAUSS_ISA, DIAGGAUSS_IMPL), the tuning profile (per working-set size class), the built-in table for this
// CPU (dispatch/cpu_tables.hpp; DIAGGAUSS_CPU_TABLE) and the dg_force_* API.  Precedence, highest first: forcing
// (API or environment), the profile, the CPU table, the best ISA's intrinsics.
// A kernel call costs one atomic pointer load and a size-class pick to find its (table, blocking) pair, then one
// indirect call.
#pragma once
#include <atomic>
#include <string>

#include "dispatch/registry.hpp"

namespace diaggauss::detail {

struct ProfileData;

// Why a kernel runs the implementation it runs.
enum class Reason { cpu_default, environment, forced, profile, cpu_table };
const char* reason_name(Reason r);

struct Choice {
  const Implementation* impl = nullptr;
  const KernelTable* table = nullptr;
  Blocking blocking;
  Reason reason = Reason::cpu_default;
};

// Immutable once published; replaced (never mutated) when the choice changes, and never freed, so a reader
// holding a pointer is always safe.
struct Active {
  Choice choice[kSizeClassCount];
  std::size_t limit[kSizeClassCount - 1] = {};  // working-set bytes that end the l1, l2 and llc classes
  int error_status = 0;                         // non-zero: the configuration is in error (bad environment value)
  std::string error;

  bool ok() const { return error_status == 0; }
  const Choice& pick(std::size_t bytes) const {
    return choice[(bytes > limit[0]) + (bytes > limit[1]) + (bytes > limit[2])];
  }
  // The choice `dg_active` reports: the L2 class (where most calls of a tuned application land).
  const Choice& typical() const { return choice[static_cast<int>(SizeClass::l2)]; }
};

const Active* initialize_active(Operation k);
extern std::atomic<const Active*> g_active[kOperationCount];

inline const Active* active(Operation k) {
  const Active* a = g_active[static_cast<int>(k)].load(std::memory_order_acquire);
  if (__builtin_expect(a == nullptr, 0)) a = initialize_active(k);
  return a;
}

// Byte limits of the size classes on this CPU (from its cache sizes, with defaults when unknown).
void size_class_limits(std::size_t limit[kSizeClassCount - 1]);

// dg_force_isa / dg_force_impl; "auto" (or nullptr) clears.  Returns a dg_status and fills `message` on error.
int force_isa(const char* name, std::string& message);
int force_family(const char* name, std::string& message);
// Installs a parsed profile (all or nothing: every choice must be runnable here).  Returns a dg_status.
int install_profile(const ProfileData& data, const std::string& path, std::string& message);
// Drops the profile in use (back to CPU defaults).
void clear_profile();
// Puts a built-in CPU table in force by name ("auto" or nullptr: the one detected for this CPU).  Returns a
// dg_status.  Tests use it to check a table on any machine (DIAGGAUSS_CPU_TABLE does the same at start-up).
int force_cpu_table(const char* name, std::string& message);
// Sets one (kernel, class) choice directly; the tuner uses this to measure candidates through the public API.
int set_choice(Operation k, SizeClass c, Isa isa, Family family, const Blocking& blocking, std::string& message);

// The state behind `diaggauss info`.
struct SelectionReport {
  std::string forced_isa, forced_family;  // "" when not forced
  std::string env_error;                  // set when DIAGGAUSS_ISA / DIAGGAUSS_IMPL is invalid
  std::string profile_path, profile_message;
  std::string cpu_table, cpu_table_cpus, cpu_table_measured, cpu_table_why;  // the built-in table in force
  int cpu_table_rows_used = 0, cpu_table_rows_skipped = 0;  // rows this build and CPU can run / cannot
};
SelectionReport selection_report();

}  // namespace diaggauss::detail
