#include "dispatch/selection.hpp"

#include <cstdlib>
#include <deque>
#include <mutex>

#include "diaggauss/diaggauss.h"

namespace diaggauss::detail {

std::atomic<const Active*> g_active[kKernelCount];

namespace {

constexpr const char* kKernelNames[kKernelCount] = {
    "solve_diag", "reciprocal", "solve_diag_inv", "solve_diag_multi", "whiten", "diag_logpdf", "gmm_logpdf",
    "uniform_u32", "uniform", "normal", "sample_diag", "sample_gmm"};

struct State {
  std::mutex mu;
  std::deque<Active> pool;  // every Active ever published (never freed: readers may still hold one)
  bool env_read = false;
  bool isa_forced = false, family_forced = false;
  Isa isa = Isa::scalar;
  Family family = Family::intrinsics;
  Reason force_reason = Reason::cpu_default;
  std::string env_error;
  int env_status = 0;
  // Per-kernel profile choices (applied when nothing is forced).
  bool has_profile[kKernelCount] = {};
  const Implementation* profile_impl[kKernelCount] = {};
  Blocking profile_blocking[kKernelCount];
};

State& state() {
  static State s;
  return s;
}

Isa best_isa(const CpuInfo& cpu) {
  for (Isa isa : {Isa::avx512, Isa::avx2, Isa::sse4, Isa::neon})
    if (find_implementation(isa, Family::intrinsics) && missing_features(isa, cpu).empty()) return isa;
  return Isa::scalar;
}

std::string available_isas(const CpuInfo& cpu) {
  std::string s;
  for (Isa isa : {Isa::scalar, Isa::sse4, Isa::avx2, Isa::avx512, Isa::neon}) {
    bool compiled = false;
    for (const Implementation& impl : registry()) compiled |= impl.isa == isa;
    if (compiled && missing_features(isa, cpu).empty()) s += s.empty() ? isa_name(isa) : std::string(", ") + isa_name(isa);
  }
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
  bool compiled = false;
  for (const Implementation& impl : registry()) compiled |= impl.isa == out;
  if (!compiled) {
    msg = "ISA '" + name + "' is not compiled into this build (" +
          "available: " + available_isas(cpu) + ")";
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

void read_env_locked(State& s) {
  if (s.env_read) return;
  s.env_read = true;
  std::string msg;
  if (const char* e = std::getenv("DIAGGAUSS_ISA"); e && *e && std::string(e) != "auto") {
    int st = check_isa(e, s.isa, msg);
    if (st != DG_OK) {
      s.env_status = st;
      s.env_error = "DIAGGAUSS_ISA: " + msg;
    } else {
      s.isa_forced = true;
      s.force_reason = Reason::environment;
    }
  }
  if (const char* e = std::getenv("DIAGGAUSS_IMPL"); e && *e && std::string(e) != "auto" && s.env_status == 0) {
    int st = check_family(e, s.family, msg);
    if (st != DG_OK) {
      s.env_status = st;
      s.env_error = "DIAGGAUSS_IMPL: " + msg;
    } else {
      s.family_forced = true;
      s.force_reason = Reason::environment;
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

const Active* publish_locked(State& s, int k) {
  Active a{};
  if (s.env_status != 0) {
    a.error_status = s.env_status;
    a.error = s.env_error;
  } else if (!s.isa_forced && !s.family_forced && s.has_profile[k]) {
    a.impl = s.profile_impl[k];
    a.blocking = s.profile_blocking[k];
    a.reason = Reason::profile;
  } else {
    std::string msg;
    int status = 0;
    a.impl = resolve(s, msg, status);
    a.reason = (s.isa_forced || s.family_forced) ? s.force_reason : Reason::cpu_default;
    if (!a.impl) {
      a.error_status = status;
      a.error = msg;
    } else {
      a.blocking = a.impl->defaults;
    }
  }
  if (a.impl) a.table = &a.impl->table();
  s.pool.push_back(std::move(a));
  const Active* p = &s.pool.back();
  g_active[k].store(p, std::memory_order_release);
  return p;
}

void republish_all_locked(State& s) {
  for (int k = 0; k < kKernelCount; ++k) publish_locked(s, k);
}

}  // namespace

const char* kernel_name(Kernel k) { return kKernelNames[static_cast<int>(k)]; }

bool parse_kernel(const std::string& s, Kernel& out) {
  for (int k = 0; k < kKernelCount; ++k)
    if (s == kKernelNames[k]) return out = static_cast<Kernel>(k), true;
  return false;
}

const char* reason_name(Reason r) {
  switch (r) {
    case Reason::cpu_default: return "default";
    case Reason::environment: return "environment";
    case Reason::forced: return "forced";
    case Reason::profile: return "profile";
  }
  return "?";
}

const Active* initialize_active(Kernel k) {
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
    bool runnable = f == Family::scalar;
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

int set_choice(Kernel k, Isa isa, Family family, const Blocking& blocking, Reason reason, std::string& message) {
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
  const int i = static_cast<int>(k);
  s.has_profile[i] = true;
  s.profile_impl[i] = impl;
  s.profile_blocking[i] = blocking;
  (void)reason;
  publish_locked(s, i);
  return DG_OK;
}

void reset_choices() {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  s.env_read = false;
  s.isa_forced = s.family_forced = false;
  s.env_status = 0;
  s.env_error.clear();
  for (bool& b : s.has_profile) b = false;
  read_env_locked(s);
  republish_all_locked(s);
}

SelectionReport selection_report() {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  read_env_locked(s);
  SelectionReport r;
  if (s.isa_forced) r.forced_isa = isa_name(s.isa);
  if (s.family_forced) r.forced_family = family_name(s.family);
  r.env_error = s.env_error;
  return r;
}

}  // namespace diaggauss::detail
