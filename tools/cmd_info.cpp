// `diaggauss info [--json]`: the CPU, what is compiled in, and which implementation runs each kernel and why.
#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "diaggauss/diaggauss.h"
#include "dispatch/selection.hpp"
#include "tools/commands.hpp"

namespace diaggauss::cli {

using namespace diaggauss::detail;

static nlohmann::ordered_json info_json() {
  const CpuInfo& cpu = host_cpu();
  const SelectionReport sel = selection_report();
  nlohmann::ordered_json j;
  j["version"] = dg_version();
  j["stream_version"] = dg_stream_version();  // docs/random-stream.md: which numbers a seed gives
  j["cpu"] = {{"arch", cpu.arch},     {"vendor", cpu.vendor}, {"brand", cpu.brand},
              {"family", cpu.family}, {"model", cpu.model},   {"features", cpu.feature_names()},
              {"key", cpu.key()},     {"cache_bytes", {{"l1d", cpu.l1d}, {"l2", cpu.l2}, {"l3", cpu.l3}}}};
  nlohmann::ordered_json compiled = nlohmann::ordered_json::array();
  for (const Implementation& impl : registry()) {
    const std::string miss = missing_features(impl.isa, cpu);
    compiled.push_back({{"name", impl.name},
                        {"isa", isa_name(impl.isa)},
                        {"family", family_name(impl.family)},
                        {"description", impl.description},
                        {"runs_here", miss.empty()},
                        {"missing", miss}});
  }
  j["compiled"] = compiled;
  nlohmann::ordered_json kernels = nlohmann::ordered_json::object(), reasons = nlohmann::ordered_json::object();
  nlohmann::ordered_json by_class = nlohmann::ordered_json::object();
  bool any_class_differs = false;
  for (int k = 0; k < kOperationCount; ++k) {
    const Active* a = active(static_cast<Operation>(k));
    const char* name = operation_name(static_cast<Operation>(k));
    kernels[name] = a->ok() ? a->typical().impl->name : "error";
    reasons[name] = a->ok() ? reason_name(a->typical().reason) : a->error;
    if (!a->ok()) continue;
    nlohmann::ordered_json per_class = nlohmann::ordered_json::object();
    bool differs = false;
    for (int c = 0; c < kSizeClassCount; ++c) {
      per_class[size_class_name(static_cast<SizeClass>(c))] = a->choice[c].impl->name;
      differs |= a->choice[c].impl != a->typical().impl;
    }
    by_class[name] = per_class;
    if (differs) any_class_differs = true;
  }
  j["kernels"] = kernels;
  j["reasons"] = reasons;
  j["kernels_by_size_class"] = by_class;
  j["size_classes_differ"] = any_class_differs;
  j["cpu_table"] = {{"name", sel.cpu_table}, {"cpus", sel.cpu_table_cpus}, {"measured", sel.cpu_table_measured},
                    {"why", sel.cpu_table_why}, {"rows_used", sel.cpu_table_rows_used},
                    {"rows_skipped", sel.cpu_table_rows_skipped}};
  j["forced"] = {{"isa", sel.forced_isa}, {"family", sel.forced_family}};
  j["profile"] = {{"path", sel.profile_path.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(sel.profile_path)},
                  {"status", sel.profile_message}};
  return j;
}

Runner add_info(CLI::App& root) {
  auto o = std::make_shared<InfoOptions>();
  CLI::App* app = root.add_subcommand("info", "CPU, compiled implementations, the implementation chosen per kernel");
  app->add_flag("--json", o->json, "machine-readable output");
  return [o] { return run_info(*o); };
}

int run_info(const InfoOptions& o) {
  if (const std::string err = library_error(); !err.empty()) {
    std::fprintf(stderr, "diaggauss: %s\n", err.c_str());
    return 2;
  }
  const nlohmann::ordered_json j = info_json();
  if (o.json) {
    std::cout << dump_json(j) << "\n";
    return 0;
  }
  print_info_text(j);
  return 0;
}

void print_info_text(const nlohmann::ordered_json& j) {
  const auto& cpu = j["cpu"];
  std::printf("diaggauss %s\n", j["version"].get<std::string>().c_str());
  std::printf("CPU        %s (%s, family %d model %d, %s)\n", cpu["brand"].get<std::string>().c_str(),
              cpu["vendor"].get<std::string>().c_str(), cpu["family"].get<int>(), cpu["model"].get<int>(),
              cpu["arch"].get<std::string>().c_str());
  std::string feats;
  for (const auto& f : cpu["features"]) feats += (feats.empty() ? "" : " ") + f.get<std::string>();
  std::printf("features   %s\n", feats.c_str());
  std::printf("caches     L1d %llu KiB, L2 %llu KiB, L3 %llu KiB\n",
              (unsigned long long)cpu["cache_bytes"]["l1d"].get<std::uint64_t>() / 1024,
              (unsigned long long)cpu["cache_bytes"]["l2"].get<std::uint64_t>() / 1024,
              (unsigned long long)cpu["cache_bytes"]["l3"].get<std::uint64_t>() / 1024);
  if (j.contains("cpu_table"))
    std::printf("CPU table  %s (%s; %d rows in use, %d not runnable here)\n", j["cpu_table"]["name"].get<std::string>().c_str(),
                j["cpu_table"]["why"].get<std::string>().c_str(), j["cpu_table"]["rows_used"].get<int>(),
                j["cpu_table"]["rows_skipped"].get<int>());
  std::printf("\ncompiled implementations (priority order):\n");
  for (const auto& c : j["compiled"]) {
    const bool runs = c["runs_here"].get<bool>();
    std::printf("  %-20s %-5s %s%s\n", c["name"].get<std::string>().c_str(), runs ? "yes" : "no",
                c["description"].get<std::string>().c_str(),
                runs ? "" : ("  [CPU lacks " + c["missing"].get<std::string>() + "]").c_str());
  }
  std::printf("\nkernel choices:\n");
  for (auto it = j["kernels"].begin(); it != j["kernels"].end(); ++it)
    std::printf("  %-18s %-20s (%s)\n", it.key().c_str(), it.value().get<std::string>().c_str(),
                j["reasons"][it.key()].get<std::string>().c_str());
  if (j["size_classes_differ"].get<bool>()) {
    std::printf("\nper size class (l1 / l2 / llc / mem):\n");
    for (auto it = j["kernels_by_size_class"].begin(); it != j["kernels_by_size_class"].end(); ++it) {
      std::string row;
      for (auto c = it.value().begin(); c != it.value().end(); ++c) row += (row.empty() ? "" : " / ") + c.value().get<std::string>();
      std::printf("  %-18s %s\n", it.key().c_str(), row.c_str());
    }
  }
  const auto& forced = j["forced"];
  if (!forced["isa"].get<std::string>().empty() || !forced["family"].get<std::string>().empty())
    std::printf("forced     isa=%s family=%s\n", forced["isa"].get<std::string>().c_str(),
                forced["family"].get<std::string>().c_str());
  std::printf("profile    %s\n", j["profile"]["status"].get<std::string>().c_str());
}

}  // namespace diaggauss::cli
