// The `diaggauss` CLI's subcommands.  Each lives in its own cmd_<name>.cpp.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace diaggauss::cli {

struct Args {
  std::vector<std::string> items;  // arguments after the subcommand
  bool has(const std::string& flag) const;
  // Value after `flag` ("--n 10"), or `fallback`.
  std::string value(const std::string& flag, const std::string& fallback = "") const;
  // True when every item is one of `valued` (followed by its value) or `switches`; otherwise prints
  // "diaggauss <cmd>: unknown option '...'" (or a missing value) to stderr and returns false.
  bool only(const char* cmd, const std::vector<std::string>& valued, const std::vector<std::string>& switches) const;
};

int cmd_info(const Args& args);
int cmd_demo(const Args& args);
int cmd_sample(const Args& args);
int cmd_tune(const Args& args);
int cmd_mc(const Args& args);
int cmd_bench(const Args& args);
void print_info_text(const nlohmann::ordered_json& j);

}  // namespace diaggauss::cli
