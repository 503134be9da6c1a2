// Profile format (docs/profile.md): parse, validate, write.  Parsing never throws out of this file: nlohmann's
// exceptions are caught, sizes and nesting depth are bounded before parsing, and every field is type-checked.
#include "dispatch/profile.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>
#include <fstream>
#include <sstream>
#include <string_view>

#include <nlohmann/json.hpp>

#include "diaggauss/diaggauss.h"

namespace diaggauss::detail {

using Json = nlohmann::ordered_json;

// Parameters a profile or CPU-table row may still name but nothing reads any more: rhs_tile and grain (removed),
// sample_chunk for normal (only the composed samplers chunk), point_tile for diag_logpdf (one pass over the
// points on every implementation since issue 16; Highway and NEON read it there before).  Loaded and ignored.
bool param_retired(Operation k, const std::string& name) {
  return name == "rhs_tile" || name == "grain" || (k == Operation::normal && name == "sample_chunk") ||
         (k == Operation::diag_logpdf && name == "point_tile");
}

// Whether operation k's code reads p: its name is in the parameter's own read_by list (kernels/common/blocking.hpp).
bool param_applies(Operation k, const BlockingParam& p) {
  const std::string_view list = p.read_by, name = operation_name(k);
  for (std::size_t at = list.find(name); at != std::string_view::npos; at = list.find(name, at + 1)) {
    const std::size_t end = at + name.size();
    const bool starts = at == 0 || list[at - 1] == ' ', ends = end == list.size() || list[end] == ' ';
    if (starts && ends) return true;
  }
  return false;
}

namespace {

// Maximum nesting of arrays/objects, scanning outside strings (rejects "deep nesting" files before parsing).
int nesting_depth(const std::string& text) {
  int depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      max_depth = std::max(max_depth, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return max_depth;
}

// 1-based line and column of the 1-based byte position `byte` (clamped to the text).
std::pair<std::size_t, std::size_t> line_and_column(const std::string& text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  const std::size_t end = std::min(text.size(), byte > 0 ? byte - 1 : 0);
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') ++line, column = 1;
    else ++column;
  }
  return {line, column};
}

int major_of(const std::string& version) {
  try {
    return std::stoi(version.substr(0, version.find('.')));
  } catch (...) {
    return -1;
  }
}

// Typed field access with a path in the message.
struct Reader {
  std::string& msg;
  bool string_field(const Json& obj, const char* key, const std::string& path, std::string& out) {
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_string()) return fail(path + "." + key + " must be a string");
    out = it->get<std::string>();
    return true;
  }
  bool object_field(const Json& obj, const char* key, const std::string& path, const Json*& out) {
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_object()) return fail(path + "." + key + " must be an object");
    out = &*it;
    return true;
  }
  bool number_field(const Json& obj, const char* key, const std::string& path, double& out) {
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_number()) return fail(path + "." + key + " must be a number");
    out = it->get<double>();
    if (!(out >= 0) || out > 1e30) return fail(path + "." + key + " is out of range");
    return true;
  }
  bool fail(const std::string& m) {
    msg = m;
    return false;
  }
};

bool parse_choice(Reader& r, const Json& j, const std::string& path, Operation k, ProfileChoice& out) {
  if (!j.is_object()) return r.fail(path + " must be an object");
  std::string isa, family;
  if (!r.string_field(j, "isa", path, isa) || !r.string_field(j, "family", path, family)) return false;
  if (!parse_isa(isa, out.isa)) return r.fail(path + ".isa: unknown ISA '" + isa + "'");
  if (!parse_family(family, out.family)) return r.fail(path + ".family: unknown family '" + family + "'");
  if ((out.isa == Isa::scalar) != (out.family == Family::scalar))
    return r.fail(path + ": " + isa + "/" + family + " is not an implementation");
  const Json* params = nullptr;
  if (!r.object_field(j, "params", path, params)) return false;
  for (auto it = params->begin(); it != params->end(); ++it) {
    if (param_retired(k, it.key())) continue;  // written by an older version; nothing reads it now
    const BlockingParam* p = nullptr;
    for (const BlockingParam& bp : kBlockingParams)
      if (it.key() == bp.name) p = &bp;
    if (!p) return r.fail(path + ".params: unknown parameter '" + it.key() + "'");
    if (!param_applies(k, *p)) return r.fail(path + ".params." + it.key() + " does not apply to this kernel");
    if (!it->is_number_unsigned()) return r.fail(path + ".params." + it.key() + " must be a non-negative integer");
    const auto v = it->get<std::uint64_t>();
    if (v < p->min || v > p->max || v % p->multiple != 0)
      return r.fail(path + ".params." + it.key() + " = " + std::to_string(v) + " is outside [" + std::to_string(p->min) +
                    ", " + std::to_string(p->max) + "] or not a multiple of " + std::to_string(p->multiple));
    out.blocking.*(p->field) = static_cast<std::uint32_t>(v);
  }
  if (!r.number_field(j, "throughput", path, out.throughput) ||
      !r.number_field(j, "default_throughput", path, out.default_throughput))
    return false;
  if (j.contains("default") && j["default"].is_string()) out.default_name = j["default"].get<std::string>();
  out.set = true;
  return true;
}

}  // namespace

ProfileVerdict parse_profile_text(const std::string& text, const CpuInfo& cpu, ProfileData& out, std::string& msg) {
  if (text.size() > kProfileMaxBytes) {
    msg = "file is larger than " + std::to_string(kProfileMaxBytes) + " bytes";
    return ProfileVerdict::refused;
  }
  if (nesting_depth(text) > kProfileMaxDepth) {
    msg = "nesting deeper than " + std::to_string(kProfileMaxDepth) + " levels";
    return ProfileVerdict::refused;
  }
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::parse_error& e) {
    // e.byte is the 1-based position of the offending byte (one past the end for truncated text).
    const auto [line, column] = line_and_column(text, e.byte);
    msg = "invalid JSON at line " + std::to_string(line) + " column " + std::to_string(column) + " (" +
          (e.byte > text.size() ? "truncated" : "corrupt") + ")";
    return ProfileVerdict::refused;
  } catch (const std::exception&) {
    msg = "invalid JSON";
    return ProfileVerdict::refused;
  }
  Reader r{msg};
  if (!j.is_object()) return r.fail("the top level must be an object"), ProfileVerdict::refused;
  std::string format;
  if (!r.string_field(j, "format", "profile", format)) return ProfileVerdict::refused;
  if (format != "diaggauss-profile") return r.fail("not a diaggauss profile (format '" + format + "')"), ProfileVerdict::refused;
  if (!j.contains("format_version") || !j["format_version"].is_number_unsigned())
    return r.fail("profile.format_version must be a non-negative integer"), ProfileVerdict::refused;
  if (j["format_version"].get<std::uint64_t>() != kProfileFormatVersion) {
    msg = "format version " + std::to_string(j["format_version"].get<std::uint64_t>()) + " is not " +
          std::to_string(kProfileFormatVersion) + " (re-run `diaggauss tune`)";
    return ProfileVerdict::ignored;
  }
  ProfileData d;
  const Json* cpu_obj = nullptr;
  if (!r.string_field(j, "library_version", "profile", d.library_version) ||
      !r.string_field(j, "created", "profile", d.created) || !r.object_field(j, "cpu", "profile", cpu_obj) ||
      !r.string_field(*cpu_obj, "key", "profile.cpu", d.cpu_key))
    return ProfileVerdict::refused;
  if (cpu_obj->contains("brand") && (*cpu_obj)["brand"].is_string()) d.cpu_brand = (*cpu_obj)["brand"].get<std::string>();
  if (j.contains("mode") && j["mode"].is_string()) d.mode = j["mode"].get<std::string>();
  if (major_of(d.library_version) != DIAGGAUSS_VERSION_MAJOR) {
    msg = "made by diaggauss " + d.library_version + ", another major version than " + DIAGGAUSS_VERSION_STRING;
    return ProfileVerdict::ignored;
  }
  if (d.cpu_key != cpu.key()) {
    msg = "made for CPU '" + d.cpu_key + "', this CPU is '" + cpu.key() + "'";
    return ProfileVerdict::ignored;
  }
  const Json* kernels = nullptr;
  if (!r.object_field(j, "kernels", "profile", kernels)) return ProfileVerdict::refused;
  for (auto kit = kernels->begin(); kit != kernels->end(); ++kit) {
    Operation k;
    if (!parse_operation(kit.key(), k)) return r.fail("profile.kernels: unknown kernel '" + kit.key() + "'"), ProfileVerdict::refused;
    if (!kit->is_object()) return r.fail("profile.kernels." + kit.key() + " must be an object"), ProfileVerdict::refused;
    for (auto cit = kit->begin(); cit != kit->end(); ++cit) {
      SizeClass c;
      const std::string path = "profile.kernels." + kit.key() + "." + cit.key();
      if (!parse_size_class(cit.key(), c)) return r.fail(path + ": unknown size class (l1, l2, llc, mem)"), ProfileVerdict::refused;
      if (!parse_choice(r, *cit, path, k, d.choice[static_cast<int>(k)][static_cast<int>(c)])) return ProfileVerdict::refused;
    }
  }
  out = std::move(d);
  return ProfileVerdict::ok;
}

ProfileVerdict read_profile_file(const std::string& path, const CpuInfo& cpu, ProfileData& out, std::string& msg) {
  // Each failure says which it is, because the advice differs: only a missing file calls for `diaggauss tune`
  // (which would overwrite an unreadable one, or fail on a folder).
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    msg = errno == ENOENT ? "no file at " + path : "unreadable: " + path + ": " + std::strerror(errno);
    return ProfileVerdict::refused;
  }
  if (!S_ISREG(st.st_mode)) {
    msg = "not a file: " + path + (S_ISDIR(st.st_mode) ? " is a directory" : " is not a regular file");
    return ProfileVerdict::refused;
  }
  if (static_cast<std::uint64_t>(st.st_size) > kProfileMaxBytes) {
    msg = "too large: " + path + " is larger than " + std::to_string(kProfileMaxBytes) + " bytes";
    return ProfileVerdict::refused;
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    msg = "unreadable: " + path + ": " + std::strerror(errno);
    return ProfileVerdict::refused;
  }
  std::string text;
  char buf[65536];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0 && text.size() <= kProfileMaxBytes;) text.append(buf, n);
  const bool read_error = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (read_error) {
    msg = "unreadable: " + path + ": " + std::strerror(err);
    return ProfileVerdict::refused;
  }
  return parse_profile_text(text, cpu, out, msg);
}

std::string profile_to_json(const ProfileData& d, const CpuInfo& cpu) {
  Json j;
  j["format"] = "diaggauss-profile";
  j["format_version"] = kProfileFormatVersion;
  j["library_version"] = DIAGGAUSS_VERSION_STRING;
  j["created"] = d.created;
  j["mode"] = d.mode;
  j["cpu"] = {{"key", cpu.key()},     {"vendor", cpu.vendor}, {"brand", cpu.brand},
              {"family", cpu.family}, {"model", cpu.model},   {"features", cpu.feature_names()},
              {"cache_bytes", {{"l1d", cpu.l1d}, {"l2", cpu.l2}, {"l3", cpu.l3}}}};
  Json kernels = Json::object();
  for (int k = 0; k < kOperationCount; ++k) {
    Json classes = Json::object();
    for (int c = 0; c < kSizeClassCount; ++c) {
      const ProfileChoice& ch = d.choice[k][c];
      if (!ch.set) continue;
      Json params = Json::object();
      for (const BlockingParam& p : kBlockingParams)
        if (param_applies(static_cast<Operation>(k), p)) params[p.name] = ch.blocking.*(p.field);
      classes[size_class_name(static_cast<SizeClass>(c))] = {{"isa", isa_name(ch.isa)},
                                                             {"family", family_name(ch.family)},
                                                             {"params", params},
                                                             {"throughput", ch.throughput},
                                                             {"default", ch.default_name},
                                                             {"default_throughput", ch.default_throughput}};
    }
    if (!classes.empty()) kernels[operation_name(static_cast<Operation>(k))] = classes;
  }
  j["kernels"] = kernels;
  return j.dump(2) + "\n";
}

}  // namespace diaggauss::detail
