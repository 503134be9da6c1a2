#include "dispatch/selection.hpp"

#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>

#include "diaggauss/diaggauss.h"
#include "dispatch/cpu_tables.hpp"
#include "dispatch/profile.hpp"

namespace diaggauss::detail {

std::atomic<const Active*> g_active[kOperationCount];

namespace {

struct State {
  std::mutex mu;
  // Every distinct Active ever published (never freed: readers may still hold one).  Interned: publishing a
  // record equal to one already here reuses it, so memory stays bounded however often the choice changes
  // (before, each dg_force_isa added 12 records, ~3 KB, for good).
  std::deque<Active> pool;
  bool env_read = false;
  bool isa_forced = false, family_forced = false;
  Isa isa = Isa::scalar;
  Family family = Family::intrinsics;
  Reason force_reason = Reason::cpu_default;
  std::string env_error;
  int env_status = 0;
  bool has_profile = false;
  std::string profile_path, profile_message;
  // Per (kernel, class) choices from the profile or the tuner; applied when nothing is forced.
  const Implementation* tuned_impl[kOperationCount][kSizeClassCount] = {};
  Blocking tuned_blocking[kOperationCount][kSizeClassCount];
  // The built-in CPU table in force (dispatch/cpu_tables.hpp) and its rows this build and CPU can run; applied
  // when nothing is forced and the profile has no choice for that (kernel, class).
  const CpuTable* table = nullptr;
  std::string table_why;  // how it was chosen
  int table_rows_used = 0, table_rows_skipped = 0;
  const Implementation* table_impl[kOperationCount][kSizeClassCount] = {};
  Blocking table_blocking[kOperationCount][kSizeClassCount];
};

State& state() {
  static State s;
  return s;
}

// The best ISA (isa_list.hpp's rank) with an intrinsics implementation in this build that this CPU can run.
Isa best_isa(const CpuInfo& cpu) {
  for (Isa isa : isas_by_priority())
    if (find_implementation(isa, Family::intrinsics) && missing_features(isa, cpu).empty()) return isa;
  return Isa::scalar;
}

bool compiled(Isa isa) {
  for (const Implementation& impl : registry())
    if (impl.isa == isa) return true;
  return false;
}

std::string available_isas(const CpuInfo& cpu) {
  std::string s;
  for (Isa isa : all_isas())
    if (compiled(isa) && missing_features(isa, cpu).empty()) s += s.empty() ? isa_name(isa) : std::string(", ") + isa_name(isa);
  return s;
}

// Validates an ISA name for this CPU and build.
int check_isa(const std::string& name, Isa& out, std::string& msg) {
  const CpuInfo& cpu = host_cpu();
  if (!parse_isa(name, out)) {
    msg = "unknown ISA '" + name + "'; valid ISAs: " + all_isa_names() + " (this CPU and build: " +
          available_isas(cpu) + ")";
    return DG_E_UNKNOWN_NAME;
  }
  if (!compiled(out)) {
    msg = "ISA '" + name + "' is not compiled into this build (available: " + available_isas(cpu) + ")";
    return DG_E_UNSUPPORTED_ISA;
  }
  const std::string miss = missing_features(out, cpu);
  if (!miss.empty()) {
    msg = "ISA '" + name + "' needs CPU features this CPU lacks (" + miss + "); available: " + available_isas(cpu);
    return DG_E_UNSUPPORTED_ISA;
  }
  return DG_OK;
}

int check_family(const std::string& name, Family& out, std::string& msg) {
  if (!parse_family(name, out)) {
    msg = "unknown implementation family '" + name + "'; valid families: " + all_family_names();
    return DG_E_UNKNOWN_NAME;
  }
  return DG_OK;
}

// Validates and stores a profile's choices; all or nothing.
int install_locked(State& s, const ProfileData& data, std::string& msg) {
  const Implementation* impl[kOperationCount][kSizeClassCount] = {};
  for (int k = 0; k < kOperationCount; ++k)
    for (int c = 0; c < kSizeClassCount; ++c) {
      const ProfileChoice& ch = data.choice[k][c];
      if (!ch.set) continue;
      impl[k][c] = find_implementation(ch.isa, ch.family);
      const std::string where = std::string(operation_name(static_cast<Operation>(k))) + "/" +
                                size_class_name(static_cast<SizeClass>(c));
      if (!impl[k][c]) {
        msg = where + ": " + isa_name(ch.isa) + "/" + family_name(ch.family) + " is not compiled into this build";
        return DG_E_PROFILE;
      }
      const std::string miss = missing_features(ch.isa, host_cpu());
      if (!miss.empty()) {
        msg = where + ": " + impl[k][c]->name + " needs CPU features this CPU lacks (" + miss + ")";
        return DG_E_PROFILE;
      }
    }
  for (int k = 0; k < kOperationCount; ++k)
    for (int c = 0; c < kSizeClassCount; ++c) {
      s.tuned_impl[k][c] = impl[k][c];
      s.tuned_blocking[k][c] = data.choice[k][c].blocking;
    }
  s.has_profile = true;
  return DG_OK;
}

// Installs a CPU table's rows.  A row whose implementation is not compiled in, or needs features this CPU lacks
// (e.g. the zen4 table forced on an AVX2 machine, or AVX-512 disabled by the OS), is skipped: that (kernel, class)
// keeps the generic choice.
void install_table_locked(State& s, const CpuTable& t, std::string why) {
  s.table = &t;
  s.table_why = std::move(why);
  s.table_rows_used = s.table_rows_skipped = 0;
  for (auto& row : s.table_impl)
    for (auto& p : row) p = nullptr;
  for (std::size_t i = 0; i < t.row_count; ++i) {
    ParsedTableRow r;
    std::string error;
    const Implementation* impl = nullptr;
    if (parse_cpu_table_row(t.rows[i], r, error)) impl = find_implementation(r.isa, r.family);
    if (!impl || !missing_features(r.isa, host_cpu()).empty()) {
      ++s.table_rows_skipped;
      continue;
    }
    const int k = static_cast<int>(r.operation), c = static_cast<int>(r.size_class);
    s.table_impl[k][c] = impl;
    s.table_blocking[k][c] = apply_row_blocking(r, impl->defaults);
    ++s.table_rows_used;
  }
}

void install_detected_table_locked(State& s) {
  const CpuInfo& cpu = host_cpu();
  const CpuTable& t = cpu_table_for(cpu);
  install_table_locked(s, t, std::string(&t == &generic_cpu_table() ? "no table for " : "detected for ") +
                                 (cpu.vendor.empty() ? cpu.arch : cpu.vendor) + " family " +
                                 std::to_string(cpu.family) + " model " + std::to_string(cpu.model));
}

void read_env_locked(State& s) {
  if (s.env_read) return;
  s.env_read = true;
  std::string msg;
  // Both variables are read and validated independently: an invalid one puts every kernel in error (never a
  // silent fallback; the message names each bad variable), and a valid one is still recorded, so that once the
  // program clears the error with dg_force_isa / dg_force_impl the other variable's choice is in force.
  auto record_error = [&s](int st, const std::string& m) {
    if (s.env_status == 0) s.env_status = st;
    s.env_error += (s.env_error.empty() ? "" : "; ") + m;
  };
  {
    const char* e = std::getenv("DIAGGAUSS_CPU_TABLE");
    if (e && *e && std::string(e) != "auto") {
      if (const CpuTable* t = find_cpu_table(e)) {
        install_table_locked(s, *t, std::string("DIAGGAUSS_CPU_TABLE=") + e);
      } else {
        install_table_locked(s, generic_cpu_table(), "DIAGGAUSS_CPU_TABLE is invalid");
        record_error(DG_E_UNKNOWN_NAME, std::string("DIAGGAUSS_CPU_TABLE: unknown CPU table '") + e + "'; tables: " +
                                           cpu_table_names() + ", auto");
      }
    } else {
      install_detected_table_locked(s);
    }
  }
  if (const char* e = std::getenv("DIAGGAUSS_ISA"); e && *e && std::string(e) != "auto") {
    Isa isa;
    if (const int st = check_isa(e, isa, msg); st != DG_OK) {
      record_error(st, "DIAGGAUSS_ISA: " + msg);
    } else {
      s.isa = isa;
      s.isa_forced = true;
      s.force_reason = Reason::environment;
    }
  }
  if (const char* e = std::getenv("DIAGGAUSS_IMPL"); e && *e && std::string(e) != "auto") {
    Family f;
    if (const int st = check_family(e, f, msg); st != DG_OK) {
      record_error(st, "DIAGGAUSS_IMPL: " + msg);
    } else {
      s.family = f;
      s.family_forced = true;
      s.force_reason = Reason::environment;
    }
  }
  ProfileData data;
  std::string path;
  if (find_default_profile(host_cpu(), data, path, s.profile_message)) {
    std::string why;
    if (install_locked(s, data, why) == DG_OK) {
      s.profile_path = path;
      s.profile_message = "loaded " + path;
    } else {
      s.profile_message = "refused " + path + ": " + why + " (defaults in force)";
    }
  }
}

// Resolves (isa, family) from the forced values, falling back to the best CPU-supported ISA.
const Implementation* resolve(const State& s, std::string& msg, int& status) {
  const CpuInfo& cpu = host_cpu();
  if (s.isa_forced && s.family_forced) {
    if (const Implementation* impl = find_implementation(s.isa, s.family)) return impl;
    status = DG_E_UNKNOWN_NAME;
    msg = std::string("no implementation ") + isa_name(s.isa) + "/" + family_name(s.family) + " in this build";
    return nullptr;
  }
  if (s.isa_forced) {
    const Implementation* impl = find_implementation(s.isa, s.isa == Isa::scalar ? Family::scalar : Family::intrinsics);
    if (!impl) impl = find_implementation(s.isa, Family::highway);
    if (!impl) impl = find_implementation(s.isa, Family::xsimd);
    if (impl) return impl;
    status = DG_E_UNSUPPORTED_ISA;
    msg = std::string("no implementation for ISA ") + isa_name(s.isa) + " in this build";
    return nullptr;
  }
  if (s.family_forced) {
    if (s.family == Family::scalar) return find_implementation(Isa::scalar, Family::scalar);
    for (const Implementation& impl : registry())
      if (impl.family == s.family && missing_features(impl.isa, cpu).empty()) return &impl;
    status = DG_E_UNSUPPORTED_ISA;
    msg = std::string("no '") + family_name(s.family) + "' implementation this CPU can run in this build";
    return nullptr;
  }
  const Isa isa = best_isa(cpu);
  return find_implementation(isa, isa == Isa::scalar ? Family::scalar : Family::intrinsics);
}

bool same_blocking(const Blocking& a, const Blocking& b) {
  for (const BlockingParam& p : kBlockingParams)
    if (a.*p.field != b.*p.field) return false;
  return true;
}

bool same_active(const Active& a, const Active& b) {
  if (a.error_status != b.error_status || a.error != b.error) return false;
  if (std::memcmp(a.limit, b.limit, sizeof a.limit) != 0) return false;
  for (int c = 0; c < kSizeClassCount; ++c) {
    const Choice &x = a.choice[c], &y = b.choice[c];
    if (x.impl != y.impl || x.table != y.table || x.reason != y.reason || !same_blocking(x.blocking, y.blocking))
      return false;
  }
  return true;
}

const Active* publish_locked(State& s, int k) {
  Active a;
  size_class_limits(a.limit);
  if (s.env_status != 0) {
    a.error_status = s.env_status;
    a.error = s.env_error;
  } else {
    std::string msg;
    int status = 0;
    const Implementation* base = resolve(s, msg, status);
    if (!base) {
      a.error_status = status;
      a.error = msg;
    }
    const bool forced = s.isa_forced || s.family_forced;
    for (int c = 0; c < kSizeClassCount && base; ++c) {
      Choice& ch = a.choice[c];
      if (!forced && s.tuned_impl[k][c]) {
        ch.impl = s.tuned_impl[k][c];
        ch.blocking = s.tuned_blocking[k][c];
        ch.reason = Reason::profile;
      } else if (!forced && s.table_impl[k][c]) {
        ch.impl = s.table_impl[k][c];
        ch.blocking = s.table_blocking[k][c];
        ch.reason = Reason::cpu_table;
      } else {
        ch.impl = base;
        ch.blocking = base->defaults;
        ch.reason = forced ? s.force_reason : Reason::cpu_default;
      }
      ch.table = &ch.impl->table();
    }
  }
  const Active* p = nullptr;
  for (const Active& old : s.pool)
    if (same_active(old, a)) {
      p = &old;
      break;
    }
  if (!p) {
    s.pool.push_back(std::move(a));
    p = &s.pool.back();
  }
  g_active[k].store(p, std::memory_order_release);
  return p;
}

void republish_all_locked(State& s) {
  for (int k = 0; k < kOperationCount; ++k) publish_locked(s, k);
}

}  // namespace

const char* reason_name(Reason r) {
  switch (r) {
    case Reason::cpu_default: return "default";
    case Reason::cpu_table: return "cpu table";
    case Reason::environment: return "environment";
    case Reason::forced: return "forced";
    case Reason::profile: return "profile";
  }
  return "?";
}

void size_class_limits(std::size_t limit[kSizeClassCount - 1]) {
  const CpuInfo& cpu = host_cpu();
  // Half of each cache: the kernels' inputs and outputs together must fit, next to everything else.
  limit[0] = (cpu.l1d ? cpu.l1d : 32 * 1024) / 2;
  limit[1] = (cpu.l2 ? cpu.l2 : 512 * 1024) / 2;
  limit[2] = (cpu.l3 ? cpu.l3 : 4 * (cpu.l2 ? cpu.l2 : 512 * 1024)) / 2;
}

const Active* initialize_active(Operation k) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  if (const Active* a = g_active[static_cast<int>(k)].load(std::memory_order_acquire)) return a;
  read_env_locked(s);
  return publish_locked(s, static_cast<int>(k));
}

int force_isa(const char* name, std::string& message) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  read_env_locked(s);
  if (!name || std::string(name) == "auto") {
    s.isa_forced = false;
  } else {
    Isa isa;
    if (int st = check_isa(name, isa, message); st != DG_OK) return st;
    // Refuse a combination with the forced family that does not exist, before changing anything.
    State trial_flags;
    trial_flags.isa = isa, trial_flags.isa_forced = true;
    trial_flags.family = s.family, trial_flags.family_forced = s.family_forced;
    int st = 0;
    if (!resolve(trial_flags, message, st)) return st;
    s.isa = isa;
    s.isa_forced = true;
    s.force_reason = Reason::forced;
  }
  s.env_status = 0;  // an explicit call overrides a bad environment value
  s.env_error.clear();
  republish_all_locked(s);
  return DG_OK;
}

int force_family(const char* name, std::string& message) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  read_env_locked(s);
  if (!name || std::string(name) == "auto") {
    s.family_forced = false;
  } else {
    Family f;
    if (int st = check_family(name, f, message); st != DG_OK) return st;
    // Refuse a family with nothing this CPU can run, before changing anything.
    bool runnable = f == Family::scalar && (!s.isa_forced || s.isa == Isa::scalar);
    for (const Implementation& impl : registry())
      runnable |= impl.family == f && missing_features(impl.isa, host_cpu()).empty() &&
                  (!s.isa_forced || impl.isa == s.isa);
    if (!runnable) {
      message = std::string("no '") + name + "' implementation this CPU can run" +
                (s.isa_forced ? std::string(" for ISA ") + isa_name(s.isa) : std::string()) + " in this build";
      return DG_E_UNSUPPORTED_ISA;
    }
    s.family = f;
    s.family_forced = true;
    s.force_reason = Reason::forced;
  }
  s.env_status = 0;
  s.env_error.clear();
  republish_all_locked(s);
  return DG_OK;
}

int install_profile(const ProfileData& data, const std::string& path, std::string& message) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  read_env_locked(s);
  if (int st = install_locked(s, data, message); st != DG_OK) return st;
  s.profile_path = path;
  s.profile_message = "loaded " + path;
  republish_all_locked(s);
  return DG_OK;
}

void clear_profile() {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  read_env_locked(s);
  for (auto& row : s.tuned_impl)
    for (auto& p : row) p = nullptr;
  s.has_profile = false;
  s.profile_path.clear();
  s.profile_message = "none (cleared)";
  republish_all_locked(s);
}

int set_choice(Operation k, SizeClass c, Isa isa, Family family, const Blocking& blocking, std::string& message) {
  const Implementation* impl = find_implementation(isa, family);
  if (!impl) {
    message = std::string("no implementation ") + isa_name(isa) + "/" + family_name(family) + " in this build";
    return DG_E_UNKNOWN_NAME;
  }
  const std::string miss = missing_features(isa, host_cpu());
  if (!miss.empty()) {
    message = std::string(impl->name) + " needs CPU features this CPU lacks (" + miss + ")";
    return DG_E_UNSUPPORTED_ISA;
  }
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  read_env_locked(s);
  s.tuned_impl[static_cast<int>(k)][static_cast<int>(c)] = impl;
  s.tuned_blocking[static_cast<int>(k)][static_cast<int>(c)] = blocking;
  publish_locked(s, static_cast<int>(k));
  return DG_OK;
}

int force_cpu_table(const char* name, std::string& message) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  read_env_locked(s);
  if (!name || std::string(name) == "auto") {
    install_detected_table_locked(s);
  } else {
    const CpuTable* t = find_cpu_table(name);
    if (!t) {
      message = std::string("unknown CPU table '") + name + "'; tables: " + cpu_table_names() + ", auto";
      return DG_E_UNKNOWN_NAME;
    }
    install_table_locked(s, *t, std::string("forced ") + name);
  }
  republish_all_locked(s);
  return DG_OK;
}

SelectionReport selection_report() {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  read_env_locked(s);
  SelectionReport r;
  if (s.isa_forced) r.forced_isa = isa_name(s.isa);
  if (s.family_forced) r.forced_family = family_name(s.family);
  r.env_error = s.env_error;
  r.profile_path = s.profile_path;
  r.profile_message = s.profile_message;
  r.cpu_table = s.table ? s.table->name : "";
  r.cpu_table_cpus = s.table ? s.table->cpus : "";
  r.cpu_table_measured = s.table ? s.table->measured : "";
  r.cpu_table_why = s.table_why;
  r.cpu_table_rows_used = s.table_rows_used;
  r.cpu_table_rows_skipped = s.table_rows_skipped;
  return r;
}

}  // namespace diaggauss::detail
